/**
 * Signed tokens: socket tickets (single use, ≤ 60 s), resume tokens, and label links.
 * Format `v1.<base64url(JSON payload)>.<base64url(HMAC-SHA256)>`; verification is constant-time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TICKET_TTL_MS = 60_000;
export const RESUME_TTL_MS = 24 * 60 * 60_000;
export const LABEL_LINK_TTL_MS = 60 * 60_000;

export interface TicketClaims {
  kind: 'ticket';
  sid: string;
  /** Origin the ticket was issued to, null for server-to-server sessions without one. */
  org: string | null;
  exp: number;
  jti: string;
}
export interface ResumeClaims {
  kind: 'resume';
  sid: string;
  exp: number;
}
type Claims = TicketClaims | ResumeClaims;

export class Signer {
  constructor(
    private readonly secret: string,
    private readonly now: () => number,
  ) {}

  issueTicket(sid: string, org: string | null): { token: string; claims: TicketClaims } {
    const claims: TicketClaims = { kind: 'ticket', sid, org, exp: this.now() + TICKET_TTL_MS, jti: randomBytes(12).toString('base64url') };
    return { token: this.sign(claims), claims };
  }

  issueResume(sid: string, exp = this.now() + RESUME_TTL_MS): { token: string; claims: ResumeClaims } {
    const claims: ResumeClaims = { kind: 'resume', sid, exp };
    return { token: this.sign(claims), claims };
  }

  /** The claims when the signature holds, the kind matches and it has not expired; otherwise null. */
  verify<K extends Claims['kind']>(token: string, kind: K): Extract<Claims, { kind: K }> | null {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== 'v1') return null;
    const [, body, mac] = parts as [string, string, string];
    if (!this.macEquals(`v1.${body}`, mac)) return null;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (!isClaims(claims) || claims.kind !== kind || claims.exp <= this.now()) return null;
    return claims as Extract<Claims, { kind: K }>;
  }

  /** `/v1/labels/{id}.pdf?exp=…&sig=…` (exp in unix seconds). */
  labelPath(labelId: string, ttlMs = LABEL_LINK_TTL_MS): string {
    const exp = Math.floor((this.now() + ttlMs) / 1000);
    return `/v1/labels/${encodeURIComponent(labelId)}.pdf?exp=${exp}&sig=${this.mac(`label:${labelId}:${exp}`)}`;
  }

  verifyLabelLink(labelId: string, exp: string | undefined, sig: string | undefined): boolean {
    if (!exp || !sig || !/^\d{1,12}$/.test(exp)) return false;
    if (!this.macEquals(`label:${labelId}:${exp}`, sig)) return false;
    return Number(exp) * 1000 > this.now();
  }

  private sign(claims: Claims): string {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `v1.${body}.${this.mac(`v1.${body}`)}`;
  }

  private mac(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }

  private macEquals(data: string, given: string): boolean {
    const expected = Buffer.from(this.mac(data));
    const actual = Buffer.from(given);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
}

function isClaims(v: unknown): v is Claims {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return (c.kind === 'ticket' || c.kind === 'resume') && typeof c.sid === 'string' && typeof c.exp === 'number';
}
