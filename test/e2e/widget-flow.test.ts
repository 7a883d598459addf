/**
 * The demo page in a real Chromium against a real BFF: Bob (the webhook) gets quotes, the shopper
 * selects one on screen, Bob buys the label, the shopper downloads and emails it; a server-side
 * socket drop and a page reload both come back to the same session and the same screen.
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

test('demo page: quotes, select, label, download, email, socket drop, reload', { skip, timeout: 90_000 }, async (t) => {
  const bff = await startDemoBff();
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

  // The shopper selects option 2 on screen.
  const second = options[1]!;
  const selectSecond = cards.filter({ hasText: 'Option 2' }).first().locator('[part="select-button"]');
  await selectSecond.click();
  await widget.locator('[part="select-button"][aria-pressed="true"][aria-label*="option 2,"]').waitFor();
  await waitForSelected(page, second.quote_id);

  // The server drops every socket of the session (1001, going away): the widget comes back.
  const closed = dropSockets(bff, sessionId);
  assert.ok(closed > 0, 'the widget had a socket to drop');
  await widget.getByText('Reconnected to voice session').waitFor();
  assert.equal(await page.evaluate(() => (document.querySelector('shipvox-companion') as any).sessionId), sessionId);
  await widget.locator('[part="select-button"][aria-pressed="true"][aria-label*="option 2,"]').waitFor();
  assert.equal(await cards.count(), cardCount, 'the same cards after the reconnect');

  // Bob buys the selected option; the label panel replaces the cards.
  const label = await webhook(bff, 'create_label', { session_id: sessionId, quote_id: second.quote_id });
  assert.equal(label.json.error, undefined, label.json.result);
  const panel = widget.locator('[part="panel"]');
  await panel.getByText('Label ready').waitFor();
  await panel.getByText(label.json.tracking_number).waitFor();
  assert.match((await page.locator('#host-status').textContent()) ?? '', /Label bought/);

  // Download returns the PDF.
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download PDF' }).click()]);
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
