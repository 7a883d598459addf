/** In-memory store for tests and single-process development. */
import type { SessionEvent } from '../../shared/protocol.ts';
import type { SessionState } from '../../shared/session.ts';
import { ownCopy } from '../strings.ts';
import { MemoryRunRecords } from './run-records.ts';
import { DEFAULT_LOG_LIMIT, SESSION_TTL_MS, SeqConflictError, SessionLog, type EventStore, type KeyValueStore, type LogStorage, type SessionMeta, type StoredSession } from './store.ts';

interface Entry {
  meta: SessionMeta;
  /** The current state: a snapshot costs nothing here, so every state is one. */
  state: SessionState;
  /**
   * The last `logLimit` events: a ring once full (the oldest at `head`, overwritten by the next
   * append). Cutting the front off an array on every append was the steady-state hot path.
   */
  log: SessionEvent[];
  head: number;
  /** Last create or append (ms): the session lives sessionTtlMs after it. */
  touched: number;
}

class MemoryLog implements LogStorage {
  readonly sessions = new Map<string, Entry>();

  constructor(
    private readonly now: () => number,
    readonly logLimit: number,
  ) {}

  async insert(meta: SessionMeta, state: SessionState): Promise<void> {
    if (this.sessions.has(meta.session_id)) throw new SeqConflictError(`session ${meta.session_id} exists`);
    this.sessions.set(meta.session_id, { meta, state, log: [], head: 0, touched: this.now() }); // as given, like append's (never mutated)
  }

  async read(sessionId: string): Promise<StoredSession | null> {
    const e = this.sessions.get(sessionId);
    return e ? { meta: e.meta, snapshot: structuredClone(e.state), seq: e.state.seq, tail: [] } : null;
  }

  async readAfter(sessionId: string, afterSeq: number) {
    const e = this.sessions.get(sessionId);
    if (!e) return null;
    // Seqs in the log are consecutive: the oldest is at head, the one after afterSeq that many places on.
    const first = e.log[e.head]?.seq ?? e.state.seq + 1;
    const events: SessionEvent[] = [];
    for (let i = Math.max(0, afterSeq + 1 - first); i < e.log.length; i++) events.push(structuredClone(e.log[(e.head + i) % e.log.length]!));
    return { last: e.state.seq, events };
  }

  async write(event: SessionEvent, state: SessionState): Promise<void> {
    this.writeNow(event, state);
  }

  writeNow(event: SessionEvent, state: SessionState): void {
    const e = this.sessions.get(event.session_id);
    if (!e) throw new SeqConflictError(`unknown session ${event.session_id}`);
    if (event.seq !== e.state.seq + 1) throw new SeqConflictError(`seq ${event.seq} after ${e.state.seq}`);
    // Kept as given, not copied: the service hands over fresh objects it never mutates (the reducer
    // is pure), and every read returns a copy. Copying the state on each append was the hot path.
    if (e.log.length < this.logLimit) e.log.push(event);
    else {
      e.log[e.head] = event;
      e.head = (e.head + 1) % e.log.length;
    }
    e.state = state;
    e.touched = this.now();
  }

  async ids(): Promise<string[]> {
    return [...this.sessions.keys()];
  }
}

class MemoryKeyValue implements KeyValueStore {
  readonly claims = new Map<string, number>();
  readonly records = new Map<string, { json: string; expires: number }>();
  readonly labels = new Map<string, { session_id: string; pdf: Uint8Array }>();
  private sweepAt = 10_000;

  constructor(
    private readonly now: () => number,
    private readonly sessionTtlMs: number,
  ) {}

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    const t = this.now();
    const until = this.claims.get(key);
    if (until !== undefined && until > t) return false;
    this.claims.set(ownCopy(key), t + ttlMs);
    if (this.claims.size > this.sweepAt) {
      for (const [k, u] of this.claims) if (u <= t) this.claims.delete(k);
      // Amortised: the next sweep waits until the map has doubled (not on every claim while many are live).
      this.sweepAt = Math.max(10_000, 2 * this.claims.size);
    }
    return true;
  }

  async releaseClaim(key: string): Promise<void> {
    this.claims.delete(key);
  }

  async putRecord(key: string, value: unknown, ttlMs?: number): Promise<void> {
    this.records.set(key, { json: JSON.stringify(value), expires: this.now() + (ttlMs || this.sessionTtlMs) });
  }

  async getRecord<T>(key: string): Promise<T | undefined> {
    const r = this.records.get(key);
    if (!r) return undefined;
    if (r.expires <= this.now()) {
      this.records.delete(key);
      return undefined;
    }
    return JSON.parse(r.json) as T;
  }

  async putLabelPdf(labelId: string, sessionId: string, pdf: Uint8Array): Promise<void> {
    this.labels.set(labelId, { session_id: sessionId, pdf });
  }

  async getLabelPdf(labelId: string) {
    return this.labels.get(labelId);
  }

  /** Expired claims and records, and the labels of sessions that are gone. */
  sweep(t: number, live: (sessionId: string) => boolean): void {
    for (const [id, l] of this.labels) if (!live(l.session_id)) this.labels.delete(id);
    for (const [k, until] of this.claims) if (until <= t) this.claims.delete(k);
    for (const [k, r] of this.records) if (r.expires <= t) this.records.delete(k);
  }
}

export class MemoryStore implements EventStore {
  readonly kind = 'memory';
  readonly log: SessionLog;
  readonly kv: MemoryKeyValue;
  readonly runs: MemoryRunRecords;
  private readonly sessions: Map<string, Entry>;

  constructor(
    private readonly now: () => number = Date.now,
    logLimit = DEFAULT_LOG_LIMIT,
    private readonly sessionTtlMs = SESSION_TTL_MS,
  ) {
    const log = new MemoryLog(now, logLimit);
    this.sessions = log.sessions;
    this.log = new SessionLog(log);
    this.kv = new MemoryKeyValue(now, sessionTtlMs);
    this.runs = new MemoryRunRecords(now);
  }

  async sweep(): Promise<string[]> {
    const t = this.now();
    const swept: string[] = [];
    for (const [id, e] of this.sessions) {
      if (e.touched + this.sessionTtlMs > t) continue;
      this.sessions.delete(id);
      swept.push(id);
    }
    this.kv.sweep(t, (id) => this.sessions.has(id));
    return swept;
  }

  async close(): Promise<void> {}
}
