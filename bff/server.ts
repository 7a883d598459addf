/**
 * The standalone server: the companion on one HTTP(S) port (API, sockets, demo pages, widget
 * bundle), the embedded ShipVox simulator when no SHIPVOX_URL is set, and optionally the demo's
 * partner page on a second origin.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { createCompanion, type Companion, type CompanionOptions } from './companion.ts';
import { loadConfig, SimulatorAccount, type Config } from './config.ts';
import { refuseHiddenFiles, securityHeaders } from './http/security-headers.ts';
import { createLogger, openLogger } from './logger.ts';
import { startSimulator, type SimulatorOptions } from './simulator/simulator.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface StartOptions extends Omit<CompanionOptions, 'shipvoxUrl' | 'publicUrl'> {
  /** Environment variables (defaults to process.env). */
  env?: Record<string, string | undefined>;
  /** Options for the embedded simulator (used when SHIPVOX_URL is unset). */
  simulator?: SimulatorOptions;
  /** Also serve the partner demo page on PARTNER_PORT (another origin). */
  partner?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  config: Config;
  companion: Companion;
  simulator?: Awaited<ReturnType<typeof startSimulator>>;
  partner?: { url: string; close(): Promise<void> };
  log: Logger;
  close(): Promise<void>;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const config = loadConfig(opts.env ?? process.env);
  const log = opts.log ?? (await openLogger(config));
  // The embedded backend outlives the BFF as a real one would: with a persistent store it keeps its
  // rates, labels and idempotency keys in DATA_DIR (the quotes Bob read stay buyable after a restart).
  const simulatorFile = config.STORE === 'memory' ? undefined : join(config.DATA_DIR, 'simulator.sqlite');
  if (simulatorFile) mkdirSync(config.DATA_DIR, { recursive: true });
  const simulator = config.SHIPVOX_URL ? undefined : await startSimulator({ ...(simulatorFile ? { dataFile: simulatorFile } : {}), ...embeddedSimulator(config), ...opts.simulator });
  const companion = await createCompanion(config, { ...opts, log, shipvoxUrl: config.SHIPVOX_URL ?? simulator!.url });
  const production = config.NODE_ENV === 'production';
  addQaConfigRoute(companion.app, config);
  addAgentRoute(companion.app, config);
  addStaticRoutes(companion.app, { demo: !production, sourceMaps: !production });

  const tls = config.TLS_CERT && config.TLS_KEY ? { cert: readFileSync(config.TLS_CERT), key: readFileSync(config.TLS_KEY) } : undefined;
  const server = await listen(companion.app, config.HOST, config.PORT, tls);
  const port = (server.address() as AddressInfo).port;
  const url = `${tls ? 'https' : 'http'}://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  companion.setPublicUrl(config.PUBLIC_URL ?? url);
  companion.attach(server);

  let partner: RunningServer['partner'];
  if (opts.partner) {
    const app = new Hono();
    app.get('/', (c) => c.redirect('/demo/partner.html'));
    app.use('*', securityHeaders({ https: false }));
    addStaticRoutes(app, { demo: true, sourceMaps: true });
    const ps = await listen(app, config.HOST, config.PARTNER_PORT, undefined);
    partner = { url: `http://${config.HOST}:${(ps.address() as AddressInfo).port}`, close: () => closeServer(ps) };
  }

  return {
    url,
    port,
    config,
    companion,
    simulator,
    partner,
    log,
    /** Graceful: stop accepting, let the companion drain (1001 to sockets, in-flight calls answered), then drop what is left. */
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await companion.close();
      server.closeIdleConnections?.();
      await Promise.race([stopped, delay(200)]);
      server.closeAllConnections?.();
      await Promise.race([stopped, delay(1000)]);
      await partner?.close();
      await simulator?.close();
    },
  };
}

/** The QA console's dev secrets, served only while they are the published development defaults. */
function addQaConfigRoute(app: Hono, config: Config): void {
  const devSecrets = ['AGENT_TOOL_SECRET', 'ADMIN_TOKEN'].every((n) => config.usedDevDefaults.includes(n));
  if (!devSecrets || config.NODE_ENV === 'production') return;
  app.get('/demo/qa-config.json', (c) => c.json({ agent_tool_secret: config.AGENT_TOOL_SECRET, admin_token: config.ADMIN_TOKEN }));
}

/** Which Bob the demo pages talk to (no secrets): they say so, and how to connect a real agent. */
function addAgentRoute(app: Hono, config: Config): void {
  const elevenlabs = Boolean(config.ELEVENLABS_API_KEY && config.ELEVENLABS_AGENT_ID);
  app.get('/demo/agent.json', (c) => c.json({ bob: config.LOCAL_BOB ? 'local' : elevenlabs ? 'elevenlabs' : 'none' }));
}

/** The widget bundle; the demo pages (development only: production serves no pages of its own). */
function addStaticRoutes(app: Hono, o: { demo: boolean; sourceMaps: boolean }): void {
  app.use('/demo/*', refuseHiddenFiles(o));
  app.use('/widget/*', refuseHiddenFiles(o));
  if (o.demo) addDemoRoutes(app);
  // Partner pages load the script and import() the voice chunk cross-origin.
  app.use('/widget/*', async (c, next) => {
    await next();
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  });
  app.use('/widget/*', serveStatic({ root: `${ROOT}dist`, onNotFound: (path) => {
    if (!existsSync(`${ROOT}dist/widget`)) console.warn(`${path} missing: run npm run build`);
  } }));
}

function addDemoRoutes(app: Hono): void {
  app.get('/', (c) => c.redirect('/demo/'));
  app.get('/demo', (c) => c.redirect('/demo/'));
  app.use('/demo/*', serveStatic({ root: ROOT, rewriteRequestPath: (p) => (p.endsWith('/') ? `${p}index.html` : p) }));
}

function listen(app: Hono, hostname: string, port: number, tls: { cert: Buffer; key: Buffer } | undefined): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, hostname, port, ...(tls ? { createServer: createHttpsServer, serverOptions: tls } : {}) },
      () => resolve(server as Server),
    ) as Server;
    server.once('error', reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

export { createLogger };

/** The embedded simulator's account and tracking clock from the config (SIMULATOR_ACCOUNT, SIMULATOR_TRACKING_STEP_MS). */
function embeddedSimulator(config: Config): SimulatorOptions {
  const out: SimulatorOptions = {};
  if (config.SIMULATOR_ACCOUNT) out.account = SimulatorAccount.parse(JSON.parse(config.SIMULATOR_ACCOUNT));
  if (config.SIMULATOR_TRACKING_STEP_MS) out.trackingStepMs = config.SIMULATOR_TRACKING_STEP_MS;
  return out;
}
