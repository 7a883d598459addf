/**
 * Attach mode against ElevenLabs' real `<elevenlabs-convai>` from `@elevenlabs/convai-widget-core`
 * with `allow-events="true"`, next to the real widget bundle on a shop page (test/voice/attach-shop.ts).
 * The shopper presses the element's own call button; Bob's tool calls arrive as the service sends
 * them and run through the session; a choice on screen reaches Bob as a contextual_update.
 * attach-reports.test.ts: the elements that cannot tell Bob; bob-buys.test.ts: Bob buying.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QUOTE_PARAMS } from '../helpers/bff.ts';
import { bobConfirmsPurchase } from '../helpers/bob.ts';
import { CORE_URL } from '../helpers/elevenlabs-routes.ts';
import { browserSkip } from '../e2e/browser.ts';
import { assertBobsSession, openShop, quoteAndPick, shipvoxErrors, startCall, updatesAfterPick, useShopBrowser } from './attach-shop.ts';

const skip = browserSkip();
const browser = useShopBrowser(skip);

test('attach mode, widget-core with allow-events="true": the real element gets the tools and session id, Bob\'s call runs through the session, a screen choice reaches Bob', { skip, timeout: 90_000 }, async (t) => {
  const shop = await openShop(t, browser(), { script: CORE_URL, attrs: 'allow-events="true"', other: true });
  const conversation = await startCall(shop);
  await assertBobsSession(shop, conversation);
  assert.equal(conversation.query.get('agent_id'), 'agent_attach');
  assert.deepEqual(shop.routes.widgetConfigs.sort(), ['agent_attach', 'agent_other']);

  await quoteAndPick(shop, conversation);
  // A tool error reaches the service as is_error: true with the sentence Bob can say.
  const wrong = await conversation.callTool('create_label', { option: 99 });
  assert.equal(wrong.is_error, true);
  assert.match(wrong.result, /There is no option 99: the options on the screen go from 1 to \d+/);
  const updates = await updatesAfterPick(conversation);
  assert.equal(updates.length, 1, 'the choice reached Bob once');
  assert.match(updates[0]!.text, /option 2/i);

  // An email from the label panel: Bob hears that it went out, never the shopper's address.
  await bobConfirmsPurchase(conversation, 2);
  await shop.page.waitForFunction(() => document.querySelector('shipvox-companion')?.shadowRoot?.querySelector('shipvox-label-panel'));
  await shop.page.evaluate(() => {
    const el = document.querySelector('shipvox-companion') as HTMLElement & { state: { label: { label_id: string } } };
    el.shadowRoot!.querySelector('shipvox-label-panel')!.dispatchEvent(new CustomEvent('label-email', { detail: { label_id: el.state.label.label_id, to: 'ana.shopper@example.com' }, bubbles: true }));
  });
  await conversation.waitFor('contextual_update', (f) => /emailed/.test(f.text));
  assert.doesNotMatch(conversation.ofType('contextual_update').map((f) => f.text).join(' '), /ana\.shopper/);

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
