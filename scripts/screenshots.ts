/**
 * README screenshots of the built script-tag bundle in headless Chromium against a demo BFF:
 * docs/screenshot-narrow.png (a 320 px column, option 2 selected) and docs/screenshot-dark.png
 * (theme="dark" on a dark page). Run after `npm run build`: node --import tsx scripts/screenshots.ts
 */
import { DEV_PUBLISHABLE_KEY } from '../bff/config.ts';
import { QUOTE_PARAMS, webhook } from '../test/helpers/bff.ts';
import { launchBrowser, startDemoBff, widgetSessionId } from '../test/e2e/browser.ts';

const shots = [
  { file: 'docs/screenshot-narrow.png', width: 320, theme: '', background: '#f3f4f6' },
  { file: 'docs/screenshot-dark.png', width: 400, theme: 'dark', background: '#0b1020' },
];

const bff = await startDemoBff();
// The shot page is served by route(), which Chromium treats as a public page: let it reach the loopback BFF.
const browser = await launchBrowser({ args: ['--disable-features=LocalNetworkAccessChecks'] });
try {
  for (const shot of shots) {
    const page = await browser.newPage({ viewport: { width: shot.width + 80, height: 1100 }, deviceScaleFactor: 2 });
    await page.route(`${bff.url}/demo/shot.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><body style="margin:0;padding:40px;background:${shot.background}">
          <div style="width:${shot.width}px"><shipvox-companion endpoint="${bff.url}" publishable-key="${DEV_PUBLISHABLE_KEY}" locale="en-US" theme="${shot.theme}"></shipvox-companion></div>
          <script src="/widget/shipvox-companion.js"></script></body></html>`,
      }),
    );
    page.on('pageerror', (e) => console.log('pageerror:', e.message));
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(`${bff.url}/demo/shot.html`);
    const sessionId = await widgetSessionId(page);
    const quotes = await webhook(bff, 'get_shipping_quotes', { session_id: sessionId, ...QUOTE_PARAMS });
    if (quotes.json.error) throw new Error(String(quotes.json.result));
    const widget = page.locator('shipvox-companion');
    await widget.locator('[part="select-button"][aria-label^="Select option 2,"]').click();
    await widget.locator('[part="select-button"][aria-pressed="true"]').waitFor();
    await widget.screenshot({ path: shot.file });
    console.log(`wrote ${shot.file}`);
    await page.close();
  }
} finally {
  await browser.close();
  await bff.close();
}
