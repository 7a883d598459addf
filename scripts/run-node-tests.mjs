// Runs every Node test file (test/**/*.test.ts) with node:test + tsx, prints the spec output and
// writes "passed failed" to the file named by argv[2].
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2] ?? '.tmp/counts/node';
const filter = process.argv[3];
const files = [];
(function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith('.test.ts') && (!filter || p.includes(filter))) files.push(p);
  }
})('test');
files.sort();
mkdirSync('.tmp', { recursive: true });
const tap = join('.tmp', `${out.replace(/[^A-Za-z0-9]+/g, '-')}.tap`);
// --test-timeout also bounds each file as a whole: it is the guard against a hang, sized for the
// real-Chromium attach files (about 30 s alone, twice that while another file runs beside them).
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=180000',
   '--test-reporter=spec', '--test-reporter-destination=stdout',
   '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' } },
);
const text = readFileSync(tap, 'utf8');
const num = (k) => Number(/^# (\w+) (\d+)$/m.test(text) ? (text.match(new RegExp(`^# ${k} (\\d+)$`, 'm'))?.[1] ?? 0) : 0);
const failed = num('fail') + num('cancelled') + (r.status !== 0 && num('fail') === 0 ? 1 : 0);
writeFileSync(out, `${num('pass')} ${failed}\n`);
console.log(`node: ${num('pass')} passed, ${failed} failed`);
process.exit(r.status ?? 1);
