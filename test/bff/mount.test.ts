import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import { getRequestListener } from '@hono/node-server';
import { createCompanion } from '../../bff/companion.ts';
import { loadConfig } from '../../bff/config.ts';
import { startSimulator } from '../../bff/simulator/simulator.ts';
import { businessRecipient, QUOTE_PARAMS, TestClient, AGENT_SECRET, SECRET_KEY } from '../helpers/bff.ts';

it('createCompanion mounts inside an existing Node HTTP server next to other routes and runs the whole flow', async () => {
  const sim = await startSimulator({ latencyMs: { USPS: 0, UPS: 0, FedEx: 0 } });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', STORE: 'memory' });
  const companion = await createCompanion(config, { shipvoxUrl: sim.url, shipvoxBackoff: async () => undefined });
  const handle = getRequestListener(companion.app.fetch);
  const server = createServer((req, res) => {
    if (req.url === '/legacy/orders') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"orders":[]}');
      return;
    }
    void handle(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  companion.setPublicUrl(base);
  companion.attach(server);
  try {
    assert.deepEqual(await (await fetch(`${base}/legacy/orders`)).json(), { orders: [] });
    const res = await fetch(`${base}/v1/sessions`, { method: 'POST', headers: { authorization: `Bearer ${SECRET_KEY}`, 'content-type': 'application/json' }, body: '{}' });
    const s = (await res.json()) as { session_id: string; ws_url: string; ticket: string };
    const ui = await TestClient.open(`${s.ws_url}?ticket=${s.ticket}`, null);
    ui.send({ type: 'hello', role: 'ui' });
    await ui.waitFor((f) => f.type === 'snapshot');
    const post = (tool: string, body: object) =>
      fetch(`${base}/v1/agent/tools/${tool}`, { method: 'POST', headers: { authorization: `Bearer ${AGENT_SECRET}`, 'content-type': 'application/json' }, body: JSON.stringify({ session_id: s.session_id, ...body }) }).then((r) => r.json() as Promise<any>);
    const quotes = await post('get_shipping_quotes', QUOTE_PARAMS);
    await post('set_recipient_address', businessRecipient());
    assert.equal((await post('create_label', { quote_id: quotes.options[0].quote_id })).needs_confirmation, true, 'the summary to read comes first');
    const label = await post('create_label', { quote_id: quotes.options[0].quote_id, confirmed: true });
    assert.match(label.result, /^Label created/);
    await ui.waitFor((f) => f.type === 'label_created');
    ui.close();
  } finally {
    await companion.close();
    await new Promise<void>((r) => server.close(() => r()));
    server.closeAllConnections();
    await sim.close();
  }
});
