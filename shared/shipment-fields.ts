/**
 * What a shipment's fields accept, with no zod: the widget's forms import these at runtime, and
 * the schemas in shared/address.ts and shared/tools.ts check with them.
 */

/** Longest value of each address field (the schemas refuse more; the address card stops typing there). */
export const ADDRESS_MAX_LENGTH = { name: 80, company: 80, street: 120, street2: 120, city: 60, state: 2, zip: 5 } as const;
export const ZIP_PATTERN = /^\d{5}$/;
export const ZIP_RULE = 'must be a 5-digit US ZIP code';
export const STATE_PATTERN = /^[A-Za-z]{2}$/;

export const WEIGHT_UNITS = ['lb', 'oz', 'kg'] as const;
export type WeightUnit = (typeof WEIGHT_UNITS)[number];
export const DEFAULT_WEIGHT_UNIT: WeightUnit = 'lb';

export const DIMENSION_UNITS = ['in', 'cm'] as const;
export type DimensionUnit = (typeof DIMENSION_UNITS)[number];
export const DEFAULT_DIMENSION_UNIT: DimensionUnit = 'in';
