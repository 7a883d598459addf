/** Test states built the only legal way: logged events run through the shared reducer. */
import type { SessionEvent } from '../../shared/protocol.ts';
import { initialState, reduce, type SessionState } from '../../shared/session.ts';
import type { Address, AddressValidation, TrackingEvent } from '../../shared/address.ts';
import type { Label, Quote } from '../../shared/tools.ts';

export const SESSION_ID = 'ses_test';
const TS = '2026-11-26T10:00:00.000Z';

export const SHIPMENT = { from_zip: '94105', to_zip: '10001', weight: 2, weight_unit: 'lb' as const, weight_oz: 32, residential: true };

export function quote(option: number, overrides: Partial<Quote> = {}): Quote {
  const carriers = ['USPS', 'UPS', 'FedEx'] as const;
  return {
    option,
    quote_id: `q_${option}`,
    rate_id: `r_${option}`,
    carrier: carriers[(option - 1) % 3]!,
    service: ['Ground Advantage', 'Ground', '2Day'][(option - 1) % 3]!,
    service_code: `svc_${option}`,
    price_cents: 850 + option * 275,
    currency: 'USD',
    estimated_days: 5 - option,
    delivery_date: `2026-12-0${option}`,
    guaranteed: option === 3,
    zone: 8,
    expires_at: '2026-11-26T11:00:00.000Z',
    tags: option === 1 ? ['cheapest', 'best_value'] : option === 3 ? ['fastest'] : [],
    ...overrides,
  };
}

export const QR_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29" shape-rendering="crispEdges"><path fill="#ffffff" d="M0 0h29v29H0z"/><path stroke="#000000" d="M4 4.5h7m1 0h1M4 5.5h1"/></svg>';

export function label(overrides: Partial<Label> = {}): Label {
  return {
    label_id: 'lbl_1',
    quote_id: 'q_2',
    carrier: 'UPS',
    service: 'Ground',
    tracking_number: '1Z999AA10123456784',
    tracking_url: 'https://track.example/1Z999AA10123456784',
    pdf_url: 'http://127.0.0.1:9/v1/labels/lbl_1.pdf?exp=4102444800&sig=abc',
    qr_svg: QR_SVG,
    price_cents: 1400,
    currency: 'USD',
    created_at: TS,
    ...overrides,
  };
}

type Body = SessionEvent extends infer E ? (E extends SessionEvent ? Omit<E, 'seq' | 'ts' | 'session_id'> : never) : never;

/** Stamps events with consecutive seqs starting after `from`. */
export function logged(bodies: Body[], from = 0): SessionEvent[] {
  return bodies.map((b, i) => ({ ...b, seq: from + i + 1, ts: TS, session_id: SESSION_ID }) as SessionEvent);
}

export function stateOf(bodies: Body[]): SessionState {
  return logged(bodies).reduce(reduce, initialState(SESSION_ID));
}

export const started = (id = 'tc_1'): Body => ({
  type: 'tool_call_started',
  tool_call_id: id,
  tool_name: 'get_shipping_quotes',
  parameters: { from_zip: '94105', to_zip: '10001', weight: 2, weight_unit: 'lb' },
  source: 'agent_webhook',
});
export const slowFedEx = (id = 'tc_1'): Body => ({
  type: 'tool_call_progress',
  tool_call_id: id,
  tool_name: 'get_shipping_quotes',
  answered: ['USPS', 'UPS'],
  slow: ['FedEx'],
});
export const quotesReady = (request = 'rq_1', quotes = [quote(1), quote(2), quote(3)]): Body => ({
  type: 'quotes_ready',
  request_id: request,
  shipment: SHIPMENT,
  quotes,
});
export const selected = (quoteId = 'q_2'): Body => ({ type: 'quote_selected', quote_id: quoteId, by: 'ui' });
export const labelCreated = (l = label()): Body => ({ type: 'label_created', label: l });
export const toolResult = (id = 'tc_1', tool_name = 'get_shipping_quotes'): Body => ({
  type: 'client_tool_result',
  tool_call_id: id,
  tool_name,
  is_error: false,
  result: 'Here are your options.',
  data: {},
});

/** Completes entrance animations at once, so axe measures colours at full opacity. */
export async function animationsDone(): Promise<void> {
  await Promise.resolve();
  const all: Animation[] = [];
  const collect = (root: Document | ShadowRoot) => {
    for (const el of Array.from(root.querySelectorAll('*'))) {
      all.push(...el.getAnimations());
      if (el.shadowRoot) collect(el.shadowRoot);
    }
  };
  collect(document);
  const finite = all.filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
  // Jump to the end: no waiting on the compositor (background test pages throttle animations).
  for (const a of finite) a.finish();
}

export const ADDRESS: Address = { name: 'Jane Doe', street: '12 Main St', city: 'New York', state: 'NY', zip: '10001' };
export const VALID: AddressValidation = { status: 'valid', residential: true, messages: [] };
export const quotesTo = (destination = { city: 'New York', state: 'NY' }): Body => ({
  type: 'quotes_ready',
  request_id: 'rq_1',
  shipment: { ...SHIPMENT, destination },
  quotes: [quote(1), quote(2), quote(3)],
});
export const recipientSet = (address: Address = ADDRESS, validation: AddressValidation = VALID, by: 'ui' | 'agent' = 'ui'): Body => ({
  type: 'recipient_updated',
  address,
  validation,
  by,
  summary: `Recipient set to ${address.name}.`,
});
export const trackingEvent = (n: number, status: TrackingEvent['status'], description: string): TrackingEvent => ({
  event_id: `te_${n}`,
  status,
  description,
  location: n === 1 ? 'San Francisco, CA' : 'Reno, NV',
  occurred_at: `2026-11-26T1${n}:00:00.000Z`,
});
export const tracked = (events: TrackingEvent[], labelId = 'lbl_1'): Body => ({
  type: 'tracking_updated',
  label_id: labelId,
  status: events[events.length - 1]!.status,
  events,
  summary: 'Tracking updated.',
});
export const voided = (labelId = 'lbl_1'): Body => ({ type: 'label_voided', label_id: labelId, refund_cents: 1400, currency: 'USD', by: 'ui', summary: 'Label voided.' });
