/**
 * The shipvox-talk.js chunk (see widget/chunks.ts): `<shipvox-talk>`, the conversation with Bob on
 * screen — the transcript (a `log` region: the shopper's lines, Bob's, and each tool call as it runs),
 * Bob's words as they stream in, a text box, sound (the browser reads Bob's lines aloud), dictation
 * where the browser offers speech recognition, and mute during a voice call. Lit comes from the
 * script-tag bundle (defineTalk), so this chunk carries none of its own.
 */
import type { CSSResult, LitElement as LitElementType, PropertyValues, TemplateResult, css as cssTag, html as htmlTag } from 'lit';
import type { TranscriptEntry } from '../../shared/session-state.ts';
import { fill, type TalkStrings } from '../i18n/strings.ts';
import { talkEn } from '../i18n/talk.ts';
import type { VoiceCall } from '../voice/voice-sdk.ts';

export interface Lit {
  LitElement: typeof LitElementType;
  html: typeof htmlTag;
  css: typeof cssTag;
  tokens: CSSResult;
  define(tag: string, ctor: CustomElementConstructor): void;
}

/** What the panel needs of its widget (`<shipvox-companion>`). */
export interface TalkHost {
  voice?: string | undefined;
  voiceAgent?: string | undefined;
  /** Sends a typed message to Bob; false when nobody could take it (attach mode: no call yet, or an element that drops it). */
  say(text: string): Promise<boolean>;
}

/** The Web Speech API's recognition, as far as dictation uses it. */
interface SpeechRecognitionLike {
  lang: string;
  interimResults: boolean;
  onresult: ((e: { results: ArrayLike<{ isFinal: boolean; readonly 0: { transcript: string } }> }) => void) | null;
  onend: (() => void) | null;
  onerror: ((e: { error: string }) => void) | null;
  start(): void;
  stop(): void;
}
type RecognitionCtor = new () => SpeechRecognitionLike;

/** The browser's speech recognition, if it offers one (Chromium and Safari prefix it). */
function recognitionCtor(): RecognitionCtor | undefined {
  const scope = globalThis as Record<string, unknown>;
  return (scope.SpeechRecognition ?? scope.webkitSpeechRecognition) as RecognitionCtor | undefined;
}

/** Recognition errors that mean the microphone (or the recognition service) is not allowed: dictation is then withdrawn. */
const REFUSED = new Set(['not-allowed', 'service-not-allowed', 'audio-capture']);

export function defineTalk(lit: Lit): void {
  const { LitElement, html, css } = lit;

  class ShipvoxTalk extends LitElement {
    static override properties = {
      host: { attribute: false },
      lines: { attribute: false },
      live: { attribute: false },
      call: { attribute: false },
      strings: { attribute: false },
      sound: { state: true },
      muted: { state: true },
      dictating: { state: true },
      heard: { state: true },
      notice: { state: true },
      listenRefused: { state: true },
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
    /** The host's table (English, the language pack, the page's own words) over this chunk's English. */
    declare strings: Partial<TalkStrings> | undefined;
    /** What dictation has recognised so far (interim results), shown until the phrase is final. */
    declare heard: string | null;
    /** Why the last typed or spoken message did not reach Bob (role="status"). */
    declare notice: string | null;
    /** The microphone was refused: dictation is withdrawn, the text box stays. */
    declare listenRefused: boolean;
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
        .empty,
        .heard {
          color: var(--_muted);
        }
        .notice {
          margin: 0;
          font-size: 0.8125rem;
        }
        .notice:not(:empty) {
          margin-top: 6px;
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
      this.heard = null;
      this.notice = null;
      this.listenRefused = false;
    }

    private get t(): TalkStrings {
      return { ...talkEn, ...this.strings };
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

    /**
     * Fires talk-send (cancelable) and, unless a listener cancelled it, sends the text through the
     * widget; resolves false (with a notice in attach mode) when it did not reach Bob.
     */
    private async sendText(text: string): Promise<boolean> {
      const message = text.trim();
      if (!message) return false;
      const event = new CustomEvent('talk-send', { detail: { text: message }, bubbles: true, composed: true, cancelable: true });
      if (!this.dispatchEvent(event)) return true;
      const sent = (await this.host?.say(message)) ?? false;
      if (!sent && this.host?.voiceAgent) this.notice = this.call ? this.t.talk_cannot_type : this.t.talk_no_call;
      else if (sent) this.notice = null;
      return sent;
    }

    private async submit(event: Event): Promise<void> {
      event.preventDefault();
      const input = this.renderRoot.querySelector('input')!;
      const text = input.value;
      input.value = '';
      // What did not reach Bob stays in the box (unless the shopper typed on meanwhile).
      if (!(await this.sendText(text)) && !input.value) input.value = text;
    }

    /** Dictation: the browser's speech recognition turns one utterance into a typed message. */
    private toggleDictation(): void {
      if (this.recognition) return this.recognition.stop();
      const Recognition = recognitionCtor();
      if (!Recognition) return;
      // Bob reading aloud would be dictated back to him.
      globalThis.speechSynthesis?.cancel();
      const recognition = new Recognition();
      recognition.lang = document.documentElement.lang || navigator.language || 'en-US';
      recognition.interimResults = true;
      let done = false;
      recognition.onresult = (e) => {
        const results = Array.from(e.results);
        const phrase = results.map((r) => r[0]?.transcript ?? '').join('').trim();
        if (done) return;
        if (results.length && results.every((r) => r.isFinal)) {
          done = true;
          this.heard = null;
          recognition.stop();
          void this.sendText(phrase);
        } else this.heard = phrase || null;
      };
      recognition.onerror = (e) => {
        if (e.error === 'aborted') return;
        if (REFUSED.has(e.error)) this.listenRefused = true;
        this.notice = REFUSED.has(e.error) ? this.t.talk_mic_refused : e.error === 'no-speech' ? this.t.talk_no_speech : fill(this.t.talk_listen_failed, { error: e.error });
      };
      recognition.onend = () => {
        if (this.recognition !== recognition) return;
        this.recognition = null;
        this.dictating = false;
        this.heard = null;
        // Withdrawn dictation: the keyboard goes on in the text box.
        if (this.listenRefused) void this.updateComplete.then(() => this.renderRoot.querySelector('input')?.focus());
      };
      this.recognition = recognition;
      this.dictating = true;
      this.notice = null;
      try {
        recognition.start();
      } catch (error) {
        recognition.onerror({ error: (error as Error).name || 'start-failed' });
        recognition.onend();
      }
    }

    private line(l: TranscriptEntry, t: TalkStrings): TemplateResult {
      if (l.role === 'tool') {
        const status = l.status ?? 'running';
        const tool = (t as Record<string, string>)[`tool_${l.text}`] ?? l.text;
        // A refusal says why (e.g. the label still needs the recipient), not just "failed".
        const text = status === 'error' && l.note ? fill(t.tool_error_said, { tool, note: l.note }) : fill(t[`tool_${status}`], { tool });
        return html`<p class="line tool" data-status=${status}>${text}</p>`;
      }
      return html`<p class="line ${l.role}"><span class="who">${l.role === 'user' ? t.talk_you : t.talk_bob}</span> ${l.text}</p>`;
    }

    override render() {
      const t = this.t;
      const dictation = this.typing && !this.listenRefused && !!recognitionCtor();
      return html`<div class="log" role="log" aria-label=${t.talk_log} part="log">
          ${this.lines.length || this.live || this.heard
            ? this.lines.map((l) => this.line(l, t))
            : html`<p class="line empty">${this.typing ? t.talk_empty_typing : t.talk_empty}</p>`}
          ${this.heard ? html`<p class="line user heard" aria-hidden="true"><span class="who">${t.talk_you}</span> ${this.heard}</p>` : ''}
          ${this.live ? html`<p class="line agent live" aria-hidden="true"><span class="who">${t.talk_bob}</span> ${this.live}</p>` : ''}
        </div>
        ${this.typing
          ? html`<form @submit=${this.submit} part="composer">
              <label class="sr-only" for="say">${t.talk_message}</label>
              <input id="say" autocomplete="off" enterkeyhint="send" placeholder=${t.talk_placeholder} />
              <button type="submit">${t.talk_send}</button>
            </form>`
          : ''}
        <div class="controls">
          <button type="button" aria-pressed=${String(this.sound)} @click=${this.toggleSound}>${t.talk_sound}</button>
          ${dictation ? html`<button type="button" class="speak" aria-pressed=${String(this.dictating)} @click=${this.toggleDictation}>${t.talk_speak}</button>` : ''}
          ${this.voiceCall ? html`<button type="button" aria-pressed=${String(this.muted)} @click=${this.toggleMute}>${t.talk_mute}</button>` : ''}
        </div>
        <p class="notice" role="status" part="talk-notice">${this.dictating && !this.notice ? t.talk_listening : (this.notice ?? '')}</p>`;
    }
  }
  lit.define('shipvox-talk', ShipvoxTalk);
}
