/**
 * The report: ratios between the servers, the verdict per target (GOALS in bench/config.ts), and
 * the JSON and Markdown written to bench/results/.
 */
import { CFG, CORES, GOALS, H2H_SLICE_MS, QUICK, ROUNDS, SOCKETS_PER_SESSION, SUSTAIN_ROUNDS, SUSTAIN_S, meets, wantText } from './config.ts';
import type { Target } from './clients.ts';
import type { fanoutRun, headToHead, loadPhases, memoryPhase, sustainedPhase } from './phases.ts';
import { LOAD, taskset } from './processes.ts';
import { medianOf, ratio } from './stats.ts';
import type { WidgetBenchResult } from './widget.ts';

export type Memory = Awaited<ReturnType<typeof memoryPhase>>;
export type Load = Awaited<ReturnType<typeof loadPhases>> & { loadavg: string };
export type Sustained = Awaited<ReturnType<typeof sustainedPhase>>;
export type ServerResult = { name: string; memory: Memory; rounds: Load[]; sustained: (Sustained & { rounds: Sustained[] }) | null } & Load;
/** The servers in the report's order. */
export const SERVER_KEYS = ['bff_memory', 'bff_redis', 'socketio', 'bare_ws'] as const satisfies readonly Target['key'][];

export interface ReportInput {
  results: Record<Target['key'], ServerResult>;
  flow: { events_per_call: number; bytes_per_call: number };
  rounds: Array<Partial<Record<Target['key'], Load>>>;
  sustainedRounds: Array<Partial<Record<Target['key'], Sustained>>>;
  h2h: Awaited<ReturnType<typeof headToHead>> | null;
  widget: { bytes: number; gzip_bytes: number } | null;
  widgetTiming: WidgetBenchResult | null;
}

/** The report as JSON (`out`) and Markdown (`md`). */
export function report({ results, flow, rounds, sustainedRounds, h2h, widget, widgetTiming }: ReportInput) {
  const { bff_memory: bffMemory, bff_redis: bffRedis, socketio, bare_ws: bare } = results;
  const servers = SERVER_KEYS.map((k) => results[k]);
  function roundRatios(pick: (l: Load) => number, x: Target['key'], y: Target['key']) {
    const per = rounds.map((r) => ratio(pick(r[x]!), pick(r[y]!)));
    return { median: medianOf(per), rounds: per };
  }
  const fanout = (l: Load) => l.fanout.delivered_events_per_s;
  const toolFlow = (l: Load) => l.throughput.delivered_events_per_s;
  const fanVsSio = { memory: roundRatios(fanout, 'bff_memory', 'socketio'), redis: roundRatios(fanout, 'bff_redis', 'socketio') };
  const fanVsBare = { memory: roundRatios(fanout, 'bff_memory', 'bare_ws'), redis: roundRatios(fanout, 'bff_redis', 'bare_ws') };
  const targetsMet = {
    fanout_vs_socketio: { want: wantText(GOALS.fanout_vs_socketio), memory: fanVsSio.memory.median, redis: fanVsSio.redis.median, rounds: { memory: fanVsSio.memory.rounds, redis: fanVsSio.redis.rounds } },
    fanout_vs_bare: { want: wantText(GOALS.fanout_vs_bare), memory: fanVsBare.memory.median, redis: fanVsBare.redis.median, rounds: { memory: fanVsBare.memory.rounds, redis: fanVsBare.redis.rounds } },
    tool_flow_vs_socketio: { memory: roundRatios(toolFlow, 'bff_memory', 'socketio').median, redis: roundRatios(toolFlow, 'bff_redis', 'socketio').median },
    memory_vs_socketio: { want: wantText(GOALS.memory_vs_socketio), memory: ratio(bffMemory.memory.kb_per_socket, socketio.memory.kb_per_socket), redis: ratio(bffRedis.memory.kb_per_socket, socketio.memory.kb_per_socket) },
    cold_memory_vs_socketio: { want: wantText(GOALS.memory_vs_socketio), memory: ratio(bffMemory.memory.cold_kb_per_socket, socketio.memory.cold_kb_per_socket), redis: ratio(bffRedis.memory.cold_kb_per_socket, socketio.memory.cold_kb_per_socket) },
    marginal_memory_vs_socketio: { want: wantText(GOALS.memory_vs_socketio), memory: ratio(bffMemory.memory.marginal_kb_per_socket, socketio.memory.marginal_kb_per_socket), redis: ratio(bffRedis.memory.marginal_kb_per_socket, socketio.memory.marginal_kb_per_socket) },
    overhead_p99_ms: { want: `${wantText(GOALS.overhead_p99_ms)} at ${CFG.sessions} sessions`, memory: bffMemory.latency.overhead_p99_ms, redis: bffRedis.latency.overhead_p99_ms, rounds: rounds.map((r) => r.bff_memory!.latency.overhead_p99_ms) },
    server_overhead_p99_ms: { want: `${wantText(GOALS.overhead_p99_ms)} at ${CFG.sessions} sessions`, memory: bffMemory.latency.server_overhead_p99_ms, redis: bffRedis.latency.server_overhead_p99_ms, rounds: rounds.map((r) => r.bff_memory!.latency.server_overhead_p99_ms) },
    sockets: { want: `${CFG.memSockets} concurrent on 2 cores`, memory: bffMemory.memory.sockets, redis: bffRedis.memory.sockets },
  };
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
    fanout_vs_socketio: { want: wantText(GOALS.fanout_vs_socketio), ...pairedRatios(headToHeadSeries, 'socketio') },
    fanout_vs_bare: { want: wantText(GOALS.fanout_vs_bare), ...pairedRatios(headToHeadSeries, 'bare_ws') },
  };
  const steady = {
    fanout_vs_socketio: { want: wantText(GOALS.fanout_vs_socketio), ...pairedRatios(sustainedSeries, 'socketio') },
    fanout_vs_bare: { want: wantText(GOALS.fanout_vs_bare), ...pairedRatios(sustainedSeries, 'bare_ws') },
  };
  const met = {
    h2h_fanout_vs_socketio: meets(GOALS.fanout_vs_socketio, headToHeadRatios.fanout_vs_socketio.memory),
    h2h_fanout_vs_bare: meets(GOALS.fanout_vs_bare, headToHeadRatios.fanout_vs_bare.memory),
    steady_fanout_vs_socketio: meets(GOALS.fanout_vs_socketio, steady.fanout_vs_socketio.memory),
    steady_fanout_vs_bare: meets(GOALS.fanout_vs_bare, steady.fanout_vs_bare.memory),
    fanout_vs_socketio: meets(GOALS.fanout_vs_socketio, targetsMet.fanout_vs_socketio.memory)!,
    fanout_vs_bare: meets(GOALS.fanout_vs_bare, targetsMet.fanout_vs_bare.memory)!,
    memory_vs_socketio: meets(GOALS.memory_vs_socketio, targetsMet.memory_vs_socketio.memory)!,
    cold_memory_vs_socketio: meets(GOALS.memory_vs_socketio, targetsMet.cold_memory_vs_socketio.memory)!,
    marginal_memory_vs_socketio: meets(GOALS.memory_vs_socketio, targetsMet.marginal_memory_vs_socketio.memory)!,
    overhead_p99: meets(GOALS.overhead_p99_ms, bffMemory.latency.overhead_p99_ms)!,
    server_overhead_p99: meets(GOALS.overhead_p99_ms, bffMemory.latency.server_overhead_p99_ms ?? Infinity)!,
    sockets: bffMemory.memory.sockets >= CFG.memSockets && bffMemory.memory.failed === 0,
  };
  const out = {
    date: new Date().toISOString(),
    quick: QUICK,
    node: process.version,
    cores: CORES,
    loadavg_at_start: LOAD,
    pinned: taskset ? 'server on core 0; generator + simulator on core 1; redis-server unpinned' : 'not pinned (no taskset)',
    config: { ...CFG, rounds: ROUNDS, sockets_per_session: SOCKETS_PER_SESSION, tool: 'get_shipping_quotes (simulator latency 0)' },
    flow,
    results: { bff_memory: bffMemory, bff_redis: bffRedis, socketio, bare_ws: bare },
    ratios: targetsMet,
    steady_state_ratios: steady,
    head_to_head: h2h,
    head_to_head_ratios: headToHeadRatios,
    met,
    widget: widget ? { ...widget, timing: widgetTiming && { runs: widgetTiming.runs, chromium: widgetTiming.chromium, ms: widgetTiming.ms } } : null,
  };

  const row = (r: ServerResult) =>
    `| ${r.name} | ${r.fanout.delivered_events_per_s} (${r.fanout.lost}) | ${r.fanout.broadcast_p50_ms} / ${r.fanout.broadcast_p99_ms} | ${r.fanout.server_cpu_pct} / ${r.fanout.generator_cpu_pct} / ${r.fanout.server_cpu_us_per_event} | ${r.throughput.tool_calls_per_s} | ${r.throughput.delivered_events_per_s} | ${r.latency.overhead_p50_ms} / ${r.latency.overhead_p99_ms} | ${r.latency.probe_loop_delay_p99_ms} / ${r.latency.probe_loop_delay_max_ms} | ${r.latency.server_overhead_p50_ms ?? '—'} / ${r.latency.server_overhead_p99_ms ?? '—'} | ${r.latency.round_trip_p50_ms} / ${r.latency.round_trip_p99_ms} | ${r.latency.broadcast_p50_ms} / ${r.latency.broadcast_p99_ms} | ${r.throughput.rtt_p50_ms} / ${r.throughput.rtt_p99_ms} | ${r.memory.kb_per_socket} | ${r.memory.cold_kb_per_socket} | ${r.memory.marginal_kb_per_socket} | ${r.memory.heap_kb_per_socket} | ${r.memory.sockets}${r.memory.failed ? ` (${r.memory.failed} failed)` : ''} |`;
  const perRound = (key: Target['key']) => rounds.map((r) => r[key]!);
  const roundRow = (i: number) => {
    const loads = SERVER_KEYS.map((k) => perRound(k)[i]!);
    const [memoryLoad, , , bareLoad] = loads as [Load, Load, Load, Load];
    return `| ${i + 1} | ${loads.slice(0, 3).map(fanout).join(' | ')} | ${fanout(bareLoad)} (${bareLoad.fanout.generator_cpu_pct} %) | ${fanVsSio.memory.rounds[i]}× | ${fanVsBare.memory.rounds[i]}× | ${memoryLoad.latency.overhead_p99_ms} / ${memoryLoad.latency.server_overhead_p99_ms} | ${loads.map((l) => l.loadavg.split(' → ')[0]).join(', ')} |`;
  };
  const list = (xs: number[]) => xs.join(', ');
  const yes = (b: boolean | null) => (b === null ? 'not run' : b ? 'met' : '**missed**');
  const susRow = (r: ServerResult) => {
    const held = r.sustained;
    return held ? `| ${r.name} | ${held.first_30s_events_per_s} | ${held.last_30s_events_per_s} (${list(held.rounds.map((one) => one.last_30s_events_per_s))}) | ${held.last_30s_server_cpu_us_per_event} | ${held.server_rss_mb_at_end} | ${held.lost} |` : `| ${r.name} | — | — | — | — | — |`;
  };
  const md = `# Benchmark ${out.date.slice(0, 16)}Z${QUICK ? ' (BENCH_QUICK)' : ''}

Node ${out.node}, ${out.cores} cores (load average at start ${LOAD}: other work shares the machine), ${out.pinned}. ${CFG.sessions} sessions × ${SOCKETS_PER_SESSION} UI sockets; each tool call is
\`get_shipping_quotes\` through the webhook (${flow.events_per_call} logged events, ~${flow.bytes_per_call} bytes, fanned out to both sockets). Socket.IO and the
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
${servers.map(row).join('\n')}

| round | fan-out ev/s: BFF memory | BFF Redis | Socket.IO | bare hub (its generator's CPU) | BFF ÷ Socket.IO | BFF ÷ bare hub | BFF overhead p99 ms: probe / in-server | load avg (1 min) at each server's start |
|---|---|---|---|---|---|---|---|---|
${rounds.map((_, i) => roundRow(i)).join('\n')}

${h2h ? `Head to head: all four servers up at once (each pinned to core 0, each with its own ${CFG.sessions} sessions × ${SOCKETS_PER_SESSION} sockets), the fan-out
load moved from one to the next in ${H2H_SLICE_MS / 1000} s slices for ${h2h.cycles} cycles (after a 1 s warm-up each); a server out of its slice sits idle, so
a slow or fast moment of the machine falls on all of them alike:

| server | delivered ev/s over its slices | server µs per delivered event (median) | per-slice ev/s | lost |
|---|---|---|---|---|
${SERVER_KEYS.map((k) => {
  const name = results[k].name, slices = h2h!.servers[k];
  return slices ? `| ${name} | ${slices.events_per_s} | ${slices.server_cpu_us_per_event} | ${list(slices.cycles)} | ${slices.lost} |` : `| ${name} | — | — | — | — |`;
}).join('\n')}

` : ''}${SUSTAIN_S > 0 ? `Sustained fan-out: the fan-out load held ${SUSTAIN_S} s on a fresh server, ${SUSTAIN_ROUNDS} round${SUSTAIN_ROUNDS > 1 ? 's (the order rotated; medians, ratios taken within a round)' : ''}${SUSTAIN_S >= 120 ? `, long enough for Socket.IO's 2-minute recovery
buffer to fill (what a server that has been running meets; the ${CFG.tpSeconds} s phase above sees every server fresh)` : ` (shorter than Socket.IO's 2-minute recovery window: its buffer is not full yet)`}:

| server | first 30 s ev/s | last 30 s ev/s (per round) | server µs per delivered event, last 30 s | server RSS MB at the end | lost |
|---|---|---|---|---|---|
${servers.map(susRow).join('\n')}

` : ''}| target | want | BFF memory | BFF Redis | verdict (memory store) |
|---|---|---|---|---|
| fan-out vs Socket.IO at steady state (last 30 s of ${SUSTAIN_S} s; median of ${list(steady.fanout_vs_socketio.rounds)}) | ${wantText(GOALS.fanout_vs_socketio)} | ${steady.fanout_vs_socketio.memory ?? '—'}× | ${steady.fanout_vs_socketio.redis ?? '—'}× | ${yes(met.steady_fanout_vs_socketio)} |
| fan-out vs bare hub at steady state (median of ${list(steady.fanout_vs_bare.rounds)}) | ${wantText(GOALS.fanout_vs_bare)} | ${steady.fanout_vs_bare.memory ?? '—'}× | ${steady.fanout_vs_bare.redis ?? '—'}× | ${yes(met.steady_fanout_vs_bare)} |
| fan-out vs Socket.IO, head to head (servers alternating ${H2H_SLICE_MS / 1000} s slices; median over ${h2h?.cycles ?? 0} cycles of ${list(headToHeadRatios.fanout_vs_socketio.rounds)}) | ${wantText(GOALS.fanout_vs_socketio)} | ${headToHeadRatios.fanout_vs_socketio.memory ?? '—'}× | ${headToHeadRatios.fanout_vs_socketio.redis ?? '—'}× | ${yes(met.h2h_fanout_vs_socketio)} |
| fan-out vs bare hub, head to head (median of ${list(headToHeadRatios.fanout_vs_bare.rounds)}) | ${wantText(GOALS.fanout_vs_bare)} | ${headToHeadRatios.fanout_vs_bare.memory ?? '—'}× | ${headToHeadRatios.fanout_vs_bare.redis ?? '—'}× | ${yes(met.h2h_fanout_vs_bare)} |
| fan-out vs Socket.IO, fresh servers (${CFG.tpSeconds} s fan-out phase; median of ${list(fanVsSio.memory.rounds)}) | ${wantText(GOALS.fanout_vs_socketio)} | ${targetsMet.fanout_vs_socketio.memory}× | ${targetsMet.fanout_vs_socketio.redis}× | ${yes(met.fanout_vs_socketio)} |
| fan-out vs bare hub, fresh servers (median of ${list(fanVsBare.memory.rounds)}) | ${wantText(GOALS.fanout_vs_bare)} | ${targetsMet.fanout_vs_bare.memory}× | ${targetsMet.fanout_vs_bare.redis}× | ${yes(met.fanout_vs_bare)} |
| memory per idle socket vs Socket.IO, average from a warmed empty server | ${wantText(GOALS.memory_vs_socketio)} | ${targetsMet.memory_vs_socketio.memory}× | ${targetsMet.memory_vs_socketio.redis}× | ${yes(met.memory_vs_socketio)} |
| memory per idle socket vs Socket.IO, average from a cold server | ${wantText(GOALS.memory_vs_socketio)} | ${targetsMet.cold_memory_vs_socketio.memory}× | ${targetsMet.cold_memory_vs_socketio.redis}× | ${yes(met.cold_memory_vs_socketio)} |
| memory per idle socket vs Socket.IO, marginal (${CFG.memSockets / 2} → ${CFG.memSockets} sockets) | ${wantText(GOALS.memory_vs_socketio)} | ${targetsMet.marginal_memory_vs_socketio.memory}× | ${targetsMet.marginal_memory_vs_socketio.redis}× | ${yes(met.marginal_memory_vs_socketio)} |
| tool-call overhead p99 at ${CFG.sessions} sessions, seen by the probe (median of ${list(targetsMet.overhead_p99_ms.rounds)}) | ${wantText(GOALS.overhead_p99_ms)} | ${bffMemory.latency.overhead_p99_ms} ms | ${bffRedis.latency.overhead_p99_ms} ms | ${yes(met.overhead_p99)} |
| tool-call overhead p99 at ${CFG.sessions} sessions, in the server (median of ${list(targetsMet.server_overhead_p99_ms.rounds.map((x) => x ?? NaN))}) | ${wantText(GOALS.overhead_p99_ms)} | ${bffMemory.latency.server_overhead_p99_ms} ms | ${bffRedis.latency.server_overhead_p99_ms} ms | ${yes(met.server_overhead_p99)} |
| concurrent sockets on 2 cores | ${CFG.memSockets} | ${bffMemory.memory.sockets} | ${bffRedis.memory.sockets} | ${yes(met.sockets)} |

Each target is reported several ways. The reading that decides it, and why: fan-out at steady state (the server users run, and the
only reading in which the two fan-out targets agree: fresh, the bare hub itself is ${ratio(bare.fanout.delivered_events_per_s, socketio.fanout.delivered_events_per_s)}× Socket.IO in this run, so 1.5× Socket.IO
there asks for ${(1.5 / ratio(bare.fanout.delivered_events_per_s, socketio.fanout.delivered_events_per_s)).toFixed(2)}× the hub), memory from a warmed server (one-time costs of the process are not per socket), overhead
in the server (the probe's reading adds a loopback round trip and two event loops: by it the bare hub, which does nothing per call,
shows ${bare.latency.overhead_p99_ms} ms p99 in this run). Argued in the README's Performance section.
${widget ? `\nWidget: \`dist/widget/shipvox-companion.js\` ${widget.bytes} bytes, ${widget.gzip_bytes} bytes gzip (level 9).\n` : ''}${widgetTiming ? `
| widget in headless Chromium ${widgetTiming.chromium} (${widgetTiming.runs} fresh page loads, cold cache) | median ms | p90 ms |
|---|---|---|
| navigation → script loaded | ${widgetTiming.ms.navigation_to_script_loaded.median} | ${widgetTiming.ms.navigation_to_script_loaded.p90} |
| script loaded → first render | ${widgetTiming.ms.script_loaded_to_first_render.median} | ${widgetTiming.ms.script_loaded_to_first_render.p90} |
| socket open → snapshot rendered | ${widgetTiming.ms.socket_open_to_snapshot_rendered.median} | ${widgetTiming.ms.socket_open_to_snapshot_rendered.p90} |
` : ''}`;

  return { out, md };
}
