/**
 * Tracking numbers in each carrier's real format (with real check digits) and tracking URLs.
 * Mailer and shipper ids are obviously fake (all nines / "SVX…").
 */
import type { Carrier } from '../../shared/tools.ts';
import type { ServiceToken } from './pricing.ts';
import type { Prng } from './prng.ts';

const USPS_FAKE_MAILER_ID = '999999999';
const UPS_FAKE_SHIPPER = 'SVX9Z1';

/** USPS IMpb: channel (2) + service type code (3) + mailer id (9) + serial (7) + mod-10 check = 22 digits. */
const USPS_PREFIX: Partial<Record<ServiceToken, string>> = {
  usps_ground_advantage: '94001',
  usps_priority: '92055',
  usps_priority_express: '92701',
};
const UPS_SERVICE_CODE: Partial<Record<ServiceToken, string>> = {
  ups_ground: '03',
  ups_second_day_air: '02',
  ups_next_day_air: '01',
};

export function uspsCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = payload.length - 1, weight = 3; i >= 0; i--, weight = weight === 3 ? 1 : 3) sum += Number(payload[i]) * weight;
  return (10 - (sum % 10)) % 10;
}

export function upsCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    const value = c >= 65 ? (c - 63) % 10 : c - 48;
    sum += i % 2 === 0 ? value : 2 * value;
  }
  return (10 - (sum % 10)) % 10;
}

export function fedexCheckDigit(payload: string): number {
  const weights = [1, 3, 7];
  let sum = 0;
  for (let i = payload.length - 1, k = 0; i >= 0; i--, k++) sum += Number(payload[i]) * (weights[k % 3] ?? 1);
  return (sum % 11) % 10;
}

export function trackingNumber(carrier: Carrier, token: ServiceToken, prng: Prng): string {
  if (carrier === 'USPS') {
    const payload = `${USPS_PREFIX[token] ?? '94001'}${USPS_FAKE_MAILER_ID}${prng.digits(7)}`;
    return payload + uspsCheckDigit(payload);
  }
  if (carrier === 'UPS') {
    const body = `${UPS_FAKE_SHIPPER}${UPS_SERVICE_CODE[token] ?? '03'}${prng.digits(7)}`;
    return `1Z${body}${upsCheckDigit(body)}`;
  }
  const payload = `7${prng.digits(10)}`;
  return payload + fedexCheckDigit(payload);
}

export function trackingUrl(carrier: Carrier, tracking: string): string {
  const n = encodeURIComponent(tracking);
  if (carrier === 'USPS') return `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`;
  if (carrier === 'UPS') return `https://www.ups.com/track?tracknum=${n}`;
  return `https://www.fedex.com/fedextrack/?trknbr=${n}`;
}

/** Human-readable grouping as printed on labels. */
export function formatTracking(carrier: Carrier, tracking: string): string {
  if (carrier === 'UPS') {
    const m = /^1Z(.{3})(.{3})(.{2})(.{4})(.{4})$/.exec(tracking);
    return m ? `1Z ${m.slice(1).join(' ')}` : tracking;
  }
  return tracking.replace(/(.{4})(?=.)/g, '$1 ');
}
