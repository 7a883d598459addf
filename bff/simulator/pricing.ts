/**
 * List-price tables (the carriers' published retail rates, 1–5 lb) and how a price is made from
 * them: billable weight, table look-up with interpolation, extrapolation above 5 lb, fuel/residential surcharges, and a small
 * deterministic per-lane jitter.
 */
import { hashString } from './prng.ts';

/** rows[i][z] = price at lbs[i] for zone firstZone + z. */
type Table = { lbs: readonly number[]; firstZone: number; rows: readonly (readonly number[])[] };

const LB_1_TO_5 = [1, 2, 3, 4, 5];
const LB_1_3_5 = [1, 3, 5];

// USPS retail, Notice 123 (Oct 2025), zones 1–8.
const USPS_GROUND_ADVANTAGE: Table = {
  lbs: LB_1_TO_5,
  firstZone: 1,
  rows: [
    [9.1, 9.45, 9.75, 10.1, 10.65, 11.0, 11.55, 12.45],
    [9.85, 10.45, 11.05, 11.8, 12.8, 13.7, 14.9, 17.15],
    [10.25, 10.9, 11.45, 12.4, 13.6, 14.9, 17.05, 20.1],
    [11.3, 11.75, 12.55, 13.6, 15.35, 17.0, 19.25, 22.2],
    [11.95, 12.45, 13.3, 14.45, 16.25, 18.15, 20.6, 23.75],
  ],
};
/** Ground Advantage under 1 lb: 4 / 8 / 12 oz tiers, zone 1 and zone 8 (interpolated between). */
const USPS_GA_OUNCE_TIERS = [
  { oz: 4, z1: 7.2, z8: 8.4 },
  { oz: 8, z1: 7.5, z8: 9.25 },
  { oz: 12, z1: 8.55, z8: 11.1 },
];
const USPS_PRIORITY: Table = {
  lbs: LB_1_TO_5,
  firstZone: 1,
  rows: [
    [10.45, 10.9, 11.1, 11.3, 13.0, 14.2, 15.35, 16.6],
    [10.9, 11.5, 12.2, 13.05, 15.75, 16.9, 18.05, 19.85],
    [11.35, 12.1, 12.7, 13.75, 16.85, 19.45, 22.0, 24.85],
    [12.4, 12.95, 13.85, 15.0, 19.8, 23.95, 26.65, 29.7],
    [13.2, 13.75, 14.7, 16.0, 21.0, 25.45, 30.6, 34.25],
  ],
};
const USPS_PRIORITY_EXPRESS: Table = {
  lbs: LB_1_TO_5,
  firstZone: 1,
  rows: [
    [33.05, 33.8, 35.55, 40.2, 48.35, 52.15, 55.3, 58.5],
    [33.55, 34.85, 38.35, 45.25, 55.85, 60.6, 64.05, 67.2],
    [34.05, 35.95, 41.1, 50.25, 63.45, 69.15, 72.9, 75.9],
    [35.5, 37.85, 44.8, 56.25, 73.85, 80.45, 84.5, 87.45],
    [36.0, 38.95, 47.5, 61.25, 81.35, 88.9, 93.35, 96.2],
  ],
};
// FedEx list rates (Jan 2025), zones 2–8.
const FEDEX_GROUND: Table = {
  lbs: LB_1_TO_5,
  firstZone: 2,
  rows: [
    [11.32, 11.65, 12.69, 13.27, 13.72, 13.93, 14.17],
    [12.08, 13.32, 14.53, 14.84, 15.49, 16.13, 16.4],
    [12.57, 14.03, 15.16, 15.93, 16.58, 17.2, 18.05],
    [12.94, 14.11, 15.78, 16.81, 17.27, 18.47, 19.34],
    [13.29, 14.76, 16.17, 17.56, 18.26, 19.33, 20.48],
  ],
};
const FEDEX_2DAY: Table = {
  lbs: LB_1_3_5,
  firstZone: 2,
  rows: [
    [25.23, 26.3, 27.42, 33.0, 40.01, 42.67, 43.54],
    [26.68, 28.48, 30.16, 41.0, 51.83, 58.0, 60.45],
    [28.33, 30.43, 35.49, 51.0, 66.89, 73.79, 78.29],
  ],
};
const FEDEX_STANDARD_OVERNIGHT: Table = {
  lbs: LB_1_3_5,
  firstZone: 2,
  rows: [
    [38.55, 53.04, 69.96, 77.51, 84.01, 91.3, 95.35],
    [44.68, 60.03, 89.23, 96.87, 103.36, 114.01, 120.84],
    [49.06, 64.2, 102.83, 115.43, 119.73, 128.0, 135.21],
  ],
};
// UPS Ground 2026 daily rates: 1 lb published points, 5 lb from public fits (estimate).
const UPS_GROUND: Table = {
  lbs: [1, 5],
  firstZone: 2,
  rows: [
    [11.99, 12.35, 12.78, 13.36, 13.87, 14.42, 15.03],
    [14.02, 15.3, 16.55, 17.7, 18.6, 19.85, 21.0],
  ],
};
// No UPS air table was found; UPS list prices track FedEx's closely (§2.3).
const UPS_2ND_DAY_AIR = scaled(FEDEX_2DAY, 1.04);
const UPS_NEXT_DAY_AIR = scaled(FEDEX_STANDARD_OVERNIGHT, 1.08);

function scaled(table: Table, factor: number): Table {
  return { ...table, rows: table.rows.map((row) => row.map((p) => p * factor)) };
}

export type PriceModel = {
  table: Table;
  /** Multiplier on the list price: the commercial discount (USPS) or fuel surcharge (UPS/FedEx). */
  factor: number;
  /** Added in dollars for residential deliveries. */
  residential: number;
  ounceTiers?: typeof USPS_GA_OUNCE_TIERS;
};

export const PRICE_MODELS = {
  usps_ground_advantage: { table: USPS_GROUND_ADVANTAGE, factor: 0.8, residential: 0, ounceTiers: USPS_GA_OUNCE_TIERS },
  usps_priority: { table: USPS_PRIORITY, factor: 0.82, residential: 0 },
  usps_priority_express: { table: USPS_PRIORITY_EXPRESS, factor: 0.9, residential: 0 },
  ups_ground: { table: UPS_GROUND, factor: 1.165, residential: 6.1 },
  ups_second_day_air: { table: UPS_2ND_DAY_AIR, factor: 1.185, residential: 6.6 },
  ups_next_day_air: { table: UPS_NEXT_DAY_AIR, factor: 1.185, residential: 6.6 },
  fedex_ground: { table: FEDEX_GROUND, factor: 1.165, residential: 0 },
  fedex_home_delivery: { table: FEDEX_GROUND, factor: 1.165, residential: 5.95 },
  fedex_2_day: { table: FEDEX_2DAY, factor: 1.185, residential: 6.35 },
  fedex_standard_overnight: { table: FEDEX_STANDARD_OVERNIGHT, factor: 1.185, residential: 6.35 },
} as const satisfies Record<string, PriceModel>;
export type ServiceToken = keyof typeof PRICE_MODELS;

export const DIM_DIVISOR = 139;
const USPS_DIM_THRESHOLD_IN3 = 1728;

export type Parcel = { weight_oz: number; length_in?: number; width_in?: number; height_in?: number };

export function volumeIn3(p: Parcel): number | undefined {
  return p.length_in && p.width_in && p.height_in ? p.length_in * p.width_in * p.height_in : undefined;
}

/** Whole pounds the carrier bills: actual weight rounded up, or dimensional weight when larger. */
export function billableLb(p: Parcel, usps: boolean): number {
  const actual = Math.max(1, Math.ceil(p.weight_oz / 16));
  const volume = volumeIn3(p);
  if (volume === undefined || (usps && volume <= USPS_DIM_THRESHOLD_IN3)) return actual;
  return Math.max(actual, Math.ceil(volume / DIM_DIVISOR));
}

function listPrice(table: Table, lb: number, zone: number): number {
  const z = Math.min(Math.max(zone, table.firstZone), 8) - table.firstZone;
  const at = (i: number): number => table.rows[i]?.[z] ?? Number.NaN;
  const { lbs } = table;
  const last = lbs.length - 1;
  const lastLb = lbs[last] ?? 1;
  if (lb > lastLb) {
    // Heavier parcels cost less per extra pound than the 1→5 lb slope.
    const slope = (at(last) - at(0)) / (lastLb - (lbs[0] ?? 1));
    return at(last) + (lb - lastLb) * slope * 0.8;
  }
  const i = lbs.findIndex((anchor) => anchor >= lb);
  const hi = lbs[i] ?? lb;
  if (i <= 0 || hi === lb) return at(Math.max(i, 0));
  const lo = lbs[i - 1] ?? lb;
  return at(i - 1) + ((at(i) - at(i - 1)) * (lb - lo)) / (hi - lo);
}

/** ±1.5 % per lane and service, stable across requests (so prices stay monotonic in weight). */
function laneJitter(token: string, fromZip: string, toZip: string): number {
  const h = hashString(`${token}|${fromZip.slice(0, 3)}|${toZip.slice(0, 3)}`);
  return 1 + ((h % 3001) / 1000 - 1.5) / 100;
}

export type PriceInput = { token: ServiceToken; parcel: Parcel; zone: number; residential: boolean; fromZip: string; toZip: string };

/** Price in cents. */
export function priceCents(input: PriceInput): number {
  const model: PriceModel = PRICE_MODELS[input.token];
  const usps = input.token.startsWith('usps_');
  const lb = billableLb(input.parcel, usps);
  const tier = lb === 1 && model.ounceTiers?.find((t) => input.parcel.weight_oz <= t.oz);
  const list = tier ? tier.z1 + ((tier.z8 - tier.z1) * (Math.min(input.zone, 8) - 1)) / 7 : listPrice(model.table, lb, input.zone);
  const dollars = (list * model.factor + (input.residential ? model.residential : 0)) * laneJitter(input.token, input.fromZip, input.toZip);
  return Math.round(dollars * 100);
}

export function formatAmount(cents: number): string {
  return (cents / 100).toFixed(2);
}
