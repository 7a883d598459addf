/**
 * Call bindings (bff/sessions/call-bindings.ts): the id a widget's voice call carries as session_id
 * before the widget has its session. The exchange binds it; a webhook naming it runs on that
 * session, or answers a speakable error while no exchange has named it yet; another session
 * cannot take it; it lasts where the session does (a restart on sqlite, a second instance on Redis).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { newCallBinding } from '../../shared/call-binding.ts';
import { CreateSessionRequest } from '../../shared/protocol.ts';
import { exchange, QUOTE_PARAMS, startBff, TestClient, webhook } from '../helpers/bff.ts';
import { RedisServer, redisAvailable } from '../helpers/redis.ts';

describe('call bindings', () => {
  it('an early webhook call is a speakable error; once the exchange names the binding, the call runs on its session', async (t) => {
    const bff = await startBff();
    t.after(() => bff.close());
    const binding = newCallBinding();
    const early = await webhook(bff, 'get_session_state', { session_id: binding });
    assert.equal(early.status, 200);
    assert.deepEqual([early.json.error, early.json.is_error], ['session_not_ready', true]);
    assert.match(early.json.result, /still connecting/);

    const made = await exchange(bff, { publishable_key: 'pk_test_shop', call_binding: binding });
    assert.equal(made.status, 201);
    const ui = await TestClient.join(bff, made.json, 'ui');
    const quotes = await webhook(bff, 'get_shipping_quotes', { session_id: binding, tool_call_id: 'tc_early_1', ...QUOTE_PARAMS });
    assert.notEqual(quotes.json.is_error, true, quotes.json.result);
    await ui.waitFor((f) => f.type === 'client_tool_result' && (f as { tool_call_id: string }).tool_call_id === 'tc_early_1');
    assert.match(quotes.json.result, /I found \d+ options/);
    assert.ok((await bff.companion.services.sessions.state(made.json.session_id)).quotes, 'the quotes are in the bound session');
    ui.close();
  });

  it('no empty or unknown id reaches a session; a malformed binding is a typed 400', async (t) => {
    const bff = await startBff();
    t.after(() => bff.close());
    for (const session_id of ['', 'ses_nope']) {
      const r = await webhook(bff, 'get_session_state', { session_id });
      assert.deepEqual([r.json.error, r.json.is_error], ['unknown_session', true]);
    }
    const bad = await exchange(bff, { publishable_key: 'pk_test_shop', call_binding: 'cb_short' });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error.message, /call_binding/);
    assert.equal(CreateSessionRequest.safeParse({ call_binding: newCallBinding() }).success, true);
  });

  it('another session cannot take a live binding (409, no session made); the same session renews it; a gone session frees it', async (t) => {
    const bff = await startBff();
    t.after(() => bff.close());
    const binding = newCallBinding();
    const mine = await exchange(bff, { publishable_key: 'pk_test_shop', call_binding: binding });
    const before = (await bff.companion.services.sessions.storedSessionIds()).length;
    const thief = await exchange(bff, { publishable_key: 'pk_test_shop', call_binding: binding });
    assert.equal(thief.status, 409);
    assert.equal(thief.json.error.code, 'conflict');
    assert.equal((await bff.companion.services.sessions.storedSessionIds()).length, before, 'the refused exchange made no session');
    // Another session's resume token naming it: refused too.
    const other = await exchange(bff, { publishable_key: 'pk_test_shop' });
    assert.equal((await exchange(bff, { resume_token: other.json.resume_token, call_binding: binding })).status, 409);
    const renewed = await exchange(bff, { resume_token: mine.json.resume_token, call_binding: binding });
    assert.equal(renewed.status, 201);
    const r = await webhook(bff, 'get_session_state', { session_id: binding });
    assert.notEqual(r.json.is_error, true, r.json.result);
    assert.match(r.json.result, /.+/);

    // The session is gone (its lifetime passed): a new session of that widget takes the binding over.
    await bff.companion.services.sessions.putRecord(`call-binding:${binding}`, 'ses_gone');
    const replaced = await exchange(bff, { publishable_key: 'pk_test_shop', call_binding: binding });
    assert.equal(replaced.status, 201);
    const ui = await TestClient.join(bff, replaced.json, 'ui');
    await webhook(bff, 'get_shipping_quotes', { session_id: binding, tool_call_id: 'tc_new_home', ...QUOTE_PARAMS });
    await ui.waitFor((f) => f.type === 'client_tool_result' && (f as { tool_call_id: string }).tool_call_id === 'tc_new_home');
    ui.close();
  });

  it('outlives a BFF restart on the sqlite store', async () => {
    const env = { STORE: 'sqlite', DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-binding-')), SIGNING_SECRET: 'x'.repeat(40) };
    const binding = newCallBinding();
    const first = await startBff({ env });
    const made = await exchange(first, { publishable_key: 'pk_test_shop', call_binding: binding });
    await first.close();
    const second = await startBff({ env });
    try {
      const r = await webhook(second, 'get_shipping_quotes', { session_id: binding, ...QUOTE_PARAMS });
      assert.notEqual(r.json.is_error, true, r.json.result);
      assert.ok((await second.companion.services.sessions.state(made.json.session_id)).quotes);
    } finally {
      await second.close();
    }
  });

  it('is seen by every instance on one Redis', { skip: redisAvailable() ? false : 'no redis-server' }, async (t) => {
    const redis = await RedisServer.start();
    const env = { STORE: 'redis', REDIS_URL: redis.url, SIGNING_SECRET: 's'.repeat(40) };
    const a = await startBff({ env });
    const b = await startBff({ env });
    t.after(async () => {
      await a.close();
      await b.close();
      await redis.stop();
    });
    const binding = newCallBinding();
    const made = await exchange(a, { publishable_key: 'pk_test_shop', call_binding: binding });
    const r = await webhook(b, 'get_shipping_quotes', { session_id: binding, ...QUOTE_PARAMS });
    assert.notEqual(r.json.is_error, true, r.json.result);
    assert.ok((await a.companion.services.sessions.state(made.json.session_id)).quotes);
    assert.equal((await exchange(b, { publishable_key: 'pk_test_shop', call_binding: binding })).status, 409, 'the other instance knows it is taken');
  });
});
