/** On SIGUSR2 (from the bench): collect garbage if exposed, then print `MEM {rss, heapUsed, …}`. */
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  console.log(`MEM ${JSON.stringify(process.memoryUsage())}`);
});
