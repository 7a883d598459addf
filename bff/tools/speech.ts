/**
 * Sentences Bob reads: money as "$8.45", dates as "Thursday, November 27", at most three options
 * numbered exactly as the screen numbers them.
 */
import { deriveSteps, selectedQuote, type SessionState } from '../../shared/session.ts';
import type { Address, TrackingEvent } from '../../shared/address.ts';
import { DEFAULT_WEIGHT_UNIT } from '../../shared/shipment-fields.ts';
import { MAX_SPOKEN_OPTIONS, type Carrier, type Label, type PurchaseSummary, type Quote, type SpokenOption } from '../../shared/tools.ts';

const dateFormat = new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' });

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Building an Intl.NumberFormat costs more than formatting with it: one per currency, kept. */
export function money(cents: number, currency: string): string {
  let f = moneyFormats.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    } catch {
      // Codes are checked at the ShipVox contract; speech must never throw after an event was logged.
      return `${(cents / 100).toFixed(2)} ${currency}`;
    }
    moneyFormats.set(currency, f);
  }
  return f.format(cents / 100);
}

export function arrival(q: Pick<Quote, 'delivery_date' | 'estimated_days'>): string {
  if (q.delivery_date) return dateFormat.format(new Date(`${q.delivery_date}T12:00:00Z`));
  return `in about ${q.estimated_days} business day${q.estimated_days === 1 ? '' : 's'}`;
}

export function spokenOptions(quotes: readonly Quote[]): SpokenOption[] {
  return quotes.slice(0, MAX_SPOKEN_OPTIONS).map((q) => ({
    option: q.option,
    quote_id: q.quote_id,
    carrier: q.carrier,
    service: q.service,
    price: money(q.price_cents, q.currency),
    arrives: arrival(q),
  }));
}

function optionSentence(o: SpokenOption): string {
  return `Option ${o.option}: ${o.carrier} ${o.service}, ${o.price}, arrives ${o.arrives}.`;
}

function carrierList(carriers: readonly string[]): string {
  if (carriers.length <= 1) return carriers.join('');
  return `${carriers.slice(0, -1).join(', ')} and ${carriers.at(-1)}`;
}

export function quotesSentence(quotes: readonly Quote[], missing: readonly Carrier[], keptSelection?: Quote, pending: readonly Carrier[] = []): string {
  const parts: string[] = [];
  if (keptSelection) {
    // Not read by number: the shopper's screen still shows the chosen option's set, and option
    // numbers Bob says must be that set's (create_label resolves them there).
    parts.push(
      `Prices were updated, but the shipper already chose option ${keptSelection.option}, ${keptSelection.carrier} ${keptSelection.service} for ${money(keptSelection.price_cents, keptSelection.currency)}, which stays selected.`,
      `${quotes.length} updated price${quotes.length === 1 ? ' is' : 's are'} on the screen if they want to compare.`,
    );
  } else if (quotes.length === 0) {
    parts.push('No prices are in yet.');
  } else {
    const options = spokenOptions(quotes);
    parts.push(`I found ${quotes.length} option${quotes.length === 1 ? '' : 's'}.`);
    parts.push(...options.map(optionSentence));
    const rest = quotes.length - options.length;
    if (rest > 0) parts.push(`${rest} more ${rest === 1 ? 'is' : 'are'} on your screen.`);
    parts.push('To buy one, use its option number.');
  }
  if (missing.length > 0) parts.push(`${carrierList(missing)} didn't answer in time, so ${missing.length === 1 ? 'its' : 'their'} prices are missing.`);
  if (pending.length > 0) {
    parts.push(`${carrierList(pending)} ${pending.length === 1 ? "hasn't" : "haven't"} answered yet; ${pending.length === 1 ? 'its' : 'their'} options will be added to the screen, numbered after these, if ${pending.length === 1 ? 'it answers' : 'they answer'}.`);
  }
  return parts.join(' ');
}

/** What Bob is told when a carrier answers after him (quotes_added). */
export function lateQuotesSentence(carrier: Carrier, quotes: readonly Quote[]): string {
  if (quotes.length === 0) return `${carrier} did not answer in the end, so its prices stay missing.`;
  const first = quotes[0]!;
  const cheapest = `Option ${first.option}, ${first.carrier} ${first.service}, is ${money(first.price_cents, first.currency)}, arriving ${arrival(first)}.`;
  const range = quotes.length === 1 ? `is now on the screen as option ${first.option}` : `are now on the screen as options ${first.option} to ${quotes.at(-1)!.option}`;
  return `${carrier} answered late: ${quotes.length} more option${quotes.length === 1 ? '' : 's'} ${range}, after the ones already read. ${cheapest}`;
}

/** What a label is, without saying how it came to be: "UPS Ground, $8.45. The tracking number ends in 1234." */
export function labelFacts(label: Label): string {
  return `${label.carrier} ${label.service}, ${money(label.price_cents, label.currency)}. The tracking number ends in ${label.tracking_number.slice(-4)}.`;
}

/** create_label's answer: just bought, or (replayed) the label the session already had. */
export function labelSentence(label: Label, replayed: boolean): string {
  const lead = replayed ? 'That label was already created, so nothing was bought twice.' : 'Label created, downloading now.';
  return `${lead} ${labelFacts(label)}`;
}

const STEP_WORDS: Record<string, string> = {
  zip: 'the ZIP codes',
  weight: 'the weight',
  quote: 'choosing an option',
  label: 'buying the label',
  done: 'done',
};

export function stateSentence(state: SessionState, buying = false): string {
  const active = deriveSteps(state).find((s) => s.status === 'active');
  const parts: string[] = [];
  const d = state.draft;
  if (d.from_zip || d.to_zip) parts.push(`Shipping from ${d.from_zip ?? 'an unknown ZIP'} to ${d.to_zip ?? 'an unknown ZIP'}${d.weight !== undefined ? `, ${d.weight} ${d.weight_unit ?? DEFAULT_WEIGHT_UNIT}` : ''}.`);
  if (state.recipient) parts.push(`The recipient is ${addressText(state.recipient.address)}${state.recipient.validation.status === 'valid' ? '' : ', but the address still needs settling'}.`);
  if (state.label) {
    parts.push(`The label is ready: ${labelFacts(state.label)}`);
    if (state.voided?.label_id === state.label.label_id) parts.push('It was voided and refunded.');
    else if (state.tracking?.label_id === state.label.label_id) parts.push(trackingSentence(state.tracking.status, state.tracking.events.at(-1)));
    return parts.join(' ');
  }
  if (state.quotes) {
    const chosen = selectedQuote(state);
    if (chosen) parts.push(`The shipper chose option ${chosen.option}: ${chosen.carrier} ${chosen.service}, ${money(chosen.price_cents, chosen.currency)}.`);
    else parts.push(quotesSentence(state.quotes.quotes, []));
    if (state.updated_quotes) parts.push('Updated prices are also on the screen.');
  }
  if (buying) parts.push('The label purchase is still going through; it will appear on the screen when the carrier confirms.');
  if (state.running.length > 0) parts.push('A request is still running.');
  parts.push(active ? `Next step: ${STEP_WORDS[active.id]}.` : '');
  return parts.join(' ').trim() || 'Nothing has happened yet. Ask for the ZIP codes and the weight.';
}

/** A run cut by a crash and not re-run: said as such, then where the session stands (without that run). */
export function interruptedSentence(state: SessionState): string {
  return `That was interrupted before it finished. Here is where we are: ${stateSentence(state)}`;
}

/** An address as Bob says it: name, street, city, state and ZIP. */
export function addressText(a: Address): string {
  return [a.name, a.company, a.street, a.street2, a.city, `${a.state} ${a.zip}`].filter(Boolean).join(', ');
}

/** The purchase summary (shared/summary.ts) as Bob reads it: the same object the summary card shows. */
export function summarySentence(s: PurchaseSummary): string {
  const what = `option ${s.option}, ${s.carrier} ${s.service}, ${money(s.price_cents, s.currency)}, arriving ${arrival(s)}`;
  if (s.blocker === 'no_recipient') return `Before I can buy ${what}, I need the recipient's name and address.`;
  if (s.blocker === 'address_unverified') return `Before I can buy ${what}, the recipient's address needs settling: it did not check out.`;
  if (s.blocker === 'recipient_zip_mismatch') return `Before I can buy ${what}, the prices need updating: the recipient's ZIP code is ${s.recipient?.zip}, not the quoted one.`;
  if (s.blocker === 'sender_unverified') return `Before I can buy ${what}, the ship-from address needs settling: it did not check out.`;
  if (s.blocker === 'sender_zip_mismatch') {
    return `Before I can buy ${what}: these prices are from ZIP code ${s.quoted_from_zip}, but the label would ship from ${addressText(s.sender!)}. Give me the address in ${s.quoted_from_zip} it ships from, or ask for prices from ${s.sender!.zip}.`;
  }
  const unverified = s.unverified?.length ? ` The ${s.unverified.map((p) => (p === 'sender' ? 'ship-from' : "recipient's")).join(' and ')} address is unverified: it was kept as given.` : '';
  return `Before I buy it, please confirm: ${what}, to ${addressText(s.recipient!)}.${unverified} Shall I buy it?`;
}

export function trackingSentence(status: TrackingEvent['status'], latest: TrackingEvent | undefined): string {
  const words = { pre_transit: 'waiting for the carrier to pick it up', in_transit: 'in transit', out_for_delivery: 'out for delivery', delivered: 'delivered' }[status];
  const when = latest ? `${dateFormat.format(new Date(latest.occurred_at))}` : '';
  return latest ? `The parcel is ${words}: ${latest.description}, ${latest.location}, ${when}.` : `The parcel is ${words}.`;
}
