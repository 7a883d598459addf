/**
 * Reconnect delays with our own per-attempt jitter, so a BFF restart does not bring every widget
 * back in the same millisecond.
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

/** The waits between connection attempts: none before the first, then growing until reset(). */
export class Backoff {
  private attempt = 0;
  private retryAfterMs: number | null = null;

  constructor(private readonly random: () => number) {}

  /** The wait before the next attempt (a server's Retry-After, once, wins over the schedule). */
  nextDelay(): number {
    const delay = this.retryAfterMs ?? (this.attempt === 0 ? 0 : backoffDelay(this.attempt - 1, this.random));
    this.retryAfterMs = null;
    this.attempt++;
    return delay;
  }

  /** Connected: the next drop starts the schedule over. */
  reset(): void {
    this.attempt = 0;
  }

  /** The server said when to come back (null: it did not). */
  retryAfter(ms: number | null): void {
    this.retryAfterMs = ms;
  }

  /** Goes on as if `attempts` had failed already (a rate limit: no quick retries). */
  skipTo(attempts: number): void {
    this.attempt = Math.max(this.attempt, attempts);
  }
}
