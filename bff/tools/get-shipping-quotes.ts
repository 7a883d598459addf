/**
 * get_shipping_quotes: asks each carrier separately (so the screen sees progress and a slow
 * carrier is named), numbers the options by price, and logs quotes_ready (superseded when a
 * newer request already answered) before the result Bob reads.
 */
import type { NewSessionEvent } from '../../shared/protocol.ts';
import { keepsSelection, type SessionState } from '../../shared/session.ts';
import {
  Carrier,
  GetShippingQuotesParams,
  MAX_WEIGHT_OZ,
  toOunces,
  type Quote,
  type QuotesData,
  type Shipment,
} from '../../shared/tools.ts';
import type { Rate, RatesResponse } from '../shipvox/contract.ts';
import { spokenError } from './backend-errors.ts';
import { timed } from './backend-time.ts';
import { quoteId, requestId as requestIdOf, requestSeq } from './ids.ts';
import type { ToolCall, ToolContext, ToolOutput } from './context.ts';
import { ensureAccount } from './recipient.ts';
import { lateQuotesSentence, quotesSentence } from './speech.ts';
import { refuse } from './refusals.ts';
import type { ToolError } from './tool-error.ts';

const CARRIERS = Carrier.options;
const CM_PER_IN = 2.54;

export async function getShippingQuotes(ctx: ToolContext, call: ToolCall, startedSeq: number): Promise<ToolOutput> {
  const asked = parseShipment(call.parameters, call.parameters.from_zip === undefined ? await shipFromZip(ctx, call.sessionId) : undefined);
  const requestId = requestIdOf(startedSeq);
  const rates = await ratesByCarrier(ctx, call, asked);
  const shipment = rates.destination ? { ...asked, destination: rates.destination } : asked;
  const quotes = toQuotes(rates.rates, startedSeq);
  if (quotes.length === 0 && rates.pending.length === 0) throw noQuotesError(rates.errors);

  let superseded = false;
  let kept: Quote | undefined;
  await ctx.sessions.appendWith(call.sessionId, (state) => {
    superseded = isSuperseded(state, startedSeq);
    if (!superseded && keepsSelection(state, shipment)) kept = state.quotes?.quotes.find((q) => q.quote_id === state.selected_quote_id);
    const event: NewSessionEvent = {
      type: 'quotes_ready',
      request_id: requestId,
      shipment,
      quotes,
      missing_carriers: rates.missing,
      ...(rates.pending.length > 0 ? { pending_carriers: rates.pending } : {}),
      ...(superseded ? { superseded: true } : {}),
    };
    return [event];
  });
  if (superseded) {
    throw refuse('quotes_superseded');
  }
  for (const late of rates.late) ctx.background(late.then((answer) => addLateQuotes(ctx, call.sessionId, requestId, startedSeq, answer)));
  const data: QuotesData = {
    request_id: requestId,
    shipment,
    quotes,
    missing_carriers: rates.missing,
    ...(rates.pending.length > 0 ? { pending_carriers: rates.pending } : {}),
    ...(kept ? { kept_quote_id: kept.quote_id } : {}),
  };
  return { result: quotesSentence(quotes, rates.missing, kept, rates.pending), data };
}

/**
 * A carrier that answered after Bob's answer: its options are numbered after those of the set
 * (what Bob read keeps its numbers) and logged as quotes_added, followed by the sentence Bob is
 * told (a contextual_update from the BFF, which the widget forwards to the voice agent).
 * Nothing is logged once the set is gone (a newer search replaced it, or a label was bought).
 */
async function addLateQuotes(ctx: ToolContext, sessionId: string, requestId: string, startedSeq: number, answer: CarrierAnswer): Promise<void> {
  await ctx.sessions.appendWith(sessionId, (state) => {
    const set = [state.quotes, state.updated_quotes].find((q) => q?.request_id === requestId);
    if (!set || state.label) return [];
    const numbered = answer.res ? toQuotes(answer.res.rates, startedSeq, set.quotes.length) : [];
    const quotes = numbered.map((q) => ({ ...q, tags: [], late: true }));
    return [
      { type: 'quotes_added', request_id: requestId, carrier: answer.carrier, quotes },
      { type: 'contextual_update', text: lateQuotesSentence(answer.carrier, quotes), source: 'bff' },
    ];
  });
}

function isSuperseded(state: SessionState, startedSeq: number): boolean {
  const newest = Math.max(requestSeq(state.quotes?.request_id ?? ''), requestSeq(state.updated_quotes?.request_id ?? ''));
  return newest > startedSeq;
}

/** Where a parcel ships from when Bob did not say: the ship-from address given, else the account's. */
async function shipFromZip(ctx: ToolContext, sessionId: string): Promise<string> {
  const state = await ctx.sessions.state(sessionId);
  if (state.sender) return state.sender.address.zip;
  const account = await ensureAccount(ctx, sessionId, state).catch(() => null);
  if (!account) throw refuse('no_ship_from_zip');
  return account.address.zip;
}

export function parseShipment(parameters: Record<string, unknown>, defaultFromZip?: string): Shipment {
  const parsed = GetShippingQuotesParams.safeParse(parameters);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    if (field === 'from_zip' || field === 'to_zip') throw refuse('zip_unreadable', { field });
    if (field === 'weight' || field === 'weight_unit') {
      throw refuse('weight_unreadable');
    }
    throw refuse('quote_request_unreadable', { field, problem: issue?.message });
  }
  const p = parsed.data;
  const from_zip = p.from_zip ?? defaultFromZip;
  if (!from_zip) throw refuse('no_from_zip');
  const weight_oz = toOunces(p.weight, p.weight_unit);
  if (weight_oz > MAX_WEIGHT_OZ) {
    throw refuse('too_heavy');
  }
  const dims = p.length && p.width && p.height ? { length: p.length, width: p.width, height: p.height, unit: p.dimension_unit } : undefined;
  return {
    from_zip,
    to_zip: p.to_zip,
    weight: p.weight,
    weight_unit: p.weight_unit,
    weight_oz,
    ...(dims ? { dimensions: dims } : {}),
    residential: p.residential ?? false,
  };
}

interface CarrierAnswer {
  carrier: Carrier;
  res?: RatesResponse;
  err?: ToolError;
}

interface CarrierRates {
  rates: Rate[];
  missing: Carrier[];
  /** Still out at the deadline; `late` settles with each one's answer. */
  pending: Carrier[];
  late: Promise<CarrierAnswer>[];
  errors: ToolError[];
  /** The destination ZIP's city and state, when the backend named them. */
  destination?: { city: string; state: string };
}

/**
 * Asks every carrier at once and answers when all are in or at the quotes deadline, whichever
 * comes first. One deadline bounds each carrier's whole call (SHIPVOX_TIMEOUT_MS after the start,
 * retries included); what answers between the two is added later (addLateQuotes).
 */
async function ratesByCarrier(ctx: ToolContext, call: ToolCall, shipment: Shipment): Promise<CarrierRates> {
  const toIn = shipment.dimensions?.unit === 'cm' ? 1 / CM_PER_IN : 1;
  const request = {
    shipment: {
      from_zip: shipment.from_zip,
      to_zip: shipment.to_zip,
      weight_oz: shipment.weight_oz,
      ...(shipment.dimensions
        ? { length_in: shipment.dimensions.length * toIn, width_in: shipment.dimensions.width * toIn, height_in: shipment.dimensions.height * toIn }
        : {}),
      residential: shipment.residential,
    },
  };
  const answered: Carrier[] = [];
  const pending = new Set<Carrier>(CARRIERS);
  let reportedSlow = false;
  let bobAnswered = false;
  const progress = (slow: Carrier[]) =>
    bobAnswered
      ? undefined
      : ctx.sessions
          .append(call.sessionId, { type: 'tool_call_progress', tool_call_id: call.toolCallId, tool_name: call.toolName, answered: [...answered], slow })
          .catch((err: unknown) => ctx.log.warn({ err: String(err) }, 'progress not logged'));
  const slowTimer = setTimeout(() => {
    if (pending.size === 0) return;
    reportedSlow = true;
    void progress([...pending]);
  }, Math.min(ctx.slowCarrierMs, ctx.quotesDeadlineMs));
  slowTimer.unref?.();
  const callDeadline = performance.now() + ctx.shipvox.timeoutMs;

  const answers = new Map<Carrier, CarrierAnswer>();
  const calls = CARRIERS.map(async (carrier): Promise<CarrierAnswer> => {
    let answer: CarrierAnswer;
    try {
      const res: RatesResponse = await timed(call.backend, () => ctx.shipvox.getRates({ ...request, carriers: [carrier] }, { deadline: callDeadline }));
      answer = { carrier, res };
    } catch (err) {
      const spoken = spokenError(err);
      if (!spoken) throw err;
      answer = { carrier, err: spoken };
    }
    answers.set(carrier, answer);
    pending.delete(carrier);
    answered.push(carrier);
    if (pending.size > 0) await progress(reportedSlow ? [...pending] : []);
    return answer;
  });
  let deadlineTimer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (deadlineTimer = setTimeout(resolve, ctx.quotesDeadlineMs)));
  try {
    await Promise.race([Promise.all(calls), deadline]);
  } finally {
    bobAnswered = true;
    clearTimeout(deadlineTimer);
    clearTimeout(slowTimer);
  }

  const out: CarrierRates = { rates: [], missing: [], pending: [], late: [], errors: [] };
  CARRIERS.forEach((carrier, i) => {
    const s = answers.get(carrier);
    if (!s) {
      out.pending.push(carrier);
      out.late.push(calls[i]!);
      return;
    }
    if (s.err) {
      // A refused shipment (bad ZIP, weight) is the same for every carrier: say it, don't hide it.
      if (s.err.code === 'invalid_zip' || s.err.code === 'invalid_weight') throw s.err;
      out.errors.push(s.err);
      out.missing.push(s.carrier);
      return;
    }
    if (s.res) {
      if (s.res.places?.to) out.destination ??= s.res.places.to;
      out.rates.push(...s.res.rates);
      for (const m of s.res.messages) if (!out.missing.includes(m.carrier)) out.missing.push(m.carrier);
    }
  });
  return out;
}

function noQuotesError(errors: ToolError[]): ToolError {
  if (errors.length > 0 && errors.every((e) => e.code === 'carrier_timeout')) {
    return refuse('carriers_timed_out');
  }
  if (errors.length > 0) return refuse('carriers_unreachable');
  return refuse('no_rates');
}

/** "USPS Priority Mail" → "Priority Mail": the carrier is its own field, screens and Bob add it once. */
export function serviceName(carrier: string, name: string): string {
  return name.startsWith(`${carrier} `) ? name.slice(carrier.length + 1) : name;
}

/** Numbers the options cheapest first (ties: faster first) and tags cheapest, fastest, best value. */
export function toQuotes(rates: readonly Rate[], startedSeq: number, after = 0): Quote[] {
  const sorted = [...rates]
    .map((r) => ({ r, cents: Math.round(Number(r.amount) * 100) }))
    .filter((x) => Number.isFinite(x.cents))
    .sort((a, b) => a.cents - b.cents || a.r.estimated_days - b.r.estimated_days || a.r.service_token.localeCompare(b.r.service_token));
  const quotes: Quote[] = sorted.map(({ r, cents }, i) => ({
    option: after + i + 1,
    quote_id: quoteId(startedSeq, after + i + 1),
    rate_id: r.rate_id,
    carrier: r.carrier,
    service: serviceName(r.carrier, r.service_name),
    service_code: r.service_token,
    price_cents: cents,
    currency: r.currency,
    estimated_days: r.estimated_days,
    delivery_date: r.delivery_date,
    guaranteed: r.guaranteed,
    zone: r.zone,
    expires_at: r.expires_at,
    tags: [],
  }));
  if (quotes.length === 0) return quotes;
  quotes[0]!.tags.push('cheapest');
  const fastest = quotes.reduce((a, b) => (b.estimated_days < a.estimated_days ? b : a));
  fastest.tags.push('fastest');
  // Best value: the cheapest option at least two days faster than the cheapest one.
  const cheapestDays = quotes[0]!.estimated_days;
  const value = quotes.find((q) => q.estimated_days <= cheapestDays - 2 && q !== fastest);
  value?.tags.push('best_value');
  return quotes;
}
