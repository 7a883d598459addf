/**
 * Bob as the LLM is, for the modes with client tools (SDK, attach): he knows the dynamic variables
 * of his conversation and the result strings of his calls, nothing else (no JSON, no screen, no
 * quote ids). He hears the shopper, quotes, reads the options (the shopper cuts in), hears
 * "option N" and buys it by that number. The conversation frames each turn as the service does.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { StandInConversation } from './convai-standin.ts';

export interface HeardOption {
  option: number;
  carrier: string;
  service: string;
  price: string;
}

export interface BobBought {
  /** What get_shipping_quotes answered (what Bob read aloud). */
  quoted: string;
  /** The option as Bob read it. */
  chosen: HeardOption;
  /** What create_label answered. */
  bought: string;
  /** The last four digits of the tracking number, as Bob says them. */
  trackingTail: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "Option 2: UPS Ground, $12.40, ..." as Bob reads it from a result string. */
export function heardOption(sentence: string, option: number): HeardOption | null {
  const m = new RegExp(`Option ${option}: (USPS|UPS|FedEx) ([^,]+), (\\$\\d[\\d,]*\\.\\d\\d)`).exec(sentence);
  return m ? { option, carrier: m[1]!, service: m[2]!, price: m[3]! } : null;
}

/** The shopper asks for prices and takes option `option`; Bob buys it from what he heard. */
export async function bobBuysOption(
  conversation: StandInConversation,
  shopper: { asks: string; parameters: Record<string, unknown>; option: number },
): Promise<BobBought> {
  assert.equal(typeof conversation.init?.dynamic_variables?.session_id, 'string', 'Bob has the session as a dynamic variable');
  conversation.hear(shopper.asks);
  const quotes = await conversation.callTool('get_shipping_quotes', shopper.parameters);
  assert.equal(quotes.is_error, false, quotes.result);
  const chosen = heardOption(quotes.result, shopper.option);
  assert.ok(chosen, `option ${shopper.option} is in what Bob heard: ${quotes.result}`);
  assert.match(quotes.result, /option number/, 'Bob is told how to buy one');
  conversation.say(quotes.result);
  // The shopper does not wait for the list to end: the service cuts Bob off and corrects his line.
  conversation.interrupt(quotes.result.slice(0, quotes.result.indexOf(`Option ${shopper.option}:`) + `Option ${shopper.option}:`.length));
  conversation.hear(`Option ${shopper.option}, please.`);
  const label = await bobConfirmsPurchase(conversation, shopper.option);
  const tail = new RegExp(
    `^Label created, downloading now\\. ${escape(chosen.carrier)} ${escape(chosen.service)}, ${escape(chosen.price)}\\. The tracking number ends in (\\d{4})\\.`,
  ).exec(label.result)?.[1];
  assert.ok(tail, `the label Bob confirms is option ${shopper.option} as he read it: ${label.result}`);
  conversation.say(label.result);
  return { quoted: quotes.result, chosen, bought: label.result, trackingTail: tail };
}

/** The recipient as the shopper says it to Bob (a business address: the quotes stand). */
export const SPOKEN_RECIPIENT = { name: 'Ada Lovelace', company: 'Analytical Engines Inc', street: '500 Howard St', zip: '94105' };

/**
 * The product's way from a chosen option to a label, by voice: Bob takes the recipient the shopper
 * says, reads the summary create_label answers, hears "yes", and buys with confirmed: true.
 * Resolves with the purchase's result.
 */
export async function bobConfirmsPurchase(conversation: StandInConversation, option: number, recipient = SPOKEN_RECIPIENT) {
  conversation.hear(`It goes to ${recipient.name}, ${recipient.company}, ${recipient.street}, ${recipient.zip}.`);
  const to = await conversation.callTool('set_recipient_address', recipient);
  assert.equal(to.is_error, false, to.result);
  conversation.say(to.result);
  const summary = await conversation.callTool('create_label', { option });
  assert.equal(summary.is_error, false, summary.result);
  assert.match(summary.result, new RegExp(`please confirm: option ${option}, .* to ${recipient.name}`), 'Bob reads the summary before buying');
  conversation.say(summary.result);
  conversation.hear('Yes.');
  const label = await conversation.callTool('create_label', { option, confirmed: true });
  assert.equal(label.is_error, false, label.result);
  return label;
}

/** The screen agrees with what Bob said: the label on it is the option he bought, its tracking number ends as he said. */
export async function labelOnScreen(page: Page, bob: BobBought): Promise<void> {
  const tracking = page.locator('shipvox-companion [part="tracking"]');
  await tracking.waitFor();
  assert.match((await tracking.textContent()) ?? '', new RegExp(`${bob.trackingTail}(?!\\d)`));
  const screen = await page.evaluate(() => {
    const { label, quotes } = (document.querySelector('shipvox-companion') as unknown as { state: { label: { quote_id: string } | null; quotes: { quotes: Array<{ option: number; quote_id: string }> } | null } }).state;
    return { label: label?.quote_id, options: quotes?.quotes.map((q) => [q.option, q.quote_id] as const) ?? [] };
  });
  assert.equal(screen.label, screen.options.find(([option]) => option === bob.chosen.option)?.[1], `the label on screen is option ${bob.chosen.option}`);
}
