import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../bff/server.ts';
import { FakeClock, newSession, QUOTE_PARAMS, startBff, TestClient, webhook } from '../helpers/bff.ts';

describe('one session, many clients', () => {
  let bff: RunningServer;
  before(async () => (bff = await startBff({ now: new FakeClock().now })));
  after(() => bff.close());

  it('two UI clients and one voice client get the same events in the same order; another session gets none', async () => {
    const s = await newSession(bff);
    const other = await newSession(bff);
    const ui1 = await TestClient.join(bff, s, 'ui');
    const ui2 = await TestClient.join(bff, s, 'ui');
    const voice = await TestClient.join(bff, s, 'voice');
    const stranger = await TestClient.join(bff, other, 'ui');

    voice.send({ type: 'client_tool_call', tool_call_id: 'call-1', tool_name: 'get_shipping_quotes', parameters: QUOTE_PARAMS });
    const result = await voice.waitFor((f) => f.type === 'client_tool_result' && f.tool_call_id === 'call-1');
    for (const c of [ui1, ui2]) await c.waitFor((f) => f.type === 'client_tool_result' && f.tool_call_id === 'call-1');

    const seqs = (c: TestClient) => c.events().map((e) => `${e.seq}:${e.type}`);
    assert.deepEqual(seqs(ui1), seqs(voice));
    assert.deepEqual(seqs(ui2), seqs(voice));
    const types = voice.events().map((e) => e.type).filter((t) => t !== 'tool_call_progress');
    assert.deepEqual(types, ['tool_call_started', 'quotes_ready', 'client_tool_result']);
    assert.deepEqual(voice.events().map((e) => e.seq), voice.events().map((_, i) => i + 1));
    assert.equal(typeof (result as { result: unknown }).result, 'string');

    // The stranger's session is untouched: only its own welcome and snapshot.
    stranger.send({ type: 'ping', id: 'p' });
    await stranger.waitFor((f) => f.type === 'pong');
    assert.deepEqual(stranger.frames.map((f) => f.type), ['welcome', 'snapshot', 'pong']);
    for (const c of [ui1, ui2, voice, stranger]) c.close();
  });

  it('webhook and frame paths give identical results for the same inputs', async () => {
    const a = await newSession(bff);
    const b = await newSession(bff);
    const viaHook = await webhook(bff, 'get_shipping_quotes', { session_id: a.session_id, ...QUOTE_PARAMS });
    const voice = await TestClient.join(bff, b, 'voice');
    voice.send({ type: 'client_tool_call', tool_call_id: 'c1', tool_name: 'get_shipping_quotes', parameters: QUOTE_PARAMS });
    const viaFrame = await voice.waitFor<any>((f) => f.type === 'client_tool_result');
    assert.equal(viaHook.status, 200);
    const strip = (s: string) => s.replace(/q\d+-/g, 'q#-');
    assert.equal(strip(viaHook.json.result), strip(viaFrame.result));
    assert.equal(viaHook.json.options.length, 3);
    assert.deepEqual(
      viaHook.json.options.map((o: any) => ({ ...o, quote_id: undefined })),
      viaFrame.data.quotes.slice(0, 3).map((q: any) => ({ option: q.option, carrier: q.carrier, service: q.service, quote_id: undefined, price: expect$(q.price_cents), arrives: viaHook.json.options[q.option - 1].arrives })),
    );
    // Same data apart from ids: the screen's quotes match what Bob was told.
    const logA = await (await fetch(`${bff.url}/v1/admin/sessions/${a.session_id}/log`, { headers: { authorization: `Bearer ${bff.config.ADMIN_TOKEN}` } })).json() as any;
    const resultA = logA.events.find((e: any) => e.type === 'client_tool_result');
    const noIds = (d: any) => JSON.parse(JSON.stringify(d).replace(/"(quote_id|rate_id|request_id)":"[^"]*"/g, '"$1":"#"'));
    assert.deepEqual(noIds(resultA.data), noIds(viaFrame.data));
    assert.equal(resultA.result.replace(/q\d+-/g, 'q#-'), strip(viaFrame.result));
    voice.close();
  });

  it('a repeated tool_call_id never runs twice and is answered once: the original result, to a socket that does not have it yet', async () => {
    const s = await newSession(bff);
    const voice = await TestClient.join(bff, s, 'voice');
    const call = { type: 'client_tool_call', tool_call_id: 'dup-1', tool_name: 'get_shipping_quotes', parameters: QUOTE_PARAMS };
    const results = (c: TestClient, id: string) => c.frames.filter((f) => f.type === 'client_tool_result' && (f as any).tool_call_id === id);
    const check = async (c: TestClient, id: string) => {
      c.send({ type: 'client_tool_call', tool_call_id: id, tool_name: 'get_session_state', parameters: {} });
      await c.waitFor((f) => f.type === 'client_tool_result' && (f as any).tool_call_id === id);
    };
    voice.send(call);
    voice.send(call);
    const first = await voice.waitFor<any>((f) => f.type === 'client_tool_result');
    voice.send(call); // after completion too
    await check(voice, 'dup-check-1');
    assert.equal(results(voice, 'dup-1').length, 1, 'this socket got the result once');
    const started = voice.events().filter((e) => e.type === 'tool_call_started' && (e as any).tool_call_id === 'dup-1');
    assert.equal(started.length, 1);
    // Another socket of the session, caught up by a snapshot: its repeat gets the original frame.
    const other = await TestClient.join(bff, s, 'voice');
    other.send(call);
    assert.deepEqual(await other.waitFor<any>((f) => f.type === 'client_tool_result' && (f as any).tool_call_id === 'dup-1'), first);
    voice.close();
    other.close();
  });

  it('a malformed or unknown frame gets an error frame and changes nothing', async () => {
    const s = await newSession(bff);
    const c = await TestClient.join(bff, s, 'ui');
    const bad: Array<[unknown, string]> = [
      ['{oops', 'bad_frame'],
      ['[1,2]', 'bad_frame'],
      [{ type: 'teleport' }, 'unknown_type'],
      [{ type: 'client_tool_call', tool_call_id: 'bad id!', tool_name: 'x', parameters: {} }, 'invalid_params'],
      [{ type: 'ui_action', action: 'select_quote', client_msg_id: 'm1' }, 'invalid_params'],
      [{ type: 'hello', role: 'ui' }, 'bad_frame'],
      [{ type: 'resync', last_seq: -1 }, 'invalid_params'],
      [{ type: 'ping', id: 'x'.repeat(65) }, 'invalid_params'],
    ];
    for (const [frame, code] of bad) {
      const from = c.frames.length;
      c.send(frame);
      const err = await c.waitFor<any>((f) => f.type === 'error', from);
      assert.equal(err.code, code, JSON.stringify(frame));
    }
    const from = c.frames.length;
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    const err = await c.waitFor<any>((f) => f.type === 'error', from);
    assert.equal(err.code, 'bad_frame');
    c.send({ type: 'ping', id: 'still-alive' });
    await c.waitFor((f) => f.type === 'pong');
    assert.equal(c.events().length, 0);
    const state = await bff.companion.services.sessions.state(s.session_id);
    assert.equal(state.seq, 0);
    c.close();
  });

  it('an unknown tool over a frame is answered with is_error and a sentence Bob can say', async () => {
    const s = await newSession(bff);
    const voice = await TestClient.join(bff, s, 'voice');
    voice.send({ type: 'client_tool_call', tool_call_id: 'u1', tool_name: 'launch_rocket', parameters: {} });
    const r = await voice.waitFor<any>((f) => f.type === 'client_tool_result');
    assert.equal(r.is_error, true);
    assert.equal(r.data.code, 'unknown_tool');
    assert.match(r.result, /get quotes/);
    voice.close();
  });
});

function expect$(cents: number) {
  return `$${(cents / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}
