/**
 * On SIGUSR2 (from the bench): collect garbage if exposed, let V8 hand the freed pages back to the
 * system (its unmapper and sweepers run on background threads, so RSS read right after `gc()` still
 * counts pages about to be released), then print `MEM {rss, heapUsed, …}`.
 * With BENCH_HEAP_DIR set, also writes a heap snapshot there each time (to see what a socket costs).
 */
import { writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';

const SETTLE_MS = 1000;
const collect = () => (globalThis as { gc?: () => void }).gc?.();

let n = 0;
process.on('SIGUSR2', () => {
  collect();
  setTimeout(() => {
    if (process.env.BENCH_HEAP_DIR) writeHeapSnapshot(join(process.env.BENCH_HEAP_DIR, `${process.pid}-${++n}.heapsnapshot`));
    console.log(`MEM ${JSON.stringify(process.memoryUsage())}`);
  }, SETTLE_MS);
});
