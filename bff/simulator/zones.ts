/** ZIP → region and USPS-style zone (1–8) from the great-circle distance between prefix cities. */
import { regionOfPrefix, type ZipRegion } from './zip-regions.ts';

/** 3-digit prefixes not assigned by USPS (from the USPS prefix list). */
export const UNUSED_PREFIXES: ReadonlySet<number> = new Set(
  expand(
    '000-004 213 269 343 345 348 353 419 428 429 517-519 529 533 536 552 568 578 579 589 621 632 642 643 659 663 ' +
      '682 694-699 702 709 715 732 742 771 817-819 839 848 849 854 858 861 862 866-869 876 886-888 892 896 899 ' +
      '909 929 987',
  ),
);

function expand(spec: string): number[] {
  return spec.split(' ').flatMap((part) => {
    const [from = '', to = from] = part.split('-');
    return Array.from({ length: Number(to) - Number(from) + 1 }, (_, i) => Number(from) + i);
  });
}

export function zipPrefix(zip: string): number {
  return Number(zip.slice(0, 3));
}

/** The region of a 5-digit ZIP, or undefined when its prefix is not in use. */
export function regionOfZip(zip: string): ZipRegion | undefined {
  const prefix = zipPrefix(zip);
  return UNUSED_PREFIXES.has(prefix) ? undefined : regionOfPrefix(prefix);
}

/** Upper bounds in miles for zones 1–7 (FedEx service guide bands; USPS uses the same). */
const ZONE_BANDS_MI = [50, 150, 300, 600, 1000, 1400, 1800];

export function distanceMiles(a: ZipRegion, b: ZipRegion): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 3958.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Zone 1–8 for two in-use ZIPs (territories and overseas military cap at 8). */
export function zoneFor(fromZip: string, toZip: string): number {
  const from = regionOfZip(fromZip);
  const to = regionOfZip(toZip);
  if (!from || !to) throw new Error(`zoneFor: unused ZIP prefix (${fromZip} → ${toZip})`);
  const miles = distanceMiles(from, to);
  const band = ZONE_BANDS_MI.findIndex((limit) => miles <= limit);
  return band === -1 ? 8 : band + 1;
}
