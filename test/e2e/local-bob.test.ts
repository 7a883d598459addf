/**
 * The seed's test path through the local Bob, in real Chromium: the demo page (voice="sdk") as
 * served by a BFF with LOCAL_BOB on; the shopper types "2 pounds from 10001 to 94105" → the real
 * @elevenlabs/client (the voice chunk) carries it to the local Bob, whose get_shipping_quotes runs
 * through the widget and the session → cards and Bob's answer in the transcript; "option 2" → Bob
 * asks for the recipient; an address line → checked, the summary on screen and read back; "yes" →
 * the label; then the tracking timeline and "where is my parcel?". A reload and the QA console show the same transcript. Beside the webhook path
 * (qa-console.test.ts) and the ElevenLabs stand-in (test/voice/sdk-mode.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserSkip, launchBrowser, startDemoBff, watchPage, widgetSessionId } from './browser.ts';

test('demo page with the local Bob: type → quotes → option 2 → the recipient → the summary read back → yes → label → tracking; the transcript survives a reload and shows on the QA console', { skip: browserSkip(), timeout: 120_000 }, async (t) => {
  // The real defaults (confirmation before buying), tracking on a fast clock.
  const bff = await startDemoBff({ LOCAL_BOB: 'true', SIMULATOR_TRACKING_STEP_MS: '1500', TRACKING_POLL_MS: '200' });
  const browser = await launchBrowser();
  t.after(async () => {
    await browser.close();
    await bff.close();
  });
  const page = await browser.newPage();
  const seen = await watchPage(page);
  await page.goto(`${bff.url}/demo/`);
  const sessionId = await widgetSessionId(page);
  const widget = page.locator('shipvox-companion');
  const log = widget.locator('[role="log"]');
  // Finished lines only (not Bob's turn while it streams in).
  const said = (text: RegExp) => log.locator('p.line:not(.live)', { hasText: text }).first();
  const input = widget.getByLabel('Message to Bob');

  await page.locator('#agent-note[data-bob="local"]').waitFor();
  assert.match(await page.locator('#agent-note').innerText(), /local Bob.+ELEVENLABS_API_KEY/s);

  const type = async (text: string) => {
    await input.fill(text);
    await input.press('Enter');
  };
  await type('2 pounds from 10001 to 94105');
  await widget.locator('shipvox-quote-card').first().waitFor({ timeout: 30_000 });
  await said(/^Bob: I found \d+ options?\. Option 1: .+ To buy one/).waitFor({ timeout: 30_000 });
  // The shopper's line, the tool call (done), then Bob's answer, in that order; the greeting first.
  const lines = async () => (await log.locator('p.line:not(.live)').allInnerTexts()).map((l) => l.trim());
  // The greeting comes as the call starts: after the first typed line, which started it.
  const afterQuotes = (await lines()).filter((l) => !l.startsWith("Bob: Hi, I'm Bob"));
  assert.ok((await lines()).some((l) => l.startsWith("Bob: Hi, I'm Bob, running locally")));
  const you = afterQuotes.indexOf('You: 2 pounds from 10001 to 94105');
  assert.ok(you >= 0, JSON.stringify(afterQuotes));
  assert.equal(afterQuotes[you + 1], 'Getting quotes: done');
  assert.match(afterQuotes[you + 2]!, /^Bob: I found \d+ options?\. Option 1: /);

  // "option 2" selects it and Bob asks for the recipient; the address card is on screen.
  await type('option 2');
  await said(/^Bob: Before I can buy option 2, .+ I need the recipient's name and address\.$/).waitFor({ timeout: 20_000 });
  await widget.locator('[part="address"]').getByLabel('Street address').waitFor();
  // An address line: checked by the backend, the summary on screen and read back by Bob; nothing bought yet.
  await type('Jane Doe, 1 Market St, San Francisco, CA 94105');
  const summary = widget.locator('[part="summary"]');
  await summary.getByText('Jane Doe, 1 Market St, San Francisco, CA 94105').waitFor({ timeout: 30_000 });
  await widget.locator('[part="address"]').getByText(/^Address verified/).waitFor();
  await said(/please confirm: option 2, .+, to Jane Doe, \[street address\], San Francisco, CA 94105\. Shall I buy it\?$/).waitFor({ timeout: 20_000 });
  assert.equal(await page.evaluate(() => (document.querySelector('shipvox-companion') as any).state.label), null, 'nothing bought before the yes');
  // The yes buys the summary Bob read.
  await type('yes');
  await widget.locator('shipvox-label-panel').waitFor({ timeout: 30_000 });
  await said(/^Bob: Label created/).waitFor({ timeout: 20_000 });
  const label = await page.evaluate(() => (document.querySelector('shipvox-companion') as any).state.label);
  const quotes = await page.evaluate(() => (document.querySelector('shipvox-companion') as any).state.quotes.quotes);
  assert.equal(label.quote_id, quotes.find((q: { option: number }) => q.option === 2).quote_id, 'option 2 was bought');
  // Then tracking: the parcel moves on the simulator's fast clock, the timeline follows it, and Bob says where it is.
  await widget.locator('[part="step"]').last().getByText('Delivered').waitFor({ timeout: 30_000 });
  await type('where is my parcel?');
  await said(/^Bob: The parcel is delivered/).waitFor({ timeout: 20_000 });
  const final = await lines();

  // A reload: the same session, the same lines (logged, not kept in the page).
  await page.reload();
  assert.equal(await widgetSessionId(page), sessionId);
  await said(/^Bob: The parcel is delivered/).waitFor({ timeout: 20_000 });
  assert.deepEqual(await lines(), final);

  // The log as the QA console reads it has every line, in order.
  const admin = await fetch(`${bff.url}/v1/admin/sessions/${sessionId}/log`, { headers: { authorization: `Bearer ${bff.config.ADMIN_TOKEN}` } });
  const events = ((await admin.json()) as { events: Array<{ type: string; role?: string; text?: string }> }).events;
  const logged = events.filter((e) => e.type === 'transcript_line').map((e) => `${e.role}: ${e.text}`);
  assert.deepEqual(logged.filter((l) => l.startsWith('user')), [
    'user: 2 pounds from 10001 to 94105',
    'user: option 2',
    'user: Jane Doe, [street address], San Francisco, CA 94105',
    'user: yes',
    'user: where is my parcel?',
  ]);
  assert.ok(logged.some((l) => /^agent: Label created/.test(l)));

  // The QA console drives the same conversation by text (its widget's text box) and its log shows the lines.
  const qa = await browser.newPage();
  const qaSeen = await watchPage(qa);
  await qa.goto(`${bff.url}/demo/qa.html`);
  await widgetSessionId(qa);
  await qa.locator('#agent-note[data-bob="local"]').waitFor();
  const qaInput = qa.locator('shipvox-companion').getByLabel('Message to Bob');
  await qaInput.fill('3 lb from 60601 to 30301');
  await qaInput.press('Enter');
  await qa.locator('shipvox-companion shipvox-quote-card').first().waitFor({ timeout: 30_000 });
  await qa.locator('#log li[data-type="transcript_line"]', { hasText: 'shopper: 3 lb from 60601 to 30301' }).waitFor({ timeout: 30_000 });
  await qa.locator('#log li[data-type="transcript_line"]', { hasText: /Bob: I found \d+ option/ }).waitFor({ timeout: 30_000 });

  assert.deepEqual([...seen.errors, ...qaSeen.errors], []);
  assert.deepEqual([...seen.violations, ...qaSeen.violations], []);
});
