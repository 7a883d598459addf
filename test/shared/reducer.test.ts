import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { NewSessionEvent, SessionEvent } from '../../shared/protocol.ts';
import { deriveSteps, initialState, reduce, replay } from '../../shared/session.ts';
import type { Quote } from '../../shared/tools.ts';
import { label, quote, shipment } from './fixtures.ts';


/** Freezes a value and everything in it, so a reducer that changes its input throws. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function seal(drafts: NewSessionEvent[]): SessionEvent[] {
  return drafts.map((d, i) => ({ ...d, seq: i + 1, ts: '2026-11-24T15:00:00.000Z', session_id: 'ses_t' }) as SessionEvent);
}

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
);

describe('shared session reducer', () => {
  it('a snapshot plus the tail, delivered twice, rebuilds the whole log\'s state, and no event changes the state it is given', () => {
    fc.assert(
      fc.property(fc.array(draftArb, { maxLength: 60 }), fc.integer({ min: 0, max: 60 }), (drafts, cut) => {
        const events = deepFreeze(seal(drafts));
        const live = replay('ses_t', events);
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
