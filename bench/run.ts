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
 * Modules: config.ts (settings and the table of targets), processes.ts, clients.ts (clients and
 * targets), phases.ts, stats.ts, report.ts; this file runs the phases in order and writes the report.
 * Diagnostics: BENCH_ONLY=bff_memory,… runs a subset and prints JSON; BENCH_PROF=1 adds --cpu-prof
 * to the servers; BENCH_NODE_FLAGS adds node flags (e.g. --trace-gc) and BENCH_TRACE_FILE collects
 * the servers' stdout; BENCH_HEAP_DIR makes them write a heap snapshot at each memory sample;
 * BENCH_SKIP_MEMORY=1 skips the memory phase, BENCH_SKIP_LOAD=1 the load phases, BENCH_SKIP_TOOLS=1 the
 * tool-call parts of the load phases (fan-out only).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { RedisServer } from '../test/helpers/redis.ts';
import { bffTarget, plainTarget, type Target, type TargetSpec } from './clients.ts';
import { CFG, H2H_CYCLES, H2H_SLICE_MS, ONLY, QUICK, RESULTS, ROOT, ROUNDS, SKIP_LOAD, SKIP_MEMORY, SOCKETS_PER_SESSION, SUSTAIN_ROUNDS, SUSTAIN_S } from './config.ts';
import { captureTemplate, headToHead, loadPhases, memoryPhase, SKIPPED_MEMORY, sustainedPhase } from './phases.ts';
import { loadavg, startProc, stopOnExit, stopProc, taskset } from './processes.ts';
import { report, type Load, type Memory, type ReportInput, type ServerResult, type Sustained } from './report.ts';
import { medianOf } from './stats.ts';
import { measureWidget, widgetSummary, type WidgetBenchResult } from './widget.ts';

const TSX = ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', join(tmpdir(), 'svx-bench-prof')] : [])];
console.log(`bench: ${QUICK ? 'QUICK' : 'full'} run, ${CFG.sessions} sessions × ${SOCKETS_PER_SESSION} sockets, memory at ${CFG.memSockets} sockets; pinned: ${taskset}`);
const simulator = await startProc([...TSX, 'bff/simulator/main.ts'], { SIMULATOR_PORT: '0', SIMULATOR_LATENCY: '0' }, 1, /listening on (http:\/\/\S+)/);
// Redis is started before this process pins itself (children inherit the affinity): it floats on both cores.
const redis = await RedisServer.start();
stopOnExit(() => redis.killNow());
if (taskset) spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
const templateFile = join(tmpdir(), `svx-bench-template-${process.pid}.json`);
/** Each BFF-on-Redis run starts from an empty Redis (earlier phases and rounds leave sessions behind). */
async function flushRedis(): Promise<void> {
  const client = new Redis(redis.url, { lazyConnect: true });
  await client.connect();
  await client.flushall();
  client.disconnect();
}
const results: Partial<Record<Target['key'], ServerResult>> = {};
let flow: ReportInput['flow'] | undefined;

const targets: TargetSpec[] = [
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

const chosen = targets.filter((x) => !ONLY || ONLY.includes(x.key) || (x.key === 'bff_memory' && !existsSync(templateFile)));
const memoryOf: Partial<Record<Target['key'], Memory>> = {};
const rounds: Array<Partial<Record<Target['key'], Load>>> = [];
let h2h: Awaited<ReturnType<typeof headToHead>> | null = null;
const sustainedRounds: Array<Partial<Record<Target['key'], Sustained>>> = [];
try {
  // Memory: once per server, each fresh (the BFF on the memory store first: it records the template).
  for (const spec of chosen) {
    const t = await spec.make();
    try {
      if (spec.key === 'bff_memory') flow = await captureTemplate(t, templateFile);
      process.stdout.write(`${spec.name}: memory… `);
      const memory = SKIP_MEMORY ? SKIPPED_MEMORY : await memoryPhase(t);
      memoryOf[spec.key] = memory;
      console.log(`${memory.kb_per_socket} KB/socket`);
    } finally {
      await stopProc(t.proc);
    }
  }
  // Load: ROUNDS rounds, a fresh server each time, the order rotated per round.
  for (let r = 0; r < ROUNDS && !SKIP_LOAD; r++) {
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
  if (H2H_CYCLES > 0 && !SKIP_LOAD) {
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
        const held = (round[spec.key] = await sustainedPhase(t, SUSTAIN_S));
        console.log(`first 30 s ${held.first_30s_events_per_s} ev/s, last 30 s ${held.last_30s_events_per_s} ev/s, RSS ${held.server_rss_mb_at_end} MB`);
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
  results[spec.key] = { name: spec.name, memory: memoryOf[spec.key], ...(mine.length ? medianOf(mine) : {}), rounds: mine, sustained: held.length ? { ...medianOf(held), rounds: held } : null } as ServerResult;
}

if (ONLY || SKIP_LOAD) {
  console.log(JSON.stringify({ flow, ...results, head_to_head: h2h }, null, 2));
  process.exit(0);
}
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

const { out, md } = report({ results: results as ReportInput['results'], flow: flow!, rounds, sustainedRounds, h2h, widget, widgetTiming });
mkdirSync(RESULTS, { recursive: true });
const stem = QUICK ? 'quick' : 'latest';
writeFileSync(join(RESULTS, `${stem}.json`), `${JSON.stringify(out, null, 2)}\n`);
writeFileSync(join(RESULTS, `${stem}.md`), md);
console.log(`\n${md}\nwritten to bench/results/${stem}.{json,md}`);
process.exit(0);
