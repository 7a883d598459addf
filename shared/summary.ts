/**
 * The purchase summary the shopper confirms (carrier, service, price, delivery date, recipient),
 * built from the session state alone: the summary card renders it and Bob reads a sentence made
 * from it, so both always say the same thing. No zod (the widget imports it).
 */
import type { CheckedAddress } from './address.ts';
import type { SessionState } from './session-state.ts';
import { selectedQuote } from './session.ts';
import type { PurchaseSummary } from './tools.ts';

/** The summary of the chosen option, or null while none is chosen (or a label was bought). */
export function purchaseSummary(state: SessionState): PurchaseSummary | null {
  const quote = selectedQuote(state);
  if (!quote || state.label) return null;
  const recipient = state.recipient ?? null;
  const shipment = state.quotes?.shipment;
  // The account's address ships unless another was given; either must be where the prices start.
  const sender = state.sender?.address ?? state.account?.address ?? null;
  const settled = (a: CheckedAddress | null | undefined) => !a || a.validation.status === 'valid' || a.validation.kept === true;
  const blocker: PurchaseSummary['blocker'] = !recipient
    ? 'no_recipient'
    : !settled(recipient)
      ? 'address_unverified'
      : recipient.address.zip !== shipment?.to_zip
        ? 'recipient_zip_mismatch'
        : !settled(state.sender)
          ? 'sender_unverified'
          : sender && sender.zip !== shipment?.from_zip
            ? 'sender_zip_mismatch'
            : null;
  const unverified = (['recipient', 'sender'] as const).filter((party) => state[party]?.validation.kept);
  const fields = {
    quote_id: quote.quote_id,
    option: quote.option,
    carrier: quote.carrier,
    service: quote.service,
    price_cents: quote.price_cents,
    currency: quote.currency,
    delivery_date: quote.delivery_date,
    estimated_days: quote.estimated_days,
    recipient: recipient?.address ?? null,
    sender,
    quoted_from_zip: shipment?.from_zip ?? '',
    blocker,
    ...(unverified.length > 0 ? { unverified } : {}),
  };
  return { summary_id: hashId(JSON.stringify(fields)), ...fields };
}

/** FNV-1a (32 bit) in base 36: a short id that changes with its input (not a secret). */
function hashId(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `s${(h >>> 0).toString(36)}`;
}
