import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { createSimulator, startSimulator } from '../../bff/simulator/simulator.ts';
import { realSleep, type SleepContext } from '../../bff/simulator/state.ts';
import { NO_LATENCY, post } from './helpers.ts';

const shipment = { from_zip: '10001', to_zip: '94103', weight_oz: 16 };

/** Fails the test if `promise` has not settled within `ms` (a guard, not synchronisation). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)));
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

describe('startSimulator', () => {
  test('listens on 127.0.0.1 on an OS-chosen port', async () => {
    const a = await startSimulator(NO_LATENCY);
    const b = await startSimulator(NO_LATENCY);
    try {
      assert.notEqual(a.port, b.port);
      assert.equal(a.url, `http://127.0.0.1:${a.port}`);
      const health = await fetch(`${a.url}/health`);
      assert.deepEqual(await health.json(), { ok: true });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('close() ends keep-alive connections and hanging requests at once', async () => {
    let reached!: () => void;
    const hanging = new Promise<void>((r) => (reached = r));
    const sim = await startSimulator({
      ...NO_LATENCY,
      faults: { timeoutCarriers: ['FedEx'] },
      sleep: (ms: number, ctx: SleepContext) => {
        if (ctx.purpose === 'hang') reached();
        return realSleep(ms, ctx);
      },
    });
    assert.equal((await post(`${sim.url}/get-rates`, { shipment, carriers: ['USPS'] })).status, 200); // leaves a keep-alive socket
    const stuck = post(`${sim.url}/get-rates`, { shipment, carriers: ['FedEx'] });
    await hanging;
    await within(sim.close(), 2000, 'close()');
    await assert.rejects(stuck);
    await sim.close(); // a second close is harmless
  });

  test('echoes X-Request-Id and uses it as request_id; unknown routes answer the error shape', async () => {
    const sim = await startSimulator(NO_LATENCY);
    try {
      const res = await post(`${sim.url}/get-rates`, { shipment, carriers: ['UPS'] }, { 'X-Request-Id': 'bff-123' });
      assert.equal(res.headers.get('X-Request-Id'), 'bff-123');
      assert.equal(res.json.request_id, 'bff-123');
      const missing = await fetch(`${sim.url}/nope`);
      assert.equal(missing.status, 404);
      assert.deepEqual(await missing.json(), { error: { code: 'not_found', message: 'No route GET /nope.' } });
    } finally {
      await sim.close();
    }
  });

  test('ids are deterministic for a seed', async () => {
    const ids = async () => {
      const sim = createSimulator({ ...NO_LATENCY, seed: 42, now: () => 0 });
      const res = await sim.app.request('/get-rates', { method: 'POST', body: JSON.stringify({ shipment, carriers: ['USPS'] }) });
      return ((await res.json()) as { rates: { rate_id: string }[] }).rates.map((r) => r.rate_id);
    };
    assert.deepEqual(await ids(), await ids());
  });
});

describe('main.ts (standalone)', () => {
  const main = new URL('../../bff/simulator/main.ts', import.meta.url).pathname;

  test('starts on SIMULATOR_PORT=0, prints its URL, applies SIMULATOR_FAULTS and SIMULATOR_LATENCY=0, stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: { ...process.env, SIMULATOR_PORT: '0', SIMULATOR_LATENCY: '0', SIMULATOR_FAULTS: '{"failCarriers":["UPS"]}' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [line] = (await within(once(createInterface({ input: child.stdout }), 'line'), 45_000, 'startup')) as [string];
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
      assert.ok(url, line);
      assert.equal((await post(`${url}/get-rates`, { shipment, carriers: ['UPS'] })).status, 503);
      assert.equal((await post(`${url}/get-rates`, { shipment, carriers: ['FedEx'] })).status, 200);
      child.kill('SIGTERM');
      const [code] = (await within(once(child, 'exit'), 5000, 'shutdown')) as [number];
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  test('refuses invalid SIMULATOR_FAULTS with a message', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      env: { ...process.env, SIMULATOR_PORT: '0', SIMULATOR_FAULTS: '{"failCarriers":["DHL"]}' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await within(once(child, 'exit'), 45_000, 'exit')) as [number];
    assert.equal(code, 2);
    assert.match(stderr, /SIMULATOR_FAULTS is invalid: failCarriers\.0/);
  });
});
