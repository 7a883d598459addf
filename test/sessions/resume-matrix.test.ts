import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerFrame } from '../../shared/protocol.ts';
import { Hub, type HubClient } from '../../bff/sessions/hub.ts';
import { SessionService } from '../../bff/sessions/service.ts';
import type { EventStore } from '../../bff/sessions/store.ts';
import { testStores } from '../helpers/stores.ts';

const LOG_LIMIT = 5;

/** Centrifugo-style recovery matrix: (events in log, client's last_seq) → what it receives. */
const CASES: Array<{ name: string; events: number; lastSeq: number | undefined; expect: 'snapshot' | number[] }> = [
  { name: 'no last_seq: a fresh client', events: 3, lastSeq: undefined, expect: 'snapshot' },
  { name: 'up to date', events: 3, lastSeq: 3, expect: [] },
  { name: 'missed some', events: 4, lastSeq: 1, expect: [2, 3, 4] },
  { name: 'last_seq 0 with the whole log kept', events: 4, lastSeq: 0, expect: [1, 2, 3, 4] },
  { name: 'empty session, last_seq 0', events: 0, lastSeq: 0, expect: [] },
  { name: 'last_seq from the future', events: 3, lastSeq: 9, expect: 'snapshot' },
  { name: 'log no longer reaches back (trimmed)', events: 9, lastSeq: 2, expect: 'snapshot' },
  { name: 'exactly at the trim boundary', events: 9, lastSeq: 4, expect: [5, 6, 7, 8, 9] },
  { name: 'last_seq 0 after trimming', events: 9, lastSeq: 0, expect: 'snapshot' },
  { name: 'the log trimmed more than once over', events: 13, lastSeq: 9, expect: [10, 11, 12, 13] },
  { name: 'one past the trim boundary after many trims', events: 13, lastSeq: 7, expect: 'snapshot' },
];

const client: HubClient = { connectionId: 'c', role: 'ui', sendRaw: () => undefined };

/** Appends more events than the log keeps (and than Redis's snapshot interval); a load must still give the writer's state. */
async function coldLoad(makeStore: () => EventStore | Promise<EventStore>): Promise<void> {
  const store = await makeStore();
  try {
    const writer = new SessionService(store, new Hub());
    const { meta } = await writer.create({ origins: null, created_by: 'test' });
    for (let i = 1; i <= 75; i++) {
      await writer.append(meta.session_id, { type: 'contextual_update', text: `note ${i}`, source: i % 2 ? 'ui' : 'voice' });
      if (i % 7 === 0 || i === 75) {
        const loaded = await store.log.loadSession(meta.session_id);
        assert.deepEqual(loaded?.state, await writer.state(meta.session_id), `after ${i} events`);
      }
    }
  } finally {
    await store.close();
  }
}

for (const { kind: storeName, open } of testStores()) {
  const makeStore = () => open({ logLimit: LOG_LIMIT });
  describe(`resume matrix on ${storeName}`, () => {
    for (const c of CASES) {
      it(c.name, async () => {
        const store = await makeStore();
        const sessions = new SessionService(store, new Hub());
        const { meta } = await sessions.create({ origins: null, created_by: 'test' });
        for (let i = 0; i < c.events; i++) {
          await sessions.append(meta.session_id, { type: 'contextual_update', text: `note ${i + 1}`, source: 'ui' });
        }
        let got: { resumed: boolean; frames: ServerFrame[] } | undefined;
        await sessions.attach(meta.session_id, client, c.lastSeq, (resumed, frames) => (got = { resumed, frames }));
        assert.ok(got);
        if (c.expect === 'snapshot') {
          assert.equal(got.resumed, false);
          assert.equal(got.frames.length, 1);
          const snap = got.frames[0] as Extract<ServerFrame, { type: 'snapshot' }>;
          assert.equal(snap.type, 'snapshot');
          assert.equal(snap.seq, c.events);
          assert.equal(snap.state.seq, c.events);
        } else {
          assert.equal(got.resumed, true);
          assert.deepEqual(got.frames.map((f) => ('seq' in f ? f.seq : -1)), c.expect);
          assert.ok(got.frames.every((f) => f.type === 'contextual_update'));
        }
        await store.close();
      });
    }

    it('an event replayed by resync is not sent again when another instance\'s copy arrives', async () => {
      const store = await makeStore();
      const a = new SessionService(store, new Hub());
      const b = new SessionService(store, new Hub()); // a second instance on the same store
      const { meta } = await a.create({ origins: null, created_by: 'test' });
      const received: number[] = [];
      const screen: HubClient = { connectionId: 's', role: 'ui', sendRaw: (f) => received.push((JSON.parse(String(f)) as { seq: number }).seq) };
      await a.attach(meta.session_id, screen, 0, () => undefined);
      const event = await b.append(meta.session_id, { type: 'contextual_update', text: 'from B', source: 'voice' });
      // The screen saw a gap first and asked; then B's publish reaches A.
      await a.resync(meta.session_id, screen, 0, (frames) => frames.forEach((f) => screen.sendRaw(JSON.stringify(f), f.type)));
      a.applyRemote(event);
      const next = await b.append(meta.session_id, { type: 'contextual_update', text: 'then this', source: 'voice' });
      a.applyRemote(next);
      assert.deepEqual(received, [1, 2]);
      await store.close();
    });

    it('a cold load (another instance, a restart) rebuilds exactly the state the writer holds', () => coldLoad(makeStore));
    // With their default log limit the stores snapshot the state every SNAPSHOT_EVERY events, not every LOG_LIMIT.
    it('a cold load with the default log limit (state snapshots between events)', () => coldLoad(() => open()));

    it('refuses a gap or a duplicate seq at the store (one writer)', async () => {
      const store = await makeStore();
      const sessions = new SessionService(store, new Hub());
      const { meta, state } = await sessions.create({ origins: null, created_by: 'test' });
      const ev = { type: 'contextual_update' as const, text: 'x', source: 'ui' as const, ts: new Date().toISOString(), session_id: meta.session_id };
      await assert.rejects(store.log.append({ ...ev, seq: 2 }, state), /seq/);
      await store.log.append({ ...ev, seq: 1 }, { ...state, seq: 1 });
      await assert.rejects(store.log.append({ ...ev, seq: 1 }, state), /seq/);
      await store.close();
    });
  });
}
