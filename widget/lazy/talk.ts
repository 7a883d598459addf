/**
 * The shipvox-talk.js chunk (see widget/chunks.ts): `<shipvox-talk>`, the conversation with Bob on
 * screen — the transcript (a `log` region: the shopper's lines, Bob's, and each tool call as it runs),
 * Bob's words as they stream in, a text box, sound (the browser reads Bob's lines aloud), dictation
 * where the browser offers speech recognition, and mute during a voice call. Lit comes from the
 * script-tag bundle (defineTalk), so this chunk carries none of its own.
 */
import type { CSSResult, LitElement as LitElementType, PropertyValues, TemplateResult, css as cssTag, html as htmlTag } from 'lit';
import type { TranscriptEntry } from '../../shared/session-state.ts';
import type { VoiceCall } from '../voice/voice-sdk.ts';

export interface Lit {
  LitElement: typeof LitElementType;
  html: typeof htmlTag;
  css: typeof cssTag;
  tokens: CSSResult;
  define(tag: string, ctor: CustomElementConstructor): void;
}

/** What the shopper sees of a tool call, by tool. */
const TOOL_TEXT: Record<string, string> = {
  get_shipping_quotes: 'Getting quotes',
  create_label: 'Buying the label',
  get_session_state: 'Checking where we are',
};
const STATUS_TEXT = { running: 'running', done: 'done', error: 'failed' } as const;

/** What the panel needs of its widget (`<shipvox-companion>`). */
export interface TalkHost {
  voice?: string | undefined;
  voiceAgent?: string | undefined;
  say(text: string): Promise<void>;
}

interface SpeechRecognitionLike {
  lang: string;
  interimResults: boolean;
  onresult: ((e: { results: ArrayLike<ArrayLike<{ transcript: string }>> }) => void) | null;
  onend: (() => void) | null;
  onerror: (() => void) | null;
  start(): void;
  stop(): void;
}
type RecognitionCtor = new () => SpeechRecognitionLike;

export function defineTalk(lit: Lit): void {
  const { LitElement, html, css } = lit;
  const Recognition = ((globalThis as Record<string, unknown>).SpeechRecognition ?? (globalThis as Record<string, unknown>).webkitSpeechRecognition) as
    | RecognitionCtor
    | undefined;

  class ShipvoxTalk extends LitElement {
    static override properties = {
      host: { attribute: false },
      lines: { attribute: false },
      live: { attribute: false },
      call: { attribute: false },
      sound: { state: true },
      muted: { state: true },
      dictating: { state: true },
    };
    declare host: TalkHost | null;
    declare lines: readonly TranscriptEntry[];
    /** Bob's words so far in a turn that is streaming in. */
    declare live: string | null;
    /** The widget's current call, if any (SDK mode's can send, mute and be text only). */
    declare call: VoiceCall | null;
    declare sound: boolean;
    declare muted: boolean;
    declare dictating: boolean;
    /** Bob's lines up to this seq are not read aloud (they came before sound was turned on). */
    private spokenSeq = Infinity;
    private recognition: SpeechRecognitionLike | null = null;

    static override styles = [
      lit.tokens,
      css`
        .log {
          display: grid;
          gap: 6px;
          max-height: 16rem;
          overflow-y: auto;
          padding: 8px;
          border: 1px solid var(--_border);
          border-radius: var(--_radius);
          background: var(--_subtle);
          font-size: 0.875rem;
        }
        .line {
          margin: 0;
        }
        .who {
          font-weight: 650;
        }
        .user {
          justify-self: end;
          text-align: end;
        }
        .tool {
          font-size: 0.8125rem;
          color: var(--_muted);
        }
        .tool[data-status='error'] {
          color: var(--_danger);
        }
        .empty {
          color: var(--_muted);
        }
        form,
        .controls {
          display: flex;
          flex-wrap: wrap;
          gap: 6px;
          margin-top: 8px;
        }
        input {
          flex: 1 1 10rem;
          min-width: 0;
          min-height: 32px;
          padding: 4px 8px;
          font: inherit;
          color: inherit;
          background: var(--_surface);
          border: 1px solid var(--_border);
          border-radius: var(--_radius);
        }
        button {
          min-height: 32px;
          min-width: 32px;
          padding: 4px 10px;
          font: inherit;
          font-size: 0.8125rem;
          color: var(--_fg);
          background: var(--_surface);
          border: 1px solid var(--_border);
          border-radius: var(--_radius);
          cursor: pointer;
        }
        button[type='submit'],
        button[aria-pressed='true'] {
          color: var(--_accent-text);
          background: var(--_accent);
          border-color: var(--_accent);
        }
        input:focus-visible,
        button:focus-visible {
          outline: 2px solid var(--_focus);
          outline-offset: 2px;
        }
      `,
    ];

    constructor() {
      super();
      this.host = null;
      this.lines = [];
      this.live = null;
      this.call = null;
      this.sound = false;
      this.muted = false;
      this.dictating = false;
    }

    /** The text box is shown in SDK mode and attach mode (where the page's element takes typed messages). */
    private get typing(): boolean {
      return this.host?.voice === 'sdk' || !!this.host?.voiceAgent;
    }

    /** A voice call plays Bob's own voice (and can be muted); a typed one has no audio. */
    private get voiceCall(): boolean {
      return !!this.call?.send && !this.call.textOnly;
    }

    override disconnectedCallback(): void {
      super.disconnectedCallback();
      this.recognition?.stop();
      globalThis.speechSynthesis?.cancel();
    }

    protected override updated(changed: PropertyValues<this>): void {
      const log = this.renderRoot.querySelector('.log');
      if (log && (changed.has('lines') || changed.has('live'))) log.scrollTop = log.scrollHeight;
      if (changed.has('lines')) this.readAloud();
    }

    /** With sound on, the browser reads Bob's new lines (a voice call plays his own voice instead). */
    private readAloud(): void {
      const synth = globalThis.speechSynthesis;
      const fresh = this.lines.filter((l) => l.role === 'agent' && l.seq > this.spokenSeq);
      if (fresh.length) this.spokenSeq = fresh.at(-1)!.seq;
      if (!this.sound || !synth || this.voiceCall) return;
      for (const line of fresh) synth.speak(new SpeechSynthesisUtterance(line.text));
    }

    private toggleSound(): void {
      this.sound = !this.sound;
      this.spokenSeq = this.lines.at(-1)?.seq ?? 0;
      if (!this.sound) globalThis.speechSynthesis?.cancel();
    }

    private toggleMute(): void {
      this.muted = !this.muted;
      this.call?.mute?.(this.muted);
    }

    /** Fires talk-send (cancelable) and, unless a listener cancelled it, sends the text through the widget. */
    private sendText(text: string): void {
      const message = text.trim();
      const event = new CustomEvent('talk-send', { detail: { text: message }, bubbles: true, composed: true, cancelable: true });
      if (message && this.dispatchEvent(event)) void this.host?.say(message);
    }

    private submit(event: Event): void {
      event.preventDefault();
      const input = this.renderRoot.querySelector('input')!;
      this.sendText(input.value);
      input.value = '';
    }

    /** Dictation: the browser's speech recognition turns one utterance into a typed message. */
    private toggleDictation(): void {
      if (this.recognition) return this.recognition.stop();
      const recognition = new Recognition!();
      recognition.lang = document.documentElement.lang || navigator.language || 'en-US';
      recognition.interimResults = false;
      recognition.onresult = (e) => this.sendText(Array.from(e.results, (r) => r[0]?.transcript ?? '').join(' '));
      recognition.onend = recognition.onerror = () => {
        this.recognition = null;
        this.dictating = false;
      };
      this.recognition = recognition;
      this.dictating = true;
      recognition.start();
    }

    private line(l: TranscriptEntry): TemplateResult {
      if (l.role === 'tool') {
        const status = l.status ?? 'running';
        return html`<p class="line tool" data-status=${status}>${TOOL_TEXT[l.text] ?? l.text}: ${STATUS_TEXT[status]}</p>`;
      }
      return html`<p class="line ${l.role}"><span class="who">${l.role === 'user' ? 'You' : 'Bob'}:</span> ${l.text}</p>`;
    }

    override render() {
      return html`<div class="log" role="log" aria-label="Conversation with Bob" part="log">
          ${this.lines.length || this.live ? this.lines.map((l) => this.line(l)) : html`<p class="line empty">${this.typing ? 'Type to Bob below, or talk to him.' : 'The conversation with Bob appears here.'}</p>`}
          ${this.live ? html`<p class="line agent live" aria-hidden="true"><span class="who">Bob:</span> ${this.live}</p>` : ''}
        </div>
        ${this.typing
          ? html`<form @submit=${this.submit} part="composer">
              <label class="sr-only" for="say">Message to Bob</label>
              <input id="say" autocomplete="off" enterkeyhint="send" placeholder="e.g. 2 pounds from 10001 to 94105" />
              <button type="submit">Send</button>
            </form>`
          : ''}
        <div class="controls">
          <button type="button" aria-pressed=${String(this.sound)} @click=${this.toggleSound}>Sound</button>
          ${this.typing && Recognition
            ? html`<button type="button" aria-pressed=${String(this.dictating)} @click=${this.toggleDictation}>${this.dictating ? 'Listening…' : 'Speak'}</button>`
            : ''}
          ${this.voiceCall ? html`<button type="button" aria-pressed=${String(this.muted)} @click=${this.toggleMute}>Mute</button>` : ''}
        </div>`;
    }
  }
  lit.define('shipvox-talk', ShipvoxTalk);
}
