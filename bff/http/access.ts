/**
 * Who is asking, at the edge: the caller's address, a Bearer credential, and whether a browser
 * origin may use a session. HTTP routes and the WebSocket upgrade both decide with these.
 */
import { timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The credential of an `Authorization: Bearer <token>` header, if there is one. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer (.+)$/.exec(header ?? '')?.[1];
}

/** Whether the header carries exactly this secret (compared in constant time). */
export function bearerEquals(header: string | undefined, secret: string): boolean {
  const token = bearerToken(header);
  if (token === undefined) return false;
  const a = Buffer.from(token);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The socket's peer address; undefined for an in-process `app.request()`, which has no socket. */
export function remoteAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
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
  return remoteAddress(c) ?? 'unknown';
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * /metrics without a token: only outside production, from the loopback interface, when no proxy
 * is trusted (a local reverse proxy would make every request loopback).
 */
export function metricsOpen(remote: string | undefined, trustProxy: boolean, production: boolean): boolean {
  return !production && !trustProxy && remote !== undefined && LOOPBACK.has(remote);
}

/**
 * What a request without an Origin header means. Browsers always send Origin on a POST and on a
 * WebSocket upgrade, so there its absence is a caller that is not a page on an allowed origin:
 * 'refuse'. On a same-origin GET browsers send none at all, so there absence cannot be told from
 * the BFF's own pages: 'accept' (the credential still has to be good).
 */
export type MissingOrigin = 'refuse' | 'accept';

/** Whether a request from `origin` may use a session (or key) restricted to `allowed` (null: any origin). */
export function originAllowed(allowed: readonly string[] | null, origin: string | null, missing: MissingOrigin = 'refuse'): boolean {
  if (allowed === null) return true;
  if (origin === null) return missing === 'accept';
  return allowed.includes(origin);
}
