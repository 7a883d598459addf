/**
 * The shared reducer's rules as one table: a log (events) → the state's rule-bearing fields and the
 * derived steps (each row fails when its rule is taken out of shared/session.ts). Each row names the rule it pins; refusals (errors, unknown quotes, superseded
 * answers) are rows of their own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewSessionEvent, SessionEvent } from '../../shared/protocol.ts';
import { deriveSteps, replay, type SessionState } from '../../shared/session.ts';
import { label, quote, seal, shipment, trackingEvent } from './fixtures.ts';


const ask = (parameters: Record<string, unknown>, id = 'c1'): NewSessionEvent => ({ type: 'tool_call_started', tool_call_id: id, tool_name: 'get_shipping_quotes', parameters, source: 'agent_webhook' });
const refused = (code: string, id = 'c1', tool: 'get_shipping_quotes' | 'create_label' = 'get_shipping_quotes'): NewSessionEvent => ({ type: 'client_tool_result', tool_call_id: id, tool_name: tool, is_error: true, result: `refused: ${code}`, data: { code } });
const answered = (id = 'c1', tool: 'get_shipping_quotes' | 'create_label' = 'get_shipping_quotes'): NewSessionEvent => ({ type: 'client_tool_result', tool_call_id: id, tool_name: tool, is_error: false, result: 'ok', data: null });
const quotes = (req: number, superseded = false): NewSessionEvent => ({ type: 'quotes_ready', request_id: `rq${req}`, shipment, quotes: [quote(req, 1), quote(req, 2)], ...(superseded ? { superseded } : {}) });
const select = (quoteId: string): NewSessionEvent => ({ type: 'quote_selected', quote_id: quoteId, by: 'ui' });
const zips = { from_zip: '10001', to_zip: '94105' };
const full = { ...zips, weight: 2, weight_unit: 'lb' };

const steps = (s: SessionState) => deriveSteps(s).map((x) => `${x.id}:${x.status}`).join(' ');

/** [rule, log, steps, what else the state must show]. */
type Shown = 'quotes' | 'updated' | 'selected' | 'label' | 'error' | 'emails' | 'running' | 'options' | 'updatedOptions' | 'missing' | 'progress' | 'transcript' | 'lines' | 'tracking';
const TABLE: [string, NewSessionEvent[], string, Partial<Record<Shown, unknown>>?][] = [
  ['a new session asks for the ZIP codes', [], 'zip:active weight:pending quote:pending label:pending done:pending'],
  ['one ZIP code is not both', [ask({ from_zip: '10001' })], 'zip:active weight:pending quote:pending label:pending done:pending', { running: 1 }],
  ['both ZIP codes: the weight is next', [ask(zips)], 'zip:done weight:active quote:pending label:pending done:pending'],
  ['a weight without ZIP codes: the ZIP step stays active', [ask({ weight: 3 })], 'zip:active weight:done quote:pending label:pending done:pending'],
  ['a full ask: choosing a quote is next', [ask(full)], 'zip:done weight:done quote:active label:pending done:pending'],
  ['refusal invalid_zip reopens the ZIP step', [ask(full), refused('invalid_zip')], 'zip:active weight:done quote:pending label:pending done:pending', { error: 'invalid_zip', running: 0 }],
  ['refusal invalid_weight reopens the weight step', [ask(full), refused('invalid_weight')], 'zip:done weight:active quote:pending label:pending done:pending', { error: 'invalid_weight' }],
  ['another refusal reopens no input step', [ask(full), refused('carrier_timeout')], 'zip:done weight:done quote:active label:pending done:pending', { error: 'carrier_timeout' }],
  ['an answer of the same tool clears its refusal', [ask(full), refused('invalid_zip'), ask(full, 'c2'), answered('c2')], 'zip:done weight:done quote:active label:pending done:pending', { error: null }],
  ['an answer of another tool keeps the refusal', [ask(full), refused('invalid_zip'), answered('c2', 'create_label')], 'zip:active weight:done quote:pending label:pending done:pending', { error: 'invalid_zip' }],
  ['quotes on offer finish both input steps, whatever was refused since', [quotes(1), ask(full, 'c2'), refused('invalid_zip', 'c2')], 'zip:done weight:done quote:active label:pending done:pending', { quotes: 'rq1', error: 'invalid_zip' }],
  ['a superseded answer is not offered', [quotes(1, true)], 'zip:active weight:pending quote:pending label:pending done:pending', { quotes: null }],
  ['a quote on offer can be chosen: the label is next', [quotes(1), select('q1-2')], 'zip:done weight:done quote:done label:active done:pending', { selected: 'q1-2' }],
  ['refusal: a quote not on offer is not chosen', [quotes(1), select('q9-1')], 'zip:done weight:done quote:active label:pending done:pending', { selected: null }],
  ['newer prices after a choice are offered beside it, not switched to', [quotes(1), select('q1-1'), quotes(2)], 'zip:done weight:done quote:done label:active done:pending', { quotes: 'rq1', updated: 'rq2', selected: 'q1-1' }],
  ['choosing one of the newer prices switches to them', [quotes(1), select('q1-1'), quotes(2), select('q2-2')], 'zip:done weight:done quote:done label:active done:pending', { quotes: 'rq2', updated: null, selected: 'q2-2' }],
  ['new prices without a choice replace the offer', [quotes(1), quotes(2)], 'zip:done weight:done quote:active label:pending done:pending', { quotes: 'rq2', updated: null }],
  ['a label finishes every step and marks its quote as chosen', [quotes(1), label_created('q1-2')], 'zip:done weight:done quote:done label:done done:done', { label: 'q1-2', selected: 'q1-2' }],
  ['new prices after a label start over', [quotes(1), select('q1-1'), label_created('q1-1'), quotes(2)], 'zip:done weight:done quote:active label:pending done:pending', { quotes: 'rq2', label: null, selected: null }],
  ['emails are kept in order and change no step', [quotes(1), label_created('q1-1'), emailed('a@example.com'), emailed('b@example.com')], 'zip:done weight:done quote:done label:done done:done', { emails: ['a@example.com', 'b@example.com'] }],
  ['carriers missing from an answer stay with its set', [{ ...quotes(1), missing_carriers: ['FedEx'] } as NewSessionEvent], 'zip:done weight:done quote:active label:pending done:pending', { missing: ['FedEx'] }],
  ['progress names the carriers that answered and the slow ones on the running call', [ask(full), progress(['USPS', 'UPS'], ['FedEx'])], 'zip:done weight:done quote:active label:pending done:pending', { progress: 'USPS,UPS / FedEx' }],
  ["a late carrier's options join the set they belong to", [quotes(1), added(1)], 'zip:done weight:done quote:active label:pending done:pending', { options: ['q1-1', 'q1-2', 'q1-7'] }],
  ['late options for the newer prices beside a choice join those, not the chosen set', [quotes(1), select('q1-1'), quotes(2), added(2)], 'zip:done weight:done quote:done label:active done:pending', { options: ['q1-1', 'q1-2'], updatedOptions: ['q2-1', 'q2-2', 'q2-7'] }],
  ['refusal: late options of a replaced search are dropped', [quotes(1), quotes(2), added(1)], 'zip:done weight:done quote:active label:pending done:pending', { options: ['q2-1', 'q2-2'] }],
  ['a transcript line id seen before replaces its text in place; a tool call is a line of its own', [line('l1', 'hello'), ask(full), line('l2', 'two pounds'), line('l1', 'hi'), answered()], 'zip:done weight:done quote:active label:pending done:pending', { transcript: ['user:hi', 'tool:get_shipping_quotes:done', 'user:two pounds'] }],
  ['the transcript keeps the last 60 lines', Array.from({ length: 61 }, (_, i) => line(`l${i}`, `line ${i}`)), 'zip:active weight:pending quote:pending label:pending done:pending', { lines: [60, 'user:line 1'] }],
  ["tracking collects a label's events in order", [quotes(1), label_created('q1-1'), tracked('lbl_q1-1', 1), tracked('lbl_q1-1', 2)], 'zip:done weight:done quote:done label:done done:done', { tracking: ['lbl_q1-1-1', 'lbl_q1-1-2'] }],
  ["another label's tracking starts over", [quotes(1), label_created('q1-1'), tracked('lbl_other', 1), tracked('lbl_q1-1', 2)], 'zip:done weight:done quote:done label:done done:done', { tracking: ['lbl_q1-1-2'] }],
];

function progress(answered: string[], slow: string[]): NewSessionEvent {
  return { type: 'tool_call_progress', tool_call_id: 'c1', tool_name: 'get_shipping_quotes', answered, slow };
}
function added(req: number): NewSessionEvent {
  return { type: 'quotes_added', request_id: `rq${req}`, carrier: 'FedEx', quotes: [quote(req, 7, { carrier: 'FedEx', late: true })] };
}
function line(id: string, text: string): NewSessionEvent {
  return { type: 'transcript_line', line_id: id, role: 'user', text };
}
function tracked(labelId: string, n: number): NewSessionEvent {
  return { type: 'tracking_updated', label_id: labelId, status: 'in_transit', events: [trackingEvent(n, 'in_transit', labelId)], summary: '' };
}

function label_created(quoteId: string): NewSessionEvent {
  return { type: 'label_created', label: label(quoteId) };
}
function emailed(to: string): NewSessionEvent {
  return { type: 'label_emailed', label_id: 'lbl_q1-1', to };
}

describe('session rules: events → steps', () => {
  for (const [rule, log, expected, shows] of TABLE) {
    it(rule, () => {
      const state = replay('ses_t', seal(log));
      assert.equal(steps(state), expected);
      const seen = {
        quotes: state.quotes?.request_id ?? null,
        updated: state.updated_quotes?.request_id ?? null,
        selected: state.selected_quote_id,
        label: state.label?.quote_id ?? null,
        error: state.last_error?.code ?? null,
        emails: state.emails.map((e) => e.to),
        running: state.running.length,
        options: state.quotes?.quotes.map((q) => q.quote_id),
        updatedOptions: state.updated_quotes?.quotes.map((q) => q.quote_id),
        missing: state.quotes?.missing_carriers,
        progress: state.running.map((r) => `${r.answered.join(',')} / ${r.slow.join(',')}`).join('; '),
        transcript: state.transcript?.map((l) => [l.role, l.text, l.status].filter(Boolean).join(':')),
        lines: [state.transcript?.length, state.transcript?.map((l) => `${l.role}:${l.text}`)[0]],
        tracking: state.tracking?.events.map((e) => e.event_id),
      };
      for (const [key, value] of Object.entries(shows ?? {})) assert.deepEqual(seen[key as keyof typeof seen], value, key);
    });
  }
});
