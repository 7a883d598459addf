/** The simulator's account services over HTTP: account, address check, void, tracking, label files. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import type { Rate } from '../../bff/shipvox/contract.ts';
import { post, start } from './helpers.ts';

let sim: Awaited<ReturnType<typeof start>>;
const STEP = 60_000;
before(async () => (sim = await start({ trackingStepMs: STEP, account: { balance_cents: 5_000 } })));
after(() => sim.close());

const check = (address: Record<string, unknown>) => post(`${sim.url}/validate-address`, { address });
const base = { name: 'Jane Doe', street: '12 Main St', zip: '10001' };

async function label(to: Record<string, unknown> = { ...base, city: 'New York', state: 'NY' }) {
  const rates = await post(`${sim.url}/get-rates`, { shipment: { from_zip: '78701', to_zip: '10001', weight_oz: 16 } });
  const rate = (rates.json.rates as Rate[]).find((r) => r.service_token === 'usps_ground_advantage')!;
  const res = await post(`${sim.url}/create-label`, { rate_id: rate.rate_id, to_address: to }, { 'Idempotency-Key': `k-${rate.rate_id}` });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return res.json as { label_id: string; amount: string; balance: string; tracking_url: string };
}

describe('GET /account and POST /validate-address', () => {
  test('the account: its address is the sender, its balance pays for labels', async () => {
    const account = await (await fetch(`${sim.url}/account`)).json();
    assert.equal(account.address.city, 'New York', "the demo's example ships from the account's ZIP");
    assert.equal(account.address.zip, '10001');
    assert.equal(account.balance, '50.00');
  });

  test('valid, with city and state from the ZIP; a company is a business address', async () => {
    const home = await check(base);
    assert.equal(home.json.status, 'valid');
    assert.deepEqual([home.json.normalized.city, home.json.normalized.state, home.json.residential], ['New York', 'NY', true]);
    const work = await check({ ...base, company: 'Acme', city: 'new york', state: 'ny' });
    assert.deepEqual([work.json.status, work.json.residential, work.json.normalized.city], ['valid', false, 'New York']);
  });

  test('a near miss is suggested: a misspelled city, a state the ZIP is not in', async () => {
    const r = await check({ ...base, city: 'Nwe York', state: 'NJ' });
    assert.equal(r.json.status, 'suggested');
    assert.deepEqual([r.json.suggestion.city, r.json.suggestion.state], ['New York', 'NY']);
    assert.deepEqual(r.json.messages.map((m: { code: string }) => m.code).sort(), ['city_mismatch', 'state_mismatch']);
    // Another town of the ZIP's area is taken as written (the data names one city per prefix).
    assert.equal((await check({ ...base, city: 'Hoboken', state: 'NY' })).json.status, 'valid');
  });

  test('invalid: no street number, a ZIP that does not exist; 400 for a malformed body', async () => {
    const r = await check({ ...base, street: 'Main Street' });
    assert.equal(r.json.status, 'invalid');
    assert.equal(r.json.messages[0].code, 'street_number_missing');
    assert.equal((await check({ ...base, zip: '00000' })).json.messages[0].code, 'zip_not_found');
    const bad = await check({ ...base, zip: '1234' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.field, 'address.zip');
    assert.equal((await post(`${sim.url}/validate-address`, 'nope')).status, 400);
  });
});

describe('after purchase', () => {
  test('void: refunds once under any key, replays, then the files answer 410; refused after the first scan', async () => {
    const bought = await label();
    const v = (key: string) => post(`${sim.url}/labels/${bought.label_id}/void`, {}, { 'Idempotency-Key': key });
    const first = await v('a');
    assert.equal(first.status, 200);
    assert.equal(first.json.refund_amount, bought.amount);
    assert.equal(Number(first.json.balance), Number(bought.balance) + Number(bought.amount));
    const again = await v('a');
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    const other = await v('b');
    assert.deepEqual(other.json, first.json, 'a second key refunds nothing more');
    assert.equal((await fetch(`${sim.url}/labels/${bought.label_id}.pdf`)).status, 410);
    assert.equal((await fetch(`${sim.url}/labels/${bought.label_id}/tracking`)).status, 409);
    assert.equal((await post(`${sim.url}/labels/${bought.label_id}/void`, {})).status, 400, 'the key is required');
    assert.equal((await post(`${sim.url}/labels/lbl_nope/void`, {}, { 'Idempotency-Key': 'x' })).status, 404);

    const late = await label();
    sim.clock.advance(2 * STEP);
    const refused = await post(`${sim.url}/labels/${late.label_id}/void`, {}, { 'Idempotency-Key': 'c' });
    assert.equal(refused.status, 409);
    assert.equal(refused.json.error.code, 'void_window_closed');
  });

  test('tracking moves on the clock, one event per step, to delivered', async () => {
    const bought = await label();
    const track = async () => (await fetch(`${sim.url}/labels/${bought.label_id}/tracking`)).json();
    assert.deepEqual((await track()).events.map((e: { status: string }) => e.status), ['pre_transit']);
    sim.clock.advance(3 * STEP);
    assert.equal((await track()).status, 'in_transit');
    sim.clock.advance(10 * STEP);
    const done = await track();
    assert.deepEqual(done.events.map((e: { status: string }) => e.status), ['pre_transit', 'in_transit', 'in_transit', 'out_for_delivery', 'delivered']);
    assert.equal(done.events.at(-1).location, 'New York, NY');
  });

  test('the balance refuses a label it cannot pay for', async () => {
    let status = 201;
    for (let i = 0; i < 20 && status === 201; i++) {
      const rates = await post(`${sim.url}/get-rates`, { shipment: { from_zip: '78701', to_zip: '99501', weight_oz: 800 } });
      const rate = (rates.json.rates as Rate[]).at(-1)!;
      status = (await post(`${sim.url}/create-label`, { rate_id: rate.rate_id }, { 'Idempotency-Key': `b${i}` })).status;
    }
    assert.equal(status, 402);
  });
});

describe('label files', () => {
  test('PNG decodes at 4x6 in, 203 dpi; ZPL is one label whose field data cannot end it early', async () => {
    const bought = await label({ ...base, name: 'Eve ^XZ^XA ~JR', city: 'New York', state: 'NY' });
    const png = PNG.sync.read(Buffer.from(await (await fetch(`${sim.url}/labels/${bought.label_id}.png`)).arrayBuffer()));
    assert.deepEqual([png.width, png.height], [812, 1218]);
    const zpl = await (await fetch(`${sim.url}/labels/${bought.label_id}.zpl`)).text();
    assert.equal(zpl.match(/\^XA/g)?.length, 1);
    assert.equal(zpl.match(/\^XZ/g)?.length, 1);
    assert.ok(!zpl.includes('~JR'));
    assert.match(zpl, /EVE  XZ XA  JR/);
    assert.ok(zpl.includes(`^FDMA,${bought.tracking_url}^FS`), 'the QR code carries the tracking URL as it is');
    assert.equal((await fetch(`${sim.url}/labels/${bought.label_id}.pdf?layout=tabloid`)).status, 400);
  });
});
