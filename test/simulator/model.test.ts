/** The pure parts: ZIP prefixes and zones, transit dates, tracking check digits. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { billableLb, priceCents } from '../../bff/simulator/pricing.ts';
import { createPrng } from '../../bff/simulator/prng.ts';
import { trackingNumber, upsCheckDigit } from '../../bff/simulator/tracking.ts';
import { businessDaysAfter, transitDays } from '../../bff/simulator/transit.ts';
import { regionOfPrefix } from '../../bff/simulator/zip-regions.ts';
import { UNUSED_PREFIXES, regionOfZip, zoneFor } from '../../bff/simulator/zones.ts';

test('every 3-digit prefix is either unused or has a region', () => {
  for (let p = 0; p < 1000; p++) {
    if (!UNUSED_PREFIXES.has(p)) assert.ok(regionOfPrefix(p), `prefix ${String(p).padStart(3, '0')} has no region`);
  }
  assert.equal(regionOfZip('00501')?.city, 'Holtsville');
  assert.equal(regionOfZip('00499'), undefined);
  assert.equal(regionOfZip('21301'), undefined);
  assert.deepEqual([regionOfZip('60606')?.city, regionOfZip('60606')?.state], ['Chicago', 'IL']);
});

test('zones follow distance bands', () => {
  assert.equal(zoneFor('10001', '10002'), 1);
  assert.equal(zoneFor('10001', '19103'), 2); // Philadelphia ~80 mi
  assert.equal(zoneFor('10001', '02108'), 3); // Boston ~190 mi
  assert.equal(zoneFor('10001', '60606'), 5); // Chicago ~710 mi
  assert.equal(zoneFor('10001', '94103'), 8);
  assert.equal(zoneFor('94103', '96813'), 8); // Honolulu
  assert.equal(zoneFor('94103', '10001'), zoneFor('10001', '94103'));
});

test('transit days and business-day dates', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map((z) => transitDays('ground', z, false)), [1, 1, 2, 3, 3, 4, 4, 5]);
  assert.equal(transitDays('priority', 2, false), 1);
  assert.equal(transitDays('overnight', 8, true), 2);
  const friday = Date.parse('2025-01-10T20:00:00Z');
  assert.equal(businessDaysAfter(friday, 1), '2025-01-13');
  assert.equal(businessDaysAfter(friday, 5), '2025-01-17');
  // 03:00 UTC on Saturday is still Friday evening in New York.
  assert.equal(businessDaysAfter(Date.parse('2025-01-11T03:00:00Z'), 1), '2025-01-13');
});

test('billable weight: actual rounded up, dimensional for UPS/FedEx, USPS only above 1 ft³', () => {
  assert.equal(billableLb({ weight_oz: 17 }, false), 2);
  assert.equal(billableLb({ weight_oz: 16, length_in: 11, width_in: 11, height_in: 11 }, false), 10);
  assert.equal(billableLb({ weight_oz: 16, length_in: 11, width_in: 11, height_in: 11 }, true), 1);
  assert.equal(billableLb({ weight_oz: 16, length_in: 20, width_in: 12, height_in: 12 }, true), 21);
});

test('prices rise with weight for every service and lane (monotonic, deterministic)', () => {
  const tokens = ['usps_ground_advantage', 'usps_priority', 'usps_priority_express', 'ups_ground', 'ups_second_day_air', 'ups_next_day_air', 'fedex_ground', 'fedex_home_delivery', 'fedex_2_day', 'fedex_standard_overnight'] as const;
  for (const token of tokens) {
    for (const zone of [1, 4, 8]) {
      let last = 0;
      for (const oz of [2, 4, 8, 12, 16, 32, 48, 64, 80, 160, 320, 1120, 2400]) {
        const cents = priceCents({ token, parcel: { weight_oz: oz }, zone, residential: false, fromZip: '10001', toZip: '94103' });
        assert.ok(cents >= last, `${token} z${zone} ${oz} oz: ${cents} < ${last}`);
        last = cents;
      }
    }
  }
});

test('tracking numbers carry valid check digits', () => {
  const prng = createPrng(1);
  for (let i = 0; i < 20; i++) {
    const usps = trackingNumber('USPS', 'usps_priority', prng);
    const digits = [...usps.slice(0, -1)].map(Number).reverse();
    const sum = digits.reduce((s, d, k) => s + d * (k % 2 === 0 ? 3 : 1), 0);
    assert.equal(Number(usps.at(-1)), (10 - (sum % 10)) % 10);
    const fedex = trackingNumber('FedEx', 'fedex_2_day', prng);
    const fsum = [...fedex.slice(0, -1)].map(Number).reverse().reduce((s, d, k) => s + d * [1, 3, 7][k % 3]!, 0);
    assert.equal(Number(fedex.at(-1)), (fsum % 11) % 10);
  }
  assert.equal(upsCheckDigit('999AA1012345678'), 4, "UPS's published sample 1Z 999 AA1 01 2345 678 4");
  const ups = trackingNumber('UPS', 'ups_ground', createPrng(3));
  assert.match(ups, /^1ZSVX9Z103\d{8}$/);
  assert.equal(Number(ups.at(-1)), upsCheckDigit(ups.slice(2, -1)));
});
