import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { RunningServer } from '../../bff/server.ts';
import { exchange, FakeClock, newSession, OTHER_ORIGIN, SECRET_KEY, startBff, TestClient, TEST_KEY, TEST_ORIGIN } from '../helpers/bff.ts';

describe('token exchange POST /v1/sessions', () => {
  let bff: RunningServer;
  const clock = new FakeClock();
  before(async () => (bff = await startBff({ now: clock.now })));
  after(() => bff.close());

  it('mints a session, a single-use ticket and a resume token for an allowed origin', async () => {
    const r = await exchange(bff);
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.match(r.json.session_id, /^ses_/);
    assert.equal(r.json.ws_url, `${bff.url.replace('http', 'ws')}/v1/ws`);
    assert.ok(Date.parse(r.json.ticket_expires_at) - clock.now() <= 60_000);
    assert.equal(r.json.resumed, false);
  });

  it('refuses an unknown publishable key (401) and a foreign origin (403)', async () => {
    assert.equal((await exchange(bff, { publishable_key: 'pk_nope_nope' })).status, 401);
    const foreign = await exchange(bff, { publishable_key: TEST_KEY }, { origin: OTHER_ORIGIN });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.json.error.code, 'origin_not_allowed');
    assert.equal((await exchange(bff, { publishable_key: TEST_KEY }, {})).status, 403);
  });

  it('answers a typed 400 for bodies that are not a valid JSON object', async () => {
    for (const body of ['not json', '[]', '42', JSON.stringify({ publishable_key: 5 })]) {
      const res = await fetch(`${bff.url}/v1/sessions`, { method: 'POST', headers: { origin: TEST_ORIGIN, 'content-type': 'application/json' }, body });
      assert.equal(res.status, 400, body);
      const json = (await res.json()) as { error: { code: string } };
      assert.equal(json.error.code, 'bad_request');
    }
  });

  it('accepts the secret key server-to-server and refuses a wrong one', async () => {
    const ok = await exchange(bff, {}, { authorization: `Bearer ${SECRET_KEY}` });
    assert.equal(ok.status, 201);
    const bad = await exchange(bff, {}, { authorization: 'Bearer sk_wrong_wrong_wrong_wrong' });
    assert.equal(bad.status, 401);
  });

  it('resumes with a resume token: same session, fresh ticket, token not rotated', async () => {
    const first = await newSession(bff);
    const again = await exchange(bff, { resume_token: first.resume_token });
    assert.equal(again.status, 201);
    assert.equal(again.json.session_id, first.session_id);
    assert.equal(again.json.resume_token, first.resume_token);
    assert.notEqual(again.json.ticket, first.ticket);
    assert.equal(again.json.resumed, true);
    assert.equal((await exchange(bff, { resume_token: first.resume_token }, { origin: OTHER_ORIGIN })).status, 403);
    const tampered = first.resume_token.slice(0, -2) + (first.resume_token.endsWith('A') ? 'BB' : 'AA');
    assert.equal((await exchange(bff, { resume_token: tampered })).status, 401);
  });

  it('rate limits per publishable key too, whatever the address (a leaked key cannot flood)', async () => {
    const small = await startBff({ env: { RATE_LIMIT_KEY_PER_MIN: '3', TRUST_PROXY: 'true' } });
    try {
      const from = (i: number) => ({ origin: TEST_ORIGIN, 'x-forwarded-for': `203.0.113.${i}` });
      for (let i = 0; i < 3; i++) assert.equal((await exchange(small, { publishable_key: TEST_KEY }, from(i))).status, 201);
      const limited = await exchange(small, { publishable_key: TEST_KEY }, from(9));
      assert.equal(limited.status, 429);
      assert.equal(limited.json.error.code, 'rate_limited');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    } finally {
      await small.close();
    }
  });

  it('rate limits the exchange per IP with Retry-After', async () => {
    const small = await startBff({ env: { RATE_LIMIT_HTTP_PER_MIN: '3' } });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await exchange(small)).status, 201);
      const limited = await exchange(small);
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    } finally {
      await small.close();
    }
  });
});

describe('socket authentication', () => {
  let bff: RunningServer;
  const clock = new FakeClock();
  before(async () => (bff = await startBff({ now: clock.now })));
  after(() => bff.close());

  it('a good ticket and hello get welcome then snapshot', async () => {
    const s = await newSession(bff);
    const c = await TestClient.open(`${s.ws_url}?ticket=${s.ticket}`);
    c.send({ type: 'hello', role: 'ui' });
    const welcome = await c.waitFor((f) => f.type === 'welcome');
    assert.deepEqual({ ...welcome, connection_id: 'x', server_time: 'x' }, {
      type: 'welcome', session_id: s.session_id, connection_id: 'x', resumed: false, heartbeat_ms: 25000, server_time: 'x', protocol: 1,
    });
    const snap = await c.waitFor((f) => f.type === 'snapshot');
    assert.equal(c.frames.indexOf(snap), 1);
    c.close();
  });

  it('a reused ticket completes the handshake and closes 4401', async () => {
    const s = await newSession(bff);
    const first = await TestClient.open(`${s.ws_url}?ticket=${s.ticket}`);
    const second = await TestClient.open(`${s.ws_url}?ticket=${s.ticket}`);
    assert.equal((await second.waitClosed()).code, 4401);
    first.close();
  });

  it('a forged, tampered, missing or expired ticket closes 4401', async () => {
    const s = await newSession(bff);
    const [v, body, sig] = s.ticket.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), sid: 'ses_other' })).toString('base64url');
    for (const t of [`${v}.${forgedBody}.${sig}`, `${s.ticket}x`, 'garbage', '']) {
      const c = await TestClient.open(`${s.ws_url}?ticket=${encodeURIComponent(t)}`);
      assert.equal((await c.waitClosed()).code, 4401, t);
    }
    const late = await newSession(bff);
    clock.advance(61_000);
    const c = await TestClient.open(`${late.ws_url}?ticket=${late.ticket}`);
    assert.equal((await c.waitClosed()).code, 4401);
  });

  it('a foreign origin closes 4403 and does not burn the ticket', async () => {
    const s = await newSession(bff);
    const foreign = await TestClient.open(`${s.ws_url}?ticket=${s.ticket}`, OTHER_ORIGIN);
    assert.equal((await foreign.waitClosed()).code, 4403);
    const ok = await TestClient.open(`${s.ws_url}?ticket=${s.ticket}`, TEST_ORIGIN);
    ok.send({ type: 'hello', role: 'ui' });
    await ok.waitFor((f) => f.type === 'welcome');
    ok.close();
  });

  it('a first frame other than hello closes 4400', async () => {
    for (const first of [{ type: 'ping', id: '1' }, 'not json', { type: 'hello', role: 'admin' }]) {
      const s = await newSession(bff);
      const c = await TestClient.open(`${s.ws_url}?ticket=${s.ticket}`);
      c.send(first);
      assert.equal((await c.waitClosed()).code, 4400);
    }
  });

  it('a refused socket that sends an oversize frame before it reads its close does not take the server down', async () => {
    const s = await newSession(bff);
    const ws = new WebSocket(`${s.ws_url}?ticket=garbage`, { origin: TEST_ORIGIN });
    // Sent the moment the handshake completes: the server has refused the socket (4401) and its
    // receiver still reads, meets a frame over the limit and reports a protocol error on a socket with no Connection.
    ws.on('open', () => ws.send('x'.repeat(70 * 1024)));
    ws.on('error', () => undefined);
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    assert.ok([4401, 1009, 1006].includes(code), String(code));
    const ok = await TestClient.open(`${s.ws_url}?ticket=${s.ticket}`);
    ok.send({ type: 'hello', role: 'ui' });
    await ok.waitFor((f) => f.type === 'welcome');
    ok.close();
  });

  it('caps frames at 64 KB with close 1009', async () => {
    const s = await newSession(bff);
    const c = await TestClient.open(`${s.ws_url}?ticket=${s.ticket}`);
    c.send({ type: 'hello', role: 'ui' });
    await c.waitFor((f) => f.type === 'snapshot');
    c.send({ type: 'contextual_update', text: 'x'.repeat(70 * 1024) });
    assert.equal((await c.waitClosed()).code, 1009);
  });
});
