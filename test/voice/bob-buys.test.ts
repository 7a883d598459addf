/**
 * Bob buys from what he hears, in the modes where his tools are client tools: he knows only the
 * result strings and his dynamic variables (test/helpers/bob.ts), and buys "option 2" by its
 * number, through the real `@elevenlabs/client` (SDK mode) and ElevenLabs' real
 * `<elevenlabs-convai>` (attach mode). Webhook mode: test/agent/webhook-body.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QUOTE_PARAMS } from '../helpers/bff.ts';
import { bobBuysOption, labelOnScreen } from '../helpers/bob.ts';
import { CORE_URL } from '../helpers/elevenlabs-routes.ts';
import { browserSkip } from '../e2e/browser.ts';
import { openShop, startCall, useShopBrowser } from './attach-shop.ts';
import { openVoicePage } from './sdk-page.ts';

const skip = browserSkip();
const browser = useShopBrowser(skip);

test('SDK mode: Bob buys through the real @elevenlabs/client from what he heard, quote → "option 2" → label', { skip, timeout: 90_000 }, async (t) => {
  const { convai, page, seen, mic } = await openVoicePage(t);
  await mic.click();
  const conversation = await convai.conversation(0);
  const bob = await bobBuysOption(conversation, { asks: 'What does two pounds from New York to San Francisco cost?', parameters: QUOTE_PARAMS, option: 2 });
  await labelOnScreen(page, bob);
  assert.equal(conversation.closed, null, 'the conversation was never closed for an invalid message');
  assert.deepEqual(seen.errors, [], 'no page errors');
});

test('attach mode: Bob buys through the real <elevenlabs-convai> from what he heard, quote → "option 2" → label', { skip, timeout: 90_000 }, async (t) => {
  const shop = await openShop(t, browser(), { script: CORE_URL, attrs: 'allow-events="true"' });
  const conversation = await startCall(shop);
  const bob = await bobBuysOption(conversation, { asks: 'What does two pounds from New York to San Francisco cost?', parameters: QUOTE_PARAMS, option: 2 });
  await labelOnScreen(shop.page, bob);
  assert.equal(conversation.closed, null);
  assert.deepEqual(shop.seen.errors, []);
});
