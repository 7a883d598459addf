/**
 * SQLite event store (better-sqlite3 v12, WAL): the default for `npm start`, so sessions, logs and
 * labels survive a restart. Each append writes the event and the session's seq in one transaction,
 * and every SNAPSHOT_EVERY events the state too (`state` as of `state_seq`); a load reduces the
 * logged events after the snapshot. The primary key (session_id, seq) rejects a second writer's
 * gap or duplicate.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SessionEvent } from '../../shared/protocol.ts';
import { reduce, type SessionState } from '../../shared/session.ts';
import { checkLogLimit, DEFAULT_LOG_LIMIT, SESSION_TTL_MS, SeqConflictError, snapshotDue, type EventStore, type EventsAfter, type SessionMeta } from './store.ts';

export class SqliteStore implements EventStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly q;

  constructor(
    file: string,
    private readonly now: () => number = Date.now,
    private readonly logLimit = DEFAULT_LOG_LIMIT,
    private readonly sessionTtlMs = SESSION_TTL_MS,
  ) {
    checkLogLimit(logLimit);
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
    this.q = {
      insertSession: this.db.prepare('INSERT INTO sessions (session_id, meta, state, seq, state_seq, touched) VALUES (?, ?, ?, ?, ?, ?)'),
      loadSession: this.db.prepare<[string], { meta: string; state: string; state_seq: number; seq: number }>('SELECT meta, state, state_seq, seq FROM sessions WHERE session_id = ?'),
      lastSeq: this.db.prepare<[string], { seq: number; state_seq: number }>('SELECT seq, state_seq FROM sessions WHERE session_id = ?'),
      insertEvent: this.db.prepare('INSERT INTO events (session_id, seq, event) VALUES (?, ?, ?)'),
      updateSeq: this.db.prepare('UPDATE sessions SET seq = ?, touched = ? WHERE session_id = ?'),
      updateState: this.db.prepare('UPDATE sessions SET state = ?, state_seq = ?, seq = ?, touched = ? WHERE session_id = ?'),
      trim: this.db.prepare('DELETE FROM events WHERE session_id = ? AND seq <= ?'),
      firstSeq: this.db.prepare<[string], { seq: number | null }>('SELECT MIN(seq) AS seq FROM events WHERE session_id = ?'),
      eventsAfter: this.db.prepare<[string, number], { event: string }>('SELECT event FROM events WHERE session_id = ? AND seq > ? ORDER BY seq'),
      getClaim: this.db.prepare<[string], { until: number }>('SELECT until FROM claims WHERE key = ?'),
      putClaim: this.db.prepare('INSERT OR REPLACE INTO claims (key, until) VALUES (?, ?)'),
      deleteClaim: this.db.prepare('DELETE FROM claims WHERE key = ?'),
      sweepClaims: this.db.prepare('DELETE FROM claims WHERE until <= ?'),
      putRecord: this.db.prepare('INSERT OR REPLACE INTO records (key, value, expires) VALUES (?, ?, ?)'),
      getRecord: this.db.prepare<[string], { value: string; expires: number | null }>('SELECT value, expires FROM records WHERE key = ?'),
      putLabel: this.db.prepare('INSERT OR REPLACE INTO labels (label_id, session_id, pdf) VALUES (?, ?, ?)'),
      getLabel: this.db.prepare<[string], { session_id: string; pdf: Buffer }>('SELECT session_id, pdf FROM labels WHERE label_id = ?'),
      listSessions: this.db.prepare<[], { session_id: string }>('SELECT session_id FROM sessions'),
      staleSessions: this.db.prepare<[number], { session_id: string }>('SELECT session_id FROM sessions WHERE touched <= ? LIMIT 500'),
      deleteEvents: this.db.prepare('DELETE FROM events WHERE session_id = ?'),
      deleteLabels: this.db.prepare('DELETE FROM labels WHERE session_id = ?'),
      deleteSession: this.db.prepare('DELETE FROM sessions WHERE session_id = ?'),
      sweepRecords: this.db.prepare('DELETE FROM records WHERE expires <= ?'),
    };
  }

  private readonly claimTx = (key: string, ttlMs: number): boolean => this.transactions.claim(key, ttlMs);

  private get transactions() {
    const tx = (this.compiledTx ??= {
      append: this.db.transaction((event: SessionEvent, state: SessionState, frame: string) => {
        const row = this.q.lastSeq.get(event.session_id);
        if (!row) throw new SeqConflictError(`unknown session ${event.session_id}`);
        if (event.seq !== row.seq + 1) throw new SeqConflictError(`seq ${event.seq} after ${row.seq}`);
        this.q.insertEvent.run(event.session_id, event.seq, frame);
        let snapshotSeq = row.state_seq;
        if (snapshotDue(event.seq, this.logLimit)) {
          this.q.updateState.run(JSON.stringify(state), event.seq, event.seq, this.now(), event.session_id);
          snapshotSeq = event.seq;
        } else this.q.updateSeq.run(event.seq, this.now(), event.session_id);
        // Never past the snapshot: a load needs every event after it (matters when a file written
        // with a larger log limit is reopened with a smaller one).
        const cut = Math.min(event.seq - this.logLimit, snapshotSeq);
        if (cut > 0) this.q.trim.run(event.session_id, cut);
      }),
      load: this.db.transaction((sessionId: string) => this.readSession(sessionId)),
      claim: this.db.transaction((key: string, ttlMs: number): boolean => {
        const t = this.now();
        const row = this.q.getClaim.get(key);
        if (row && row.until > t) return false;
        this.q.putClaim.run(key, t + ttlMs);
        return true;
      }),
    });
    return tx;
  }
  private compiledTx:
    | {
        append: (e: SessionEvent, s: SessionState, frame: string) => void;
        load: (sessionId: string) => { meta: SessionMeta; state: SessionState } | null;
        claim: (k: string, t: number) => boolean;
      }
    | undefined;

  async createSession(meta: SessionMeta, state: SessionState): Promise<void> {
    try {
      this.q.insertSession.run(meta.session_id, JSON.stringify(meta), JSON.stringify(state), state.seq, state.seq, this.now());
    } catch (err) {
      throw new SeqConflictError(`session ${meta.session_id}: ${String(err)}`);
    }
  }

  /** The snapshot and the events after it, read in one transaction (another process may be appending). */
  async loadSession(sessionId: string) {
    return this.transactions.load(sessionId);
  }

  private readSession(sessionId: string): { meta: SessionMeta; state: SessionState } | null {
    const row = this.q.loadSession.get(sessionId);
    if (!row) return null;
    let state = JSON.parse(row.state) as SessionState;
    for (const r of this.q.eventsAfter.all(sessionId, row.state_seq)) {
      const event = JSON.parse(r.event) as SessionEvent;
      if (event.seq !== state.seq + 1) break;
      state = reduce(state, event);
    }
    if (state.seq !== row.seq) throw new Error(`session ${sessionId}: the log does not reach back to its state snapshot (seq ${row.state_seq}) without a gap`);
    return { meta: JSON.parse(row.meta) as SessionMeta, state };
  }

  async append(event: SessionEvent, state: SessionState, frame = JSON.stringify(event)): Promise<void> {
    this.appendNow(event, state, frame);
  }

  /** Event, seq (and due snapshots) in one transaction; the seq check makes a second writer fail, not fork. */
  appendNow(event: SessionEvent, state: SessionState, frame: string): void {
    this.transactions.append(event, state, frame);
  }

  async eventsAfter(sessionId: string, afterSeq: number): Promise<EventsAfter> {
    const last = this.q.lastSeq.get(sessionId);
    if (!last || afterSeq > last.seq) return { kind: 'gone' };
    const first = this.q.firstSeq.get(sessionId)?.seq ?? last.seq + 1;
    if (afterSeq + 1 < first) return { kind: 'gone' };
    return { kind: 'events', events: this.q.eventsAfter.all(sessionId, afterSeq).map((r) => JSON.parse(r.event) as SessionEvent) };
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    if (Math.random() < 0.01) this.q.sweepClaims.run(this.now());
    return this.claimTx(key, ttlMs);
  }

  async release(key: string): Promise<void> {
    this.q.deleteClaim.run(key);
  }

  async putRecord(key: string, value: unknown, ttlMs?: number): Promise<void> {
    // Nothing lives forever: a record without a TTL of its own lives as long as a session.
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

  async listSessionIds(): Promise<string[]> {
    return this.q.listSessions.all().map((r) => r.session_id);
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
    this.q.sweepClaims.run(this.now());
    this.q.sweepRecords.run(this.now());
    return swept;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
