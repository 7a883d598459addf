/** GET /account: the ShipVox account the labels are bought on (the sender), with its balance. */
import type { Context } from 'hono';
import type { AccountResponse } from '../shipvox/contract.ts';
import { formatAmount } from './pricing.ts';
import type { SimState } from './state.ts';

export function getAccount(c: Context, state: SimState): Response {
  return c.json(accountBody(state));
}

export function accountBody(state: SimState): AccountResponse {
  const { account } = state.config;
  return { account_id: account.account_id, name: account.name, address: account.address, balance: formatAmount(balanceCents(state)), currency: 'USD' };
}

export function balanceCents(state: SimState): number {
  return state.balance.get('cents') ?? state.config.account.balance_cents;
}

/** Adds (a refund) or takes (a purchase, negative) cents; kept on disk with the rest. */
export function moveBalance(state: SimState, cents: number): number {
  const next = balanceCents(state) + cents;
  state.balance.set('cents', next);
  return next;
}
