/**
 * `npm run agent:tools`: prints the ElevenLabs tool_config JSON of every tool (webhook and client
 * variants), generated from the shared zod schemas.
 * PUBLIC_URL sets the webhook base URL; ELEVENLABS_TOOL_SECRET_ID the workspace secret id.
 */
import { allToolConfigs } from '../bff/agent/tool-configs.ts';

const publicUrl = process.env.PUBLIC_URL ?? 'https://companion.shipvox.example';
const secretId = process.env.ELEVENLABS_TOOL_SECRET_ID ?? '<secret_id of "Bearer AGENT_TOOL_SECRET">';
console.log(JSON.stringify(allToolConfigs({ publicUrl, secretId }), null, 2));
