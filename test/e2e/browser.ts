/** End-to-end helpers: the system Chromium through playwright-core, free ports, demo BFFs. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEV_PARTNER_KEY, DEV_PUBLISHABLE_KEY } from '../../bff/config.ts';
import type { RunningServer } from '../../bff/server.ts';
import { startBff } from '../helpers/bff.ts';
import { freePort } from '../helpers/ports.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
export const WIDGET_BUNDLE = fileURLToPath(new URL('../../dist/widget/shipvox-companion.js', import.meta.url));

/** A reason to skip browser tests, or false when they can run. */
/**
 * Browser tests never skip silently: a missing Chromium or bundle fails them (npm test installs
 * and builds both). SKIP_BROWSER_TESTS=1 is the explicit way out for a quick local run.
 */
export function browserSkip(): string | false {
  if (process.env.SKIP_BROWSER_TESTS === '1') return 'SKIP_BROWSER_TESTS=1';
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: npm test installs it (scripts/ensure-system-deps.sh)`);
  if (!existsSync(WIDGET_BUNDLE)) throw new Error('dist/widget/shipvox-companion.js missing: run npm run build');
  return false;
}

/** `fakeMicrophone`: getUserMedia gets a fake device without asking (voice tests); `args`: more Chromium switches. */
export function launchBrowser({ fakeMicrophone = false, args = [] as string[] } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run',
      ...(fakeMicrophone ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] : []),
      ...args,
    ],
  });
}

/**
 * A BFF serving the demo pages with the demo's own keys, bound to the ports it will really use:
 * pk_dev_shipvox_demo for the BFF's origin, pk_dev_partner_demo for the partner server's.
 */
export async function startDemoBff(env: Record<string, string> = {}, partner = false): Promise<RunningServer> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const partnerPort = await freePort();
    try {
      return await startBff({
        partner,
        env: {
          PORT: String(port),
          PARTNER_PORT: String(partnerPort),
          PUBLISHABLE_KEYS: JSON.stringify({
            [DEV_PUBLISHABLE_KEY]: [`http://127.0.0.1:${port}`],
            [DEV_PARTNER_KEY]: [`http://127.0.0.1:${partnerPort}`],
          }),
          ...env,
        },
      });
    } catch (error) {
      // Another process took the port between the probe and the listen: try new ones.
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 4) throw error;
    }
  }
}

/** A demo BFF (as startDemoBff makes it) and a Chromium for one test, both closed when it ends. */
export async function demoInBrowser(t: { after(fn: () => unknown): void }, env: Record<string, string> = {}, partner = false): Promise<{ bff: RunningServer; browser: Browser }> {
  const bff = await startDemoBff(env, partner);
  const browser = await launchBrowser();
  t.after(async () => {
    await browser.close();
    await bff.close();
  });
  return { bff, browser };
}

/** Records CSP violations and page errors so a test can assert there were none. */
export async function watchPage(page: Page): Promise<{ violations: string[]; errors: string[] }> {
  const seen = { violations: [] as string[], errors: [] as string[] };
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.violations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return seen;
}

/** The widget's session id once it is connected. */
export async function widgetSessionId(page: Page, selector = 'shipvox-companion'): Promise<string> {
  const handle = await page.waitForFunction(
    (sel) => {
      const el = document.querySelector(sel) as (HTMLElement & { sessionId?: string | null; connection?: string }) | null;
      return el?.sessionId && el.connection === 'online' ? el.sessionId : null;
    },
    selector,
  );
  return (await handle.jsonValue()) as string;
}
