/**
 * Where a widget remembers its session across reloads: sessionStorage (per tab), keyed per
 * endpoint and per element so two widgets on one page never share a session.
 */
import type { SessionState } from '../../shared/session.ts';
import { isCallBinding } from '../../shared/call-binding.ts';

export interface StoredSession {
  session_id: string;
  resume_token: string;
  last_seq: number;
  /** The mirrored state at last_seq: replayed events only make sense on top of it. */
  state?: SessionState | undefined;
  /** The call binding this session's voice calls carry (shared/call-binding.ts). */
  call_binding?: string | undefined;
}

/**
 * Plain checks (no schema library in the bundle): a stored state is kept only when it is an
 * object of this session at last_seq; on any doubt it is dropped and the hello asks for a snapshot.
 */
function check(value: unknown): StoredSession | null {
  const v = value as Partial<Record<keyof StoredSession, unknown>> | null;
  if (!v || typeof v.session_id !== 'string' || typeof v.resume_token !== 'string' || !Number.isInteger(v.last_seq)) return null;
  const state = v.state as Partial<SessionState> | null | undefined;
  const sound = !!state && typeof state === 'object' && state.session_id === v.session_id && state.seq === v.last_seq;
  const binding = typeof v.call_binding === 'string' && isCallBinding(v.call_binding) ? v.call_binding : undefined;
  return { session_id: v.session_id, resume_token: v.resume_token, last_seq: v.last_seq as number, state: sound ? (state as SessionState) : undefined, call_binding: binding };
}

export class SessionStorageSlot {
  readonly key: string;
  constructor(
    endpoint: string,
    elementKey: string,
    private readonly storage: Storage | null = safeSessionStorage(),
  ) {
    this.key = `shipvox-companion:${endpoint.replace(/\/+$/, '')}:${elementKey}`;
  }

  /** The stored session, or null when there is none, it is unreadable, or storage throws. */
  load(): StoredSession | null {
    try {
      const raw = this.storage?.getItem(this.key);
      return raw ? check(JSON.parse(raw)) : null;
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
}

/** Sandboxed iframes throw on the mere access of window.sessionStorage. */
function safeSessionStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
