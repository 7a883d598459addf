/**
 * Attach mode against ElevenLabs' real `<elevenlabs-convai>`: the element from
 * `@elevenlabs/convai-widget-core` (and the `@elevenlabs/convai-widget-embed` bundle) runs in
 * Chromium next to the real widget bundle, on a shop page of the BFF's origin. ElevenLabs' hosts
 * are playwright routes (test/helpers/elevenlabs-routes.ts): the widget config, the embed script,
 * and the conversation socket, played by the conversation stand-in held to `@elevenlabs/types`.
 * The shopper presses the element's own call button; Bob's tool calls arrive as the service sends
 * them and run through the session; a choice on screen reaches Bob as a contextual_update only
 * where the element carries it (widget-core with allow-events="true"), and the widget says so
 * where it cannot.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEV_PUBLISHABLE_KEY } from '../../bff/config.ts';
import type { RunningServer } from '../../bff/server.ts';
import { QUOTE_PARAMS } from '../helpers/bff.ts';
import { bobBuysOption, labelOnScreen } from '../helpers/bob.ts';
import type { StandInConversation } from '../helpers/convai-standin.ts';
import { CORE_URL, EMBED_URL, packageVersion, routeElevenLabs, type ElevenLabsRoutes } from '../helpers/elevenlabs-routes.ts';
import { browserSkip, CHROMIUM, startDemoBff, watchPage, widgetSessionId } from '../e2e/browser.ts';

const skip = browserSkip();

interface Shop {
  bff: RunningServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  routes: ElevenLabsRoutes;
  seen: { violations: string[]; errors: string[] };
  warnings: string[];
}

/** A shop page with the page's own <elevenlabs-convai> and the widget attached to it. */
async function openShop(t: { after(fn: () => unknown): void }, element: { script: string; attrs: string; other?: boolean }): Promise<Shop> {
  const bff = await startDemoBff();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required', '--disable-features=LocalNetworkAccessChecks'],
  });
  t.after(async () => {
    await browser.close();
    await bff.close();
  });
  const context = await browser.newContext();
  await context.grantPermissions(['microphone'], { origin: bff.url });
  const routes = await routeElevenLabs(context, { pingMs: 500 });
  const shopUrl = `${bff.url}/shop/checkout.html`;
  await context.route(shopUrl, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title></head><body>
<main><h1>Checkout</h1>
<shipvox-companion voice-agent="#bob" endpoint="${bff.url}" publishable-key="${DEV_PUBLISHABLE_KEY}" locale="en-US"></shipvox-companion></main>
<elevenlabs-convai id="bob" agent-id="agent_attach" default-expanded="true" ${element.attrs}></elevenlabs-convai>
${element.other ? '<elevenlabs-convai id="other" agent-id="agent_other" placement="bottom-left" default-expanded="true" allow-events="true"></elevenlabs-convai>' : ''}
<script src="/widget/shipvox-companion.js"></script>
<script src="${element.script}" async></script>
</body></html>`,
    }),
  );
  const page = await context.newPage();
  const seen = await watchPage(page);
  await page.addInitScript(() => {
    const errors: unknown[] = [];
    (window as unknown as { shipvoxErrors: unknown[] }).shipvoxErrors = errors;
    document.addEventListener('shipvox-error', (e) => errors.push((e as CustomEvent).detail));
  });
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  await page.goto(shopUrl);
  return { bff, browser, context, page, routes, seen, warnings };
}

/** The shopper presses the element's own call button; resolves with the conversation it opened. */
async function startCall(shop: Shop, element = '#bob', n = 0) {
  await shop.page.locator(element).getByRole('button', { name: 'Start a call' }).click();
  const conversation = await shop.routes.conversation(n);
  // The widget's attach chunk, evaluated: the widget's own import of it (made first) has settled too.
  await shop.page.evaluate((url) => import(url).then(() => undefined), `${shop.bff.url}/widget/shipvox-attach.js`);
  return conversation;
}

/** Bob quotes, reads the options, is interrupted; the shopper picks option 2 on screen. */
async function quoteAndPick(shop: Shop, conversation: StandInConversation) {
  conversation.hear('How much is it to ship two pounds to San Francisco?');
  const result = await conversation.callTool('get_shipping_quotes', QUOTE_PARAMS);
  assert.equal(result.is_error, false, result.result);
  assert.match(result.result, /Option 2/);
  conversation.say(result.result);
  conversation.interrupt(result.result.slice(0, 20));
  const widget = shop.page.locator('shipvox-companion');
  await widget.locator('[part="card"]').filter({ hasText: 'Option 2' }).first().locator('[part="select-button"]').click();
  // The widget told the session log (and, in the same step, the element): its note is back in the widget's state.
  await shop.page.waitForFunction(() =>
    (document.querySelector('shipvox-companion') as unknown as { state: { context: Array<{ text: string }> } }).state.context.some((c) => /option 2/i.test(c.text)),
  );
}

test('attach mode: Bob buys through the real <elevenlabs-convai> from what he heard, quote → "option 2" → label', { skip, timeout: 90_000 }, async (t) => {
  const shop = await openShop(t, { script: CORE_URL, attrs: 'allow-events="true"' });
  const conversation = await startCall(shop);
  const bob = await bobBuysOption(conversation, { asks: 'What does two pounds from New York to San Francisco cost?', parameters: QUOTE_PARAMS, option: 2 });
  await labelOnScreen(shop.page, bob);
  assert.equal(conversation.closed, null);
  assert.deepEqual(shop.seen.errors, []);
});

/**
 * The contextual updates Bob got for the pick: the element sends them as the widget hands them over,
 * so they are in before the result of Bob's next call (get_session_state).
 */
async function updatesAfterPick(conversation: StandInConversation) {
  const state = await conversation.callTool('get_session_state', {});
  assert.equal(state.is_error, false, state.result);
  return conversation.ofType('contextual_update');
}

/** The widget's shipvox-error events so far. */
const shipvoxErrors = (shop: Shop) => shop.page.evaluate(() => (window as unknown as { shipvoxErrors: Array<{ code: string; message: string; fatal: boolean }> }).shipvoxErrors);

test('attach mode, widget-core with allow-events="true": the real element gets the tools and session id, Bob\'s call runs through the session, a screen choice reaches Bob', { skip, timeout: 90_000 }, async (t) => {
  const shop = await openShop(t, { script: CORE_URL, attrs: 'allow-events="true"', other: true });
  const sessionId = await widgetSessionId(shop.page);
  const conversation = await startCall(shop);
  assert.equal(conversation.init?.dynamic_variables?.session_id, sessionId, 'session_id reaches Bob as a dynamic variable');
  assert.equal(conversation.query.get('agent_id'), 'agent_attach');
  assert.deepEqual(shop.routes.widgetConfigs.sort(), ['agent_attach', 'agent_other']);

  await quoteAndPick(shop, conversation);
  const updates = await updatesAfterPick(conversation);
  assert.equal(updates.length, 1, 'the choice reached Bob once');
  assert.match(updates[0]!.text, /option 2/i);

  assert.equal(conversation.closed, null, 'no frame the service would refuse');

  // Another <elevenlabs-convai> on the page is none of the widget's business: no tools, no session.
  const stranger = await startCall(shop, '#other', 1);
  assert.equal(stranger.query.get('agent_id'), 'agent_other');
  assert.equal(stranger.init?.dynamic_variables?.session_id, undefined);
  const refused = await stranger.callTool('get_shipping_quotes', QUOTE_PARAMS);
  assert.deepEqual([refused.is_error, refused.result], [true, 'Client tool with name get_shipping_quotes is not defined on client']);
  assert.deepEqual(await shipvoxErrors(shop), []);
  assert.deepEqual(shop.warnings.filter((w) => w.includes('shipvox-companion')), []);
  assert.deepEqual(shop.routes.refused, []);
  assert.deepEqual(shop.seen.errors, []);
});


test('attach mode, widget-core without allow-events: the choice does not reach Bob, and the widget says so (shipvox-error, console warning)', { skip, timeout: 90_000 }, async (t) => {
  const shop = await openShop(t, { script: CORE_URL, attrs: '' });
  const conversation = await startCall(shop);
  assert.equal(conversation.init?.dynamic_variables?.session_id, await widgetSessionId(shop.page));
  const [error] = await shipvoxErrors(shop);
  assert.equal(error?.code, 'voice_agent_events');
  assert.equal(error?.fatal, false);
  assert.match(error?.message ?? '', /allow-events="true"/);
  assert.ok(shop.warnings.some((w) => w.includes('<shipvox-companion>') && w.includes('allow-events="true"')), shop.warnings.join('\n'));
  await quoteAndPick(shop, conversation);
  assert.deepEqual(await updatesAfterPick(conversation), [], 'the element dropped the choice');
  assert.deepEqual(shop.seen.errors, []);
});

test(`attach mode, the embed bundle (@elevenlabs/convai-widget-embed ${packageVersion('@elevenlabs/convai-widget-embed')}): tools and session id work, its missing event bridge is reported`, { skip, timeout: 90_000 }, async (t) => {
  const shop = await openShop(t, { script: EMBED_URL, attrs: 'allow-events="true"' });
  const conversation = await startCall(shop);
  assert.equal(conversation.init?.dynamic_variables?.session_id, await widgetSessionId(shop.page));
  const [error] = await shipvoxErrors(shop);
  assert.equal(error?.code, 'voice_agent_events');
  assert.match(error?.message ?? '', /no event bridge/);
  assert.ok(shop.warnings.some((w) => w.includes('<shipvox-companion>') && w.includes('no event bridge')), shop.warnings.join('\n'));
  await quoteAndPick(shop, conversation);
  assert.deepEqual(await updatesAfterPick(conversation), [], 'the element dropped the choice');
  assert.deepEqual(shop.seen.errors, []);
});
