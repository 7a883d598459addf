import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SessionEvent, type NewSessionEvent } from '../../shared/protocol.ts';
import { deriveSteps, initialState, reduce, replay } from '../../shared/session.ts';
import type { Quote } from '../../shared/tools.ts';
import { account, address, label, quote, seal, shipment, trackingEvent } from './fixtures.ts';


/** Freezes a value and everything in it, so a reducer that changes its input throws. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Random but plausible event drafts: every kind, including races the BFF can produce. */
const draftArb: fc.Arbitrary<NewSessionEvent> = fc.oneof(
  fc.record({ type: fc.constant('tool_call_started' as const), tool_call_id: fc.stringMatching(/^c[0-9]{1,3}$/), tool_name: fc.constantFrom('get_shipping_quotes', 'create_label', 'get_session_state'), parameters: fc.record({ from_zip: fc.constantFrom('10001', '94105', 'bad'), weight: fc.double({ min: 0.1, max: 100, noNaN: true }) }), source: fc.constantFrom('agent_webhook' as const, 'client' as const) }),
  fc.record({ type: fc.constant('tool_call_progress' as const), tool_call_id: fc.stringMatching(/^c[0-9]{1,3}$/), tool_name: fc.constant('get_shipping_quotes'), answered: fc.subarray(['USPS', 'UPS', 'FedEx']), slow: fc.subarray(['FedEx']) }),
  fc.record({ type: fc.constant('client_tool_result' as const), tool_call_id: fc.stringMatching(/^c[0-9]{1,3}$/), tool_name: fc.constantFrom('get_shipping_quotes', 'create_label'), is_error: fc.boolean(), result: fc.string(), data: fc.constantFrom({ code: 'invalid_zip' }, {}, null) }),
  fc.integer({ min: 1, max: 9 }).chain((req) => fc.record({ type: fc.constant('quotes_ready' as const), request_id: fc.constant(`rq${req}`), shipment: fc.constant(shipment), quotes: fc.constant([quote(req, 1), quote(req, 2)] as Quote[]), superseded: fc.boolean() })),
  fc.record({ type: fc.constant('quote_selected' as const), quote_id: fc.constantFrom('q1-1', 'q2-2', 'q3-1'), by: fc.constantFrom('ui' as const, 'agent' as const) }),
  fc.record({ type: fc.constant('contextual_update' as const), text: fc.string({ minLength: 1 }), source: fc.constantFrom('ui' as const, 'voice' as const) }),
  fc.constantFrom('q1-1', 'q2-2', 'q3-1').map((id): NewSessionEvent => ({ type: 'label_created', label: label(id) })),
  fc.record({ type: fc.constant('label_emailed' as const), label_id: fc.constantFrom('lbl_q1-1', 'lbl_q2-2'), to: fc.constantFrom('a@example.com', 'b@example.com') }),
  fc.integer({ min: 1, max: 9 }).chain((req) => fc.record({ type: fc.constant('quotes_added' as const), request_id: fc.constantFrom(`rq${req}`, 'rq_gone'), carrier: fc.constant('FedEx' as const), quotes: fc.constantFrom([quote(req, 7)], [] as Quote[]) })),
  fc.record({ type: fc.constant('transcript_line' as const), line_id: fc.stringMatching(/^l[0-9]{1,2}$/), role: fc.constantFrom('user' as const, 'agent' as const), text: fc.string({ minLength: 1 }) }),
  fc.record({ type: fc.constant('account_updated' as const), account: fc.integer({ min: 0, max: 250_000 }).map(account), reason: fc.constantFrom('loaded' as const, 'purchase' as const, 'refund' as const) }),
  fc.record({
    type: fc.constant('recipient_updated' as const), address: fc.constantFrom('12 Main St', '1 Market St').map((street) => address({ street })), by: fc.constantFrom('agent' as const, 'ui' as const), summary: fc.constant('Recipient set.'),
    validation: fc.record({ status: fc.constantFrom('valid' as const, 'suggested' as const, 'invalid' as const), residential: fc.boolean(), messages: fc.constant([] as never[]) }),
  }),
  fc.record({ type: fc.constant('summary_read' as const), summary_id: fc.constantFrom('sum_a', 'sum_b'), text: fc.constant('Before I buy it: …') }),
  fc.record({ type: fc.constant('label_voided' as const), label_id: fc.constantFrom('lbl_q1-1', 'lbl_q2-2'), refund_cents: fc.constant(900), currency: fc.constant('USD'), by: fc.constantFrom('agent' as const, 'ui' as const), summary: fc.constant('Voided.') }),
  fc.record({
    type: fc.constant('tracking_updated' as const), label_id: fc.constantFrom('lbl_q1-1', 'lbl_q2-2'), summary: fc.constant('In transit.'),
    status: fc.constantFrom('pre_transit' as const, 'in_transit' as const, 'delivered' as const),
    events: fc.integer({ min: 1, max: 99 }).map((n) => [trackingEvent(n, 'in_transit')]),
  }),
);

/** The logged event types of the shared union, from the schema itself (a new type joins this list without anyone writing it down). */
const EVENT_TYPES = SessionEvent.options.map((o) => o.shape.type.value).sort();

describe('shared session reducer', () => {
  it('the generator makes every logged event type, each one valid by the shared schema', () => {
    const drafts = fc.sample(draftArb, { numRuns: 2000, seed: 7 });
    assert.deepEqual([...new Set(drafts.map((d) => d.type))].sort(), EVENT_TYPES);
    for (const event of seal(drafts)) {
      const parsed = SessionEvent.safeParse(event);
      assert.ok(parsed.success, `${event.type}: ${JSON.stringify(parsed.error?.issues)}`);
    }
  });

  it('a snapshot plus the tail, delivered twice, rebuilds the whole log\'s state, and no event changes the state it is given', () => {
    fc.assert(
      fc.property(fc.array(draftArb, { maxLength: 60 }), fc.integer({ min: 0, max: 60 }), (drafts, cut) => {
        const events = deepFreeze(seal(drafts));
        // Every state frozen as it is made: an event that changes a state it is given throws here.
        const live = events.reduce((state, event) => deepFreeze(reduce(state, event)), initialState('ses_t'));
        assert.equal(live.seq, events.length, 'the state is at the last event');
        // What a store and a resuming client do: a snapshot (as JSON, the way it is stored and sent)
        // at any point, then the rest of the log, some of it delivered twice.
        const k = Math.min(cut, events.length);
        const snapshot = deepFreeze(asJson(replay('ses_t', events.slice(0, k))) as ReturnType<typeof replay>);
        const resumed = [...events.slice(k), ...events.slice(k)].reduce(reduce, snapshot);
        // Compared as JSON: a snapshot has no keys whose value is undefined (a draft's missing to_zip, say).
        assert.deepEqual(asJson(resumed), asJson(live));
        // Steps are derived: the first unfinished step is the one active step, the later unfinished ones wait.
        const steps = deriveSteps(live);
        const firstOpen = steps.findIndex((s) => s.status !== 'done');
        steps.forEach((s, i) => assert.ok(s.status === 'done' || s.status === (i === firstOpen ? 'active' : 'pending'), JSON.stringify(steps)));
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('state keeps the last 20 context notes, in order, and never changes the state it was given', () => {
    const notes = Array.from({ length: 25 }, (_, i): NewSessionEvent => ({ type: 'contextual_update', text: `note ${i + 1}`, source: 'ui' }));
    const events = seal(notes);
    const at19 = replay('ses_t', events.slice(0, 19));
    const at20 = reduce(at19, events[19]!);
    assert.deepEqual(at19.context.map((c) => c.seq), Array.from({ length: 19 }, (_, i) => i + 1));
    assert.deepEqual(at20.context.map((c) => c.seq), Array.from({ length: 20 }, (_, i) => i + 1));
    const at25 = events.slice(20).reduce(reduce, at20);
    assert.deepEqual(at25.context.map((c) => c.text), Array.from({ length: 20 }, (_, i) => `note ${i + 6}`));
    assert.equal(at20.context.length, 20, 'an earlier state is not changed by later notes');
  });

  it('a superseded quotes_ready never replaces the current quotes', () => {
    const s = replay('ses_t', seal([
      { type: 'quotes_ready', request_id: 'rq5', shipment, quotes: [quote(5, 1)] },
      { type: 'quotes_ready', request_id: 'rq2', shipment, quotes: [quote(2, 1)], superseded: true },
    ]));
    assert.equal(s.quotes?.request_id, 'rq5');
  });

  it('quotes arriving after a selection keep the selection and are offered as updated prices', () => {
    const s = replay('ses_t', seal([
      { type: 'quotes_ready', request_id: 'rq1', shipment, quotes: [quote(1, 1), quote(1, 2)] },
      { type: 'quote_selected', quote_id: 'q1-2', by: 'ui' },
      { type: 'quotes_ready', request_id: 'rq4', shipment, quotes: [quote(4, 1)] },
    ]));
    assert.equal(s.selected_quote_id, 'q1-2');
    assert.equal(s.quotes?.request_id, 'rq1');
    assert.equal(s.updated_quotes?.request_id, 'rq4');
    const switched = reduce(s, { type: 'quote_selected', quote_id: 'q4-1', by: 'ui', seq: s.seq + 1, ts: 'x', session_id: 'ses_t' } as SessionEvent);
    assert.equal(switched.quotes?.request_id, 'rq4');
    assert.equal(switched.updated_quotes, null);
  });

  it('derives steps zip → weight → quote → label → done', () => {
    const ids = (st: ReturnType<typeof deriveSteps>) => st.map((x) => `${x.id}:${x.status}`).join(' ');
    assert.equal(ids(deriveSteps(initialState('s'))), 'zip:active weight:pending quote:pending label:pending done:pending');
    const quoted = replay('s', seal([{ type: 'quotes_ready', request_id: 'rq1', shipment, quotes: [quote(1, 1)] }]));
    assert.equal(ids(deriveSteps(quoted)), 'zip:done weight:done quote:active label:pending done:pending');
    const chosen = reduce(quoted, { type: 'quote_selected', quote_id: 'q1-1', by: 'ui', seq: 2, ts: 'x', session_id: 's' } as SessionEvent);
    assert.equal(ids(deriveSteps(chosen)), 'zip:done weight:done quote:done label:active done:pending');
  });
});
