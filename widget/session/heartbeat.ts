/**
 * The app-level heartbeat (the welcome's `heartbeat_ms`): a ping every interval, and a socket
 * silent for two intervals (sleep, a proxy, half-open TCP) is reported as dead.
 */
import type { Clock } from './clock.ts';

export class Heartbeat {
  /** The interval the BFF asked for (0: none yet). */
  intervalMs = 0;
  private lastHeardAt = 0;
  private pings = 0;
  private beatTimer: number | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly ping: (id: string) => void,
    private readonly silent: () => void,
  ) {}

  /** Anything arrived on the socket (or it just opened). */
  heard(): void {
    this.lastHeardAt = this.clock.now();
  }

  start(intervalMs: number): void {
    this.intervalMs = intervalMs;
    this.stop();
    if (intervalMs > 0) this.beatTimer = this.clock.setTimeout(() => this.beat(), intervalMs);
  }

  stop(): void {
    if (this.beatTimer !== null) this.clock.clearTimeout(this.beatTimer);
    this.beatTimer = null;
  }

  private beat(): void {
    this.beatTimer = null;
    if (this.clock.now() - this.lastHeardAt >= 2 * this.intervalMs) {
      this.silent();
      return;
    }
    this.ping(`hb-${++this.pings}`);
    this.start(this.intervalMs);
  }
}
