import type { Context } from 'hono';
import { clientIp } from './access.ts';
import { ownCopy } from '../strings.ts';
import { HttpError } from './errors.ts';

/** How a bucket fills: at most `capacity` tokens, `perWindow` of them added (continuously) every `windowMs`. */
export interface BucketRule {
  capacity: number;
  perWindow: number;
  windowMs: number;
}

/** One token bucket, starting full. Every limit of the BFF (HTTP per key, socket frames) is one of these. */
export class TokenBucket {
  private tokens: number;

  constructor(
    private readonly rule: BucketRule,
    /** When the tokens were last counted. */
    private at: number,
  ) {
    this.tokens = rule.capacity;
  }

  get lastCounted(): number {
    return this.at;
  }

  /** The tokens there are at `t`, without spending any. */
  level(t: number): number {
    return Math.min(this.rule.capacity, this.tokens + ((t - this.at) / this.rule.windowMs) * this.rule.perWindow);
  }

  /** Spends a token at `t` if one is there; false (and nothing spent) when empty. */
  take(t: number): boolean {
    this.tokens = this.level(t);
    this.at = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** A token bucket per key (client IP and route): enough for one process. */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly rule: BucketRule;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.rule = { capacity: perMinute, perWindow: perMinute, windowMs: 60_000 };
  }

  /** 0 when allowed; otherwise the seconds to wait. */
  take(key: string): number {
    const t = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.rule, t);
      this.buckets.set(ownCopy(key), bucket);
      if (this.buckets.size > 50_000) this.sweep(t);
    }
    return bucket.take(t) ? 0 : this.waitFor(bucket.level(t));
  }

  /** Like take, but spends nothing: the seconds to wait, or 0 while a token is left. */
  peek(key: string): number {
    const tokens = this.buckets.get(key)?.level(this.now()) ?? this.perMinute;
    return tokens >= 1 ? 0 : this.waitFor(tokens);
  }

  private waitFor(tokens: number): number {
    return Math.max(1, Math.ceil(((1 - tokens) / this.perMinute) * 60));
  }

  private sweep(t: number): void {
    for (const [k, b] of this.buckets) if (t - b.lastCounted > 60_000) this.buckets.delete(k);
  }
}

/**
 * The HTTP budgets (docs/protocol.md, HTTP): per client IP and route, and per credential (publishable key,
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
