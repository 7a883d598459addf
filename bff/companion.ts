/**
 * The BFF as a module: `createCompanion(config)` returns the Hono app, `attach(server)` for the
 * socket upgrade, and `close()`. bff/server.ts wraps it into a standalone server.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { Logger } from 'pino';
import { Signer } from './auth/tokens.ts';
import type { Config } from './config.ts';
import { createMailer, type Mailer } from './email/mailer.ts';
import { EmailQuota } from './email/quota.ts';
import { HttpError, onError, refuseLargeBodies } from './http/errors.ts';
import { HttpRateLimits } from './http/rate-limit.ts';
import { requestLog } from './http/request-log.ts';
import { securityHeaders } from './http/security-headers.ts';
import { apiRoutes } from './http/routes.ts';
import { voiceRoutes } from './http/voice.ts';
import { LocalBobServer, type LocalBobServerOptions } from './local-bob/server.ts';
import { openLogger } from './logger.ts';
import { Metrics } from './metrics.ts';
import type { Services } from './services.ts';
import { Hub } from './sessions/hub.ts';
import { SessionService } from './sessions/service.ts';
import type { EventStore } from './sessions/store.ts';
import { openStore } from './sessions/stores.ts';
import { ShipVoxClient } from './shipvox/client.ts';
import { TrackingWatcher } from './tools/after-purchase.ts';
import { ClientActions } from './tools/client-actions.ts';
import { ToolRunner } from './tools/runner.ts';
import { SocketServer } from './ws/socket-server.ts';

export interface CompanionOptions {
  /** The ShipVox backend base URL (defaults to config.SHIPVOX_URL). */
  shipvoxUrl?: string;
  store?: EventStore;
  log?: Logger;
  now?: () => number;
  mailer?: Mailer;
  /** External base URL; defaults to PUBLIC_URL, else set by the server once it listens. */
  publicUrl?: string;
  /** Waits between ShipVox retries (tests pass an instant one). */
  shipvoxBackoff?: (attempt: number) => Promise<void>;
  /** Bound for graceful close: in-flight tool calls and HTTP requests get this long (default 8 s). */
  drainMs?: number;
  /** The local Bob's pace (tests stream his words at once). */
  localBob?: LocalBobServerOptions;
}

export interface Companion {
  app: Hono;
  attach(server: Server): void;
  close(): Promise<void>;
  setPublicUrl(url: string): void;
  /** Deletes what has outlived its lifetime now (also run every SWEEP_INTERVAL_MS). */
  sweep(): Promise<{ sessions: number; outbox: number }>;
  services: Services;
}

/** How often the state of sessions with no socket and no work here is dropped from memory (it stays in the store). */
const IDLE_RELEASE_MS = 30_000;

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export async function createCompanion(config: Config, opts: CompanionOptions = {}): Promise<Companion> {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (await openLogger(config));
  const shipvoxUrl = opts.shipvoxUrl ?? config.SHIPVOX_URL;
  if (!shipvoxUrl) throw new Error('No ShipVox URL: set SHIPVOX_URL or start the embedded simulator (bff/server.ts does).');
  const store = opts.store ?? (await openStore(config, now));
  let publicUrl = opts.publicUrl ?? config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  let closing = false;
  let httpInFlight = 0;
  const metrics = new Metrics();

  const sessions = new SessionService(store, new Hub(), now, config.SESSION_CACHE_MAX);
  // Shared stores (redis): events appended by other instances reach this instance's sockets too.
  await store.subscribe?.({ onEvent: (event, frame) => sessions.applyRemote(event, frame), onReconnect: () => void sessions.catchUpAll() });
  const shipvox = new ShipVoxClient({
    baseUrl: shipvoxUrl,
    timeoutMs: config.SHIPVOX_TIMEOUT_MS,
    log,
    onError: (code) => metrics.shipvoxError(code),
    ...(opts.shipvoxBackoff ? { backoff: opts.shipvoxBackoff } : {}),
  });
  const signer = new Signer(config.SIGNING_SECRET, now);
  const services: Services = {
    config,
    log,
    now,
    signer,
    sessions,
    shipvox,
    runner: undefined as unknown as ToolRunner,
    actions: undefined as unknown as ClientActions,
    mailer: opts.mailer ?? createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, outboxDir: join(config.DATA_DIR, 'outbox'), now }),
    emailQuota: new EmailQuota(sessions, {
      perLabel: config.LABEL_EMAILS_PER_LABEL,
      perSession: config.LABEL_EMAILS_PER_SESSION,
      perRecipientPerDay: config.LABEL_EMAILS_PER_RECIPIENT_PER_DAY,
      sessionTtlMs: config.SESSION_TTL_MS,
    }),
    publicUrl: () => publicUrl,
    version: VERSION,
    startedAt: now(),
    closing: () => closing,
    metrics,
    limits: new HttpRateLimits(
      {
        perIpPerMin: config.RATE_LIMIT_HTTP_PER_MIN,
        perKeyPerMin: config.RATE_LIMIT_KEY_PER_MIN,
        authFailuresPerMin: config.AUTH_FAILURES_PER_MIN,
        toolCallsPerSessionPerMin: config.TOOL_CALLS_PER_SESSION_PER_MIN,
        trustProxy: config.TRUST_PROXY,
        now,
      },
      () => metrics.limited('http'),
    ),
  };
  const tracking = new TrackingWatcher(() => services.runner.ctx, config.TRACKING_POLL_MS);
  services.tracking = tracking;
  services.runner = new ToolRunner({ sessions, shipvox, signer, now, log, publicUrl: () => publicUrl, slowCarrierMs: config.SLOW_CARRIER_MS, quotesDeadlineMs: config.QUOTES_DEADLINE_MS, labelDeadlineMs: config.LABEL_DEADLINE_MS, resultTtlMs: config.IDEMPOTENCY_TTL_MS, tracking }, metrics, { leaseMs: config.RUN_LEASE_MS });
  services.actions = new ClientActions(services.runner, { mailer: services.mailer, emailQuota: services.emailQuota, metrics });
  // Takes this instance's owner lease; its heartbeat finishes runs that crashed instances left in flight.
  await services.runner.start();
  // Undelivered labels are followed again after a restart: those in the store now, and any session loaded later.
  sessions.onLoaded((state) => tracking.resume(state));
  void tracking
    .resumeAll()
    .then((labels) => labels > 0 && log.info({ labels }, 'tracking resumed'))
    .catch((err: unknown) => log.warn({ err: String(err) }, 'tracking not resumed'));
  metrics.watchCachedSessions(() => sessions.cached);
  const idleRelease = setInterval(() => sessions.releaseIdle(), IDLE_RELEASE_MS);
  idleRelease.unref();
  const sockets = new SocketServer(services);
  if (config.LOCAL_BOB) services.localBob = new LocalBobServer(services, opts.localBob);

  /** One pass of the lifetimes (docs/security.md): the store's sweep, then the email outbox. */
  const sweep = async (): Promise<{ sessions: number; outbox: number }> => {
    const { sessions: swept } = await sessions.sweep();
    const outbox = (await services.mailer.sweep?.(config.OUTBOX_TTL_MS)) ?? 0;
    if (swept > 0 || outbox > 0) log.info({ sessions: swept, outbox_files: outbox }, 'swept expired data');
    return { sessions: swept, outbox };
  };
  const sweepSafely = () => void sweep().catch((err: unknown) => log.warn({ err: String(err) }, 'sweep failed'));
  const sweeper = config.SWEEP_INTERVAL_MS > 0 ? setInterval(sweepSafely, config.SWEEP_INTERVAL_MS) : undefined;
  sweeper?.unref();

  const app = new Hono();
  app.onError(onError);
  app.use('*', requestLog(log));
  app.use('*', securityHeaders({ https: Boolean(config.TLS_CERT) || (config.PUBLIC_URL ?? '').startsWith('https://') }));
  app.use('*', async (_c, next) => {
    httpInFlight++;
    try {
      await next();
    } finally {
      httpInFlight--;
    }
  });
  app.notFound((c) => onError(new HttpError(404, 'not_found', 'No such route.'), c));
  // Reflects only origins some publishable key allows: any other page gets no CORS grant at all.
  const corsOrigins = new Set(Object.values(config.PUBLISHABLE_KEYS).flat());
  app.use('/v1/*', cors({ origin: (o) => (corsOrigins.has(o) ? o : null), allowHeaders: ['content-type', 'authorization'], allowMethods: ['GET', 'POST', 'OPTIONS'], maxAge: 600 }));
  app.use('/v1/*', refuseLargeBodies());
  app.route('/', apiRoutes(services));
  app.route('/', voiceRoutes(services));

  return {
    app,
    services,
    attach: (server) => {
      sockets.attach(server);
      services.localBob?.attach(server);
    },
    setPublicUrl: (url) => (publicUrl = url),
    sweep,
    /** Graceful: /readyz answers 503, sockets get 1001, in-flight tool calls and requests finish (bounded), then the store closes. */
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(sweeper);
      clearInterval(idleRelease);
      const drainMs = opts.drainMs ?? 8000;
      await sockets.close();
      await services.localBob?.close();
      tracking.close();
      const started = Date.now();
      if (!(await services.runner.close(drainMs))) log.warn({ in_flight: services.runner.inFlight }, 'tool calls still running at shutdown');
      while (httpInFlight > 0 && Date.now() - started < drainMs) await new Promise((r) => setTimeout(r, 10));
      shipvox.close();
      await store.close();
    },
  };
}
