/** A shipment, its quotes, a label and the shipment's parties as the shared reducer's tests log them. */
import type { Account, Address, TrackingEvent } from '../../shared/address.ts';
import type { NewSessionEvent, SessionEvent } from '../../shared/protocol.ts';
import type { Label, Quote } from '../../shared/tools.ts';

export const shipment = { from_zip: '10001', to_zip: '94105', weight: 2, weight_unit: 'lb' as const, weight_oz: 32, residential: false };

export const quote = (req: number, option: number, over: Partial<Quote> = {}): Quote => ({
  option, quote_id: `q${req}-${option}`, rate_id: `rate_${req}_${option}`, carrier: 'USPS', service: 'Priority Mail', service_code: 'usps_priority',
  price_cents: 800 + option * 100, currency: 'USD', estimated_days: 2, delivery_date: '2026-11-27', guaranteed: false, zone: 8,
  expires_at: '2026-11-24T15:15:00Z', tags: [], ...over,
});

export const label = (quoteId: string, over: Partial<Label> = {}): Label => ({
  label_id: `lbl_${quoteId}`, quote_id: quoteId, carrier: 'USPS', service: 'Priority Mail', tracking_number: '9400100000000000000000',
  tracking_url: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000000', pdf_url: '/v1/labels/x.pdf', qr_svg: '<svg/>',
  price_cents: 900, currency: 'USD', created_at: '2026-11-24T15:05:00Z', ...over,
});

export const address = (over: Partial<Address> = {}): Address => ({ name: 'Jane Doe', street: '12 Main St', city: 'New York', state: 'NY', zip: '10001', ...over });

export const account = (balanceCents: number): Account => ({
  account_id: 'acct_1', name: 'ShipVox Demo Store', address: address({ name: 'ShipVox Demo Store', street: '100 Congress Ave', city: 'Austin', state: 'TX', zip: '78701' }),
  balance_cents: balanceCents, currency: 'USD',
});

export const trackingEvent = (n: number, status: TrackingEvent['status'], labelId = 'lbl_q1-1'): TrackingEvent => ({
  event_id: `${labelId}-${n}`, status, description: status, location: 'San Francisco, CA', occurred_at: '2026-11-25T10:00:00Z',
});

/** Drafts as the log holds them: seq 1, 2, 3 … of one session. */
export function seal(drafts: NewSessionEvent[], sessionId = 'ses_t'): SessionEvent[] {
  return drafts.map((d, i) => ({ ...d, seq: i + 1, ts: '2026-11-24T15:00:00.000Z', session_id: sessionId }) as SessionEvent);
}
