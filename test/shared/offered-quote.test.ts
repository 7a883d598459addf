import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionEvent } from '../../shared/protocol.ts';
import { offeredQuote, reduce, replay } from '../../shared/session.ts';
import { quote, shipment } from './fixtures.ts';

const ts = '2026-11-24T15:00:00Z';
const ready = (seq: number, req: number, weight = 2): SessionEvent => ({
  type: 'quotes_ready', seq, ts, session_id: 's', request_id: `rq${req}`, shipment: { ...shipment, weight }, quotes: [quote(req, 1), quote(req, 2)], missing_carriers: [],
});
const selected = (seq: number, quoteId: string): SessionEvent => ({ type: 'quote_selected', seq, ts, session_id: 's', quote_id: quoteId, by: 'ui' });

/** "Is this quote on offer" is one rule: what offeredQuote says is what the reducer lets a quote_selected do. */
describe('offeredQuote', () => {
  // A choice kept over newer prices for the same route: q1-* current, q3-* offered next to it.
  const state = replay('s', [ready(1, 1), selected(2, 'q1-2'), ready(3, 3, 3)]);

  it('finds a quote of the current set, one of the updated prices (marked updated), and nothing else', () => {
    assert.deepEqual(offeredQuote(state, 'q1-1'), { quote: quote(1, 1), updated: false });
    assert.deepEqual(offeredQuote(state, 'q3-2'), { quote: quote(3, 2), updated: true });
    assert.equal(offeredQuote(state, 'q9-1'), undefined);
    assert.equal(offeredQuote(replay('s', []), 'q1-1'), undefined);
  });

  it('is what the reducer follows: a current quote is chosen, an updated one becomes the current set, any other is ignored', () => {
    const current = reduce(state, selected(4, 'q1-1'));
    assert.equal(current.selected_quote_id, 'q1-1');
    assert.equal(current.quotes, state.quotes);
    const updated = reduce(state, selected(4, 'q3-2'));
    assert.equal(updated.selected_quote_id, 'q3-2');
    assert.equal(updated.quotes, state.updated_quotes);
    assert.equal(updated.updated_quotes, null);
    const unknown = reduce(state, selected(4, 'q9-1'));
    assert.equal(unknown.selected_quote_id, 'q1-2');
    assert.equal(unknown.seq, 4);
  });
});
