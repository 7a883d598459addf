/**
 * Personal data as the BFF's process log may show it: an email keeps its first letter and domain
 * (maskEmail, bff/email/mailer.ts), an address its initials, the street's first digit and name's
 * initial, the city and state and the ZIP's first three digits.
 */
import type { Address } from '../shared/address.ts';

const initials = (text: string) => text.split(/\s+/).filter(Boolean).map((w) => `${w[0]}${'*'.repeat(Math.min(3, Math.max(2, w.length - 1)))}`).join(' ');

export function maskAddress(a: Pick<Address, 'name' | 'street' | 'city' | 'state' | 'zip'>): string {
  const street = a.street.replace(/^(\d)\d*/, (_, d: string) => `${d}**`).replace(/([A-Za-z])[A-Za-z]+/g, (_, c: string) => `${c}***`);
  return `${initials(a.name)}, ${street}, ${a.city.toUpperCase()} ${a.state.toUpperCase()} ${a.zip.slice(0, 3)}**`;
}
