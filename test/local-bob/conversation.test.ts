/**
 * The local Bob over real sockets: credentials hand out its signed URL, a client speaking ElevenLabs'
 * conversation protocol (as @elevenlabs/client does) types the seed's conversation, each tool call
 * Bob makes is run through the BFF's session socket as the widget runs it, and Bob answers with the
 * tools' own sentences. Also: the transcript line the widget logs is masked; the config's defaults.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { loadConfig } from '../../bff/config.ts';
import { LOCAL_BOB_PATH } from '../../bff/local-bob/server.ts';
import { FIRST_MESSAGE } from '../../bff/local-bob/bob.ts';
import type { ServerFrame } from '../../shared/protocol.ts';
import { newSession, startBff, TEST_ORIGIN, TestClient } from '../helpers/bff.ts';

type Frame = { type: string; [k: string]: any };

/** The widget's half: a convai socket to Bob; every client_tool_call is run through the session socket. */
async function converse(url: string, session: TestClient) {
  const ws = new WebSocket(url, ['convai'], { origin: TEST_ORIGIN });
  const frames: Frame[] = [];
  let waiters: Array<() => void> = [];
  let closed: number | null = null;
  ws.on('message', async (data) => {
    const frame = JSON.parse(String(data)) as Frame;
    frames.push(frame);
    for (const w of waiters.splice(0)) w();
    if (frame.type === 'client_tool_call') {
      const { tool_call_id, tool_name, parameters } = frame.client_tool_call;
      const id = `w_${tool_call_id}`;
      session.send({ type: 'client_tool_call', tool_call_id: id, tool_name, parameters });
      const result = await session.waitFor<Extract<ServerFrame, { type: 'client_tool_result' }>>((f) => f.type === 'client_tool_result' && f.tool_call_id === id);
      ws.send(JSON.stringify({ type: 'client_tool_result', tool_call_id, result: result.result, is_error: result.is_error }));
    }
  });
  ws.on('close', (code) => {
    closed = code;
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = async (pred: (f: Frame) => boolean, from: number): Promise<Frame> => {
    for (;;) {
      const hit = frames.slice(from).find(pred);
      if (hit) return hit;
      if (closed !== null) throw new Error(`closed ${closed}`);
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return {
    ws,
    frames,
    closedCode: () => closed,
    send: (f: Frame) => ws.send(JSON.stringify(f)),
    /** Types a line; resolves with Bob's whole answer (agent_response) and the tool calls he made for it. */
    async say(text: string) {
      const from = frames.length;
      ws.send(JSON.stringify({ type: 'user_message', text }));
      const answer = await next((f) => f.type === 'agent_response', from);
      const turn = frames.slice(from, frames.indexOf(answer) + 1);
      return { text: answer.agent_response_event.agent_response as string, tools: turn.filter((f) => f.type === 'client_tool_call').map((f) => f.client_tool_call), turn };
    },
    next,
  };
}

test('typed conversation with the local Bob: quotes, option 2, the recipient, the summary read back, yes → the label; where is my parcel; where are we', { timeout: 30_000 }, async (t) => {
  const bff = await startBff({ env: { LOCAL_BOB: 'true' }, localBob: { wordMs: 0 } });
  t.after(() => bff.close());
  const s = await newSession(bff);
  const session = await TestClient.join(bff, s, 'voice');
  t.after(() => session.close());

  const res = await fetch(`${bff.url}/v1/voice/credentials`, { headers: { authorization: `Bearer ${s.resume_token}`, origin: TEST_ORIGIN } });
  assert.equal(res.status, 200);
  const creds = (await res.json()) as { signed_url: string; local: boolean; text_only: boolean; agent_id: string; dynamic_variables: Record<string, string> };
  assert.equal(creds.local, true);
  assert.equal(creds.text_only, true);
  assert.equal(new URL(creds.signed_url).pathname, LOCAL_BOB_PATH);
  assert.deepEqual(creds.dynamic_variables, { session_id: s.session_id });

  const bob = await converse(`${creds.signed_url}&source=js_sdk&version=test`, session);
  t.after(() => bob.ws.close());
  bob.send({ type: 'conversation_initiation_client_data', dynamic_variables: creds.dynamic_variables, conversation_config_override: { conversation: { text_only: true } } });
  const metadata = await bob.next((f) => f.type === 'conversation_initiation_metadata', 0);
  assert.match(metadata.conversation_initiation_metadata_event.conversation_id, /^conv_local_/);
  const greeting = await bob.next((f) => f.type === 'agent_response', 0);
  assert.equal(greeting.agent_response_event.agent_response, FIRST_MESSAGE);
  // Streamed as a text conversation streams: start, one delta per word, stop, then the whole turn.
  const parts = bob.frames.slice(0, bob.frames.indexOf(greeting)).filter((f) => f.type === 'agent_chat_response_part').map((f) => f.text_response_part);
  assert.equal(parts[0].type, 'start');
  assert.equal(parts.at(-1).type, 'stop');
  assert.equal(parts.filter((p: any) => p.type === 'delta').map((p: any) => p.text).join(''), FIRST_MESSAGE);

  const quotes = await bob.say('2 pounds from 10001 to 94105');
  assert.deepEqual(quotes.tools.map((c) => [c.tool_name, c.parameters]), [['get_shipping_quotes', { from_zip: '10001', to_zip: '94105', weight: 2, weight_unit: 'lb' }]]);
  const result = session.events().find((e) => e.type === 'client_tool_result' && e.tool_name === 'get_shipping_quotes') as Extract<ServerFrame, { type: 'client_tool_result' }>;
  assert.equal(quotes.text, result.result, 'Bob reads the tool\'s own sentence');
  assert.match(quotes.text, /Option 1/);
  // agent_tool_request before the call, agent_tool_response after the result, as the service does.
  assert.deepEqual(quotes.turn.map((f) => f.type).filter((x) => x.startsWith('agent_tool') || x === 'client_tool_call'), ['agent_tool_request', 'client_tool_call', 'agent_tool_response']);

  // Choosing never buys: Bob selects it and asks for what the label still needs, the recipient.
  const option = await bob.say('option 2');
  assert.deepEqual(option.tools.map((c) => [c.tool_name, c.parameters]), [['create_label', { option: 2 }]]);
  assert.match(option.text, /^Before I can buy option 2, .+ I need the recipient's name and address\.$/);
  assert.equal((await bff.companion.services.sessions.state(s.session_id)).selected_quote_id, (await bff.companion.services.sessions.state(s.session_id)).quotes!.quotes[1]!.quote_id);

  // An address without a name: Bob asks who it is for; the name alone completes it.
  const nameless = await bob.say('1 Market St, San Francisco, CA 94105');
  assert.deepEqual(nameless.tools, []);
  assert.match(nameless.text, /Who is it for\?/);
  const named = await bob.say('Jane Doe');
  assert.deepEqual(named.tools.map((c) => c.tool_name), ['set_recipient_address', 'create_label']);
  assert.deepEqual(named.tools[0].parameters, { street: '1 Market St', city: 'San Francisco', state: 'CA', zip: '94105', name: 'Jane Doe' });
  assert.deepEqual(named.tools[1].parameters, { option: 2 });
  // The check and the summary, read back as the screen shows them (not the tool's instruction to the agent).
  assert.match(named.text, /^The recipient is Jane Doe, 1 Market St, San Francisco, CA 94105, .+ please confirm: option 2, .+, to Jane Doe, 1 Market St, San Francisco, CA 94105\. Shall I buy it\?$/);
  assert.equal((await bff.companion.services.sessions.state(s.session_id)).label, null, 'nothing bought before the yes');

  const yes = await bob.say('yes');
  assert.deepEqual(yes.tools.map((c) => [c.tool_name, c.parameters]), [['create_label', { option: 2, confirmed: true }]]);
  assert.match(yes.text, /Label created/);
  const label = await session.waitFor<Extract<ServerFrame, { type: 'label_created' }>>((f) => f.type === 'label_created');
  const state = await bff.companion.services.sessions.state(s.session_id);
  assert.equal(state.quotes!.quotes.find((q) => q.option === 2)!.quote_id, label.label.quote_id);

  const parcel = await bob.say('where is my parcel?');
  assert.deepEqual(parcel.tools.map((c) => c.tool_name), ['track_parcel']);
  assert.match(parcel.text, /^The parcel is /);

  const where = await bob.say('where are we?');
  assert.deepEqual(where.tools.map((c) => c.tool_name), ['get_session_state']);
  assert.match(where.text, /label is ready/);

  const unknown = await bob.say('tell me a joke');
  assert.deepEqual(unknown.tools, []);
  assert.match(unknown.text, /ZIP codes and the weight/);
});

test('the cheapest; a missing ZIP is asked for; no quotes yet; a bad signature is refused 1008', { timeout: 30_000 }, async (t) => {
  const bff = await startBff({ env: { LOCAL_BOB: 'true' }, localBob: { wordMs: 0 } });
  t.after(() => bff.close());
  const s = await newSession(bff);
  const session = await TestClient.join(bff, s, 'voice');
  t.after(() => session.close());
  const creds = (await (await fetch(`${bff.url}/v1/voice/credentials`, { headers: { authorization: `Bearer ${s.resume_token}`, origin: TEST_ORIGIN } })).json()) as { signed_url: string };
  const bob = await converse(creds.signed_url, session);
  t.after(() => bob.ws.close());
  bob.send({ type: 'conversation_initiation_client_data' });
  await bob.next((f) => f.type === 'agent_response', 0);

  assert.match((await bob.say('the cheapest')).text, /get prices first/);
  const ask = await bob.say('3 lb from 60601');
  assert.deepEqual(ask.tools, []);
  assert.match(ask.text, /I still need the ZIP code it goes to/);
  const quotes = await bob.say('to 30301');
  assert.deepEqual(quotes.tools[0].parameters, { from_zip: '60601', to_zip: '30301', weight: 3, weight_unit: 'lb' });
  const cheapest = await bob.say('the cheapest one please');
  const state = await bff.companion.services.sessions.state(s.session_id);
  const min = state.quotes!.quotes.reduce((a, b) => (b.price_cents < a.price_cents ? b : a));
  assert.match(cheapest.text, new RegExp(`^Before I can buy option ${min.option}, `));
  assert.equal(state.selected_quote_id, min.quote_id);
  assert.match((await bob.say('no')).text, /nothing was bought\. Which option would you like/);

  // A used signature (single use) and a forged one: the service's 1008.
  const reused = new WebSocket(creds.signed_url, ['convai'], { origin: TEST_ORIGIN });
  const code = await new Promise<number>((r) => reused.on('close', (c) => r(c)));
  assert.equal(code, 1008);
  const forged = new WebSocket(creds.signed_url.replace(/conversation_signature=[^&]+/, 'conversation_signature=v1.x.y'), ['convai'], { origin: TEST_ORIGIN });
  assert.equal(await new Promise<number>((r) => forged.on('close', (c) => r(c))), 1008);
});

test('a transcript line is logged masked and kept in the session state, in order with tool calls; a correction replaces it', { timeout: 20_000 }, async (t) => {
  const bff = await startBff();
  t.after(() => bff.close());
  const s = await newSession(bff);
  const ui = await TestClient.join(bff, s, 'ui');
  t.after(() => ui.close());
  ui.send({ type: 'ui_action', action: 'transcript', client_msg_id: 'm1', line_id: 'u1', role: 'user', text: 'Label to ana.lopez@example.com, 350 5th Ave, New York' });
  await ui.waitFor((f) => f.type === 'ack' && f.client_msg_id === 'm1');
  const line = await ui.waitFor<Extract<ServerFrame, { type: 'transcript_line' }>>((f) => f.type === 'transcript_line');
  assert.equal(line.text, 'Label to a******@example.com, [street address], New York');
  ui.send({ type: 'client_tool_call', tool_call_id: 'tc1', tool_name: 'get_session_state', parameters: {} });
  await ui.waitFor((f) => f.type === 'client_tool_result');
  ui.send({ type: 'ui_action', action: 'transcript', client_msg_id: 'm2', line_id: 'a1', role: 'agent', text: 'Nothing has happened yet, and the rest' });
  ui.send({ type: 'ui_action', action: 'transcript', client_msg_id: 'm3', line_id: 'a1', role: 'agent', text: 'Nothing has happened' });
  await ui.waitFor((f) => f.type === 'ack' && f.client_msg_id === 'm3');
  const state = await bff.companion.services.sessions.state(s.session_id);
  assert.deepEqual(
    state.transcript!.map((l) => [l.role, l.text, l.status]),
    [
      ['user', 'Label to a******@example.com, [street address], New York', undefined],
      ['tool', 'get_session_state', 'done'],
      ['agent', 'Nothing has happened', undefined],
    ],
  );
  // Bad input: an empty line is refused and logs nothing.
  const before = state.seq;
  ui.send({ type: 'ui_action', action: 'transcript', client_msg_id: 'm4', line_id: 'u2', role: 'user', text: '' });
  const error = await ui.waitFor<Extract<ServerFrame, { type: 'error' }>>((f) => f.type === 'error');
  assert.equal(error.code, 'invalid_params');
  assert.equal((await bff.companion.services.sessions.state(s.session_id)).seq, before);
});

test('config: the local Bob is on in development without ELEVENLABS_*, off with them, off in production and tests unless asked for', () => {
  const prod = {
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://companion.shop.example',
    SECRET_KEY: 'sk_live_9f2c4e7a1b3d5f60',
    SIGNING_SECRET: 'sig_4a7c1e9b2d5f8a0c3e6b9d2f5a8c1e4b',
    AGENT_TOOL_SECRET: 'agent_7d1f3b5e9a2c4e6f',
    ADMIN_TOKEN: 'admin_2e4c6a8f1b3d5e7a',
    PUBLISHABLE_KEYS: '{"pk_live_123456":["https://shop.example"]}',
  };
  assert.equal(loadConfig({ NODE_ENV: 'development', STORE: 'memory' }).LOCAL_BOB, true);
  assert.equal(loadConfig({ NODE_ENV: 'development', STORE: 'memory', ELEVENLABS_API_KEY: 'k', ELEVENLABS_AGENT_ID: 'a' }).LOCAL_BOB, false);
  assert.equal(loadConfig({ NODE_ENV: 'test' }).LOCAL_BOB, false);
  assert.equal(loadConfig(prod).LOCAL_BOB, false);
  assert.equal(loadConfig({ ...prod, LOCAL_BOB: 'true' }).LOCAL_BOB, true);
  assert.throws(() => loadConfig({ NODE_ENV: 'test', LOCAL_BOB: 'maybe' }), /LOCAL_BOB/);
});
