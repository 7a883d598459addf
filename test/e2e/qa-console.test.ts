/**
 * The QA console plays Bob: its buttons call the webhook tools for the embedded widget's session,
 * the transcript shows Bob's lines, and the session log appears from the admin route; typed as the
 * shopper, the same conversation runs through the widget (the local Bob here).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSkip, launchBrowser, startDemoBff, watchPage, widgetSessionId } from './browser.ts';

const skip = browserSkip();

/** A demo BFF (with `env`) and a browser page of its own, closed after the test. */
async function openQa(t: { after(fn: () => unknown): void }, env: Record<string, string> = {}) {
  const bff = await startDemoBff(env);
  const browser = await launchBrowser();
  t.after(async () => {
    await browser.close();
    await bff.close();
  });
  return { bff, page: await browser.newPage() };
}

test('QA console: quote, buy option 1, where are we, log matches the BFF log', { skip, timeout: 90_000 }, async (t) => {
  const { bff, page } = await openQa(t);
  const seen = await watchPage(page);
  await page.goto(`${bff.url}/demo/qa.html`);
  const sessionId = await widgetSessionId(page);
  await page.locator('#session-id').getByText(sessionId).waitFor();
  await page.locator('body[data-ready="true"]').waitFor();
  assert.equal(await page.locator('#secrets').isHidden(), true, 'dev secrets came from /demo/qa-config.json');

  // Quote: Bob's line in the transcript, cards in the widget, buy buttons from the options.
  await page.getByRole('button', { name: 'Quote 10001 → 94105, 2 lb' }).click();
  await page.locator('#transcript li.bob').first().waitFor();
  await page.locator('shipvox-companion [part="card"]').first().waitFor();
  const buy1 = page.getByRole('button', { name: /^Buy option 1 / });
  await buy1.waitFor();
  await page.locator('#log li[data-type="quotes_ready"]').waitFor();

  // Buy option 1: the widget shows the label, the log has label_created.
  await page.locator('body[data-ready="true"]').waitFor();
  await buy1.click();
  await page.locator('shipvox-companion [part="panel"]').getByText('Label ready').waitFor();
  await page.locator('#log li[data-type="label_created"]').waitFor();

  // Where are we?
  await page.locator('body[data-ready="true"]').waitFor();
  await page.getByRole('button', { name: 'Where are we?' }).click();
  await page.locator('#log li[data-type="client_tool_result"]').filter({ hasText: 'get_session_state' }).waitFor();

  // The log matches the BFF's, seq by seq.
  const res = await fetch(`${bff.url}/v1/admin/sessions/${sessionId}/log`, { headers: { authorization: `Bearer ${bff.config.ADMIN_TOKEN}` } });
  const { events } = (await res.json()) as { events: Array<{ seq: number; type: string }> };
  await page.waitForFunction((n) => document.querySelectorAll('#log li').length >= n, events.length);
  const shown = await page.locator('#log li').evaluateAll((lis) => lis.map((li) => [Number((li as HTMLElement).dataset.seq), (li as HTMLElement).dataset.type]));
  assert.deepEqual(shown.slice(0, events.length), events.map((e) => [e.seq, e.type]));
  assert.deepEqual(seen.violations, []);
  assert.deepEqual(seen.errors, []);
});

test('QA console: the scripted conversation runs greet → quotes → option 1 → label → state', { skip, timeout: 90_000 }, async (t) => {
  const { bff, page } = await openQa(t);
  await page.goto(`${bff.url}/demo/qa.html`);
  await widgetSessionId(page);
  await page.locator('body[data-ready="true"]').waitFor();
  await page.getByRole('button', { name: 'Run scripted conversation' }).click();
  await page.locator('#transcript li.note').getByText('— end of script —').waitFor();
  const bob = await page.locator('#transcript li.bob').allTextContents();
  assert.ok(bob.length >= 5, `Bob spoke ${bob.length} lines`);
  assert.match(bob[0]!, /Hi, I'm Bob/);
  assert.equal(await page.locator('#qa-error').textContent(), '');
  await page.locator('shipvox-companion [part="panel"]').getByText('Label ready').waitFor();
  for (const type of ['quotes_ready', 'label_created']) await page.locator(`#log li[data-type="${type}"]`).first().waitFor();
});

test('QA console without dev secrets asks for them, then works', { skip, timeout: 60_000 }, async (t) => {
  const agent = 'agent_secret_for_the_e2e_test_0123';
  const admin = 'admin_token_for_the_e2e_test_0123';
  const { bff, page } = await openQa(t, { AGENT_TOOL_SECRET: agent, ADMIN_TOKEN: admin });
  await page.goto(`${bff.url}/demo/qa.html`);
  await widgetSessionId(page);
  await page.locator('#secrets').waitFor({ state: 'visible' });
  assert.equal(await page.getByRole('button', { name: 'Quote 10001 → 94105, 2 lb' }).isDisabled(), true);
  await page.getByLabel('Agent tool secret').fill(agent);
  await page.getByLabel('Admin token').fill(admin);
  await page.getByRole('button', { name: 'Use these' }).click();
  await page.locator('body[data-ready="true"]').waitFor();
  await page.getByRole('button', { name: 'Quote 10001 → 94105, 2 lb' }).click();
  await page.locator('#log li[data-type="quotes_ready"]').waitFor();
  await page.locator('shipvox-companion [part="card"]').first().waitFor();
});

test('QA console drives the conversation by text: the shopper\'s line goes through the widget to the local Bob, his answer and the quotes come back, the transcript shows the session\'s lines', { skip, timeout: 90_000 }, async (t) => {
  const { bff, page } = await openQa(t, { LOCAL_BOB: 'true' });
  const seen = await watchPage(page);
  await page.goto(`${bff.url}/demo/qa.html`);
  await widgetSessionId(page);
  await page.locator('body[data-ready="true"]').waitFor();
  await page.getByLabel('Shopper says').fill('2 pounds from 10001 to 94105');
  await page.getByRole('button', { name: 'Send to Bob' }).click();
  // The session's lines, from its log: the shopper's, then Bob's answer with the options.
  await page.locator('#transcript li.shipper').filter({ hasText: '2 pounds from 10001 to 94105' }).waitFor();
  await page.locator('#transcript li.bob').filter({ hasText: /option 1/i }).waitFor();
  await page.locator('shipvox-companion [part="card"]').first().waitFor();
  await page.locator('#log li[data-type="transcript_line"]').first().waitFor();
  await page.locator('#log li[data-type="quotes_ready"]').waitFor();
  // The widget's own transcript holds the same lines.
  const widgetLog = await page.locator('shipvox-companion [part="talk"]').getByRole('log').textContent();
  assert.match(widgetLog ?? '', /You: 2 pounds from 10001 to 94105/);
  assert.equal(await page.getByLabel('Shopper says').inputValue(), '');
  assert.equal(await page.locator('#qa-error').textContent(), '');
  assert.deepEqual(seen.violations, []);
  assert.deepEqual(seen.errors, []);
});
