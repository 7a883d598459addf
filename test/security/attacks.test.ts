/**
 * The security review's findings, each replayed as the attack it describes against a real BFF on
 * loopback, asserting the refusal (docs/security.md lists them). Numbers follow the review.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ConfigError, DEV_ADMIN_TOKEN, DEV_AGENT_TOOL_SECRET, DEV_SECRET_KEY, loadConfig } from '../../bff/config.ts';
import type { RunningServer } from '../../bff/server.ts';
import { CreateLabelResponse, Rate } from '../../bff/shipvox/contract.ts';
import { money } from '../../bff/tools/speech.ts';
import { MAX_TOOL_PARAMETERS_BYTES } from '../../shared/protocol.ts';
import { ADMIN_TOKEN, AGENT_SECRET, exchange, newSession, QUOTE_PARAMS, startBff, TEST_KEY, TEST_ORIGIN, TestClient, webhook, buyLabel } from '../helpers/bff.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function withBff<T>(opts: Parameters<typeof startBff>[0], fn: (bff: RunningServer) => Promise<T>): Promise<T> {
  const bff = await startBff(opts);
  try {
    return await fn(bff);
  } finally {
    await bff.close();
  }
}

/** Production settings that pass every check; each attack on the config changes one thing. */
const PRODUCTION = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://companion.example.com',
  PUBLISHABLE_KEYS: JSON.stringify({ pk_live_shop: ['https://shop.example.com'] }),
  SECRET_KEY: 'sk_live_9fK2mQ7xLp4vR8tZ',
  SIGNING_SECRET: 'sig_3hJ8nB5wQ1zX7cV4kM9pL2rT6yF0dG8s',
  AGENT_TOOL_SECRET: 'agt_5tY7uI9oP2aS4dF6',
  ADMIN_TOKEN: 'adm_8gH1jK3lZ5xC7vB9',
} as const;

/** What a production BFF needs to start in a test: the settings above, on loopback, memory store. */
const productionBff = (env: Record<string, string> = {}) =>
  startBff({ env: { ...PRODUCTION, PUBLISHABLE_KEYS: JSON.stringify({ pk_live_shop: [TEST_ORIGIN.replace('http:', 'https:')] }), ...env } });

async function labelFor(bff: RunningServer, sessionId: string) {
  const q = await webhook(bff, 'get_shipping_quotes', { session_id: sessionId, ...QUOTE_PARAMS });
  await buyLabel(bff, sessionId, { quote_id: q.json.options[0].quote_id });
  return (await bff.companion.services.sessions.state(sessionId)).label!;
}

/** Sends raw bytes on a fresh TCP connection; resolves with what came back once the SERVER closed it. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(request));
    let answer = '';
    socket.on('data', (d) => (answer += String(d)));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    // A bound for the failure case (the old server never answered), not a synchronisation.
    socket.setTimeout(5000, () => {
      socket.destroy();
      resolve(`(no answer within 5 s) ${answer}`);
    });
  });
}

describe('attacks (security review)', () => {
  it('1: an upgrade to any other path is answered 404 and closed by the server (it used to hold its descriptor forever)', async () => {
    await withBff({}, async (bff) => {
      const upgrade = (path: string) =>
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
      for (let i = 0; i < 50; i++) {
        const answer = await rawRequest(bff.port, upgrade(i % 2 ? '/nope' : '/v1/sessions'));
        assert.match(answer, /^HTTP\/1\.1 404 /);
      }
      // the real endpoint still upgrades
      const s = await newSession(bff);
      const ui = await TestClient.join(bff, s);
      ui.close();
    });
  });

  it('2: X-Forwarded-Host never moves the public URL: the next visitor gets our own ws_url and label links', async () => {
    await withBff({ env: { TRUST_PROXY: 'true' } }, async (bff) => {
      const attack = await exchange(bff, { publishable_key: TEST_KEY }, { origin: TEST_ORIGIN, 'x-forwarded-host': 'attacker.example', 'x-forwarded-proto': 'https' });
      assert.equal(attack.status, 201);
      assert.doesNotMatch(attack.json.ws_url, /attacker/);
      const victim = await exchange(bff);
      assert.equal(victim.json.ws_url, `${bff.url.replace('http', 'ws')}/v1/ws`);
      const label = await labelFor(bff, victim.json.session_id);
      assert.ok(label.pdf_url.startsWith(`${bff.url}/v1/labels/`), label.pdf_url);
    });
    // and production cannot run without a fixed https PUBLIC_URL
    const { PUBLIC_URL: _omit, ...noPublicUrl } = PRODUCTION;
    assert.throws(() => loadConfig(noPublicUrl), /needs PUBLIC_URL/);
  });

  it('3: per-IP limits key on the last X-Forwarded-For hop: a client rotating the first hop is still one client', async () => {
    await withBff({ env: { TRUST_PROXY: 'true', RATE_LIMIT_HTTP_PER_MIN: '3' } }, async (bff) => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await exchange(bff, { publishable_key: TEST_KEY }, { origin: TEST_ORIGIN, 'x-forwarded-for': `10.0.0.${i}, 198.51.100.7` })).status);
      assert.deepEqual(statuses, [201, 201, 201, 429, 429, 429]);
      assert.equal((await exchange(bff, { publishable_key: TEST_KEY }, { origin: TEST_ORIGIN, 'x-forwarded-for': '198.51.100.8' })).status, 201);
    });
  });

  it("4: refused requests (wrong origin, unknown resume token) do not drain a real key's bucket", async () => {
    await withBff({ env: { RATE_LIMIT_KEY_PER_MIN: '3', RATE_LIMIT_HTTP_PER_MIN: '1000' } }, async (bff) => {
      for (let i = 0; i < 10; i++) assert.equal((await exchange(bff, { publishable_key: TEST_KEY }, { origin: 'http://evil.test' })).status, 403);
      for (let i = 0; i < 10; i++) assert.equal((await exchange(bff, { resume_token: `v1.forged${i}.sig` })).status, 401);
      for (let i = 0; i < 3; i++) assert.equal((await exchange(bff)).status, 201, `real visitor ${i}`);
      assert.equal((await exchange(bff)).status, 429, 'the key still has its own budget');
      // voice credentials: a session's budget is not drained from a wrong origin either
      const holder = await bff.companion.services.sessions.create({ origins: [TEST_ORIGIN], created_by: TEST_KEY });
      const token = bff.companion.services.signer.issueResume(holder.meta.session_id).token;
      const voice = (origin: string) => fetch(`${bff.url}/v1/voice/credentials`, { headers: { origin, authorization: `Bearer ${token}` } }).then((r) => r.status);
      for (let i = 0; i < 10; i++) assert.equal(await voice('http://evil.test'), 403);
      assert.equal(await voice(TEST_ORIGIN), 503, 'not 429: voice is simply not configured here');
    });
  });

  it('5: label email is capped per label/session and per recipient; the email list stops growing', async () => {
    await withBff({ env: { LABEL_EMAILS_PER_LABEL: '3', LABEL_EMAILS_PER_SESSION: '3', LABEL_EMAILS_PER_RECIPIENT_PER_DAY: '2' } }, async (bff) => {
      const s = await newSession(bff);
      const label = await labelFor(bff, s.session_id);
      const ui = await TestClient.join(bff, s);
      const email = async (id: string, to: string) => {
        ui.send({ type: 'ui_action', action: 'email_label', client_msg_id: id, label_id: label.label_id, to });
        return ui.waitFor((f) => (f.type === 'ack' && f.client_msg_id === id) || (f.type === 'error' && f.ref === id));
      };
      const replies = [];
      for (let i = 0; i < 8; i++) replies.push(await email(`m${i}`, `victim${i}@example.com`));
      assert.deepEqual(replies.map((r) => r.type), ['ack', 'ack', 'ack', 'error', 'error', 'error', 'error', 'error']);
      assert.equal((replies[3] as { code: string }).code, 'rate_limited');
      assert.equal((await bff.companion.services.sessions.state(s.session_id)).emails.length, 3);
      ui.close();

      // one recipient across sessions
      const spam = async () => {
        const t = await newSession(bff);
        const l = await labelFor(bff, t.session_id);
        const c = await TestClient.join(bff, t);
        c.send({ type: 'ui_action', action: 'email_label', client_msg_id: 'x', label_id: l.label_id, to: 'Target@Example.com' });
        const reply = await c.waitFor((f) => (f.type === 'ack' && f.client_msg_id === 'x') || (f.type === 'error' && f.ref === 'x'));
        c.close();
        return reply.type;
      };
      assert.deepEqual([await spam(), await spam(), await spam()], ['ack', 'ack', 'error']);
    });
  });

  it('6: oversized tool parameters are refused on the socket and the webhook, and nothing is logged', async () => {
    await withBff({}, async (bff) => {
      const s = await newSession(bff);
      const ui = await TestClient.join(bff, s);
      const padding = 'x'.repeat(MAX_TOOL_PARAMETERS_BYTES);
      ui.send({ type: 'client_tool_call', tool_call_id: 'big1', tool_name: 'get_session_state', parameters: { padding } });
      const refused = await ui.waitFor((f) => (f.type === 'error' && f.ref === 'big1') || (f.type === 'tool_call_started' && f.tool_call_id === 'big1'));
      assert.equal(refused.type, 'error');
      assert.equal((refused as { code: string }).code, 'invalid_params');
      const hook = await webhook(bff, 'get_session_state', { session_id: s.session_id, padding });
      assert.equal(hook.status, 413);
      assert.equal(hook.json.error.code, 'payload_too_large');
      assert.equal((await bff.companion.services.sessions.state(s.session_id)).seq, 0, 'no tool_call_started was logged');
      // just under the limit still runs
      await webhook(bff, 'get_session_state', { session_id: s.session_id, padding: padding.slice(0, MAX_TOOL_PARAMETERS_BYTES - 100) });
      assert.equal((await bff.companion.services.sessions.state(s.session_id)).seq, 2);
      ui.close();
    });
  });

  it('6: a session runs at most TOOL_CALLS_PER_SESSION_PER_MIN tools (each is logged and its result kept): the rest are refused', async () => {
    await withBff({ env: { TOOL_CALLS_PER_SESSION_PER_MIN: '4' } }, async (bff) => {
      const s = await newSession(bff);
      const ui = await TestClient.join(bff, s);
      for (let i = 0; i < 2; i++) assert.equal((await webhook(bff, 'get_session_state', { session_id: s.session_id })).status, 200);
      for (let i = 0; i < 3; i++) ui.send({ type: 'client_tool_call', tool_call_id: `t${i}`, tool_name: 'get_session_state', parameters: {} });
      await ui.waitFor((f) => f.type === 'client_tool_result' && f.tool_call_id === 't1');
      const refused = await ui.waitFor((f) => (f.type === 'error' && f.ref === 't2') || (f.type === 'tool_call_started' && f.tool_call_id === 't2'));
      assert.equal((refused as { code?: string }).code, 'rate_limited');
      const hook = await webhook(bff, 'get_session_state', { session_id: s.session_id });
      assert.equal(hook.status, 429);
      assert.ok(Number(hook.headers.get('retry-after')) >= 1);
      const other = await newSession(bff);
      assert.equal((await webhook(bff, 'get_session_state', { session_id: other.session_id })).status, 200, 'another session has its own budget');
      ui.close();
    });
  });

  it('7: the session cache is bounded: sessions created for nothing do not stay in memory', async () => {
    await withBff({ env: { SESSION_CACHE_MAX: '100', RATE_LIMIT_HTTP_PER_MIN: '100000', RATE_LIMIT_KEY_PER_MIN: '100000' } }, async (bff) => {
      const first = await newSession(bff);
      for (let i = 0; i < 250; i++) await newSession(bff);
      assert.ok(bff.companion.services.sessions.cached <= 100, `cached ${bff.companion.services.sessions.cached}`);
      // an evicted session is still served (from the store)
      const again = await exchange(bff, { resume_token: first.resume_token });
      assert.equal(again.status, 201);
    });
  });

  it('8: production refuses dev secrets, weak or shared secrets, pk_dev_ keys, local and http:// origins, http PUBLIC_URL; a wildcard origin is refused everywhere', () => {
    assert.doesNotThrow(() => loadConfig(PRODUCTION));
    const refused: Array<[Record<string, string>, RegExp]> = [
      [{ SECRET_KEY: DEV_SECRET_KEY }, /SECRET_KEY is a published development value/],
      [{ AGENT_TOOL_SECRET: DEV_AGENT_TOOL_SECRET }, /AGENT_TOOL_SECRET is a published development value/],
      [{ ADMIN_TOKEN: DEV_ADMIN_TOKEN }, /ADMIN_TOKEN is a published development value/],
      [{ ADMIN_TOKEN: 'a'.repeat(16) }, /ADMIN_TOKEN is too weak/],
      [{ SIGNING_SECRET: 'ab'.repeat(20) }, /SIGNING_SECRET is too weak/],
      [{ AGENT_TOOL_SECRET: PRODUCTION.SECRET_KEY, ADMIN_TOKEN: PRODUCTION.SECRET_KEY }, /AGENT_TOOL_SECRET must differ from SECRET_KEY/],
      [{ PUBLISHABLE_KEYS: JSON.stringify({ pk_dev_shipvox_demo: ['https://shop.example.com'] }) }, /pk_dev_ keys are for development/],
      [{ PUBLISHABLE_KEYS: JSON.stringify({ pk_live_shop: ['http://localhost:8787'] }) }, /is a local origin/],
      [{ PUBLISHABLE_KEYS: JSON.stringify({ pk_live_shop: ['http://shop.example.com'] }) }, /must be https:\/\//],
      [{ PUBLIC_URL: 'http://companion.example.com' }, /PUBLIC_URL must be https/],
      [{ PUBLISHABLE_KEYS: JSON.stringify({ pk_live_shop: ['https://*'] }) }, /no wildcards/],
    ];
    for (const [change, message] of refused) {
      assert.throws(() => loadConfig({ ...PRODUCTION, ...change }), (err: unknown) => err instanceof ConfigError && message.test(err.message), JSON.stringify(change));
    }
    assert.throws(() => loadConfig({ PUBLISHABLE_KEYS: JSON.stringify({ pk_test_x1: ['https://*.shop.example'] }) }), /no wildcards/);
  });

  it('9: guessing a secret is throttled per address (agent secret, admin token, secret key together)', async () => {
    await withBff({ env: { TRUST_PROXY: 'true', AUTH_FAILURES_PER_MIN: '5' } }, async (bff) => {
      const from = (ip: string, authorization: string) => ({ 'x-forwarded-for': ip, authorization, 'content-type': 'application/json' });
      const guess = (path: string, ip: string, token: string, method = 'POST') =>
        fetch(`${bff.url}${path}`, { method, headers: from(ip, `Bearer ${token}`), ...(method === 'POST' ? { body: '{}' } : {}) }).then((r) => r.status);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push(await guess('/v1/agent/tools/get_session_state', '203.0.113.9', `wrong_agent_${i}_xxxxxxxx`));
      for (let i = 0; i < 3; i++) statuses.push(await guess('/status', '203.0.113.9', `wrong_admin_${i}_xxxxxxxx`, 'GET'));
      assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
      assert.equal(await guess('/status', '203.0.113.9', ADMIN_TOKEN, 'GET'), 429, 'even the right token waits');
      assert.equal(await guess('/status', '203.0.113.10', ADMIN_TOKEN, 'GET'), 200, 'another address is not affected');
      assert.equal(await guess('/v1/agent/tools/get_session_state', '203.0.113.10', AGENT_SECRET), 200);
    });
  });

  it('10, 11: the ShipVox contract refuses a non-http(s) tracking URL and a currency Intl cannot format; speech never throws', () => {
    const label = {
      label_id: 'lbl_1', rate_id: 'r1', carrier: 'UPS', service_name: 'Ground', tracking_number: '1Z', tracking_url: 'javascript:alert(1)',
      label_url: 'https://x/l.pdf', label_size: 'PDF_4x6', qr_code_svg: '<svg/>', amount: '1.00', currency: 'USD', created_at: '2026-11-24T15:00:00Z',
    };
    const issues = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) => (r.error?.issues ?? []).map((i) => i.path.join('.'));
    assert.ok(issues(CreateLabelResponse.safeParse(label)).includes('tracking_url'));
    assert.ok(issues(CreateLabelResponse.safeParse({ ...label, tracking_url: 'https://ups.example/t', currency: 'US$' })).includes('currency'));
    const rate = { rate_id: 'r', carrier: 'USPS', service_name: 'G', service_token: 't', amount: '1.00', currency: 'US$', estimated_days: 2, delivery_date: null, guaranteed: false, zone: 1, expires_at: '2026-11-24T15:00:00Z' };
    assert.ok(issues(Rate.safeParse(rate)).includes('currency'));
    assert.equal(money(1234, 'US$'), '12.34 US$');
    assert.equal(money(1234, 'USD'), '$12.34');
  });

  it('13: security headers; /status is not cached; production serves no demo or QA pages', async () => {
    await withBff({}, async (bff) => {
      const res = await fetch(`${bff.url}/healthz`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
      const status = await fetch(`${bff.url}/status`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(status.headers.get('cache-control'), 'no-store');
      const page = await fetch(`${bff.url}/demo/`);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('content-security-policy'), "frame-ancestors 'self'");
    });
    const prod = await productionBff();
    try {
      for (const path of ['/demo/', '/demo/qa.html', '/demo/qa-config.json', '/demo/index.js']) assert.equal((await fetch(`${prod.url}${path}`)).status, 404, path);
      const res = await fetch(`${prod.url}/healthz`);
      assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000');
    } finally {
      await prod.close();
    }
  });

  it('14, 16: dotfiles are never served; source maps not in production', async () => {
    const widgetDir = join(ROOT, 'dist', 'widget');
    mkdirSync(widgetDir, { recursive: true });
    const probes = [join(ROOT, 'demo', '.svx-probe'), join(widgetDir, '.svx-probe'), join(widgetDir, 'svx-probe.js.map')];
    for (const p of probes) writeFileSync(p, 'secret');
    try {
      await withBff({}, async (bff) => {
        for (const path of ['/demo/.svx-probe', '/widget/.svx-probe', '/widget/%2Esvx-probe', '/demo/%2esvx-probe']) {
          assert.equal((await fetch(`${bff.url}${path}`)).status, 404, path);
        }
        assert.equal((await fetch(`${bff.url}/widget/svx-probe.js.map`)).status, 200, 'development keeps source maps');
      });
      const prod = await productionBff();
      try {
        assert.equal((await fetch(`${prod.url}/widget/svx-probe.js.map`)).status, 404);
      } finally {
        await prod.close();
      }
    } finally {
      for (const p of probes) rmSync(p, { force: true });
    }
  });

  it('15: CORS on /v1/* grants only origins a publishable key allows', async () => {
    await withBff({}, async (bff) => {
      const preflight = (origin: string) =>
        fetch(`${bff.url}/v1/sessions`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      assert.equal((await preflight(TEST_ORIGIN)).headers.get('access-control-allow-origin'), TEST_ORIGIN);
      assert.equal((await preflight('https://evil.example')).headers.get('access-control-allow-origin'), null);
      const post = await exchange(bff, { publishable_key: TEST_KEY }, { origin: 'https://evil.example' });
      assert.equal(post.headers.get('access-control-allow-origin'), null);
    });
  });

  it('17: /metrics needs the admin token in production, even from loopback without a trusted proxy', async () => {
    const prod = await productionBff({ TRUST_PROXY: 'false' });
    try {
      assert.equal((await fetch(`${prod.url}/metrics`)).status, 401);
      assert.equal((await fetch(`${prod.url}/metrics`, { headers: { authorization: `Bearer ${PRODUCTION.ADMIN_TOKEN}` } })).status, 200);
    } finally {
      await prod.close();
    }
  });
});
