/**
 * The real entry point (bff/main.ts) as a child process on SQLite: SIGTERM drains gracefully
 * (1001 to sockets, the in-flight webhook call answered, exit 0); SIGKILL mid-flow loses no
 * event a client had received (restart on the same DATA_DIR and read the log).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ADMIN_TOKEN, newSession, QUOTE_PARAMS, TestClient, webhook, buyLabel } from '../helpers/bff.ts';
import { startMain } from '../helpers/main-process.ts';

const startSqliteMain = (dataDir: string, env: Record<string, string> = {}) => startMain({ STORE: 'sqlite', DATA_DIR: dataDir, ...env });

describe('bff/main.ts process lifecycle', () => {
  it('SIGTERM: sockets get 1001, the in-flight webhook call gets its answer, exit code 0', async () => {
    const child = await startSqliteMain(mkdtempSync(join(tmpdir(), 'svx-main-')), { SIMULATOR_LATENCY_MS: '700' });
    try {
      const { bff } = child;
      const s = await newSession(bff);
      const ui = await TestClient.join(bff, s);
      const call = webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
      await ui.waitFor((f) => f.type === 'tool_call_started');
      const t0 = Date.now();
      child.proc.kill('SIGTERM');
      assert.equal((await ui.waitClosed()).code, 1001);
      const answer = await call;
      assert.equal(answer.status, 200);
      assert.ok(Array.isArray(answer.json.options) && answer.json.options.length > 0, 'the in-flight call finished');
      const exit = await child.exited;
      assert.equal(exit.code, 0, child.output());
      assert.ok(Date.now() - t0 < 10_000);
    } finally {
      child.proc.kill('SIGKILL');
    }
  });

  it('SIGKILL mid-flow loses nothing that was acknowledged: every event a client received is in the log after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'svx-main-'));
    const first = await startSqliteMain(dataDir, { RATE_LIMIT_FRAMES_PER_SEC: '100000' });
    let received: Array<{ seq: number; type: string }> = [];
    let sessionId = '';
    try {
      const { bff } = first;
      const s = await newSession(bff);
      sessionId = s.session_id;
      const ui = await TestClient.join(bff, s);
      const voice = await TestClient.join(bff, s, 'voice');
      const quotes = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
      await buyLabel(bff, s.session_id, { quote_id: quotes.json.options[0].quote_id });
      for (let i = 0; i < 400; i++) voice.send({ type: 'contextual_update', text: `update ${i}` });
      await ui.waitFor((f) => f.type === 'contextual_update' && f.text === 'update 50');
      first.proc.kill('SIGKILL'); // mid-burst
      await first.exited;
      received = ui.events().map((e) => ({ seq: e.seq, type: e.type }));
    } finally {
      first.proc.kill('SIGKILL');
    }
    assert.ok(received.some((e) => e.type === 'label_created'));
    const second = await startSqliteMain(dataDir);
    try {
      const res = await fetch(`${second.bff.url}/v1/admin/sessions/${sessionId}/log`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(res.status, 200);
      const log = (await res.json()) as { events: Array<{ seq: number; type: string }> };
      const bySeq = new Map(log.events.map((e) => [e.seq, e.type]));
      for (const e of received) assert.equal(bySeq.get(e.seq), e.type, `event ${e.seq} (${e.type}) was received but is not in the log`);
      assert.deepEqual(log.events.map((e) => e.seq), Array.from({ length: log.events.length }, (_, i) => i + 1), 'the log has no gap');
      second.proc.kill('SIGTERM');
      assert.equal((await second.exited).code, 0);
    } finally {
      second.proc.kill('SIGKILL');
    }
  });
});
