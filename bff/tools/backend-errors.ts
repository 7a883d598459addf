/**
 * What Bob says when ShipVox fails: one entry per ShipVoxError code (a code without one does not
 * compile), giving the tool error code the caller sees and the sentence.
 */
import type { ToolErrorCode } from '../../shared/tools.ts';
import { ShipVoxError, type ShipVoxErrorCode } from '../shipvox/errors.ts';
import { ToolError } from './tool-error.ts';

type Detail = ShipVoxError['detail'];
interface Spoken {
  code: ToolErrorCode;
  say: string | ((detail: Detail) => string);
  /** The parameter it is about, when the backend's own field is not the one to name. */
  field?: (detail: Detail) => string | undefined;
}

const TIMEOUT: Spoken = { code: 'carrier_timeout', say: 'The carriers are taking too long to answer right now.' };

const SPOKEN = {
  invalid_zip: {
    code: 'invalid_zip',
    say: ({ field }) => `That ${field === 'to_zip' ? 'destination ' : field === 'from_zip' ? 'sending ' : ''}ZIP code doesn't exist. Could you check it and say it again?`,
    field: ({ field }) => field,
  },
  invalid_weight: { code: 'invalid_weight', say: 'Carriers cannot take that weight. Parcels must weigh more than zero and at most 150 pounds.', field: () => 'weight' },
  rate_expired: { code: 'rate_expired', say: 'That price has expired. Let me get fresh quotes.' },
  rate_not_found: { code: 'quote_not_found', say: "I can't find that option any more. Let me get fresh quotes." },
  insufficient_funds: { code: 'insufficient_funds', say: "The account doesn't have enough funds to buy this label." },
  carrier_timeout: TIMEOUT,
  label_not_found: { code: 'label_not_found', say: "I can't find that label." },
  label_voided: { code: 'label_voided', say: 'That label was voided, so it has no tracking and cannot be used.' },
  void_window_closed: { code: 'void_refused', say: ({ message }) => `${message ?? 'The label can no longer be voided.'} Nothing was changed.` },
  address_mismatch: { code: 'recipient_zip_mismatch', say: "The recipient's ZIP code is not the one the price was quoted for. Let me get prices for it first." },
  address_invalid: { code: 'address_invalid', say: ({ message }) => `That address is not complete: ${message ?? 'a field is missing'}.`, field: ({ field }) => field },
  refused: { code: 'label_failed', say: 'That label could not be bought. Please try again.' },
  unreadable_answer: { code: 'backend_unavailable', say: 'The shipping system gave an answer I could not read. Please try again in a moment.' },
  unreachable: { code: 'backend_unavailable', say: 'The shipping system is not reachable right now.' },
  backend_error: { code: 'backend_unavailable', say: 'The shipping system is having trouble right now. Please try again in a moment.' },
  file_unavailable: { code: 'label_failed', say: 'The label was bought but its file could not be downloaded yet. Please try again.' },
} satisfies Record<ShipVoxErrorCode, Spoken>;

/** A failure as the typed error Bob can say: a ToolError as it is, a ShipVoxError through the table; anything else is not ours to say (undefined). */
export function spokenError(err: unknown): ToolError | undefined {
  if (err instanceof ToolError) return err;
  if (!(err instanceof ShipVoxError)) return undefined;
  const spoken: Spoken = SPOKEN[err.code];
  const sentence = typeof spoken.say === 'string' ? spoken.say : spoken.say(err.detail);
  return new ToolError(spoken.code, sentence, spoken.field?.(err.detail));
}

/** Whether a tool error code says "the backend is slow or away" (worth trying again shortly). */
export function backendAway(code: ToolErrorCode): boolean {
  return code === 'carrier_timeout' || code === 'backend_unavailable';
}

/** A backend that is slow or away, said for what was being done ("check that address"); other errors pass, said as the table says them. */
export function whenBackendAway(what: string): (err: unknown) => never {
  return (err) => {
    const spoken = spokenError(err);
    if (spoken && backendAway(spoken.code)) {
      throw new ToolError('backend_unavailable', `I couldn't ${what} just now: the shipping system is slow to answer. Nothing was changed; please try again in a moment.`);
    }
    throw spoken ?? err;
  };
}
