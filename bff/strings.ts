/**
 * A string as one piece of its own, for keys a long-lived map keeps. V8 builds strings cut out of
 * parsed JSON (a ticket, a request body) as slices of the whole text, and template literals as
 * concatenations of their parts: kept as a key, such a string keeps the whole text alive.
 */
export function ownCopy(text: string): string {
  const copy = Buffer.from(text, 'utf8').toString('utf8');
  return copy === text ? copy : text; // a lone surrogate does not survive UTF-8: keep the original
}
