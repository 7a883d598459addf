/**
 * Two BFF instances sharing one real Redis (a redis-server on a free port): any instance serves
 * any session, sockets on both see the same events in the same order, an instance going away
 * (closed, or its process killed) loses nothing, and a Redis restart is survived with a clear
 * degraded state meanwhile. Most cases run both instances in this process; the kill case runs
 * two bff/main.ts processes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CreateSessionResponse, SessionEvent } from '../../shared/protocol.ts';
import type { RunningServer } from '../../bff/server.ts';
import { RedisStore } from '../../bff/sessions/redis-store.ts';
import { initialState, reduce } from '../../shared/session.ts';
import { SeqConflictError } from '../../bff/sessions/store.ts';
import { startSimulator } from '../../bff/simulator/simulator.ts';
import { ADMIN_TOKEN, newSession, QUOTE_PARAMS, startBff, TestClient, ticketFor, webhook, buyLabel } from '../helpers/bff.ts';
import { startMain, type MainProcess } from '../helpers/main-process.ts';
import { RedisServer, redisAvailable } from '../helpers/redis.ts';

const skip = redisAvailable() ? false : 'redis-server is not installed (scripts/ensure-system-deps.sh installs it)';
const SECRET = 's'.repeat(40);

type Sim = Awaited<ReturnType<typeof startSimulator>>;

async function pair(redis: RedisServer, sim: Sim): Promise<[RunningServer, RunningServer]> {
  const env = { STORE: 'redis', REDIS_URL: redis.url, SIGNING_SECRET: SECRET, SHIPVOX_URL: sim.url };
  return [await startBff({ env }), await startBff({ env })];
}

/** Waits until the client has received the logged event with this seq. */
function upTo(c: TestClient, seq: number) {
  return c.waitFor((f) => 'seq' in f && 'ts' in f && f.seq === seq);
}

/** Polls a condition (each try is a real request, no fixed sleep decides the outcome). */
async function until(cond: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const seqs = (c: TestClient) => c.events().map((e) => e.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('two instances on one Redis', { skip }, () => {
  let redis: RedisServer;
  let sim: Sim;
  before(async () => {
    redis = await RedisServer.start();
    sim = await startSimulator({ latencyMs: { USPS: 0, UPS: 0, FedEx: 0 } });
  });
  after(async () => {
    await sim?.close();
    await redis?.stop();
  });

  it('a webhook on A reaches UI sockets on A and B: identical events, identical order', async () => {
    const [a, b] = await pair(redis, sim);
    try {
      const s = await newSession(a);
      const onA = await TestClient.join(a, s, 'ui');
      const onB = await TestClient.join(b, s, 'ui');
      const q = await webhook(a, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
      assert.ok(q.json.options?.length > 0, JSON.stringify(q.json));
      // A UI action on B and a label bought through B: writes from both instances interleave.
      onB.send({ type: 'ui_action', action: 'select_quote', client_msg_id: 'm1', quote_id: q.json.options[1].quote_id });
      await onB.waitFor((f) => f.type === 'ack');
      const l = await buyLabel(b, s.session_id, { quote_id: q.json.options[0].quote_id });
      assert.ok(l.json.tracking_number, JSON.stringify(l.json));
      const last = (await a.companion.services.sessions.stored(s.session_id))!.state.seq;
      await upTo(onA, last);
      await upTo(onB, last);
      assert.deepEqual(seqs(onA), range(1, last));
      assert.deepEqual(onA.events(), onB.events());
      // Both instances agree on the state; the label PDF is served by either.
      assert.deepEqual(await a.companion.services.sessions.state(s.session_id), await b.companion.services.sessions.state(s.session_id));
      const state = await b.companion.services.sessions.state(s.session_id);
      const pdf = await fetch(state.label!.pdf_url.replace(/^http:\/\/[^/]+/, a.url));
      assert.equal(pdf.status, 200);
      assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 4).toString(), '%PDF');
      onA.close();
      onB.close();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('clients attaching on B while A appends get replay + live with no gap or duplicate', async () => {
    const [a, b] = await pair(redis, sim);
    try {
      const s = await newSession(a);
      const N = 150;
      const writes: Array<Promise<unknown>> = [];
      const joins: Array<Promise<TestClient>> = [];
      for (let i = 0; i < N; i++) {
        writes.push(a.companion.services.sessions.append(s.session_id, { type: 'contextual_update', text: `n${i}`, source: 'ui' }));
        if (i % 30 === 10) joins.push(TestClient.join(b, s, 'ui', 0), TestClient.join(b, s, 'ui'));
      }
      await Promise.all(writes);
      const clients = await Promise.all(joins);
      for (const c of clients) {
        await upTo(c, N);
        const snap = c.frames.find((f) => f.type === 'snapshot') as { seq: number } | undefined;
        const from = snap ? snap.seq + 1 : 1;
        assert.deepEqual(seqs(c), range(from, N), `client ${snap ? `from snapshot ${snap.seq}` : 'replayed from 0'}`);
        c.close();
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('A goes away mid-flow: its clients resume on B with nothing lost', async () => {
    const [a, b] = await pair(redis, sim);
    try {
      const s: CreateSessionResponse = await newSession(a);
      const ui = await TestClient.join(a, s, 'ui');
      const q = await webhook(a, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
      const quoteSeq = (await a.companion.services.sessions.state(s.session_id)).seq;
      await upTo(ui, quoteSeq);
      await a.close();
      assert.equal((await ui.waitClosed()).code, 1001);
      const lastSeen = ui.events().at(-1)!.seq;

      // Meanwhile Bob keeps going through B (the load balancer sends the webhook there).
      const l = await buyLabel(b, s.session_id, { quote_id: q.json.options[0].quote_id });
      assert.ok(l.json.tracking_number);
      const back = await TestClient.join(b, s, 'ui', lastSeen);
      assert.equal((back.frames[0] as { resumed: boolean }).resumed, true);
      const last = (await b.companion.services.sessions.state(s.session_id)).seq;
      await upTo(back, last);
      assert.deepEqual([...seqs(ui), ...seqs(back)], range(1, last));
      back.close();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('two BFF processes: A is killed (SIGKILL) mid-flow, its clients resume on B with nothing lost', async () => {
    const env = {
      STORE: 'redis',
      REDIS_URL: redis.url,
      SIGNING_SECRET: SECRET,
      SHIPVOX_URL: sim.url,
      RATE_LIMIT_FRAMES_PER_SEC: '100000',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-kill-')),
    };
    const started: MainProcess[] = [];
    const start = async () => {
      const p = await startMain(env);
      started.push(p);
      return p;
    };
    try {
      const a = await start();
      const b = await start();
      const s = await newSession(a.bff);
      const onA = await TestClient.join(a.bff, s, 'ui');
      const onB = await TestClient.join(b.bff, s, 'ui');
      const voice = await TestClient.join(a.bff, s, 'voice');
      const q = await webhook(a.bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
      assert.ok(q.json.options?.length > 0, JSON.stringify(q.json));
      // Bob keeps talking through A; A dies in the middle of it, with no chance to close anything.
      for (let i = 0; i < 300; i++) voice.send({ type: 'contextual_update', text: `update ${i}` });
      await onA.waitFor((f) => f.type === 'contextual_update' && f.text === 'update 30');
      a.proc.kill('SIGKILL');
      assert.equal((await a.exited).signal, 'SIGKILL');
      assert.equal((await onA.waitClosed()).code, 1006);
      const lastSeen = onA.events().at(-1)!.seq;

      // The load balancer now sends everything to B: the label is bought there, A's UI comes back there.
      const l = await buyLabel(b.bff, s.session_id, { quote_id: q.json.options[0].quote_id });
      assert.ok(l.json.tracking_number, JSON.stringify(l.json));
      const back = await TestClient.join(b.bff, s, 'ui', lastSeen);
      assert.equal((back.frames[0] as { resumed: boolean }).resumed, true);

      const res = await fetch(`${b.bff.url}/v1/admin/sessions/${s.session_id}/log`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(res.status, 200);
      const log = ((await res.json()) as { events: Array<{ seq: number; type: string }> }).events;
      const last = log.at(-1)!.seq;
      assert.ok(log.some((e) => e.type === 'label_created'), 'the label bought on B is logged');
      assert.ok(log.some((e) => e.type === 'contextual_update'), 'some of the burst was logged before the kill');
      await upTo(onB, last);
      await upTo(back, last);
      assert.deepEqual(log.map((e) => e.seq), range(1, last), 'the log has no gap');
      // Every logged event reached the socket on B once, in order, and A's UI has them all too:
      // what it saw before the kill and what B replayed after it, the very same events.
      assert.deepEqual(seqs(onB), range(1, last));
      assert.deepEqual([...onA.events(), ...back.events()], onB.events());
      onB.close();
      back.close();
    } finally {
      for (const p of started) p.proc.kill('SIGKILL');
    }
  });

  it('a Redis restart: /readyz degraded and typed unavailable errors meanwhile, then recovery', async () => {
    const [a, b] = await pair(redis, sim);
    try {
      const s = await newSession(a);
      const onA = await TestClient.join(a, s, 'ui');
      const onB = await TestClient.join(b, s, 'ui');
      await webhook(a, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
      const before = (await a.companion.services.sessions.state(s.session_id)).seq;
      await upTo(onB, before);
      const ticket = await ticketFor(a, s); // fetched before the outage, used during it

      await redis.shutdown();
      const ready = async (bff: RunningServer) => {
        const r = await fetch(`${bff.url}/readyz`);
        return { status: r.status, json: (await r.json()) as { ok: boolean; store: string } };
      };
      await until(async () => (await ready(a)).status === 503, 'A degraded');
      assert.deepEqual((await ready(a)).json.store, 'degraded');
      const down = await webhook(a, 'get_session_state', { session_id: s.session_id });
      assert.equal(down.status, 200);
      assert.equal(down.json.error, 'backend_unavailable');
      onB.send({ type: 'contextual_update', text: 'while redis is down' });
      const err = await onB.waitFor((f) => f.type === 'error');
      assert.equal((err as { code: string }).code, 'unavailable');
      assert.equal((err as { retryable: boolean }).retryable, true);
      // A socket opened meanwhile is closed 1013 (try again later), and its ticket is not burnt.
      const meanwhile = await TestClient.open(`${ticket.ws_url}?ticket=${ticket.ticket}`);
      assert.equal((await meanwhile.waitClosed()).code, 1013);

      await redis.startAgain();
      await until(async () => (await ready(a)).status === 200 && (await ready(b)).status === 200, 'both ready again');
      const retried = await TestClient.open(`${ticket.ws_url}?ticket=${ticket.ticket}`);
      retried.send({ type: 'hello', role: 'ui', last_seq: before });
      assert.equal((await retried.waitFor((f) => f.type === 'welcome')).type, 'welcome');
      retried.close();
      const up = await webhook(b, 'get_session_state', { session_id: s.session_id });
      assert.equal(up.json.error, undefined, JSON.stringify(up.json));
      const last = (await b.companion.services.sessions.state(s.session_id)).seq;
      assert.ok(last > before);
      await upTo(onA, last);
      await upTo(onB, last);
      assert.deepEqual(seqs(onA), range(1, last));
      assert.deepEqual(onA.events(), onB.events());
      onA.close();
      onB.close();
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('RedisStore', { skip }, () => {
  let redis: RedisServer;
  before(async () => {
    redis = await RedisServer.start();
  });
  after(async () => {
    await redis?.stop();
  });

  it('claims, records, binary label PDFs, listing, and one writer per seq across instances', async () => {
    const one = await RedisStore.connect(redis.url, { prefix: 'unit:' });
    const two = await RedisStore.connect(redis.url, { prefix: 'unit:' });
    try {
      assert.equal(await one.kv.claimOnce('k', 10_000), true);
      assert.equal(await two.kv.claimOnce('k', 10_000), false);
      await one.kv.releaseClaim('k');
      assert.equal(await two.kv.claimOnce('k', 10_000), true);

      await one.kv.putRecord('r', { a: [1, 2] });
      assert.deepEqual(await two.kv.getRecord('r'), { a: [1, 2] });
      assert.equal(await two.kv.getRecord('missing'), undefined);

      const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x80, 0x0a]);
      await one.kv.putLabelPdf('lbl_1', 'ses_x', pdf);
      assert.deepEqual(await two.kv.getLabelPdf('lbl_1'), { session_id: 'ses_x', pdf });

      const meta = { session_id: 'ses_unit', created_at: new Date().toISOString(), origins: null, created_by: 'secret' };
      const state = (await import('../../shared/session.ts')).initialState('ses_unit');
      await one.log.createSession(meta, state);
      await assert.rejects(two.log.createSession(meta, state), SeqConflictError);
      assert.deepEqual(await two.log.listSessionIds(), ['ses_unit']);
      const ev = { type: 'contextual_update' as const, text: 'x', source: 'ui' as const, ts: new Date().toISOString(), session_id: 'ses_unit', seq: 1 };
      const results = await Promise.allSettled([one.log.append(ev, { ...state, seq: 1 }), two.log.append(ev, { ...state, seq: 1 })]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      assert.ok((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason instanceof SeqConflictError);
      assert.equal(await one.ready(), true);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('the log is bounded by age: entries older than logMaxAgeMs go as snapshots are written, 64 at a time, the state stays whole', async () => {
    let t = Date.parse('2026-11-27T00:00:00.000Z');
    const store = await RedisStore.connect(redis.url, { prefix: 'age:', logMaxAgeMs: 60_000, now: () => t });
    const sid = 'ses_age';
    let state = initialState(sid);
    const logUpTo = async (to: number) => {
      for (let seq = state.seq + 1; seq <= to; seq++) {
        // A lone surrogate (JSON.parse lets one through; Redis's own JSON decoder would refuse it) in the entry trimmed first.
        const ev: SessionEvent = { type: 'contextual_update', text: seq === 1 ? 'n1 \ud83d' : `n${seq}`, source: 'ui', ts: new Date(t).toISOString(), session_id: sid, seq };
        state = reduce(state, ev);
        await store.log.append(ev, state);
      }
    };
    const oldest = async () => {
      for (let after = 0; after < state.seq; after++) if ((await store.log.eventsAfter(sid, after)).kind === 'events') return after + 1;
      return state.seq + 1;
    };
    try {
      await store.log.createSession({ session_id: sid, created_at: new Date(t).toISOString(), origins: null, created_by: 'secret' }, state);
      await logUpTo(100); // snapshots at 32, 64, 96: nothing is old yet
      assert.equal(await oldest(), 1);
      t += 120_000;
      await logUpTo(127);
      assert.equal(await oldest(), 1, 'trimmed only when a snapshot is written');
      await logUpTo(128); // a snapshot: the 64 oldest of the 100 old entries go
      assert.equal(await oldest(), 65);
      await logUpTo(160); // the next one: the rest of them, none of the young
      assert.equal(await oldest(), 101);
      const tail = await store.log.eventsAfter(sid, 100);
      assert.deepEqual(tail.kind === 'events' && tail.events.map((e) => e.seq), Array.from({ length: 60 }, (_, i) => 101 + i));
      assert.deepEqual((await store.log.loadSession(sid))!.state, state);
    } finally {
      await store.close();
    }
  });
});
