/**
 * Every refusal Bob or the screen is told, in one place: per refusal its code and its sentence
 * (a string, or a function of the details the throw site knows). The tables are checked by
 * `satisfies`, so an entry with a code that does not exist does not compile, and neither does a
 * throw site naming a refusal that has no entry or passing the wrong details.
 * The sentences for outcomes that went well are in speech.ts.
 */
import type { FrameErrorCode } from '../../shared/protocol.ts';
import type { PurchaseSummary, ToolErrorCode } from '../../shared/tools.ts';
import type { ShipVoxError, ShipVoxErrorCode } from '../shipvox/errors.ts';
import { summarySentence } from './speech.ts';
import { ToolError } from './tool-error.ts';

interface ToolRefusal {
  code: ToolErrorCode;
  say: string | ((details: never) => string);
  /** The parameter it is about: fixed, or taken from the details. */
  field?: string | ((details: never) => string | undefined);
}

type Blocker = NonNullable<PurchaseSummary['blocker']>;
/** A purchase held back by its summary: Bob reads the summary, which says what is missing. */
const blocked = (code: ToolErrorCode, field: 'sender' | 'recipient') => ({ code, say: ({ summary }: { summary: PurchaseSummary }) => summarySentence(summary), field });

const REFUSALS = {
  // The runner
  unknown_tool: { code: 'unknown_tool', say: ({ name }: { name: string }) => `I don't have a tool called ${name.slice(0, 64)}. I can get quotes, create a label, or check where we are.` },
  backend_away: { code: 'backend_unavailable', say: ({ what }: { what: string }) => `I couldn't ${what} just now: the shipping system is slow to answer. Nothing was changed; please try again in a moment.` },

  // get_shipping_quotes
  quotes_superseded: { code: 'quote_superseded', say: 'Those prices are out of date: a newer search replaced them. The current options are on the screen.' },
  no_ship_from_zip: { code: 'invalid_zip', say: 'I need the 5-digit ZIP code the parcel ships from. Could you tell me?', field: 'from_zip' },
  zip_unreadable: {
    code: 'invalid_zip',
    say: ({ field }: { field: 'from_zip' | 'to_zip' }) => `I need a 5-digit US ZIP code for the ${field === 'from_zip' ? 'sending' : 'destination'} address. Could you say it again?`,
    field: ({ field }: { field: 'from_zip' | 'to_zip' }) => field,
  },
  weight_unreadable: { code: 'invalid_weight', say: 'I need the weight as a number greater than zero, in pounds, ounces or kilograms.', field: 'weight' },
  quote_request_unreadable: {
    code: 'invalid_params',
    say: ({ field, problem }: { field: string; problem: string | undefined }) => `I couldn't use that request: ${field || 'the parameters'} ${problem ?? 'is not valid'}.`,
    field: ({ field }: { field: string; problem: string | undefined }) => field || undefined,
  },
  no_from_zip: { code: 'invalid_zip', say: 'I need a 5-digit US ZIP code for the sending address. Could you say it again?', field: 'from_zip' },
  too_heavy: { code: 'invalid_weight', say: 'That is over 150 pounds, the most these carriers take for one parcel.', field: 'weight' },
  carriers_timed_out: { code: 'carrier_timeout', say: "None of the carriers answered in time. Let's try again in a moment." },
  carriers_unreachable: { code: 'backend_unavailable', say: "I can't reach the carriers right now. Let's try again in a moment." },
  no_rates: { code: 'no_rates', say: 'No carrier offers a service between those ZIP codes for that parcel.' },

  // create_label
  no_option_number: { code: 'invalid_params', say: 'I need the number of the option the shipper chose.', field: 'option' },
  option_not_found: { code: 'quote_not_found', say: "I can't find that option. Please pick one of the options on the screen." },
  no_options_yet: { code: 'quote_not_found', say: 'There are no options yet. Let me get quotes first.' },
  no_such_option: {
    code: 'quote_not_found',
    say: ({ option, count }: { option: number; count: number }) => `There is no option ${option}: the options on the screen go from 1 to ${count}. Which one did the shipper choose?`,
    field: 'option',
  },
  option_superseded: { code: 'quote_superseded', say: 'That option is from an older search. Please pick one of the options on the screen now.' },
  summary_changed: { code: 'summary_changed', say: 'The summary changed since it was shown (the option or the address). Please check the new one and confirm again.' },
  label_already_bought: { code: 'label_exists', say: 'A label was already bought for this shipment. To ship another parcel, let me get new quotes.' },
  price_expired: { code: 'rate_expired', say: 'That price has expired. Let me get fresh quotes.' },
  blocked_no_recipient: blocked('recipient_missing', 'recipient'),
  blocked_address_unverified: blocked('address_unverified', 'recipient'),
  blocked_recipient_zip_mismatch: blocked('recipient_zip_mismatch', 'recipient'),
  blocked_sender_unverified: blocked('address_unverified', 'sender'),
  blocked_sender_zip_mismatch: blocked('sender_zip_mismatch', 'sender'),

  // set_recipient_address (and the screen's address form)
  address_field_unreadable: {
    code: 'address_invalid',
    say: ({ field }: { field: string }) => `The ${field.replace('_', ' ')} of that address doesn't look right. Could you say it again?`,
    field: ({ field }: { field: string }) => field,
  },
  address_after_label: { code: 'label_exists', say: ({ whose }: { whose: string }) => `The label is already bought for this shipment; ${whose} address cannot change. To ship another parcel, let me get new quotes.` },
  no_suggestion: { code: 'address_unverified', say: ({ whose }: { whose: string }) => `There is no suggested address to accept. What is ${whose} address?` },
  nothing_to_keep: { code: 'address_unverified', say: ({ whose }: { whose: string }) => `There is no address waiting to be kept. What is ${whose} address?` },
  address_incomplete: {
    code: 'address_invalid',
    say: ({ ask }: { ask: string; missing: string }) => `I still need ${ask} for the address.`,
    field: ({ missing }: { ask: string; missing: string }) => missing,
  },
  address_unusable: {
    code: 'address_invalid',
    say: ({ why }: { why: string; field: string | undefined }) => `That address can't be used: ${why} Nothing was changed.`,
    field: ({ field }: { why: string; field: string | undefined }) => field,
  },

  // void_label, track_parcel
  no_such_label: { code: 'label_not_found', say: 'There is no such label in this shipment.', field: 'label_id' },
  label_id_unreadable: { code: 'invalid_params', say: 'That label id does not look right.', field: 'label_id' },
  track_takes_nothing: { code: 'invalid_params', say: 'track_parcel takes no parameters.' },
  nothing_to_track: { code: 'label_not_found', say: 'No label has been bought yet, so there is nothing to track.' },
  voided_no_tracking: { code: 'label_voided', say: 'That label was voided, so there is nothing to track.' },
  tracking_unavailable: { code: 'tracking_unavailable', say: "I can't reach the tracking right now. Please ask again in a moment." },
} as const satisfies Record<string, ToolRefusal> & Record<`blocked_${Blocker}`, ToolRefusal>;

export type RefusalName = keyof typeof REFUSALS;
type DetailsOf<F> = F extends (details: infer D) => unknown ? D : never;
type Details<K extends RefusalName> = DetailsOf<(typeof REFUSALS)[K]['say']> | DetailsOf<(typeof REFUSALS)[K] extends { field: infer F } ? F : never>;

/** The refusal as the typed error Bob says: `throw refuse('no_such_option', { option: 9, count: 3 })`. */
export function refuse<K extends RefusalName>(name: K, ...details: [Details<K>] extends [never] ? [] : [Details<K>]): ToolError {
  const refusal: ToolRefusal = REFUSALS[name];
  const given = details[0] as never;
  const say = typeof refusal.say === 'string' ? refusal.say : refusal.say(given);
  const field = typeof refusal.field === 'function' ? refusal.field(given) : refusal.field;
  return new ToolError(refusal.code, say, field);
}

/** A purchase its summary holds back, refused with the summary read out. */
export function refuseBlocked(summary: PurchaseSummary & { blocker: Blocker }): ToolError {
  return refuse(`blocked_${summary.blocker}`, { summary });
}

type BackendDetail = ShipVoxError['detail'];
export interface BackendRefusal {
  code: ToolErrorCode;
  say: string | ((detail: BackendDetail) => string);
  /** The parameter it is about, when the backend's own field is not the one to name. */
  field?: (detail: BackendDetail) => string | undefined;
}

const TIMEOUT: BackendRefusal = { code: 'carrier_timeout', say: 'The carriers are taking too long to answer right now.' };

/** What Bob says when ShipVox fails: one entry per ShipVoxError code (a code without one does not compile). */
export const BACKEND_REFUSALS = {
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
} satisfies Record<ShipVoxErrorCode, BackendRefusal>;

/** What the screen is told when a ui_action is refused before any tool runs (an error frame's code and message). */
export const SCREEN_REFUSALS = {
  option_not_offered: { code: 'not_found', say: 'That option is not among the current quotes.' },
  label_already_bought: { code: 'conflict', say: 'A label was already bought for this shipment.' },
  no_such_label: { code: 'not_found', say: 'No such label in this session.' },
  summary_changed: { code: 'conflict', say: 'The summary changed since it was shown. Please check it and confirm again.' },
  email_failed: { code: 'unavailable', say: 'The email could not be sent. Please try again.' },
  email_limit_label: { code: 'rate_limited', say: 'This label has been emailed as often as allowed.' },
  email_limit_session: { code: 'rate_limited', say: 'This session has sent as many emails as allowed.' },
  email_limit_recipient: { code: 'rate_limited', say: 'That address has received as many labels as allowed today.' },
  internal: { code: 'internal', say: 'Something went wrong on our side. Please try again.' },
} as const satisfies Record<string, { code: FrameErrorCode; say: string }>;

/** Said when a tool crashed (not one of ours to explain). */
export const TOOL_CRASHED = 'Something went wrong on our side. Please try that again.';
