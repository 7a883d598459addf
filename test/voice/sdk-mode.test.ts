/**
 * SDK mode end to end (README's talking path, automated): the real widget bundle with
 * voice="sdk" in headless Chromium (fake microphone), a real BFF minting signed URLs from the
 * ElevenLabs REST stand-in, and the real @elevenlabs/client (the lazily loaded voice chunk) talking
 * to the conversation stand-in. Bob's tool call goes stand-in → SDK → widget → BFF → simulator;
 * the result string comes back to the stand-in, the cards appear, every client of the session
 * gets the broadcast, and a choice made on screen reaches Bob as a contextual_update.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ServerFrame } from '../../shared/protocol.ts';
import { QUOTE_PARAMS, TestClient } from '../helpers/bff.ts';
import { browserSkip } from '../e2e/browser.ts';
import { openVoicePage } from './sdk-page.ts';

const VOICE_CHUNK = fileURLToPath(new URL('../../dist/widget/shipvox-voice.js', import.meta.url));
const skip = browserSkip() || (existsSync(VOICE_CHUNK) ? false : 'dist/widget/shipvox-voice.js missing: run npm run build');

test('SDK mode: mic → signed URL conversation; Bob\'s tool call runs through the session; a screen choice reaches Bob', { skip, timeout: 90_000 }, async (t) => {
  const { convai, rest, bff, context, page, seen, widget, sessionId, mic, clients } = await openVoicePage(t);
  assert.equal(await mic.getAttribute('aria-pressed'), 'false');
  assert.equal(await mic.getAttribute('data-state'), 'idle');

  // A second UI client of the same session (another screen), joined with the page's resume token.
  // Read where the widget keeps it for a reload (sessionStorage), not from its private fields.
  const resumeToken = await page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('shipvox-companion:'))!;
    return (JSON.parse(sessionStorage.getItem(key)!) as { resume_token: string }).resume_token;
  });
  const exchanged = await fetch(`${bff.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: bff.url },
    body: JSON.stringify({ resume_token: resumeToken }),
  });
  assert.equal(exchanged.status, 201);
  const ticket = (await exchanged.json()) as { session_id: string; ws_url: string; ticket: string };
  assert.equal(ticket.session_id, sessionId);
  const other = await TestClient.open(`${ticket.ws_url}?ticket=${ticket.ticket}`, bff.url);
  clients.push(other);
  other.send({ type: 'hello', role: 'ui' });
  await other.waitFor((f) => f.type === 'welcome');

  // The page asks for Bob in Spanish (voice-language): the SDK's agent language override and a dynamic variable.
  await widget.evaluate((el) => el.setAttribute('voice-language', 'es'));
  // Mic: the voice chunk loads, the BFF mints a signed URL, the SDK starts the conversation.
  await mic.click();
  const conversation = await convai.conversation(0);
  assert.equal((conversation.init as { conversation_config_override?: { agent?: { language?: string } } }).conversation_config_override?.agent?.language, 'es');
  assert.equal(conversation.init?.dynamic_variables?.language, 'es');
  assert.equal(conversation.query.get('agent_id'), 'agent_standin');
  assert.match(conversation.query.get('conversation_signature') ?? '', /^sig_/);
  assert.equal(conversation.init?.dynamic_variables?.session_id, sessionId, 'session_id reaches Bob as a dynamic variable');
  await page.waitForFunction(() => {
    const b = document.querySelector('shipvox-companion')?.shadowRoot?.querySelector('[part="voice"]');
    return b?.getAttribute('aria-pressed') === 'true' && /listening|speaking/.test(b.getAttribute('data-state') ?? '');
  });
  assert.equal(rest.requests.filter((r) => r.path.startsWith('/v1/convai/conversation/get-signed-url')).length, 1);
  await conversation.waitFor('pong');

  // Bob calls get_shipping_quotes: the result string comes back; the cards are on screen.
  const result = await conversation.callTool('get_shipping_quotes', QUOTE_PARAMS);
  assert.equal(typeof result.result, 'string');
  assert.equal(result.is_error, false, String(result.result));
  const spoken = String(result.result);
  const options = [...spoken.matchAll(/Option (\d+): ([^,]+), (\$\d[\d,]*\.\d\d)/g)].map((m) => ({ option: Number(m[1]), name: m[2]!, price: m[3]! }));
  assert.ok(options.length >= 2, `options named in "${spoken}"`);
  const cards = widget.locator('[part="card"]');
  await cards.first().waitFor();
  for (const o of options) {
    const card = cards.filter({ hasText: `Option ${o.option}` }).first();
    const text = (await card.textContent()) ?? '';
    assert.ok(text.includes(o.price), `card for option ${o.option} shows ${o.price}: ${text}`);
  }

  // The broadcast reached the other screen too: the same result string, the same quotes.
  const broadcast = await other.waitFor<Extract<ServerFrame, { type: 'client_tool_result' }>>((f) => f.type === 'client_tool_result');
  assert.equal(broadcast.result, spoken);
  assert.equal(broadcast.tool_name, 'get_shipping_quotes');
  await other.waitFor((f) => f.type === 'quotes_ready');

  // The shopper selects option 2 on screen: Bob hears it as a contextual_update (and the log has it).
  await cards.filter({ hasText: 'Option 2' }).first().locator('[part="select-button"]').click();
  const update = await conversation.waitFor('contextual_update');
  assert.match(update.text, /option 2/i);
  const logged = await other.waitFor<Extract<ServerFrame, { type: 'contextual_update' }>>((f) => f.type === 'contextual_update');
  assert.equal(logged.text, update.text);
  assert.equal(logged.source, 'ui');

  assert.equal(conversation.closed, null, 'the conversation was never closed for an invalid message');
  // Ending the call from the mic closes the conversation.
  await mic.click();
  await conversation.waitClosed();
  await page.waitForFunction(
    () => document.querySelector('shipvox-companion')?.shadowRoot?.querySelector('[part="voice"]')?.getAttribute('data-state') === 'idle',
  );
  assert.deepEqual(seen.violations, [], 'no CSP violations');
  assert.deepEqual(seen.errors, [], 'no page errors');
  await context.close();
});
