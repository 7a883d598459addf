/**
 * Reconnect delays with our own per-attempt jitter: reconnecting-websocket has none, so a BFF
 * restart would otherwise bring every widget back in the same millisecond.
 */
export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
}

/** "Equal jitter": half the exponential delay, plus a random share of the other half. */
export function backoffDelay(attempt: number, random: () => number, { baseMs = 500, maxMs = 15_000 }: BackoffOptions = {}): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
