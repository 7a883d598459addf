/**
 * What the session log keeps of free text the shopper or Bob said: email addresses masked as the
 * label_emailed event masks them, street addresses (house number, street, suite) replaced. ZIP codes,
 * weights and option numbers stay: they are the shipment, already on screen.
 */
import { maskEmail } from './email/mailer.ts';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const STREET_TYPES =
  'street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|terrace|ter|parkway|pkwy|circle|cir|highway|hwy|square|sq|alley';
/** "350 5th Ave", "1600 Amphitheatre Parkway", "12 B Main St, Apt 4": a number, up to four words, a street type, an optional unit. */
export const STREET_ADDRESS = new RegExp(
  `\\b\\d{1,6}[A-Za-z]?(?:\\s+[A-Za-z0-9.'-]+){0,4}?\\s+(?:${STREET_TYPES})\\b\\.?(?:,?\\s+(?:apt|apartment|suite|ste|unit|#)\\.?\\s*[A-Za-z0-9-]+)?`,
  'gi',
);
export const MASKED_ADDRESS = '[street address]';

export function maskPersonal(text: string): string {
  return text.replace(EMAIL, (email) => maskEmail(email)).replace(STREET_ADDRESS, MASKED_ADDRESS);
}
