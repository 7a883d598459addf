/**
 * ElevenLabs tool configurations, generated from the shared zod schemas (never hand-written):
 * webhook (server) tools that call POST /v1/agent/tools/{name}, and client tools that a page's
 * voice client relays over the BFF socket. The shapes are ElevenLabs' tool configuration objects
 * (`type: 'webhook'` with an `api_schema`, `type: 'client'` with `parameters` and `expects_response`).
 */
import * as z from '../../shared/zod.ts';
import { TOOL_DESCRIPTIONS, TOOL_NAMES, TOOL_PARAMS, type ToolName } from '../../shared/tools.ts';
import { TOOL_RESPONSE_TIMEOUT_SECS } from '../../shared/voice-budget.ts';

/** A property ElevenLabs accepts: a literal type plus exactly one value source. */
export interface LiteralProperty {
  type: 'string' | 'number' | 'integer' | 'boolean';
  description?: string;
  dynamic_variable?: string;
  enum?: string[];
}
export interface ObjectSchema {
  type: 'object';
  required: string[];
  properties: Record<string, LiteralProperty>;
}

/** The LLM-filled parameters of a tool, reduced to what ElevenLabs' literal properties allow. */
export function parameterSchema(name: ToolName): ObjectSchema {
  const json = z.toJSONSchema(TOOL_PARAMS[name], { io: 'input' }) as {
    properties?: Record<string, { type?: string; description?: string; enum?: string[] }>;
    required?: string[];
  };
  const properties: Record<string, LiteralProperty> = {};
  for (const [key, p] of Object.entries(json.properties ?? {})) {
    const type = p.type === 'integer' || p.type === 'number' || p.type === 'boolean' ? p.type : 'string';
    properties[key] = { type, description: p.description ?? key.replaceAll('_', ' '), ...(p.enum ? { enum: p.enum } : {}) };
  }
  return { type: 'object', required: json.required ?? [], properties };
}

export interface WebhookToolOptions {
  /** The BFF's public base URL, e.g. https://companion.shipvox.com */
  publicUrl: string;
  /** ElevenLabs workspace secret holding "Bearer <AGENT_TOOL_SECRET>". */
  secretId: string;
}

export function webhookToolConfig(name: ToolName, o: WebhookToolOptions) {
  const body = parameterSchema(name);
  body.properties.session_id = { type: 'string', dynamic_variable: 'session_id' };
  body.properties.conversation_id = { type: 'string', dynamic_variable: 'system__conversation_id' };
  body.required = [...body.required, 'session_id'];
  return {
    type: 'webhook' as const,
    name,
    description: TOOL_DESCRIPTIONS[name],
    response_timeout_secs: TOOL_RESPONSE_TIMEOUT_SECS,
    execution_mode: 'immediate' as const,
    // Business errors come back as 200 with a sentence; transport errors should be summarised.
    tool_error_handling_mode: 'summarized' as const,
    api_schema: {
      url: `${o.publicUrl.replace(/\/$/, '')}/v1/agent/tools/${name}`,
      method: 'POST' as const,
      content_type: 'application/json' as const,
      request_body_schema: body,
      request_headers: { Authorization: { secret_id: o.secretId } },
    },
  };
}

export function clientToolConfig(name: ToolName) {
  return {
    type: 'client' as const,
    name,
    description: TOOL_DESCRIPTIONS[name],
    parameters: parameterSchema(name),
    expects_response: true,
    response_timeout_secs: TOOL_RESPONSE_TIMEOUT_SECS,
    execution_mode: 'immediate' as const,
  };
}

export function allToolConfigs(o: WebhookToolOptions) {
  return {
    webhook: TOOL_NAMES.map((n) => ({ tool_config: webhookToolConfig(n, o) })),
    client: TOOL_NAMES.map((n) => ({ tool_config: clientToolConfig(n) })),
  };
}
