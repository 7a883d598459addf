/**
 * `npm run replay -- <session_id>`: replays a session's log (SQLite store in DATA_DIR) through
 * the shared reducer, printing the state after each event, and checks it ends at the state the store
 * loads (its last snapshot plus the events after it).
 */
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { deriveSteps, initialState, reduce } from '../shared/session.ts';
import { SqliteStore } from '../bff/sessions/sqlite-store.ts';

const sessionId = process.argv[2];
if (!sessionId) {
  console.error('usage: npm run replay -- <session_id>   (reads DATA_DIR, default ./data)');
  process.exit(2);
}
const store = new SqliteStore(join(resolve(process.env.DATA_DIR ?? './data'), 'companion.sqlite'));
const loaded = await store.log.loadSession(sessionId);
if (!loaded) {
  console.error(`no session ${sessionId}`);
  process.exit(1);
}
const log = await store.log.eventsAfter(sessionId, 0);
if (log.kind === 'gone') {
  console.error('the log no longer reaches back to seq 1 (trimmed); the stored state is:');
  console.log(JSON.stringify(loaded.state, null, 2));
  process.exit(1);
}
let state = initialState(sessionId);
for (const event of log.events) {
  state = reduce(state, event);
  const steps = deriveSteps(state).map((s) => `${s.id}${s.status === 'done' ? '✓' : s.status === 'active' ? '•' : ''}`).join(' ');
  console.log(`#${event.seq} ${event.type}  [${steps}]`);
  console.log(JSON.stringify(state));
}
const same = isDeepStrictEqual(state, loaded.state);
console.log(same ? `replayed ${log.events.length} events: state matches the live state` : 'MISMATCH: replayed state differs from the stored state');
await store.close();
process.exit(same ? 0 : 1);
