/**
 * Where a widget remembers its session across reloads: sessionStorage (per tab), keyed per
 * endpoint and per element so two widgets on one page never share a session.
 */
import * as z from 'zod/mini';
import { SessionState } from '../../shared/session-state.ts';

const StoredSession = z.object({
  session_id: z.string(),
  resume_token: z.string(),
  last_seq: z.int(),
  /** The mirrored state at last_seq: replayed events only make sense on top of it. */
  state: z.optional(SessionState),
});
export type StoredSession = z.infer<typeof StoredSession>;

export class SessionStorageSlot {
  readonly key: string;
  constructor(
    endpoint: string,
    elementKey: string,
    private readonly storage: Storage | null = safeSessionStorage(),
  ) {
    this.key = `shipvox-companion:${endpoint.replace(/\/+$/, '')}:${elementKey}`;
  }

  load(): StoredSession | null {
    const raw = this.read();
    if (!raw) return null;
    try {
      const parsed = StoredSession.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  save(value: StoredSession): void {
    try {
      this.storage?.setItem(this.key, JSON.stringify(value));
    } catch {
      // Quota or privacy mode: the session still works, it just will not survive a reload.
    }
  }

  clear(): void {
    try {
      this.storage?.removeItem(this.key);
    } catch {
      /* see save() */
    }
  }

  private read(): string | null {
    try {
      return this.storage?.getItem(this.key) ?? null;
    } catch {
      return null;
    }
  }
}

/** Sandboxed iframes throw on the mere access of window.sessionStorage. */
function safeSessionStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
