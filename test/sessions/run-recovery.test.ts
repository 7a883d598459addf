/**
 * Tool runs a crashed instance left in flight, on every store: the crash is written as it leaves
 * things (a tool_call_started in the log, a run record owned by an instance that stopped
 * renewing its lease), then a live BFF finishes them: by its heartbeat's sweep, or when the call
 * is resent with the same tool_call_id (socket or webhook). Each id starts once and has one result.
 */
import assert from 'node:assert/strict';
import { purchaseSummary } from '../../shared/summary.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CreateSessionResponse, SessionEvent } from '../../shared/protocol.ts';
import type { RunningServer } from '../../bff/server.ts';
import { MemoryStore } from '../../bff/sessions/memory-store.ts';
import { StoreUnavailableError } from '../../bff/sessions/store.ts';
import { runKey } from '../../bff/tools/ids.ts';
import { RUN_RECOVERY } from '../../bff/tools/runner.ts';
import { startSimulator } from '../../bff/simulator/simulator.ts';
import { FakeClock, newSession, QUOTE_PARAMS, startBff, TestClient, webhook, readSummary } from '../helpers/bff.ts';
import { GateProxy } from '../helpers/gate-proxy.ts';
import { testStores, type TestStore } from '../helpers/stores.ts';

const DEAD = 'bff_crashed';
const LEASE_MS = 1000;

async function bffOn(store: TestStore, clock: FakeClock): Promise<RunningServer> {
  return startBff({ env: { ...(await store.env()), RUN_LEASE_MS: String(LEASE_MS), SIGNING_SECRET: 'r'.repeat(40) }, now: clock.now });
}

/**
 * What a SIGKILL leaves: the run's tool_call_started logged, its record owned by an instance
 * (alive while this is written, so the live BFF's heartbeat leaves it alone; `crash` ends it).
 */
async function crashedRun(bff: RunningServer, sessionId: string, id: string, tool: string, parameters: Record<string, unknown>, attempts = 1, leaseMs = 3_600_000) {
  const { sessions } = bff.companion.services;
  await sessions.runs.renewOwner(DEAD, leaseMs);
  await sessions.runs.open({ session_id: sessionId, tool_call_id: id, owner: DEAD, attempts, started_at: Date.now() });
  await sessions.append(sessionId, { type: 'tool_call_started', tool_call_id: id, tool_name: tool, parameters, source: 'client' });
}

/** The crashed instance's lease is gone (its process stopped renewing it). */
const crash = (bff: RunningServer) => bff.companion.services.sessions.runs.dropOwner(DEAD);

async function log(bff: RunningServer, sessionId: string): Promise<SessionEvent[]> {
  const after = await bff.companion.services.sessions.eventsAfter(sessionId, 0);
  assert.equal(after.kind, 'events');
  return after.kind === 'events' ? after.events : [];
}

const ofId = (events: SessionEvent[], id: string, type: SessionEvent['type']) => events.filter((e) => e.type === type && 'tool_call_id' in e && e.tool_call_id === id);

async function assertFinishedOnce(bff: RunningServer, s: CreateSessionResponse, id: string) {
  const events = await log(bff, s.session_id);
  assert.equal(ofId(events, id, 'tool_call_started').length, 1, `one tool_call_started for ${id}`);
  assert.equal(ofId(events, id, 'client_tool_result').length, 1, `one client_tool_result for ${id}`);
  const state = await bff.companion.services.sessions.state(s.session_id);
  assert.deepEqual(state.running, [], 'no run left in progress');
  assert.equal(await bff.companion.services.sessions.runs.get(s.session_id, id), undefined, 'run record closed');
  return ofId(events, id, 'client_tool_result')[0] as Extract<SessionEvent, { type: 'client_tool_result' }>;
}

const result = (id: string) => (f: { type: string }) => f.type === 'client_tool_result' && (f as { tool_call_id?: string }).tool_call_id === id;

for (const store of testStores()) {
  const { kind } = store;
  describe(`runs left by a crashed instance (${kind} store)`, () => {
    it('the sweep re-runs get_shipping_quotes once the owner lease lapses, not before', async () => {
      const clock = new FakeClock();
      const bff = await bffOn(store, clock);
      try {
        const s = await newSession(bff);
        const ui = await TestClient.join(bff, s, 'ui');
        const runs = bff.companion.services.sessions.runs;
        await crashedRun(bff, s.session_id, 'tc-cut', 'get_shipping_quotes', QUOTE_PARAMS, 1, 60_000);
        await bff.companion.services.runner.sweep();
        assert.equal((await runs.get(s.session_id, 'tc-cut'))?.owner, DEAD, 'a live owner keeps its run');
        // The lease lapses: by the fake clock on memory and SQLite; on Redis the key is its TTL, so the owner's stop is what lapses.
        if (!store.fakeClock) await crash(bff);
        else clock.advance(60_001);
        await bff.companion.services.runner.sweep();
        const r = await ui.waitFor<any>(result('tc-cut'));
        assert.equal(r.is_error, false);
        assert.match(r.result, /^I found \d+ options?/);
        const done = await assertFinishedOnce(bff, s, 'tc-cut');
        assert.equal(done.seq, r.seq);
        const events = await log(bff, s.session_id);
        assert.equal(events.filter((e) => e.type === 'quotes_ready').length, 1);
        // The quote ids are the original run's (numbered from its tool_call_started).
        assert.equal((events.find((e) => e.type === 'quotes_ready') as any).request_id, `rq${ofId(events, 'tc-cut', 'tool_call_started')[0]!.seq}`);
        ui.close();
      } finally {
        await bff.close();
      }
    });

    it('create_label cut after the backend bought it, resent over the socket: resumed through the idempotency key, bought once, answered once', async () => {
      const clock = new FakeClock();
      const bff = await bffOn(store, clock);
      try {
        const s = await newSession(bff);
        const q = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
        const quoteId = q.json.options[1].quote_id as string;
        await readSummary(bff, s.session_id, { quote_id: quoteId });
        const state = await bff.companion.services.sessions.state(s.session_id);
        const quote = state.quotes!.quotes.find((x) => x.quote_id === quoteId)!;
        const summary = purchaseSummary(state)!;
        await crashedRun(bff, s.session_id, 'tc-buy', 'create_label', { quote_id: quoteId, confirmed: true });
        // The crashed instance's purchase (of the confirmed summary's addresses) reached ShipVox; its answer was lost with the process.
        await bff.companion.services.shipvox.createLabel(
          { rate_id: quote.rate_id, label_format: 'PDF_4x6', from_address: summary.sender!, to_address: summary.recipient! },
          `svx-${s.session_id}-${quoteId}`,
        );
        assert.equal(bff.simulator!.sim.stats().labels_purchased, 1);
        await crash(bff);

        const voice = await TestClient.join(bff, s, 'voice');
        voice.send({ type: 'client_tool_call', tool_call_id: 'tc-buy', tool_name: 'create_label', parameters: { quote_id: quoteId, confirmed: true } });
        const r = await voice.waitFor<any>(result('tc-buy'));
        assert.equal(r.is_error, false, r.result);
        const done = await assertFinishedOnce(bff, s, 'tc-buy');
        assert.equal(done.seq, r.seq);
        assert.equal(bff.simulator!.sim.stats().labels_purchased, 1, 'not bought twice');
        assert.ok(bff.simulator!.sim.stats().idempotent_replays >= 1);
        const events = await log(bff, s.session_id);
        assert.equal(events.filter((e) => e.type === 'label_created').length, 1);
        // The resend is answered once: a state check after it sees one result frame for tc-buy.
        voice.send({ type: 'client_tool_call', tool_call_id: 'tc-check', tool_name: 'get_session_state', parameters: {} });
        await voice.waitFor(result('tc-check'));
        assert.equal(voice.frames.filter(result('tc-buy')).length, 1);
        voice.close();
      } finally {
        await bff.close();
      }
    });

    it('a webhook resend with the same tool_call_id after the crash starts nothing new and gets the one result', async () => {
      const clock = new FakeClock();
      const bff = await bffOn(store, clock);
      try {
        const s = await newSession(bff);
        await crashedRun(bff, s.session_id, 'wh-1', 'get_shipping_quotes', QUOTE_PARAMS);
        await crash(bff);
        const first = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, tool_call_id: 'wh-1', ...QUOTE_PARAMS });
        assert.equal(first.status, 200);
        assert.ok(first.json.options.length > 0);
        const again = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, tool_call_id: 'wh-1', ...QUOTE_PARAMS });
        assert.deepEqual(again.json, first.json);
        await assertFinishedOnce(bff, s, 'wh-1');
        // A fresh id over the webhook is a new call; a bad one is refused with a clear error.
        const bad = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, tool_call_id: 'no spaces', ...QUOTE_PARAMS });
        assert.equal(bad.status, 400);
        assert.equal(bad.json.error.code, 'bad_request');
      } finally {
        await bff.close();
      }
    });

    it('a run too old to re-run is closed with a logged, speakable interrupted result', async () => {
      const clock = new FakeClock();
      const bff = await bffOn(store, clock);
      try {
        const s = await newSession(bff);
        const ui = await TestClient.join(bff, s, 'ui');
        await crashedRun(bff, s.session_id, 'tc-old', 'get_shipping_quotes', QUOTE_PARAMS);
        clock.advance(RUN_RECOVERY.resumeWithinMs + 1);
        await crash(bff);
        await bff.companion.services.runner.sweep();
        const r = await ui.waitFor<any>(result('tc-old'));
        assert.equal(r.is_error, true);
        assert.deepEqual(r.data, { code: 'interrupted' });
        assert.match(r.result, /^That was interrupted before it finished\. Here is where we are: Shipping from 10001 to 94105, 2 lb\./);
        assert.doesNotMatch(r.result, /still running/);
        await assertFinishedOnce(bff, s, 'tc-old');
        assert.equal((await bff.companion.services.sessions.state(s.session_id)).last_error?.code, 'interrupted');
        assert.equal(bff.simulator!.sim.stats().get_rates_calls, 0, 'not re-run');
        ui.close();
      } finally {
        await bff.close();
      }
    });

    it('a run that was already resumed once (it may be what kills the process) is closed, not run again', async () => {
      const clock = new FakeClock();
      const bff = await bffOn(store, clock);
      try {
        const s = await newSession(bff);
        await crashedRun(bff, s.session_id, 'tc-poison', 'get_shipping_quotes', QUOTE_PARAMS, RUN_RECOVERY.maxAttempts);
        await crash(bff);
        await bff.companion.services.runner.sweep();
        const r = await webhook(bff, 'get_session_state', { session_id: s.session_id, tool_call_id: 'tc-poison' });
        assert.equal(r.json.error, 'interrupted');
        const done = await assertFinishedOnce(bff, s, 'tc-poison');
        assert.equal(done.tool_name, 'get_shipping_quotes');
        assert.equal((await log(bff, s.session_id)).filter((e) => e.type === 'quotes_ready').length, 0);
      } finally {
        await bff.close();
      }
    });

    it('a result logged just before the crash (not yet stored) is kept: no second result, a resend gets it', async () => {
      const clock = new FakeClock();
      const bff = await bffOn(store, clock);
      try {
        const s = await newSession(bff);
        await crashedRun(bff, s.session_id, 'tc-late', 'get_session_state', {});
        const logged = await bff.companion.services.sessions.append(s.session_id, { type: 'client_tool_result', tool_call_id: 'tc-late', tool_name: 'get_session_state', is_error: false, result: 'Nothing has happened yet.', data: null });
        await crash(bff);
        await bff.companion.services.runner.sweep();
        const voice = await TestClient.join(bff, s, 'voice');
        voice.send({ type: 'client_tool_call', tool_call_id: 'tc-late', tool_name: 'get_session_state', parameters: {} });
        const r = await voice.waitFor<any>(result('tc-late'));
        assert.equal(r.seq, logged.seq);
        await assertFinishedOnce(bff, s, 'tc-late');
        voice.close();
      } finally {
        await bff.close();
      }
    });

    it('a run registered but never started: the sweep drops it, and the resend starts it once', async () => {
      const clock = new FakeClock();
      const bff = await bffOn(store, clock);
      try {
        const s = await newSession(bff);
        await bff.companion.services.sessions.runs.open({ session_id: s.session_id, tool_call_id: 'tc-never', owner: DEAD, attempts: 1, started_at: clock.now() });
        await bff.companion.services.runner.sweep();
        assert.equal(await bff.companion.services.sessions.runs.get(s.session_id, 'tc-never'), undefined);
        const r = await webhook(bff, 'get_session_state', { session_id: s.session_id, tool_call_id: 'tc-never' });
        assert.equal(r.status, 200);
        await assertFinishedOnce(bff, s, 'tc-never');
      } finally {
        await bff.close();
      }
    });

    it('a resend while another live instance runs the call waits for that run and answers its result', async () => {
      const clock = new FakeClock();
      const bff = await bffOn(store, clock);
      try {
        const s = await newSession(bff);
        const { sessions } = bff.companion.services;
        await crashedRun(bff, s.session_id, 'tc-other', 'get_session_state', {}); // its owner is alive: only slow
        const resend = webhook(bff, 'get_session_state', { session_id: s.session_id, tool_call_id: 'tc-other' });
        // The other instance finishes: logs the result, stores it, closes its record.
        const logged = await sessions.append(s.session_id, { type: 'client_tool_result', tool_call_id: 'tc-other', tool_name: 'get_session_state', is_error: false, result: 'Finished elsewhere.', data: null });
        await sessions.putRecord(runKey('tool', s.session_id, 'tc-other'), logged, 60_000);
        await sessions.runs.close(s.session_id, 'tc-other');
        const r = await resend;
        assert.equal(r.json.result, 'Finished elsewhere.');
        await assertFinishedOnce(bff, s, 'tc-other');
      } finally {
        await bff.close();
      }
    });
  });
}

describe('a resent client_tool_call is answered once', () => {
  it('after a reconnect that replayed its result, and after one that got a snapshot instead', async () => {
    const bff = await startBff();
    try {
      const s = await newSession(bff);
      const voice = await TestClient.join(bff, s, 'voice');
      voice.send({ type: 'client_tool_call', tool_call_id: 'tc-x', tool_name: 'get_session_state', parameters: {} });
      const first = await voice.waitFor<any>(result('tc-x'));
      voice.close();

      // Resumed from before the result: the replay carries it, the resend must not add a second copy.
      const replayed = await TestClient.join(bff, s, 'voice', first.seq - 1);
      replayed.send({ type: 'client_tool_call', tool_call_id: 'tc-x', tool_name: 'get_session_state', parameters: {} });
      replayed.send({ type: 'client_tool_call', tool_call_id: 'tc-y', tool_name: 'get_session_state', parameters: {} });
      await replayed.waitFor(result('tc-y'));
      assert.equal(replayed.frames.filter(result('tc-x')).length, 1);
      replayed.close();

      // A snapshot stood in for the log: the resend is answered with the original frame (same seq).
      const fresh = await TestClient.join(bff, s, 'voice');
      fresh.send({ type: 'client_tool_call', tool_call_id: 'tc-x', tool_name: 'get_session_state', parameters: {} });
      const again = await fresh.waitFor<any>(result('tc-x'));
      assert.equal(again.seq, first.seq);
      fresh.send({ type: 'client_tool_call', tool_call_id: 'tc-z', tool_name: 'get_session_state', parameters: {} });
      await fresh.waitFor(result('tc-z'));
      assert.equal(fresh.frames.filter(result('tc-x')).length, 1);
      fresh.close();
    } finally {
      await bff.close();
    }
  });
});

describe('a resend after a restart gets the first attempt’s answer, finished or failed (SQLite)', () => {
  it('the dedupe is stored: no second tool_call_started after the restart', async () => {
    const env = { STORE: 'sqlite', DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-runs-restart-')), SIGNING_SECRET: 'r'.repeat(40) };
    const first = await startBff({ env });
    const s = await newSession(first);
    const ok = await webhook(first, 'get_shipping_quotes', { session_id: s.session_id, tool_call_id: 'wh-ok', ...QUOTE_PARAMS });
    const failed = await webhook(first, 'get_shipping_quotes', { session_id: s.session_id, tool_call_id: 'wh-bad', ...QUOTE_PARAMS, to_zip: '1' });
    assert.equal(failed.json.error, 'invalid_zip');
    await first.close();
    const second = await startBff({ env });
    try {
      assert.deepEqual((await webhook(second, 'get_shipping_quotes', { session_id: s.session_id, tool_call_id: 'wh-ok', ...QUOTE_PARAMS })).json, ok.json);
      assert.deepEqual((await webhook(second, 'get_shipping_quotes', { session_id: s.session_id, tool_call_id: 'wh-bad', ...QUOTE_PARAMS, to_zip: '1' })).json, failed.json);
      const voice = await TestClient.join(second, s, 'voice');
      voice.send({ type: 'client_tool_call', tool_call_id: 'wh-ok', tool_name: 'get_shipping_quotes', parameters: QUOTE_PARAMS });
      const r = await voice.waitFor<any>(result('wh-ok'));
      assert.equal(r.result, ok.json.result);
      await assertFinishedOnce(second, s, 'wh-ok');
      await assertFinishedOnce(second, s, 'wh-bad');
      assert.equal(second.simulator!.sim.stats().get_rates_calls, 0, 'nothing asked again');
      voice.close();
    } finally {
      await second.close();
    }
  });
});

describe('a call resent over a new socket while it is still running', () => {
  it('is started once and its sender gets the result once', async () => {
    const sim = await startSimulator({ latencyMs: { USPS: 0, UPS: 0, FedEx: 0 } });
    const gate = await GateProxy.start(sim.url);
    const bff = await startBff({ env: { SHIPVOX_URL: gate.url } });
    try {
      const s = await newSession(bff);
      gate.hold('/get-rates', 'before');
      const call = { type: 'client_tool_call', tool_call_id: 'tc-slow', tool_name: 'get_shipping_quotes', parameters: QUOTE_PARAMS };
      const voice = await TestClient.join(bff, s, 'voice');
      voice.send(call);
      await gate.heldCount('/get-rates', 3);
      const started = await voice.waitFor<any>((f) => f.type === 'tool_call_started');
      voice.close();
      const again = await TestClient.join(bff, s, 'voice', started.seq);
      again.send(call);
      again.send({ type: 'ping', id: 'p1' });
      await again.waitFor((f) => f.type === 'pong');
      gate.open();
      await again.waitFor(result('tc-slow'));
      again.send({ type: 'client_tool_call', tool_call_id: 'tc-after', tool_name: 'get_session_state', parameters: {} });
      await again.waitFor(result('tc-after'));
      assert.equal(again.frames.filter(result('tc-slow')).length, 1);
      await assertFinishedOnce(bff, s, 'tc-slow');
      again.close();
    } finally {
      await bff.close();
      await gate.close();
      await sim.close();
    }
  });
});

describe('a run that failed midway in a live instance', () => {
  it('(its result could not be logged: the store was unreachable) is taken up again by the heartbeat and finished once', async () => {
    const store = new MemoryStore();
    const bff = await startBff({ store });
    try {
      const s = await newSession(bff);
      const { sessions, runner } = bff.companion.services;
      const appendNow = store.log.appendNow!;
      let refuse = 1;
      store.log.appendNow = (event, state, frame) => {
        if (event.type === 'client_tool_result' && refuse-- > 0) throw new StoreUnavailableError('store away for a moment');
        appendNow(event, state, frame);
      };
      const cut = await webhook(bff, 'get_session_state', { session_id: s.session_id, tool_call_id: 'tc-fail' });
      assert.equal(cut.json.error, 'backend_unavailable');
      assert.equal((await sessions.state(s.session_id)).running.length, 1, 'in progress, owned by this instance');
      await runner.sweep();
      await assertFinishedOnce(bff, s, 'tc-fail');
      const again = await webhook(bff, 'get_session_state', { session_id: s.session_id, tool_call_id: 'tc-fail' });
      assert.equal(again.json.error, undefined);
    } finally {
      await bff.close();
    }
  });
});
