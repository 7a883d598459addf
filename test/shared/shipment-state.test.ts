/** The shared reducer and summary for the shipment: recipient, summary id, another destination, void, tracking, the last step. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewSessionEvent } from '../../shared/protocol.ts';
import { deriveSteps, replay } from '../../shared/session.ts';
import { purchaseSummary } from '../../shared/summary.ts';
import { address as recipient, label as labelFor, quote, seal, shipment as route, trackingEvent } from './fixtures.ts';

const shipment = (to_zip: string) => ({ ...route, from_zip: '78701', to_zip, residential: true });
const address = recipient();
const valid = { status: 'valid' as const, residential: true, messages: [] };
const label = labelFor('q1-1', { label_id: 'lbl_1' });
const track = (n: number, status: 'pre_transit' | 'in_transit' | 'delivered') => trackingEvent(n, status, 'lbl_1');
const log = (drafts: NewSessionEvent[]) => seal(drafts, 's');

describe('shipment state', () => {
  const quoted: NewSessionEvent[] = [
    { type: 'quotes_ready', request_id: 'rq1', shipment: shipment('10001'), quotes: [quote(1, 1), quote(1, 2)] },
    { type: 'quote_selected', quote_id: 'q1-1', by: 'ui' },
  ];

  it('the summary says what blocks it and changes its id with the recipient', () => {
    const none = purchaseSummary(replay('s', log(quoted)))!;
    assert.equal(none.blocker, 'no_recipient');
    const ready = purchaseSummary(replay('s', log([...quoted, { type: 'recipient_updated', address, validation: valid, by: 'agent', summary: '' }])))!;
    assert.equal(ready.blocker, null);
    const other = purchaseSummary(replay('s', log([...quoted, { type: 'recipient_updated', address: { ...address, name: 'John Roe' }, validation: valid, by: 'ui', summary: '' }])))!;
    assert.notEqual(other.summary_id, ready.summary_id);
    const suggested = purchaseSummary(replay('s', log([...quoted, { type: 'recipient_updated', address, validation: { ...valid, status: 'suggested' }, by: 'ui', summary: '' }])))!;
    assert.equal(suggested.blocker, 'address_unverified');
    const elsewhere = purchaseSummary(replay('s', log([...quoted, { type: 'recipient_updated', address: { ...address, zip: '10002' }, validation: valid, by: 'ui', summary: '' }])))!;
    assert.equal(elsewhere.blocker, 'recipient_zip_mismatch');
  });

  it('prices for the same route are offered next to a choice; for another destination they replace it', () => {
    const same = replay('s', log([...quoted, { type: 'quotes_ready', request_id: 'rq2', shipment: shipment('10001'), quotes: [quote(2, 1)] }]));
    assert.equal(same.selected_quote_id, 'q1-1');
    assert.equal(same.updated_quotes?.request_id, 'rq2');
    const moved = replay('s', log([...quoted, { type: 'quotes_ready', request_id: 'rq2', shipment: shipment('94105'), quotes: [quote(2, 1)] }]));
    assert.equal(moved.selected_quote_id, null);
    assert.equal(moved.quotes?.request_id, 'rq2');
  });

  it('tracking collects events per label; the last step goes label → in transit → delivered, or voided', () => {
    const bought: NewSessionEvent[] = [...quoted, { type: 'label_created', label }];
    const stage = (extra: NewSessionEvent[]) => deriveSteps(replay('s', log([...bought, ...extra]))).at(-1);
    assert.deepEqual(stage([]), { id: 'done', status: 'done', detail: 'label' });
    const moving: NewSessionEvent[] = [
      { type: 'tracking_updated', label_id: 'lbl_1', status: 'pre_transit', events: [track(1, 'pre_transit')], summary: '' },
      { type: 'tracking_updated', label_id: 'lbl_1', status: 'in_transit', events: [track(2, 'in_transit')], summary: '' },
    ];
    assert.equal(stage(moving)?.detail, 'in_transit');
    assert.equal(replay('s', log([...bought, ...moving])).tracking?.events.length, 2);
    assert.equal(stage([...moving, { type: 'tracking_updated', label_id: 'lbl_1', status: 'delivered', events: [track(3, 'delivered')], summary: '' }])?.detail, 'delivered');
    assert.equal(stage([{ type: 'label_voided', label_id: 'lbl_1', refund_cents: 1001, currency: 'USD', by: 'ui', summary: '' }])?.detail, 'voided');
  });
});
