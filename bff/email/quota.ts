/**
 * Caps on label email (LABEL_EMAILS_PER_LABEL, _PER_SESSION, _PER_RECIPIENT_PER_DAY), counted in
 * the store's claims (through the session service) so every instance sharing it counts together:
 * a send takes one numbered claim ("slot") under each cap, and gives them all back when the send
 * fails. Recipients are keyed by a hash of the address, never the address itself.
 */
import { createHash } from 'node:crypto';
import type { SessionService } from '../sessions/service.ts';

export const RECIPIENT_WINDOW_MS = 24 * 60 * 60_000;

export interface EmailLimits {
  perLabel: number;
  perSession: number;
  perRecipientPerDay: number;
  /** How long a label's and a session's slots are kept (the session's lifetime). */
  sessionTtlMs: number;
}

export type EmailQuotaResult = { ok: true; release(): Promise<void> } | { ok: false; reason: 'label' | 'session' | 'recipient' };

export class EmailQuota {
  constructor(
    private readonly claims: Pick<SessionService, 'claimOnce' | 'releaseClaim'>,
    private readonly limits: EmailLimits,
  ) {}

  async take(sessionId: string, labelId: string, to: string): Promise<EmailQuotaResult> {
    const recipient = createHash('sha256').update(to.trim().toLowerCase()).digest('base64url').slice(0, 22);
    const caps = [
      { reason: 'label', key: `email:label:${labelId}`, limit: this.limits.perLabel, ttl: this.limits.sessionTtlMs },
      { reason: 'session', key: `email:session:${sessionId}`, limit: this.limits.perSession, ttl: this.limits.sessionTtlMs },
      { reason: 'recipient', key: `email:to:${recipient}`, limit: this.limits.perRecipientPerDay, ttl: RECIPIENT_WINDOW_MS },
    ] as const;
    const taken: string[] = [];
    const release = async () => {
      for (const slot of taken.splice(0)) await this.claims.releaseClaim(slot);
    };
    for (const cap of caps) {
      const slot = await this.slot(cap.key, cap.limit, cap.ttl);
      if (!slot) {
        await release();
        return { ok: false, reason: cap.reason };
      }
      taken.push(slot);
    }
    return { ok: true, release };
  }

  /** The first free numbered claim under key, or null when all `limit` are held. */
  private async slot(key: string, limit: number, ttlMs: number): Promise<string | null> {
    for (let i = 0; i < limit; i++) {
      const slot = `${key}#${i}`;
      if (await this.claims.claimOnce(slot, ttlMs)) return slot;
    }
    return null;
  }
}
