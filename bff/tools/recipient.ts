/**
 * The recipient, from Bob (set_recipient_address) or the screen (ui_action set_recipient): checked
 * by the backend, logged as recipient_updated, and re-quoted when its ZIP (or the residential
 * flag) is not the one the prices are for. The sender is the ShipVox account (account_updated).
 */
import type { Address, AddressParty, AddressValidation } from '../../shared/address.ts';
import type { SessionState } from '../../shared/session.ts';
import { SetRecipientAddressParams, type RecipientData } from '../../shared/tools.ts';
import { maskAddress } from '../privacy.ts';
import { voiceDeadline, type ToolCall, type ToolContext, type ToolOutput } from './context.ts';
import { requoteCallId } from './ids.ts';
import { addressText } from './speech.ts';
import { whenBackendAway } from './backend-errors.ts';
import { refuse } from './refusals.ts';

/** The account in the session's state, fetched and logged the first time it is needed. */
export async function ensureAccount(ctx: ToolContext, sessionId: string, state?: SessionState): Promise<SessionState['account']> {
  const current = state ?? (await ctx.sessions.state(sessionId));
  if (current.account) return current.account;
  const res = await ctx.shipvox.getAccount(voiceDeadline(ctx));
  const account = { account_id: res.account_id, name: res.name, address: res.address, balance_cents: Math.round(Number(res.balance) * 100), currency: res.currency };
  await ctx.sessions.appendWith(sessionId, (s) => (s.account ? [] : [{ type: 'account_updated', account, reason: 'loaded' }]));
  return account;
}

export type RecipientInput = Partial<Address> & { use_suggestion?: boolean; keep?: boolean; party?: AddressParty };

const WHOSE: Record<AddressParty, { noun: string; name: string }> = {
  recipient: { noun: "the recipient's", name: "the recipient's name" },
  sender: { noun: 'the ship-from', name: "the sender's name" },
};

export async function setRecipientAddress(ctx: ToolContext, call: ToolCall): Promise<ToolOutput> {
  const parsed = SetRecipientAddressParams.safeParse(call.parameters);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? 'address');
    throw refuse('address_field_unreadable', { field });
  }
  return setRecipient(ctx, call, parsed.data, 'agent');
}

/**
 * Checks and logs the recipient (or, with party 'sender', the ship-from address); answers the
 * sentence Bob says (a re-quote's options included). `use_suggestion` takes the last suggestion,
 * `keep` keeps the last address as given over it (checked again: a hard error still refuses it).
 */
export async function setRecipient(ctx: ToolContext, call: Pick<ToolCall, 'sessionId'>, input: RecipientInput, by: 'agent' | 'ui'): Promise<ToolOutput> {
  const party = input.party ?? 'recipient';
  const whose = WHOSE[party];
  const state = await ctx.sessions.state(call.sessionId);
  if (state.label && !state.voided) {
    throw refuse('address_after_label', { whose: whose.noun });
  }
  const current = state[party];
  let wanted: RecipientInput;
  if (input.use_suggestion) {
    const suggestion = current?.validation.suggestion;
    if (!suggestion) throw refuse('no_suggestion', { whose: whose.noun });
    wanted = suggestion;
  } else if (input.keep && !hasFields(input)) {
    if (!current || current.validation.status !== 'suggested') throw refuse('nothing_to_keep', { whose: whose.noun });
    wanted = current.address;
  } else {
    wanted = input;
  }
  const missing = (['name', 'street', 'zip'] as const).find((k) => !wanted[k]?.trim());
  if (missing) {
    const ask = { name: whose.name, street: 'the street with the house number', zip: 'the ZIP code' }[missing];
    throw refuse('address_incomplete', { ask, missing });
  }
  const sent = {
    name: wanted.name!.trim(),
    street: wanted.street!.trim(),
    zip: wanted.zip!.trim(),
    ...(wanted.company?.trim() ? { company: wanted.company.trim() } : {}),
    ...(wanted.street2?.trim() ? { street2: wanted.street2.trim() } : {}),
    ...(wanted.city?.trim() ? { city: wanted.city.trim() } : {}),
    ...(wanted.state?.trim() ? { state: wanted.state.trim() } : {}),
  };
  const check = await ctx.shipvox.validateAddress(sent, voiceDeadline(ctx)).catch(whenBackendAway('check that address'));
  ctx.log.info({ session_id: call.sessionId, party, address: maskAddress(check.normalized), status: check.status, by }, `${party} checked`);
  if (check.status === 'invalid') {
    const why = check.messages.map((m) => m.text).join(' ');
    throw refuse('address_unusable', { why, field: check.messages[0]?.field });
  }
  // Kept as given: the address the shopper typed stands, not the normalised guess.
  const kept = input.keep === true && check.status === 'suggested';
  const validation: AddressValidation = {
    status: check.status,
    residential: check.residential,
    messages: check.messages,
    ...(check.suggestion ? { suggestion: check.suggestion } : {}),
    ...(kept ? { kept: true as const } : {}),
  };
  const address = check.normalized as Address;
  const summary = addressSentence(party, address, validation);
  await ctx.sessions.append(call.sessionId, { type: 'recipient_updated', ...(party === 'sender' ? { party } : {}), address, validation, by, summary });
  if (by === 'ui') await ctx.sessions.append(call.sessionId, { type: 'contextual_update', text: `The shipper changed ${party === 'sender' ? 'the ship-from address' : 'the recipient'} on screen. ${summary}`, source: 'bff' });
  await ensureAccount(ctx, call.sessionId).catch((err: unknown) => ctx.log.warn({ err: String(err), session_id: call.sessionId }, 'account not loaded'));

  const requote = await requoteFor(ctx, call.sessionId, party, address, validation, state);
  const data: RecipientData = { ...(party === 'sender' ? { party } : {}), address, validation, requoted: requote !== null };
  return { result: requote ? `${summary} ${requote}` : summary, data };
}

const hasFields = (input: RecipientInput) => (['name', 'street', 'zip', 'city', 'state', 'company', 'street2'] as const).some((k) => input[k]?.trim());

function addressSentence(party: AddressParty, address: Address, validation: AddressValidation): string {
  const who = party === 'sender' ? 'The parcel ships from' : 'The recipient is';
  if (validation.kept) {
    return `${who} ${addressText(address)}, kept as given: the address is unverified (${validation.messages.map((m) => m.text).join(' ')}), so the carrier may not find it.`;
  }
  if (validation.status === 'suggested' && validation.suggestion) {
    return `${who} ${addressText(address)}, but it looks off: ${validation.messages.map((m) => m.text).join(' ')} Did you mean ${addressText(validation.suggestion)}? No label can be bought until the shipper takes the suggestion or keeps their own.`;
  }
  const kind = validation.residential ? 'a home address' : 'a business address';
  return `${who} ${addressText(address)}, ${kind}; the address checks out.`;
}

/**
 * New prices when the quoted route is not the addresses': the recipient's ZIP (or residential
 * flag) for the destination, the sender's ZIP for the origin. Null when none were needed.
 */
async function requoteFor(ctx: ToolContext, sessionId: string, party: AddressParty, address: Address, validation: AddressValidation, before: SessionState): Promise<string | null> {
  const shipment = before.quotes?.shipment;
  if (!shipment) return null;
  const side = party === 'sender' ? 'from_zip' : 'to_zip';
  const sameFlag = party === 'sender' || shipment.residential === validation.residential;
  if (shipment[side] === address.zip && sameFlag) return null;
  const { event } = await ctx.run({
    sessionId,
    toolCallId: requoteCallId(before.seq + 1, party, address.zip),
    toolName: 'get_shipping_quotes',
    parameters: {
      from_zip: shipment.from_zip,
      to_zip: shipment.to_zip,
      [side]: address.zip,
      weight: shipment.weight,
      weight_unit: shipment.weight_unit,
      ...(shipment.dimensions ? { length: shipment.dimensions.length, width: shipment.dimensions.width, height: shipment.dimensions.height, dimension_unit: shipment.dimensions.unit } : {}),
      residential: party === 'sender' ? shipment.residential : validation.residential,
    },
    source: 'in_process',
  });
  const lead =
    shipment[side] === address.zip ? 'Prices depend on a home or business delivery, so I got new ones:' : `The ${party === 'sender' ? 'ship-from ' : ''}ZIP code changed from ${shipment[side]} to ${address.zip}, so I got new prices:`;
  return `${lead} ${event.result}`;
}
