/**
 * The local Bob: a rule-based stand-in for the ElevenLabs agent, for development without an
 * ElevenLabs account. One LocalBob per conversation socket (conversation.ts speaks the protocol);
 * it reads each `user_message` with understand.ts, calls the same client tools the real agent calls
 * (through the widget, `client_tool_call`), and answers with the tools' own sentences, streamed as a
 * text conversation streams them. It reads the session only to resolve "the cheapest" and to know
 * which option is chosen; every change goes through the tools.
 */
import { currentQuote, selectedQuote, type SessionState } from '../../shared/session.ts';
import { DEFAULT_WEIGHT_UNIT } from '../../shared/shipment-fields.ts';
import type { Quote, WeightUnit } from '../../shared/tools.ts';
import { CONFIRM_INSTRUCTION } from '../tools/create-label.ts';
import type { ConvaiConversation, RecordedFrame } from './conversation.ts';
import { understand, type SpokenAddress, type Understood } from './understand.ts';

export const FIRST_MESSAGE =
  "Hi, I'm Bob, running locally on this server (no ElevenLabs agent is connected). Tell me the ZIP codes and the weight, for example: 2 pounds from 10001 to 94105.";
const HELP =
  'I can get shipping quotes and buy the label. Tell me both ZIP codes and the weight, for example "2 pounds from 10001 to 94105"; then pick an option by its number, or say "the cheapest", and give me the recipient\'s name and address.';
/** A line that is only a name, for a recipient whose name Bob asked for. */
const BARE_NAME = /^[A-Za-z][A-Za-z.'-]*(?:\s+[A-Za-z][A-Za-z.'-]*){0,4}$/;

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
  /** An address Bob heard without a name (he asked for it), or before there were quotes. */
  private pendingAddress: SpokenAddress | null = null;
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
    if (u.status) return this.tool('get_session_state', {});
    if (u.track) return this.tool('track_parcel', {});
    const nameOnly = !u.yes && !u.no && u.option === undefined && !u.pick && !u.zips.length && u.weight === undefined && BARE_NAME.test(line.trim());
    if (u.address) return this.takeAddress(u.address);
    if (this.pendingAddress && !this.pendingAddress.name && nameOnly) return this.takeAddress({ ...this.pendingAddress, name: line.trim() });
    if (this.takeShipment(u)) return this.quoteOrAsk();
    const state = await this.o.state();
    const chosen = this.chosenOption(u, state);
    if (chosen === 'no quotes') return this.reply("Let's get prices first. What are the two ZIP codes, and what does the parcel weigh?");
    if (typeof chosen === 'string') return this.reply(chosen);
    // Choosing never buys: create_label without confirmed selects it and answers its summary (or what it still needs, the recipient).
    if (chosen) return this.tool('create_label', { option: chosen.option });
    if (u.yes || u.buy) {
      if (state.label) return this.tool('get_session_state', {});
      const option = selectedQuote(state)?.option;
      // The yes to the summary Bob read; if it changed meanwhile, the tool answers the new one to read.
      if (option !== undefined) return this.tool('create_label', { option, confirmed: true });
      return this.reply(state.quotes ? 'Which option would you like? Say its number, or "the cheapest".' : HELP);
    }
    if (u.no) {
      return this.reply(state.quotes ? 'No problem: nothing was bought. Which option would you like, or what should change?' : 'No problem. Tell me the ZIP codes and the weight when you are ready.');
    }
    return this.reply(HELP);
  }

  /** The recipient from a typed address line: checked (set_recipient_address), then the chosen option's summary read back. */
  private async takeAddress(address: SpokenAddress): Promise<void> {
    const state = await this.o.state();
    if (!address.name || !state.quotes) {
      this.pendingAddress = address;
      if (!address.name) return this.reply(`Got the address ${address.street}. Who is it for? Tell me the recipient's full name.`);
      return this.reply("Thanks, I'll use that address. Let's get prices first: what are the two ZIP codes, and what does the parcel weigh?");
    }
    this.pendingAddress = null;
    const set = await this.conversation.callTool('set_recipient_address', { ...address });
    const option = selectedQuote(await this.o.state())?.option;
    if (set.is_error || option === undefined) {
      return this.reply(set.is_error ? forShopper(set.result) : `${set.result} Which option would you like? Say its number, or "the cheapest".`);
    }
    const summary = await this.conversation.callTool('create_label', { option });
    return this.reply(`${set.result} ${forShopper(summary.result)}`);
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
    return this.tool('get_shipping_quotes', { ...(d.from_zip ? { from_zip: d.from_zip } : {}), to_zip: d.to_zip, weight: d.weight, weight_unit: d.weight_unit ?? DEFAULT_WEIGHT_UNIT });
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

  /** A client tool through the widget; Bob reads its sentence, whatever it says (failures included). */
  private async tool(name: string, parameters: Record<string, unknown>): Promise<void> {
    const result = await this.conversation.callTool(name, parameters);
    await this.reply(forShopper(result.result));
  }
}

/**
 * A tool's sentence as the shopper hears it: without what it tells the agent to do next, and
 * without the prefix @elevenlabs/client puts before a client tool's error.
 */
function forShopper(result: string): string {
  return result.replace(/^Client tool execution failed: /, '').replace(` ${CONFIRM_INSTRUCTION}`, '');
}
