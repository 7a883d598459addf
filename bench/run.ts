/**
 * `npm run bench`: the load generator (this process, pinned to core 1) against four servers, one
 * at a time, each a separate process pinned to core 0:
 *   (a) the BFF on the memory store, (b) the BFF on Redis, (c) Socket.IO 4 with connection state
 *   recovery doing the same flow, (d) a bare `ws` hub that only fans out (the ceiling).
 * Per server: memory per idle socket at MEM_SOCKETS sockets, then S sessions × 2 UI sockets with
 * get_shipping_quotes through the webhook (ShipVox simulator, latency 0): an open-loop phase at a
 * moderate rate (tool-call overhead and broadcast latency) and a closed-loop phase (throughput).
 * The load phases run BENCH_ROUNDS rounds (default 3), each server started fresh per round and the
 * order rotated, so a busy moment of the machine does not land on one server only; the report
 * quotes each figure's median over the rounds and each ratio's median over ratios taken within a
 * round. Then a head-to-head fan-out (every server up at once, the load moved between them in
 * slices; BENCH_H2H_CYCLES), a sustained fan-out per server in BENCH_SUSTAIN_ROUNDS rounds (default 2;
 * BENCH_SUSTAIN_S, default 150 s each: long enough for Socket.IO's 2-minute recovery buffer to fill;
 * the short phase sees every server fresh), then the widget in Chromium (bench/widget.ts). BENCH_QUICK=1 for a small run (1 round, no sustained phase).
 * Results: bench/results/latest.{json,md}.
 * Diagnostics: BENCH_ONLY=bff_memory,… runs a subset and prints JSON; BENCH_PROF=1 adds --cpu-prof
 * to the servers; BENCH_NODE_FLAGS adds node flags (e.g. --trace-gc) and BENCH_TRACE_FILE collects
 * the servers' stdout; BENCH_HEAP_DIR makes them write a heap snapshot at each memory sample;
 * BENCH_SKIP_MEMORY=1 skips the memory phase, BENCH_SKIP_LOAD=1 the load phases, BENCH_SKIP_TOOLS=1 the
 * tool-call parts of the load phases (fan-out only).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { WebSocket } from 'ws';
import { RedisServer } from '../test/helpers/redis.ts';
import { failedCall, post, type Call, type CallAnswer } from './http.ts';
import { measureWidget, widgetSummary, type WidgetBenchResult } from './widget.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const CFG = QUICK
  ? { sessions: 100, memSockets: 1000, warmSockets: 200, latRate: 50, latSeconds: 3, tpSeconds: 3, concurrency: 16 }
  : { sessions: 1000, memSockets: 10_000, warmSockets: 2000, latRate: 100, latSeconds: 6, tpSeconds: 8, concurrency: 32 };
const SOCKETS_PER_SESSION = 2;
/** Load phases run this many rounds, the servers in a rotating order; figures are medians, ratios taken within a round. */
const ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_ROUNDS)) || (QUICK ? 1 : 3));
/** Seconds of sustained fan-out per server (BENCH_SUSTAIN_S=0 skips it); 150 lets Socket.IO's 2-minute recovery buffer fill. */
const SUSTAIN_S = process.env.BENCH_SUSTAIN_S !== undefined ? Math.max(0, Math.floor(Number(process.env.BENCH_SUSTAIN_S)) || 0) : QUICK ? 0 : 150;
/** Head-to-head fan-out (BENCH_H2H_CYCLES=0 skips it): every server up at once, the load moved between them in slices. */
const H2H_CYCLES = process.env.BENCH_H2H_CYCLES !== undefined ? Math.max(0, Math.floor(Number(process.env.BENCH_H2H_CYCLES)) || 0) : QUICK ? 3 : 10;
const H2H_SLICE_MS = 1500;
/** Sustained rounds (a fresh server each, the order rotated): its figures are medians, its ratios taken within a round. */
const SUSTAIN_ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_SUSTAIN_ROUNDS)) || 2);
const ORIGIN = 'http://bench.test';
const AGENT_SECRET = 'agent_bench_secret_0001';
const QUOTE = { from_zip: '10001', to_zip: '94105', weight: 2, weight_unit: 'lb' };
const ROOT = new URL('..', import.meta.url).pathname;
const RESULTS = join(ROOT, 'bench/results');
const CORES = availableParallelism();
/** The 1-minute load average: other work on the machine skews a run; it is printed per server. */
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;
const LOAD = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const taskset = spawnSync('taskset', ['--version']).status === 0;
/** BENCH_SKIP_TOOLS=1 (diagnostics): no tool calls, only the fan-out phase of each load round. */
const SKIP_TOOLS = process.env.BENCH_SKIP_TOOLS === '1';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}


/** CPU seconds (user + system) a process has used so far, from /proc (Linux clock ticks of 10 ms). */
function cpuSeconds(pid: number, only?: 'system'): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((only ? 0 : Number(fields[11])) + Number(fields[12])) / 100;
}

/** A process's resident memory in MB, from /proc (no GC forced: what it holds while working). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>) {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (i < items.length) await fn(items[i++]!);
  }));
}

// ---- processes -------------------------------------------------------------------------------

interface Proc {
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
let redisRef: RedisServer | null = null;
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  redisRef?.killNow();
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));
process.on('unhandledRejection', (err) => {
  console.error('bench failed:', err);
  process.exit(1);
});

function startProc(args: string[], env: Record<string, string>, core: number | null, ready: RegExp): Promise<Proc> {
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

async function stopProc(p: Proc) {
  if (p.child.exitCode !== null) return;
  const gone = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 3000);
  await gone;
  clearTimeout(timer);
}

// ---- clients ---------------------------------------------------------------------------------

/** Counts logged events and samples broadcast latency (receive time − event ts), lightly. */
class Meter {
  measuring = false;
  events = 0;
  latencies: number[] = [];
  private goal: { events: number; done: () => void } | null = null;
  onEvent(ts: string) {
    if (!this.measuring) return;
    this.events++;
    if (this.events % 4 === 0) this.latencies.push(Date.now() - Date.parse(ts));
    if (this.goal && this.events >= this.goal.events) this.goal.done();
  }
  /** Resolves as soon as `events` have been counted, or after `ms` (some were lost). */
  reach(events: number, ms: number): Promise<void> {
    if (this.events >= events) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.goal?.done(), ms);
      this.goal = {
        events,
        done: () => {
          clearTimeout(timer);
          this.goal = null;
          resolve();
        },
      };
    });
  }
}

interface Conn {
  close(): void;
}

const TS_MARK = Buffer.from('"ts":"');

/**
 * Meters one received event without decoding or parsing it: finds the trailing `"ts":"…"` (set
 * last but one by every server) in the bytes. The generator must not be the bottleneck.
 */
function meterFrame(meter: Meter, data: Buffer): void {
  const t = data.lastIndexOf(TS_MARK);
  if (t >= 0) meter.onEvent(data.toString('latin1', t + 6, t + 30));
}

/**
 * A light `ws` client (the same for our BFF and the bare hub): no UTF-8 check, no decoding, no
 * JSON.parse of events (see meterFrame). With `hello`, it speaks our protocol's opening.
 */
function lightWs(url: string, meter: Meter, headers: Record<string, string>, hello: boolean): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false, skipUTF8Validation: true });
    let ready = !hello;
    ws.on('message', (data: Buffer) => {
      if (!ready) {
        if (String(data).includes('"type":"snapshot"')) {
          ready = true;
          resolve({ close: () => ws.close() });
        }
        return;
      }
      meterFrame(meter, data);
    });
    ws.on('open', () => {
      if (hello) ws.send(JSON.stringify({ type: 'hello', role: 'ui' }));
      else resolve({ close: () => ws.close() });
    });
    ws.on('error', reject);
  });
}

/**
 * A light Socket.IO client for the same reason (socket.io-client costs about twice the CPU of a
 * plain `ws` client per message): Engine.IO 4 over a raw `ws` socket. It sends the Socket.IO
 * CONNECT with its auth, answers pings, and meters `42["event",{…}]` packets like lightWs.
 */
function sioClient(url: string, session: string, meter: Meter): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false, skipUTF8Validation: true });
    let ready = false;
    ws.on('message', (data: Buffer) => {
      const kind = data[0];
      if (kind === 0x32 /* '2' ping */) return void ws.send('3');
      if (!ready) {
        const text = String(data);
        if (text.startsWith('0{')) ws.send(`40${JSON.stringify({ session })}`);
        else if (text.startsWith('40{')) {
          ready = true;
          resolve({ close: () => ws.close() });
        } else if (text.startsWith('44')) reject(new Error(`socket.io connect refused: ${text}`));
        return;
      }
      meterFrame(meter, data);
    });
    ws.on('error', reject);
  });
}

// ---- targets ---------------------------------------------------------------------------------

interface Target {
  name: string;
  key: 'bff_memory' | 'bff_redis' | 'socketio' | 'bare_ws';
  proc: Proc;
  /** Opens a session with `sockets` UI sockets; returns its id and the connections. */
  session(meter: Meter, sockets: number): Promise<{ id: string; conns: Conn[] }>;
  /** A tool call on the session, as the webhook gets it (`call` sends it; the latency probe sends these too). */
  request(sessionId: string): Call;
  call(sessionId: string): Promise<CallAnswer>;
}

/** Exchanges answered 503 (store busy) and retried, per run. */
let retries = 0;

function bffTarget(name: string, key: Target['key'], proc: Proc): Target {
  return {
    name,
    key,
    proc,
    async session(meter, sockets) {
      let first = await post(`${proc.url}/v1/sessions`, { publishable_key: 'pk_bench_key' }, { origin: ORIGIN });
      for (let retry = 0; first.status === 503 && retry < 5; retry++) {
        retries++;
        await sleep(200);
        first = await post(`${proc.url}/v1/sessions`, { publishable_key: 'pk_bench_key' }, { origin: ORIGIN });
      }
      if (first.status !== 201) throw new Error(`exchange ${first.status} ${JSON.stringify(first.json)}`);
      const conns: Conn[] = [];
      for (let i = 0; i < sockets; i++) {
        const t = i === 0 ? first.json : (await post(`${proc.url}/v1/sessions`, { resume_token: first.json.resume_token }, { origin: ORIGIN })).json;
        conns.push(await lightWs(`${t.ws_url}?ticket=${t.ticket}`, meter, { origin: ORIGIN }, true));
      }
      return { id: first.json.session_id as string, conns };
    },
    request: (id) => ({ url: `${proc.url}/v1/agent/tools/get_shipping_quotes`, body: { session_id: id, ...QUOTE }, headers: { authorization: `Bearer ${AGENT_SECRET}` } }),
    call(id) {
      const c = this.request(id);
      return post(c.url, c.body, c.headers);
    },
  };
}

let sessionCounter = 0;
function plainTarget(name: string, key: Target['key'], proc: Proc, kind: 'sio' | 'ws'): Target {
  return {
    name,
    key,
    proc,
    async session(meter, sockets) {
      const id = `ses_bench_${++sessionCounter}`;
      const conns: Conn[] = [];
      for (let i = 0; i < sockets; i++) {
        conns.push(kind === 'sio' ? await sioClient(proc.url, id, meter) : await lightWs(`${proc.url.replace('http', 'ws')}/?session=${id}`, meter, {}, false));
      }
      return { id, conns };
    },
    request: (id) => ({ url: `${proc.url}/tool/${id}`, body: { session_id: id, ...QUOTE } }),
    call(id) {
      const c = this.request(id);
      return post(c.url, c.body, c.headers);
    },
  };
}

// ---- phases ----------------------------------------------------------------------------------

/**
 * Memory per idle socket at MEM_SOCKETS sockets, three ways, each sampled after a settled GC (see
 * bench/servers/mem.ts):
 * - the average from a warmed empty server (the verdict): a connect/close cycle of WARM_SOCKETS
 *   sockets through the same path first, so what every server pays once — JIT code, V8's young
 *   generation grown to its maximum, the allocator arenas of V8's compiler threads — is not charged
 *   to the sockets; then RSS growth to MEM_SOCKETS sockets, divided by them;
 * - the average from a cold server (the same growth measured from before the warm-up cycle);
 * - the marginal cost from MEM_SOCKETS/2 to MEM_SOCKETS, divided by the sockets added.
 * The sessions of the warm-up cycle stay in the BFF's store: the figures carry them, not discount them.
 */
async function memoryPhase(t: Target) {
  const meter = new Meter();
  await sleep(500);
  const cold = await t.proc.mem();
  /** Opens `sessions` sessions' sockets into `into`; how many sessions failed to open. */
  const open = async (sessions: number, into: Conn[]) => {
    let failures = 0;
    await pool(Array.from({ length: sessions }, (_, i) => i), 32, async () => {
      try {
        into.push(...(await t.session(meter, SOCKETS_PER_SESSION)).conns);
      } catch {
        failures++;
      }
    });
    return failures;
  };
  const warm: Conn[] = [];
  const warmFailed = await open(CFG.warmSockets / SOCKETS_PER_SESSION, warm);
  for (const c of warm) c.close();
  await sleep(1500);
  const before = await t.proc.mem();
  const half = CFG.memSockets / SOCKETS_PER_SESSION / 2;
  const all: Conn[] = [];
  const started = Date.now();
  let failed = await open(half, all);
  await sleep(1500);
  const middle = await t.proc.mem();
  const middleSockets = all.length;
  failed += await open(half, all);
  const connectS = (Date.now() - started) / 1000;
  await sleep(1500);
  const after = await t.proc.mem();
  for (const c of all) c.close();
  await sleep(1000);
  const perSocket = (key: keyof NodeJS.MemoryUsage, from = before, sockets = all.length) => +((after[key] - from[key]) / 1024 / sockets).toFixed(2);
  return {
    sockets: all.length,
    failed,
    connect_s: +connectS.toFixed(1),
    warm_sockets: warm.length,
    warm_failed: warmFailed,
    rss_cold_mb: +(cold.rss / 2 ** 20).toFixed(1),
    rss_before_mb: +(before.rss / 2 ** 20).toFixed(1),
    rss_middle_mb: +(middle.rss / 2 ** 20).toFixed(1),
    rss_after_mb: +(after.rss / 2 ** 20).toFixed(1),
    kb_per_socket: perSocket('rss'),
    cold_kb_per_socket: perSocket('rss', cold),
    heap_kb_per_socket: perSocket('heapUsed'),
    heap_total_kb_per_socket: perSocket('heapTotal'),
    marginal_kb_per_socket: perSocket('rss', middle, all.length - middleSockets),
    marginal_heap_kb_per_socket: perSocket('heapUsed', middle, all.length - middleSockets),
  };
}

/** BENCH_SKIP_MEMORY=1 (diagnostics: iterate on the load phases faster). */
const SKIPPED_MEMORY = { sockets: 0, failed: 0, connect_s: 0, warm_sockets: 0, warm_failed: 0, rss_cold_mb: 0, rss_before_mb: 0, rss_middle_mb: 0, rss_after_mb: 0, kb_per_socket: NaN, cold_kb_per_socket: NaN, heap_kb_per_socket: NaN, heap_total_kb_per_socket: NaN, marginal_kb_per_socket: NaN, marginal_heap_kb_per_socket: NaN };

/** CFG.sessions sessions with their UI sockets, read by `meter`. */
async function openSessions(t: Target, meter: Meter) {
  const sessions: Array<{ id: string; conns: Conn[] }> = [];
  let setupFailed = 0;
  await pool(Array.from({ length: CFG.sessions }, (_, i) => i), 32, async () => {
    try {
      sessions.push(await t.session(meter, SOCKETS_PER_SESSION));
    } catch {
      setupFailed++;
    }
  });
  return { sessions, setupFailed };
}

/**
 * Sustained fan-out (BENCH_SUSTAIN_S seconds): the fan-out phase's load held long enough
 * for Socket.IO's 2-minute recovery buffer to fill (the short phase sees every server fresh).
 * Reports the rate in the first and the last 30 s and the server's resident memory at the end.
 */
async function sustainedPhase(t: Target, seconds: number) {
  const meter = new Meter();
  const { sessions } = await openSessions(t, meter);
  meter.measuring = true;
  const start = performance.now();
  const end = start + seconds * 1000;
  const marks: Array<{ at: number; events: number; cpu: number }> = [];
  const mark = () => marks.push({ at: performance.now(), events: meter.events, cpu: cpuSeconds(t.proc.pid) });
  mark();
  const timer = setInterval(mark, 5000);
  const published = await publishUntil(t, end);
  clearInterval(timer);
  mark();
  const rss = rssMb(t.proc.pid);
  await meter.reach(published * SOCKETS_PER_SESSION, 10_000);
  meter.measuring = false;
  for (const s of sessions) for (const c of s.conns) c.close();
  const window = (from: number, to: number) => {
    const a = marks.find((m) => m.at >= from) ?? marks[0]!;
    const b = [...marks].reverse().find((m) => m.at <= to) ?? marks.at(-1)!;
    const secs = (b.at - a.at) / 1000;
    if (secs < 1) return { rate: NaN, cpu_us_per_event: NaN }; // a phase too short for its windows
    return { rate: Math.round((b.events - a.events) / secs), cpu_us_per_event: +(((b.cpu - a.cpu) * 1e6) / Math.max(1, b.events - a.events)).toFixed(1) };
  };
  const first = window(start, start + 30_000);
  const last = window(end - 30_000, end + 1);
  return {
    seconds,
    published_events: published,
    lost: published * SOCKETS_PER_SESSION - meter.events,
    first_30s_events_per_s: first.rate,
    last_30s_events_per_s: last.rate,
    last_30s_server_cpu_us_per_event: last.cpu_us_per_event,
    server_rss_mb_at_end: rss,
  };
}

/**
 * Runs bench/probe.ts on the generator's core with these calls, `rate` per second, the first
 * `warmup` of them not measured; `onWarm` runs when the measured calls begin. Its readings.
 */
async function runProbe(rate: number, warmup: number, calls: Call[], onWarm: () => void) {
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

async function loadPhases(t: Target) {
  const meter = new Meter();
  const { sessions, setupFailed } = await openSessions(t, meter);
  // Warm-up: one call per session (JIT, caches), not measured.
  if (!SKIP_TOOLS) await pool(sessions, CFG.concurrency, async (s) => void (await t.call(s.id).catch(() => null)));
  // The latency phase starts from settled heaps, the same for every server: a full GC in the
  // server (its SIGUSR2 handler) and in this process, then a second of idle.
  await t.proc.mem();
  (globalThis as { gc?: () => void }).gc?.();
  await sleep(1000);

  // Open loop at a moderate rate: tool-call overhead (webhook round trip) and broadcast latency.
  // The calls are timed by the probe, a process of its own on the generator's core: this process
  // reads every broadcast meanwhile, and its event-loop delays used to land in the readings.
  const rtt: number[] = [];
  const overhead: number[] = [];
  const backend: number[] = [];
  const inServer: number[] = [];
  let errors = 0;
  const total = SKIP_TOOLS ? 0 : CFG.latRate * CFG.latSeconds;
  const warmup = SKIP_TOOLS ? 0 : CFG.latRate;
  // Broadcasts are sampled from the first measured call on, as the calls' timings are.
  const measureBroadcasts = () => {
    meter.events = 0;
    meter.latencies = [];
    meter.measuring = true;
  };
  const probeCalls = Array.from({ length: warmup + total }, (_, i) => t.request(sessions[i % sessions.length]!.id));
  const probe = total ? await runProbe(CFG.latRate, warmup, probeCalls, measureBroadcasts) : null;
  for (let i = warmup; i < (probe?.took.length ?? 0); i++) {
    const took = probe!.took[i]!;
    const r = probe!.answers[i]!;
    rtt.push(took);
    overhead.push(took - r.backendMs);
    backend.push(r.backendMs);
    if (r.handlerMs !== null) inServer.push(r.handlerMs - r.backendMs);
    if (r.status !== 200 || r.error) errors++;
  }
  await sleep(300);
  meter.measuring = false;
  const latency = {
    sessions: sessions.length,
    setup_failed: setupFailed,
    exchange_retries: retries,
    rate_per_s: CFG.latRate,
    calls: total,
    errors,
    overhead_p50_ms: +pct(overhead, 50).toFixed(2),
    overhead_p99_ms: +pct(overhead, 99).toFixed(2),
    overhead_worst_ms: [...overhead].sort((a, b) => b - a).slice(0, 8).map((x) => +x.toFixed(1)),
    round_trip_p50_ms: +pct(rtt, 50).toFixed(2),
    round_trip_p99_ms: +pct(rtt, 99).toFixed(2),
    shipvox_p50_ms: +pct(backend, 50).toFixed(2),
    // Measured inside the BFF (handler time minus ShipVox wait): free of the generator's own delays.
    server_overhead_p50_ms: inServer.length ? +pct(inServer, 50).toFixed(2) : null,
    server_overhead_p99_ms: inServer.length ? +pct(inServer, 99).toFixed(2) : null,
    broadcast_p50_ms: pct(meter.latencies, 50),
    broadcast_p99_ms: pct(meter.latencies, 99),
    probe_loop_delay_p99_ms: probe ? +probe.loop_delay_p99_ms.toFixed(2) : NaN,
    probe_loop_delay_max_ms: probe ? +probe.loop_delay_max_ms.toFixed(2) : NaN,
  };

  // Closed loop: as fast as the server goes with `concurrency` calls outstanding.
  const rtt2: number[] = [];
  let calls = 0;
  errors = 0;
  meter.events = 0;
  meter.latencies = [];
  meter.measuring = true;
  const end = performance.now() + (SKIP_TOOLS ? 0 : CFG.tpSeconds * 1000);
  const start = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CFG.concurrency }, async () => {
    while (performance.now() < end) {
      const s = sessions[next++ % sessions.length]!;
      const a = performance.now();
      const r = await t.call(s.id).catch(failedCall);
      rtt2.push(performance.now() - a);
      calls++;
      if (r.status !== 200 || r.json?.error) errors++;
    }
  }));
  const elapsed = (performance.now() - start) / 1000;
  const delivered = meter.events;
  const toolFlowBroadcast = { p50: pct(meter.latencies, 50), p99: pct(meter.latencies, 99) };
  meter.measuring = false;
  await sleep(300);

  // Fan-out only: the server publishes ~1.5 KB events round-robin over the sessions (the BFF
  // through its single-writer path), no HTTP per event; 4 batches of 200 in flight.
  const fanout = await fanoutRun(t, meter, CFG.tpSeconds * 1000);
  for (const s of sessions) for (const c of s.conns) c.close();
  await sleep(500);
  const throughput = {
    seconds: +elapsed.toFixed(2),
    concurrency: CFG.concurrency,
    calls,
    errors,
    tool_calls_per_s: Math.round(calls / elapsed),
    delivered_events_per_s: Math.round(delivered / elapsed),
    rtt_p50_ms: +pct(rtt2, 50).toFixed(2),
    rtt_p99_ms: +pct(rtt2, 99).toFixed(2),
    broadcast_p50_ms: toolFlowBroadcast.p50,
    broadcast_p99_ms: toolFlowBroadcast.p99,
  };
  return { latency, throughput, fanout };
}

/** Has the server publish ~1.5 KB events round-robin over its sessions until `end`, 4 batches of 200 in flight; returns how many. */
async function publishUntil(t: Target, end: number): Promise<number> {
  let published = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (performance.now() < end) {
      const r = await post(`${t.proc.publish}?n=200`, {}).catch(() => null);
      if (r?.status === 200) published += 200;
    }
  }));
  return published;
}

/**
 * Fan-out for `ms`: the server publishes ~1.5 KB events round-robin over its sessions, 4 batches of
 * 200 in flight; then waits until every event reached both sockets (5 s at most). Rates count from
 * the first publish to the last delivery; CPU columns tell which side was the bottleneck.
 */
async function fanoutRun(t: Target, meter: Meter, ms: number) {
  meter.events = 0;
  meter.latencies = [];
  meter.measuring = true;
  const start = performance.now();
  const end = start + ms;
  const cpu0 = { server: cpuSeconds(t.proc.pid), serverSys: cpuSeconds(t.proc.pid, 'system'), generator: process.cpuUsage() };
  const published = await publishUntil(t, end);
  const publishedS = (performance.now() - start) / 1000;
  const expected = published * SOCKETS_PER_SESSION;
  await meter.reach(expected, 5000);
  const elapsed = (performance.now() - start) / 1000;
  meter.measuring = false;
  const serverCpu = cpuSeconds(t.proc.pid) - cpu0.server;
  const serverSysCpu = cpuSeconds(t.proc.pid, 'system') - cpu0.serverSys;
  const generatorCpu = process.cpuUsage(cpu0.generator);
  return {
    seconds: +elapsed.toFixed(2),
    published_events: published,
    delivered_events: meter.events,
    lost: expected - meter.events,
    delivered_events_per_s: Math.round(meter.events / elapsed),
    publish_seconds: +publishedS.toFixed(2),
    broadcast_p50_ms: pct(meter.latencies, 50),
    broadcast_p99_ms: pct(meter.latencies, 99),
    // Who was the bottleneck: each process's CPU share of its core over the phase, and the server's CPU per delivered event.
    server_cpu_pct: Math.round((100 * serverCpu) / elapsed),
    server_sys_cpu_pct: Math.round((100 * serverSysCpu) / elapsed),
    generator_cpu_pct: Math.round((100 * (generatorCpu.user + generatorCpu.system)) / 1e6 / elapsed),
    generator_sys_cpu_pct: Math.round((100 * generatorCpu.system) / 1e6 / elapsed),
    server_cpu_us_per_event: +((serverCpu * 1e6) / Math.max(1, meter.events)).toFixed(1),
  };
}

/**
 * Head to head: every server up at once (each pinned to the same core, each with its own sessions
 * and sockets), the fan-out load moved from one to the next in short slices, cycle after cycle.
 * Servers not in their slice sit idle, and a slow or fast moment of this shared machine falls on
 * all of them alike: the ratios taken within a cycle are the fairest this machine gives.
 */
async function headToHead(specs: typeof targets, cycles: number, sliceMs: number) {
  const live: Array<{ key: Target['key']; t: Target; meter: Meter; runs: Array<Awaited<ReturnType<typeof fanoutRun>>> }> = [];
  try {
    for (const spec of specs) {
      const t = await spec.make();
      const meter = new Meter();
      live.push({ key: spec.key, t, meter, runs: [] });
      await openSessions(t, meter);
    }
    for (const x of live) await fanoutRun(x.t, x.meter, 1000); // warm-up (JIT), not counted
    for (let c = 0; c < cycles; c++) {
      for (let i = 0; i < live.length; i++) {
        const x = live[(i + c) % live.length]!;
        x.runs.push(await fanoutRun(x.t, x.meter, sliceMs));
      }
    }
  } finally {
    for (const x of live) await stopProc(x.t.proc);
  }
  const per: Partial<Record<Target['key'], { events_per_s: number; server_cpu_us_per_event: number; lost: number; cycles: number[] }>> = {};
  for (const x of live) {
    const seconds = x.runs.reduce((n, r) => n + r.seconds, 0);
    const events = x.runs.reduce((n, r) => n + r.delivered_events, 0);
    per[x.key] = {
      events_per_s: Math.round(events / seconds),
      server_cpu_us_per_event: medianOf(x.runs.map((r) => r.server_cpu_us_per_event)),
      lost: x.runs.reduce((n, r) => n + r.lost, 0),
      cycles: x.runs.map((r) => r.delivered_events_per_s),
    };
  }
  return { cycles, slice_ms: sliceMs, servers: per };
}

// ---- main ------------------------------------------------------------------------------------

const only = process.env.BENCH_ONLY?.split(',');
const TSX = ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', join(tmpdir(), 'svx-bench-prof')] : [])];
console.log(`bench: ${QUICK ? 'QUICK' : 'full'} run, ${CFG.sessions} sessions × ${SOCKETS_PER_SESSION} sockets, memory at ${CFG.memSockets} sockets; pinned: ${taskset}`);
const simulator = await startProc([...TSX, 'bff/simulator/main.ts'], { SIMULATOR_PORT: '0', SIMULATOR_LATENCY: '0' }, 1, /listening on (http:\/\/\S+)/);
// Redis is started before this process pins itself (children inherit the affinity): it floats on both cores.
const redis = await RedisServer.start();
redisRef = redis;
if (taskset) spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
const templateFile = join(tmpdir(), `svx-bench-template-${process.pid}.json`);
/** Each BFF-on-Redis run starts from an empty Redis (earlier phases and rounds leave sessions behind). */
async function flushRedis(): Promise<void> {
  const client = new Redis(redis.url, { lazyConnect: true });
  await client.connect();
  await client.flushall();
  client.disconnect();
}
const results: Record<string, unknown> = {};

const targets: Array<{ name: string; key: Target['key']; make: () => Promise<Target> }> = [
  { name: 'BFF, memory store', key: 'bff_memory', make: async () => bffTarget('BFF, memory store', 'bff_memory', await startProc([...TSX, 'bench/servers/bff.ts'], { BENCH_STORE: 'memory', SHIPVOX_URL: simulator.url }, 0, /READY (\{[^\n]*\})\n/)) },
  {
    name: 'BFF, Redis store',
    key: 'bff_redis',
    make: async () => {
      await flushRedis();
      return bffTarget('BFF, Redis store', 'bff_redis', await startProc([...TSX, 'bench/servers/bff.ts'], { BENCH_STORE: 'redis', REDIS_URL: redis.url, SHIPVOX_URL: simulator.url }, 0, /READY (\{[^\n]*\})\n/));
    },
  },
  { name: 'Socket.IO 4 + recovery', key: 'socketio', make: async () => plainTarget('Socket.IO 4 + recovery', 'socketio', await startProc([...TSX, 'bench/servers/socketio.ts'], { BENCH_TEMPLATE: templateFile }, 0, /READY (\{[^\n]*\})\n/), 'sio') },
  { name: 'bare ws hub', key: 'bare_ws', make: async () => plainTarget('bare ws hub', 'bare_ws', await startProc([...TSX, 'bench/servers/bare.ts'], { BENCH_TEMPLATE: templateFile }, 0, /READY (\{[^\n]*\})\n/), 'ws') },
];

type Memory = Awaited<ReturnType<typeof memoryPhase>>;
type Load = Awaited<ReturnType<typeof loadPhases>> & { loadavg: string };
const chosen = targets.filter((x) => !only || only.includes(x.key) || (x.key === 'bff_memory' && !existsSync(templateFile)));
const memoryOf: Partial<Record<Target['key'], Memory>> = {};
const rounds: Array<Partial<Record<Target['key'], Load>>> = [];
let h2h: Awaited<ReturnType<typeof headToHead>> | null = null;
const sustainedRounds: Array<Partial<Record<Target['key'], Awaited<ReturnType<typeof sustainedPhase>>>>> = [];
try {
  // Memory: once per server, each fresh (the BFF on the memory store first: it records the template).
  for (const spec of chosen) {
    const t = await spec.make();
    try {
      if (spec.key === 'bff_memory') await captureTemplate(t);
      process.stdout.write(`${spec.name}: memory… `);
      const memory = process.env.BENCH_SKIP_MEMORY ? SKIPPED_MEMORY : await memoryPhase(t);
      memoryOf[spec.key] = memory;
      console.log(`${memory.kb_per_socket} KB/socket`);
    } finally {
      await stopProc(t.proc);
    }
  }
  // Load: ROUNDS rounds, a fresh server each time, the order rotated per round.
  for (let r = 0; r < ROUNDS && !process.env.BENCH_SKIP_LOAD; r++) {
    const round: Partial<Record<Target['key'], Load>> = {};
    for (let i = 0; i < chosen.length; i++) {
      const spec = chosen[(i + r) % chosen.length]!;
      const loadStart = loadavg();
      const t = await spec.make();
      try {
        process.stdout.write(`round ${r + 1}/${ROUNDS}, ${spec.name}: load… `);
        const load = await loadPhases(t);
        console.log(`fan-out ${load.fanout.delivered_events_per_s} ev/s, tool calls ${load.throughput.tool_calls_per_s}/s, overhead p99 ${load.latency.overhead_p99_ms} ms`);
        round[spec.key] = { ...load, loadavg: `${loadStart} → ${loadavg()}` };
      } finally {
        await stopProc(t.proc);
      }
    }
    rounds.push(round);
  }
  if (H2H_CYCLES > 0 && !process.env.BENCH_SKIP_LOAD) {
    process.stdout.write(`head to head: ${H2H_CYCLES} cycles of ${H2H_SLICE_MS} ms fan-out slices… `);
    h2h = await headToHead(chosen, H2H_CYCLES, H2H_SLICE_MS);
    console.log(Object.entries(h2h.servers).map(([k, v]) => `${k} ${v.events_per_s} ev/s`).join(', '));
  }
  for (let r = 0; r < (SUSTAIN_S > 0 ? SUSTAIN_ROUNDS : 0); r++) {
    const round: (typeof sustainedRounds)[number] = {};
    for (let i = 0; i < chosen.length; i++) {
      const spec = chosen[(i + r) % chosen.length]!;
      const t = await spec.make();
      try {
        process.stdout.write(`sustained round ${r + 1}/${SUSTAIN_ROUNDS}, ${spec.name}: ${SUSTAIN_S} s… `);
        const x = (round[spec.key] = await sustainedPhase(t, SUSTAIN_S));
        console.log(`first 30 s ${x.first_30s_events_per_s} ev/s, last 30 s ${x.last_30s_events_per_s} ev/s, RSS ${x.server_rss_mb_at_end} MB`);
      } finally {
        await stopProc(t.proc);
      }
    }
    sustainedRounds.push(round);
  }
} finally {
  await stopProc(simulator);
  await redis.stop();
}
for (const spec of chosen) {
  const mine = rounds.map((r) => r[spec.key]!);
  const held = sustainedRounds.map((r) => r[spec.key]!);
  results[spec.key] = { name: spec.name, memory: memoryOf[spec.key], ...(mine.length ? medianOf(mine) : {}), rounds: mine, sustained: held.length ? { ...medianOf(held), rounds: held } : null };
}

/**
 * The median of each number across the rounds (same-shaped objects); lists of numbers are merged
 * (largest first, as long as one round's), text is joined.
 */
function medianOf<T>(xs: T[]): T {
  const first = xs[0] as unknown;
  if (typeof first === 'number' || first === null) {
    const s = (xs as unknown[]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
    if (s.length === 0) return first as T;
    const m = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    return +m.toFixed(2) as T;
  }
  if (Array.isArray(first)) return (xs as number[][]).flat().sort((a, b) => b - a).slice(0, first.length) as T;
  if (typeof first === 'string') return (xs as string[]).join(' | ') as T;
  if (first && typeof first === 'object') {
    return Object.fromEntries(Object.keys(first).map((k) => [k, medianOf(xs.map((x) => (x as Record<string, unknown>)[k]))])) as T;
  }
  return first as T;
}

/** Records the events one get_shipping_quotes call logs on our BFF, for the comparison servers. */
async function captureTemplate(t: Target) {
  const events: Array<Record<string, unknown>> = [];
  const first = await post(`${t.proc.url}/v1/sessions`, { publishable_key: 'pk_bench_key' }, { origin: ORIGIN });
  const ws = new WebSocket(`${first.json.ws_url}?ticket=${first.json.ticket}`, { headers: { origin: ORIGIN } });
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'hello', role: 'ui' }));
  const done = new Promise<void>((resolve) => ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as Record<string, unknown>;
    if ('ts' in f && 'seq' in f) {
      const { seq, ts, session_id, ...rest } = f;
      void seq, ts, session_id;
      events.push(rest);
      if (f.type === 'client_tool_result') resolve();
    }
  }));
  const answer = await t.call(first.json.session_id);
  await done;
  ws.close();
  writeFileSync(templateFile, JSON.stringify({ events, answer: answer.json }));
  results.flow = { events_per_call: events.length, bytes_per_call: events.reduce((n, e) => n + JSON.stringify(e).length + 90, 0) };
}

// ---- report ----------------------------------------------------------------------------------

if (only || process.env.BENCH_SKIP_LOAD) {
  console.log(JSON.stringify({ ...results, head_to_head: h2h }, null, 2));
  process.exit(0);
}
type R = { name: string; memory: Memory; rounds: Load[]; sustained: (Sustained & { rounds: Sustained[] }) | null } & Load;
const a = results.bff_memory as R, b = results.bff_redis as R, c = results.socketio as R, d = results.bare_ws as R;
const ratio = (x: number, y: number) => +(x / y).toFixed(2);
const widgetFile = join(ROOT, 'dist/widget/shipvox-companion.js');
const widget = existsSync(widgetFile) ? { bytes: readFileSync(widgetFile).length, gzip_bytes: gzipSync(readFileSync(widgetFile), { level: 9 }).length } : null;
// The widget's own figures in Chromium (performance marks), after the servers are stopped.
let widgetTiming: WidgetBenchResult | null = null;
if (widget) {
  process.stdout.write('widget in Chromium… ');
  widgetTiming = await measureWidget().catch((err: unknown) => {
    console.log(`not measured: ${String(err)}`);
    return null;
  });
  if (widgetTiming) console.log(widgetSummary(widgetTiming));
}
/** A ratio per round (both figures from the same round), and their median. */
function roundRatios(pick: (l: Load) => number, x: Target['key'], y: Target['key']) {
  const per = rounds.map((r) => ratio(pick(r[x]!), pick(r[y]!)));
  return { median: medianOf(per), rounds: per };
}
const fanout = (l: Load) => l.fanout.delivered_events_per_s;
const toolFlow = (l: Load) => l.throughput.delivered_events_per_s;
const fanVsSio = { memory: roundRatios(fanout, 'bff_memory', 'socketio'), redis: roundRatios(fanout, 'bff_redis', 'socketio') };
const fanVsBare = { memory: roundRatios(fanout, 'bff_memory', 'bare_ws'), redis: roundRatios(fanout, 'bff_redis', 'bare_ws') };
const targetsMet = {
  fanout_vs_socketio: { want: '≥ 1.5×', memory: fanVsSio.memory.median, redis: fanVsSio.redis.median, rounds: { memory: fanVsSio.memory.rounds, redis: fanVsSio.redis.rounds } },
  fanout_vs_bare: { want: '≥ 0.80×', memory: fanVsBare.memory.median, redis: fanVsBare.redis.median, rounds: { memory: fanVsBare.memory.rounds, redis: fanVsBare.redis.rounds } },
  tool_flow_vs_socketio: { memory: roundRatios(toolFlow, 'bff_memory', 'socketio').median, redis: roundRatios(toolFlow, 'bff_redis', 'socketio').median },
  memory_vs_socketio: { want: '≤ 0.40×', memory: ratio(a.memory.kb_per_socket, c.memory.kb_per_socket), redis: ratio(b.memory.kb_per_socket, c.memory.kb_per_socket) },
  cold_memory_vs_socketio: { want: '≤ 0.40×', memory: ratio(a.memory.cold_kb_per_socket, c.memory.cold_kb_per_socket), redis: ratio(b.memory.cold_kb_per_socket, c.memory.cold_kb_per_socket) },
  marginal_memory_vs_socketio: { want: '≤ 0.40×', memory: ratio(a.memory.marginal_kb_per_socket, c.memory.marginal_kb_per_socket), redis: ratio(b.memory.marginal_kb_per_socket, c.memory.marginal_kb_per_socket) },
  overhead_p99_ms: { want: `≤ 5 ms at ${CFG.sessions} sessions`, memory: a.latency.overhead_p99_ms, redis: b.latency.overhead_p99_ms, rounds: rounds.map((r) => r.bff_memory!.latency.overhead_p99_ms) },
  server_overhead_p99_ms: { want: `≤ 5 ms at ${CFG.sessions} sessions`, memory: a.latency.server_overhead_p99_ms, redis: b.latency.server_overhead_p99_ms, rounds: rounds.map((r) => r.bff_memory!.latency.server_overhead_p99_ms) },
  sockets: { want: `${CFG.memSockets} concurrent on 2 cores`, memory: a.memory.sockets, redis: b.memory.sockets },
};
type Sustained = Awaited<ReturnType<typeof sustainedPhase>>;
/**
 * Fan-out ratios of both BFFs to server y, taken pairwise over a series (a sustained round's
 * last-30-s rate, a head-to-head cycle's rate: both sides measured together), and their medians.
 */
const pairedRatios = (series: (k: Target['key']) => Array<number | undefined>, y: Target['key']) => {
  const per = (x: Target['key']) => {
    const ys = series(y);
    const rs = series(x).flatMap((u, i) => (Number.isFinite(u) && Number.isFinite(ys[i]) ? [ratio(u!, ys[i]!)] : []));
    return { median: rs.length ? (medianOf(rs) as number) : null, rounds: rs };
  };
  const memory = per('bff_memory');
  return { memory: memory.median, redis: per('bff_redis').median, rounds: memory.rounds };
};
const sustainedSeries = (k: Target['key']) => sustainedRounds.map((r) => r[k]?.last_30s_events_per_s);
const headToHeadSeries = (k: Target['key']) => h2h?.servers[k]?.cycles ?? [];
const headToHeadRatios = {
  fanout_vs_socketio: { want: '≥ 1.5×', ...pairedRatios(headToHeadSeries, 'socketio') },
  fanout_vs_bare: { want: '≥ 0.80×', ...pairedRatios(headToHeadSeries, 'bare_ws') },
};
const steady = {
  fanout_vs_socketio: { want: '≥ 1.5×', ...pairedRatios(sustainedSeries, 'socketio') },
  fanout_vs_bare: { want: '≥ 0.80×', ...pairedRatios(sustainedSeries, 'bare_ws') },
};
const atLeast = (x: number | null, want: number) => (x === null ? null : x >= want);
const met = {
  h2h_fanout_vs_socketio: atLeast(headToHeadRatios.fanout_vs_socketio.memory, 1.5),
  h2h_fanout_vs_bare: atLeast(headToHeadRatios.fanout_vs_bare.memory, 0.8),
  steady_fanout_vs_socketio: atLeast(steady.fanout_vs_socketio.memory, 1.5),
  steady_fanout_vs_bare: atLeast(steady.fanout_vs_bare.memory, 0.8),
  fanout_vs_socketio: targetsMet.fanout_vs_socketio.memory >= 1.5,
  fanout_vs_bare: targetsMet.fanout_vs_bare.memory >= 0.8,
  memory_vs_socketio: targetsMet.memory_vs_socketio.memory <= 0.4,
  cold_memory_vs_socketio: targetsMet.cold_memory_vs_socketio.memory <= 0.4,
  marginal_memory_vs_socketio: targetsMet.marginal_memory_vs_socketio.memory <= 0.4,
  overhead_p99: a.latency.overhead_p99_ms <= 5,
  server_overhead_p99: (a.latency.server_overhead_p99_ms ?? Infinity) <= 5,
  sockets: a.memory.sockets >= CFG.memSockets && a.memory.failed === 0,
};
const out = {
  date: new Date().toISOString(),
  quick: QUICK,
  node: process.version,
  cores: CORES,
  loadavg_at_start: LOAD,
  pinned: taskset ? 'server on core 0; generator + simulator on core 1; redis-server unpinned' : 'not pinned (no taskset)',
  config: { ...CFG, rounds: ROUNDS, sockets_per_session: SOCKETS_PER_SESSION, tool: 'get_shipping_quotes (simulator latency 0)' },
  flow: results.flow,
  results: { bff_memory: a, bff_redis: b, socketio: c, bare_ws: d },
  ratios: targetsMet,
  steady_state_ratios: steady,
  head_to_head: h2h,
  head_to_head_ratios: headToHeadRatios,
  met,
  widget: widget ? { ...widget, timing: widgetTiming && { runs: widgetTiming.runs, chromium: widgetTiming.chromium, ms: widgetTiming.ms } } : null,
};

const row = (r: R) =>
  `| ${r.name} | ${r.fanout.delivered_events_per_s} (${r.fanout.lost}) | ${r.fanout.broadcast_p50_ms} / ${r.fanout.broadcast_p99_ms} | ${r.fanout.server_cpu_pct} / ${r.fanout.generator_cpu_pct} / ${r.fanout.server_cpu_us_per_event} | ${r.throughput.tool_calls_per_s} | ${r.throughput.delivered_events_per_s} | ${r.latency.overhead_p50_ms} / ${r.latency.overhead_p99_ms} | ${r.latency.probe_loop_delay_p99_ms} / ${r.latency.probe_loop_delay_max_ms} | ${r.latency.server_overhead_p50_ms ?? '—'} / ${r.latency.server_overhead_p99_ms ?? '—'} | ${r.latency.round_trip_p50_ms} / ${r.latency.round_trip_p99_ms} | ${r.latency.broadcast_p50_ms} / ${r.latency.broadcast_p99_ms} | ${r.throughput.rtt_p50_ms} / ${r.throughput.rtt_p99_ms} | ${r.memory.kb_per_socket} | ${r.memory.cold_kb_per_socket} | ${r.memory.marginal_kb_per_socket} | ${r.memory.heap_kb_per_socket} | ${r.memory.sockets}${r.memory.failed ? ` (${r.memory.failed} failed)` : ''} |`;
const perRound = (key: Target['key']) => rounds.map((r) => r[key]!);
const roundRow = (i: number) => {
  const [x, y, z, w] = (['bff_memory', 'bff_redis', 'socketio', 'bare_ws'] as const).map((k) => perRound(k)[i]!) as [Load, Load, Load, Load];
  return `| ${i + 1} | ${fanout(x)} | ${fanout(y)} | ${fanout(z)} | ${fanout(w)} (${w.fanout.generator_cpu_pct} %) | ${fanVsSio.memory.rounds[i]}× | ${fanVsBare.memory.rounds[i]}× | ${x.latency.overhead_p99_ms} / ${x.latency.server_overhead_p99_ms} | ${[x, y, z, w].map((l) => l.loadavg.split(' → ')[0]).join(', ')} |`;
};
const list = (xs: number[]) => xs.join(', ');
const yes = (b: boolean | null) => (b === null ? 'not run' : b ? 'met' : '**missed**');
const susRow = (r: R) => {
  const x = r.sustained;
  return x ? `| ${r.name} | ${x.first_30s_events_per_s} | ${x.last_30s_events_per_s} (${list(x.rounds.map((y) => y.last_30s_events_per_s))}) | ${x.last_30s_server_cpu_us_per_event} | ${x.server_rss_mb_at_end} | ${x.lost} |` : `| ${r.name} | — | — | — | — | — |`;
};
const md = `# Benchmark ${out.date.slice(0, 16)}Z${QUICK ? ' (BENCH_QUICK)' : ''}

Node ${out.node}, ${out.cores} cores (load average at start ${LOAD}: other work shares the machine), ${out.pinned}. ${CFG.sessions} sessions × ${SOCKETS_PER_SESSION} UI sockets; each tool call is
\`get_shipping_quotes\` through the webhook (${(results.flow as { events_per_call: number }).events_per_call} logged events, ~${(results.flow as { bytes_per_call: number }).bytes_per_call} bytes, fanned out to both sockets). Socket.IO and the
bare hub replay the same events (same sizes) on a webhook-like POST without ShipVox calls,
validation or persistence. Fan-out phase: each server publishes ~1.5 KB events round-robin over
the sessions from inside (the BFF through its real path: seq, store, reduce, hub),
POST /publish?n=200 with 4 batches in flight, ${CFG.tpSeconds} s; the CPU column tells which side was the bottleneck (a
generator near 100 % caps the figure: then it is a lower bound). Every server is read by the same light client: a raw \`ws\`
socket without UTF-8 check or JSON parsing (Engine.IO 4 framing for Socket.IO; socket.io-client costs about twice the CPU). Overhead = webhook round trip minus the time the BFF waited on ShipVox
(its \`Server-Timing: shipvox;dur\`; the simulator runs with latency 0 on the generator's core), open loop at ${CFG.latRate} calls/s
after a warm-up and a full GC in server and generator, timed by the latency probe (a process of its own on the generator's core, issuing only the calls: its first second is a warm-up, not counted); in-server overhead =
the webhook handler's time minus that wait (\`Server-Timing: total;dur − shipvox;dur\`, our BFF only); round trip = the whole call; throughput = closed loop, ${CFG.concurrency} calls outstanding, ${CFG.tpSeconds} s. Memory = server RSS
growth / idle sockets (sessions included), each sample taken after a GC and a second's settle (for V8 to hand freed pages back):
the average from a warmed empty server to ${CFG.memSockets} sockets (the server first connects and closes
${CFG.warmSockets} sockets through the same path, so the JIT code, V8's young generation grown to its maximum and the allocator
arenas of V8's compiler threads, which every server pays once, are not charged to sockets); the same average from the cold
server (before that cycle); and the marginal cost from ${CFG.memSockets / 2} to ${CFG.memSockets}. The load phases ran ${ROUNDS} round${ROUNDS > 1 ? 's' : ''} (a fresh server each, the order rotated per round): the first
table gives each figure's median over the rounds, ratios are the median of ratios taken within a round; memory was measured once per server.

| server | fan-out delivered ev/s (lost) | fan-out broadcast p50 / p99 ms | fan-out CPU % server / generator, server µs per delivered event | tool calls/s | tool-flow delivered ev/s | overhead p50 / p99 ms | probe event-loop delay p99 / max ms | in-server overhead p50 / p99 ms | round trip p50 / p99 ms | broadcast p50 / p99 ms | saturated RTT p50 / p99 ms | RSS KB / idle socket (average, warmed) | RSS KB / idle socket (average, cold) | RSS KB / idle socket (marginal) | heap KB / idle socket | sockets held |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${[a, b, c, d].map(row).join('\n')}

| round | fan-out ev/s: BFF memory | BFF Redis | Socket.IO | bare hub (its generator's CPU) | BFF ÷ Socket.IO | BFF ÷ bare hub | BFF overhead p99 ms: probe / in-server | load avg (1 min) at each server's start |
|---|---|---|---|---|---|---|---|---|
${rounds.map((_, i) => roundRow(i)).join('\n')}

${h2h ? `Head to head: all four servers up at once (each pinned to core 0, each with its own ${CFG.sessions} sessions × ${SOCKETS_PER_SESSION} sockets), the fan-out
load moved from one to the next in ${H2H_SLICE_MS / 1000} s slices for ${h2h.cycles} cycles (after a 1 s warm-up each); a server out of its slice sits idle, so
a slow or fast moment of the machine falls on all of them alike:

| server | delivered ev/s over its slices | server µs per delivered event (median) | per-slice ev/s | lost |
|---|---|---|---|---|
${(['bff_memory', 'bff_redis', 'socketio', 'bare_ws'] as const).map((k) => {
  const name = (results[k] as R).name, x = h2h!.servers[k];
  return x ? `| ${name} | ${x.events_per_s} | ${x.server_cpu_us_per_event} | ${list(x.cycles)} | ${x.lost} |` : `| ${name} | — | — | — | — |`;
}).join('\n')}

` : ''}${SUSTAIN_S > 0 ? `Sustained fan-out: the fan-out load held ${SUSTAIN_S} s on a fresh server, ${SUSTAIN_ROUNDS} round${SUSTAIN_ROUNDS > 1 ? 's (the order rotated; medians, ratios taken within a round)' : ''}${SUSTAIN_S >= 120 ? `, long enough for Socket.IO's 2-minute recovery
buffer to fill (what a server that has been running meets; the ${CFG.tpSeconds} s phase above sees every server fresh)` : ` (shorter than Socket.IO's 2-minute recovery window: its buffer is not full yet)`}:

| server | first 30 s ev/s | last 30 s ev/s (per round) | server µs per delivered event, last 30 s | server RSS MB at the end | lost |
|---|---|---|---|---|---|
${[a, b, c, d].map(susRow).join('\n')}

` : ''}| target | want | BFF memory | BFF Redis | verdict (memory store) |
|---|---|---|---|---|
| fan-out vs Socket.IO at steady state (last 30 s of ${SUSTAIN_S} s; median of ${list(steady.fanout_vs_socketio.rounds)}) | ≥ 1.5× | ${steady.fanout_vs_socketio.memory ?? '—'}× | ${steady.fanout_vs_socketio.redis ?? '—'}× | ${yes(met.steady_fanout_vs_socketio)} |
| fan-out vs bare hub at steady state (median of ${list(steady.fanout_vs_bare.rounds)}) | ≥ 0.80× | ${steady.fanout_vs_bare.memory ?? '—'}× | ${steady.fanout_vs_bare.redis ?? '—'}× | ${yes(met.steady_fanout_vs_bare)} |
| fan-out vs Socket.IO, head to head (servers alternating ${H2H_SLICE_MS / 1000} s slices; median over ${h2h?.cycles ?? 0} cycles of ${list(headToHeadRatios.fanout_vs_socketio.rounds)}) | ≥ 1.5× | ${headToHeadRatios.fanout_vs_socketio.memory ?? '—'}× | ${headToHeadRatios.fanout_vs_socketio.redis ?? '—'}× | ${yes(met.h2h_fanout_vs_socketio)} |
| fan-out vs bare hub, head to head (median of ${list(headToHeadRatios.fanout_vs_bare.rounds)}) | ≥ 0.80× | ${headToHeadRatios.fanout_vs_bare.memory ?? '—'}× | ${headToHeadRatios.fanout_vs_bare.redis ?? '—'}× | ${yes(met.h2h_fanout_vs_bare)} |
| fan-out vs Socket.IO, fresh servers (${CFG.tpSeconds} s fan-out phase; median of ${list(fanVsSio.memory.rounds)}) | ≥ 1.5× | ${targetsMet.fanout_vs_socketio.memory}× | ${targetsMet.fanout_vs_socketio.redis}× | ${yes(met.fanout_vs_socketio)} |
| fan-out vs bare hub, fresh servers (median of ${list(fanVsBare.memory.rounds)}) | ≥ 0.80× | ${targetsMet.fanout_vs_bare.memory}× | ${targetsMet.fanout_vs_bare.redis}× | ${yes(met.fanout_vs_bare)} |
| memory per idle socket vs Socket.IO, average from a warmed empty server | ≤ 0.40× | ${targetsMet.memory_vs_socketio.memory}× | ${targetsMet.memory_vs_socketio.redis}× | ${yes(met.memory_vs_socketio)} |
| memory per idle socket vs Socket.IO, average from a cold server | ≤ 0.40× | ${targetsMet.cold_memory_vs_socketio.memory}× | ${targetsMet.cold_memory_vs_socketio.redis}× | ${yes(met.cold_memory_vs_socketio)} |
| memory per idle socket vs Socket.IO, marginal (${CFG.memSockets / 2} → ${CFG.memSockets} sockets) | ≤ 0.40× | ${targetsMet.marginal_memory_vs_socketio.memory}× | ${targetsMet.marginal_memory_vs_socketio.redis}× | ${yes(met.marginal_memory_vs_socketio)} |
| tool-call overhead p99 at ${CFG.sessions} sessions, seen by the probe (median of ${list(targetsMet.overhead_p99_ms.rounds)}) | ≤ 5 ms | ${a.latency.overhead_p99_ms} ms | ${b.latency.overhead_p99_ms} ms | ${yes(met.overhead_p99)} |
| tool-call overhead p99 at ${CFG.sessions} sessions, in the server (median of ${list(targetsMet.server_overhead_p99_ms.rounds.map((x) => x ?? NaN))}) | ≤ 5 ms | ${a.latency.server_overhead_p99_ms} ms | ${b.latency.server_overhead_p99_ms} ms | ${yes(met.server_overhead_p99)} |
| concurrent sockets on 2 cores | ${CFG.memSockets} | ${a.memory.sockets} | ${b.memory.sockets} | ${yes(met.sockets)} |

Each target is reported several ways. The reading that decides it, and why: fan-out at steady state (the server users run, and the
only reading in which the two fan-out targets agree: fresh, the bare hub itself is ${ratio(d.fanout.delivered_events_per_s, c.fanout.delivered_events_per_s)}× Socket.IO in this run, so 1.5× Socket.IO
there asks for ${(1.5 / ratio(d.fanout.delivered_events_per_s, c.fanout.delivered_events_per_s)).toFixed(2)}× the hub), memory from a warmed server (one-time costs of the process are not per socket), overhead
in the server (the probe's reading adds a loopback round trip and two event loops: by it the bare hub, which does nothing per call,
shows ${d.latency.overhead_p99_ms} ms p99 in this run). Argued in the README's Performance section.
${widget ? `\nWidget: \`dist/widget/shipvox-companion.js\` ${widget.bytes} bytes, ${widget.gzip_bytes} bytes gzip (level 9).\n` : ''}${widgetTiming ? `
| widget in headless Chromium ${widgetTiming.chromium} (${widgetTiming.runs} fresh page loads, cold cache) | median ms | p90 ms |
|---|---|---|
| navigation → script loaded | ${widgetTiming.ms.navigation_to_script_loaded.median} | ${widgetTiming.ms.navigation_to_script_loaded.p90} |
| script loaded → first render | ${widgetTiming.ms.script_loaded_to_first_render.median} | ${widgetTiming.ms.script_loaded_to_first_render.p90} |
| socket open → snapshot rendered | ${widgetTiming.ms.socket_open_to_snapshot_rendered.median} | ${widgetTiming.ms.socket_open_to_snapshot_rendered.p90} |
` : ''}`;

mkdirSync(RESULTS, { recursive: true });
const stem = QUICK ? 'quick' : 'latest';
writeFileSync(join(RESULTS, `${stem}.json`), `${JSON.stringify(out, null, 2)}\n`);
writeFileSync(join(RESULTS, `${stem}.md`), md);
console.log(`\n${md}\nwritten to bench/results/${stem}.{json,md}`);
process.exit(0);
