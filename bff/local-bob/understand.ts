/**
 * What the local Bob understands of a typed (or browser-transcribed) line, by rules: ZIP codes
 * (with "from"/"to" when given), a weight and its unit, an option by number, ordinal, "the cheapest"
 * or "the fastest", yes / no, "where are we?", a street address line. No model, no network: the same
 * line always reads the same.
 */
import type { WeightUnit } from '../../shared/tools.ts';
import { STREET_ADDRESS } from '../mask.ts';

export interface Understood {
  from_zip?: string;
  to_zip?: string;
  /** A ZIP code with no "from" or "to" next to it (fills whichever is missing). */
  zips: string[];
  weight?: number;
  weight_unit?: WeightUnit;
  /** An option by number ("option 2", "the second one", "2" alone). */
  option?: number;
  pick?: 'cheapest' | 'fastest';
  yes: boolean;
  no: boolean;
  /** "buy", "book", "purchase": a choice with it needs no further yes. */
  buy: boolean;
  status: boolean;
  /** "where is my parcel?", "track it". */
  track: boolean;
  /** A street address line: the street as typed, with the name before it and the city, state and ZIP after it when given. */
  address?: SpokenAddress;
}

export interface SpokenAddress {
  name?: string;
  street: string;
  city?: string;
  state?: string;
  zip?: string;
}

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, half: 0.5,
};
const ORDINALS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, last: -1 };
const UNITS: Array<[RegExp, WeightUnit]> = [
  [/^(?:pounds?|lbs?|#)$/, 'lb'],
  [/^(?:ounces?|oz)$/, 'oz'],
  [/^(?:kilograms?|kilos?|kgs?)$/, 'kg'],
];
const NUMBER = `(\\d+(?:[.,]\\d+)?|${Object.keys(NUMBER_WORDS).join('|')})`;
const WEIGHT = new RegExp(`\\b${NUMBER}(?:\\s*(?:and\\s+a\\s+half))?\\s*-?\\s*(pounds?|lbs?|ounces?|oz|kilograms?|kilos?|kgs?)\\b`, 'i');
const ZIP = /\b(\d{5})(?:-\d{4})?\b/g;
const OPTION = new RegExp(`\\b(?:option|number|no\\.|#)\\s*(\\d+|${Object.keys(NUMBER_WORDS).join('|')})\\b`, 'i');
const ORDINAL = new RegExp(`\\b(?:the\\s+)?(${Object.keys(ORDINALS).join('|')})\\s+(?:one|option)\\b`, 'i');

const toNumber = (raw: string): number => NUMBER_WORDS[raw.toLowerCase()] ?? Number(raw.replace(',', '.'));

/** Words before a name that are not the name ("send it to Jane Doe, ..."). */
const LEAD_IN = /^(?:(?:please\s+)?(?:send|ship|mail)\s+(?:it\s+)?to|it\s+goes\s+to|(?:the\s+)?recipient\s+is|deliver\s+(?:it\s+)?to|to)\b\s*/i;
const NAME = /^[A-Za-z][A-Za-z.'-]*(?:\s+[A-Za-z][A-Za-z.'-]*){0,4}$/;
/** ", San Francisco, CA 94105" (each part optional from the left: "CA 94105", "94105"). */
const PLACE = /^[,\s]*(?:([A-Za-z][A-Za-z .'-]*?)[,\s]+)?(?:([A-Za-z]{2})[,\s]+)?(\d{5})(?:-\d{4})?\b/;

/** The address in a line and the text around it (its number and ZIP code are not a weight, an option or the shipment's ZIP). */
function addressIn(text: string): { address: SpokenAddress; rest: string } | null {
  const m = new RegExp(STREET_ADDRESS.source, 'i').exec(text);
  if (!m) return null;
  const address: SpokenAddress = { street: m[0].trim() };
  const before = text.slice(0, m.index).replace(/[,\s]+$/, '').replace(LEAD_IN, '').trim();
  let after = text.slice(m.index + m[0].length);
  const place = PLACE.exec(after);
  if (place) {
    if (place[1]?.trim()) address.city = place[1].trim();
    if (place[2]) address.state = place[2].toUpperCase();
    address.zip = place[3]!;
    after = after.slice(place[0].length);
  }
  let rest = `${text.slice(0, m.index)} ${after}`;
  if (before && NAME.test(before)) {
    address.name = before;
    rest = after;
  }
  return { address, rest };
}

export function understand(line: string): Understood {
  const text = line.trim();
  const lower = text.toLowerCase();
  const found = addressIn(text);
  const rest = found ? found.rest : text;
  const u: Understood = { zips: [], yes: false, no: false, buy: false, status: false, track: false };
  if (found) u.address = found.address;

  for (const m of rest.matchAll(ZIP)) {
    const before = rest.slice(Math.max(0, m.index - 20), m.index).toLowerCase();
    const zip = m[1]!;
    if (/\bfrom\s*(?:zip(?:\s*code)?\s*)?$/.test(before) && !u.from_zip) u.from_zip = zip;
    else if (/\b(?:to|into)\s*(?:zip(?:\s*code)?\s*)?$/.test(before) && !u.to_zip) u.to_zip = zip;
    else u.zips.push(zip);
  }
  const withoutZips = rest.replace(ZIP, ' ');
  const weight = WEIGHT.exec(withoutZips);
  if (weight) {
    const value = toNumber(weight[1]!) + (/and\s+a\s+half/i.test(weight[0]) ? 0.5 : 0);
    const unit = UNITS.find(([re]) => re.test(weight[2]!.toLowerCase()))?.[1];
    if (value > 0 && unit) {
      u.weight = value;
      u.weight_unit = unit;
    }
  }
  const withoutWeight = weight ? withoutZips.replace(weight[0], ' ') : withoutZips;
  const option = OPTION.exec(withoutWeight);
  const ordinal = ORDINAL.exec(withoutWeight);
  if (option) u.option = toNumber(option[1]!);
  else if (ordinal) u.option = ORDINALS[ordinal[1]!.toLowerCase()];
  else if (/^\s*#?\d{1,2}\s*[.!]?\s*$/.test(withoutWeight) && !u.zips.length) u.option = Number(withoutWeight.replace(/\D/g, ''));

  if (/\b(?:cheap(?:est)?|lowest(?:\s+price)?|least\s+expensive|best\s+price)\b/.test(lower)) u.pick = 'cheapest';
  else if (/\b(?:fast(?:est)?|quickest|soonest|earliest)\b/.test(lower)) u.pick = 'fastest';
  u.yes = /^(?:yes|yeah|yep|yup|sure|ok(?:ay)?|correct|confirm(?:ed)?|please do|go ahead|do it|sounds good|perfect|great)\b/.test(lower);
  u.no = !u.yes && /^(?:no|nope|nah|not yet|wait|cancel|hold on|stop)\b/.test(lower);
  u.buy = /\b(?:buy|book|purchase|ship it|create (?:the |a )?label|print (?:the |a )?label)\b/.test(lower);
  u.track = /\b(?:where(?:'s| is) (?:my|the) (?:parcel|package|label|shipment)|track(?:ing)?\b)/.test(lower);
  u.status = !u.track && /\b(?:where are we|where were we|status|recap|what(?:'s| is) (?:the )?(?:status|state)|lost my place)\b/.test(lower);
  return u;
}
