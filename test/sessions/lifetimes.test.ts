/**
 * Lifetimes: nothing stored lives forever. The SQLite and memory stores sweep sessions (state, log,
 * labels) untouched for the session TTL and expired claims and records, on a fake clock; the
 * companion's sweep also clears the email outbox and the session cache; on Redis every key the
 * BFF writes carries a TTL.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { EventStore } from '../../bff/sessions/store.ts';
import { initialState, reduce } from '../../shared/session.ts';
import type { SessionEvent } from '../../shared/protocol.ts';
import { FakeClock, newSession, QUOTE_PARAMS, startBff, TestClient, webhook, buyLabel } from '../helpers/bff.ts';
import { RedisServer, redisAvailable } from '../helpers/redis.ts';
import { testStores, type OpenTestStore } from '../helpers/stores.ts';

const HOUR = 60 * 60_000;
const TTL = 48 * HOUR;

/** A store on the fake clock (SQLite in a file); null for a kind whose keys expire by themselves (Redis: TTLs, below). */
const sweeping = async (open: OpenTestStore, clock: FakeClock): Promise<EventStore | null> => {
  const store = await open({ now: clock.now, logLimit: 1000, sessionTtlMs: TTL, file: join(mkdtempSync(join(tmpdir(), 'svx-life-')), 'svx.db') });
  if (store.sweep) return store;
  await store.close();
  return null;
};

async function sessionWithNote(store: EventStore, sid: string): Promise<void> {
  const state = initialState(sid);
  await store.log.createSession({ session_id: sid, created_at: '2026-11-24T15:00:00.000Z', origins: null, created_by: 'test' }, state);
  await note(store, sid, 1);
}

async function note(store: EventStore, sid: string, seq: number): Promise<void> {
  const loaded = await store.log.loadSession(sid);
  const event: SessionEvent = { type: 'contextual_update', text: `note ${seq}`, source: 'ui', seq, ts: '2026-11-24T15:00:00.000Z', session_id: sid };
  await store.log.append(event, reduce(loaded!.state, event));
}

for (const { kind, open } of testStores()) {
  describe(`lifetimes: ${kind} store sweep (fake clock)`, () => {
    it('keeps a session while it is used and deletes it, its log and its label one TTL after its last change', async (t) => {
      const clock = new FakeClock();
      const store = await sweeping(open, clock);
      if (!store) return t.skip('its keys expire by themselves');
      await sessionWithNote(store, 'ses_old');
      await sessionWithNote(store, 'ses_used');
      await store.kv.putLabelPdf('lbl_old', 'ses_old', new Uint8Array([1, 2, 3]));
      await store.kv.putLabelPdf('lbl_used', 'ses_used', new Uint8Array([4]));

      clock.advance(TTL - HOUR);
      await note(store, 'ses_used', 2); // touched: its lifetime starts again
      assert.deepEqual(await store.sweep!(), []);

      clock.advance(HOUR);
      assert.deepEqual(await store.sweep!(), ['ses_old']);
      assert.equal(await store.log.loadSession('ses_old'), null);
      assert.deepEqual(await store.log.eventsAfter('ses_old', 0), { kind: 'gone' });
      assert.equal(await store.kv.getLabelPdf('lbl_old'), undefined);
      assert.deepEqual(await store.log.listSessionIds(), ['ses_used']);
      assert.equal((await store.log.loadSession('ses_used'))?.state.seq, 2);
      assert.ok(await store.kv.getLabelPdf('lbl_used'));

      clock.advance(TTL);
      assert.deepEqual(await store.sweep!(), ['ses_used']);
      assert.deepEqual(await store.log.listSessionIds(), []);
      await store.close();
    });

    it('expired claims and records are deleted; a record without a TTL of its own lives as long as a session', async (t) => {
      const clock = new FakeClock();
      const store = await sweeping(open, clock);
      if (!store) return t.skip('its keys expire by themselves');
      assert.equal(await store.kv.claimOnce('c:short', HOUR), true);
      await store.kv.putRecord('r:short', { a: 1 }, HOUR);
      await store.kv.putRecord('r:forever?', { b: 2 });
      clock.advance(HOUR);
      await store.sweep!();
      assert.equal(await store.kv.getRecord('r:short'), undefined);
      assert.equal(await store.kv.claimOnce('c:short', HOUR), true, 'an expired claim can be taken again');
      assert.deepEqual(await store.kv.getRecord('r:forever?'), { b: 2 });
      clock.advance(TTL);
      await store.sweep!();
      assert.equal(await store.kv.getRecord('r:forever?'), undefined);
      await store.close();
    });
  });
}

describe('lifetimes: the companion sweep', () => {
  it('drops swept sessions from the cache, deletes old outbox files, and runs on SWEEP_INTERVAL_MS', async () => {
    const clock = new FakeClock();
    const dataDir = mkdtempSync(join(tmpdir(), 'svx-life-bff-'));
    const bff = await startBff({ now: clock.now, env: { DATA_DIR: dataDir, SESSION_TTL_MS: String(TTL), OUTBOX_TTL_MS: String(24 * HOUR), SWEEP_INTERVAL_MS: '0' } });
    try {
      const s = await newSession(bff);
      const q = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
      await buyLabel(bff, s.session_id, { quote_id: q.json.options[0].quote_id });
      const label = (await bff.companion.services.sessions.state(s.session_id)).label!;
      const ui = await TestClient.join(bff, s);
      ui.send({ type: 'ui_action', action: 'email_label', client_msg_id: 'em1', label_id: label.label_id, to: 'shopper@example.com' });
      await ui.waitFor((f) => f.type === 'ack' && f.client_msg_id === 'em1');
      ui.close();
      const outbox = join(dataDir, 'outbox');
      assert.equal(readdirSync(outbox).length, 1);

      clock.advance(24 * HOUR);
      assert.deepEqual(await bff.companion.sweep(), { sessions: 0, outbox: 1 });
      assert.equal(readdirSync(outbox).length, 0);
      assert.ok(await bff.companion.services.sessions.get(s.session_id));

      clock.advance(TTL);
      assert.deepEqual(await bff.companion.sweep(), { sessions: 1, outbox: 0 });
      assert.equal(await bff.companion.services.sessions.get(s.session_id), null, 'not served from the cache either');
      assert.equal((await fetch(new URL(label.pdf_url))).status, 403, 'the link expired long ago');
      assert.equal(await bff.companion.services.sessions.getLabelPdf(label.label_id), undefined);
      assert.ok(existsSync(dataDir));
    } finally {
      await bff.close();
    }
  });
});

const skip = redisAvailable() ? false : 'redis-server is not installed (scripts/ensure-system-deps.sh installs it)';

describe('lifetimes: Redis', { skip }, () => {
  let redis: RedisServer;
  before(async () => (redis = await RedisServer.start()));
  after(async () => await redis?.stop());

  it('every key a full flow writes (session, log, label, claims, records, email caps) has a TTL', async () => {
    const bff = await startBff({ env: { STORE: 'redis', REDIS_URL: redis.url, SESSION_TTL_MS: String(TTL) } });
    const client = new Redis(redis.url);
    try {
      const s = await newSession(bff);
      const ui = await TestClient.join(bff, s);
      const q = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, conversation_id: 'conv_1', ...QUOTE_PARAMS });
      await buyLabel(bff, s.session_id, { quote_id: q.json.options[0].quote_id });
      const label = (await bff.companion.services.sessions.state(s.session_id)).label!;
      ui.send({ type: 'ui_action', action: 'email_label', client_msg_id: 'em1', label_id: label.label_id, to: 'shopper@example.com' });
      await ui.waitFor((f) => f.type === 'ack' && f.client_msg_id === 'em1');
      ui.close();
      await bff.companion.services.sessions.putRecord('no-ttl-of-its-own', { x: 1 }); // gets the session's
      const keys = await client.keys('*');
      assert.ok(keys.length >= 8, keys.join(' '));
      for (const key of keys) {
        const ttl = await client.pttl(key);
        assert.ok(ttl > 0 && ttl <= TTL, `${key} has TTL ${ttl}`);
      }
    } finally {
      client.disconnect();
      await bff.close();
    }
  });
});
