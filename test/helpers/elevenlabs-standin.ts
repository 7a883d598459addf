/**
 * A local stand-in for the ElevenLabs REST API (the parts we call), checking each request the way
 * the real service documents it: xi-api-key, tool_config shapes, one value source per property.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  body: any;
}

const VALUE_SOURCES = ['description', 'dynamic_variable', 'constant_value', 'is_system_provided', 'is_omitted'];

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
  app.get('/v1/convai/tools', (c) => c.json({ tools: [...tools.entries()].map(([id, tool_config]) => ({ id, tool_config })) }));
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
    return c.json({ secret_id: `sec_${nextId++}` });
  });
  app.patch('/v1/convai/agents/:id', (c) => {
    const prompt = body(c)?.conversation_config?.agent?.prompt;
    if (typeof prompt?.prompt !== 'string' || !Array.isArray(prompt.tool_ids) || 'tools' in prompt) return c.json({ detail: 'bad agent' }, 422);
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
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
