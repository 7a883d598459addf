import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Hub } from '../../bff/sessions/hub.ts';
import { SessionService } from '../../bff/sessions/service.ts';
import { SqliteStore } from '../../bff/sessions/sqlite-store.ts';
import { SNAPSHOT_EVERY } from '../../bff/sessions/store.ts';
import { initialState, reduce } from '../../shared/session.ts';
import type { SessionEvent } from '../../shared/protocol.ts';

const note = (sid: string, seq: number): SessionEvent => ({ type: 'contextual_update', text: `note ${seq}`, source: 'ui', seq, ts: '2026-11-26T08:00:00.000Z', session_id: sid });

/** A SQLite file holding one session with `count` notes appended through the service, closed again. */
async function fileWithNotes(prefix: string, count: number): Promise<{ file: string; sid: string }> {
  const file = join(mkdtempSync(join(tmpdir(), prefix)), 'svx.db');
  const store = new SqliteStore(file);
  const sessions = new SessionService(store, new Hub());
  const { meta } = await sessions.create({ origins: null, created_by: 'test' });
  for (let i = 1; i <= count; i++) await sessions.append(meta.session_id, { type: 'contextual_update', text: `note ${i}`, source: 'ui' });
  await store.close();
  return { file, sid: meta.session_id };
}

describe('SQLite store: state snapshots', () => {
  it('writes the state only every SNAPSHOT_EVERY events; the row between snapshots is older than the seq', async () => {
    const { file, sid } = await fileWithNotes('svx-sqlite-', SNAPSHOT_EVERY + 3);
    const db = new Database(file, { readonly: true });
    const row = db.prepare('SELECT seq, state_seq, state FROM sessions WHERE session_id = ?').get(sid) as { seq: number; state_seq: number; state: string };
    db.close();
    assert.equal(row.seq, SNAPSHOT_EVERY + 3);
    assert.equal(row.state_seq, SNAPSHOT_EVERY);
    assert.equal((JSON.parse(row.state) as { seq: number }).seq, SNAPSHOT_EVERY);
    // A restart (a new store on the same file) still loads the current state.
    const again = new SqliteStore(file);
    assert.deepEqual((await again.log.loadSession(sid))?.state.seq, SNAPSHOT_EVERY + 3);
    await again.close();
  });

  it('opens a data directory written before snapshots (no state_seq column): its state row is current, appends go on', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'svx-sqlite-old-')), 'svx.db');
    const sid = 'ses_from_an_older_version';
    let state = initialState(sid);
    const db = new Database(file);
    db.exec(`
      CREATE TABLE sessions (session_id TEXT PRIMARY KEY, meta TEXT NOT NULL, state TEXT NOT NULL, seq INTEGER NOT NULL);
      CREATE TABLE events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID;
    `);
    for (let seq = 1; seq <= 3; seq++) {
      state = reduce(state, note(sid, seq));
      db.prepare('INSERT INTO events VALUES (?, ?, ?)').run(sid, seq, JSON.stringify(note(sid, seq)));
    }
    db.prepare('INSERT INTO sessions VALUES (?, ?, ?, ?)').run(sid, JSON.stringify({ session_id: sid, created_at: '2026-11-20T00:00:00.000Z', origins: null, created_by: 'test' }), JSON.stringify(state), 3);
    db.close();

    const store = new SqliteStore(file);
    try {
      assert.deepEqual((await store.log.loadSession(sid))?.state, state);
      const next = reduce(state, note(sid, 4));
      await store.log.append(note(sid, 4), next);
      assert.deepEqual((await store.log.loadSession(sid))?.state, next);
    } finally {
      await store.close();
    }
  });

  it('a file reopened with a smaller log limit never trims past its snapshot; a log limit below 1 is refused', async () => {
    const { file, sid } = await fileWithNotes('svx-sqlite-limit-', SNAPSHOT_EVERY + 8);
    // Reopened with limit 10: snapshots every 10 events from now on, and the trim waits for them.
    const second = new SqliteStore(file, Date.now, 10);
    const again = new SessionService(second, new Hub());
    for (let i = 1; i <= 9; i++) {
      await again.append(sid, { type: 'contextual_update', text: `more ${i}`, source: 'voice' });
      const cold = await new SqliteStore(file, Date.now, 10).log.loadSession(sid);
      assert.deepEqual(cold?.state, await again.state(sid), `after ${i} more events`);
    }
    await second.close();
    assert.throws(() => new SqliteStore(':memory:', Date.now, 0), RangeError);
  });

  it('refuses to load a session whose log no longer reaches back to its snapshot, rather than return a stale state', async () => {
    const { file, sid } = await fileWithNotes('svx-sqlite-cut-', 5);
    const db = new Database(file);
    db.prepare('DELETE FROM events WHERE session_id = ? AND seq = 2').run(sid);
    db.close();
    const again = new SqliteStore(file);
    await assert.rejects(again.log.loadSession(sid), /does not reach back to its state snapshot/);
    await again.close();
  });
});
