/**
 * Tool parameter and result schemas: the single source of truth for what Bob may send and what
 * the BFF answers. ElevenLabs tool configs and docs/protocol.md are generated from these.
 */
import * as z from './zod.ts';
import { ADDRESS_PARTIES, Address, AddressParty, AddressValidation, TrackingEvent, TrackingStatus } from './address.ts';
import { LABEL_FORMATS } from './label-formats.ts';
import { ADDRESS_MAX_LENGTH as MAX, DEFAULT_DIMENSION_UNIT, DEFAULT_WEIGHT_UNIT, DIMENSION_UNITS, WEIGHT_UNITS, ZIP_PATTERN, ZIP_RULE } from './shipment-fields.ts';
import { ID_PATTERN } from './wire.ts';

import { TOOL_NAMES } from './tool-names.ts';

export { TOOL_NAMES };
export const ToolName = z.enum(TOOL_NAMES);
export type ToolName = z.infer<typeof ToolName>;

/** Bob reads at most this many options aloud; the rest are "on your screen". */
export const MAX_SPOKEN_OPTIONS = 3;
/** Carriers stop at 150 lb; we refuse heavier parcels before asking the backend. */
export const MAX_WEIGHT_OZ = 150 * 16;

export const Carrier = z.enum(['USPS', 'UPS', 'FedEx']);
/** ISO 4217 form (three capitals): every such code formats with Intl; anything else (e.g. "US$") throws a RangeError there. */
export const CurrencyCode = z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code (three capital letters)'));
/** A link a screen may open: http(s) only (never javascript:, data: …). */
export const WebUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
export type Carrier = z.infer<typeof Carrier>;

const zip = () => z.string().check(z.regex(ZIP_PATTERN, ZIP_RULE));
export const Zip = zip();

export const WeightUnit = z.enum(WEIGHT_UNITS);
export type WeightUnit = z.infer<typeof WeightUnit>;
export const DimensionUnit = z.enum(DIMENSION_UNITS);
const positiveNumber = () => z.number().check(z.positive('must be greater than zero'), z.lte(1000, 'is too large'));
/** A fresh schema carrying a description (registering on a shared instance would relabel every use). */
const described = <S extends z.ZodType>(schema: S, description: string): S => {
  (z.globalRegistry as z.core.$ZodRegistry<{ description?: string }>).add(schema, { description });
  return schema;
};
/** "lb, oz or kg" */
const orList = (values: readonly string[]) => `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
const id = (rule: string) => z.string().check(z.regex(ID_PATTERN, rule));

const OZ_PER_UNIT: Record<WeightUnit, number> = { lb: 16, oz: 1, kg: 35.27396195 };
/** Weight in ounces, rounded up to a tenth (carriers bill by the started unit). */
export function toOunces(weight: number, unit: WeightUnit): number {
  return Math.ceil(weight * OZ_PER_UNIT[unit] * 10) / 10;
}

export const GetShippingQuotesParams = z.object({
  from_zip: z.optional(described(zip(), "Sender's 5-digit US ZIP code; leave it out to ship from the account's address")),
  to_zip: described(zip(), "Recipient's 5-digit US ZIP code"),
  weight: described(positiveNumber(), 'Parcel weight, in weight_unit'),
  weight_unit: described(z._default(WeightUnit, DEFAULT_WEIGHT_UNIT), `Unit of weight: ${orList(WEIGHT_UNITS)} (default ${DEFAULT_WEIGHT_UNIT})`),
  length: z.optional(described(positiveNumber(), 'Parcel length, if the shipper knows it')),
  width: z.optional(described(positiveNumber(), 'Parcel width, if known')),
  height: z.optional(described(positiveNumber(), 'Parcel height, if known')),
  dimension_unit: described(z._default(DimensionUnit, DEFAULT_DIMENSION_UNIT), `Unit of length, width and height: ${orList(DIMENSION_UNITS)} (default ${DEFAULT_DIMENSION_UNIT})`),
  residential: z.optional(described(z.boolean(), 'Delivery to a home address')),
});
export type GetShippingQuotesParams = z.infer<typeof GetShippingQuotesParams>;

export const QuoteId = id('must be a quote id from the current quotes');
/** Give `option` (what Bob heard and the screen shows) or `quote_id`; the tool refuses neither. */
export const CreateLabelParams = z.object({
  option: z.optional(described(z.int().check(z.positive('must be an option number from 1')), 'The number of the option the shipper chose, as read aloud and shown on screen')),
  quote_id: z.optional(described(id('must be a quote id from the current quotes'), 'Only if you have it: the quote_id of that option (option alone is enough)')),
  confirmed: z.optional(described(z.boolean(), 'true only after you read the purchase summary (carrier, service, price, delivery date, recipient) from my last answer and the shipper said yes to it; otherwise leave it out and I answer with the summary to read')),
});
export type CreateLabelParams = z.infer<typeof CreateLabelParams>;

export const GetSessionStateParams = z.object({});
export type GetSessionStateParams = z.infer<typeof GetSessionStateParams>;

/**
 * The recipient as Bob heard it (every field optional so a partial address gets a precise
 * question back); `use_suggestion: true` accepts the near miss the last check proposed.
 */
export const SetRecipientAddressParams = z.object({
  party: z.optional(described(z.enum(ADDRESS_PARTIES), 'sender when the shipper gives the address it ships from (default: recipient)')),
  name: z.optional(described(z.string().check(z.maxLength(MAX.name)), "Recipient's full name")),
  company: z.optional(described(z.string().check(z.maxLength(MAX.company)), 'Company, if any')),
  street: z.optional(described(z.string().check(z.maxLength(MAX.street)), 'Street number and street name, e.g. 12 Main St')),
  street2: z.optional(described(z.string().check(z.maxLength(MAX.street2)), 'Apartment, suite or unit, if any')),
  city: z.optional(described(z.string().check(z.maxLength(MAX.city)), 'City (may be left out: the ZIP code gives it)')),
  state: z.optional(described(z.string().check(z.maxLength(MAX.state)), '2-letter state code (may be left out: the ZIP code gives it)')),
  zip: z.optional(described(zip(), "Recipient's 5-digit ZIP code")),
  use_suggestion: z.optional(described(z.boolean(), 'true when the shipper accepted the corrected address I suggested; the other fields are then not needed')),
  keep: z.optional(described(z.boolean(), 'true when the shipper keeps the address as they gave it over my suggestion; the other fields are then not needed')),
});
export type SetRecipientAddressParams = z.infer<typeof SetRecipientAddressParams>;

export const VoidLabelParams = z.object({
  label_id: z.optional(described(id('must be a label id'), 'Only if you have it: the label to void (default: this shipment\'s label)')),
});
export type VoidLabelParams = z.infer<typeof VoidLabelParams>;

export const TrackParcelParams = z.object({});
export type TrackParcelParams = z.infer<typeof TrackParcelParams>;

export const TOOL_PARAMS = {
  get_shipping_quotes: GetShippingQuotesParams,
  create_label: CreateLabelParams,
  get_session_state: GetSessionStateParams,
  set_recipient_address: SetRecipientAddressParams,
  void_label: VoidLabelParams,
  track_parcel: TrackParcelParams,
} as const;

export const TOOL_DESCRIPTIONS: Record<ToolName, string> = {
  get_shipping_quotes:
    'Get shipping quotes from USPS, UPS and FedEx once you know both ZIP codes and the weight. Read at most three options aloud, by their option numbers.',
  create_label:
    'Buy the shipping label for the option the shipper chose. First call it without confirmed: it answers with the purchase summary (carrier, service, price, delivery date, recipient) to read aloud. Call it again with confirmed: true only after the shipper said yes to that summary.',
  get_session_state:
    'Where the shipment stands now (quotes, selection, recipient, label, tracking). Call when the shipper lost their place or a resumed session starts.',
  set_recipient_address:
    "Set or correct the recipient's address as the shipper said it (name, street with number, ZIP; city and state if given), or with party: sender the address it ships from. It is checked: read back the corrected address if I suggest one, and call again with use_suggestion: true if the shipper accepts it, or keep: true if they keep theirs.",
  void_label:
    'Void (cancel) the bought label and refund it, when the shipper asks to. Only possible before the carrier has scanned the parcel.',
  track_parcel:
    'Where the parcel is now: its latest tracking event. Call when the shipper asks where their parcel is.',
};

/** A normalised shipment as the BFF sent it to ShipVox. */
export const Shipment = z.object({
  from_zip: Zip,
  to_zip: Zip,
  weight: z.number(),
  weight_unit: WeightUnit,
  weight_oz: z.number(),
  dimensions: z.optional(z.object({ length: z.number(), width: z.number(), height: z.number(), unit: DimensionUnit })),
  residential: z.boolean(),
  /** The recipient ZIP's city and state, as the backend knows them (prefills the address card). */
  destination: z.optional(z.object({ city: z.string(), state: z.string() })),
});
export type Shipment = z.infer<typeof Shipment>;

export const QuoteTag = z.enum(['cheapest', 'fastest', 'best_value']);
export type QuoteTag = z.infer<typeof QuoteTag>;

/** One priced option. `option` is the 1-based number both the screen and Bob use. */
export const Quote = z.object({
  option: z.int().check(z.positive()),
  quote_id: QuoteId,
  /** The backend's rate id this quote buys. */
  rate_id: z.string(),
  carrier: Carrier,
  service: z.string(),
  service_code: z.string(),
  price_cents: z.int().check(z.nonnegative()),
  currency: CurrencyCode,
  estimated_days: z.int().check(z.positive()),
  delivery_date: z.nullable(z.iso.date()),
  guaranteed: z.boolean(),
  zone: z.int(),
  expires_at: z.iso.datetime(),
  tags: z.array(QuoteTag),
  /** Added after Bob's answer by a carrier that answered late (numbered after the ones he read). */
  late: z.optional(z.boolean()),
});
export type Quote = z.infer<typeof Quote>;

export const Label = z.object({
  label_id: z.string(),
  quote_id: QuoteId,
  carrier: Carrier,
  service: z.string(),
  tracking_number: z.string(),
  tracking_url: WebUrl,
  /** Signed, expiring BFF link to the 4x6 PDF (add `&download=1` for an attachment, `&format=` for another format). */
  pdf_url: z.string(),
  /** QR code for printerless drop-off, as SVG markup from the backend. */
  qr_svg: z.string(),
  price_cents: z.int(),
  currency: CurrencyCode,
  created_at: z.iso.datetime(),
});
export type Label = z.infer<typeof Label>;

export const TOOL_ERROR_CODES = [
  'invalid_params',
  'invalid_zip',
  'invalid_weight',
  'no_rates',
  'carrier_timeout',
  'rate_expired',
  'quote_not_found',
  'quote_superseded',
  'label_failed',
  'label_exists',
  'address_invalid',
  'address_unverified',
  'recipient_missing',
  'recipient_zip_mismatch',
  'sender_zip_mismatch',
  'label_not_found',
  'label_voided',
  'void_refused',
  'tracking_unavailable',
  'summary_changed',
  'insufficient_funds',
  'backend_unavailable',
  'unknown_tool',
  'unknown_session',
  'session_not_ready',
  'interrupted',
  'internal',
] as const;
export const ToolErrorCode = z.enum(TOOL_ERROR_CODES);
export type ToolErrorCode = z.infer<typeof ToolErrorCode>;

export const QuotesData = z.object({
  request_id: z.string(),
  shipment: Shipment,
  quotes: z.array(Quote),
  /** Carriers that did not answer (timeouts, outages): named so Bob can say so. */
  missing_carriers: z.array(Carrier),
  /** Carriers still out at the deadline (their options may follow on screen). */
  pending_carriers: z.optional(z.array(Carrier)),
  /** The shopper's choice kept over these newer prices (they are not read out by number). */
  kept_quote_id: z.optional(QuoteId),
});
export type QuotesData = z.infer<typeof QuotesData>;

export const LabelData = z.object({ label: Label, replayed: z.boolean() });
export type LabelData = z.infer<typeof LabelData>;

/**
 * What the shopper confirms before a label is bought, built from the session state by
 * `purchaseSummary` (shared/summary.ts): the card on screen and the sentence Bob reads are both
 * made from it. `summary_id` changes whenever anything in it changes.
 */
export const PurchaseSummary = z.object({
  summary_id: z.string(),
  quote_id: QuoteId,
  option: z.int(),
  carrier: Carrier,
  service: z.string(),
  price_cents: z.int(),
  currency: z.string(),
  delivery_date: z.nullable(z.iso.date()),
  estimated_days: z.int(),
  recipient: z.nullable(Address),
  sender: z.nullable(Address),
  /** The ZIP code the prices start from (the sender must be there). */
  quoted_from_zip: Zip,
  /** Why it cannot be confirmed yet (null: it can). */
  blocker: z.nullable(z.enum(['no_recipient', 'address_unverified', 'recipient_zip_mismatch', 'sender_unverified', 'sender_zip_mismatch'])),
  /** Addresses the shopper kept as given over the backend's suggestion (buyable, said to be unverified). */
  unverified: z.optional(z.array(AddressParty)),
});
export type PurchaseSummary = z.infer<typeof PurchaseSummary>;

/** create_label without `confirmed: true` (or for a summary that changed since Bob read it): nothing bought. */
export const LabelSummaryData = z.object({ needs_confirmation: z.literal(true), summary: PurchaseSummary });
export type LabelSummaryData = z.infer<typeof LabelSummaryData>;

/** set_recipient_address: the address as logged and the backend's check of it. */
export const RecipientData = z.object({ party: z.optional(AddressParty), address: Address, validation: AddressValidation, requoted: z.boolean() });
export type RecipientData = z.infer<typeof RecipientData>;

export const VoidData = z.object({ label_id: z.string(), refund_cents: z.int(), currency: z.string(), balance_cents: z.nullable(z.int()), replayed: z.boolean() });
export type VoidData = z.infer<typeof VoidData>;

export const TrackingData = z.object({ label_id: z.string(), status: TrackingStatus, events: z.array(TrackingEvent) });
export type TrackingData = z.infer<typeof TrackingData>;

export const LabelFormat = z.enum(LABEL_FORMATS);

/** create_label past its deadline: the purchase goes on; label_created follows when it is done. */
export const LabelPendingData = z.object({ pending: z.literal(true), quote_id: QuoteId, option: z.int() });
export type LabelPendingData = z.infer<typeof LabelPendingData>;

export const ToolErrorData = z.object({ code: ToolErrorCode, field: z.optional(z.string()) });
export type ToolErrorData = z.infer<typeof ToolErrorData>;

/** The spoken options as the LLM gets them in webhook answers (small and flat). */
export const SpokenOption = z.object({
  option: z.int(),
  quote_id: QuoteId,
  carrier: Carrier,
  service: z.string(),
  price: z.string(),
  arrives: z.string(),
});
export type SpokenOption = z.infer<typeof SpokenOption>;

/** What the webhook answers: `result` is what Bob says; the other fields are small helpers. */
export const WebhookToolAnswer = z.object({
  result: z.string(),
  error: z.optional(ToolErrorCode),
  /** Set on every error (with `error`): the call failed, `result` says why in words Bob can say. */
  is_error: z.optional(z.literal(true)),
  /** create_label past its deadline: the purchase goes on, the label follows on screen. */
  pending: z.optional(z.literal(true)),
  /** create_label answered with the summary to read: nothing was bought, ask the shipper to confirm. */
  needs_confirmation: z.optional(z.literal(true)),
  options: z.optional(z.array(SpokenOption)),
  more_on_screen: z.optional(z.int()),
  label_id: z.optional(z.string()),
  tracking_number: z.optional(z.string()),
});
export type WebhookToolAnswer = z.infer<typeof WebhookToolAnswer>;
