/**
 * A shop page for attach-mode tests: ElevenLabs' real `<elevenlabs-convai>` (widget-core, or the
 * embed bundle) next to the real widget bundle, ElevenLabs' hosts answered by playwright routes
 * (test/helpers/elevenlabs-routes.ts, the conversation played by the contract-checked stand-in),
 * and what the shopper and Bob do there.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEV_PUBLISHABLE_KEY } from '../../bff/config.ts';
import type { RunningServer } from '../../bff/server.ts';
import { QUOTE_PARAMS } from '../helpers/bff.ts';
import type { StandInConversation } from '../helpers/convai-standin.ts';
import { routeElevenLabs, type ElevenLabsRoutes } from '../helpers/elevenlabs-routes.ts';
import { resolveCall } from '../../bff/sessions/call-bindings.ts';
import { CHROMIUM, startDemoBff, watchPage, widgetSessionId } from '../e2e/browser.ts';

export interface Shop {
  bff: RunningServer;
  context: BrowserContext;
  page: Page;
  routes: ElevenLabsRoutes;
  seen: { violations: string[]; errors: string[] };
  warnings: string[];
}

/**
 * Chromium for shop pages: a fake microphone, and no local-network-access checks (a page that a
 * route fulfils counts as public to Chromium 156, which then blocks its socket to the loopback BFF).
 */
function launchShopBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--disable-features=LocalNetworkAccessChecks'],
  });
}

/** One shop browser per test file: launched before its tests (unless they are skipped), closed after them. */
export function useShopBrowser(skip: string | false): () => Browser {
  let browser: Browser | undefined;
  before(async () => {
    if (!skip) browser = await launchShopBrowser();
  });
  after(() => browser?.close());
  return () => browser!;
}

/** A shop page (on the BFF's origin) with the page's own <elevenlabs-convai> and the widget attached to it; a BFF of its own. */
export async function openShop(
  t: { after(fn: () => unknown): void },
  browser: Browser,
  element: { script: string; attrs: string; other?: boolean },
  /** Held until it resolves: the widget's token exchanges (the session comes late). */
  exchangesHeldUntil?: Promise<void>,
): Promise<Shop> {
  const bff = await startDemoBff();
  const context = await browser.newContext();
  t.after(async () => {
    await context.close();
    await bff.close();
  });
  await context.grantPermissions(['microphone'], { origin: bff.url });
  const routes = await routeElevenLabs(context, { pingMs: 500 });
  const shopUrl = `${bff.url}/shop/checkout.html`;
  if (exchangesHeldUntil) await context.route(`${bff.url}/v1/sessions`, (route) => exchangesHeldUntil.then(() => route.continue()));
  await context.route(shopUrl, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title></head><body>
<main><h1>Checkout</h1>
<shipvox-companion voice-agent="#bob" endpoint="${bff.url}" publishable-key="${DEV_PUBLISHABLE_KEY}" locale="en-US"></shipvox-companion></main>
<elevenlabs-convai id="bob" agent-id="agent_attach" default-expanded="true" ${element.attrs}></elevenlabs-convai>
${element.other ? '<elevenlabs-convai id="other" agent-id="agent_other" placement="top-left" allow-events="true"></elevenlabs-convai>' : ''}
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
  return { bff, context, page, routes, seen, warnings };
}

/** The shopper presses the element's own call button; resolves with the conversation it opened. */
export async function startCall(shop: Shop, element = '#bob', n = 0) {
  await shop.page.locator(element).getByRole('button', { name: 'Start a call' }).click();
  const conversation = await shop.routes.conversation(n);
  // The widget's attach chunk, evaluated: the widget's own import of it (made first) has settled too.
  await shop.page.evaluate((url) => import(url).then(() => undefined), `${shop.bff.url}/widget/shipvox-attach.js`);
  return conversation;
}

/** Bob quotes, reads the options, is interrupted; the shopper picks option 2 on screen. */
export async function quoteAndPick(shop: Shop, conversation: StandInConversation) {
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

/**
 * The contextual updates Bob got for the pick: the element sends them as the widget hands them over,
 * so they are in before the result of Bob's next call (get_session_state).
 */
export async function updatesAfterPick(conversation: StandInConversation) {
  const state = await conversation.callTool('get_session_state', {});
  assert.equal(state.is_error, false, state.result);
  return conversation.ofType('contextual_update');
}

/**
 * The session_id Bob got is the widget's call binding, which the BFF resolves to the widget's
 * session (what webhook calls naming it run on). Returns the binding.
 */
export async function assertBobsSession(shop: Shop, conversation: StandInConversation): Promise<string> {
  const binding = conversation.init?.dynamic_variables?.session_id;
  assert.match(String(binding), /^cb_[\w-]{22}$/, 'Bob gets the call binding as session_id');
  assert.deepEqual(await resolveCall(shop.bff.companion.services.sessions, binding as string), { sessionId: await widgetSessionId(shop.page) });
  return binding as string;
}

/** The widget's shipvox-error events so far. */
export const shipvoxErrors = (shop: Shop) => shop.page.evaluate(() => (window as unknown as { shipvoxErrors: Array<{ code: string; message: string; fatal: boolean }> }).shipvoxErrors);
