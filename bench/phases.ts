/** The measuring phases, each against one started target (the head-to-head against all at once). */
import { writeFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { pool, retries, Meter, type Conn, type Target, type TargetSpec } from './clients.ts';
import { CFG, ORIGIN, SKIP_TOOLS, SOCKETS_PER_SESSION } from './config.ts';
import { failedCall, post } from './http.ts';
import { cpuSeconds, rssMb, runProbe, sleep, stopProc } from './processes.ts';
import { medianOf, pct } from './stats.ts';


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
export async function memoryPhase(t: Target) {
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
export const SKIPPED_MEMORY = { sockets: 0, failed: 0, connect_s: 0, warm_sockets: 0, warm_failed: 0, rss_cold_mb: 0, rss_before_mb: 0, rss_middle_mb: 0, rss_after_mb: 0, kb_per_socket: NaN, cold_kb_per_socket: NaN, heap_kb_per_socket: NaN, heap_total_kb_per_socket: NaN, marginal_kb_per_socket: NaN, marginal_heap_kb_per_socket: NaN };

/** CFG.sessions sessions with their UI sockets, read by `meter`. */
export async function openSessions(t: Target, meter: Meter) {
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
export async function sustainedPhase(t: Target, seconds: number) {
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
    const opening = marks.find((m) => m.at >= from) ?? marks[0]!;
    const closing = [...marks].reverse().find((m) => m.at <= to) ?? marks.at(-1)!;
    const secs = (closing.at - opening.at) / 1000;
    if (secs < 1) return { rate: NaN, cpu_us_per_event: NaN }; // a phase too short for its windows
    const events = closing.events - opening.events;
    return { rate: Math.round(events / secs), cpu_us_per_event: +(((closing.cpu - opening.cpu) * 1e6) / Math.max(1, events)).toFixed(1) };
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


export async function loadPhases(t: Target) {
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
      const session = sessions[next++ % sessions.length]!;
      const sentAt = performance.now();
      const answer = await t.call(session.id).catch(failedCall);
      rtt2.push(performance.now() - sentAt);
      calls++;
      if (answer.status !== 200 || answer.json?.error) errors++;
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
export async function publishUntil(t: Target, end: number): Promise<number> {
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
export async function fanoutRun(t: Target, meter: Meter, ms: number) {
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
export async function headToHead(specs: TargetSpec[], cycles: number, sliceMs: number) {
  const live: Array<{ key: Target['key']; target: Target; meter: Meter; runs: Array<Awaited<ReturnType<typeof fanoutRun>>> }> = [];
  try {
    for (const spec of specs) {
      const target = await spec.make();
      const meter = new Meter();
      live.push({ key: spec.key, target, meter, runs: [] });
      await openSessions(target, meter);
    }
    for (const server of live) await fanoutRun(server.target, server.meter, 1000); // warm-up (JIT), not counted
    for (let cycle = 0; cycle < cycles; cycle++) {
      for (let i = 0; i < live.length; i++) {
        const server = live[(i + cycle) % live.length]!;
        server.runs.push(await fanoutRun(server.target, server.meter, sliceMs));
      }
    }
  } finally {
    for (const server of live) await stopProc(server.target.proc);
  }
  const per: Partial<Record<Target['key'], { events_per_s: number; server_cpu_us_per_event: number; lost: number; cycles: number[] }>> = {};
  for (const server of live) {
    const seconds = server.runs.reduce((n, run) => n + run.seconds, 0);
    const events = server.runs.reduce((n, run) => n + run.delivered_events, 0);
    per[server.key] = {
      events_per_s: Math.round(events / seconds),
      server_cpu_us_per_event: medianOf(server.runs.map((run) => run.server_cpu_us_per_event)),
      lost: server.runs.reduce((n, run) => n + run.lost, 0),
      cycles: server.runs.map((run) => run.delivered_events_per_s),
    };
  }
  return { cycles, slice_ms: sliceMs, servers: per };
}


/**
 * Records the events one get_shipping_quotes call logs on our BFF into `templateFile`, for the
 * comparison servers to replay; the flow's size.
 */
export async function captureTemplate(t: Target, templateFile: string) {
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
  return { events_per_call: events.length, bytes_per_call: events.reduce((n, e) => n + JSON.stringify(e).length + 90, 0) };
}
