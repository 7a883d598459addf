/**
 * The event store: the only persistence the session service uses. Implementations (memory,
 * sqlite, later redis) keep each session's log, its current state, one-shot claims and small
 * records; the hub and the service never know which one runs.
 */
import type { SessionEvent } from '../../shared/protocol.ts';
import type { SessionState } from '../../shared/session.ts';

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
  readonly kind: 'memory' | 'sqlite' | 'redis';
  createSession(meta: SessionMeta, state: SessionState): Promise<void>;
  loadSession(sessionId: string): Promise<{ meta: SessionMeta; state: SessionState } | null>;
  /**
   * Appends one event and the state after it, atomically. Throws SeqConflictError unless seq = last + 1.
   * `frame` is the event as JSON when the caller already has it (the service serialises each event once).
   */
  append(event: SessionEvent, state: SessionState, frame?: string): Promise<void>;
  /**
   * The same append, done before returning: offered by stores whose writes are synchronous (memory,
   * SQLite). The service then appends without an async hop, which was a fifth of a fan-out event's cost.
   */
  appendNow?(event: SessionEvent, state: SessionState, frame: string): void;
  /**
   * Events with seq > afterSeq, in order. 'gone' when the log no longer reaches back that far
   * or afterSeq is beyond the last seq.
   */
  eventsAfter(sessionId: string, afterSeq: number): Promise<EventsAfter>;
  /** True the first time a key is claimed within ttl (single-use tickets, dedupe). */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Gives a claim back (the claimed work failed in a way worth retrying). */
  release(key: string): Promise<void>;
  putRecord(key: string, value: unknown, ttlMs?: number): Promise<void>;
  getRecord<T>(key: string): Promise<T | undefined>;
  putLabelPdf(labelId: string, sessionId: string, pdf: Uint8Array): Promise<void>;
  getLabelPdf(labelId: string): Promise<{ session_id: string; pdf: Uint8Array } | undefined>;
  listSessionIds(): Promise<string[]>;
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

/** Whether the append of `seq` also writes the state snapshot. */
export function snapshotDue(seq: number, logLimit: number): boolean {
  return seq % Math.min(SNAPSHOT_EVERY, logLimit) === 0;
}
