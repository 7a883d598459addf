/**
 * The latency probe: a process of its own that only times tool calls, so the load generator's
 * work (reading every broadcast on thousands of sockets) does not delay the readings.
 * stdin: {"rate": calls per second, "warmup": calls not measured, "calls": [{url, body, headers}, …]},
 * issued open loop in order.
 * stdout: a line `warm` when the first measured call is about to go out, then one JSON line
 * {"took": ms[], "answers": [{status, error, backendMs, handlerMs}], loop delay since `warm`}.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { text } from 'node:stream/consumers';
import { failedCall, post, type Call } from './http.ts';

const { rate, warmup, calls } = JSON.parse(await text(process.stdin)) as { rate: number; warmup: number; calls: Call[] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const took: number[] = new Array(calls.length);
const answers: Array<{ status: number; error: boolean; backendMs: number; handlerMs: number | null }> = new Array(calls.length);
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const pending: Promise<void>[] = [];
const t0 = performance.now();
for (let i = 0; i < calls.length; i++) {
  const wait = t0 + (i * 1000) / rate - performance.now();
  if (wait > 0) await sleep(wait);
  if (i === warmup) {
    loopDelay.reset();
    process.stdout.write('warm\n');
  }
  const c = calls[i]!;
  pending.push((async () => {
    const a = performance.now();
    const r = await post(c.url, c.body, c.headers).catch(failedCall);
    took[i] = performance.now() - a;
    answers[i] = { status: r.status, error: Boolean(r.json?.error), backendMs: r.backendMs, handlerMs: Number.isNaN(r.handlerMs) ? null : r.handlerMs };
  })());
}
await Promise.all(pending);
loopDelay.disable();
// Exit only once the pipe has taken the whole line: a large write may still be queued.
process.stdout.write(`${JSON.stringify({ took, answers, loop_delay_p99_ms: loopDelay.percentile(99) / 1e6, loop_delay_max_ms: loopDelay.max / 1e6 })}\n`, () => process.exit(0));
