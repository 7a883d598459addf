/**
 * What can go wrong when calling ShipVox, as the backend's own facts: a code, the field it names
 * (ours: to_zip, not shipment.to_zip) and its message where that is worth passing on. Words for
 * the shopper are the tools' business (bff/tools/backend-errors.ts), not the client's.
 */
export const SHIPVOX_ERROR_CODES = [
  'invalid_zip',
  'invalid_weight',
  'rate_expired',
  'rate_not_found',
  'insufficient_funds',
  /** The backend or a carrier did not answer in time (a timeout, a 504, the call's deadline spent). */
  'carrier_timeout',
  'label_not_found',
  'label_voided',
  'void_window_closed',
  /** The recipient's ZIP is not the one the rate was quoted for. */
  'address_mismatch',
  /** An invalid_request about the address (`message` says what is missing). */
  'address_invalid',
  /** Any other 409 or 422: the purchase was refused. */
  'refused',
  /** A 2xx whose body is not what the contract says. */
  'unreadable_answer',
  /** No answer at all (connection refused, reset, DNS). */
  'unreachable',
  /** A 5xx or an answer with no known code. */
  'backend_error',
  /** A label file (label_url, another format) could not be fetched. */
  'file_unavailable',
] as const;
export type ShipVoxErrorCode = (typeof SHIPVOX_ERROR_CODES)[number];

export class ShipVoxError extends Error {
  override name = 'ShipVoxError';
  constructor(
    readonly code: ShipVoxErrorCode,
    readonly detail: { field?: string | undefined; message?: string | undefined; status?: number } = {},
  ) {
    super(`shipvox ${code}${detail.status ? ` (HTTP ${detail.status})` : ''}${detail.message ? `: ${detail.message}` : ''}`);
  }
}
