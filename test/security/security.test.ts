/**
 * Security checks not covered by test/bff/auth.test.ts and tools.test.ts: cross-session label
 * access, admin routes and /metrics access, prototype pollution attempts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { metricsOpen } from '../../bff/http/access.ts';
import type { RunningServer } from '../../bff/server.ts';
import { ADMIN_TOKEN, AGENT_SECRET, newSession, QUOTE_PARAMS, startBff, TestClient, TEST_ORIGIN, webhook, buyLabel } from '../helpers/bff.ts';

describe('security', () => {
  let bff: RunningServer;
  before(async () => (bff = await startBff()));
  after(() => bff.close());

  it("a client cannot get another session's label link, and a link cannot be re-pointed at another label", async () => {
    const a = await newSession(bff);
    const b = await newSession(bff);
    const label = async (sid: string) => {
      const q = await webhook(bff, 'get_shipping_quotes', { session_id: sid, ...QUOTE_PARAMS });
      await buyLabel(bff, sid, { quote_id: q.json.options[0].quote_id });
      return (await bff.companion.services.sessions.state(sid)).label!;
    };
    const la = await label(a.session_id);
    const lb = await label(b.session_id);
    const uiB = await TestClient.join(bff, b);
    uiB.send({ type: 'ui_action', action: 'label_link', client_msg_id: 'steal1', label_id: la.label_id });
    const refused = await uiB.waitFor((f) => f.type === 'error' && f.ref === 'steal1');
    assert.equal((refused as { code: string }).code, 'not_found');
    uiB.send({ type: 'ui_action', action: 'email_label', client_msg_id: 'steal2', label_id: la.label_id, to: 'thief@example.com' });
    assert.equal(((await uiB.waitFor((f) => f.type === 'error' && f.ref === 'steal2')) as { code: string }).code, 'not_found');
    // B's own link works; its signature on A's label id does not
    const linkB = new URL(lb.pdf_url);
    assert.equal((await fetch(linkB)).status, 200);
    const swapped = `${linkB.origin}/v1/labels/${la.label_id}.pdf${linkB.search}`;
    assert.equal((await fetch(swapped)).status, 403);
    uiB.close();
  });

  it('admin routes answer 401 without or with a wrong admin token, 200 with it', async () => {
    const s = await newSession(bff);
    const routes = ['/status', `/v1/admin/sessions/${s.session_id}/log`];
    for (const path of routes) {
      for (const headers of [{} as Record<string, string>, { authorization: 'Bearer admin_wrong_token_123456' }, { authorization: `Bearer ${AGENT_SECRET}` }, { authorization: ADMIN_TOKEN }]) {
        const res = await fetch(`${bff.url}${path}`, { headers });
        assert.equal(res.status, 401, `${path} ${JSON.stringify(headers)}`);
        assert.equal(((await res.json()) as any).error.code, 'unauthorized');
      }
      assert.equal((await fetch(`${bff.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status, 200);
    }
  });

  it('/metrics needs the admin token from a non-local address (TRUST_PROXY + X-Forwarded-For)', async () => {
    const proxied = await startBff({ env: { TRUST_PROXY: 'true' } });
    try {
      const from = { 'x-forwarded-for': '198.51.100.9' };
      assert.equal((await fetch(`${proxied.url}/metrics`, { headers: from })).status, 401);
      assert.equal((await fetch(`${proxied.url}/metrics`, { headers: { ...from, authorization: 'Bearer nope_nope_nope_nope' } })).status, 401);
      // behind a proxy even a loopback peer is the proxy, so no token means no metrics
      assert.equal((await fetch(`${proxied.url}/metrics`)).status, 401);
      assert.equal((await fetch(`${proxied.url}/metrics`, { headers: { ...from, authorization: `Bearer ${ADMIN_TOKEN}` } })).status, 200);
    } finally {
      await proxied.close();
    }
    assert.equal(metricsOpen('10.0.0.5', false, false), false);
    assert.equal(metricsOpen('::ffff:10.0.0.5', false, false), false);
    assert.equal(metricsOpen('127.0.0.1', false, false), true);
    assert.equal(metricsOpen('127.0.0.1', false, true), false);
    assert.equal(metricsOpen('::1', true, false), false);
  });

  it('__proto__ / constructor payloads in bodies, tool parameters and frames do not change Object.prototype', async () => {
    const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const s = await newSession(bff);
    const ui = await TestClient.join(bff, s);
    const evil = '{"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}}';
    await fetch(`${bff.url}/v1/sessions`, { method: 'POST', headers: { origin: TEST_ORIGIN, 'content-type': 'application/json' }, body: `${evil},"publishable_key":"pk_nope_nope"}` });
    const res = await fetch(`${bff.url}/v1/agent/tools/get_shipping_quotes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${AGENT_SECRET}` },
      body: `${evil},"session_id":"${s.session_id}","from_zip":"10001","to_zip":"94105","weight":2,"weight_unit":"lb"}`,
    });
    assert.equal(res.status, 200);
    ui.send(`{"type":"client_tool_call","tool_call_id":"pp1","tool_name":"get_session_state","parameters":${evil}}}`);
    await ui.waitFor((f) => f.type === 'client_tool_result' && f.tool_call_id === 'pp1');
    ui.send(`{"type":"contextual_update","text":"hi",${evil.slice(1)}}`);
    await ui.waitFor((f) => f.type === 'contextual_update');
    ui.send(`{"type":"ui_action","action":"select_quote","client_msg_id":"pp2","quote_id":"__proto__",${evil.slice(1)}}`);
    await ui.waitFor((f) => (f.type === 'error' || f.type === 'ack') && (f as { ref?: string; client_msg_id?: string }).ref === 'pp2');
    const state = await bff.companion.services.sessions.state(s.session_id);
    assert.equal((state as unknown as Record<string, unknown>).isAdmin, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), protoKeys);
    ui.close();
  });
});
