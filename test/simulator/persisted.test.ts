/** The simulator with a dataFile: rates, labels and idempotency keys survive a restart of the process. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { REPLAYED_HEADER, startSimulator } from '../../bff/simulator/simulator.ts';

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

it('a rate quoted before a restart is bought after it, and a purchase retried after another restart is replayed', async () => {
  const dataFile = join(mkdtempSync(join(tmpdir(), 'svx-sim-')), 'simulator.sqlite');
  const latency = { latencyMs: { USPS: 0, UPS: 0, FedEx: 0 }, labelLatencyMs: 0, dataFile };
  let sim = await startSimulator(latency);
  const rates = (await (await post(`${sim.url}/get-rates`, { shipment: { from_zip: '10001', to_zip: '94105', weight_oz: 32 } })).json()) as any;
  const rateId = rates.rates[0].rate_id;
  await sim.close();

  sim = await startSimulator(latency);
  const bought = await post(`${sim.url}/create-label`, { rate_id: rateId }, { 'Idempotency-Key': 'k1' });
  assert.equal(bought.status, 201);
  const label = (await bought.json()) as any;
  await sim.close();

  sim = await startSimulator(latency);
  try {
    const again = await post(`${sim.url}/create-label`, { rate_id: rateId }, { 'Idempotency-Key': 'k1' });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get(REPLAYED_HEADER), 'true');
    assert.equal(((await again.json()) as any).label_id, label.label_id);
    const other = await post(`${sim.url}/create-label`, { rate_id: rateId }, { 'Idempotency-Key': 'k2' });
    assert.equal(other.status, 409, 'the rate is bought: another key cannot buy it again');
    await other.arrayBuffer();
    const pdf = await fetch(`${sim.url}/labels/${label.label_id}.pdf`);
    assert.equal(pdf.status, 200);
    await pdf.arrayBuffer();
    assert.equal(sim.sim.stats().labels_purchased, 0);
  } finally {
    await sim.close();
  }
});
