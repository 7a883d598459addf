/**
 * Creates or updates Bob's tools (by name, across every page of the workspace's tools) and prompt
 * on ElevenLabs, from the generated configs; the agent keeps its other tools and gets the
 * client_events the widget needs. The webhook Authorization header comes from a workspace secret
 * holding "Bearer <secret>", reused (by name) from run to run.
 */
import { readFileSync } from 'node:fs';
import { TOOL_NAMES } from '../../shared/tools.ts';
import type { ConversationConfigOverrideConversationClientEventsItem } from '@elevenlabs/types';
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
  /** Bob's tools, in TOOL_NAMES order. */
  toolIds: string[];
  /** The agent's tool list after the sync: its other tools kept, ours replacing any of the same name. */
  agentToolIds: string[];
  clientEvents: string[];
}

const SECRET_NAME = 'shipvox_agent_tool_secret';

type ClientEvent = ConversationConfigOverrideConversationClientEventsItem;

/** The contract's default `client_events` (ElevenLabs' AsyncAPI): it lacks client_tool_call. */
export const DEFAULT_CLIENT_EVENTS: readonly ClientEvent[] = [
  'audio',
  'interruption',
  'agent_response',
  'user_transcript',
  'tentative_user_transcript',
  'conversation_initiation_metadata',
  'ping',
];

/**
 * What the widget needs besides the defaults: the client tools' calls (attach and SDK mode),
 * the tool request/response events (the embed widget's tool status; SDK callbacks), and the
 * corrected agent text after an interruption (transcripts).
 */
export const WIDGET_CLIENT_EVENTS: readonly ClientEvent[] = ['client_tool_call', 'agent_tool_request', 'agent_tool_response', 'agent_response_correction'];

export async function syncAgent(api: ElevenLabsApi, o: SyncOptions): Promise<SyncReport> {
  const secretId = o.mode === 'webhook' ? await toolSecret(api, o) : null;
  const existing = new Map<string, string>();
  const ours = new Set<string>();
  for (const t of await api.listTools()) {
    if (!(TOOL_NAMES as readonly string[]).includes(t.tool_config.name)) continue;
    ours.add(t.id);
    if (!existing.has(t.tool_config.name)) existing.set(t.tool_config.name, t.id);
  }
  const agent = await api.getAgent(o.agentId);
  const report: SyncReport = { created: [], updated: [], secretId, toolIds: [], agentToolIds: [], clientEvents: [] };
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
  const others = (agent.conversation_config?.agent?.prompt?.tool_ids ?? []).filter((id) => !ours.has(id));
  report.agentToolIds = [...new Set([...others, ...report.toolIds])];
  report.clientEvents = [...new Set([...(agent.conversation_config?.conversation?.client_events ?? DEFAULT_CLIENT_EVENTS), ...WIDGET_CLIENT_EVENTS])];
  await api.updateAgent(o.agentId, { prompt: BOB_PROMPT, toolIds: report.agentToolIds, clientEvents: report.clientEvents });
  return report;
}

/** The workspace secret holding "Bearer <AGENT_TOOL_SECRET>": the given one, else ours by name (its value set), else a new one. */
async function toolSecret(api: ElevenLabsApi, o: SyncOptions): Promise<string> {
  if (o.secretId) return o.secretId;
  const value = `Bearer ${o.agentToolSecret}`;
  const found = (await api.listSecrets()).find((s) => s.name === SECRET_NAME);
  if (!found) return api.createSecret(SECRET_NAME, value);
  await api.updateSecret(found.secret_id, SECRET_NAME, value);
  return found.secret_id;
}
