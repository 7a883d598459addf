/**
 * A local stand-in for the ElevenLabs REST API (the parts we call), checking each request the way
 * the real service documents it: xi-api-key, tool_config shapes, one value source per property.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { ConversationConfigOverrideConversationClientEventsItem as ClientEvent } from '@elevenlabs/types';

export interface Recorded {
  method: string;
  path: string;
  body: any;
}

const VALUE_SOURCES = ['description', 'dynamic_variable', 'constant_value', 'is_system_provided', 'is_omitted'];

/** Every client event the contract names (@elevenlabs/types; tsc fails when one is missing or unknown): an agent refuses any other. */
const EVENTS = { audio: 1, agent_response: 1, agent_response_correction: 1, agent_chat_response_part: 1, agent_reasoning_response_part: 1, interruption: 1, user_transcript: 1, tentative_user_transcript: 1, conversation_initiation_metadata: 1, client_tool_call: 1, rich_content: 1, agent_tool_request: 1, agent_tool_response: 1, agent_tool_response_full_payload: 1, mcp_tool_call: 1, mcp_connection_status: 1, vad_score: 1, ping: 1, context_usage: 1, asr_initiation_metadata: 1, guardrail_triggered: 1, internal_turn_probability: 1, internal_tentative_agent_response: 1, agent_typing: 1, external_agent_connected: 1, external_agent_disconnected: 1 } satisfies Record<ClientEvent, 1>;
const CLIENT_EVENTS = Object.keys(EVENTS);

/** Problems with a tool_config, as the real API would refuse it (empty when fine). */
export function toolConfigProblems(cfg: any): string[] {
  const problems: string[] = [];
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(cfg?.name ?? '')) problems.push('name');
  const props = cfg.type === 'client' ? cfg.parameters : cfg.api_schema?.request_body_schema;
  if (props?.type !== 'object') problems.push('schema type');
  for (const [k, p] of Object.entries<any>(props?.properties ?? {})) {
    if (!['string', 'integer', 'number', 'boolean'].includes(p.type)) problems.push(`${k}: type`);
    const sources = VALUE_SOURCES.filter((s) => p[s] !== undefined);
    if (sources.length !== 1) problems.push(`${k}: ${sources.length} value sources`);
  }
  for (const r of props?.required ?? []) if (!(r in (props?.properties ?? {}))) problems.push(`required ${r} missing`);
  if (cfg.type === 'client' && cfg.expects_response !== true) problems.push('expects_response');
  if (cfg.type === 'webhook') {
    if (!/^https?:\/\/.+\/v1\/agent\/tools\/[a-z_]+$/.test(cfg.api_schema?.url ?? '')) problems.push('url');
    if (cfg.api_schema?.method !== 'POST') problems.push('method');
    if (!cfg.api_schema?.request_headers?.Authorization?.secret_id) problems.push('Authorization secret_id');
    if (cfg.response_timeout_secs < 5 || cfg.response_timeout_secs > 120) problems.push('timeout');
  } else if (cfg.response_timeout_secs < 1 || cfg.response_timeout_secs > 120) problems.push('timeout');
  return problems;
}

export interface StandInOptions {
  /**
   * Base of the signed URLs get-signed-url returns (default the real
   * `wss://api.elevenlabs.io/v1/convai/conversation`); point it at a conversation stand-in
   * (test/helpers/convai-standin.ts) to run real conversations locally.
   */
  signedUrlBase?: string;
}

export async function startElevenLabsStandIn(apiKey = 'xi_test_key', opts: StandInOptions = {}) {
  const signedUrlBase = opts.signedUrlBase ?? 'wss://api.elevenlabs.io/v1/convai/conversation';
  const requests: Recorded[] = [];
  const tools = new Map<string, any>();
  const secrets = new Map<string, { name: string; value: string }>();
  /** Agents by id; seed one with `agents.set(id, { conversation_config: … })`. */
  const agents = new Map<string, { conversation_config: any }>();
  let nextId = 1;
  const app = new Hono();
  app.use('*', async (c, next) => {
    const body = ['POST', 'PATCH'].includes(c.req.method) ? await c.req.json().catch(() => null) : undefined;
    requests.push({ method: c.req.method, path: new URL(c.req.url).pathname + new URL(c.req.url).search, body });
    if (c.req.header('xi-api-key') !== apiKey) return c.json({ detail: { status: 'invalid_api_key' } }, 401);
    c.set('body' as never, body as never);
    await next();
  });
  const body = (c: any) => requests.at(-1)!.body;
  app.get('/v1/convai/conversation/get-signed-url', (c) =>
    c.json({ signed_url: `${signedUrlBase}?agent_id=${c.req.query('agent_id')}&conversation_signature=sig_${nextId++}` }),
  );
  app.get('/v1/convai/conversation/token', (c) => c.json({ token: `jwt_${c.req.query('agent_id')}_${nextId++}` }));
  // Pages as the real list does: page_size (default 30, at most 100), cursor → has_more, next_cursor.
  app.get('/v1/convai/tools', (c) => {
    const size = Math.min(Number(c.req.query('page_size') ?? 30) || 30, 100);
    const all = [...tools.entries()];
    const from = c.req.query('cursor') ? all.findIndex(([id]) => id === c.req.query('cursor')) : 0;
    if (from < 0) return c.json({ detail: 'bad cursor' }, 422);
    const page = all.slice(from, from + size);
    const next = all[from + size]?.[0] ?? null;
    return c.json({ tools: page.map(([id, tool_config]) => ({ id, tool_config })), has_more: next !== null, next_cursor: next });
  });
  app.post('/v1/convai/tools', (c) => {
    const cfg = body(c)?.tool_config;
    const problems = toolConfigProblems(cfg);
    if (problems.length) return c.json({ detail: problems }, 422);
    const id = `tool_${nextId++}`;
    tools.set(id, cfg);
    return c.json({ id, tool_config: cfg });
  });
  app.patch('/v1/convai/tools/:id', (c) => {
    if (!tools.has(c.req.param('id'))) return c.json({ detail: 'not found' }, 404);
    const cfg = body(c)?.tool_config;
    const problems = toolConfigProblems(cfg);
    if (problems.length) return c.json({ detail: problems }, 422);
    tools.set(c.req.param('id'), cfg);
    return c.json({ id: c.req.param('id'), tool_config: cfg });
  });
  app.post('/v1/convai/secrets', (c) => {
    const b = body(c);
    if (b?.type !== 'new' || !b.name || !b.value) return c.json({ detail: 'bad secret' }, 422);
    const secret_id = `sec_${nextId++}`;
    secrets.set(secret_id, { name: b.name, value: b.value });
    return c.json({ secret_id });
  });
  app.get('/v1/convai/secrets', (c) => c.json({ secrets: [...secrets.entries()].map(([secret_id, { name }]) => ({ secret_id, name, type: 'stored' })) }));
  app.patch('/v1/convai/secrets/:id', (c) => {
    const b = body(c);
    if (!secrets.has(c.req.param('id'))) return c.json({ detail: 'not found' }, 404);
    if (b?.type !== 'update' || !b.name || !b.value) return c.json({ detail: 'bad secret' }, 422);
    secrets.set(c.req.param('id'), { name: b.name, value: b.value });
    return c.json({ secret_id: c.req.param('id') });
  });
  app.get('/v1/convai/agents/:id', (c) => {
    const agent = agents.get(c.req.param('id'));
    return agent ? c.json({ agent_id: c.req.param('id'), ...agent }) : c.json({ detail: 'not found' }, 404);
  });
  // A PATCH merges into the agent as the real API does (only the fields sent change).
  app.patch('/v1/convai/agents/:id', (c) => {
    const cc = body(c)?.conversation_config;
    const prompt = cc?.agent?.prompt;
    if (typeof prompt?.prompt !== 'string' || !Array.isArray(prompt.tool_ids) || 'tools' in prompt) return c.json({ detail: 'bad agent' }, 422);
    const events = cc?.conversation?.client_events;
    if (events !== undefined && !(Array.isArray(events) && events.every((e: unknown) => typeof e === 'string' && CLIENT_EVENTS.includes(e as never)))) {
      return c.json({ detail: 'bad client_events' }, 422);
    }
    const agent = agents.get(c.req.param('id')) ?? { conversation_config: {} };
    const old = agent.conversation_config;
    agent.conversation_config = {
      ...old,
      agent: { ...old.agent, prompt: { ...old.agent?.prompt, ...prompt } },
      ...(events ? { conversation: { ...old.conversation, client_events: events } } : {}),
    };
    agents.set(c.req.param('id'), agent);
    return c.json({ agent_id: c.req.param('id') });
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiKey,
    requests,
    tools,
    secrets,
    agents,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
