/**
 * Typing to Bob in attach mode, with ElevenLabs' real `<elevenlabs-convai>` (widget-core) on a shop
 * page (test/voice/attach-shop.ts): with `allow-events="true"` the widget's text box hands the message
 * to the element (`elevenlabs-agent:user-message`), the conversation gets a `user_message` frame and
 * the session's transcript the shopper's line; without it nothing is sent, and the widget says so.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CORE_URL } from '../helpers/elevenlabs-routes.ts';
import { browserSkip } from '../e2e/browser.ts';
import { openShop, shipvoxErrors, startCall, useShopBrowser, type Shop } from './attach-shop.ts';

const skip = browserSkip();
const browser = useShopBrowser(skip);

/** The shopper types into the widget's text box and presses Enter. */
async function type(shop: Shop, text: string) {
  const box = shop.page.locator('shipvox-companion').getByLabel('Message to Bob');
  await box.fill(text);
  await box.press('Enter');
}
const talk = (shop: Shop) => shop.page.locator('shipvox-companion [part="talk"]');

test('attach mode, widget-core with allow-events="true": a typed message reaches the conversation as user_message and the transcript as the shopper\'s line', { skip, timeout: 90_000 }, async (t) => {
  const shop = await openShop(t, browser(), { script: CORE_URL, attrs: 'allow-events="true"' });
  const conversation = await startCall(shop);
  await type(shop, '2 pounds from 10001 to 94105');
  const frame = await conversation.waitFor('user_message');
  assert.equal(frame.text, '2 pounds from 10001 to 94105');
  // Logged by the session: the widget's transcript has it from the BFF.
  await talk(shop).getByRole('log').getByText('2 pounds from 10001 to 94105').waitFor();
  assert.equal(await shop.page.locator('shipvox-companion').getByLabel('Message to Bob').inputValue(), '');
  assert.equal(await talk(shop).getByRole('status').textContent(), '');
  assert.deepEqual(await shipvoxErrors(shop), []);
  assert.equal(conversation.closed, null, 'no frame the service would refuse');
  assert.deepEqual(shop.seen.errors, []);
});

test('attach mode, widget-core without allow-events: a typed message is not sent; shipvox-error and the panel say Bob cannot read it there', { skip, timeout: 90_000 }, async (t) => {
  const shop = await openShop(t, browser(), { script: CORE_URL, attrs: '' });
  const conversation = await startCall(shop);
  const before = (await shipvoxErrors(shop)).length; // the call's own report: attach-reports.test.ts
  await type(shop, 'option 2');
  const notice = talk(shop).getByRole('status');
  await shop.page.waitForFunction(() => document.querySelector('shipvox-companion')!.shadowRoot!.querySelector('shipvox-talk')!.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim());
  assert.equal(await notice.textContent(), 'Bob cannot read typed messages on this page: talk to him instead.');
  const [error] = (await shipvoxErrors(shop)).slice(before);
  assert.equal(error?.code, 'voice_agent_events');
  assert.equal(error?.fatal, false);
  assert.match(error?.message ?? '', /^A typed message was not sent: .*allow-events="true"/);
  assert.equal(await shop.page.locator('shipvox-companion').getByLabel('Message to Bob').inputValue(), 'option 2', 'what did not reach Bob stays in the box');
  // Whatever the page had sent is in before the result of Bob's next tool call.
  const state = await conversation.callTool('get_session_state', {});
  assert.equal(state.is_error, false, state.result);
  assert.deepEqual(conversation.ofType('user_message'), []);
  assert.equal(await talk(shop).getByRole('log').getByText('option 2').count(), 0, 'not logged as the shopper\'s line');
  assert.deepEqual(shop.seen.errors, []);
});
