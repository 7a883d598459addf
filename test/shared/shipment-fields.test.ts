// The field rules of shared/shipment-fields.ts are the ones the schemas check (the widget's forms
// use the same constants, without zod).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Address } from '../../shared/address.ts';
import { ADDRESS_MAX_LENGTH, DEFAULT_DIMENSION_UNIT, DEFAULT_WEIGHT_UNIT, DIMENSION_UNITS, WEIGHT_UNITS } from '../../shared/shipment-fields.ts';
import { GetShippingQuotesParams, SetRecipientAddressParams } from '../../shared/tools.ts';

const address = { name: 'Jane Doe', street: '12 Main St', city: 'Springfield', state: 'MA', zip: '01103' };

it('an address field takes ADDRESS_MAX_LENGTH characters and not one more, on screen and from Bob', () => {
  for (const [field, max] of Object.entries(ADDRESS_MAX_LENGTH)) {
    // Text fields are padded with letters; state and ZIP have their own formats.
    const fill = (n: number) => (field === 'zip' ? '1'.repeat(n) : 'A'.repeat(n));
    assert.ok(Address.safeParse({ ...address, [field]: fill(max) }).success, `${field} of ${max}`);
    assert.equal(Address.safeParse({ ...address, [field]: fill(max + 1) }).success, false, `${field} of ${max + 1}`);
    if (field === 'zip') continue; // Bob's ZIP is exactly 5 digits (the same pattern), checked below
    assert.ok(SetRecipientAddressParams.safeParse({ [field]: fill(max) }).success, `tool ${field} of ${max}`);
    assert.equal(SetRecipientAddressParams.safeParse({ [field]: fill(max + 1) }).success, false, `tool ${field} of ${max + 1}`);
  }
  assert.ok(SetRecipientAddressParams.safeParse({ zip: '01103' }).success);
  for (const zip of ['0110', '011034', '0110a']) assert.equal(SetRecipientAddressParams.safeParse({ zip }).success, false, zip);
});

it('the units and their defaults are the shared lists, for the tool schemas and the configs made from them', () => {
  const parsed = GetShippingQuotesParams.parse({ from_zip: '10001', to_zip: '94105', weight: 2, length: 1, width: 1, height: 1 });
  assert.equal(parsed.weight_unit, DEFAULT_WEIGHT_UNIT);
  assert.equal(parsed.dimension_unit, DEFAULT_DIMENSION_UNIT);
  for (const unit of WEIGHT_UNITS) assert.ok(GetShippingQuotesParams.safeParse({ ...parsed, weight_unit: unit }).success, unit);
  for (const unit of DIMENSION_UNITS) assert.ok(GetShippingQuotesParams.safeParse({ ...parsed, dimension_unit: unit }).success, unit);
  assert.equal(GetShippingQuotesParams.safeParse({ ...parsed, weight_unit: 'stone' }).success, false);
});
