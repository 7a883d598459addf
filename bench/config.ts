/** The benchmark's settings (environment overrides, BENCH_QUICK sizes) and its targets, each stated once. */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

export const QUICK = process.env.BENCH_QUICK === '1';
export const CFG = QUICK
  ? { sessions: 100, memSockets: 1000, warmSockets: 200, latRate: 50, latSeconds: 3, tpSeconds: 3, concurrency: 16 }
  : { sessions: 1000, memSockets: 10_000, warmSockets: 2000, latRate: 100, latSeconds: 6, tpSeconds: 8, concurrency: 32 };
export const SOCKETS_PER_SESSION = 2;
/** Load phases run this many rounds, the servers in a rotating order; figures are medians, ratios taken within a round. */
export const ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_ROUNDS)) || (QUICK ? 1 : 3));
/** Seconds of sustained fan-out per server (BENCH_SUSTAIN_S=0 skips it); 150 lets Socket.IO's 2-minute recovery buffer fill. */
export const SUSTAIN_S = process.env.BENCH_SUSTAIN_S !== undefined ? Math.max(0, Math.floor(Number(process.env.BENCH_SUSTAIN_S)) || 0) : QUICK ? 0 : 150;
/** Head-to-head fan-out (BENCH_H2H_CYCLES=0 skips it): every server up at once, the load moved between them in slices. */
export const H2H_CYCLES = process.env.BENCH_H2H_CYCLES !== undefined ? Math.max(0, Math.floor(Number(process.env.BENCH_H2H_CYCLES)) || 0) : QUICK ? 3 : 10;
export const H2H_SLICE_MS = 1500;
/** Sustained rounds (a fresh server each, the order rotated): its figures are medians, its ratios taken within a round. */
export const SUSTAIN_ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_SUSTAIN_ROUNDS)) || 2);
export const ORIGIN = 'http://bench.test';
export const AGENT_SECRET = 'agent_bench_secret_0001';
export const QUOTE = { from_zip: '10001', to_zip: '94105', weight: 2, weight_unit: 'lb' };
export const ROOT = new URL('..', import.meta.url).pathname;
export const RESULTS = join(ROOT, 'bench/results');
export const CORES = availableParallelism();
/** BENCH_SKIP_TOOLS=1 (diagnostics): no tool calls, only the fan-out phase of each load round. */
export const SKIP_TOOLS = process.env.BENCH_SKIP_TOOLS === '1';

/** The diagnostics switches (see bench/run.ts). */
export const ONLY = process.env.BENCH_ONLY?.split(',');
export const SKIP_MEMORY = Boolean(process.env.BENCH_SKIP_MEMORY);
export const SKIP_LOAD = Boolean(process.env.BENCH_SKIP_LOAD);

/** A performance target: the README's Performance section argues them; the report's "want" texts and verdicts come from here. */
export interface Goal {
  atLeast: boolean;
  limit: number;
  /** Decimals the limit is shown with. */
  digits: number;
  unit: string;
}

/** The table of targets. */
export const GOALS = {
  fanout_vs_socketio: { atLeast: true, limit: 1.5, digits: 1, unit: '×' },
  fanout_vs_bare: { atLeast: true, limit: 0.8, digits: 2, unit: '×' },
  memory_vs_socketio: { atLeast: false, limit: 0.4, digits: 2, unit: '×' },
  overhead_p99_ms: { atLeast: false, limit: 5, digits: 0, unit: ' ms' },
} as const satisfies Record<string, Goal>;

/** "≥ 1.5×", "≤ 5 ms". */
export const wantText = (goal: Goal): string => `${goal.atLeast ? '≥' : '≤'} ${goal.limit.toFixed(goal.digits)}${goal.unit}`;

/** Whether a reading meets the goal; null when it was not taken. */
export function meets(goal: Goal, reading: number | null): boolean | null {
  if (reading === null) return null;
  return goal.atLeast ? reading >= goal.limit : reading <= goal.limit;
}
