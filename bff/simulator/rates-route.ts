/** POST /get-rates: validation, per-carrier latency and faults, priced rates stored for purchase. */
import type { Context } from 'hono';
import { Carrier, MAX_WEIGHT_OZ } from '../../shared/tools.ts';
import { ID_PATTERN } from '../../shared/wire.ts';
import { REQUEST_ID_HEADER, RatesRequest, type Rate, type RatesResponse } from '../shipvox/contract.ts';
import { takeOne } from './faults.ts';
import { errorJson, firstIssue, readJson } from './http.ts';
import { formatAmount } from './pricing.ts';
import { quoteCarrier, type CarrierQuote, type Shipment } from './services.ts';
import type { SimState } from './state.ts';
import { businessDaysAfter } from './transit.ts';
import { regionOfZip } from './zones.ts';

type CarrierOutcome = { carrier: Carrier } & ({ kind: 'quoted'; quote: CarrierQuote } | { kind: 'timeout' } | { kind: 'unavailable' });

const ZIP_FIELDS = ['from_zip', 'to_zip'] as const;
/** Rates stay answerable (as expired) this long after they expire, then are forgotten. */
const EXPIRED_RATE_RETENTION_MS = 24 * 60 * 60_000;
const SEEN_REQUESTS = 10_000;

function invalidZip(state: SimState, shipment: Shipment): { field: string; zip: string } | undefined {
  for (const key of ZIP_FIELDS) {
    const zip = shipment[key];
    if (!regionOfZip(zip) || state.faults.invalidZips.includes(zip)) return { field: `shipment.${key}`, zip };
  }
  return undefined;
}

export async function getRates(c: Context, state: SimState): Promise<Response> {
  state.stats.get_rates_calls++;
  if (takeOne(state.faults, 'getRates5xx')) return errorJson(c, 500, 'internal', 'Simulated backend error; try again.');

  const body = await readJson(c);
  if (!body.ok) return errorJson(c, 400, 'invalid_request', body.message);
  const parsed = RatesRequest.safeParse(body.value);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error);
    const zipField = ZIP_FIELDS.find((k) => issue.field === `shipment.${k}`);
    if (zipField) return errorJson(c, 422, 'invalid_zip', `${zipField} must be a 5-digit US ZIP code.`, issue.field);
    return errorJson(c, 400, 'invalid_request', issue.message, issue.field || undefined);
  }
  const { shipment } = parsed.data;
  const bad = invalidZip(state, shipment);
  if (bad) return errorJson(c, 422, 'invalid_zip', `ZIP code ${bad.zip} does not exist.`, bad.field);
  if (shipment.weight_oz > MAX_WEIGHT_OZ) {
    return errorJson(c, 422, 'invalid_weight', 'Carriers accept parcels up to 150 lb (2400 oz).', 'shipment.weight_oz');
  }
  const dims = [shipment.length_in, shipment.width_in, shipment.height_in].filter((d) => d !== undefined).length;
  if (dims !== 0 && dims !== 3) {
    return errorJson(c, 400, 'invalid_request', 'Send length_in, width_in and height_in together, or none of them.', 'shipment');
  }
  const carriers = [...new Set(parsed.data.carriers ?? Carrier.options)];
  if (carriers.length === 0) return errorJson(c, 400, 'invalid_request', 'carriers must name at least one carrier.', 'carriers');

  const signal = c.req.raw.signal;
  const single = carriers.length === 1;
  const faults = state.faults;
  if (carriers.some((carrier) => faults.flakyCarriers.includes(carrier)) && firstAttempt(c, state)) {
    return errorJson(c, 500, 'internal', 'Simulated carrier error; try again.');
  }
  const { sleep, latencyMs, carrierTimeoutMs } = state.config;
  const outcomes = await Promise.all(
    carriers.map(async (carrier): Promise<CarrierOutcome> => {
      if (faults.timeoutCarriers.includes(carrier)) {
        if (single) await sleep(faults.hangMs, { purpose: 'hang', carrier, signal });
        else await sleep(carrierTimeoutMs, { purpose: 'carrier_timeout', carrier, signal });
        return { carrier, kind: 'timeout' };
      }
      await sleep(latencyMs[carrier] + (faults.slowCarriers[carrier] ?? 0), { purpose: 'carrier_latency', carrier, signal });
      if (faults.failCarriers.includes(carrier)) return { carrier, kind: 'unavailable' };
      return { carrier, kind: 'quoted', quote: quoteCarrier(carrier, shipment) };
    }),
  );
  if (signal.aborted) return new Response(null, { status: 499 }); // the client left

  const only = outcomes[0];
  if (single && only?.kind === 'timeout') return errorJson(c, 504, 'carrier_timeout', `${only.carrier} did not answer in time.`);
  if (single && only?.kind === 'unavailable') return errorJson(c, 503, 'carrier_unavailable', `${only.carrier} is not answering right now.`);

  const places = { from: regionOfZip(shipment.from_zip), to: regionOfZip(shipment.to_zip) };
  const place = (r: typeof places.to) => (r ? { city: r.city, state: r.state } : undefined);
  const response: RatesResponse = { request_id: requestId(c, state), rates: [], messages: [], places: { ...(places.from ? { from: place(places.from) } : {}), ...(places.to ? { to: place(places.to) } : {}) } };
  const now = state.config.now();
  pruneRates(state, now);
  for (const outcome of outcomes) {
    if (outcome.kind === 'timeout') {
      response.messages.push({ carrier: outcome.carrier, code: 'carrier_timeout', text: `${outcome.carrier} did not answer in time.` });
    } else if (outcome.kind === 'unavailable') {
      response.messages.push({ carrier: outcome.carrier, code: 'carrier_unavailable', text: `${outcome.carrier} is not answering right now.` });
    } else {
      const { quotes, refusal } = outcome.quote;
      if (refusal) response.messages.push({ carrier: outcome.carrier, ...refusal });
      for (const q of quotes) {
        const rate: Rate = {
          rate_id: `rate_${state.prng.id(20)}`,
          carrier: q.service.carrier,
          service_name: q.service.name,
          service_token: q.service.token,
          amount: formatAmount(q.cents),
          currency: 'USD',
          estimated_days: q.estimated_days,
          delivery_date: businessDaysAfter(now, q.estimated_days),
          guaranteed: q.service.guaranteed,
          zone: q.zone,
          expires_at: new Date(now + state.config.rateTtlMs).toISOString(),
        };
        state.rates.set(rate.rate_id, { rate, token: q.service.token, shipment });
        response.rates.push(rate);
      }
    }
  }
  return c.json(response, 200);
}

/** True the first time this X-Request-Id is seen (a client's retry reuses it); remembers the last few thousand. */
function firstAttempt(c: Context, state: SimState): boolean {
  const id = c.req.header(REQUEST_ID_HEADER) ?? '';
  if (state.seenRequests.has(id)) return false;
  state.seenRequests.add(id);
  for (const oldest of state.seenRequests) {
    if (state.seenRequests.size <= SEEN_REQUESTS) break;
    state.seenRequests.delete(oldest);
  }
  return true;
}

function requestId(c: Context, state: SimState): string {
  const given = c.req.header(REQUEST_ID_HEADER);
  return given && ID_PATTERN.test(given) ? given : `req_${state.prng.id(16)}`;
}

/** Forgets rates long expired (the map is in creation order). */
function pruneRates(state: SimState, now: number): void {
  for (const [id, stored] of state.rates) {
    if (Date.parse(stored.rate.expires_at) + EXPIRED_RATE_RETENTION_MS > now) break;
    if (!stored.heldBy || stored.purchased) state.rates.delete(id);
  }
}
