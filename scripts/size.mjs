// Prints the gzip size of the script-tag bundle and of its lazily loaded chunks (SDK and attach mode's
// voice chunks, motion, the conversation panel, the language packs, the shipment's elements), and fails when one is over its budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const files = process.argv[2]
  ? [[process.argv[2], 24 * 1024]]
  : [
      ['dist/widget/shipvox-companion.js', 24 * 1024],
      ['dist/widget/shipvox-voice.js', 25 * 1024],
      ['dist/widget/shipvox-attach.js', 2 * 1024],
      ['dist/widget/shipvox-motion.js', 4 * 1024],
      ['dist/widget/shipvox-talk.js', 4 * 1024],
      ['dist/widget/shipvox-shipment.js', 18 * 1024],
      // A pack translates every string: the script tag's, the console's, the conversation panel's and the shipment's.
      ['dist/widget/shipvox-lang-es.js', 5 * 1024],
      ['dist/widget/shipvox-lang-fr.js', 5 * 1024],
      ['dist/widget/shipvox-label-files.js', 2 * 1024],
      ['dist/widget/shipvox-dev-console.js', 10 * 1024],
    ];
const kb = (n) => (n / 1024).toFixed(1);
let failed = false;
for (const [file, budget] of files) {
  let source;
  try {
    source = readFileSync(file);
  } catch {
    console.error(`size: ${file} is missing; run npm run build first`);
    process.exit(1);
  }
  const gzip = gzipSync(source, { level: 9 }).length;
  console.log(`size: ${file} ${source.length} B min, ${gzip} B gzip (${kb(gzip)} KB of ${kb(budget)} KB budget)`);
  if (gzip > budget) {
    console.error(`size: ${file} over budget by ${gzip - budget} B`);
    failed = true;
  }
}
if (failed) process.exit(1);
