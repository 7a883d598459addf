/**
 * The conversation on screen in SDK mode, through the real @elevenlabs/client and the ElevenLabs
 * stand-in: what the service transcribes and what Bob says become logged transcript lines in order,
 * with his tool call in line; Bob's words stream in; an interruption and agent_response_correction
 * replace his line with what he actually said; the text box sends user_message; a voice call offers
 * mute; with no microphone the call starts text-only (text_only in the initiation) and typing works.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QUOTE_PARAMS } from '../helpers/bff.ts';
import { browserSkip, launchBrowser, watchPage, widgetSessionId } from '../e2e/browser.ts';
import { startVoiceStack } from './sdk-page.ts';

test('SDK mode transcript: heard and said lines, the tool call in line, streaming, interruption and correction, typing, mute; no microphone → text only', { skip: browserSkip(), timeout: 120_000 }, async (t) => {
  const stack = await startVoiceStack();
  const { convai, bff } = stack;
  const browser = await launchBrowser({ fakeMicrophone: true });
  const noMic = await launchBrowser();
  t.after(async () => {
    await browser.close();
    await noMic.close();
    await stack.close();
  });
  const context = await browser.newContext();
  await context.grantPermissions(['microphone'], { origin: bff.url });
  const page = await context.newPage();
  const seen = await watchPage(page);
  await page.goto(`${bff.url}/demo/voice.html`);
  const sessionId = await widgetSessionId(page);
  const widget = page.locator('shipvox-companion');
  const lines = async () => (await widget.locator('[role="log"] p.line:not(.live)').allInnerTexts()).map((l) => l.replace(/\s+/g, ' ').trim());
  const waitLines = (n: number) => page.waitForFunction((count) => {
    const talk = document.querySelector('shipvox-companion')?.shadowRoot?.querySelector('shipvox-talk');
    return (talk?.shadowRoot?.querySelectorAll('[role="log"] p.line:not(.live)').length ?? 0) >= count;
  }, n);

  await widget.locator('[part="voice"]').click();
  const conversation = await convai.conversation(0);
  assert.notEqual(conversation.init?.conversation_config_override?.conversation?.text_only, true, 'a voice call');
  await conversation.waitFor('pong');

  conversation.hear('Two pounds from 10001 to 94105');
  await waitLines(1);
  await conversation.callTool('get_shipping_quotes', QUOTE_PARAMS);
  // Streaming: Bob's words so far, shown but not yet a line of the log.
  conversation.send({ type: 'agent_chat_response_part', text_response_part: { type: 'start', text: '', event_id: 901 } });
  conversation.send({ type: 'agent_chat_response_part', text_response_part: { type: 'delta', text: 'I found nine ', event_id: 902 } });
  await widget.locator('[role="log"] p.live', { hasText: 'I found nine' }).waitFor();
  conversation.send({ type: 'agent_chat_response_part', text_response_part: { type: 'stop', text: '', event_id: 903 } });
  conversation.say('I found nine options. Option 1 is the cheapest, and option 2 arrives Tuesday.');
  await waitLines(3);
  assert.equal(await widget.locator('[role="log"] p.live').count(), 0, 'the streamed words gave way to the line');
  assert.deepEqual(await lines(), [
    'You: Two pounds from 10001 to 94105',
    'Getting quotes: done',
    'Bob: I found nine options. Option 1 is the cheapest, and option 2 arrives Tuesday.',
  ]);

  // The shopper cuts in: the line becomes what Bob actually said.
  conversation.interrupt('I found nine options.');
  await widget.locator('[role="log"] p.line', { hasText: /^Bob: I found nine options\.$/ }).waitFor();
  assert.equal((await lines()).length, 3);

  // Typing during the call: user_message to Bob, the shopper's line on screen; mute is offered.
  const input = widget.getByLabel('Message to Bob');
  await input.fill('option 2');
  await input.press('Enter');
  const typed = await conversation.waitFor('user_message');
  assert.equal(typed.text, 'option 2');
  await widget.locator('[role="log"] p.line', { hasText: 'You: option 2' }).waitFor();
  const mute = widget.getByRole('button', { name: 'Mute' });
  assert.equal(await mute.getAttribute('aria-pressed'), 'false');
  await mute.click();
  assert.equal(await mute.getAttribute('aria-pressed'), 'true');

  // The session's log has the lines as the screen shows them (a reload or a second screen reads these).
  const log = await fetch(`${bff.url}/v1/admin/sessions/${sessionId}/log`, { headers: { authorization: `Bearer ${bff.config.ADMIN_TOKEN}` } });
  const events = ((await log.json()) as { events: Array<{ type: string; role?: string; text?: string; tool_name?: string }> }).events;
  const order = events.filter((e) => e.type === 'transcript_line' || e.type === 'tool_call_started').map((e) => (e.type === 'transcript_line' ? `${e.role}: ${e.text}` : `tool: ${e.tool_name}`));
  assert.deepEqual(order, [
    'user: Two pounds from 10001 to 94105',
    'tool: get_shipping_quotes',
    'agent: I found nine options. Option 1 is the cheapest, and option 2 arrives Tuesday.',
    'agent: I found nine options.',
    'user: option 2',
  ]);

  // No microphone at all: the mic button starts the same conversation text-only, and typing works.
  const plain = await noMic.newPage();
  const plainSeen = await watchPage(plain);
  await plain.goto(`${bff.url}/demo/voice.html`);
  await widgetSessionId(plain);
  await plain.locator('shipvox-companion [part="voice"]').click();
  const textOnly = await convai.conversation(1);
  assert.equal(textOnly.init?.conversation_config_override?.conversation?.text_only, true);
  await plain.locator('shipvox-companion').getByLabel('Message to Bob').fill('where are we?');
  await plain.locator('shipvox-companion').getByLabel('Message to Bob').press('Enter');
  assert.equal((await textOnly.waitFor('user_message')).text, 'where are we?');
  assert.equal(await plain.locator('shipvox-companion').getByRole('button', { name: 'Mute' }).count(), 0, 'no mute without a microphone');

  assert.deepEqual([...seen.errors, ...plainSeen.errors], []);
  assert.deepEqual([...seen.violations, ...plainSeen.violations], []);
  await context.close();
});
