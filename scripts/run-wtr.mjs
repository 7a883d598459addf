// Runs the widget's browser tests (web-test-runner, CI mode) and writes "passed failed" to the
// file named by argv[2]; exits non-zero when anything failed. Extra args go to wtr.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const out = process.argv[2] ?? '.tmp/counts/wtr';
const tally = '.tmp/wtr-tally.json';
mkdirSync(dirname(out), { recursive: true });
mkdirSync('.tmp', { recursive: true });
rmSync(tally, { force: true });

const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js', '--config', 'web-test-runner.config.mjs', ...process.argv.slice(3)],
  { stdio: 'inherit', env: { ...process.env, CI: 'true', SHIPVOX_WTR_TALLY: tally } },
);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  ({ passed, failed, skipped = 0 } = JSON.parse(readFileSync(tally, 'utf8')));
} catch {
  failed = 1; // wtr died before reporting
}
// The only skips are BFF-backed tests when the BFF did not start: that is a failure here.
if (skipped > 0) {
  console.error(`wtr: ${skipped} skipped tests count as failed (did the BFF start? see [wtr] above)`);
  failed += skipped;
}
if (r.status !== 0 && failed === 0) failed = 1;
writeFileSync(out, `${passed} ${failed}\n`);
console.log(`wtr: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || r.status !== 0 ? 1 : 0);
