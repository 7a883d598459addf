import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { ElevenLabsApi } from '../../bff/agent/elevenlabs-api.ts';
import { BOB_PROMPT, DEFAULT_CLIENT_EVENTS, syncAgent, WIDGET_CLIENT_EVENTS } from '../../bff/agent/sync.ts';
import { allToolConfigs, parameterSchema } from '../../bff/agent/tool-configs.ts';
import type { RunningServer } from '../../bff/server.ts';
import { TOOL_NAMES } from '../../shared/tools.ts';
import { CLIENT_TOOL_GUARD_MS, LABEL_DEADLINE_MS, MAX_TOOL_DEADLINE_MS, QUOTES_DEADLINE_MS, TOOL_RESPONSE_TIMEOUT_SECS } from '../../shared/voice-budget.ts';
import { loadConfig } from '../../bff/config.ts';
import { newSession, startBff, TEST_ORIGIN } from '../helpers/bff.ts';
import { startElevenLabsStandIn, toolConfigProblems } from '../helpers/elevenlabs-standin.ts';

describe('generated ElevenLabs tool configs', () => {
  it('npm run agent:tools prints a valid webhook and client config for every tool', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/agent-tools.ts'], { env: { ...process.env, PUBLIC_URL: 'https://bff.test', ELEVENLABS_TOOL_SECRET_ID: 'sec_1' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.webhook.map((t: any) => t.tool_config.name), [...TOOL_NAMES]);
    assert.deepEqual(out.client.map((t: any) => t.tool_config.name), [...TOOL_NAMES]);
    for (const t of [...out.webhook, ...out.client]) assert.deepEqual(toolConfigProblems(t.tool_config), [], t.tool_config.name);
    const quotes = out.webhook[0].tool_config;
    assert.equal(quotes.api_schema.url, 'https://bff.test/v1/agent/tools/get_shipping_quotes');
    assert.deepEqual(quotes.api_schema.request_body_schema.properties.session_id, { type: 'string', dynamic_variable: 'session_id' });
    assert.deepEqual(quotes.api_schema.request_body_schema.properties.conversation_id, { type: 'string', dynamic_variable: 'system__conversation_id' });
    assert.deepEqual(quotes.api_schema.request_headers, { Authorization: { secret_id: 'sec_1' } });
    assert.equal(out.client[1].tool_config.expects_response, true);
    // The voice-time budget is set explicitly on every tool, from the one shared constant.
    for (const t of [...out.webhook, ...out.client]) assert.equal(t.tool_config.response_timeout_secs, TOOL_RESPONSE_TIMEOUT_SECS, t.tool_config.name);
  });

  it('one voice-time budget: the widget guard answers before ElevenLabs gives up, the BFF deadlines before the guard', () => {
    assert.ok(CLIENT_TOOL_GUARD_MS < TOOL_RESPONSE_TIMEOUT_SECS * 1000);
    const config = loadConfig({ NODE_ENV: 'test' });
    assert.equal(config.QUOTES_DEADLINE_MS, QUOTES_DEADLINE_MS);
    assert.ok(QUOTES_DEADLINE_MS <= 4000, 'Bob answers quotes within 4 s by default');
    assert.equal(config.LABEL_DEADLINE_MS, LABEL_DEADLINE_MS);
    for (const key of ['QUOTES_DEADLINE_MS', 'LABEL_DEADLINE_MS']) {
      assert.ok(loadConfig({ NODE_ENV: 'test', [key]: String(MAX_TOOL_DEADLINE_MS) }));
      assert.throws(() => loadConfig({ NODE_ENV: 'test', [key]: String(MAX_TOOL_DEADLINE_MS + 1) }), new RegExp(`${key}: must be at most ${MAX_TOOL_DEADLINE_MS}`));
    }
    assert.ok(MAX_TOOL_DEADLINE_MS < CLIENT_TOOL_GUARD_MS);
  });

  it('parameters come from the zod schemas: required fields, enums, descriptions', () => {
    const p = parameterSchema('get_shipping_quotes');
    // from_zip may be left out: the parcel then ships from the account's address.
    assert.deepEqual(p.required, ['to_zip', 'weight']);
    assert.match(p.properties.from_zip!.description ?? '', /leave it out to ship from the account's address/);
    assert.deepEqual(p.properties.weight_unit!.enum, ['lb', 'oz', 'kg']);
    assert.equal(p.properties.weight!.type, 'number');
    // Bob buys by the option number he read (quote_id stays accepted): no id he never heard is required.
    assert.deepEqual(parameterSchema('create_label').required, []);
    assert.equal(parameterSchema('create_label').properties.option!.type, 'integer');
    assert.deepEqual(parameterSchema('get_session_state').properties, {});
  });
});

describe('agent:sync and voice credentials against an ElevenLabs stand-in', () => {
  let standIn: Awaited<ReturnType<typeof startElevenLabsStandIn>>;
  let bff: RunningServer;
  before(async () => {
    standIn = await startElevenLabsStandIn();
    bff = await startBff({ env: { ELEVENLABS_API_KEY: standIn.apiKey, ELEVENLABS_AGENT_ID: 'agent_bob', ELEVENLABS_BASE_URL: standIn.url, RATE_LIMIT_HTTP_PER_MIN: '5' } });
  });
  after(async () => {
    await bff.close();
    await standIn.close();
  });

  it('creates the tools, the secret and the prompt, then updates them in place', async () => {
    const api = new ElevenLabsApi(standIn.url, standIn.apiKey);
    standIn.agents.set('agent_bob', { conversation_config: {} });
    const first = await syncAgent(api, { agentId: 'agent_bob', publicUrl: 'https://bff.test', agentToolSecret: 's'.repeat(20), mode: 'webhook' });
    assert.deepEqual(first.created, [...TOOL_NAMES]);
    const secret = standIn.requests.find((r) => r.method === 'POST' && r.path === '/v1/convai/secrets');
    assert.deepEqual(secret?.body, { type: 'new', name: 'shipvox_agent_tool_secret', value: `Bearer ${'s'.repeat(20)}` });
    const agent = standIn.requests.filter((r) => r.path === '/v1/convai/agents/agent_bob').at(-1)!;
    assert.equal(agent.body.conversation_config.agent.prompt.prompt, BOB_PROMPT);
    assert.deepEqual(agent.body.conversation_config.agent.prompt.tool_ids, first.toolIds);
    assert.match(BOB_PROMPT, /at most three\s+options/);
    assert.match(BOB_PROMPT, /get_session_state/);

    const second = await syncAgent(api, { agentId: 'agent_bob', publicUrl: 'https://bff.test', agentToolSecret: 's'.repeat(20), mode: 'webhook', secretId: first.secretId! });
    assert.deepEqual(second.updated, [...TOOL_NAMES]);
    assert.deepEqual(second.toolIds, first.toolIds);
    assert.equal(standIn.tools.size, TOOL_NAMES.length);
    void allToolConfigs;
  });

  it('follows the tool list over its pages, reuses its secret, keeps the agent\'s other tools and adds the client events the widget needs', async () => {
    const api = new ElevenLabsApi(standIn.url, standIn.apiKey);
    const agentId = 'agent_busy';
    // A workspace with 120 other tools first (Bob's come after the first page), and an agent using two of them.
    for (let i = 0; i < 120; i++) standIn.tools.set(`other_${String(i).padStart(3, '0')}`, { type: 'client', name: `other_${i}` });
    standIn.agents.set(agentId, { conversation_config: { agent: { prompt: { prompt: 'old', tool_ids: ['other_007', 'other_042'] } }, conversation: { client_events: ['audio', 'agent_response', 'vad_score'] } } });
    const secretsBefore = standIn.secrets.size;
    const first = await syncAgent(api, { agentId, publicUrl: 'https://bff.test', agentToolSecret: 'a'.repeat(20), mode: 'webhook' });
    const second = await syncAgent(api, { agentId, publicUrl: 'https://bff.test', agentToolSecret: 'b'.repeat(20), mode: 'webhook' });
    // Bob's tools were found on a later page both times: updated in place, never created twice.
    assert.deepEqual(second.created, []);
    assert.deepEqual(second.toolIds, first.toolIds);
    assert.equal([...standIn.tools.values()].filter((t) => (TOOL_NAMES as readonly string[]).includes(t.name)).length, TOOL_NAMES.length);
    assert.ok(standIn.requests.filter((r) => r.path.startsWith('/v1/convai/tools?')).some((r) => r.path.includes('cursor=')), 'a second page was read');
    // One secret, reused, carrying the current value.
    assert.equal(second.secretId, first.secretId);
    assert.equal(standIn.secrets.size, Math.max(secretsBefore, 1));
    assert.equal(standIn.secrets.get(second.secretId!)!.value, `Bearer ${'b'.repeat(20)}`);
    // The agent keeps its other tools, gets Bob's once, and the client events the widget needs on top of its own.
    const agent = standIn.agents.get(agentId)!.conversation_config;
    assert.deepEqual(agent.agent.prompt.tool_ids, ['other_007', 'other_042', ...first.toolIds]);
    assert.equal(agent.agent.prompt.prompt, BOB_PROMPT);
    assert.deepEqual(agent.conversation.client_events, ['audio', 'agent_response', 'vad_score', ...WIDGET_CLIENT_EVENTS]);
    assert.ok(agent.conversation.client_events.includes('client_tool_call'));
  });

  it("an agent without client_events gets the contract's defaults plus client_tool_call and the others the widget needs", async () => {
    const api = new ElevenLabsApi(standIn.url, standIn.apiKey);
    standIn.agents.set('agent_new', { conversation_config: {} });
    const report = await syncAgent(api, { agentId: 'agent_new', publicUrl: 'https://bff.test', agentToolSecret: 'c'.repeat(20), mode: 'client' });
    assert.equal(report.secretId, null);
    assert.deepEqual(standIn.agents.get('agent_new')!.conversation_config.conversation.client_events, [...DEFAULT_CLIENT_EVENTS, ...WIDGET_CLIENT_EVENTS]);
    assert.deepEqual(WIDGET_CLIENT_EVENTS.filter((e) => DEFAULT_CLIENT_EVENTS.includes(e)), [], 'the defaults lack what the widget needs');
  });

  it('npm run agent:sync refuses to run without its configuration and changes nothing', () => {
    const before = standIn.requests.length;
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/agent-sync.ts'], { env: { PATH: process.env.PATH, ELEVENLABS_BASE_URL: standIn.url }, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /needs ELEVENLABS_API_KEY, ELEVENLABS_AGENT_ID, PUBLIC_URL, AGENT_TOOL_SECRET/);
    assert.equal(standIn.requests.length, before);
  });

  it('GET /v1/voice/credentials: a signed URL and the session_id variable, no-store; 401 without the session token', async () => {
    const s = await newSession(bff);
    const res = await fetch(`${bff.url}/v1/voice/credentials`, { headers: { authorization: `Bearer ${s.resume_token}`, origin: TEST_ORIGIN } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const json = (await res.json()) as any;
    assert.match(json.signed_url, /^wss:\/\/api\.elevenlabs\.io\/v1\/convai\/conversation\?agent_id=agent_bob&conversation_signature=/);
    assert.deepEqual(json.dynamic_variables, { session_id: s.session_id });
    const minted = standIn.requests.filter((r) => r.path.startsWith('/v1/convai/conversation/get-signed-url')).at(-1)!;
    assert.equal(minted.path, '/v1/convai/conversation/get-signed-url?agent_id=agent_bob');

    const webrtc = (await (await fetch(`${bff.url}/v1/voice/credentials?mode=webrtc`, { headers: { authorization: `Bearer ${s.resume_token}` } })).json()) as any;
    assert.match(webrtc.conversation_token, /^jwt_agent_bob_/);
    const none = await fetch(`${bff.url}/v1/voice/credentials`);
    assert.equal(none.status, 401);
    await none.arrayBuffer();
    const foreign = await fetch(`${bff.url}/v1/voice/credentials`, { headers: { authorization: `Bearer ${s.resume_token}`, origin: 'http://evil.test' } });
    assert.equal(foreign.status, 403);
    await foreign.arrayBuffer();
    // Rate limited per IP (5 a minute in this test).
    let limited: Response | undefined;
    for (let i = 0; i < 6 && !limited; i++) {
      const r = await fetch(`${bff.url}/v1/voice/credentials`, { headers: { authorization: `Bearer ${s.resume_token}` } });
      await r.arrayBuffer();
      if (r.status === 429) limited = r;
    }
    assert.ok(limited && Number(limited.headers.get('retry-after')) >= 1);
  });

  it('answers 503 when voice is not configured', async () => {
    const plain = await startBff();
    try {
      const s = await newSession(plain);
      const res = await fetch(`${plain.url}/v1/voice/credentials`, { headers: { authorization: `Bearer ${s.resume_token}` } });
      assert.equal(res.status, 503);
      assert.equal(((await res.json()) as any).error.code, 'unavailable');
    } finally {
      await plain.close();
    }
  });
});
