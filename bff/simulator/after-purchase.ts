/**
 * A label's life after purchase: tracking events that the clock moves on (pre-transit at purchase,
 * the carrier's first scan two steps later, then in transit, out for delivery, delivered), and the
 * void, possible until that first scan, idempotent under its Idempotency-Key and once per label.
 */
import type { Context } from 'hono';
import type { TrackingEvent } from '../../shared/address.ts';
import { IDEMPOTENCY_HEADER, type TrackingResponse, type VoidLabelResponse } from '../shipvox/contract.ts';
import { accountBody, moveBalance } from './account-route.ts';
import { errorJson } from './http.ts';
import { REPLAYED_HEADER } from './label-route.ts';
import type { LabelRecord, SimState } from './state.ts';

type Step = { after: number; status: TrackingEvent['status']; description: (r: LabelRecord) => string; at: 'from' | 'to' };

const TIMELINE: readonly Step[] = [
  { after: 0, status: 'pre_transit', description: (r) => `Shipping label created, ${r.response.carrier} awaiting item`, at: 'from' },
  { after: 2, status: 'in_transit', description: (r) => `Accepted at ${r.response.carrier} origin facility`, at: 'from' },
  { after: 3, status: 'in_transit', description: () => 'Arrived at destination facility', at: 'to' },
  { after: 4, status: 'out_for_delivery', description: () => 'Out for delivery', at: 'to' },
  { after: 5, status: 'delivered', description: () => 'Delivered, left at front door', at: 'to' },
];
/** The carrier's first scan: a label can be voided until then. */
const FIRST_SCAN_STEP = 2;

export function trackingEvents(state: SimState, record: LabelRecord): TrackingEvent[] {
  const created = Date.parse(record.response.created_at);
  const now = state.config.now();
  const until = record.voided ? Date.parse(record.voided.voided_at) : now;
  return TIMELINE.filter((s) => created + s.after * state.config.trackingStepMs <= until).map((s, i) => {
    const a = s.at === 'from' ? record.pdf.from : record.pdf.to;
    return {
      event_id: `${record.response.label_id}-${i + 1}`,
      status: s.status,
      description: s.description(record),
      location: `${a.city}, ${a.state}`,
      occurred_at: new Date(created + s.after * state.config.trackingStepMs).toISOString(),
    };
  });
}

export function getTracking(c: Context, state: SimState): Response {
  const record = state.labels.get(c.req.param('id') ?? '');
  if (!record) return errorJson(c, 404, 'label_not_found', 'No such label.');
  if (record.voided) return errorJson(c, 409, 'label_voided', 'This label was voided; it has no tracking.');
  const events = trackingEvents(state, record);
  const body: TrackingResponse = {
    label_id: record.response.label_id,
    tracking_number: record.response.tracking_number,
    carrier: record.response.carrier,
    status: events.at(-1)?.status ?? 'pre_transit',
    events,
  };
  return c.json(body);
}

export function voidLabel(c: Context, state: SimState): Response {
  const id = c.req.param('id') ?? '';
  const key = c.req.header(IDEMPOTENCY_HEADER)?.trim();
  if (!key || key.length > 255) return errorJson(c, 400, 'missing_idempotency_key', `The ${IDEMPOTENCY_HEADER} header (at most 255 characters) is required.`, IDEMPOTENCY_HEADER);
  const record = state.labels.get(id);
  if (!record) return errorJson(c, 404, 'label_not_found', 'No such label.');
  const claim = state.idempotency.begin(`void:${key}`, id);
  if (claim.kind === 'mismatch') return errorJson(c, 422, 'idempotency_mismatch', `This ${IDEMPOTENCY_HEADER} was already used for another label.`, IDEMPOTENCY_HEADER);
  if (claim.kind === 'replay') return c.json(claim.response.body, 200, { [REPLAYED_HEADER]: 'true' });
  if (claim.kind === 'in_flight') return errorJson(c, 409, 'void_in_progress', 'A void with this key is in progress; retry shortly.');
  // Once per label, whatever the key: a second void answers the first one's refund.
  if (record.voided) {
    state.idempotency.abandon(`void:${key}`);
    return c.json(record.voided, 200, { [REPLAYED_HEADER]: 'true' });
  }
  const scanned = Date.parse(record.response.created_at) + FIRST_SCAN_STEP * state.config.trackingStepMs <= state.config.now();
  if (scanned) {
    state.idempotency.abandon(`void:${key}`);
    return errorJson(c, 409, 'void_window_closed', `${record.response.carrier} has already scanned this parcel, so the label can no longer be voided.`);
  }
  const cents = Math.round(Number(record.response.amount) * 100);
  moveBalance(state, cents);
  const body: VoidLabelResponse = {
    label_id: id,
    status: 'voided',
    refund_amount: record.response.amount,
    currency: record.response.currency,
    balance: accountBody(state).balance,
    voided_at: new Date(state.config.now()).toISOString(),
  };
  state.labels.set(id, { ...record, voided: body });
  state.stats.labels_voided++;
  state.idempotency.complete(`void:${key}`, { status: 201, body });
  return c.json(body, 200);
}
