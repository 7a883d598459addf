/** The service catalogue and per-carrier quoting: limits, price, transit. */
import type { Carrier } from '../../shared/tools.ts';
import type { RatesRequest } from '../shipvox/contract.ts';
import { priceCents, type ServiceToken } from './pricing.ts';
import { isRemoteState, transitDays, type ServiceClass } from './transit.ts';
import { regionOfZip, zoneFor } from './zones.ts';

type Service = {
  carrier: Carrier;
  token: ServiceToken;
  name: string;
  class: ServiceClass;
  guaranteed: boolean;
  /** Largest length + girth in inches. */
  maxLengthPlusGirth: number;
  residentialOnly?: boolean;
  commercialOnly?: boolean;
};

const USPS_MAX_OZ = 70 * 16;
const UPS_FEDEX_MAX_LENGTH_IN = 108;

export const SERVICES: readonly Service[] = [
  { carrier: 'USPS', token: 'usps_ground_advantage', name: 'USPS Ground Advantage', class: 'usps_ground', guaranteed: false, maxLengthPlusGirth: 130 },
  { carrier: 'USPS', token: 'usps_priority', name: 'USPS Priority Mail', class: 'priority', guaranteed: false, maxLengthPlusGirth: 108 },
  { carrier: 'USPS', token: 'usps_priority_express', name: 'USPS Priority Mail Express', class: 'express', guaranteed: true, maxLengthPlusGirth: 108 },
  { carrier: 'UPS', token: 'ups_ground', name: 'UPS Ground', class: 'ground', guaranteed: false, maxLengthPlusGirth: 165 },
  { carrier: 'UPS', token: 'ups_second_day_air', name: 'UPS 2nd Day Air', class: 'two_day', guaranteed: true, maxLengthPlusGirth: 165 },
  { carrier: 'UPS', token: 'ups_next_day_air', name: 'UPS Next Day Air', class: 'overnight', guaranteed: true, maxLengthPlusGirth: 165 },
  { carrier: 'FedEx', token: 'fedex_ground', name: 'FedEx Ground', class: 'ground', guaranteed: false, maxLengthPlusGirth: 165, commercialOnly: true },
  { carrier: 'FedEx', token: 'fedex_home_delivery', name: 'FedEx Home Delivery', class: 'ground', guaranteed: false, maxLengthPlusGirth: 165, residentialOnly: true },
  { carrier: 'FedEx', token: 'fedex_2_day', name: 'FedEx 2Day', class: 'two_day', guaranteed: true, maxLengthPlusGirth: 165 },
  { carrier: 'FedEx', token: 'fedex_standard_overnight', name: 'FedEx Standard Overnight', class: 'overnight', guaranteed: true, maxLengthPlusGirth: 165 },
];

export type Shipment = RatesRequest['shipment'];

export type ServiceQuote = {
  service: Service;
  cents: number;
  estimated_days: number;
  zone: number;
};

export type CarrierQuote = { quotes: ServiceQuote[]; refusal?: { code: string; text: string } };

function lengthPlusGirth(s: Shipment): number | undefined {
  if (!s.length_in || !s.width_in || !s.height_in) return undefined;
  const [a, b, longest] = [s.length_in, s.width_in, s.height_in].sort((x, y) => x - y) as [number, number, number];
  return longest + 2 * (a + b);
}

/** Quotes one carrier's services for a validated shipment (both ZIPs in use). */
export function quoteCarrier(carrier: Carrier, shipment: Shipment): CarrierQuote {
  const residential = shipment.residential ?? false;
  if (carrier === 'USPS' && shipment.weight_oz > USPS_MAX_OZ) {
    return { quotes: [], refusal: { code: 'weight_limit_exceeded', text: 'USPS accepts parcels up to 70 lb.' } };
  }
  const longest = Math.max(shipment.length_in ?? 0, shipment.width_in ?? 0, shipment.height_in ?? 0);
  if (carrier !== 'USPS' && longest > UPS_FEDEX_MAX_LENGTH_IN) {
    return { quotes: [], refusal: { code: 'package_too_large', text: `${carrier} accepts parcels up to 108 in long.` } };
  }
  const girth = lengthPlusGirth(shipment);
  const zone = zoneFor(shipment.from_zip, shipment.to_zip);
  const carrierZone = carrier === 'USPS' ? zone : Math.max(zone, 2); // UPS and FedEx have no zone 1.
  const remote = [shipment.from_zip, shipment.to_zip].some((zip) => isRemoteState(regionOfZip(zip)?.state ?? ''));
  const quotes = SERVICES.filter(
    (s) =>
      s.carrier === carrier &&
      !(s.residentialOnly && !residential) &&
      !(s.commercialOnly && residential) &&
      (girth === undefined || girth <= s.maxLengthPlusGirth),
  ).map((service) => ({
    service,
    zone: carrierZone,
    estimated_days: transitDays(service.class, carrierZone, remote),
    cents: priceCents({ token: service.token, parcel: shipment, zone: carrierZone, residential, fromZip: shipment.from_zip, toZip: shipment.to_zip }),
  }));
  if (quotes.length === 0) {
    return { quotes, refusal: { code: 'package_too_large', text: `The parcel is larger than ${carrier} accepts (length plus girth).` } };
  }
  return { quotes };
}
