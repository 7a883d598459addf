/** Transit days per service class and zone (the carriers' published service commitments) and business-day delivery dates. */

export type ServiceClass = 'ground' | 'usps_ground' | 'priority' | 'express' | 'two_day' | 'overnight';

const GROUND_DAYS_BY_ZONE = [1, 1, 2, 3, 3, 4, 4, 5];
/** Alaska, Hawaii, territories and overseas military: slower and never next-day. */
const REMOTE_STATES = new Set(['AK', 'HI', 'PR', 'VI', 'GU', 'AA', 'AE', 'AP']);

export function transitDays(service: ServiceClass, zone: number, remote: boolean): number {
  const ground = GROUND_DAYS_BY_ZONE[Math.min(Math.max(zone, 1), 8) - 1] ?? 5;
  const base = {
    ground,
    usps_ground: Math.min(Math.max(ground + 1, 2), 5),
    priority: zone <= 3 ? 1 : zone <= 6 ? 2 : 3,
    express: zone <= 5 ? 1 : 2,
    two_day: 2,
    overnight: 1,
  }[service];
  if (!remote) return base;
  return base + (service === 'ground' || service === 'usps_ground' ? 3 : 1);
}

export function isRemoteState(state: string): boolean {
  return REMOTE_STATES.has(state);
}

/** The backend ships on US Eastern calendar days. */
const SHIP_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

/** YYYY-MM-DD that is `days` business days (Mon–Fri) after the Eastern calendar day of `nowMs`. */
export function businessDaysAfter(nowMs: number, days: number): string {
  const date = new Date(`${SHIP_DAY.format(nowMs)}T00:00:00Z`);
  for (let left = days; left > 0; ) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return date.toISOString().slice(0, 10);
}
