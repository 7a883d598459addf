/**
 * `npm run bench:voice`: time to Bob's answer for get_shipping_quotes at 100 concurrent sessions,
 * with the carriers misbehaving the way carrier APIs do. The ShipVox simulator (its usual
 * latencies: USPS 150 ms, UPS 300 ms, FedEx 1.5 s) and bff/main.ts run as processes of their own;
 * this process opens the sessions and calls the webhook as ElevenLabs would, all on 127.0.0.1.
 *
 * Scenarios (faults set through the simulator's POST /__sim/faults):
 *   none      no fault
 *   slow      FedEx 8 s slower than usual (it still answers: its options are added after Bob's answer)
 *   hanging   FedEx never answers
 *   flaky     FedEx answers 500 to each request's first attempt, then OK to the retry
 * Target: p95 <= 4.5 s in every scenario (the quotes deadline is 4 s).
 *
 * BENCH_VOICE_SESSIONS (100), BENCH_VOICE_ROUNDS (3): each round is that many calls at once, each
 * from a session of its own; rounds are apart by the backend timeout, so a round does not queue
 * behind the late calls of the one before. Writes bench/results/voice.json and voice.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { DEV_AGENT_TOOL_SECRET } from '../bff/config.ts';
import { QUOTES_DEADLINE_MS } from '../shared/voice-budget.ts';
import { TEST_KEY, TEST_ORIGIN } from '../test/helpers/bff.ts';
import { startMain } from '../test/helpers/main-process.ts';
import { post } from './http.ts';

const SESSIONS = Number(process.env.BENCH_VOICE_SESSIONS ?? 100);
const ROUNDS = Number(process.env.BENCH_VOICE_ROUNDS ?? 3);
const SHIPVOX_TIMEOUT_MS = 10_000;
const TARGET_P95_MS = 4500;
const QUOTE = { from_zip: '10001', to_zip: '94105', weight: 2, weight_unit: 'lb' };

const SCENARIOS: Array<{ name: string; label: string; faults: Record<string, unknown> }> = [
  { name: 'none', label: 'no fault', faults: {} },
  { name: 'slow', label: 'one carrier slow (FedEx +8 s)', faults: { slowCarriers: { FedEx: 8000 } } },
  { name: 'hanging', label: 'one carrier hanging (FedEx)', faults: { timeoutCarriers: ['FedEx'], hangMs: 600_000 } },
  { name: 'flaky', label: 'one carrier 5xx then OK (FedEx)', faults: { flakyCarriers: ['FedEx'] } },
];

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startSimulatorProcess(): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bff/simulator/main.ts'], { env: { ...process.env, SIMULATOR_PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += String(d);
      const m = /listening on (http\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`simulator exited (${code}): ${out}`)));
  });
  return { proc, url };
}

async function newSessionId(bffUrl: string): Promise<string> {
  const r = await post(`${bffUrl}/v1/sessions`, { publishable_key: TEST_KEY }, { origin: TEST_ORIGIN });
  if (r.status !== 201) throw new Error(`exchange ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.session_id as string;
}

const sim = await startSimulatorProcess();
const main = await startMain({
  NODE_ENV: 'development',
  SHIPVOX_URL: sim.url,
  STORE: 'memory',
  LOG_LEVEL: 'info', // startMain waits for the 'listening' line
  RATE_LIMIT_HTTP_PER_MIN: '1000000',
  RATE_LIMIT_KEY_PER_MIN: '10000000',
  SHIPVOX_TIMEOUT_MS: String(SHIPVOX_TIMEOUT_MS),
}).catch((err: unknown) => {
  sim.proc.kill('SIGTERM');
  throw err;
});
const results: Array<Record<string, unknown>> = [];
try {
  const bff = main.bff.url;
  // Warm-up: JIT and keep-alive connections, not measured.
  await Promise.all(Array.from({ length: 20 }, async () => post(`${bff}/v1/agent/tools/get_shipping_quotes`, { session_id: await newSessionId(bff), ...QUOTE }, { authorization: `Bearer ${DEV_AGENT_TOOL_SECRET}` })));
  for (const scenario of SCENARIOS) {
    await post(`${sim.url}/__sim/reset`, {});
    await post(`${sim.url}/__sim/faults`, scenario.faults);
    const times: number[] = [];
    let failed = 0;
    let namedMissing = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const ids = await Promise.all(Array.from({ length: SESSIONS }, () => newSessionId(bff)));
      await Promise.all(
        ids.map(async (session_id) => {
          const t0 = performance.now();
          const r = await post(`${bff}/v1/agent/tools/get_shipping_quotes`, { session_id, ...QUOTE }, { authorization: `Bearer ${DEV_AGENT_TOOL_SECRET}` }).catch(() => null);
          times.push(performance.now() - t0);
          if (!r || r.status !== 200 || r.json.error) failed++;
          else if (/FedEx hasn't answered yet|FedEx didn't answer/.test(r.json.result)) namedMissing++;
        }),
      );
      // Late calls of this round (a slow or hanging FedEx) end by the backend timeout.
      if (scenario.name === 'slow' || scenario.name === 'hanging') await pause(SHIPVOX_TIMEOUT_MS + 500);
    }
    times.sort((a, b) => a - b);
    const row = {
      scenario: scenario.name,
      label: scenario.label,
      calls: times.length,
      failed,
      answers_naming_fedex_missing: namedMissing,
      p50_ms: Math.round(percentile(times, 50)),
      p95_ms: Math.round(percentile(times, 95)),
      p99_ms: Math.round(percentile(times, 99)),
      max_ms: Math.round(times.at(-1)!),
      met: percentile(times, 95) <= TARGET_P95_MS && failed === 0,
    };
    results.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  main.proc.kill('SIGTERM');
  sim.proc.kill('SIGTERM');
  await main.exited;
}

const at = new Date().toISOString();
const report = { at, sessions: SESSIONS, rounds: ROUNDS, quotes_deadline_ms: QUOTES_DEADLINE_MS, target_p95_ms: TARGET_P95_MS, cpus: cpus().length, loadavg: loadavg().map((l) => Number(l.toFixed(2))), results };
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/voice.json', `${JSON.stringify(report, null, 2)}\n`);
const md = [
  `# Voice time: get_shipping_quotes at ${SESSIONS} concurrent sessions (${at})`,
  '',
  `\`npm run bench:voice\`: ${ROUNDS} rounds of ${SESSIONS} calls at once per scenario, each from its own session; simulator with its usual latencies (USPS 150 ms, UPS 300 ms, FedEx 1.5 s) and bff/main.ts as processes of their own; quotes deadline ${QUOTES_DEADLINE_MS} ms. Load average at the end ${report.loadavg.join(' / ')} (${report.cpus} CPUs, shared).`,
  '',
  '| scenario | calls | failed | named FedEx as missing | p50 ms | p95 ms | p99 ms | max ms | p95 <= 4.5 s |',
  '|---|---|---|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.label} | ${r.calls} | ${r.failed} | ${r.answers_naming_fedex_missing} | ${r.p50_ms} | ${r.p95_ms} | ${r.p99_ms} | ${r.max_ms} | ${r.met ? 'met' : '**missed**'} |`),
  '',
].join('\n');
writeFileSync('bench/results/voice.md', md);
console.log(md);
