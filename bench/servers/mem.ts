/**
 * On SIGUSR2 (from the bench): collect garbage if exposed, then print `MEM {rss, heapUsed, …}`.
 * With BENCH_HEAP_DIR set, also writes a heap snapshot there each time (to see what a socket costs).
 */
import { writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';

let n = 0;
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  if (process.env.BENCH_HEAP_DIR) writeHeapSnapshot(join(process.env.BENCH_HEAP_DIR, `${process.pid}-${++n}.heapsnapshot`));
  console.log(`MEM ${JSON.stringify(process.memoryUsage())}`);
});
