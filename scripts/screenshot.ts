/**
 * README screenshot of the local conversation: `npm run build`, then
 * `node --import tsx scripts/screenshot.ts` starts a BFF with the local Bob, types README's first line
 * ("2 pounds from 10001 to 94105") on the demo page in headless Chromium and saves docs/screenshot-conversation.png.
 */
import { launchBrowser, startDemoBff, widgetSessionId } from '../test/e2e/browser.ts';

const bff = await startDemoBff({ LOCAL_BOB: 'true', NODE_ENV: 'development', STORE: 'memory' });
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 1 });
  await page.goto(`${bff.url}/demo/`);
  await widgetSessionId(page);
  const widget = page.locator('shipvox-companion');
  const input = widget.getByLabel('Message to Bob');
  await input.fill('2 pounds from 10001 to 94105');
  await input.press('Enter');
  await widget.locator('[role="log"] p.line:not(.live)', { hasText: /^Bob: I found/ }).waitFor({ timeout: 30_000 });
  await input.fill('option 2');
  await input.press('Enter');
  await widget.locator('[role="log"] p.line:not(.live)', { hasText: /Shall I buy that label/ }).waitFor({ timeout: 30_000 });
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: 'docs/screenshot-conversation.png', fullPage: true });
  console.log('docs/screenshot-conversation.png');
} finally {
  await browser.close();
  await bff.close();
}
