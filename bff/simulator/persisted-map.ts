/**
 * The simulator's memory kept on disk (`dataFile`, SQLite): rates, labels and idempotency keys
 * outlive the process, so a BFF restart with the embedded simulator keeps the options Bob read
 * buyable and a purchase retried after a crash replayed, as a real backend would. A Map whose
 * set/delete write through; values are JSON.
 */
import Database from 'better-sqlite3';

export type SimulatorDb = Database.Database;

export function openSimulatorDb(file: string): SimulatorDb {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // A crash may lose the last writes of the OS's buffer; nothing here is worth an fsync per rate.
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, id TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, id))');
  return db;
}

export class PersistedMap<V> extends Map<string, V> {
  private readonly put: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly removeAll: Database.Statement;

  /** Loads the entries of `kind` (in the order they were first written) and writes through from then on. */
  constructor(
    db: SimulatorDb,
    private readonly kind: string,
    keep: (value: V) => boolean = () => true,
  ) {
    super();
    for (const row of db.prepare('SELECT id, value FROM entries WHERE kind = ? ORDER BY rowid').all(kind) as Array<{ id: string; value: string }>) {
      const value = JSON.parse(row.value) as V;
      if (keep(value)) super.set(row.id, value);
    }
    // An upsert keeps the row (and its rowid: the load order), as Map.set keeps a key's place.
    this.put = db.prepare('INSERT INTO entries (kind, id, value) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value');
    this.remove = db.prepare('DELETE FROM entries WHERE kind = ? AND id = ?');
    this.removeAll = db.prepare('DELETE FROM entries WHERE kind = ?');
  }

  override set(key: string, value: V): this {
    // Map's constructor calls set before the statements exist (it is never given entries here).
    this.put?.run(this.kind, key, JSON.stringify(value));
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.remove.run(this.kind, key);
    return super.delete(key);
  }

  override clear(): void {
    this.removeAll.run(this.kind);
    super.clear();
  }
}
