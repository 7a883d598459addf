/**
 * The real entry point, bff/main.ts, as a child process: what an operator runs, so a test can
 * stop it with a real signal (SIGTERM drains, SIGKILL leaves no chance to clean up).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { RunningServer } from '../../bff/server.ts';
import { TEST_KEY, TEST_ORIGIN } from './bff.ts';

export interface MainProcess {
  proc: ChildProcess;
  /** As the test helpers take a server: only its URL (the process is not ours to reach into). */
  bff: RunningServer;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/**
 * Starts bff/main.ts on OS-chosen ports with `env` over test defaults; resolves once it listens
 * (killed and rejected if it does not within `startMs`).
 */
export async function startMain(env: Record<string, string>, startMs = 30_000): Promise<MainProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bff/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: '0',
      PARTNER_PORT: '0',
      LOG_LEVEL: 'info',
      PUBLISHABLE_KEYS: JSON.stringify({ [TEST_KEY]: [TEST_ORIGIN] }),
      SLOW_CARRIER_MS: '600000',
      TRACKING_POLL_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  let timer: NodeJS.Timeout | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const m = /"url":"(http[^"]+)"[^\n]*ShipVox Companion listening/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.stderr!.on('data', (d: Buffer) => (out += String(d)));
    void exited.then((e) => reject(new Error(`main.ts exited (${e.code ?? e.signal}) before listening:\n${out}`)));
    timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`main.ts did not listen within ${startMs} ms:\n${out}`));
    }, startMs);
  }).finally(() => clearTimeout(timer));
  return { proc, bff: { url } as RunningServer, exited, output: () => out };
}
