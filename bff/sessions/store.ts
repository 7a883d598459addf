/**
 * The store: the only persistence the session service uses, in three parts the service and the
 * hub never see the kind of:
 * - `log`: each session's events with a state snapshot beside them. The rules (snapshot cadence,
 *   rebuilding a state from snapshot + tail, when a resume is no longer possible) live here once,
 *   in `SessionLog`; a store provides only the reads and writes (`LogStorage`).
 * - `kv`: small values with a lifetime: single-use claims, records, label files.
 * - `runs`: who owns each tool run in flight (run-records.ts).
 * The kinds of store and how each is opened are listed once, in stores.ts.
 */
import type { SessionEvent } from '../../shared/protocol.ts';
import { reduce, type SessionState } from '../../shared/session.ts';
import type { RunRecords } from './run-records.ts';
import type { StoreKind } from './stores.ts';

export interface SessionMeta {
  session_id: string;
  created_at: string;
  /** Origins allowed to use this session; null = any (server-to-server without an origin). */
  origins: string[] | null;
  /** The publishable key it was created with, or 'secret'. */
  created_by: string;
}

export type EventsAfter = { kind: 'events'; events: SessionEvent[] } | { kind: 'gone' };

export class SeqConflictError extends Error {
  override name = 'SeqConflictError';
}

/** The store cannot be reached (e.g. Redis down): retryable, surfaced as `unavailable` / `backend_unavailable`. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/** What a shared (multi-instance) store tells this instance. */
export interface StoreSubscriber {
  /** An event appended by ANOTHER instance (and its JSON as received); per session in seq order. */
  onEvent(event: SessionEvent, frame: string): void;
  /** The connection came back after an outage: messages may have been missed meanwhile. */
  onReconnect?(): void;
}

export interface EventStore {
  readonly kind: StoreKind;
  readonly log: SessionLog;
  readonly kv: KeyValueStore;
  /** Who owns each tool run in flight (run-records.ts): a crashed owner's runs are finished by another instance. */
  readonly runs: RunRecords;
  close(): Promise<void>;
  /** Shared stores (redis): delivers events appended by other instances. Single-process stores omit it. */
  subscribe?(subscriber: StoreSubscriber): Promise<void>;
  /**
   * Deletes what has outlived its lifetime: sessions (state, log, labels) untouched for the session
   * TTL, expired claims and records. Returns the ids of the sessions deleted. Omitted by stores
   * whose keys expire by themselves (Redis).
   */
  sweep?(): Promise<string[]>;
  /** Readiness: false while the store cannot serve. Omitted = always ready. */
  ready?(): Promise<boolean>;
}

/** Small values with a lifetime, shared by every instance using the store. */
export interface KeyValueStore {
  /** True the first time a key is claimed within ttl (single-use tickets, dedupe). */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Gives a claim back (the claimed work failed in a way worth retrying). */
  releaseClaim(key: string): Promise<void>;
  /** A JSON value; without a TTL of its own it lives as long as a session. */
  putRecord(key: string, value: unknown, ttlMs?: number): Promise<void>;
  getRecord<T>(key: string): Promise<T | undefined>;
  /** A label's PDF: it lives as long as its session. */
  putLabelPdf(labelId: string, sessionId: string, pdf: Uint8Array): Promise<void>;
  getLabelPdf(labelId: string): Promise<{ session_id: string; pdf: Uint8Array } | undefined>;
}

/** One session as a store keeps it: the latest state snapshot and the logged events after it. */
export interface StoredSession {
  meta: SessionMeta;
  /** The state as of `snapshot.seq`. */
  snapshot: SessionState;
  /** The last logged seq. */
  seq: number;
  /** The logged events after the snapshot, in seq order. */
  tail: SessionEvent[];
}

/**
 * What a store implements for the log; `SessionLog` puts the rules on top. Each method is atomic
 * on its own (one transaction, one script): another instance or process may write meanwhile.
 */
export interface LogStorage {
  /** How many events a session keeps at least (checkLogLimit). */
  readonly logLimit: number;
  /** A new session with its first state (as the snapshot); SeqConflictError when the id exists. */
  insert(meta: SessionMeta, state: SessionState): Promise<void>;
  read(sessionId: string): Promise<StoredSession | null>;
  /** The session's last seq and the kept events with seq > afterSeq, in order; null when there is no such session. */
  readAfter(sessionId: string, afterSeq: number): Promise<{ last: number; events: SessionEvent[] } | null>;
  /**
   * Logs one event (`frame` is its JSON) and the new last seq, atomically; SeqConflictError unless
   * event.seq = last + 1. With `snapshot` the state after it becomes the snapshot too (a store whose
   * snapshots cost nothing may take every state). Trims the log to the last logLimit events, but
   * never an event after the latest snapshot (`trimThrough`): a read needs all of those.
   */
  write(event: SessionEvent, state: SessionState, frame: string, snapshot: boolean): Promise<void>;
  /** The same write, done before returning: offered by stores whose writes are synchronous (memory, SQLite). */
  writeNow?(event: SessionEvent, state: SessionState, frame: string, snapshot: boolean): void;
  /** Every session id in the store. */
  ids(): Promise<string[]>;
}

/** A session's log with its state snapshots: the rules every store shares, over its `LogStorage`. */
export class SessionLog {
  /**
   * `append`, done before returning: present when the store writes synchronously. The service then
   * appends without an async hop, which was a fifth of a fan-out event's cost.
   */
  appendNow: ((event: SessionEvent, state: SessionState, frame: string) => void) | undefined;
  private readonly every: number;

  constructor(private readonly storage: LogStorage) {
    this.every = Math.min(SNAPSHOT_EVERY, checkLogLimit(storage.logLimit));
    const writeNow = storage.writeNow?.bind(storage);
    this.appendNow = writeNow && ((event, state, frame) => writeNow(event, state, frame, event.seq % this.every === 0));
  }

  createSession(meta: SessionMeta, state: SessionState): Promise<void> {
    return this.storage.insert(meta, state);
  }

  /** The session's meta and current state: the snapshot brought up to date with the events after it (a gap refuses the load). */
  async loadSession(sessionId: string): Promise<{ meta: SessionMeta; state: SessionState } | null> {
    const stored = await this.storage.read(sessionId);
    if (!stored) return null;
    let state = stored.snapshot;
    for (const event of stored.tail) {
      if (event.seq !== state.seq + 1) break;
      state = reduce(state, event);
    }
    if (state.seq !== stored.seq) throw new Error(`session ${sessionId}: the log does not reach back to its state snapshot (seq ${stored.snapshot.seq}) without a gap`);
    return { meta: stored.meta, state };
  }

  /**
   * Appends one event and the state after it, atomically. Throws SeqConflictError unless seq = last + 1.
   * `frame` is the event as JSON when the caller already has it (the service serialises each event once).
   */
  append(event: SessionEvent, state: SessionState, frame = JSON.stringify(event)): Promise<void> {
    return this.storage.write(event, state, frame, event.seq % this.every === 0);
  }

  /**
   * Events with seq > afterSeq, in order. 'gone' when the log no longer reaches back that far
   * or afterSeq is beyond the last seq.
   */
  async eventsAfter(sessionId: string, afterSeq: number): Promise<EventsAfter> {
    const kept = await this.storage.readAfter(sessionId, afterSeq);
    if (!kept || afterSeq > kept.last) return { kind: 'gone' };
    if (afterSeq < kept.last && kept.events[0]?.seq !== afterSeq + 1) return { kind: 'gone' };
    return { kind: 'events', events: kept.events };
  }

  listSessionIds(): Promise<string[]> {
    return this.storage.ids();
  }
}

/** How many events a session keeps for resume; older ones are trimmed (the state row remains). */
export const DEFAULT_LOG_LIMIT = 1000;

export const DAY_MS = 24 * 60 * 60_000;

/** Default: sessions (log, state, labels) live this long after their last change (SESSION_TTL_MS). */
export const SESSION_TTL_MS = 7 * DAY_MS;

/** Default: idempotency records (tool results, ui_action replies) and their claims (IDEMPOTENCY_TTL_MS). */
export const IDEMPOTENCY_TTL_MS = DAY_MS;

/** Redis: log entries older than this are trimmed by default (a client resuming from before them gets the snapshot). */
export const LOG_MAX_AGE_MS = 24 * 60 * 60_000;

/**
 * Persistent stores write the state with every this many events (and at most every log-limit
 * events), not on each: it grows with the session (quotes, context notes) and serialising it per
 * event was most of an append's cost. A load reduces the events after the snapshot, which the
 * log still holds (it keeps at least the last log-limit events).
 */
export const SNAPSHOT_EVERY = 32;

/** A store's log limit: a positive integer (the snapshot cadence and the trim depend on it). */
export function checkLogLimit(logLimit: number): number {
  if (!Number.isInteger(logLimit) || logLimit < 1) throw new RangeError(`log limit must be a positive integer, got ${logLimit}`);
  return logLimit;
}

/**
 * The last seq a write of `seq` may trim the log through: the last logLimit events stay, and never
 * one after the snapshot at `snapshotSeq` (matters when a store written with a larger log limit is
 * reopened with a smaller one). Nothing to trim when it is below 1.
 */
export function trimThrough(seq: number, snapshotSeq: number, logLimit: number): number {
  return Math.min(seq - logLimit, snapshotSeq);
}
