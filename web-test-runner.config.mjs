// web-test-runner: widget/**/*.test.ts in the installed Chromium (no browser download; root needs
// --no-sandbox). TypeScript is served through esbuild. When bff/server.ts exists, a real BFF is
// started in this Node process and its URL is served to the page at /__shipvox-test.json.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { a11ySnapshotPlugin } from '@web/test-runner-commands/plugins';

const executablePath = process.env.CHROME_PATH || '/usr/lib/chromium/chromium';

/** wtr's own port, chosen up front so the BFF can allow exactly this page origin. */
async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const port = Number(process.env.WTR_PORT) || (await freePort());
const pageOrigin = `http://localhost:${port}`;
const AGENT_TOOL_SECRET = 'test-agent-secret-0123456789';

let bff = null;
async function startBff() {
  if (!existsSync(new URL('./bff/server.ts', import.meta.url))) return null;
  try {
    // Loaded through tsx (scripts/run-wtr.mjs runs wtr with --import tsx).
    const { startServer } = await import('./bff/server.ts');
    return await startServer({
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        STORE: 'memory',
        LOG_LEVEL: 'silent',
        PUBLISHABLE_KEYS: JSON.stringify({ pk_test_widget: [pageOrigin] }),
        AGENT_TOOL_SECRET,
        // The voice tests here expect no conversation service (the local Bob has tests of its own).
        LOCAL_BOB: 'false',
      },
    });
  } catch (error) {
    console.warn(`[wtr] BFF not started (${error?.message ?? error}); BFF-backed tests will be skipped`);
    return null;
  }
}

function shipvoxTestInfo() {
  return {
    name: 'shipvox-test-info',
    async serverStart() {
      bff = await startBff();
    },
    async serverStop() {
      await bff?.close?.();
    },
  };
}

/** Test-only routes: the BFF's URL for the page, and "Bob" (webhook tool calls made from Node, as ElevenLabs would). */
async function shipvoxTestRoutes(context, next) {
  if (context.path === '/__shipvox-test.json') {
    context.type = 'json';
    context.body = JSON.stringify({ bff: bff?.url ?? null, publishableKey: 'pk_test_widget' });
    return;
  }
  const tool = /^\/__shipvox-bob\/(\w+)$/.exec(context.path)?.[1];
  if (tool && context.method === 'POST' && bff) {
    const chunks = [];
    for await (const chunk of context.req) chunks.push(chunk);
    const response = await fetch(`${bff.url}/v1/agent/tools/${tool}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${AGENT_TOOL_SECRET}` },
      body: Buffer.concat(chunks),
    });
    context.status = response.status;
    context.type = 'json';
    context.body = await response.text();
    return;
  }
  await next();
}

/**
 * CDP commands wtr lacks. `shipvox-emulate-media`: any CSS media features (wtr's own emulateMedia knows only
 * colour scheme and reduced motion; forced-colors is what tests need here), payload { features: [{ name, value }] }.
 * `shipvox-emulate-zoom`: browser zoom, payload { width, height, zoom } or none to reset.
 */
function cdpMediaCommand() {
  const cdp = new WeakMap();
  return {
    name: 'shipvox-cdp-media',
    async executeCommand({ command, payload, session }) {
      if (command !== 'shipvox-emulate-media' && command !== 'shipvox-emulate-zoom') return undefined;
      const page = session.browser.getPage(session.id);
      if (!cdp.has(page)) cdp.set(page, await page.createCDPSession());
      if (command === 'shipvox-emulate-media') {
        await cdp.get(page).send('Emulation.setEmulatedMedia', { features: payload.features });
        return true;
      }
      // Browser zoom: a window of payload.width × payload.height device pixels at payload.zoom (1 = 100%)
      // is a viewport of width/zoom CSS px with a device pixel ratio of zoom. No payload clears it.
      if (!payload?.zoom) await cdp.get(page).send('Emulation.clearDeviceMetricsOverride');
      else {
        const { width, height, zoom } = payload;
        await cdp.get(page).send('Emulation.setDeviceMetricsOverride', { width: Math.round(width / zoom), height: Math.round(height / zoom), deviceScaleFactor: zoom, mobile: false });
      }
      return true;
    },
  };
}

/** Counts test results (wtr prints no plain "N passed" line) into $SHIPVOX_WTR_TALLY for scripts/run-wtr.mjs. */
function countReporter(file) {
  const count = (suite, acc) => {
    for (const t of suite.tests ?? []) {
      if (t.skipped) acc.skipped++;
      else if (t.passed) acc.passed++;
      else acc.failed++;
    }
    for (const s of suite.suites ?? []) count(s, acc);
    return acc;
  };
  return {
    onTestRunFinished({ sessions }) {
      const acc = { passed: 0, failed: 0, skipped: 0 };
      for (const s of sessions) {
        if (s.testResults) count(s.testResults, acc);
        // A file that failed to load (syntax error, 404 import) has errors but no results.
        if (!s.passed && (s.errors?.length || !s.testResults)) acc.failed += s.testResults ? 0 : 1;
      }
      writeFileSync(file, JSON.stringify(acc));
    },
  };
}

const tally = process.env.SHIPVOX_WTR_TALLY;

export default {
  reporters: tally ? [defaultReporter(), countReporter(tally)] : [defaultReporter()],
  files: ['widget/**/*.test.ts'],
  port,
  hostname: 'localhost',
  nodeResolve: { exportConditions: ['browser', 'production'] },
  concurrency: 2,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 15_000 } },
  middleware: [shipvoxTestRoutes],
  plugins: [esbuildPlugin({ ts: true, target: 'es2021', tsconfig: 'tsconfig.json' }), shipvoxTestInfo(), cdpMediaCommand(), a11ySnapshotPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-setuid-sandbox',
          '--disable-dev-shm-usage',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
          // Two test pages run at once; keep the one in the background from being throttled.
          '--disable-background-timer-throttling',
          '--disable-backgrounding-occluded-windows',
          '--disable-renderer-backgrounding',
        ],
      },
    }),
  ],
};
