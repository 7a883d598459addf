/**
 * SQLite store (better-sqlite3 v12, WAL): the default for `npm start`, so sessions, logs and
 * labels survive a restart. Each append writes the event and the session's seq in one transaction,
 * and every SNAPSHOT_EVERY events the state too (`state` as of `state_seq`); a load reads the
 * snapshot and the logged events after it in one transaction. The primary key (session_id, seq)
 * rejects a second writer's gap or duplicate.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SessionEvent } from '../../shared/protocol.ts';
import type { SessionState } from '../../shared/session.ts';
import { SqliteRunRecords } from './sqlite-run-records.ts';
import {
  DEFAULT_LOG_LIMIT,
  SESSION_TTL_MS,
  SeqConflictError,
  SessionLog,
  trimThrough,
  type EventStore,
  type KeyValueStore,
  type LogStorage,
  type SessionMeta,
  type StoredSession,
} from './store.ts';

type Db = Database.Database;

export class SqliteStore implements EventStore {
  readonly kind = 'sqlite';
  readonly log: SessionLog;
  readonly kv: SqliteKeyValue;
  readonly runs: SqliteRunRecords;
  private readonly db: Db;
  private readonly q;

  constructor(
    file: string,
    private readonly now: () => number = Date.now,
    logLimit = DEFAULT_LOG_LIMIT,
    private readonly sessionTtlMs = SESSION_TTL_MS,
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS sessions (session_id TEXT PRIMARY KEY, meta TEXT NOT NULL, state TEXT NOT NULL, seq INTEGER NOT NULL, state_seq INTEGER);
      CREATE TABLE IF NOT EXISTS events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, until INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS records (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS labels (label_id TEXT PRIMARY KEY, session_id TEXT NOT NULL, pdf BLOB NOT NULL) WITHOUT ROWID;
    `);
    // Data directories from before snapshots: their state column is current, as of seq. Checked
    // again under the write lock: another process (`npm run replay`) may be migrating the same file.
    this.db
      .transaction(() => {
        const columns = this.db.prepare<[], { name: string }>('PRAGMA table_info(sessions)').all();
        if (columns.some((c) => c.name === 'state_seq')) return;
        this.db.exec('ALTER TABLE sessions ADD COLUMN state_seq INTEGER');
        this.db.exec('UPDATE sessions SET state_seq = seq');
      })
      .immediate();
    // Data directories from before lifetimes: their sessions count as touched now, their records
    // without an expiry get a session's lifetime from now.
    this.db
      .transaction(() => {
        const columns = this.db.prepare<[], { name: string }>('PRAGMA table_info(sessions)').all();
        if (columns.some((c) => c.name === 'touched')) return;
        this.db.exec('ALTER TABLE sessions ADD COLUMN touched INTEGER');
        this.db.prepare('UPDATE sessions SET touched = ?').run(this.now());
        this.db.prepare('UPDATE records SET expires = ? WHERE expires IS NULL').run(this.now() + this.sessionTtlMs);
      })
      .immediate();
    this.db.exec('CREATE INDEX IF NOT EXISTS labels_by_session ON labels (session_id)');
    // The sweep finds expired sessions by index, not by scanning every session.
    this.db.exec('CREATE INDEX IF NOT EXISTS sessions_by_touched ON sessions (touched)');
    this.log = new SessionLog(new SqliteLog(this.db, now, logLimit));
    this.kv = new SqliteKeyValue(this.db, now, sessionTtlMs);
    this.runs = new SqliteRunRecords(this.db, now);
    this.q = {
      staleSessions: this.db.prepare<[number], { session_id: string }>('SELECT session_id FROM sessions WHERE touched <= ? LIMIT 500'),
      deleteEvents: this.db.prepare('DELETE FROM events WHERE session_id = ?'),
      deleteLabels: this.db.prepare('DELETE FROM labels WHERE session_id = ?'),
      deleteSession: this.db.prepare('DELETE FROM sessions WHERE session_id = ?'),
    };
  }

  /** Sessions untouched for the session TTL (with their log and labels), expired claims and records; 500 sessions per transaction. */
  async sweep(): Promise<string[]> {
    const swept: string[] = [];
    const cutoff = this.now() - this.sessionTtlMs;
    const batch = this.db.transaction(() => {
      const ids = this.q.staleSessions.all(cutoff).map((r) => r.session_id);
      for (const id of ids) {
        this.q.deleteEvents.run(id);
        this.q.deleteLabels.run(id);
        this.q.deleteSession.run(id);
      }
      return ids;
    });
    for (let ids = batch(); ids.length > 0; ids = batch()) {
      swept.push(...ids);
      await new Promise((r) => setImmediate(r)); // a backlog does not hold the event loop for its whole length
    }
    this.kv.sweep();
    return swept;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Tables `sessions` (meta, the state snapshot as of state_seq, the last seq) and `events`. */
class SqliteLog implements LogStorage {
  private readonly q;
  private readonly writeTx: (event: SessionEvent, state: SessionState, frame: string, snapshot: boolean) => void;
  private readonly readTx: (sessionId: string) => StoredSession | null;

  constructor(
    db: Db,
    private readonly now: () => number,
    readonly logLimit: number,
  ) {
    this.q = {
      insertSession: db.prepare('INSERT INTO sessions (session_id, meta, state, seq, state_seq, touched) VALUES (?, ?, ?, ?, ?, ?)'),
      loadSession: db.prepare<[string], { meta: string; state: string; state_seq: number; seq: number }>('SELECT meta, state, state_seq, seq FROM sessions WHERE session_id = ?'),
      lastSeq: db.prepare<[string], { seq: number; state_seq: number }>('SELECT seq, state_seq FROM sessions WHERE session_id = ?'),
      insertEvent: db.prepare('INSERT INTO events (session_id, seq, event) VALUES (?, ?, ?)'),
      updateSeq: db.prepare('UPDATE sessions SET seq = ?, touched = ? WHERE session_id = ?'),
      updateState: db.prepare('UPDATE sessions SET state = ?, state_seq = ?, seq = ?, touched = ? WHERE session_id = ?'),
      trim: db.prepare('DELETE FROM events WHERE session_id = ? AND seq <= ?'),
      eventsAfter: db.prepare<[string, number], { event: string }>('SELECT event FROM events WHERE session_id = ? AND seq > ? ORDER BY seq'),
      listSessions: db.prepare<[], { session_id: string }>('SELECT session_id FROM sessions'),
    };
    this.writeTx = db.transaction((event: SessionEvent, state: SessionState, frame: string, snapshot: boolean) => {
      const row = this.q.lastSeq.get(event.session_id);
      if (!row) throw new SeqConflictError(`unknown session ${event.session_id}`);
      if (event.seq !== row.seq + 1) throw new SeqConflictError(`seq ${event.seq} after ${row.seq}`);
      this.q.insertEvent.run(event.session_id, event.seq, frame);
      if (snapshot) this.q.updateState.run(JSON.stringify(state), event.seq, event.seq, this.now(), event.session_id);
      else this.q.updateSeq.run(event.seq, this.now(), event.session_id);
      const cut = trimThrough(event.seq, snapshot ? event.seq : row.state_seq, this.logLimit);
      if (cut > 0) this.q.trim.run(event.session_id, cut);
    });
    // In one transaction: another process may be appending.
    this.readTx = db.transaction((sessionId: string) => {
      const row = this.q.loadSession.get(sessionId);
      if (!row) return null;
      const tail = this.q.eventsAfter.all(sessionId, row.state_seq).map((r) => JSON.parse(r.event) as SessionEvent);
      return { meta: JSON.parse(row.meta) as SessionMeta, snapshot: JSON.parse(row.state) as SessionState, seq: row.seq, tail };
    });
  }

  async insert(meta: SessionMeta, state: SessionState): Promise<void> {
    try {
      this.q.insertSession.run(meta.session_id, JSON.stringify(meta), JSON.stringify(state), state.seq, state.seq, this.now());
    } catch (err) {
      throw new SeqConflictError(`session ${meta.session_id}: ${String(err)}`);
    }
  }

  async read(sessionId: string): Promise<StoredSession | null> {
    return this.readTx(sessionId);
  }

  async readAfter(sessionId: string, afterSeq: number) {
    const last = this.q.lastSeq.get(sessionId);
    if (!last) return null;
    return { last: last.seq, events: this.q.eventsAfter.all(sessionId, afterSeq).map((r) => JSON.parse(r.event) as SessionEvent) };
  }

  async write(event: SessionEvent, state: SessionState, frame: string, snapshot: boolean): Promise<void> {
    this.writeTx(event, state, frame, snapshot);
  }

  /** Event, seq (and a due snapshot) in one transaction; the seq check makes a second writer fail, not fork. */
  writeNow(event: SessionEvent, state: SessionState, frame: string, snapshot: boolean): void {
    this.writeTx(event, state, frame, snapshot);
  }

  async ids(): Promise<string[]> {
    return this.q.listSessions.all().map((r) => r.session_id);
  }
}

/** Tables `claims`, `records` and `labels`. */
class SqliteKeyValue implements KeyValueStore {
  private readonly q;
  private readonly claimTx: (key: string, ttlMs: number) => boolean;

  constructor(
    db: Db,
    private readonly now: () => number,
    private readonly sessionTtlMs: number,
  ) {
    this.q = {
      getClaim: db.prepare<[string], { until: number }>('SELECT until FROM claims WHERE key = ?'),
      putClaim: db.prepare('INSERT OR REPLACE INTO claims (key, until) VALUES (?, ?)'),
      deleteClaim: db.prepare('DELETE FROM claims WHERE key = ?'),
      sweepClaims: db.prepare('DELETE FROM claims WHERE until <= ?'),
      putRecord: db.prepare('INSERT OR REPLACE INTO records (key, value, expires) VALUES (?, ?, ?)'),
      getRecord: db.prepare<[string], { value: string; expires: number | null }>('SELECT value, expires FROM records WHERE key = ?'),
      sweepRecords: db.prepare('DELETE FROM records WHERE expires <= ?'),
      putLabel: db.prepare('INSERT OR REPLACE INTO labels (label_id, session_id, pdf) VALUES (?, ?, ?)'),
      getLabel: db.prepare<[string], { session_id: string; pdf: Buffer }>('SELECT session_id, pdf FROM labels WHERE label_id = ?'),
    };
    this.claimTx = db.transaction((key: string, ttlMs: number): boolean => {
      const t = this.now();
      const row = this.q.getClaim.get(key);
      if (row && row.until > t) return false;
      this.q.putClaim.run(key, t + ttlMs);
      return true;
    });
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    if (Math.random() < 0.01) this.q.sweepClaims.run(this.now());
    return this.claimTx(key, ttlMs);
  }

  async releaseClaim(key: string): Promise<void> {
    this.q.deleteClaim.run(key);
  }

  async putRecord(key: string, value: unknown, ttlMs?: number): Promise<void> {
    this.q.putRecord.run(key, JSON.stringify(value), this.now() + (ttlMs || this.sessionTtlMs));
  }

  async getRecord<T>(key: string): Promise<T | undefined> {
    const row = this.q.getRecord.get(key);
    if (!row || (row.expires !== null && row.expires <= this.now())) return undefined;
    return JSON.parse(row.value) as T;
  }

  async putLabelPdf(labelId: string, sessionId: string, pdf: Uint8Array): Promise<void> {
    this.q.putLabel.run(labelId, sessionId, Buffer.from(pdf));
  }

  async getLabelPdf(labelId: string) {
    const row = this.q.getLabel.get(labelId);
    return row ? { session_id: row.session_id, pdf: new Uint8Array(row.pdf) } : undefined;
  }

  /** Expired claims and records (labels go with their session). */
  sweep(): void {
    this.q.sweepClaims.run(this.now());
    this.q.sweepRecords.run(this.now());
  }
}
