/** Run records in the SQLite file beside the log (tables `runs` and `run_owners`). */
import type Database from 'better-sqlite3';
import type { RunRecord, RunRecords } from './run-records.ts';

export class SqliteRunRecords implements RunRecords {
  private readonly q;
  private readonly openTx: (run: RunRecord) => RunRecord | null;
  private readonly adoptTx: (sessionId: string, toolCallId: string, from: string, to: string) => RunRecord | null;

  constructor(
    db: Database.Database,
    private readonly now: () => number,
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS runs (session_id TEXT NOT NULL, tool_call_id TEXT NOT NULL, owner TEXT NOT NULL, attempts INTEGER NOT NULL, started_at INTEGER NOT NULL, PRIMARY KEY (session_id, tool_call_id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS run_owners (owner TEXT PRIMARY KEY, until INTEGER NOT NULL) WITHOUT ROWID;
    `);
    this.q = {
      insert: db.prepare('INSERT OR IGNORE INTO runs (session_id, tool_call_id, owner, attempts, started_at) VALUES (?, ?, ?, ?, ?)'),
      get: db.prepare<[string, string], RunRecord>('SELECT session_id, tool_call_id, owner, attempts, started_at FROM runs WHERE session_id = ? AND tool_call_id = ?'),
      adopt: db.prepare('UPDATE runs SET owner = ?, attempts = attempts + 1 WHERE session_id = ? AND tool_call_id = ? AND owner = ?'),
      delete: db.prepare('DELETE FROM runs WHERE session_id = ? AND tool_call_id = ?'),
      renew: db.prepare('INSERT OR REPLACE INTO run_owners (owner, until) VALUES (?, ?)'),
      drop: db.prepare('DELETE FROM run_owners WHERE owner = ?'),
      owner: db.prepare<[string], { until: number }>('SELECT until FROM run_owners WHERE owner = ?'),
      sweepOwners: db.prepare('DELETE FROM run_owners WHERE until <= ?'),
      orphaned: db.prepare<[string, number], RunRecord>(
        'SELECT r.session_id, r.tool_call_id, r.owner, r.attempts, r.started_at FROM runs r LEFT JOIN run_owners o ON o.owner = r.owner WHERE r.owner != ? AND (o.until IS NULL OR o.until <= ?)',
      ),
    };
    this.openTx = db.transaction((run: RunRecord) => {
      if (this.q.insert.run(run.session_id, run.tool_call_id, run.owner, run.attempts, run.started_at).changes === 1) return null;
      return this.q.get.get(run.session_id, run.tool_call_id) ?? null;
    });
    this.adoptTx = db.transaction((sessionId: string, toolCallId: string, from: string, to: string) =>
      this.q.adopt.run(to, sessionId, toolCallId, from).changes === 1 ? (this.q.get.get(sessionId, toolCallId) ?? null) : null,
    );
  }

  async open(run: RunRecord): Promise<RunRecord | null> {
    return this.openTx(run);
  }

  async get(sessionId: string, toolCallId: string): Promise<RunRecord | undefined> {
    return this.q.get.get(sessionId, toolCallId);
  }

  async adopt(sessionId: string, toolCallId: string, from: string, to: string): Promise<RunRecord | null> {
    return this.adoptTx(sessionId, toolCallId, from, to);
  }

  async close(sessionId: string, toolCallId: string): Promise<void> {
    this.q.delete.run(sessionId, toolCallId);
  }

  async renewOwner(owner: string, ttlMs: number): Promise<void> {
    this.q.renew.run(owner, this.now() + ttlMs);
  }

  async dropOwner(owner: string): Promise<void> {
    this.q.drop.run(owner);
  }

  async ownerAlive(owner: string): Promise<boolean> {
    return (this.q.owner.get(owner)?.until ?? 0) > this.now();
  }

  async orphaned(self: string): Promise<RunRecord[]> {
    const t = this.now();
    const runs = this.q.orphaned.all(self, t);
    this.q.sweepOwners.run(t);
    return runs;
  }
}
