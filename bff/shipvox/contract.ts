/**
 * The ShipVox backend wire contract: what the BFF's client sends and the simulator implements.
 * Shaped after the aggregators in shipping.md (Shippo/EasyPost/ShipEngine): rates with ids that
 * expire, labels bought by rate id under an Idempotency-Key.
 */
import * as z from '../../shared/zod.ts';
import { Address as PostalAddress, AddressIssue, AddressStatus, TrackingEvent, TrackingStatus } from '../../shared/address.ts';
import { Carrier, CurrencyCode, WebUrl, Zip } from '../../shared/tools.ts';

export const REQUEST_ID_HEADER = 'X-Request-Id';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export const RatesRequest = z.object({
  shipment: z.object({
    from_zip: Zip,
    to_zip: Zip,
    weight_oz: z.number().check(z.positive()),
    length_in: z.optional(z.number().check(z.positive())),
    width_in: z.optional(z.number().check(z.positive())),
    height_in: z.optional(z.number().check(z.positive())),
    residential: z.optional(z.boolean()),
  }),
  /** Ask only these carriers (the BFF asks each carrier separately to show progress). */
  carriers: z.optional(z.array(Carrier)),
});
export type RatesRequest = z.infer<typeof RatesRequest>;

export const Rate = z.object({
  rate_id: z.string(),
  carrier: Carrier,
  service_name: z.string(),
  service_token: z.string(),
  /** Decimal string in `currency`, e.g. "12.45". */
  amount: z.string(),
  currency: CurrencyCode,
  estimated_days: z.int(),
  delivery_date: z.nullable(z.iso.date()),
  guaranteed: z.boolean(),
  zone: z.int(),
  expires_at: z.iso.datetime(),
});
export type Rate = z.infer<typeof Rate>;

export const CarrierMessage = z.object({ carrier: Carrier, code: z.string(), text: z.string() });

export const RatesResponse = z.object({
  request_id: z.string(),
  rates: z.array(Rate),
  /** Carriers that failed or timed out for this request. */
  messages: z.array(CarrierMessage),
  /** The route's places by ZIP, when the backend knows them. */
  places: z.optional(z.object({ from: z.optional(z.object({ city: z.string(), state: z.string() })), to: z.optional(z.object({ city: z.string(), state: z.string() })) })),
});
export type RatesResponse = z.infer<typeof RatesResponse>;

/** A postal address (shared/address.ts): name, company?, street, street2?, city, 2-letter state, ZIP. */
export const Address = PostalAddress;
export type Address = z.infer<typeof Address>;

export const CreateLabelRequest = z.object({
  rate_id: z.string().check(z.minLength(1)),
  /** Optional; the simulator fills believable names for the rate's ZIPs (the BFF sends the account's and the checked recipient). */
  from_address: z.optional(Address),
  to_address: z.optional(Address),
  label_format: z._default(z.enum(['PDF_4x6']), 'PDF_4x6'),
});
export type CreateLabelRequest = z.infer<typeof CreateLabelRequest>;

export const CreateLabelResponse = z.object({
  label_id: z.string(),
  status: z.literal('purchased'),
  rate_id: z.string(),
  carrier: Carrier,
  service_name: z.string(),
  tracking_number: z.string(),
  tracking_url: WebUrl,
  /** Absolute URL of the 4x6 PDF on the backend. */
  label_url: z.string(),
  label_size: z.literal('PDF_4x6'),
  /** QR code (SVG markup) encoding the tracking URL, for printerless drop-off. */
  qr_code_svg: z.string(),
  amount: z.string(),
  currency: CurrencyCode,
  created_at: z.iso.datetime(),
  /** The account balance after this purchase (decimal string in `currency`). */
  balance: z.optional(z.string()),
});
export type CreateLabelResponse = z.infer<typeof CreateLabelResponse>;

/** GET /account: the account the labels are bought on. `address` is the sender of every label. */
export const AccountResponse = z.object({
  account_id: z.string(),
  name: z.string(),
  address: Address,
  /** Decimal string in `currency`. */
  balance: z.string(),
  currency: z.string(),
});
export type AccountResponse = z.infer<typeof AccountResponse>;

/** POST /validate-address: any strings (the check says what is wrong with them). */
export const ValidateAddressRequest = z.object({ address: Address });
export type ValidateAddressRequest = z.infer<typeof ValidateAddressRequest>;

/**
 * The check: `valid` (as sent, normalised: upper-case state, the ZIP's city spelling), `suggested`
 * (a near miss; `suggestion` is what the backend believes was meant) or `invalid` (`messages` say
 * why). `residential` is the backend's flag for the address.
 */
export const ValidateAddressResponse = z.object({
  status: AddressStatus,
  residential: z.boolean(),
  /** As sent, tidied; city and state filled from the ZIP (empty when the ZIP is unknown). */
  normalized: z.object({ ...Address.shape, city: z.string(), state: z.string() }),
  suggestion: z.optional(Address),
  messages: z.array(AddressIssue),
});
export type ValidateAddressResponse = z.infer<typeof ValidateAddressResponse>;

/** GET /labels/{label_id}.{pdf|png|zpl}?layout=4x6|letter|a4 (layout: PDF only). */
export const LABEL_LAYOUTS = ['4x6', 'letter', 'a4'] as const;

/** POST /labels/{label_id}/void under an Idempotency-Key: the refund, the balance after it. */
export const VoidLabelResponse = z.object({
  label_id: z.string(),
  status: z.literal('voided'),
  refund_amount: z.string(),
  currency: z.string(),
  balance: z.string(),
  voided_at: z.iso.datetime(),
});
export type VoidLabelResponse = z.infer<typeof VoidLabelResponse>;

/** GET /labels/{label_id}/tracking: every event so far, oldest first (the clock moves them on). */
export const TrackingResponse = z.object({
  label_id: z.string(),
  tracking_number: z.string(),
  carrier: Carrier,
  status: TrackingStatus,
  events: z.array(TrackingEvent),
});
export type TrackingResponse = z.infer<typeof TrackingResponse>;

/**
 * Backend error codes (body `{"error":{"code","message","field?"}}`):
 * 400 invalid_request · 422 invalid_zip / invalid_weight / idempotency_mismatch ·
 * 404 rate_not_found · 410 rate_expired · 409 label_in_progress (same key in flight) ·
 * 402 insufficient_funds · 503 carrier_unavailable · 504 carrier_timeout · 500 internal ·
 * 404 label_not_found · 409 void_window_closed / label_voided (void, tracking) · 422 address_mismatch.
 */
export const BackendErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.optional(z.string()) }),
});
export type BackendErrorBody = z.infer<typeof BackendErrorBody>;
