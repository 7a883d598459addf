/**
 * A real redis-server for tests: a free port, a temp dir, no persistence unless asked
 * (`restart()` saves first, like a Redis with AOF would keep its data), killed at stop().
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';

export const REDIS_BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';

/**
 * True when a redis-server binary can be run here. Redis tests never skip silently: npm test
 * installs redis-server; SKIP_REDIS_TESTS=1 is the explicit way out for a quick local run.
 */
export function redisAvailable(): boolean {
  if (process.env.SKIP_REDIS_TESTS === '1') return false;
  if (spawnSync(REDIS_BIN, ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`${REDIS_BIN} cannot be run: npm test installs it (scripts/ensure-system-deps.sh)`);
  }
  return true;
}

export class RedisServer {
  private proc: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    for (let attempt = 0; ; attempt++) {
      const r = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), 'svx-redis-')));
      try {
        await r.spawn();
        return r;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  }

  private spawn(): Promise<void> {
    const proc = spawn(REDIS_BIN, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    return new Promise((resolve, reject) => {
      let out = '';
      const onData = (d: Buffer) => {
        out += String(d);
        if (/Ready to accept connections/.test(out)) {
          proc.stdout!.off('data', onData);
          proc.stdout!.resume();
          resolve();
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.resume();
      proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`)));
      proc.once('error', reject);
    });
  }

  /** Sends one inline command and resolves when the server answers or closes the connection. */
  private command(cmd: string): Promise<void> {
    return new Promise((resolve) => {
      const sock = createConnection(this.port, '127.0.0.1', () => sock.write(`${cmd}\r\n`));
      sock.on('data', () => sock.end());
      sock.on('close', () => resolve());
      sock.on('error', () => resolve());
    });
  }

  /** Stops the server after saving its data (a clean shutdown), resolving once it has exited. */
  async shutdown(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    await this.command('SHUTDOWN SAVE');
    await exited;
    this.proc = null;
  }

  /** Starts it again on the same port and dir (the saved data comes back). */
  async startAgain(): Promise<void> {
    await this.spawn();
  }

  /** Kills the server without waiting (process exit handlers). */
  killNow(): void {
    this.proc?.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGKILL');
    await exited;
  }
}
