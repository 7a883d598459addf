/**
 * Prometheus metrics on an own Registry (several companions in one process never collide).
 * Served by GET /metrics (admin token, or bind-local without TRUST_PROXY). Hooks are plain
 * method calls from Connection, ToolRunner, ShipVoxClient and the routes.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  private readonly openConnections: Gauge;
  private readonly framesIn: Counter<'type'>;
  private readonly toolSeconds: Histogram<'tool' | 'outcome'>;
  private readonly shipvoxErrors: Counter<'code'>;
  private readonly resumes: Counter<'kind'>;
  private readonly sessionsCreated: Counter;
  private readonly rateLimited: Counter<'scope'>;
  /** Sent frames by type, as plain numbers: counting is on the fan-out hot path; the counter reads them when scraped. */
  private readonly framesOutByType = new Map<string, number>();

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.openConnections = new Gauge({ name: 'svx_open_connections', help: 'Open session sockets (after hello).', registers });
    this.framesIn = new Counter({ name: 'svx_frames_in_total', help: 'Frames received from clients, by type (invalid for unparsable ones).', labelNames: ['type'], registers });
    const sent = this.framesOutByType;
    new Counter({
      name: 'svx_frames_out_total',
      help: 'Frames sent to clients, by type.',
      labelNames: ['type'],
      registers,
      collect(this: Counter<'type'>) {
        this.reset();
        for (const [type, n] of sent) this.inc({ type }, n);
      },
    });
    this.toolSeconds = new Histogram({
      name: 'svx_tool_duration_seconds',
      help: 'Tool run latency by tool and outcome (ok or the error code).',
      labelNames: ['tool', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.shipvoxErrors = new Counter({ name: 'svx_shipvox_errors_total', help: 'ShipVox backend call failures by error code (ShipVoxErrorCode).', labelNames: ['code'], registers });
    this.resumes = new Counter({ name: 'svx_attaches_total', help: 'Client attaches by catch-up kind (resumed = missed events replayed, snapshot).', labelNames: ['kind'], registers });
    this.sessionsCreated = new Counter({ name: 'svx_sessions_created_total', help: 'Sessions created by the token exchange.', registers });
    this.rateLimited = new Counter({ name: 'svx_rate_limited_total', help: 'Refused by a rate limit (frames, http, email).', labelNames: ['scope'], registers });
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'svx_' });
  }

  /** Sessions held in memory, read when scraped. */
  watchCachedSessions(count: () => number): void {
    new Gauge({ name: 'svx_sessions_cached', help: 'Sessions whose state is held in memory (idle ones are released).', registers: [this.registry], collect(this: Gauge) {
      this.set(count());
    } });
  }

  connectionOpened(): void {
    this.openConnections.inc();
  }
  connectionClosed(): void {
    this.openConnections.dec();
  }
  frameIn(type: string): void {
    this.framesIn.inc({ type });
  }
  frameOut(type: string): void {
    this.framesOutByType.set(type, (this.framesOutByType.get(type) ?? 0) + 1);
  }
  toolRun(tool: string, outcome: string, seconds: number): void {
    this.toolSeconds.observe({ tool, outcome }, seconds);
  }
  shipvoxError(code: string): void {
    this.shipvoxErrors.inc({ code });
  }
  attached(resumed: boolean): void {
    this.resumes.inc({ kind: resumed ? 'resumed' : 'snapshot' });
  }
  sessionCreated(): void {
    this.sessionsCreated.inc();
  }
  limited(scope: 'frames' | 'http' | 'email'): void {
    this.rateLimited.inc({ scope });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
