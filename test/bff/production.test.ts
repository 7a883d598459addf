/**
 * Production readiness: heartbeat, rate limits, connection caps, slow consumers, body limits,
 * log redaction, TLS, TRUST_PROXY, rolled log files, /metrics and graceful close.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { createLogger } from '../../bff/logger.ts';
import { StoreUnavailableError } from '../../bff/sessions/store.ts';
import type { RunningServer } from '../../bff/server.ts';
import { MAX_TOOL_PARAMETERS_BYTES, type CreateSessionResponse, type ServerFrame } from '../../shared/protocol.ts';
import {
  ADMIN_TOKEN,
  AGENT_SECRET,
  exchange,
  FakeClock,
  newSession,
  OTHER_ORIGIN,
  QUOTE_PARAMS,
  SECRET_KEY,
  startBff,
  TestClient,
  TEST_KEY,
  TEST_ORIGIN,
  ticketFor,
  webhook,
  buyLabel,
} from '../helpers/bff.ts';

async function withBff<T>(opts: Parameters<typeof startBff>[0], fn: (bff: RunningServer) => Promise<T>): Promise<T> {
  const bff = await startBff(opts);
  try {
    return await fn(bff);
  } finally {
    await bff.close();
  }
}

/** Opens a socket without the ws client's automatic pong (a dead peer, as far as protocol pings go). */
async function openRaw(bff: RunningServer, s: CreateSessionResponse, options: ConstructorParameters<typeof WebSocket>[2] = {}) {
  const t = await ticketFor(bff, s);
  const ws = new WebSocket(`${t.ws_url}?ticket=${t.ticket}`, { origin: TEST_ORIGIN, ...options });
  const frames: ServerFrame[] = [];
  const waiting = new Set<{ match: (f: ServerFrame) => boolean; found: (f: ServerFrame) => void }>();
  ws.on('message', (d) => {
    const frame = JSON.parse(String(d)) as ServerFrame;
    frames.push(frame);
    for (const w of waiting) if (w.match(frame)) w.found(frame);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  /** The first frame (already received or still to come) that matches; rejects if the socket closes first or after 10 s. */
  const frame = (match: (f: ServerFrame) => boolean) =>
    new Promise<ServerFrame>((resolve, reject) => {
      const hit = frames.find(match);
      if (hit) return resolve(hit);
      const done = (outcome: () => void) => {
        clearTimeout(timer);
        if (waiting.delete(w)) outcome();
      };
      const w = { match, found: (f: ServerFrame) => done(() => resolve(f)) };
      const timer = setTimeout(() => done(() => reject(new Error('no matching frame within 10 s'))), 10_000);
      waiting.add(w);
      void closed.then((code) => done(() => reject(new Error(`socket closed (${code}) before a matching frame`))));
    });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, frames, closed, frame };
}

async function flow(bff: RunningServer, s: CreateSessionResponse) {
  const quotes = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
  const label = await buyLabel(bff, s.session_id, { quote_id: quotes.json.options[0].quote_id });
  assert.match(label.json.result, /^Label created/);
  return { quotes: quotes.json, label: label.json };
}

describe('heartbeat', () => {
  it('a socket that answers no protocol ping is closed with 4408; a live one stays open', async () => {
    await withBff({ env: { HEARTBEAT_MS: '100' } }, async (bff) => {
      const s = await newSession(bff);
      const live = await TestClient.join(bff, s);
      const dead = await openRaw(bff, s, { autoPong: false });
      let pings = 0;
      dead.ws.on('ping', () => pings++);
      const opened = Date.now();
      dead.ws.send(JSON.stringify({ type: 'hello', role: 'ui' }));
      assert.equal(await dead.closed, 4408);
      assert.ok(pings >= 1, 'the BFF sent protocol pings');
      assert.ok(Date.now() - opened < 2000, `closed after ${Date.now() - opened} ms`);
      assert.equal(live.closed, null);
      live.send({ type: 'ping', id: 'p1' });
      await live.waitFor((f) => f.type === 'pong');
      assert.equal(live.closed, null, 'the client that answers pings stays');
      live.close();
    });
  });
});

describe('rate limits', () => {
  it('frames: a burst gets error{rate_limited} and recovers; sustained abuse is closed with 4429', async () => {
    const clock = new FakeClock();
    await withBff({ now: clock.now, env: { RATE_LIMIT_FRAMES_PER_SEC: '5' } }, async (bff) => {
      const s = await newSession(bff);
      const c = await TestClient.join(bff, s); // hello took 1 of 10 tokens
      for (let i = 0; i < 12; i++) c.send({ type: 'ping', id: `b${i}` });
      await c.waitFor((f) => f.type === 'pong' && f.id === 'b8');
      await c.waitFor((f) => f.type === 'error' && f.code === 'rate_limited' && f.retryable === true);
      clock.advance(1000);
      c.send({ type: 'ping', id: 'after' });
      await c.waitFor((f) => f.type === 'pong' && f.id === 'after');
      assert.equal(c.frames.filter((f) => f.type === 'pong').length, 10);
      for (let i = 0; i < 30; i++) c.send({ type: 'ping', id: `s${i}` });
      assert.equal((await c.waitClosed()).code, 4429);
      const metrics = await (await fetch(`${bff.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
      assert.match(metrics, /svx_rate_limited_total\{scope="frames"\} \d+/);
    });
  });

  it('webhook: per IP and route, 429 with Retry-After and a typed body', async () => {
    await withBff({ env: { RATE_LIMIT_HTTP_PER_MIN: '3' } }, async (bff) => {
      const s = await newSession(bff);
      for (let i = 0; i < 3; i++) assert.equal((await webhook(bff, 'get_session_state', { session_id: s.session_id })).status, 200);
      const res = await fetch(`${bff.url}/v1/agent/tools/get_session_state`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${AGENT_SECRET}` },
        body: JSON.stringify({ session_id: s.session_id }),
      });
      assert.equal(res.status, 429);
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
      assert.equal(((await res.json()) as any).error.code, 'rate_limited');
    });
  });

  it('per-session connection cap (MAX_CONNECTIONS_PER_SESSION): the one over it is closed with 4429', async () => {
    await withBff({ env: { MAX_CONNECTIONS_PER_SESSION: '2' } }, async (bff) => {
      const s = await newSession(bff);
      const a = await TestClient.join(bff, s);
      const b = await TestClient.join(bff, s, 'voice');
      const t = await ticketFor(bff, s);
      const c = await TestClient.open(`${t.ws_url}?ticket=${t.ticket}`);
      c.send({ type: 'hello', role: 'ui' });
      assert.equal((await c.waitClosed()).code, 4429);
      const other = await TestClient.join(bff, await newSession(bff)); // other sessions are not affected
      assert.equal(a.closed, null);
      assert.equal(b.closed, null);
      // A socket that closes leaves its session's fan-out (told by the socket's close): there is room again.
      const { hub } = bff.companion.services.sessions;
      const left = new Promise<void>((resolve) => {
        const leave = hub.leave.bind(hub);
        hub.leave = (sessionId, client) => {
          leave(sessionId, client);
          resolve();
        };
      });
      a.close();
      await left;
      assert.equal(hub.clients(s.session_id).length, 1);
      const d = await TestClient.join(bff, s);
      assert.equal(hub.clients(s.session_id).length, 2);
      b.close();
      d.close();
      other.close();
    });
  });

  it('a hello the store cannot serve (Redis down, say) gets error{unavailable} and close 1013; the server keeps serving', async () => {
    await withBff({}, async (bff) => {
      const s = await newSession(bff);
      const { sessions } = bff.companion.services;
      const attach = sessions.attach.bind(sessions);
      sessions.attach = () => Promise.reject(new StoreUnavailableError('redis down'));
      const t = await ticketFor(bff, s);
      const c = await TestClient.open(`${t.ws_url}?ticket=${t.ticket}`);
      c.send({ type: 'hello', role: 'ui', last_seq: 0 });
      c.send({ type: 'contextual_update', text: 'said while the hello failed' });
      assert.equal((await c.waitClosed()).code, 1013);
      assert.deepEqual(c.frames.map((f) => f.type === 'error' && [f.code, f.retryable]), [['unavailable', true]]);
      sessions.attach = attach;
      const again = await TestClient.join(bff, s, 'ui', 0);
      assert.deepEqual(again.events(), [], 'nothing was appended for the failed connection');
      again.close();
    });
  });

  it('a slow consumer (not reading) is closed with 1013 while another client of the session gets every event in order', async () => {
    await withBff({ env: { RATE_LIMIT_FRAMES_PER_SEC: '100000' } }, async (bff) => {
      const s = await newSession(bff);
      const fast = await TestClient.join(bff, s);
      const slow = await openRaw(bff, s);
      slow.ws.send(JSON.stringify({ type: 'hello', role: 'ui' }));
      await slow.frame((f) => f.type === 'snapshot');
      (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
      const voice = await TestClient.join(bff, s, 'voice');
      const pad = 'x'.repeat(MAX_TOOL_PARAMETERS_BYTES - 100);
      const calls = 4000; // 4,000 × ~4 KB ≈ 16 MB: far past the kernel's socket buffers and the 1 MB cap
      // One call at a time: the fast client (in this same process) reads between calls, so only the
      // paused one falls behind.
      for (let i = 0; i < calls; i++) {
        voice.send({ type: 'client_tool_call', tool_call_id: `big_${i}`, tool_name: 'get_session_state', parameters: { pad } });
        await fast.waitFor((f) => f.type === 'client_tool_result' && f.tool_call_id === `big_${i}`);
      }
      const seqs = fast.events().map((e) => e.seq);
      assert.deepEqual(seqs, Array.from({ length: calls * 2 }, (_, i) => i + 1), 'the fast client got every event, in order');
      (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
      assert.equal(await slow.closed, 1013);
      const slowSeqs = slow.frames.filter((f) => 'seq' in f && f.type !== 'snapshot').map((f) => (f as { seq: number }).seq);
      assert.ok(slowSeqs.length < calls * 2, `the slow client was cut off (${slowSeqs.length} events)`);
      assert.deepEqual(slowSeqs, Array.from({ length: slowSeqs.length }, (_, i) => i + 1), 'what it got has no gap');
      fast.close();
      voice.close();
    });
  });
});

describe('limits and logs', () => {
  it('an oversized body (> 32 KB) is a typed 413 on the exchange and the webhook', async () => {
    await withBff({}, async (bff) => {
      const big = JSON.stringify({ publishable_key: TEST_KEY, pad: 'x'.repeat(40 * 1024) });
      const r1 = await fetch(`${bff.url}/v1/sessions`, { method: 'POST', headers: { origin: TEST_ORIGIN, 'content-type': 'application/json' }, body: big });
      assert.equal(r1.status, 413);
      assert.equal(((await r1.json()) as any).error.code, 'payload_too_large');
      const r2 = await webhook(bff, 'get_session_state', big);
      assert.equal(r2.status, 413);
      assert.equal(r2.json.error.code, 'payload_too_large');
    });
  });

  it('a chunked body without a length is counted as it streams: over 32 KB is a typed 413, and the server goes on serving', async () => {
    await withBff({}, async (bff) => {
      const chunked = (chunks: string[]) =>
        new Promise<{ status: number; body: any }>((resolve, reject) => {
          const req = httpRequest(`${bff.url}/v1/sessions`, { method: 'POST', headers: { origin: TEST_ORIGIN, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
            let text = '';
            res.on('data', (d) => (text += d));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
          });
          req.on('error', reject);
          for (const c of chunks) req.write(c);
          req.end();
        });
      const pad = 'x'.repeat(8 * 1024);
      const big = await chunked([`{"publishable_key":"${TEST_KEY}","pad":"`, pad, pad, pad, pad, pad, '"}']);
      assert.equal(big.status, 413);
      assert.equal(big.body.error.code, 'payload_too_large');
      const small = await chunked([`{"publishable_key":`, `"${TEST_KEY}"}`]);
      assert.equal(small.status, 201);
      assert.match(small.body.session_id, /^ses_/);
      const broken = await chunked(['{"publishable_key": "', '\\u00']);
      assert.equal(broken.status, 400);
      assert.equal(broken.body.error.code, 'bad_request');
    });
  });

  it('a client that goes away mid-body gets a typed 400 in the access log, not an internal error', async () => {
    const lines: Array<Record<string, unknown>> = [];
    let seen: (() => void) | null = null;
    const sink = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
        seen?.();
        cb();
      },
    });
    await withBff({ log: createLogger('info', sink) }, async (bff) => {
      const logged = new Promise<void>((resolve) => {
        seen = () => {
          if (lines.some((l) => l.msg === 'request' && l.path === '/v1/sessions')) resolve();
        };
      });
      const req = httpRequest(`${bff.url}/v1/sessions`, { method: 'POST', headers: { origin: TEST_ORIGIN, 'content-type': 'application/json', 'content-length': '1000' } });
      req.on('error', () => undefined);
      req.write('{"publishable_key":', () => req.destroy());
      await logged;
      const access = lines.find((l) => l.msg === 'request' && l.path === '/v1/sessions')!;
      assert.equal(access.status, 400);
      assert.ok(!lines.some((l) => l.msg === 'unhandled error'), JSON.stringify(lines));
    });
  });

  it('nothing in the logs could replay a session: tickets, resume tokens, secrets, signatures are never written', async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk));
        cb();
      },
    });
    const secrets: string[] = [AGENT_SECRET, ADMIN_TOKEN, SECRET_KEY];
    await withBff({ log: createLogger('trace', sink) }, async (bff) => {
      secrets.push(bff.config.SIGNING_SECRET);
      const s = await newSession(bff);
      secrets.push(s.ticket, s.resume_token);
      const ui = await TestClient.open(`${s.ws_url}?ticket=${s.ticket}`);
      ui.send({ type: 'hello', role: 'ui' });
      await ui.waitFor((f) => f.type === 'snapshot');
      // refused: a reused ticket, a forged one, a wrong origin, a bad resume token, bad keys
      const reused = await TestClient.open(`${s.ws_url}?ticket=${s.ticket}`);
      assert.equal((await reused.waitClosed()).code, 4401);
      const forged = `${s.ticket.slice(0, -4)}AAAA`;
      secrets.push(forged);
      assert.equal((await (await TestClient.open(`${s.ws_url}?ticket=${forged}`)).waitClosed()).code, 4401);
      const t2 = await ticketFor(bff, s);
      secrets.push(t2.ticket);
      assert.equal((await (await TestClient.open(`${t2.ws_url}?ticket=${t2.ticket}`, OTHER_ORIGIN)).waitClosed()).code, 4403);
      assert.equal((await exchange(bff, { resume_token: `${s.resume_token}x` })).status, 401);
      assert.equal((await exchange(bff, {}, { authorization: 'Bearer sk_wrong_but_secret_looking_1234' })).status, 401);
      secrets.push('sk_wrong_but_secret_looking_1234');
      assert.equal((await exchange(bff, {}, { authorization: `Bearer ${SECRET_KEY}` })).status, 201);
      assert.equal((await webhook(bff, 'get_session_state', { session_id: s.session_id }, 'agent_wrong_secret_1234567')).status, 401);
      secrets.push('agent_wrong_secret_1234567');
      const { label } = await flow(bff, s);
      void label;
      const state = await bff.companion.services.sessions.state(s.session_id);
      const pdf = new URL(state.label!.pdf_url);
      secrets.push(pdf.searchParams.get('sig')!);
      assert.equal((await fetch(pdf)).status, 200);
      assert.equal((await fetch(`${pdf.origin}${pdf.pathname}?exp=${pdf.searchParams.get('exp')}&sig=AAAA${pdf.searchParams.get('sig')}`)).status, 403);
      assert.equal((await fetch(`${bff.url}/status`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status, 200);
      assert.equal((await fetch(`${bff.url}/status`, { headers: { authorization: 'Bearer admin_wrong_token_123456' } })).status, 401);
      secrets.push('admin_wrong_token_123456');
      ui.close();
    });
    const text = chunks.join('');
    assert.ok(text.length > 0);
    for (const secret of secrets) assert.ok(!text.includes(secret), `a secret of ${secret.length} chars leaked into the logs`);
    assert.ok(!/[?&](ticket|sig)=/.test(text), 'no query string with a ticket or signature');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = lines.filter((l) => l.msg === 'request');
    assert.ok(requests.length > 5 && requests.every((l) => typeof l.req_id === 'string' && typeof l.status === 'number' && typeof l.ms === 'number'));
    assert.ok(requests.some((l) => l.path === '/v1/agent/tools/create_label' && typeof l.session_id === 'string'), 'webhook lines carry session_id');
    assert.ok(lines.some((l) => l.msg === 'client attached' && typeof l.session_id === 'string'));
  });

  it('echoes X-Request-Id (or makes one up)', async () => {
    await withBff({}, async (bff) => {
      const own = await fetch(`${bff.url}/healthz`, { headers: { 'x-request-id': 'req-abc.123' } });
      assert.equal(own.headers.get('x-request-id'), 'req-abc.123');
      const made = await fetch(`${bff.url}/healthz`, { headers: { 'x-request-id': 'not an id, has spaces' } });
      assert.match(made.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    });
  });

  it('LOG_DIR: log lines also go to a daily rolled file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svx-logs-'));
    await withBff({ env: { LOG_DIR: dir, LOG_LEVEL: 'error' } }, async (bff) => {
      bff.log.error({ marker: 'log-dir-test' }, 'marker line');
      const deadline = Date.now() + 5000;
      let content = '';
      while (Date.now() < deadline) {
        const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.log')) : [];
        content = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
        if (content.includes('log-dir-test')) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.match(readdirSync(dir).join(' '), /companion\.\d{4}-\d{2}-\d{2}\.\d+\.log/);
      assert.ok(content.includes('log-dir-test'));
    });
  });
});

describe('TLS and proxies', () => {
  it('with TLS_CERT/TLS_KEY the BFF serves https and wss itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svx-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const ca = readFileSync(cert);
    await withBff({ env: { TLS_CERT: cert, TLS_KEY: key } }, async (bff) => {
      assert.match(bff.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const body = JSON.stringify({ publishable_key: TEST_KEY });
      const res = await new Promise<{ status: number; json: any }>((resolve, reject) => {
        const req = httpsRequest(`${bff.url}/v1/sessions`, { method: 'POST', ca, headers: { origin: TEST_ORIGIN, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (r) => {
          let data = '';
          r.on('data', (d) => (data += d));
          r.on('end', () => resolve({ status: r.statusCode!, json: JSON.parse(data) }));
        });
        req.on('error', reject);
        req.end(body);
      });
      assert.equal(res.status, 201);
      assert.match(res.json.ws_url, /^wss:\/\/127\.0\.0\.1:\d+\/v1\/ws$/);
      const ws = new WebSocket(`${res.json.ws_url}?ticket=${res.json.ticket}`, { origin: TEST_ORIGIN, ca });
      const frames: ServerFrame[] = [];
      await new Promise<void>((resolve, reject) => {
        ws.on('message', (d) => {
          frames.push(JSON.parse(String(d)) as ServerFrame);
          if (frames.some((f) => f.type === 'snapshot')) resolve();
        });
        ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', role: 'ui' })));
        ws.once('error', reject);
      });
      assert.equal(frames[0]!.type, 'welcome');
      ws.close();
      // an untrusting client refuses the self-signed certificate
      const refused = new WebSocket(`${res.json.ws_url}?ticket=x`, { origin: TEST_ORIGIN });
      await assert.rejects(new Promise((resolve, reject) => { refused.once('open', resolve); refused.once('error', reject); }));
    });
  });

  it('TRUST_PROXY: the last X-Forwarded-For hop (what the proxy appended) keys the rate limit; forwarded Host/Proto never move the public URL', async () => {
    await withBff({ env: { TRUST_PROXY: 'true', RATE_LIMIT_HTTP_PER_MIN: '2' } }, async (bff) => {
      const fwd = { origin: TEST_ORIGIN, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'companion.example.com', 'x-forwarded-for': '10.9.9.9, 203.0.113.7' };
      const r = await exchange(bff, { publishable_key: TEST_KEY }, fwd);
      assert.equal(r.status, 201);
      assert.equal(r.json.ws_url, `${bff.url.replace('http', 'ws')}/v1/ws`);
      // the same proxy-appended address with another client-chosen first hop: the same bucket
      assert.equal((await exchange(bff, { publishable_key: TEST_KEY }, { ...fwd, 'x-forwarded-for': '10.1.1.1, 203.0.113.7' })).status, 201);
      assert.equal((await exchange(bff, { publishable_key: TEST_KEY }, { ...fwd, 'x-forwarded-for': '10.2.2.2, 203.0.113.7' })).status, 429);
      assert.equal((await exchange(bff, { publishable_key: TEST_KEY }, { ...fwd, 'x-forwarded-for': '10.2.2.2, 203.0.113.8' })).status, 201);
    });
  });

  it('without TRUST_PROXY, forwarded headers are ignored', async () => {
    await withBff({}, async (bff) => {
      const r = await exchange(bff, { publishable_key: TEST_KEY }, { origin: TEST_ORIGIN, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example.com' });
      assert.equal(r.json.ws_url, `${bff.url.replace('http', 'ws')}/v1/ws`);
    });
  });
});

describe('observability', () => {
  it('/metrics after a flow: connections, frames by type, tool latency by outcome, ShipVox errors, attaches, sessions, rate limits', async () => {
    await withBff({}, async (bff) => {
      const s = await newSession(bff);
      const ui = await TestClient.join(bff, s);
      await flow(bff, s);
      await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS, from_zip: '00012' });
      await ui.waitFor((f) => f.type === 'client_tool_result' && f.is_error === true);
      const again = await TestClient.join(bff, s, 'voice', 1);
      const res = await fetch(`${bff.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
      const m = await res.text();
      const has = (re: RegExp) => assert.match(m, re);
      has(/^svx_open_connections 2$/m);
      has(/^svx_sessions_created_total 1$/m);
      has(/^svx_frames_in_total\{type="hello"\} 2$/m);
      has(/^svx_frames_out_total\{type="quotes_ready"\} [1-9]/m);
      has(/^svx_frames_out_total\{type="label_created"\} [1-9]/m);
      has(/^svx_frames_out_total\{type="welcome"\} 2$/m);
      has(/^svx_tool_duration_seconds_count\{tool="get_shipping_quotes",outcome="ok"\} 1$/m);
      // The summary Bob reads, then the purchase after the yes.
      has(/^svx_tool_duration_seconds_count\{tool="create_label",outcome="ok"\} 2$/m);
      has(/^svx_tool_duration_seconds_count\{tool="get_shipping_quotes",outcome="invalid_zip"\} 1$/m);
      has(/^svx_shipvox_errors_total\{code="invalid_zip"\} [1-9]/m);
      has(/^svx_attaches_total\{kind="snapshot"\} 1$/m);
      has(/^svx_attaches_total\{kind="resumed"\} 1$/m);
      has(/^svx_process_cpu_user_seconds_total /m);
      // bind-local: the test runs on 127.0.0.1 without TRUST_PROXY, so no token is needed
      assert.equal((await fetch(`${bff.url}/metrics`)).status, 200);
      const status = (await (await fetch(`${bff.url}/status`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as any;
      assert.equal(status.store, 'memory');
      assert.equal(status.connections, 2);
      assert.equal(typeof status.uptime_s, 'number');
      assert.equal(typeof status.version, 'string');
      assert.deepEqual(status.sessions[0].clients.map((c: { role: string }) => c.role).sort(), ['ui', 'voice']);
      ui.close();
      again.close();
    });
  });

  it('graceful close: /readyz 503, sockets get 1001, the in-flight webhook call still gets its answer', async () => {
    const bff = await startBff({ simulator: { latencyMs: { USPS: 400, UPS: 400, FedEx: 400 } } });
    const s = await newSession(bff);
    const ui = await TestClient.join(bff, s);
    assert.equal((await bff.companion.app.request('/readyz')).status, 200);
    const call = webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    await ui.waitFor((f) => f.type === 'tool_call_started');
    const closing = bff.close();
    assert.equal((await bff.companion.app.request('/readyz')).status, 503);
    assert.equal((await ui.waitClosed()).code, 1001);
    const answer = await call;
    assert.equal(answer.status, 200);
    assert.ok(Array.isArray(answer.json.options) && answer.json.options.length > 0, 'the quotes arrived');
    await closing;
  });
});
