/** The local Bob's reading of typed lines: the same line always reads the same, no model involved. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { understand } from '../../bff/local-bob/understand.ts';
import { maskPersonal } from '../../bff/mask.ts';

test('ZIP codes, weight and unit, with and without from/to', () => {
  const a = understand('2 pounds from 10001 to 94105');
  assert.deepEqual([a.from_zip, a.to_zip, a.zips, a.weight, a.weight_unit], ['10001', '94105', [], 2, 'lb']);
  const b = understand('ship 12 oz to 60601 from 02139');
  assert.deepEqual([b.from_zip, b.to_zip, b.weight, b.weight_unit], ['02139', '60601', 12, 'oz']);
  const c = understand('10001 94105, 1.5kg');
  assert.deepEqual([c.zips, c.weight, c.weight_unit], [['10001', '94105'], 1.5, 'kg']);
  const d = understand('it weighs two and a half pounds');
  assert.deepEqual([d.weight, d.weight_unit, d.zips], [2.5, 'lb', []]);
  assert.equal(understand('3 lbs').weight_unit, 'lb');
  assert.equal(understand('500 kilograms').weight, 500);
  assert.equal(understand('from zip code 10001').from_zip, '10001');
});

test('options by number, ordinal, cheapest, fastest; yes, no, buy, status', () => {
  assert.equal(understand('option 2').option, 2);
  assert.equal(understand('Option two, please').option, 2);
  assert.equal(understand('the third one').option, 3);
  assert.equal(understand('2').option, 2);
  assert.equal(understand('the last one').option, -1);
  assert.equal(understand('the cheapest').pick, 'cheapest');
  assert.equal(understand('whatever is fastest').pick, 'fastest');
  assert.equal(understand('2 pounds from 10001 to 94105').option, undefined);
  const yes = understand('yes');
  assert.deepEqual([yes.yes, yes.no, yes.buy], [true, false, false]);
  assert.equal(understand('Yeah, go ahead').yes, true);
  assert.equal(understand('no, wait').no, true);
  assert.equal(understand('buy option 1').buy, true);
  assert.equal(understand('Where are we?').status, true);
  assert.equal(understand('what is the status').status, true);
  assert.equal(understand('hello there').status, false);
});

test('an address line is an address, not a weight or an option; the log masks it and emails', () => {
  const u = understand('Send it to 350 5th Ave, Apt 4, New York, NY 10118');
  assert.deepEqual(u.address, { street: '350 5th Ave, Apt 4', city: 'New York', state: 'NY', zip: '10118' });
  assert.equal(u.option, undefined);
  assert.equal(u.weight, undefined);
  assert.deepEqual(u.zips, [], "the address's ZIP is not the shipment's");
  assert.deepEqual(understand('Jane Doe, 1 Market St, San Francisco, CA 94105').address, { name: 'Jane Doe', street: '1 Market St', city: 'San Francisco', state: 'CA', zip: '94105' });
  assert.deepEqual(understand('ship it to Ada Lovelace 500 Howard St 94105').address, { name: 'Ada Lovelace', street: '500 Howard St', zip: '94105' });
  assert.equal(understand('where is my parcel?').track, true);
  assert.equal(understand('where is my parcel?').status, false);
  assert.equal(maskPersonal('Send it to 350 5th Ave, Apt 4, New York, NY 10118'), 'Send it to [street address], New York, NY 10118');
  assert.equal(maskPersonal('mail ana.lopez@example.com the label'), 'mail a******@example.com the label');
  // The shipment itself stays readable.
  assert.equal(maskPersonal('2 pounds from 10001 to 94105, option 2'), '2 pounds from 10001 to 94105, option 2');
  assert.equal(maskPersonal('3 lb to 94105 by the fastest way'), '3 lb to 94105 by the fastest way');
});
