/**
 * Postal addresses and what the backend says about them: the recipient Bob heard or the shopper
 * typed, the sender from the ShipVox account, and an address check (valid, a near miss to
 * suggest, or refused). Shared by the tools, the socket frames and the session state.
 */
import * as z from './zod.ts';
import { ADDRESS_MAX_LENGTH as MAX, STATE_PATTERN, ZIP_PATTERN, ZIP_RULE } from './shipment-fields.ts';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1, 'is required'), z.maxLength(max, `must be at most ${max} characters`));

const optionalText = (max: number) => z.optional(z.string().check(z.trim(), z.maxLength(max, `must be at most ${max} characters`)));

export const Address = z.object({
  name: text(MAX.name),
  company: optionalText(MAX.company),
  street: text(MAX.street),
  street2: optionalText(MAX.street2),
  city: text(MAX.city),
  state: z.string().check(z.trim(), z.regex(STATE_PATTERN, 'must be a 2-letter state code'), z.toUpperCase()),
  zip: z.string().check(z.trim(), z.regex(ZIP_PATTERN, ZIP_RULE)),
});
export type Address = z.infer<typeof Address>;

/** Whose address it is: where the parcel goes, or where it ships from (the account's address unless another is given). */
export const ADDRESS_PARTIES = ['recipient', 'sender'] as const;
export const AddressParty = z.enum(ADDRESS_PARTIES);
export type AddressParty = z.infer<typeof AddressParty>;

export const ADDRESS_ISSUE_CODES = ['zip_not_found', 'city_mismatch', 'state_mismatch', 'street_number_missing'] as const;
export const AddressIssue = z.object({
  code: z.enum(ADDRESS_ISSUE_CODES),
  /** The address field it is about (zip, city, state, street). */
  field: z.string(),
  /** One sentence for the screen and for Bob. */
  text: z.string(),
});
export type AddressIssue = z.infer<typeof AddressIssue>;

/**
 * The backend's verdict: `valid` (buyable), `suggested` (a near miss: `suggestion` is the address
 * it believes was meant; shown and read back, accepted by sending it as the address), `invalid`
 * (refused: no label until it is corrected). `residential` is the backend's flag for the address.
 */
export const AddressStatus = z.enum(['valid', 'suggested', 'invalid']);
export const AddressValidation = z.object({
  status: AddressStatus,
  residential: z.boolean(),
  suggestion: z.optional(Address),
  messages: z.array(AddressIssue),
  /** The shopper kept the address as given over the suggestion: buyable, and said to be unverified. */
  kept: z.optional(z.literal(true)),
});
export type AddressValidation = z.infer<typeof AddressValidation>;

/** An address as the session holds it: the backend's check, who set it and when. */
/** Who did it: the screen or Bob. */
export const Actor = z.enum(['ui', 'agent']);
export const CheckedAddress = z.object({ address: Address, validation: AddressValidation, by: Actor, seq: z.int() });
export type CheckedAddress = z.infer<typeof CheckedAddress>;

/** The ShipVox account: whose labels these are (the sender) and what it can spend. */
export const Account = z.object({
  account_id: z.string(),
  name: z.string(),
  address: Address,
  balance_cents: z.int(),
  currency: z.string().check(z.length(3)),
});
export type Account = z.infer<typeof Account>;

export const TRACKING_STATUSES = ['pre_transit', 'in_transit', 'out_for_delivery', 'delivered'] as const;
export const TrackingStatus = z.enum(TRACKING_STATUSES);
export type TrackingStatus = z.infer<typeof TrackingStatus>;

export const TrackingEvent = z.object({
  event_id: z.string(),
  status: TrackingStatus,
  description: z.string(),
  location: z.string(),
  occurred_at: z.iso.datetime(),
});
export type TrackingEvent = z.infer<typeof TrackingEvent>;
