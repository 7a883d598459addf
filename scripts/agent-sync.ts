/**
 * `npm run agent:sync`: creates or updates Bob's tools and prompt through the ElevenLabs REST API.
 * Needs ELEVENLABS_API_KEY, ELEVENLABS_AGENT_ID, PUBLIC_URL (the BFF as ElevenLabs reaches it) and
 * AGENT_TOOL_SECRET; AGENT_TOOL_MODE=client syncs client tools instead of webhooks.
 */
import { ElevenLabsApi } from '../bff/agent/elevenlabs-api.ts';
import { syncAgent } from '../bff/agent/sync.ts';

const env = process.env;
const missing = ['ELEVENLABS_API_KEY', 'ELEVENLABS_AGENT_ID', 'PUBLIC_URL', 'AGENT_TOOL_SECRET'].filter((k) => !env[k]);
if (missing.length > 0) {
  console.error(`agent:sync needs ${missing.join(', ')} (nothing was changed). See README "Bob on ElevenLabs".`);
  process.exit(2);
}
const api = new ElevenLabsApi(env.ELEVENLABS_BASE_URL ?? 'https://api.elevenlabs.io', env.ELEVENLABS_API_KEY!);
const report = await syncAgent(api, {
  agentId: env.ELEVENLABS_AGENT_ID!,
  publicUrl: env.PUBLIC_URL!,
  agentToolSecret: env.AGENT_TOOL_SECRET!,
  mode: env.AGENT_TOOL_MODE === 'client' ? 'client' : 'webhook',
  ...(env.ELEVENLABS_TOOL_SECRET_ID ? { secretId: env.ELEVENLABS_TOOL_SECRET_ID } : {}),
});
console.log(
  `agent:sync created [${report.created.join(', ')}], updated [${report.updated.join(', ')}]; tool ids ${report.toolIds.join(', ')}; ` +
    `agent tools ${report.agentToolIds.length}, client_events ${report.clientEvents.join(', ')}${report.secretId ? `; secret ${report.secretId}` : ''}`,
);
