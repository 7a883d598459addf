/**
 * Call bindings (shared/call-binding.ts): which session a voice call's `session_id` dynamic variable
 * names when the widget made it before it had a session. Kept as records in the store beside the
 * sessions (so every instance and a restart see what the store keeps), for a session's lifetime
 * from its last token exchange.
 *
 * A binding is not a credential: only a token exchange that already proved its right to the session
 * (publishable key and origin, or its resume token) binds, and only agent webhooks (their secret)
 * resolve. It never moves away from a session that still exists, so a shopper's binding, even if
 * known, cannot be pointed at another session.
 */
import { isCallBinding } from '../../shared/call-binding.ts';
import { HttpError } from '../http/errors.ts';
import type { SessionService } from './service.ts';

const key = (binding: string) => `call-binding:${binding}`;

/**
 * Throws 409 conflict while a live session other than `sessionId` (null: a session not created yet)
 * holds `binding`; checked before anything is created, so a refused exchange changes nothing.
 */
export async function refuseTakenBinding(sessions: SessionService, binding: string, sessionId: string | null): Promise<void> {
  const holder = await sessions.getRecord<string>(key(binding));
  if (holder && holder !== sessionId && (await sessions.get(holder))) {
    throw new HttpError(409, 'conflict', 'This call binding belongs to another session; make a new one.');
  }
}

/** Binds `binding` to `sessionId` (or renews it) for `ttlMs`. */
export function bindCall(sessions: SessionService, binding: string, sessionId: string, ttlMs: number): Promise<void> {
  return sessions.putRecord(key(binding), sessionId, ttlMs);
}

export type CallTarget = { sessionId: string } | { unbound: true } | null;

/**
 * What a webhook's `session_id` names: a session id as it is, a binding the session it is bound to;
 * `unbound` for a binding no exchange has named yet (the call started before the widget's
 * exchange finished), null for nothing known.
 */
export async function resolveCall(sessions: SessionService, id: string): Promise<CallTarget> {
  if (!isCallBinding(id)) return (await sessions.get(id)) ? { sessionId: id } : null;
  const sessionId = await sessions.getRecord<string>(key(id));
  if (!sessionId) return { unbound: true };
  return (await sessions.get(sessionId)) ? { sessionId } : null;
}
