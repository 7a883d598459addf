/**
 * The ShipVox backend simulator: the wire contract of bff/shipvox/contract.ts over real HTTP, with
 * realistic prices, latency and injectable faults. createSimulator() builds the Hono app;
 * startSimulator() serves it on 127.0.0.1.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono, type Context, type Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { REQUEST_ID_HEADER } from '../shipvox/contract.ts';
import { FaultsPatch, mergeFaults, type Faults } from './faults.ts';
import { errorJson, firstIssue, readJson } from './http.ts';
import { getAccount } from './account-route.ts';
import { validateAddress } from './address-check.ts';
import { getTracking, voidLabel } from './after-purchase.ts';
import { createLabel, labelPdf } from './label-route.ts';
import { getRates } from './rates-route.ts';
import { createState, emptyStats, type SimulatorOptions, type SimulatorStats } from './state.ts';

export type { SimulatorOptions, SimulatorStats, Sleep, SleepContext, SleepPurpose } from './state.ts';
export type { Faults } from './faults.ts';
export { REPLAYED_HEADER } from './label-route.ts';

export function createSimulator(options: SimulatorOptions = {}) {
  const state = createState(options);
  const app = new Hono();

  const limit = bodyLimit({
    maxSize: state.config.maxBodyBytes,
    onError: (c) => errorJson(c, 413, 'request_too_large', `The request body is larger than ${state.config.maxBodyBytes} bytes.`),
  });
  app.use('*', async (c, next) => {
    await next();
    const id = c.req.header(REQUEST_ID_HEADER);
    if (id && id.length <= 128) c.res.headers.set(REQUEST_ID_HEADER, id);
  });

  app.post('/get-rates', limit, (c) => getRates(c, state));
  app.post('/create-label', limit, (c) => createLabel(c, state));
  app.get('/labels/:file', (c) => labelPdf(c, state));
  // The account services answer after serviceLatencyMs (an injected sleep holds them in tests).
  const service = async (c: Context, next: Next) => {
    await state.config.sleep(state.config.serviceLatencyMs, { purpose: 'account_service', signal: c.req.raw.signal });
    await next();
  };
  app.get('/account', service, (c) => getAccount(c, state));
  app.post('/validate-address', limit, service, (c) => validateAddress(c, state));
  app.post('/labels/:id/void', service, (c) => voidLabel(c, state));
  app.get('/labels/:id/tracking', service, (c) => getTracking(c, state));

  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/__sim/stats', (c) => c.json(sim.stats()));
  app.get('/__sim/faults', (c) => c.json(state.faults));
  app.post('/__sim/faults', limit, async (c) => {
    const body = await readJson(c);
    if (!body.ok) return errorJson(c, 400, 'invalid_request', body.message);
    const patch = FaultsPatch.safeParse(body.value);
    if (!patch.success) {
      const issue = firstIssue(patch.error);
      return errorJson(c, 400, 'invalid_request', issue.message, issue.field || undefined);
    }
    sim.setFaults(patch.data);
    return c.json(state.faults);
  });
  app.post('/__sim/reset', (c) => {
    sim.reset();
    return c.json({ ok: true });
  });

  app.notFound((c) => errorJson(c, 404, 'not_found', `No route ${c.req.method} ${c.req.path}.`));
  app.onError((err, c) => {
    console.error('[shipvox-simulator]', err);
    return errorJson(c, 500, 'internal', 'Unexpected simulator error.');
  });

  const sim = {
    app,
    stats: (): SimulatorStats => ({ ...state.stats }),
    setFaults(patch: Partial<Faults>): void {
      state.faults = mergeFaults(state.faults, patch);
    },
    /** Closes the dataFile (the simulator stops writing). */
    closeStore(): void {
      state.db?.close();
    },
    /** Forgets rates, labels, idempotency keys and stats; faults go back to those given at start. */
    reset(): void {
      state.faults = { ...state.config.initialFaults };
      state.stats = emptyStats();
      state.rates.clear();
      state.labels.clear();
      state.pdfCache.clear();
      state.idempotency.clear();
      state.balance.clear();
    },
  };
  return sim;
}

export type Simulator = ReturnType<typeof createSimulator>;

export type RunningSimulator = { url: string; port: number; close(): Promise<void>; sim: Simulator };

/** Serves a new simulator on 127.0.0.1:`port` (0, the default, lets the OS choose). */
export async function startSimulator(options: SimulatorOptions & { port?: number } = {}): Promise<RunningSimulator> {
  const sim = createSimulator(options);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: sim.app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server;
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    sim,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          sim.closeStore();
          resolve();
        });
        server.closeAllConnections?.();
      }),
  };
}
