/**
 * A call binding: the id a voice call carries as its `session_id` dynamic variable when it may start
 * before the widget has its session (attach mode). The widget makes it at once (random, never
 * guessable), keeps it with its session and names it in every token exchange; the BFF then resolves
 * it to that session for webhook tool calls. No zod here: the widget imports it.
 */

export const CALL_BINDING_PREFIX = 'cb_';

/** `cb_` and 22 base64url characters: 128 random bits. */
export const CALL_BINDING_PATTERN = /^cb_[A-Za-z0-9_-]{22}$/;

export const isCallBinding = (id: string): boolean => CALL_BINDING_PATTERN.test(id);

/** A new binding id from the platform's CSPRNG (browser and Node alike). */
export function newCallBinding(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return CALL_BINDING_PREFIX + btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').slice(0, 22);
}
