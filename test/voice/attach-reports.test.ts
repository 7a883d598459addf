/**
 * Attach mode with ElevenLabs' elements that drop the shopper's choices (test/voice/attach-shop.ts):
 * widget-core without `allow-events="true"`, and the `@elevenlabs/convai-widget-embed` bundle,
 * which has no event bridge. Tools and the session id still work; the choice does not reach Bob,
 * and the widget says so (shipvox-error voice_agent_events, console warning).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CORE_URL, EMBED_URL, packageVersion } from '../helpers/elevenlabs-routes.ts';
import { browserSkip } from '../e2e/browser.ts';
import { assertBobsSession, openShop, quoteAndPick, shipvoxErrors, startCall, updatesAfterPick, useShopBrowser } from './attach-shop.ts';

const skip = browserSkip();
const browser = useShopBrowser(skip);

test('attach mode, widget-core without allow-events: the choice does not reach Bob, and the widget says so (shipvox-error, console warning)', { skip, timeout: 90_000 }, async (t) => {
  const shop = await openShop(t, browser(), { script: CORE_URL, attrs: '' });
  const conversation = await startCall(shop);
  await assertBobsSession(shop, conversation);
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
  const shop = await openShop(t, browser(), { script: EMBED_URL, attrs: 'allow-events="true"' });
  const conversation = await startCall(shop);
  await assertBobsSession(shop, conversation);
  const [error] = await shipvoxErrors(shop);
  assert.equal(error?.code, 'voice_agent_events');
  assert.match(error?.message ?? '', /no event bridge/);
  assert.ok(shop.warnings.some((w) => w.includes('<shipvox-companion>') && w.includes('no event bridge')), shop.warnings.join('\n'));
  await quoteAndPick(shop, conversation);
  assert.deepEqual(await updatesAfterPick(conversation), [], 'the element dropped the choice');
  assert.deepEqual(shop.seen.errors, []);
});
