import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RatesResponse, type Rate } from '../../bff/shipvox/contract.ts';
import { post, start, type Shipment } from './helpers.ts';

let sim: Awaited<ReturnType<typeof start>>;
before(async () => (sim = await start()));
after(() => sim.close());

const NYC = '10001';
const NEWARK = '07102';
const SF = '94103';

async function rates(shipment: Shipment, carriers?: string[]): Promise<Rate[]> {
  const res = await post(`${sim.url}/get-rates`, { shipment, ...(carriers && { carriers }) });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  return RatesResponse.parse(res.json).rates;
}
const price = (list: Rate[], token: string): number => {
  const rate = list.find((r) => r.service_token === token);
  assert.ok(rate, `no ${token} in ${list.map((r) => r.service_token).join(', ')}`);
  return Number(rate.amount);
};

describe('POST /get-rates prices', () => {
  test('offers the nine services of the three carriers, valid against the contract', async () => {
    const list = await rates({ from_zip: NYC, to_zip: SF, weight_oz: 32 });
    assert.deepEqual(
      list.map((r) => r.service_name),
      ['USPS Ground Advantage', 'USPS Priority Mail', 'USPS Priority Mail Express', 'UPS Ground', 'UPS 2nd Day Air', 'UPS Next Day Air', 'FedEx Ground', 'FedEx 2Day', 'FedEx Standard Overnight'],
    );
    assert.equal(new Set(list.map((r) => r.rate_id)).size, list.length);
    assert.ok(list.every((r) => r.currency === 'USD' && /^\d+\.\d{2}$/.test(r.amount)));
  });

  test('a 2 lb parcel coast to coast costs what carriers charge (within the carriers\' retail price ranges)', async () => {
    const list = await rates({ from_zip: NYC, to_zip: SF, weight_oz: 32 });
    assert.ok(list.every((r) => r.zone === 8));
    const within = (token: string, lo: number, hi: number) => {
      const p = price(list, token);
      assert.ok(p >= lo && p <= hi, `${token} ${p} not in ${lo}–${hi}`);
    };
    within('usps_ground_advantage', 9, 24);
    within('usps_priority', 10, 34);
    within('usps_priority_express', 33, 96);
    within('ups_ground', 11, 30);
    within('fedex_ground', 11, 30);
    within('fedex_2_day', 25, 100);
    within('ups_second_day_air', 25, 100);
    within('fedex_standard_overnight', 39, 170);
    within('ups_next_day_air', 39, 170);
  });

  test('faster services cost more within each carrier', async () => {
    for (const shipment of [
      { from_zip: NYC, to_zip: NEWARK, weight_oz: 8 },
      { from_zip: NYC, to_zip: SF, weight_oz: 80 },
      { from_zip: '60606', to_zip: '75201', weight_oz: 400, residential: true },
    ]) {
      const list = await rates(shipment);
      const order = [
        ['usps_ground_advantage', 'usps_priority', 'usps_priority_express'],
        ['ups_ground', 'ups_second_day_air', 'ups_next_day_air'],
        [shipment.residential ? 'fedex_home_delivery' : 'fedex_ground', 'fedex_2_day', 'fedex_standard_overnight'],
      ];
      for (const tiers of order) {
        const prices = tiers.map((t) => price(list, t));
        assert.ok(prices[0]! < prices[1]! && prices[1]! < prices[2]!, `${tiers.join(' < ')}: ${prices.join(', ')}`);
      }
    }
  });

  test('zone 8 costs more than zone 1, and heavier costs more than lighter', async () => {
    const near = await rates({ from_zip: NYC, to_zip: NEWARK, weight_oz: 48 });
    const far = await rates({ from_zip: NYC, to_zip: SF, weight_oz: 48 });
    assert.equal(near.find((r) => r.carrier === 'USPS')?.zone, 1);
    assert.equal(near.find((r) => r.carrier === 'UPS')?.zone, 2, 'UPS and FedEx have no zone 1');
    const heavy = await rates({ from_zip: NYC, to_zip: SF, weight_oz: 20 * 16 });
    for (const r of far) {
      assert.ok(price(far, r.service_token) > price(near, r.service_token), `${r.service_token} zone 8 > zone 1`);
      assert.ok(price(heavy, r.service_token) > price(far, r.service_token), `${r.service_token} 20 lb > 3 lb`);
    }
  });

  test('the same request is priced the same every time', async () => {
    const shipment = { from_zip: '30301', to_zip: '98101', weight_oz: 70, length_in: 12, width_in: 10, height_in: 8 };
    const a = await rates(shipment);
    const b = await rates(shipment);
    assert.deepEqual(a.map((r) => r.amount), b.map((r) => r.amount));
    assert.notDeepEqual(a.map((r) => r.rate_id), b.map((r) => r.rate_id));
  });

  test('dimensional weight (L×W×H/139) raises UPS/FedEx prices; USPS only above one cubic foot', async () => {
    const base = { from_zip: NYC, to_zip: '60606', weight_oz: 16 };
    const light = await rates(base);
    const boxSmall = await rates({ ...base, length_in: 11, width_in: 11, height_in: 11 }); // 1331 in³ → 10 lb
    const boxBig = await rates({ ...base, length_in: 20, width_in: 12, height_in: 12 }); // 2880 in³ → 21 lb
    assert.ok(price(boxSmall, 'ups_ground') > price(light, 'ups_ground'));
    assert.ok(price(boxSmall, 'fedex_ground') > price(light, 'fedex_ground'));
    assert.equal(price(boxSmall, 'usps_priority'), price(light, 'usps_priority'));
    assert.ok(price(boxBig, 'usps_priority') > price(light, 'usps_priority'));
  });

  test('residential delivery adds a surcharge for UPS and FedEx (Home Delivery), not USPS', async () => {
    const base = { from_zip: NYC, to_zip: '02108', weight_oz: 40 };
    const business = await rates(base);
    const home = await rates({ ...base, residential: true });
    assert.ok(price(home, 'ups_ground') - price(business, 'ups_ground') > 4);
    assert.ok(price(home, 'fedex_home_delivery') - price(business, 'fedex_ground') > 4);
    assert.ok(!home.some((r) => r.service_token === 'fedex_ground'));
    assert.equal(price(home, 'usps_priority'), price(business, 'usps_priority'));
  });

  test('USPS stops at 70 lb with a message; UPS and FedEx still quote', async () => {
    const res = await post(`${sim.url}/get-rates`, { shipment: { from_zip: NYC, to_zip: SF, weight_oz: 100 * 16 } });
    assert.equal(res.status, 200);
    assert.ok(!res.json.rates.some((r: Rate) => r.carrier === 'USPS'));
    assert.ok(res.json.rates.some((r: Rate) => r.carrier === 'UPS'));
    assert.deepEqual(res.json.messages.map((m: { carrier: string; code: string }) => [m.carrier, m.code]), [['USPS', 'weight_limit_exceeded']]);
  });

  test('asks only the named carriers', async () => {
    const list = await rates({ from_zip: NYC, to_zip: SF, weight_oz: 16 }, ['FedEx']);
    assert.ok(list.length > 0 && list.every((r) => r.carrier === 'FedEx'));
  });
});

describe('POST /get-rates dates', () => {
  test('transit days grow with distance and delivery dates skip weekends', async () => {
    sim.clock.set(Date.parse('2025-01-10T15:00:00Z')); // Friday
    const list = await rates({ from_zip: NYC, to_zip: SF, weight_oz: 16 });
    const byToken = (t: string) => list.find((r) => r.service_token === t)!;
    assert.equal(byToken('ups_next_day_air').estimated_days, 1);
    assert.equal(byToken('ups_next_day_air').delivery_date, '2025-01-13'); // Monday
    assert.equal(byToken('fedex_2_day').delivery_date, '2025-01-14');
    assert.equal(byToken('ups_ground').estimated_days, 5);
    assert.equal(byToken('ups_ground').delivery_date, '2025-01-17');
    assert.ok(byToken('ups_next_day_air').guaranteed && !byToken('ups_ground').guaranteed);
    for (const r of list) {
      const day = new Date(`${r.delivery_date}T00:00:00Z`).getUTCDay();
      assert.ok(day !== 0 && day !== 6, `${r.service_token} delivers on ${r.delivery_date}`);
    }
    const near = await rates({ from_zip: NYC, to_zip: NEWARK, weight_oz: 16 });
    assert.ok(near.find((r) => r.service_token === 'ups_ground')!.estimated_days < byToken('ups_ground').estimated_days);
  });

  test('a Saturday quote counts from Monday', async () => {
    sim.clock.set(Date.parse('2025-01-11T15:00:00Z'));
    const list = await rates({ from_zip: NYC, to_zip: SF, weight_oz: 16 }, ['UPS']);
    assert.equal(list.find((r) => r.service_token === 'ups_next_day_air')!.delivery_date, '2025-01-13');
  });

  test('rates expire after the rate TTL (15 min), by the clock', async () => {
    sim.clock.set(Date.parse('2025-01-08T15:00:00Z'));
    const [rate] = await rates({ from_zip: NYC, to_zip: SF, weight_oz: 16 });
    assert.equal(rate!.expires_at, '2025-01-08T15:15:00.000Z');
  });
});

describe('POST /get-rates refusals', () => {
  const ok = { from_zip: NYC, to_zip: SF, weight_oz: 16 };

  test('unused ZIP prefixes are refused with the field', async () => {
    for (const [zip, field] of [['00312', 'from_zip'], ['21345', 'to_zip'], ['96900', undefined], ['99901', undefined], ['86901', 'to_zip']] as const) {
      const shipment = field === 'from_zip' ? { ...ok, from_zip: zip } : { ...ok, to_zip: zip };
      const res = await post(`${sim.url}/get-rates`, { shipment });
      if (!field) {
        assert.equal(res.status, 200, `${zip} is in use`);
        continue;
      }
      assert.equal(res.status, 422, zip);
      assert.deepEqual(res.json.error.code, 'invalid_zip');
      assert.equal(res.json.error.field, `shipment.${field}`);
      assert.match(res.json.error.message, new RegExp(zip));
    }
  });

  test('a malformed ZIP is invalid_zip too', async () => {
    const res = await post(`${sim.url}/get-rates`, { shipment: { ...ok, to_zip: '9410' } });
    assert.equal(res.status, 422);
    assert.deepEqual(res.json.error, { code: 'invalid_zip', message: 'to_zip must be a 5-digit US ZIP code.', field: 'shipment.to_zip' });
  });

  test('over 150 lb is invalid_weight', async () => {
    const res = await post(`${sim.url}/get-rates`, { shipment: { ...ok, weight_oz: 2401 } });
    assert.equal(res.status, 422);
    assert.equal(res.json.error.code, 'invalid_weight');
    assert.equal(res.json.error.field, 'shipment.weight_oz');
    assert.equal((await post(`${sim.url}/get-rates`, { shipment: { ...ok, weight_oz: 2400 } })).status, 200);
  });

  test('bad bodies are 400 invalid_request with a clear message, never a crash', async () => {
    const cases: [unknown, RegExp, string?][] = [
      ['not json', /not valid JSON/],
      ['', /empty/],
      ['[]', /body must be an object/],
      ['null', /body must be an object/],
      [{ shipment: 'x' }, /shipment must be an object/, 'shipment'],
      [{ shipment: { ...ok, weight_oz: '16' } }, /weight_oz must be a number/, 'shipment.weight_oz'],
      [{ shipment: { ...ok, weight_oz: 0 } }, /weight_oz must be greater than 0/, 'shipment.weight_oz'],
      [{ shipment: { ...ok, length_in: 10 } }, /together/, 'shipment'],
      [{ shipment: ok, carriers: ['DHL'] }, /carriers\.0 must be one of/, 'carriers.0'],
      [{ shipment: ok, carriers: [] }, /at least one carrier/, 'carriers'],
      [{ shipment: { ...ok, residential: 'yes' } }, /residential must be a boolean/, 'shipment.residential'],
    ];
    for (const [body, message, field] of cases) {
      const res = await post(`${sim.url}/get-rates`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.error.code, 'invalid_request');
      assert.match(res.json.error.message, message);
      assert.equal(res.json.error.field, field);
    }
    const huge = await post(`${sim.url}/get-rates`, JSON.stringify({ shipment: ok, pad: 'x'.repeat(200_000) }));
    assert.equal(huge.status, 413);
    assert.equal(huge.json.error.code, 'request_too_large');
    assert.equal((await post(`${sim.url}/get-rates`, { shipment: ok })).status, 200);
  });
});

describe('carrier latency', () => {
  test('each carrier waits its latency through the injected sleep (FedEx is slow by default)', async () => {
    const custom = await start({ latencyMs: { USPS: 11, UPS: 22, FedEx: 1234 } });
    try {
      await post(`${custom.url}/get-rates`, { shipment: { from_zip: NYC, to_zip: SF, weight_oz: 16 } });
      assert.deepEqual(
        custom.sleeper.calls.filter((c) => c.purpose === 'carrier_latency').map((c) => [c.carrier, c.ms]),
        [['USPS', 11], ['UPS', 22], ['FedEx', 1234]],
      );
    } finally {
      await custom.close();
    }
    const defaults = await start({ latencyMs: undefined, labelLatencyMs: undefined });
    try {
      await post(`${defaults.url}/get-rates`, { shipment: { from_zip: NYC, to_zip: SF, weight_oz: 16 }, carriers: ['FedEx'] });
      assert.deepEqual(defaults.sleeper.calls, [{ ms: 1500, purpose: 'carrier_latency', carrier: 'FedEx' }]);
    } finally {
      await defaults.close();
    }
  });
});
