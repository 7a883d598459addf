/** The benchmark's processes: servers and the latency probe as children (pinned when taskset is there), and readings from /proc. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import type { Call } from './http.ts';
import { ROOT } from './config.ts';

/** The 1-minute load average: other work on the machine skews a run; it is printed per server. */
export const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;
export const LOAD = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
export const taskset = spawnSync('taskset', ['--version']).status === 0;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) a process has used so far, from /proc (Linux clock ticks of 10 ms). */
export function cpuSeconds(pid: number, only?: 'system'): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((only ? 0 : Number(fields[11])) + Number(fields[12])) / 100;
}

/** A process's resident memory in MB, from /proc (no GC forced: what it holds while working). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

export interface Proc {
  url: string;
  /** POST ?n=N: the server publishes N ~1.5 KB events round-robin over its sessions with sockets. */
  publish: string;
  pid: number;
  child: ChildProcess;
  /** After a GC in the server: its memory usage (bench servers answer SIGUSR2 with a MEM line). */
  mem(): Promise<NodeJS.MemoryUsage>;
}


const children = new Set<ChildProcess>();
const TRACE = process.env.BENCH_TRACE_FILE;
const onExit: Array<() => void> = [];
/** Runs `stop` (synchronous) if the bench exits early, as the children are killed then. */
export function stopOnExit(stop: () => void): void {
  onExit.push(stop);
}
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  for (const stop of onExit) stop();
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));
process.on('unhandledRejection', (err) => {
  console.error('bench failed:', err);
  process.exit(1);
});

export function startProc(args: string[], env: Record<string, string>, core: number | null, ready: RegExp): Promise<Proc> {
  const cmd = taskset && core !== null ? ['taskset', '-c', String(core), process.execPath, ...args] : [process.execPath, ...args];
  const child = spawn(cmd[0]!, cmd.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    let memWaiter: ((m: NodeJS.MemoryUsage) => void) | null = null;
    let resolved = false;
    child.stdout!.on('data', (d) => {
      if (TRACE) appendFileSync(TRACE, d);
      out += String(d);
      const mem = /MEM (\{[^\n]*\})\n/.exec(out);
      if (mem) {
        out = out.slice(mem.index + mem[0].length);
        memWaiter?.(JSON.parse(mem[1]!));
        memWaiter = null;
      }
      const m = ready.exec(out);
      if (m && !resolved) {
        resolved = true;
        const info = m[1]!.startsWith('{') ? (JSON.parse(m[1]!) as { url: string; publish?: string }) : { url: m[1]! };
        resolve({
          url: info.url,
          publish: info.publish ?? `${info.url}/publish`,
          pid: child.pid!,
          child,
          mem: () =>
            new Promise((r) => {
              memWaiter = r;
              child.kill('SIGUSR2');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out}`)));
  });
}

export async function stopProc(p: Proc) {
  if (p.child.exitCode !== null) return;
  const gone = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 3000);
  await gone;
  clearTimeout(timer);
}

/**
 * Runs bench/probe.ts on the generator's core with these calls, `rate` per second, the first
 * `warmup` of them not measured; `onWarm` runs when the measured calls begin. Its readings.
 */
export async function runProbe(rate: number, warmup: number, calls: Call[], onWarm: () => void) {
  // Raised priority (root only; ignored otherwise): woken by an answer, it runs before the generator
  // and the simulator that share its core, so their work is not counted as the server's delay.
  const args = ['--import', 'tsx', 'bench/probe.ts'];
  const pinned = taskset ? ['taskset', '-c', '1', process.execPath, ...args] : [process.execPath, ...args];
  const cmd = process.getuid?.() === 0 ? ['nice', '-n', '-10', ...pinned] : pinned;
  const child = spawn(cmd[0]!, cmd.slice(1), { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(child);
  child.stdin!.end(JSON.stringify({ rate, warmup, calls }));
  let out = '';
  let warm = false;
  child.stdout!.on('data', (d) => {
    out += String(d);
    if (!warm && out.startsWith('warm\n')) {
      warm = true;
      out = out.slice('warm\n'.length);
      onWarm();
    }
  });
  // 'close', not 'exit': the process may be gone before its stdout has been read to the end.
  const code = await new Promise<number | null>((r) => child.once('close', r));
  children.delete(child);
  if (code !== 0) throw new Error(`latency probe exited ${code}`);
  return JSON.parse(out) as { took: number[]; answers: Array<{ status: number; error: boolean; backendMs: number; handlerMs: number | null }>; loop_delay_p99_ms: number; loop_delay_max_ms: number };
}
