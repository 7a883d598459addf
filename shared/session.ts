/**
 * The pure session reducer, shared by the BFF (authoritative state, snapshots) and the widget
 * (mirror). Steps are derived from state, never stored.
 */
import type { SessionEvent } from './protocol.ts';
import type { QuoteSet, SessionState, TranscriptEntry } from './session-state.ts';
import type { Quote, ToolErrorData } from './tools.ts';
import { DEFAULT_WEIGHT_UNIT } from './shipment-fields.ts';

export { SessionState, RunningTool, QuoteSet, TranscriptEntry } from './session-state.ts';

/** Only the last few context notes are kept in state (the log keeps them all). */
const MAX_CONTEXT = 20;
/** The transcript lines kept in state (a reload or a second screen shows these; the log keeps them all). */
export const MAX_TRANSCRIPT = 60;

/**
 * A new session's empty parts, shared by every new state (frozen: the reducer never changes a
 * state, it builds the next one); most sessions on a busy server are idle and never replace them.
 */
const NO_DRAFT: SessionState['draft'] = Object.freeze({});
const NONE: never[] = Object.freeze([]) as never[];

export function initialState(sessionId: string): SessionState {
  return {
    session_id: sessionId,
    seq: 0,
    draft: NO_DRAFT,
    running: NONE,
    quotes: null,
    updated_quotes: null,
    selected_quote_id: null,
    selected_by: null,
    label: null,
    emails: NONE,
    last_error: null,
    last_result: null,
    context: NONE,
    transcript: NONE,
  };
}

/** The transcript with `entry` added at the end, or put in place of the entry with its id. */
function withLine(state: SessionState, entry: TranscriptEntry): TranscriptEntry[] {
  const lines = state.transcript ?? NONE;
  const at = lines.findIndex((l) => l.id === entry.id);
  if (at >= 0) return lines.map((l, i) => (i === at ? { ...entry, seq: l.seq } : l));
  return appendBounded(lines, entry, MAX_TRANSCRIPT);
}

/** `list` and `item`, the oldest dropped past `max`: one copy, not a spread and then a slice (this runs for every note and line). */
function appendBounded<T>(list: readonly T[], item: T, max: number): T[] {
  const next = list.slice(list.length >= max ? list.length - max + 1 : 0);
  next.push(item);
  return next;
}

/** Applies one logged event. Events at or below the current seq are ignored (idempotent replay). */
export function reduce(state: SessionState, event: SessionEvent): SessionState {
  if (event.seq <= state.seq) return state;
  // Each case builds the next state in one object literal (one copy per event, not two).
  const seq = event.seq;
  switch (event.type) {
    case 'tool_call_started': {
      const running = [
        ...state.running,
        { tool_call_id: event.tool_call_id, tool_name: event.tool_name, started_seq: event.seq, answered: [], slow: [] },
      ];
      const transcript = withLine(state, { id: event.tool_call_id, role: 'tool', text: event.tool_name, seq, status: 'running' });
      if (event.tool_name !== 'get_shipping_quotes') return { ...state, seq, running, transcript };
      const p = event.parameters;
      const draft = {
        from_zip: typeof p.from_zip === 'string' ? p.from_zip : state.draft.from_zip,
        to_zip: typeof p.to_zip === 'string' ? p.to_zip : state.draft.to_zip,
        weight: typeof p.weight === 'number' ? p.weight : state.draft.weight,
        weight_unit: typeof p.weight_unit === 'string' ? p.weight_unit : (state.draft.weight_unit ?? DEFAULT_WEIGHT_UNIT),
      };
      return { ...state, seq, running, draft, transcript };
    }
    case 'tool_call_progress':
      return {
        ...state, seq,
        running: state.running.map((r) =>
          r.tool_call_id === event.tool_call_id ? { ...r, answered: event.answered, slow: event.slow } : r,
        ),
      };
    case 'client_tool_result': {
      const running = state.running.filter((r) => r.tool_call_id !== event.tool_call_id);
      const last_result = {
        tool_call_id: event.tool_call_id,
        tool_name: event.tool_name,
        is_error: event.is_error,
        result: event.result,
        seq: event.seq,
      };
      let last_error = state.last_error;
      if (event.is_error) {
        // A plain check, so the widget's bundle needs no zod (the BFF validated data when logging it).
        const data = event.data as Partial<ToolErrorData> | null;
        const code = typeof data === 'object' && data && typeof data.code === 'string' ? data.code : 'internal';
        last_error = { tool_name: event.tool_name, code, message: event.result, seq: event.seq };
      } else if (state.last_error?.tool_name === event.tool_name) {
        last_error = null;
      }
      const line: TranscriptEntry = { id: event.tool_call_id, role: 'tool', text: event.tool_name, seq, status: event.is_error ? 'error' : 'done' };
      if (event.is_error) line.note = event.result;
      const transcript = withLine(state, line);
      return { ...state, seq, running, last_result, last_error, transcript };
    }
    case 'quotes_ready': {
      if (event.superseded) return { ...state, seq };
      const set: QuoteSet = { request_id: event.request_id, shipment: event.shipment, quotes: event.quotes, seq: event.seq };
      if (event.missing_carriers?.length) set.missing_carriers = event.missing_carriers;
      if (keepsSelection(state, event.shipment)) return { ...state, seq, updated_quotes: set };
      return { ...state, seq, quotes: set, updated_quotes: null, selected_quote_id: null, selected_by: null, label: null, tracking: null, voided: null };
    }
    case 'quote_selected': {
      const offered = offeredQuote(state, event.quote_id);
      if (!offered) return { ...state, seq };
      // Choosing one of the updated prices makes them the current offer.
      const promoted = offered.updated ? { quotes: state.updated_quotes, updated_quotes: null } : null;
      return { ...state, seq, ...promoted, selected_quote_id: event.quote_id, selected_by: event.by };
    }
    case 'label_created':
      return { ...state, seq, label: event.label, selected_quote_id: event.label.quote_id };
    case 'label_emailed':
      return { ...state, seq, emails: [...state.emails, { label_id: event.label_id, to: event.to, seq: event.seq }] };
    case 'quotes_added': {
      // Only into the set it belongs to (current or offered); a replaced search stays replaced.
      const add = (set: QuoteSet | null) => (set?.request_id === event.request_id ? { ...set, quotes: [...set.quotes, ...event.quotes] } : set);
      return { ...state, seq, quotes: add(state.quotes), updated_quotes: add(state.updated_quotes) };
    }
    case 'transcript_line':
      return { ...state, seq, transcript: withLine(state, { id: event.line_id, role: event.role, text: event.text, seq }) };
    case 'account_updated':
      return { ...state, seq, account: event.account };
    case 'recipient_updated':
      return { ...state, seq, [event.party ?? 'recipient']: { address: event.address, validation: event.validation, by: event.by, seq } };
    case 'summary_read':
      return { ...state, seq, summary_read: { summary_id: event.summary_id, seq } };
    case 'label_voided':
      return { ...state, seq, voided: { label_id: event.label_id, refund_cents: event.refund_cents, currency: event.currency, seq } };
    case 'tracking_updated': {
      const before = state.tracking?.label_id === event.label_id ? state.tracking.events : [];
      return { ...state, seq, tracking: { label_id: event.label_id, status: event.status, events: [...before, ...event.events], seq } };
    }
    case 'contextual_update': {
      return { ...state, seq, context: appendBounded(state.context, { text: event.text, source: event.source, seq: event.seq }, MAX_CONTEXT) };
    }
  }
}

/**
 * Whether new prices for `shipment` are only offered next to the shopper's choice: once an option
 * is chosen (and no label yet), newer prices for the same route never replace it; prices for
 * another destination (the recipient's ZIP changed) do, since the chosen price no longer holds.
 */
export function keepsSelection(state: SessionState, shipment: { from_zip: string; to_zip: string }): boolean {
  const q = state.quotes?.shipment;
  return Boolean(state.selected_quote_id && !state.label && q?.to_zip === shipment.to_zip && q.from_zip === shipment.from_zip);
}

/** Replays a log from the start: what the BFF does after a restart and what tests compare against. */
export function replay(sessionId: string, events: readonly SessionEvent[]): SessionState {
  return events.reduce(reduce, initialState(sessionId));
}

function findQuote(set: QuoteSet | null, quoteId: string): Quote | undefined {
  return set?.quotes.find((q) => q.quote_id === quoteId);
}

/**
 * The quote with this id if it is on offer now: in the current set, or among the updated prices
 * offered next to a kept choice (`updated`: choosing it makes that set the current one). The one
 * rule for "may this quote be chosen or bought", for the reducer, the screen's select and create_label.
 */
export function offeredQuote(state: SessionState, quoteId: string): { quote: Quote; updated: boolean } | undefined {
  const current = findQuote(state.quotes, quoteId);
  const quote = current ?? findQuote(state.updated_quotes, quoteId);
  return quote && { quote, updated: !current };
}

/** The quote with this id in the current set (the one whose option numbers the screen shows and Bob reads). */
export function currentQuote(state: SessionState, quoteId: string): Quote | undefined {
  return findQuote(state.quotes, quoteId);
}

export function selectedQuote(state: SessionState): Quote | undefined {
  return state.selected_quote_id ? currentQuote(state, state.selected_quote_id) : undefined;
}

export const STEP_IDS = ['zip', 'weight', 'quote', 'label', 'done'] as const;
export type StepId = (typeof STEP_IDS)[number];
export type StepStatus = 'done' | 'active' | 'pending';
/** The last step (the confirmation) follows the parcel once a label exists. */
export type StepDetail = 'label' | 'in_transit' | 'delivered' | 'voided';
export interface Step {
  id: StepId;
  status: StepStatus;
  detail?: StepDetail;
}

/** Where the bought label stands: label → in transit → delivered (or voided). Null before a label. */
export function parcelStage(state: SessionState): StepDetail | null {
  const label = state.label;
  if (!label) return null;
  if (state.voided?.label_id === label.label_id) return 'voided';
  const status = state.tracking?.label_id === label.label_id ? state.tracking.status : 'pre_transit';
  return status === 'delivered' ? 'delivered' : status === 'pre_transit' ? 'label' : 'in_transit';
}

/** zip → weight → quote → label → done, derived from state: finished steps, then the active one. */
export function deriveSteps(state: SessionState): Step[] {
  const zipError = state.last_error?.code === 'invalid_zip';
  const weightError = state.last_error?.code === 'invalid_weight';
  const finished: Record<StepId, boolean> = {
    zip: Boolean(state.draft.from_zip && state.draft.to_zip && !zipError) || state.quotes !== null,
    weight: (state.draft.weight !== undefined && !weightError) || state.quotes !== null,
    quote: state.selected_quote_id !== null || state.label !== null,
    label: state.label !== null,
    done: state.label !== null,
  };
  let activeGiven = false;
  const stage = parcelStage(state);
  return STEP_IDS.map((id) => {
    if (id === 'done' && stage) return { id, status: 'done' as const, detail: stage };
    if (finished[id]) return { id, status: 'done' as const };
    if (activeGiven) return { id, status: 'pending' as const };
    activeGiven = true;
    return { id, status: 'active' as const };
  });
}
