/**
 * The ShipVox backend wire contract: what the BFF's client sends and the simulator implements.
 * Shaped after the aggregators in shipping.md (Shippo/EasyPost/ShipEngine): rates with ids that
 * expire, labels bought by rate id under an Idempotency-Key.
 */
import * as z from '../../shared/zod.ts';
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
});
export type RatesResponse = z.infer<typeof RatesResponse>;

export const Address = z.object({
  name: z.string().check(z.maxLength(80)),
  street: z.string().check(z.maxLength(120)),
  city: z.string().check(z.maxLength(60)),
  state: z.string().check(z.maxLength(2)),
  zip: Zip,
});
export type Address = z.infer<typeof Address>;

export const CreateLabelRequest = z.object({
  rate_id: z.string().check(z.minLength(1)),
  /** Optional; the simulator fills believable names for the rate's ZIPs. */
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
});
export type CreateLabelResponse = z.infer<typeof CreateLabelResponse>;

/**
 * Backend error codes (body `{"error":{"code","message","field?"}}`):
 * 400 invalid_request · 422 invalid_zip / invalid_weight / idempotency_mismatch ·
 * 404 rate_not_found · 410 rate_expired · 409 label_in_progress (same key in flight) ·
 * 402 insufficient_funds · 503 carrier_unavailable · 504 carrier_timeout · 500 internal.
 */
export const BackendErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.optional(z.string()) }),
});
export type BackendErrorBody = z.infer<typeof BackendErrorBody>;
