/**
 * A call that starts before the widget has its session, with ElevenLabs' real `<elevenlabs-convai>`
 * (widget-core, allow-events="true") on a shop page whose token exchange the test holds: the
 * conversation the element opens carries the widget's call binding as session_id (never ''), a
 * webhook call naming it meanwhile gets a sentence Bob can say, the client tool Bob calls meanwhile
 * is answered once the session is there, and afterwards webhook calls naming the binding run on
 * the widget's session. After a reload the element's next call carries the same binding.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QUOTE_PARAMS, webhook } from '../helpers/bff.ts';
import { CORE_URL } from '../helpers/elevenlabs-routes.ts';
import { browserSkip, widgetSessionId } from '../e2e/browser.ts';
import { assertBobsSession, openShop, startCall, useShopBrowser } from './attach-shop.ts';

const skip = browserSkip();
const browser = useShopBrowser(skip);

test('attach mode, a call before the session: the real element carries the call binding, early calls land on the widget\'s session', { skip, timeout: 90_000 }, async (t) => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const shop = await openShop(t, browser(), { script: CORE_URL, attrs: 'allow-events="true"' }, held);
  const conversation = await startCall(shop);
  assert.equal(await shop.page.evaluate(() => (document.querySelector('shipvox-companion') as unknown as { sessionId: string | null }).sessionId), null, 'the widget has no session yet');
  const binding = conversation.init?.dynamic_variables?.session_id as string;
  assert.match(binding, /^cb_[\w-]{22}$/, 'the conversation starts with the call binding, not an empty id');

  const waiting = await webhook(shop.bff, 'get_session_state', { session_id: binding, tool_call_id: 'tc_wh_early' });
  assert.deepEqual([waiting.json.error, waiting.json.is_error], ['session_not_ready', true]);
  assert.match(waiting.json.result, /still connecting/);
  const early = conversation.callTool('get_session_state', {});

  release();
  const sessionId = await widgetSessionId(shop.page);
  assert.equal(await assertBobsSession(shop, conversation), binding);
  const answered = await early;
  assert.equal(answered.is_error, false, answered.result);
  const quotes = await webhook(shop.bff, 'get_shipping_quotes', { session_id: binding, tool_call_id: 'tc_wh_quotes', ...QUOTE_PARAMS });
  assert.notEqual(quotes.json.is_error, true, quotes.json.result);
  await shop.page.locator('shipvox-companion [part="card"]').filter({ hasText: 'Option 1' }).first().waitFor();
  assert.ok((await shop.bff.companion.services.sessions.state(sessionId)).quotes, 'the webhook call ran on the widget\'s session');

  await shop.page.reload();
  assert.equal(await widgetSessionId(shop.page), sessionId);
  const again = await startCall(shop, '#bob', 1);
  assert.equal(again.init?.dynamic_variables?.session_id, binding, 'a reload keeps the binding');
  assert.deepEqual(shop.seen.errors, []);
});
