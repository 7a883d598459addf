/**
 * Creates or updates Bob's tools (by name) and prompt on ElevenLabs, from the generated configs.
 * The webhook Authorization header comes from a workspace secret holding "Bearer <secret>".
 */
import { readFileSync } from 'node:fs';
import { TOOL_NAMES } from '../../shared/tools.ts';
import type { ElevenLabsApi } from './elevenlabs-api.ts';
import { clientToolConfig, webhookToolConfig } from './tool-configs.ts';

export const BOB_PROMPT = readFileSync(new URL('./bob-prompt.md', import.meta.url), 'utf8');

export interface SyncOptions {
  agentId: string;
  publicUrl: string;
  agentToolSecret: string;
  /** webhook: ElevenLabs calls the BFF; client: the page's voice client relays tool calls. */
  mode: 'webhook' | 'client';
  /** Reuse an existing workspace secret instead of creating one. */
  secretId?: string;
}

export interface SyncReport {
  created: string[];
  updated: string[];
  secretId: string | null;
  toolIds: string[];
}

export async function syncAgent(api: ElevenLabsApi, o: SyncOptions): Promise<SyncReport> {
  let secretId: string | null = null;
  if (o.mode === 'webhook') secretId = o.secretId ?? (await api.createSecret('shipvox_agent_tool_secret', `Bearer ${o.agentToolSecret}`));
  const existing = new Map((await api.listTools()).map((t) => [t.tool_config.name, t.id]));
  const report: SyncReport = { created: [], updated: [], secretId, toolIds: [] };
  for (const name of TOOL_NAMES) {
    const config = o.mode === 'webhook' ? webhookToolConfig(name, { publicUrl: o.publicUrl, secretId: secretId! }) : clientToolConfig(name);
    const id = existing.get(name);
    if (id) {
      await api.updateTool(id, config);
      report.updated.push(name);
      report.toolIds.push(id);
    } else {
      report.toolIds.push(await api.createTool(config));
      report.created.push(name);
    }
  }
  await api.updateAgentPrompt(o.agentId, BOB_PROMPT, report.toolIds);
  return report;
}
