/**
 * create_label: idempotent per (session, quote). Concurrent calls for one quote share one
 * purchase; the backend gets a deterministic Idempotency-Key, so even a retry after a crash
 * returns the same label instead of buying again.
 */
import type { NewSessionEvent } from '../../shared/protocol.ts';
import { offeredQuote, type SessionState } from '../../shared/session.ts';
import { purchaseSummary } from '../../shared/summary.ts';
import type { Address } from '../../shared/address.ts';
import { CreateLabelParams, type Label, type LabelData, type LabelPendingData, type LabelSummaryData, type PurchaseSummary, type Quote } from '../../shared/tools.ts';
import { timed, type BackendTime } from './backend-time.ts';
import type { ToolCall, ToolContext, ToolOutput } from './context.ts';
import { serviceName } from './get-shipping-quotes.ts';
import { purchaseKey, quoteRequestSeq, requestSeq } from './ids.ts';
import { ensureAccount } from './recipient.ts';
import { labelFacts, labelSentence, summarySentence } from './speech.ts';
import { refuse, refuseBlocked } from './refusals.ts';

/** What the summary answer tells the agent (not the shopper) to do next. */
export const CONFIRM_INSTRUCTION = 'When the shipper says yes, call create_label again with confirmed: true.';

const purchases = new WeakMap<ToolContext, Map<string, Promise<Label>>>();

export async function createLabel(ctx: ToolContext, call: ToolCall): Promise<ToolOutput> {
  const parsed = CreateLabelParams.safeParse(call.parameters);
  if (!parsed.success || (parsed.data.option === undefined && parsed.data.quote_id === undefined)) {
    throw refuse('no_option_number');
  }
  const state = await ctx.sessions.state(call.sessionId);
  const quoteId = parsed.data.quote_id ?? quoteIdOfOption(state, parsed.data.option!);
  if (state.label?.quote_id === quoteId) return output(state.label, true);
  const quote = purchasableQuote(ctx, state, quoteId);
  const inFlight = purchasesOf(ctx);
  const key = `${call.sessionId}:${quoteId}`;
  // A purchase under way already had the shopper's yes: a repeat joins it, with or without `confirmed`.
  let purchase = inFlight.get(key);
  let mine = false;
  if (!purchase) {
    const confirmed = await confirmedSummary(ctx, call, parsed.data.confirmed === true, quote);
    if ('output' in confirmed) return confirmed.output;
    const addresses: Addresses = { from: confirmed.summary.sender ?? undefined, to: confirmed.summary.recipient ?? undefined };
    purchase = inFlight.get(key); // another call may have started it while this one checked the summary
    if (!purchase) {
      mine = true;
      purchase = buy(ctx, call.sessionId, quote, addresses, call.backend).finally(() => inFlight.delete(key));
      inFlight.set(key, purchase);
      ctx.background(purchase);
    }
  }
  // Bob is never left silent: past the deadline he says the purchase is going on; it lands on
  // screen (label_created) and in get_session_state when done, and a repeat joins this purchase.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ctx.labelDeadlineMs)));
  try {
    const label = await Promise.race([purchase, deadline]);
    if (!label) {
      if (mine) ctx.background(purchase.then((bought) => confirmLater(ctx, call.sessionId, bought)));
      return stillBuying(quote);
    }
    return output(label, !mine);
  } finally {
    clearTimeout(timer);
  }
}

type Addresses = { from?: Address | undefined; to?: Address | undefined };

/**
 * The summary the shopper said yes to, or the answer that asks for it: the option becomes the
 * selection, and unless this call carries the yes to the very summary Bob last read (or the
 * screen's Confirm showed), Bob gets the current summary to read and nothing is bought.
 */
async function confirmedSummary(ctx: ToolContext, call: ToolCall, confirmed: boolean, quote: Quote): Promise<{ summary: PurchaseSummary } | { output: ToolOutput }> {
  await ensureAccount(ctx, call.sessionId).catch((err: unknown) => ctx.log.warn({ err: String(err), session_id: call.sessionId }, 'account not loaded'));
  let summary: PurchaseSummary | null = null;
  let readBefore: string | undefined;
  await ctx.sessions.appendWith(call.sessionId, (state) => {
    readBefore = state.summary_read?.summary_id;
    if (state.selected_quote_id === quote.quote_id) {
      summary = purchaseSummary(state);
      return [];
    }
    summary = purchaseSummary({ ...state, selected_quote_id: quote.quote_id });
    return [{ type: 'quote_selected', quote_id: quote.quote_id, by: call.source === 'ui' ? 'ui' : 'agent' }];
  });
  const current = summary as PurchaseSummary | null;
  if (!current) throw refuse('option_not_found');
  if (current.blocker) throw refuseBlocked({ ...current, blocker: current.blocker });
  if (call.confirmedSummaryId !== undefined) {
    if (call.confirmedSummaryId === current.summary_id) return { summary: current };
    throw refuse('summary_changed');
  }
  if (confirmed && readBefore === current.summary_id) return { summary: current };
  const text = summarySentence(current);
  await ctx.sessions.append(call.sessionId, { type: 'summary_read', summary_id: current.summary_id, text });
  const data: LabelSummaryData = { needs_confirmation: true, summary: current };
  const lead = confirmed ? 'Something changed since the last summary, so nothing was bought yet. ' : '';
  return { output: { result: `${lead}${text} ${CONFIRM_INSTRUCTION}`, data } };
}

/** True while a purchase for this session is going on (past its answer, too). */
export function purchaseInFlight(ctx: ToolContext, sessionId: string): boolean {
  for (const key of purchasesOf(ctx).keys()) if (key.startsWith(`${sessionId}:`)) return true;
  return false;
}

/**
 * The quote an option number names: numbers are those of the current offer, as Bob read it and
 * the screen shows it by default (updated prices offered next to a kept choice are not read out
 * by number, see quotesSentence, and become the current offer when the shopper picks one).
 */
function quoteIdOfOption(state: SessionState, option: number): string {
  const set = state.quotes?.quotes ?? [];
  const quote = set.find((q) => q.option === option);
  if (quote) return quote.quote_id;
  if (set.length === 0) throw refuse('no_options_yet');
  throw refuse('no_such_option', { option, count: set.length });
}

/** The confirmation Bob promised: a note from the BFF, which the widget forwards to the voice agent. */
async function confirmLater(ctx: ToolContext, sessionId: string, label: Label): Promise<void> {
  await ctx.sessions.append(sessionId, { type: 'contextual_update', text: `The label is bought now. ${labelFacts(label)}`, source: 'bff' });
}

function stillBuying(quote: Quote): ToolOutput {
  const data: LabelPendingData = { pending: true, quote_id: quote.quote_id, option: quote.option };
  return {
    result: `Still buying the label for option ${quote.option}, ${quote.carrier} ${quote.service}: the carrier is slow to confirm. I'll confirm as soon as it's done; it will appear on the screen. Don't buy it again.`,
    data,
  };
}

function output(label: Label, replayed: boolean): ToolOutput {
  const data: LabelData = { label, replayed };
  return { result: labelSentence(label, replayed), data };
}

function purchasesOf(ctx: ToolContext): Map<string, Promise<Label>> {
  let m = purchases.get(ctx);
  if (!m) purchases.set(ctx, (m = new Map()));
  return m;
}

/** The quote if it may be bought now; otherwise the reason, as a ToolError Bob can say. */
function purchasableQuote(ctx: ToolContext, state: SessionState, quoteId: string): Quote {
  const quote = offeredQuote(state, quoteId)?.quote;
  if (!quote) {
    const seq = quoteRequestSeq(quoteId);
    const current = requestSeq(state.quotes?.request_id ?? '');
    if (seq > 0 && seq < current) {
      throw refuse('option_superseded');
    }
    throw refuse('option_not_found');
  }
  if (state.label) {
    throw refuse('label_already_bought');
  }
  if (Date.parse(quote.expires_at) <= ctx.now()) {
    throw refuse('price_expired');
  }
  return quote;
}

async function buy(ctx: ToolContext, sessionId: string, quote: Quote, addresses: Addresses, backend?: BackendTime): Promise<Label> {
  const body = { rate_id: quote.rate_id, label_format: 'PDF_4x6' as const, ...(addresses.from ? { from_address: addresses.from } : {}), ...(addresses.to ? { to_address: addresses.to } : {}) };
  const res = await timed(backend, () => ctx.shipvox.createLabel(body, purchaseKey(sessionId, quote.quote_id)));
  const pdf = await timed(backend, () => ctx.shipvox.fetchLabelPdf(res.label_url));
  await ctx.sessions.putLabelPdf(res.label_id, sessionId, pdf);
  const label: Label = {
    label_id: res.label_id,
    quote_id: quote.quote_id,
    carrier: res.carrier,
    service: serviceName(res.carrier, res.service_name),
    tracking_number: res.tracking_number,
    tracking_url: res.tracking_url,
    pdf_url: `${ctx.publicUrl()}${ctx.signer.labelPath(res.label_id)}`,
    qr_svg: res.qr_code_svg,
    price_cents: Math.round(Number(res.amount) * 100),
    currency: res.currency,
    created_at: res.created_at,
  };
  const events = await ctx.sessions.appendWith(sessionId, (state) => {
    if (state.label) return [];
    const out: NewSessionEvent[] = [];
    if (state.selected_quote_id !== quote.quote_id) out.push({ type: 'quote_selected', quote_id: quote.quote_id, by: 'agent' });
    out.push({ type: 'label_created', label });
    if (state.account && res.balance !== undefined) {
      out.push({ type: 'account_updated', account: { ...state.account, balance_cents: Math.round(Number(res.balance) * 100) }, reason: 'purchase' });
    }
    return out;
  });
  ctx.tracking?.watch(sessionId, label.label_id);
  if (events.length === 0) {
    const state = await ctx.sessions.state(sessionId);
    if (state.label) return state.label;
  }
  return label;
}
