/**
 * The demo page in a real Chromium against a real BFF: Bob (the webhook) gets quotes, the shopper
 * types the recipient into the address card (prefilled from the quoted ZIP) and selects an option
 * on screen, Bob reads the summary back, the shopper confirms it on the summary card, downloads
 * the label in the format chosen (ZPL) and emails it, and the tracking timeline follows the parcel;
 * a server-side socket drop and a page reload both come back to the same session and the same screen.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunningServer } from '../../bff/server.ts';
import { QUOTE_PARAMS, webhook } from '../helpers/bff.ts';
import { browserSkip, launchBrowser, startDemoBff, watchPage, widgetSessionId } from './browser.ts';

const skip = browserSkip();

test('demo page: quotes, address, select, confirm, label format, download, email, socket drop, reload, tracking', { skip, timeout: 90_000 }, async (t) => {
  // Tracking moves every 1.5 s here (polled every 200 ms): the parcel is delivered within the test.
  const bff = await startDemoBff({ SIMULATOR_TRACKING_STEP_MS: '1500', TRACKING_POLL_MS: '200' });
  const browser = await launchBrowser();
  t.after(async () => {
    await browser.close();
    await bff.close();
  });
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const seen = await watchPage(page);
  const widget = page.locator('shipvox-companion');

  await page.goto(`${bff.url}/demo/`);
  const sessionId = await widgetSessionId(page);
  assert.match(sessionId, /\S/);
  await widget.getByText('Live', { exact: true }).waitFor();

  // Bob asks for quotes; the cards appear numbered as he reads them.
  // From the demo's 10001, the account's ZIP: the sender of every label is the ShipVox account.
  const quotes = await webhook(bff, 'get_shipping_quotes', { session_id: sessionId, ...QUOTE_PARAMS });
  assert.equal(quotes.status, 200);
  assert.equal(quotes.json.error, undefined, quotes.json.result);
  const options = quotes.json.options as Array<{ option: number; quote_id: string; carrier: string; service: string }>;
  assert.ok(options.length >= 2, 'at least two options');
  const cards = widget.locator('[part="card"]');
  await cards.first().waitFor();
  await assert.doesNotReject(cards.filter({ hasText: 'Option 1' }).first().waitFor());
  const cardCount = await cards.count();
  assert.ok(cardCount >= options.length, `${cardCount} cards for ${options.length} spoken options`);
  assert.match((await page.locator('#host-status').textContent()) ?? '', /option.* ready/, 'the host page heard shipvox-quotes-ready');

  // The address card (shipment chunk) is prefilled with the quoted ZIP's city and state; the shopper types the rest.
  const address = widget.locator('[part="address"]');
  await address.waitFor();
  assert.equal(await address.getByLabel('City').inputValue(), 'San Francisco');
  assert.equal(await address.getByLabel('State').inputValue(), 'CA');
  assert.equal(await address.getByLabel('ZIP code').inputValue(), QUOTE_PARAMS.to_zip);
  assert.equal(await address.getByLabel('Street address').getAttribute('autocomplete'), 'shipping address-line1');
  await address.getByLabel('Full name').fill('Jane Doe');
  await address.getByLabel('Street address').fill('500 Howard St');
  await address.getByRole('button', { name: 'Check address' }).click();
  await address.getByText(/^Address verified/).waitFor();
  // The ack comes after any re-quote (a business address is priced differently): the cards are final now.
  await address.getByRole('button', { name: 'Check address' }).waitFor();
  await page.waitForFunction(() => (document.querySelector('shipvox-companion') as any)?.state?.context?.some((c: any) => c.source === 'bff' && /recipient/.test(c.text)));
  await page.waitForFunction(() => (document.querySelector('shipvox-companion') as any)?.state?.running?.length === 0, undefined, { timeout: 10_000 });
  const onScreen = ((await page.evaluate(() => (document.querySelector('shipvox-companion') as any).state.quotes.quotes)) as Array<{ option: number; quote_id: string }>);

  // The shopper selects option 2 on screen: nothing is bought, the summary appears.
  const second = onScreen[1]!;
  const selectSecond = cards.filter({ hasText: 'Option 2' }).first().locator('[part="select-button"]');
  await selectSecond.click();
  await widget.locator('[part="select-button"][aria-pressed="true"][aria-label^="Selected option 2,"]').waitFor();
  await waitForSelected(page, second.quote_id);
  const summary = widget.locator('[part="summary"]');
  await summary.getByText('Jane Doe, 500 Howard St, San Francisco, CA 94105').waitFor();
  assert.equal(await page.evaluate(() => (document.querySelector('shipvox-companion') as any).state.label), null, 'selecting never buys');

  // The server drops every socket of the session (1001, going away): the widget comes back.
  const closed = dropSockets(bff, sessionId);
  assert.ok(closed > 0, 'the widget had a socket to drop');
  await widget.getByText('Reconnected to voice session').waitFor();
  assert.equal(await page.evaluate(() => (document.querySelector('shipvox-companion') as any).sessionId), sessionId);
  await widget.locator('[part="select-button"][aria-pressed="true"][aria-label^="Selected option 2,"]').waitFor();

  // Bob asks to buy: without the shopper's yes he only gets the summary to read back, the same the card shows.
  const asked = await webhook(bff, 'create_label', { session_id: sessionId, quote_id: second.quote_id });
  assert.match(asked.json.result, /Jane Doe, 500 Howard St.*Shall I buy it\?/, asked.json.result);
  assert.equal(await page.evaluate(() => (document.querySelector('shipvox-companion') as any).state.label), null);

  // The shopper confirms on the summary card; the label panel replaces the cards.
  await summary.getByRole('button', { name: /^Confirm and buy/ }).click();
  const panel = widget.locator('[part="panel"]');
  await panel.getByText('Label ready').waitFor();
  const label = { json: await page.evaluate(() => (document.querySelector('shipvox-companion') as any).state.label) };
  await panel.getByText(label.json.tracking_number).waitFor();
  assert.match((await page.locator('#host-status').textContent()) ?? '', /Label bought/);

  // The format chooser: ZPL, remembered in this browser; Download fetches that file.
  await widget.getByLabel('Label format').selectOption('zpl');
  const [zpl] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download label' }).click()]);
  const zplText = readFileSync((await zpl.path())!, 'latin1');
  assert.match(zplText, /^\^XA[\s\S]*\^XZ\s*$/, 'one ZPL label');
  assert.equal(await page.evaluate(() => localStorage.getItem('shipvox:label-format')), 'zpl');
  await widget.getByLabel('Label format').selectOption('pdf_4x6');

  // Download returns the PDF.
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download label' }).click()]);
  const pdfPath = await download.path();
  assert.ok(pdfPath, 'the download was saved');
  assert.equal(readFileSync(pdfPath).subarray(0, 4).toString('latin1'), '%PDF');

  // Email lands as an .eml file in DATA_DIR/outbox.
  const outbox = join(bff.config.DATA_DIR, 'outbox');
  await panel.getByLabel('Email the label').fill('shopper@example.com');
  await panel.getByRole('button', { name: 'Send' }).click();
  await panel.getByText(/^Sent to /).waitFor();
  const eml = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
  assert.equal(eml.length, 1);
  const message = readFileSync(join(outbox, eml[0]!), 'utf8');
  assert.match(message, /shopper@example\.com/);
  assert.match(message, /application\/pdf/i, 'the label PDF is attached');

  // Reload: same session, same screen (label panel with the same tracking number, the email line).
  const trackingBefore = await panel.locator('[part="tracking"]').textContent();
  await page.reload();
  assert.equal(await widgetSessionId(page), sessionId);
  await widget.locator('[part="panel"]').getByText('Label ready').waitFor();
  assert.equal(await widget.locator('[part="tracking"]').textContent(), trackingBefore);
  await widget.getByText(/^Sent to /).waitFor();

  // Tracking: the simulator moves the parcel on its (fast) clock, the BFF polls and logs it, the timeline
  // and the last step follow: label → in transit → delivered.
  const timeline = widget.locator('[part="timeline"]');
  await timeline.locator('li').first().waitFor();
  await widget.locator('[part="step"]').last().getByText('In transit').waitFor();
  await widget.locator('[part="step"]').last().getByText('Delivered').waitFor();
  assert.ok((await timeline.locator('li').count()) >= 3, 'every tracking event on the timeline');
  assert.match((await timeline.locator('li').first().textContent()) ?? '', /deliver/i, 'newest first');

  assert.deepEqual(seen.violations, [], 'no CSP violations under the strict policy');
  assert.deepEqual(seen.errors, [], 'no page errors');
  await context.close();
});

test('two tabs of one browser context get separate sessions; each mirrors only its own', { skip, timeout: 60_000 }, async (t) => {
  const bff = await startDemoBff();
  const browser = await launchBrowser();
  t.after(async () => {
    await browser.close();
    await bff.close();
  });
  const context = await browser.newContext();
  const [a, b] = [await context.newPage(), await context.newPage()];
  await a.goto(`${bff.url}/demo/`);
  await b.goto(`${bff.url}/demo/`);
  const [ida, idb] = [await widgetSessionId(a), await widgetSessionId(b)];
  assert.notEqual(ida, idb, 'sessionStorage is per tab');
  await webhook(bff, 'get_shipping_quotes', { session_id: ida, ...QUOTE_PARAMS });
  await a.locator('shipvox-companion [part="card"]').first().waitFor();
  assert.equal(await b.locator('shipvox-companion [part="card"]').count(), 0);
  await context.close();
});

function dropSockets(bff: RunningServer, sessionId: string): number {
  const clients = bff.companion.services.sessions.hub.clients(sessionId) as unknown as Array<{ close(code: number, reason: string): void }>;
  for (const c of clients) c.close(1001, 'test: server going away');
  return clients.length;
}

/** Waits until the widget's mirrored state has this quote selected. */
async function waitForSelected(page: Page, quoteId: string): Promise<void> {
  await page.waitForFunction((id) => (document.querySelector('shipvox-companion') as any)?.state?.selected_quote_id === id, quoteId);
}
