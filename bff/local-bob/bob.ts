/**
 * The local Bob: a rule-based stand-in for the ElevenLabs agent, for development without an
 * ElevenLabs account. One LocalBob per conversation socket (conversation.ts speaks the protocol);
 * it reads each `user_message` with understand.ts, calls the same client tools the real agent calls
 * (through the widget, `client_tool_call`), and answers with the tools' own sentences, streamed as a
 * text conversation streams them. It reads the session only to resolve "the cheapest" and to know
 * which option is chosen; every change goes through the tools.
 */
import { currentQuote, selectedQuote, type SessionState } from '../../shared/session.ts';
import { CreateLabelParams, type Quote, type WeightUnit } from '../../shared/tools.ts';
import { arrival, money } from '../tools/speech.ts';
import type { ConvaiConversation, RecordedFrame } from './conversation.ts';
import { understand, type Understood } from './understand.ts';

export const FIRST_MESSAGE =
  "Hi, I'm Bob, running locally on this server (no ElevenLabs agent is connected). Tell me the ZIP codes and the weight, for example: 2 pounds from 10001 to 94105.";
const HELP =
  'I can get shipping quotes and buy the label. Tell me both ZIP codes and the weight, for example "2 pounds from 10001 to 94105"; then pick an option by its number, or say "the cheapest".';

export interface LocalBobOptions {
  /** The session this conversation belongs to (from its signed URL). */
  sessionId: string;
  /** The session's current state (read only). */
  state: () => Promise<SessionState>;
  /** Delay between streamed words (0 in tests). */
  wordMs: number;
}

interface Draft {
  from_zip?: string;
  to_zip?: string;
  weight?: number;
  weight_unit?: WeightUnit;
}

export class LocalBob {
  private draft: Draft = {};
  /** The option Bob asked the shopper to confirm. */
  private proposed: number | null = null;
  private address: string | undefined;
  /** Turns are answered one at a time, in order. */
  private turns: Promise<void> = Promise.resolve();

  constructor(
    private readonly conversation: ConvaiConversation,
    private readonly o: LocalBobOptions,
  ) {}

  /** Greets once the conversation is initiated: at once, before any typed line is answered. */
  start(): Promise<void> {
    this.turns = this.turns.then(() => this.conversation.stream(FIRST_MESSAGE, 0));
    return this.turns;
  }

  /** conversation.ts hands every frame here. */
  onFrame(frame: RecordedFrame): void {
    if (frame.type === 'user_message' && frame.text?.trim()) {
      const text = frame.text;
      this.turns = this.turns.then(() => this.turn(text)).catch(() => this.reply('Sorry, something went wrong on my side. Please try again.'));
    } else if (frame.type === 'contextual_update') {
      // "The shopper selected option 2 on screen": a yes now buys that one.
      const picked = /selected option (\d+)/.exec(frame.text);
      if (picked) this.proposed = Number(picked[1]);
    }
  }

  /** Resolves once every turn so far is answered (tests). */
  idle(): Promise<void> {
    return this.turns;
  }

  private reply(text: string): Promise<void> {
    return this.conversation.stream(text, this.o.wordMs);
  }

  private async turn(line: string): Promise<void> {
    const u = understand(line);
    if (u.address) this.address = u.address;
    if (u.status) return this.tool('get_session_state', {});
    if (this.takeShipment(u)) return this.quoteOrAsk();
    const state = await this.o.state();
    const chosen = this.chosenOption(u, state);
    if (chosen === 'no quotes') return this.reply("Let's get prices first. What are the two ZIP codes, and what does the parcel weigh?");
    if (typeof chosen === 'string') return this.reply(chosen);
    if (chosen) {
      if (u.buy || u.yes) return this.buy(chosen.option);
      this.proposed = chosen.option;
      return this.reply(`Option ${chosen.option}: ${chosen.carrier} ${chosen.service}, ${money(chosen.price_cents, chosen.currency)}, arrives ${arrival(chosen)}. Shall I buy that label?`);
    }
    if (u.yes || u.buy) {
      const option = this.proposed ?? selectedQuote(state)?.option;
      if (option !== undefined && !state.label) return this.buy(option);
      if (state.label) return this.tool('get_session_state', {});
      return this.reply(state.quotes ? 'Which option would you like? Say its number, or "the cheapest".' : HELP);
    }
    if (u.no) {
      this.proposed = null;
      return this.reply(state.quotes ? 'No problem. Which option would you like instead?' : 'No problem. Tell me the ZIP codes and the weight when you are ready.');
    }
    if (u.address) return this.reply(`Thanks, I noted the address ${u.address}. ${state.quotes ? 'Which option would you like?' : 'What are the two ZIP codes and the weight?'}`);
    return this.reply(HELP);
  }

  /** Takes ZIP codes and weight from the line; true when it brought any. */
  private takeShipment(u: Understood): boolean {
    const before = JSON.stringify(this.draft);
    const d = this.draft;
    if (u.from_zip) d.from_zip = u.from_zip;
    if (u.to_zip) d.to_zip = u.to_zip;
    for (const zip of u.zips) {
      if (!d.from_zip || (u.zips.length === 2 && zip === u.zips[0] && !u.from_zip)) d.from_zip = zip;
      else d.to_zip = zip;
    }
    if (u.weight !== undefined) {
      d.weight = u.weight;
      d.weight_unit = u.weight_unit;
    }
    return JSON.stringify(d) !== before;
  }

  private quoteOrAsk(): Promise<void> {
    const d = this.draft;
    // No "from": it ships from the account's address (the tool's default).
    const missing = [!d.to_zip && 'the ZIP code it goes to', d.weight === undefined && 'the weight'].filter(Boolean);
    if (missing.length) return this.reply(`Got it. I still need ${missing.join(' and ')}.`);
    this.proposed = null;
    return this.tool('get_shipping_quotes', { ...(d.from_zip ? { from_zip: d.from_zip } : {}), to_zip: d.to_zip, weight: d.weight, weight_unit: d.weight_unit ?? 'lb' });
  }

  /** The option the line names: a quote, a sentence when it names none that exists, null when it names none. */
  private chosenOption(u: Understood, state: SessionState): Quote | string | null {
    if (u.option === undefined && !u.pick) return null;
    const quotes = state.quotes?.quotes ?? [];
    if (!quotes.length) return 'no quotes';
    if (u.pick === 'cheapest') return quotes.reduce((a, b) => (b.price_cents < a.price_cents ? b : a));
    if (u.pick === 'fastest') return quotes.reduce((a, b) => (b.estimated_days < a.estimated_days ? b : a));
    const option = u.option === -1 ? quotes.at(-1)!.option : u.option!;
    const quote = quotes.find((q) => q.option === option);
    return quote && currentQuote(state, quote.quote_id) ? quote : `There is no option ${option} on the screen; the options go from 1 to ${quotes.at(-1)!.option}.`;
  }

  private buy(option: number): Promise<void> {
    this.proposed = null;
    const params: Record<string, unknown> = { option };
    // Sent only once create_label takes an address (the tool's own schema says so).
    if (this.address && 'to_address' in CreateLabelParams.shape) params.to_address = this.address;
    return this.tool('create_label', params);
  }

  /** A client tool through the widget; Bob reads its sentence, whatever it says (failures included). */
  private async tool(name: string, parameters: Record<string, unknown>): Promise<void> {
    const result = await this.conversation.callTool(name, parameters);
    await this.reply(result.result);
  }
}
