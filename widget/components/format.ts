/** Locale formatting of prices and arrival dates (Intl only: no date library in the bundle). */
import type { Quote } from '../../shared/tools.ts';
import { fill, type Strings } from '../i18n/strings.ts';

export function formatPrice(priceCents: number, currency: string, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(priceCents / 100);
}

/** delivery_date is a calendar date (YYYY-MM-DD): formatted in UTC so no time zone shifts the day. */
export function formatArrival(quote: Pick<Quote, 'delivery_date' | 'estimated_days'>, strings: Strings, locale?: string): string {
  if (!quote.delivery_date) return quote.estimated_days === 1 ? strings.days_one : fill(strings.days, { n: quote.estimated_days });
  const date = new Date(`${quote.delivery_date}T00:00:00Z`);
  return new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
}


/** Character by character for screen readers ("1 Z 9 9 …"): a tracking number is not one large number. */
export function spelled(code: string): string {
  return [...code].join(' ');
}
