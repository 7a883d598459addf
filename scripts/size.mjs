// Prints the gzip size of the script-tag bundle and fails above the budget (24 KB gzip).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const file = process.argv[2] ?? 'dist/widget/shipvox-companion.js';
const budget = 24 * 1024;
let source;
try {
  source = readFileSync(file);
} catch {
  console.error(`size: ${file} is missing; run npm run build first`);
  process.exit(1);
}
const gzip = gzipSync(source, { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1);
console.log(`size: ${file} ${source.length} B min, ${gzip} B gzip (${kb(gzip)} KB of ${kb(budget)} KB budget)`);
if (gzip > budget) {
  console.error(`size: over budget by ${gzip - budget} B`);
  process.exit(1);
}
