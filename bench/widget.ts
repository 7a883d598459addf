/**
 * The widget's figures: the script-tag bundle's size (minified and gzip level 9, as
 * scripts/size.mjs) and, from the widget's own User Timing marks (widget/perf.ts) in headless
 * Chromium, how long it takes from navigation to the evaluated script, from the script to the
 * first render, and from the socket opening to the rendered snapshot.
 *
 * A real BFF runs in this process (memory store, embedded simulator) and serves the bundle from
 * /widget/; a second tiny server is the partner page (another origin, its publishable key allowed
 * for it) with the element and a plain `<script src>` at the end of the body. Each load is a fresh
 * browser context: cold HTTP cache, empty sessionStorage, so a new session and a snapshot.
 *
 *   node --import tsx bench/widget.ts [--runs=15]     (npm run build first)
 *
 * Prints JSON and a summary line, and writes bench/results/widget.json. bench/run.ts may call
 * measureWidget() instead.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer } from '../bff/server.ts';
import { FIRST_RENDER, MARKS, SCRIPT_LOADED, SNAPSHOT_RENDERED, SOCKET_OPEN } from '../widget/perf.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'pk_bench_widget';

export interface WidgetBenchOptions {
  /** Measured page loads (default 15). */
  runs?: number;
  /** Loads before those, not counted (default 1: the browser's first page is slower). */
  warmup?: number;
  /** The script-tag bundle (default dist/widget/shipvox-companion.js). */
  bundle?: string;
  chromiumPath?: string;
  /** Per load: how long to wait for shipvox:snapshot-rendered (default 15 s). */
  timeoutMs?: number;
}

/** One load, in ms since navigation start (performance.timeOrigin). */
export interface WidgetSample {
  script_loaded: number;
  first_render: number;
  socket_open: number;
  snapshot_rendered: number;
  /** The bundle's download (resource timing: fetchStart → responseEnd). */
  script_fetch: number;
}

export interface Spread {
  median: number;
  p90: number;
  min: number;
  max: number;
}

export interface WidgetBenchResult {
  date: string;
  node: string;
  chromium: string;
  runs: number;
  warmup: number;
  bundle: { file: string; bytes: number; gzip_bytes: number };
  ms: {
    navigation_to_script_loaded: Spread;
    script_loaded_to_first_render: Spread;
    first_render_to_socket_open: Spread;
    socket_open_to_snapshot_rendered: Spread;
    navigation_to_snapshot_rendered: Spread;
  };
  samples: WidgetSample[];
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Nearest-rank percentile. */
function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median: round(median), p90: round(pct(s, 90)), min: round(s[0]!), max: round(s[s.length - 1]!) };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function measureWidget(opts: WidgetBenchOptions = {}): Promise<WidgetBenchResult> {
  const runs = opts.runs ?? 15;
  const warmup = opts.warmup ?? 1;
  const bundle = opts.bundle ?? join(ROOT, 'dist/widget/shipvox-companion.js');
  const executablePath = opts.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
  const timeout = opts.timeoutMs ?? 15_000;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a positive integer, not ${runs}`);
  if (!existsSync(bundle)) throw new Error(`${bundle} missing: run npm run build`);
  if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}`);
  const source = readFileSync(bundle);
  const size = { file: relative(ROOT, bundle), bytes: source.length, gzip_bytes: gzipSync(source, { level: 9 }).length };

  // The partner page: its origin must be known before the BFF starts (the key is bound to it).
  let bffUrl = '';
  const page = createServer((req, res) => {
    if (req.url !== '/') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(`<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>widget bench</title></head>
  <body>
    <main><h1>Checkout</h1></main>
    <shipvox-companion endpoint="${bffUrl}" publishable-key="${KEY}"></shipvox-companion>
    <script src="${bffUrl}/widget/shipvox-companion.js"></script>
  </body>
</html>`);
  });
  const pageOrigin = `http://127.0.0.1:${await listen(page)}`;

  const bff = await startServer({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      STORE: 'memory',
      LOG_LEVEL: 'silent',
      PUBLISHABLE_KEYS: JSON.stringify({ [KEY]: [pageOrigin] }),
      RATE_LIMIT_HTTP_PER_MIN: '100000',
    },
    simulator: { latencyMs: { USPS: 0, UPS: 0, FedEx: 0 } },
  });
  bffUrl = bff.url;

  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const chromiumVersion = browser.version();
  const samples: WidgetSample[] = [];
  try {
    for (let i = 0; i < warmup + runs; i++) {
      const context = await browser.newContext();
      try {
        const tab = await context.newPage();
        await tab.goto(`${pageOrigin}/`);
        await tab.waitForFunction((name) => performance.getEntriesByName(name, 'mark').length > 0, SNAPSHOT_RENDERED, { timeout });
        // A string, not a function: tsx's name helpers (__name) do not exist in the page.
        const read = (await tab.evaluate(`(() => {
          const at = (name) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? NaN;
          const resource = performance.getEntriesByName(${JSON.stringify(`${bffUrl}/widget/shipvox-companion.js`)}, 'resource')[0];
          return {
            marks: Object.fromEntries(${JSON.stringify(MARKS)}.map((n) => [n, at(n)])),
            scriptFetch: resource ? resource.responseEnd - resource.fetchStart : NaN,
          };
        })()`)) as { marks: Record<string, number>; scriptFetch: number };
        const m = read.marks;
        const sample: WidgetSample = {
          script_loaded: round(m[SCRIPT_LOADED]!),
          first_render: round(m[FIRST_RENDER]!),
          socket_open: round(m[SOCKET_OPEN]!),
          snapshot_rendered: round(m[SNAPSHOT_RENDERED]!),
          script_fetch: round(read.scriptFetch),
        };
        if (Object.values(sample).some((v) => !Number.isFinite(v))) throw new Error(`load ${i}: a mark is missing ${JSON.stringify(read)}`);
        if (i >= warmup) samples.push(sample);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await bff.close();
    await new Promise<void>((resolve) => page.close(() => resolve()));
  }

  return {
    date: new Date().toISOString(),
    node: process.version,
    chromium: chromiumVersion,
    runs,
    warmup,
    bundle: size,
    ms: {
      navigation_to_script_loaded: spread(samples.map((s) => s.script_loaded)),
      script_loaded_to_first_render: spread(samples.map((s) => s.first_render - s.script_loaded)),
      first_render_to_socket_open: spread(samples.map((s) => s.socket_open - s.first_render)),
      socket_open_to_snapshot_rendered: spread(samples.map((s) => s.snapshot_rendered - s.socket_open)),
      navigation_to_snapshot_rendered: spread(samples.map((s) => s.snapshot_rendered)),
    },
    samples,
  };
}

/** The one-line summary. */
export function widgetSummary(r: WidgetBenchResult): string {
  const f = (s: Spread) => `${s.median} ms median, p90 ${s.p90}`;
  return (
    `widget: ${r.bundle.bytes} B min, ${r.bundle.gzip_bytes} B gzip; ` +
    `navigation → script-loaded ${f(r.ms.navigation_to_script_loaded)}; ` +
    `script-loaded → first-render ${f(r.ms.script_loaded_to_first_render)}; ` +
    `socket-open → snapshot-rendered ${f(r.ms.socket_open_to_snapshot_rendered)} ` +
    `(${r.runs} fresh loads, headless Chromium ${r.chromium})`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runsArg = process.argv.find((a) => a.startsWith('--runs='));
  const result = await measureWidget(runsArg ? { runs: Number(runsArg.slice('--runs='.length)) } : {});
  const file = join(ROOT, 'bench/results/widget.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  console.log(widgetSummary(result));
  console.log(`written to ${relative(ROOT, file)}`);
  process.exit(0);
}
