/**
 * The session service's append paths: the synchronous one (stores that write synchronously —
 * memory, SQLite — with nothing queued on the session) must keep every rule of the queued one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Hub, type HubClient } from '../../bff/sessions/hub.ts';
import { SessionService } from '../../bff/sessions/service.ts';
import { SqliteStore } from '../../bff/sessions/sqlite-store.ts';
import type { EventStore } from '../../bff/sessions/store.ts';
import type { NewSessionEvent } from '../../shared/protocol.ts';
import { testStores } from '../helpers/stores.ts';

const note = (text: string): NewSessionEvent => ({ type: 'contextual_update', text, source: 'ui' });

/** A hub client that records the seqs it was sent. */
function recorder(): HubClient & { seqs: number[] } {
  const seqs: number[] = [];
  return { connectionId: 'c1', role: 'ui', seqs, sendRaw: (frame) => void seqs.push(JSON.parse(String(frame)).seq) };
}

async function serviceWithSession(store: EventStore) {
  const hub = new Hub();
  const service = new SessionService(store, hub);
  const { meta } = await service.create({ origins: null, created_by: 'secret' });
  const client = recorder();
  hub.join(meta.session_id, client);
  return { service, hub, client, sessionId: meta.session_id };
}

for (const { kind, open: makeStore } of testStores()) {
  describe(`session service appends (${kind} store)`, () => {
    it('appends in call order with consecutive seqs, publishes each once and keeps the cached state equal to the stored one', async () => {
      const store = await makeStore();
      const { service, client, sessionId } = await serviceWithSession(store);
      const appended = await Promise.all(Array.from({ length: 50 }, (_, i) => service.append(sessionId, note(`n${i}`))));
      assert.deepEqual(appended.map((e) => e.seq), Array.from({ length: 50 }, (_, i) => i + 1));
      assert.deepEqual(client.seqs, appended.map((e) => e.seq));
      assert.deepEqual((await store.log.loadSession(sessionId))?.state, await service.state(sessionId));
      await store.close();
    });

    it('an append made while exclusive work runs on the session waits for it', async () => {
      const store = await makeStore();
      const { service, client, sessionId } = await serviceWithSession(store);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const seen: number[] = [];
      const work = service.exclusive(sessionId, async (state) => {
        seen.push(state.seq);
        await gate;
        return service.state(sessionId);
      });
      const later = service.append(sessionId, note('after the work'));
      // Let every queued microtask run: the append must still be waiting on the gate.
      await new Promise<void>((r) => setImmediate(r));
      assert.deepEqual(client.seqs, [], 'nothing appended while the exclusive work holds the session');
      release();
      assert.equal((await work).seq, 0, 'the work saw no append interleave');
      assert.equal((await later).seq, 1);
      assert.deepEqual(seen, [0]);
      await store.close();
    });

    it('a decision that throws appends nothing and leaves the session usable', async () => {
      const store = await makeStore();
      const { service, client, sessionId } = await serviceWithSession(store);
      await assert.rejects(
        service.appendWith(sessionId, () => {
          throw new TypeError('refused');
        }),
        TypeError,
      );
      assert.equal((await service.append(sessionId, note('next'))).seq, 1);
      assert.deepEqual(client.seqs, [1]);
      await store.close();
    });

    it('events decided together are appended together, in order', async () => {
      const store = await makeStore();
      const { service, client, sessionId } = await serviceWithSession(store);
      const events = await service.appendWith(sessionId, (state) => [note(`a${state.seq}`), note('b'), note('c')]);
      assert.deepEqual(events.map((e) => [e.seq, e.type === 'contextual_update' && e.text]), [[1, 'a0'], [2, 'b'], [3, 'c']]);
      assert.deepEqual(client.seqs, [1, 2, 3]);
      await store.close();
    });
  });
}

describe('session service appends when another writer went first', () => {
  it('SQLite: a second process appended to the file meanwhile; this one reloads, decides on the fresh state and appends after it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'svx-service-')), 'sessions.db');
    const store = new SqliteStore(file);
    const a = await serviceWithSession(store);
    const otherStore = new SqliteStore(file);
    const b = new SessionService(otherStore, new Hub());
    await a.service.append(a.sessionId, note('from A'));
    await b.append(a.sessionId, note('from B'));
    const decidedOn: number[] = [];
    const event = await a.service.appendWith(a.sessionId, (state) => {
      decidedOn.push(state.seq);
      return [note(`after ${state.seq}`)];
    });
    assert.deepEqual(decidedOn, [1, 2], 'decided once on the stale cache, then on the reloaded state');
    assert.equal(event[0]?.seq, 3);
    assert.deepEqual(a.client.seqs, [1, 3], 'this instance published only what it appended');
    assert.deepEqual((await a.service.state(a.sessionId)).context.map((c) => c.text), ['from A', 'from B', 'after 2']);
    await otherStore.close();
    await store.close();
  });
});
