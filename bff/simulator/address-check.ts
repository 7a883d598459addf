/**
 * POST /validate-address: the simulator's address check against its ZIP data (zip-regions.ts).
 * The ZIP must exist; the state must be the ZIP's; a city spelled close to the ZIP's city is a
 * near miss (suggested); a street must start with a number; no company and no suite means a home
 * (residential). The ZIP data names one city per 3-digit prefix, so another town's name in the
 * same area is accepted as written.
 */
import type { Context } from 'hono';
import * as z from '../../shared/zod.ts';
import { Address, type AddressIssue } from '../../shared/address.ts';
import type { ValidateAddressResponse } from '../shipvox/contract.ts';
import { errorJson, firstIssue, readJson } from './http.ts';
import type { SimState } from './state.ts';
import { regionOfZip } from './zones.ts';

/** City and state may be left out: the ZIP gives them. */
const CheckRequest = z.object({
  address: z.object({ ...Address.shape, city: z.optional(z.string().check(z.maxLength(60))), state: z.optional(z.string().check(z.maxLength(2))) }),
});

export async function validateAddress(c: Context, state: SimState): Promise<Response> {
  state.stats.address_checks++;
  const body = await readJson(c);
  if (!body.ok) return errorJson(c, 400, 'invalid_request', body.message);
  const parsed = CheckRequest.safeParse(body.value);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error);
    return errorJson(c, 400, 'invalid_request', issue.message, issue.field || undefined);
  }
  return c.json(checkAddress(parsed.data.address));
}

type Input = z.infer<typeof CheckRequest>['address'];

export function checkAddress(input: Input): ValidateAddressResponse {
  const region = regionOfZip(input.zip);
  const city = input.city?.trim() ?? '';
  const stateCode = input.state?.trim().toUpperCase() ?? '';
  const messages: AddressIssue[] = [];
  const normalized = { ...input, city: city || region?.city || '', state: stateCode || region?.state || '' };
  const residential = !input.company && !/\b(suite|ste|floor|fl|dock)\b/i.test(`${input.street} ${input.street2 ?? ''}`);
  if (!region) {
    messages.push({ code: 'zip_not_found', field: 'zip', text: `ZIP code ${input.zip} does not exist.` });
  }
  if (!/^\s*\d+[A-Za-z]?(-\d+)?\s+\S/.test(input.street)) {
    messages.push({ code: 'street_number_missing', field: 'street', text: 'The street needs a house or building number, like 12 Main St.' });
  }
  if (messages.length > 0 || !region) {
    return { status: 'invalid', residential, normalized: asAddress(normalized), messages };
  }
  const suggestion = { ...normalized };
  if (stateCode && stateCode !== region.state) {
    messages.push({ code: 'state_mismatch', field: 'state', text: `ZIP code ${input.zip} is in ${region.state}, not ${stateCode}.` });
    suggestion.state = region.state;
  }
  if (city && !sameName(city, region.city) && nearMiss(city, region.city)) {
    messages.push({ code: 'city_mismatch', field: 'city', text: `ZIP code ${input.zip} is in ${region.city}; "${city}" looks misspelled.` });
    suggestion.city = region.city;
  } else if (city && sameName(city, region.city)) {
    normalized.city = region.city;
    suggestion.city = region.city;
  }
  if (messages.length > 0) {
    return { status: 'suggested', residential, normalized: asAddress(normalized), suggestion: asAddress(suggestion), messages };
  }
  return { status: 'valid', residential, normalized: asAddress(normalized), messages };
}

function asAddress(a: Input & { city: string; state: string }): z.infer<typeof Address> {
  const out: z.infer<typeof Address> = { name: a.name, street: a.street, city: a.city, state: a.state, zip: a.zip };
  if (a.company) out.company = a.company;
  if (a.street2) out.street2 = a.street2;
  return out;
}

const simple = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');
const sameName = (a: string, b: string) => simple(a) === simple(b);

/** Within two edits of the ZIP's city (a typo or a misheard letter), not another town's name. */
function nearMiss(a: string, b: string): boolean {
  const x = simple(a);
  const y = simple(b);
  if (Math.abs(x.length - y.length) > 2) return false;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[y.length]! <= 2;
}
