import type { Context } from 'hono';
import { ownCopy } from '../strings.ts';
import { HttpError } from './errors.ts';

/** A token bucket per key (client IP and route): enough for one process; refills continuously. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when allowed; otherwise the seconds to wait. */
  take(key: string): number {
    const b = this.refilled(key);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return this.waitFor(b);
  }

  /** Like take, but spends nothing: the seconds to wait, or 0 while a token is left. */
  peek(key: string): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    const tokens = Math.min(this.perMinute, b.tokens + ((this.now() - b.at) / 60_000) * this.perMinute);
    return tokens >= 1 ? 0 : this.waitFor({ tokens });
  }

  private refilled(key: string): { tokens: number; at: number } {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: this.perMinute, at: t };
      this.buckets.set(ownCopy(key), b);
      if (this.buckets.size > 50_000) this.sweep(t);
    }
    b.tokens = Math.min(this.perMinute, b.tokens + ((t - b.at) / 60_000) * this.perMinute);
    b.at = t;
    return b;
  }

  private waitFor(b: { tokens: number }): number {
    return Math.max(1, Math.ceil(((1 - b.tokens) / this.perMinute) * 60));
  }

  private sweep(t: number): void {
    for (const [k, b] of this.buckets) if (t - b.at > 60_000) this.buckets.delete(k);
  }
}

/**
 * The client's address: behind a trusted proxy the LAST X-Forwarded-For hop (the address our
 * proxy saw and appended; everything before it is whatever the client sent), else the socket's.
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (fwd) return fwd;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/**
 * The HTTP budgets of PROTOCOL.md: per client IP and route, and per credential (publishable key,
 * session, agent secret) so one leaked key cannot flood us from many addresses.
 */
export class HttpRateLimits {
  private readonly perIp: RateLimiter;
  private readonly perKey: RateLimiter;
  private readonly authFailures: RateLimiter;
  private readonly toolCalls: RateLimiter;

  constructor(
    o: { perIpPerMin: number; perKeyPerMin: number; authFailuresPerMin: number; toolCallsPerSessionPerMin: number; trustProxy: boolean; now: () => number },
    private readonly onLimited: () => void = () => undefined,
  ) {
    this.perIp = new RateLimiter(o.perIpPerMin, o.now);
    this.perKey = new RateLimiter(o.perKeyPerMin, o.now);
    this.authFailures = new RateLimiter(o.authFailuresPerMin, o.now);
    this.toolCalls = new RateLimiter(o.toolCallsPerSessionPerMin, o.now);
    this.trustProxy = o.trustProxy;
  }
  private readonly trustProxy: boolean;

  /**
   * Checks a secret (agent tool secret, admin token, secret key) with a budget of failures per
   * client address over every route: once spent, even the right secret gets 429 until it refills.
   */
  checkSecret(c: Context, ok: () => boolean, refusal: HttpError): void {
    const ip = clientIp(c, this.trustProxy);
    this.refuse(this.authFailures.peek(ip));
    if (ok()) return;
    this.authFailures.take(ip);
    throw refusal;
  }

  /** Throws a typed 429 with Retry-After when the client's address is over its budget for the route. */
  checkIp(c: Context, route: string): void {
    this.refuse(this.perIp.take(`${clientIp(c, this.trustProxy)}:${route}`));
  }

  /** The same for a credential (a publishable key, a session, the agent secret), once it has been verified. */
  checkKey(route: string, key: string): void {
    this.refuse(this.perKey.take(`${route}:${key}`));
  }

  /** A session's tool-run budget (webhook and socket together): 0 when a run may start, else the seconds to wait. */
  toolCallWait(sessionId: string): number {
    return this.toolCalls.take(sessionId);
  }

  /** The same as a typed 429 (the webhook). */
  checkToolCall(sessionId: string): void {
    this.refuse(this.toolCalls.take(sessionId));
  }

  private refuse(wait: number): void {
    if (wait === 0) return;
    this.onLimited();
    throw new HttpError(429, 'rate_limited', 'Too many requests; slow down.', { 'Retry-After': String(wait) });
  }
}
