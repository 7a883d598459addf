/**
 * The chaos test's SIGKILL part (see test/sessions/chaos.test.ts for drops and a graceful restart): bff/main.ts processes
 * killed with tool calls provably in flight (a gate holds their ShipVox requests): a quote request
 * over the socket, a label bought over the webhook whose answer never left ShipVox, and a quote
 * request over the webhook nobody resends. On SQLite the next process finishes them; on Redis the
 * other instance does. Each id starts once and has one result; no run is left in progress.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionEvent } from '../../shared/protocol.ts';
import type { RunningServer } from '../../bff/server.ts';
import { startSimulator } from '../../bff/simulator/simulator.ts';
import { ADMIN_TOKEN, newSession, QUOTE_PARAMS, TestClient, webhook, readSummary } from './bff.ts';
import { GateProxy } from './gate-proxy.ts';
import { startMain, type MainProcess } from './main-process.ts';
import { RedisServer } from './redis.ts';

/** The scenario on one store; each store's test file runs it (one file per store: the per-file time limit). */
export async function sigkillMidCall(kind: 'sqlite' | 'redis'): Promise<void> {
  const sim = await startSimulator({ latencyMs: { USPS: 0, UPS: 0, FedEx: 0 } });
  const gate = await GateProxy.start(sim.url);
  const redis = kind === 'redis' ? await RedisServer.start() : undefined;
  const env: Record<string, string> = {
    STORE: kind,
    SIGNING_SECRET: 'c'.repeat(40),
    SHIPVOX_URL: gate.url,
    SHIPVOX_TIMEOUT_MS: '60000',
    // Longer than a restart takes: the resends arrive while the killed owner's lease still holds its runs.
    RUN_LEASE_MS: '4000',
    ...(redis ? { REDIS_URL: redis.url } : { DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-chaos-kill-')) }),
  };
  const procs: MainProcess[] = [];
  const start = async () => {
    const p = await startMain(env);
    procs.push(p);
    return p;
  };
  try {
    const a = await start();
    const b = kind === 'redis' ? await start() : undefined; // the instance that outlives A
    const [s1, s2, s3] = [await newSession(a.bff), await newSession(a.bff), await newSession(a.bff)];
    const quoted = await webhook(a.bff, 'get_shipping_quotes', { session_id: s2.session_id, ...QUOTE_PARAMS });
    const quoteId = quoted.json.options[0].quote_id as string;
    await readSummary(a.bff, s2.session_id, { quote_id: quoteId });

    gate.hold('/get-rates', 'before');
    gate.hold('/create-label', 'after');
    const voice = await TestClient.join(a.bff, s1, 'voice');
    const call = { type: 'client_tool_call', tool_call_id: 'tc-kill', tool_name: 'get_shipping_quotes', parameters: QUOTE_PARAMS };
    voice.send(call);
    const cut = [
      webhook(a.bff, 'create_label', { session_id: s2.session_id, tool_call_id: 'wh-buy', quote_id: quoteId, confirmed: true }),
      webhook(a.bff, 'get_shipping_quotes', { session_id: s3.session_id, tool_call_id: 'wh-quiet', ...QUOTE_PARAMS }),
    ].map((p) => p.catch(() => 'cut'));
    await gate.heldCount('/get-rates', 6); // 3 carriers × 2 quote requests
    await gate.heldCount('/create-label', 1); // bought; the answer is held
    await voice.waitFor((f) => f.type === 'tool_call_started');
    a.proc.kill('SIGKILL');
    assert.equal((await a.exited).signal, 'SIGKILL');
    assert.deepEqual(await Promise.all(cut), ['cut', 'cut']);
    gate.open();

    const survivor = b ?? (await start());
    // Resent as the widget and Bob's platform do, with the same ids.
    const voiceAgain = await TestClient.join(survivor.bff, s1, 'voice');
    voiceAgain.send(call);
    const quotes = await voiceAgain.waitFor<any>((f) => f.type === 'client_tool_result' && (f as any).tool_call_id === 'tc-kill');
    assert.equal(quotes.is_error, false, quotes.result);
    const label = await webhook(survivor.bff, 'create_label', { session_id: s2.session_id, tool_call_id: 'wh-buy', quote_id: quoteId, confirmed: true });
    assert.ok(label.json.tracking_number, label.json.result);
    // Nobody resends wh-quiet: the survivor's heartbeat finishes it on its own.
    await until(async () => (await adminLog(survivor.bff, s3.session_id)).some((e) => e.type === 'client_tool_result'), 'the orphaned webhook run to be finished');

    for (const s of [s1, s2, s3]) {
      const events = await adminLog(survivor.bff, s.session_id);
      const started = events.filter((e) => e.type === 'tool_call_started').map((e) => (e as any).tool_call_id as string);
      const results = events.filter((e) => e.type === 'client_tool_result').map((e) => (e as any).tool_call_id as string);
      assert.equal(new Set(started).size, started.length, `one tool_call_started per id in ${s.session_id}: ${started}`);
      assert.deepEqual([...results].sort(), [...started].sort(), 'every started run has exactly one result');
      const screen = await TestClient.join(survivor.bff, s, 'ui');
      const snap = await screen.waitFor<any>((f) => f.type === 'snapshot');
      assert.deepEqual(snap.state.running, [], 'no run shown in progress');
      screen.close();
    }
    assert.equal(sim.sim.stats().labels_purchased, 1, 'the label was bought once (resumed through the idempotency key)');
    assert.equal((await adminLog(survivor.bff, s2.session_id)).filter((e) => e.type === 'label_created').length, 1);
    voiceAgain.close();
  } finally {
    for (const p of procs) p.proc.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    await gate.close();
    await sim.close();
    await redis?.stop();
  }
}

async function adminLog(bff: RunningServer, sessionId: string): Promise<SessionEvent[]> {
  const res = await fetch(`${bff.url}/v1/admin/sessions/${sessionId}/log`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  return ((await res.json()) as { events: SessionEvent[] }).events;
}

/** Polls a condition (each try is a real request; no fixed sleep decides the outcome). */
async function until(cond: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
