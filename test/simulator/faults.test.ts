import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { BackendErrorBody, RatesResponse } from '../../bff/shipvox/contract.ts';
import { post, start } from './helpers.ts';

let sim: Awaited<ReturnType<typeof start>>;
beforeEach(async () => (sim = await start()));
afterEach(() => sim.close());

const shipment = { from_zip: '10001', to_zip: '94103', weight_oz: 24 };
const getRates = (carriers?: string[]) => post(`${sim.url}/get-rates`, { shipment, ...(carriers && { carriers }) });

async function buy(key: string, rateId?: string) {
  const id = rateId ?? (await getRates(['USPS'])).json.rates[0].rate_id;
  return { rateId: id, res: await post(`${sim.url}/create-label`, { rate_id: id }, { 'Idempotency-Key': key }) };
}

function assertError(res: { status: number; json: unknown }, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.json));
  assert.equal(BackendErrorBody.parse(res.json).error.code, code);
}

describe('timeoutCarriers', () => {
  test('a request naming only that carrier hangs for hangMs, then 504 carrier_timeout', async () => {
    sim.sim.setFaults({ timeoutCarriers: ['FedEx'] });
    assertError(await getRates(['FedEx']), 504, 'carrier_timeout');
    assert.deepEqual(sim.sleeper.calls, [{ ms: 30_000, purpose: 'hang', carrier: 'FedEx' }]);
    sim.sim.setFaults({ hangMs: 5 });
    await getRates(['FedEx']);
    assert.equal(sim.sleeper.calls[1]?.ms, 5);
  });

  test('the hang ends when the client disconnects', async () => {
    sim.sim.setFaults({ timeoutCarriers: ['UPS'] });
    const gate = sim.sleeper.hold('hang');
    const client = new AbortController();
    const request = fetch(`${sim.url}/get-rates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ shipment, carriers: ['UPS'] }),
      signal: client.signal,
    });
    const ctx = await gate.reached;
    assert.ok(ctx.signal && !ctx.signal.aborted);
    const serverSawDisconnect = new Promise<void>((resolve) => ctx.signal!.addEventListener('abort', () => resolve()));
    client.abort();
    await assert.rejects(request);
    await serverSawDisconnect;
    assert.equal((await getRates(['USPS'])).status, 200, 'still serving');
  });

  test('with several carriers, the others answer and a message names the late one', async () => {
    sim.sim.setFaults({ timeoutCarriers: ['FedEx'] });
    const res = await getRates();
    assert.equal(res.status, 200);
    const body = RatesResponse.parse(res.json);
    assert.deepEqual([...new Set(body.rates.map((r) => r.carrier))], ['USPS', 'UPS']);
    assert.deepEqual(body.messages.map((m) => [m.carrier, m.code]), [['FedEx', 'carrier_timeout']]);
    assert.ok(sim.sleeper.calls.some((c) => c.purpose === 'carrier_timeout' && c.carrier === 'FedEx' && c.ms === 5000));
  });
});

describe('failCarriers', () => {
  test('503 carrier_unavailable alone, a message among others', async () => {
    sim.sim.setFaults({ failCarriers: ['UPS'] });
    assertError(await getRates(['UPS']), 503, 'carrier_unavailable');
    const res = await getRates(['UPS', 'USPS']);
    assert.equal(res.status, 200);
    assert.ok(res.json.rates.length > 0 && res.json.rates.every((r: { carrier: string }) => r.carrier === 'USPS'));
    assert.deepEqual(res.json.messages.map((m: { carrier: string; code: string }) => [m.carrier, m.code]), [['UPS', 'carrier_unavailable']]);
  });

  test('every carrier failing still answers 200 with no rates and one message each', async () => {
    sim.sim.setFaults({ failCarriers: ['USPS', 'UPS'], timeoutCarriers: ['FedEx'] });
    const res = await getRates();
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.rates, []);
    assert.equal(res.json.messages.length, 3);
  });
});

test('getRates5xx: the next N /get-rates calls answer 500', async () => {
  sim.sim.setFaults({ getRates5xx: 2 });
  assertError(await getRates(), 500, 'internal');
  assertError(await getRates(), 500, 'internal');
  assert.equal((await getRates()).status, 200);
  assert.equal(sim.sim.stats().get_rates_calls, 3);
});

test('createLabel5xx fails before purchasing, so a retry with the same key buys once', async () => {
  const rateId = (await getRates(['USPS'])).json.rates[0].rate_id;
  sim.sim.setFaults({ createLabel5xx: 1 });
  assertError((await buy('k-5xx', rateId)).res, 500, 'internal');
  assert.equal(sim.sim.stats().labels_purchased, 0);
  const retry = (await buy('k-5xx', rateId)).res;
  assert.equal(retry.status, 201);
  assert.equal(retry.headers.get('Idempotent-Replayed'), null);
  assert.deepEqual(sim.sim.stats(), { get_rates_calls: 1, create_label_calls: 2, labels_purchased: 1, idempotent_replays: 0, address_checks: 0, labels_voided: 0 });
});

test('createLabelDropAfterPurchase: the purchase happens, the answer is lost, the retry replays the same label', async () => {
  const rateId = (await getRates(['USPS'])).json.rates[0].rate_id;
  sim.sim.setFaults({ createLabelDropAfterPurchase: 1 });
  assertError((await buy('k-drop', rateId)).res, 500, 'internal');
  assert.equal(sim.sim.stats().labels_purchased, 1);
  const retry = (await buy('k-drop', rateId)).res;
  assert.equal(retry.status, 201);
  assert.equal(retry.headers.get('Idempotent-Replayed'), 'true');
  const again = (await buy('k-drop', rateId)).res;
  assert.deepEqual(again.json, retry.json);
  assert.deepEqual(sim.sim.stats(), { get_rates_calls: 1, create_label_calls: 3, labels_purchased: 1, idempotent_replays: 2, address_checks: 0, labels_voided: 0 });
});

test('invalidZips: exact ZIPs are refused as invalid_zip with the field', async () => {
  sim.sim.setFaults({ invalidZips: ['94103'] });
  const res = await getRates();
  assertError(res, 422, 'invalid_zip');
  assert.equal(res.json.error.field, 'shipment.to_zip');
  assert.equal((await post(`${sim.url}/get-rates`, { shipment: { ...shipment, to_zip: '94104' } })).status, 200);
});

test('insufficientFunds: 402 and the key is released for a later retry', async () => {
  const rateId = (await getRates(['USPS'])).json.rates[0].rate_id;
  sim.sim.setFaults({ insufficientFunds: true });
  assertError((await buy('k-funds', rateId)).res, 402, 'insufficient_funds');
  sim.sim.setFaults({ insufficientFunds: false });
  assert.equal((await buy('k-funds', rateId)).res.status, 201);
});

describe('fault control', () => {
  test('faults given at start apply, and reset() restores them and clears everything', async () => {
    const other = await start({ faults: { failCarriers: ['USPS'] } });
    try {
      assertError(await post(`${other.url}/get-rates`, { shipment, carriers: ['USPS'] }), 503, 'carrier_unavailable');
      other.sim.setFaults({ failCarriers: [] });
      assert.equal((await post(`${other.url}/get-rates`, { shipment, carriers: ['USPS'] })).status, 200);
      other.sim.reset();
      assert.deepEqual(other.sim.stats(), { get_rates_calls: 0, create_label_calls: 0, labels_purchased: 0, idempotent_replays: 0, address_checks: 0, labels_voided: 0 });
      assertError(await post(`${other.url}/get-rates`, { shipment, carriers: ['USPS'] }), 503, 'carrier_unavailable');
    } finally {
      await other.close();
    }
  });

  test('POST /__sim/faults, GET /__sim/faults, GET /__sim/stats and POST /__sim/reset over HTTP', async () => {
    const set = await post(`${sim.url}/__sim/faults`, { failCarriers: ['FedEx'], getRates5xx: 1 });
    assert.equal(set.status, 200);
    assert.deepEqual(set.json.failCarriers, ['FedEx']);
    assert.equal(set.json.getRates5xx, 1);
    assert.deepEqual((await (await fetch(`${sim.url}/__sim/faults`)).json()).failCarriers, ['FedEx']);
    assertError(await getRates(), 500, 'internal');
    assertError(await getRates(['FedEx']), 503, 'carrier_unavailable');
    assert.deepEqual(await (await fetch(`${sim.url}/__sim/stats`)).json(), { get_rates_calls: 2, create_label_calls: 0, labels_purchased: 0, idempotent_replays: 0, address_checks: 0, labels_voided: 0 });
    assert.equal((await post(`${sim.url}/__sim/reset`, {})).status, 200);
    assert.equal((await getRates(['FedEx'])).status, 200);
    assert.equal(sim.sim.stats().get_rates_calls, 1);
  });

  test('bad fault bodies are refused, not applied', async () => {
    for (const body of [{ failCarriers: ['DHL'] }, { getRates5xx: -1 }, { typo: true }, 'nope', { invalidZips: ['123'] }]) {
      assertError(await post(`${sim.url}/__sim/faults`, body), 400, 'invalid_request');
    }
    assert.throws(() => sim.sim.setFaults({ getRates5xx: 1.5 }));
    assert.equal((await getRates()).status, 200);
  });
});

describe('slowCarriers and flakyCarriers', () => {
  test('slowCarriers adds its latency to that carrier only, set at start or over the faults route', async () => {
    const slow = await start({ faults: { slowCarriers: { FedEx: 8000 } } });
    try {
      await post(`${slow.url}/get-rates`, { shipment });
      const latency = (c: string) => slow.sleeper.calls.filter((x) => x.purpose === 'carrier_latency' && x.carrier === c).map((x) => x.ms);
      assert.deepEqual([latency('USPS'), latency('UPS'), latency('FedEx')], [[0], [0], [8000]]);
    } finally {
      await slow.close();
    }
    const set = await post(`${sim.url}/__sim/faults`, { slowCarriers: { UPS: 2500 } });
    assert.deepEqual(set.json.slowCarriers, { UPS: 2500 });
    const res = await getRates(['UPS']);
    assert.equal(res.status, 200, 'slow, not failing');
    assert.deepEqual(sim.sleeper.calls.at(-1), { ms: 2500, purpose: 'carrier_latency', carrier: 'UPS' });
    assertError(await post(`${sim.url}/__sim/faults`, { slowCarriers: { DHL: 1 } }), 400, 'invalid_request');
  });

  test('flakyCarriers answers 500 to the first attempt of a request and normally to its retry (same X-Request-Id)', async () => {
    sim.sim.setFaults({ flakyCarriers: ['FedEx'] });
    const headers = { 'X-Request-Id': 'req-1' };
    assertError(await post(`${sim.url}/get-rates`, { shipment, carriers: ['FedEx'] }, headers), 500, 'internal');
    assert.equal((await post(`${sim.url}/get-rates`, { shipment, carriers: ['FedEx'] }, headers)).status, 200);
    assert.equal((await post(`${sim.url}/get-rates`, { shipment, carriers: ['USPS'] }, { 'X-Request-Id': 'req-2' })).status, 200, 'other carriers unaffected');
    assertError(await post(`${sim.url}/get-rates`, { shipment, carriers: ['FedEx'] }, { 'X-Request-Id': 'req-3' }), 500, 'internal');
  });
});
