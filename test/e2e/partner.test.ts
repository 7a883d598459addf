/**
 * The partner embed from a second origin: its own key works there; the ShipVox page's key on the
 * partner origin is refused by the origin allowlist and the page says so clearly.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEV_PUBLISHABLE_KEY } from '../../bff/config.ts';
import { QUOTE_PARAMS, webhook } from '../helpers/bff.ts';
import { browserSkip, demoInBrowser, watchPage, widgetSessionId } from './browser.ts';

const skip = browserSkip();

test('partner page on its own origin: the partner key connects and mirrors Bob', { skip, timeout: 60_000 }, async (t) => {
  const { bff, browser } = await demoInBrowser(t, {}, true);
  assert.ok(bff.partner);
  assert.notEqual(new URL(bff.partner.url).origin, new URL(bff.url).origin);
  const page = await browser.newPage();
  const seen = await watchPage(page);
  const chunks: string[] = [];
  page.on('response', (res) => {
    if (/\/widget\/shipvox-(?!companion)[\w-]+\.js$/.test(res.url()) && res.ok()) chunks.push(new URL(res.url()).pathname);
  });
  await page.goto(`${bff.partner.url}/demo/partner.html?endpoint=${encodeURIComponent(bff.url)}`);
  await page.getByRole('heading', { name: 'Ship your return' }).waitFor();
  const sessionId = await widgetSessionId(page);
  await page.locator('#partner-status').getByText(`Connected to ShipVox from ${new URL(bff.partner.url).origin}`).waitFor();
  assert.equal(await page.locator('#partner-key').textContent(), 'pk_dev_partner_demo');

  const quotes = await webhook(bff, 'get_shipping_quotes', { session_id: sessionId, ...QUOTE_PARAMS });
  assert.equal(quotes.json.error, undefined, quotes.json.result);
  const card = page.locator('shipvox-companion [part="card"]').filter({ hasText: 'Option 1' }).first();
  await card.waitFor();
  // The script-tag bundle loaded its motion chunk by URL from the BFF, cross-origin, and animated the cards with it.
  assert.deepEqual(chunks.filter((c) => c !== '/widget/shipvox-shipment.js'), ['/widget/shipvox-motion.js']);
  assert.ok(await card.evaluate((el) => el.getAnimations().length > 0 || el.style.opacity !== ''), 'the card was animated');
  // With the quotes, the shipment chunk (address card and the rest) loads the same way.
  await page.locator('shipvox-companion [part="address"]').waitFor();
  assert.deepEqual(chunks, ['/widget/shipvox-motion.js', '/widget/shipvox-shipment.js']);
  // A language asked for later loads its pack by URL the same way.
  await page.locator('shipvox-companion').evaluate((el) => el.setAttribute('locale', 'es-ES'));
  await page.locator('shipvox-companion h2').getByText('Asistente de envíos').waitFor();
  assert.deepEqual(chunks, ['/widget/shipvox-motion.js', '/widget/shipvox-shipment.js', '/widget/shipvox-lang-es.js']);
  assert.deepEqual(seen.violations, []);
  assert.deepEqual(seen.errors, []);
});

test('partner page with the ShipVox key (wrong origin): a clear refusal, no session', { skip, timeout: 60_000 }, async (t) => {
  const { bff, browser } = await demoInBrowser(t, {}, true);
  const page = await browser.newPage();
  await page.goto(`${bff.partner!.url}/demo/partner.html?endpoint=${encodeURIComponent(bff.url)}&key=${DEV_PUBLISHABLE_KEY}`);
  const widget = page.locator('shipvox-companion');
  await widget.locator('[part="banner"]').getByText('This page is not allowed to use the shipping assistant.').waitFor();
  await page.locator('#partner-status').getByText(/^ShipVox refused this page: /).waitFor();
  await widget.getByText('Disconnected', { exact: true }).waitFor();
  assert.equal(await page.evaluate(() => (document.querySelector('shipvox-companion') as any).sessionId), null);
  assert.equal(bff.companion.services.sessions.hub.connectionCount(), 0);
});
