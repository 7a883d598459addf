import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { currentQuote, deriveSteps, selectedQuote, type SessionState } from '../shared/session.ts';
import { DEFAULT_LABEL_FORMAT } from '../shared/label-formats.ts';
import type { Label } from '../shared/tools.ts';
import { FrameLog } from './components/frame-log.ts';
import './components/connection-banner.ts';
import { formatPrice, spelled } from './components/format.ts';
import type { EmailStatus, LabelEmailDetail } from './components/label-panel.ts';
import type { QuoteSelectDetail } from './components/quote-card.ts';
import './components/quote-list.ts';
import type { LabelFormatDetail } from './components/label-options.ts';
import type { ShipmentIntent } from './components/shipment-intent.ts';
import { loadShipmentParts } from './components/shipment-parts.ts';
import './components/step-tracker.ts';
import { darkTheme, tokens } from './components/theme.ts';
import { define } from './define.ts';
import { en, fill, loadPack, packFor, type AllStrings, type ConsoleStrings, type ShipmentStrings, type Strings, type TalkStrings } from './i18n/strings.ts';
import { emit, type ShipvoxEventDetails } from './events.ts';
import { chunkUrl, loadChunk } from './chunks.ts';
import { linkExpired } from './label-files.ts';
import { FIRST_RENDER } from './perf.ts';
import {
  SessionController,
  type ConnectionStatus,
  type SessionControllerOptions,
  type SessionConfig,
} from './session/session-controller.ts';
import type { VoiceCall, VoiceState, startVoice } from './voice/voice-sdk.ts';
import { TOOL_NAMES as TOOLS } from '../shared/tool-names.ts';

/** The transcript and text box (shipvox-talk.js): loaded once, the first time a widget shows them. */
let talkChunk: Promise<unknown> | null = null;

/** The `strings` attribute: a JSON object of strings; anything else is ignored (English stays). */
function stringTable(value: string | null): Partial<AllStrings> | undefined {
  try {
    const table: unknown = JSON.parse(value ?? '');
    if (table && typeof table === 'object' && Object.values(table).every((v) => typeof v === 'string')) return table as Partial<AllStrings>;
  } catch {
    // not JSON
  }
  console.warn('<shipvox-companion> strings: expected a JSON object of strings; ignored');
  return undefined;
}

/**
 * `<shipvox-companion>`: the screen half of the ShipVox voice assistant. It mirrors the voice
 * session (quotes, selection, label) live and lets the shopper act on it by click or keyboard.
 *
 * @summary Live shipping quotes and labels next to the ShipVox voice agent.
 *
 * @attr endpoint - Base URL of the ShipVox Companion BFF, e.g. `https://companion.shipvox.com`.
 * @attr publishable-key - Publishable key (`pk_…`) allowed for this page's origin.
 * @attr session-token - A resume token minted by the page's own server (instead of a key).
 * @attr storage-key - Distinguishes several widgets on one page (defaults to the id, then the index).
 * @attr dev-console - Shows the developer console of frames in and out (toggle: Ctrl+Shift+D or Alt+D while the focus is in the widget; Escape closes it).
 * @attr dev-shortcut - `page`: the console's shortcut works anywhere on the page, not only inside the widget.
 * @attr locale - BCP 47 locale for prices and dates (defaults to the browser's) and the widget's language (defaults to the page's `lang`): `es` and `fr` load their language pack, others show English.
 * @attr voice-agent - Attach mode: selector of the page's `<elevenlabs-convai>` (needs `allow-events="true"` to hear screen choices and typed messages); its calls get Bob's client tools and the session id.
 * @attr theme - `light` (default), `dark`, or `auto` (the shopper's `prefers-color-scheme`); `--shipvox-*` set by the page win over either.
 * @attr strings - The host's own words: a JSON object with any of the string table's keys (`widget/i18n/strings.ts`), over English or the language pack.
 * @attr voice-language - The language Bob speaks, e.g. `es` (sent as ElevenLabs' `overrides.agent.language`, which the agent must allow, and as the dynamic variable `language`).
 * @attr compact - For pages with little room: a launcher button with the current step and the status, which opens the full card (and a Minimise button closes it again).
 * @attr expanded - In compact mode, whether the card is open (reflected).
 * @attr voice - `sdk`: a mic button and a text box start Bob in the page (`@elevenlabs/client`, loaded on first use); typing or a refused microphone makes it a text conversation.
 *
 * @fires shipvox-quotes-ready - New quotes are on screen. detail: `{ session_id, quotes }`.
 * @fires shipvox-label-created - A label was bought. detail: `{ session_id, label }`.
 * @fires shipvox-connection-change - The connection status changed. detail: `{ status, session_id }`.
 * @fires shipvox-error - A connection or action problem, or (code `voice_agent_events`) an attached `<elevenlabs-convai>` that cannot tell Bob the shopper's choices. detail: `{ code, message, fatal }`.
 *
 * @csspart base - the outer card
 * @csspart launcher - compact mode's launcher button
 * @csspart minimise - compact mode's Minimise button in the header
 * @csspart header - the title row with the connection status
 * @csspart voice - the mic button (voice="sdk"); `data-state` idle, connecting, listening, speaking or error
 * @csspart banner - connection notices (offline, reconnected, could not resume)
 * @csspart steps - the step tracker
 * @csspart step - one step of the tracker
 * @csspart error - the last tool error, in the words Bob said it
 * @csspart quotes - the quote list element
 * @csspart list - the list of quote cards
 * @csspart status - the "Getting quotes…" line
 * @csspart updated - the "Updated prices available" bar
 * @csspart heard - the ZIP codes and weight the quotes are for, and the service chosen, as Bob heard them
 * @csspart quote-card - one quote card
 * @csspart select-button - a quote's Select button
 * @csspart label - the label panel element
 * @csspart label-panel - the label panel's box
 * @csspart tracking - the tracking number link
 * @csspart preview - the PDF preview (a details element)
 * @csspart actions - the Download / Print row
 * @csspart email-form - the email form
 * @csspart talk - the conversation panel (voice="sdk", voice-agent, or a session with a conversation)
 * @csspart log - the transcript (a `log` region)
 * @csspart composer - the text box and its Send button
 * @csspart address - the recipient's address card (shipment chunk)
 * @csspart suggestion - the address check's suggestion with Use suggestion / Keep mine
 * @csspart summary - the summary card the shopper confirms before buying
 * @csspart confirm-button - the summary card's Confirm button
 * @csspart format - the label format chooser
 * @csspart void-button - the label's Void button
 * @csspart void-confirm - the "Void this label?" step
 * @csspart timeline - the tracking timeline
 * @csspart console - the developer console
 *
 * @cssprop --shipvox-accent - Accent colour (buttons, active step, selection).
 * @cssprop --shipvox-accent-text - Text on the accent colour.
 * @cssprop --shipvox-text - Main text colour.
 * @cssprop --shipvox-muted - Secondary text colour.
 * @cssprop --shipvox-surface - Card background.
 * @cssprop --shipvox-surface-subtle - Background of notes and tags.
 * @cssprop --shipvox-border - Border colour.
 * @cssprop --shipvox-radius - Corner radius.
 * @cssprop --shipvox-success - Done and success colour.
 * @cssprop --shipvox-warning - Offline and slow-carrier colour.
 * @cssprop --shipvox-danger - Error colour.
 * @cssprop --shipvox-font - Font family.
 * @cssprop --shipvox-width - Maximum width of the widget.
 * @cssprop --shipvox-qr-size - Size of the label QR code.
 * @cssprop --shipvox-focus-ring - Colour of the keyboard focus outline (default: the accent colour; forced colours use the system's).
 * @cssprop --shipvox-console-height - Maximum height of the developer console's frame list.
 *
 * @tag shipvox-companion
 */
export class ShipvoxCompanion extends LitElement {
  /** @internal Test seam: clock, fetch, WebSocket and storage for controllers created afterwards. */
  static sessionOptions: SessionControllerOptions = {};

  static override properties = {
    endpoint: { type: String },
    publishableKey: { type: String, attribute: 'publishable-key' },
    sessionToken: { type: String, attribute: 'session-token' },
    storageKey: { type: String, attribute: 'storage-key' },
    devConsole: { type: Boolean, attribute: 'dev-console', reflect: true },
    devShortcut: { type: String, attribute: 'dev-shortcut' },
    locale: { type: String },
    voice: { type: String },
    voiceAgent: { type: String, attribute: 'voice-agent' },
    voiceLanguage: { type: String, attribute: 'voice-language' },
    theme: { type: String, reflect: true },
    compact: { type: Boolean },
    expanded: { type: Boolean, reflect: true },
    strings: { converter: { fromAttribute: stringTable } },
    pack: { state: true },
    voiceState: { state: true },
    pendingQuoteId: { state: true },
    emailStatus: { state: true },
    labelMessage: { state: true },
    announcements: { state: true },
    liveLine: { state: true },
    droppedChoice: { state: true },
  };
  declare endpoint: string;
  declare publishableKey: string | undefined;
  declare sessionToken: string | undefined;
  declare storageKey: string | undefined;
  declare devConsole: boolean;
  declare devShortcut: 'page' | undefined;
  declare locale: string | undefined;
  declare voice: string | undefined;
  declare voiceAgent: string | undefined;
  /** The language Bob speaks (ISO 639-1, e.g. `es`): ElevenLabs' agent language override and the `language` dynamic variable. */
  declare voiceLanguage: string | undefined;
  /** `light` (default), `dark`, or `auto` (follows the page's prefers-color-scheme). */
  declare theme: 'light' | 'dark' | 'auto' | undefined;
  /** Compact mode: a launcher button (step and status) in place of the card until the shopper opens it. */
  declare compact: boolean;
  /** Compact mode: the card is open. */
  declare expanded: boolean;
  /** The host's own words for any string (a partial table; attribute: JSON). */
  declare strings: Partial<AllStrings> | undefined;
  /** The loaded language pack, if the widget's language has one. */
  declare private pack: { language: string; strings: AllStrings } | null;
  /** English, then the pack, then the host's strings: what every part shows. */
  private words: Strings & Partial<ConsoleStrings & TalkStrings & ShipmentStrings> = en;
  declare private voiceState: VoiceState;
  private voiceCall: VoiceCall | null = null;
  /** The call being started (typing meanwhile waits for it instead of starting another). */
  private starting: Promise<void> | null = null;
  declare private pendingQuoteId: string | null;
  declare private emailStatus: EmailStatus;
  declare private labelMessage: string | null;
  /** The live region's messages: each one a node of its own, so a repeat or several in one render are all read. */
  declare private announcements: readonly string[];
  /** Bob's words so far while his turn streams in (the voice chunk sets it). */
  declare private liveLine: string | null;
  /** The shopper's choice a replaced session dropped (it was queued while the old session went away). */
  declare private droppedChoice: string | null;

  /** Called with the same detail as `shipvox-quotes-ready`, for pages that prefer a callback. */
  onQuoteReady: ((detail: ShipvoxEventDetails['shipvox-quotes-ready']) => void) | null = null;

  private readonly sessionController: SessionController;
  private readonly frames = new FrameLog();
  /** Fresh signed PDF links by label id (label_created's link expires). */
  private readonly pdfLinks = new Map<string, string>();
  /** The label file Download and Print use (the label options remember the shopper's choice). */
  private labelFormat: LabelFormatDetail = { format: DEFAULT_LABEL_FORMAT, print: DEFAULT_LABEL_FORMAT };
  /** Set for one update: the label is about to replace the quotes while the focus is in the widget. */
  private focusWasInside = false;

  static override styles = [
    tokens,
    css`
      :host {
        max-width: var(--shipvox-width, 420px);
      }
      :host([theme='dark']) {
        ${darkTheme}
      }
      @media (prefers-color-scheme: dark) {
        :host([theme='auto']) {
          ${darkTheme}
        }
      }
      :host([hidden]) {
        display: none;
      }
      /* The host takes the page's inherited text styles (and a page's "* { font: … }"): the card sets its own. */
      .base {
        font: 400 1rem/1.4 var(--_font);
        text-align: start;
        letter-spacing: normal;
        text-transform: none;
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 12px;
        padding: 16px;
        background: var(--_surface);
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) + 4px);
        box-shadow:
          0 1px 2px rgb(16 24 40 / 6%),
          0 6px 16px rgb(16 24 40 / 6%);
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
      }
      h2 {
        font-size: 1rem;
        font-weight: 650;
        flex: 1;
      }
      .status {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        font-size: 0.75rem;
        color: var(--_muted);
      }
      .dot {
        width: 8px;
        height: 8px;
        border-radius: 50%;
        background: var(--_border);
      }
      .dot.online {
        background: var(--_success);
      }
      .dot.offline,
      .dot.connecting {
        background: var(--_warning);
      }
      .dot.stopped {
        background: var(--_danger);
      }
      [data-state='error'] {
        color: var(--_danger);
      }
      .error {
        padding: 8px 10px;
        border-radius: var(--_radius);
        font-size: 0.8125rem;
        color: var(--_danger);
        background: color-mix(in srgb, var(--_danger) 7%, var(--_surface));
      }
      .launcher {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 4px 10px;
        width: 100%;
        padding: 10px 14px;
        border-radius: calc(var(--_radius) + 4px);
        text-align: start;
        font: 400 1rem/1.4 var(--_font);
      }
      .launcher span:first-of-type {
        flex: 1;
      }
      .hint {
        font-size: 0.8125rem;
        color: var(--_muted);
      }
      .print-frame {
        position: absolute;
        width: 0;
        height: 0;
        border: 0;
        visibility: hidden;
      }
    `,
  ];

  constructor() {
    super();
    this.endpoint = '';
    this.devConsole = false;
    this.compact = false;
    this.expanded = false;
    this.pendingQuoteId = null;
    this.emailStatus = 'idle';
    this.labelMessage = null;
    this.announcements = [];
    this.droppedChoice = null;
    this.voiceState = 'idle';
    this.pack = null;
    this.liveLine = null;
    this.sessionController = new SessionController(
      this,
      () => this.sessionConfig(),
      {
        stateChanged: (next, previous) => this.onStateChanged(next, previous),
        connectionChanged: (status) => emit(this, 'shipvox-connection-change', { status, session_id: this.sessionController.sessionId }),
        problem: (problem) => emit(this, 'shipvox-error', problem),
        frame: (record) => {
          this.frames.add(record);
          if (this.devConsole) this.requestUpdate();
        },
        note: (text) => this.tell(text, true),
      },
      ShipvoxCompanion.sessionOptions,
    );
  }

  /** The voice session this widget mirrors, once the token exchange named it. */
  get sessionId(): string | null {
    return this.sessionController.sessionId;
  }

  /** The mirrored session state (read-only; changed only by the shared reducer). */
  get state(): Readonly<SessionState> {
    return this.sessionController.state;
  }

  /** idle, connecting, online, offline or stopped. */
  get connection(): ConnectionStatus {
    return this.sessionController.status;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKeydown);
    window.addEventListener('online', this.onNetwork);
    window.addEventListener('offline', this.onNetwork);
    document.addEventListener('elevenlabs-convai:call', this.onConvaiCall);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKeydown);
    window.removeEventListener('online', this.onNetwork);
    window.removeEventListener('offline', this.onNetwork);
    document.removeEventListener('elevenlabs-convai:call', this.onConvaiCall);
    this.voiceCall?.end();
  }

  /** Bob's client tools: one code path (the BFF over this widget's socket) for every way of hosting him. */
  get clientTools(): Record<string, (parameters: Record<string, unknown>) => Promise<string>> {
    return Object.fromEntries(TOOLS.map((name) => [name, (p: Record<string, unknown>) => this.sessionController.callTool(name, p)]));
  }

  /**
   * Attach mode: `<elevenlabs-convai>` dispatches this right before it starts a call and reads
   * `detail.config` back synchronously, so everything here is synchronous.
   */
  private readonly onConvaiCall = (event: Event): void => {
    if (!this.voiceAgent || !(event.target as Element).matches?.(this.voiceAgent)) return;
    // From now on the shopper's choices go to that element (attach mode's chunk; it reports when the element drops them).
    this.chunk<typeof import('./voice/attach.ts')>('shipvox-attach.js').then((m) => {
      this.voiceCall = m.attachCall(this, event.target as Element, (line) => this.sessionController.sendTranscript('user', line));
      this.requestUpdate(); // the conversation panel gets the call (typing to it, no browser voice over Bob's)
    }, () => undefined);
    const config = (event as CustomEvent<{ config: Record<string, any> }>).detail.config;
    config.clientTools = { ...config.clientTools, ...this.clientTools };
    // The call binding, not the session id: the call may start before the widget has its session;
    // the widget's exchange binds it (the BFF resolves it for webhooks).
    config.dynamicVariables = { ...config.dynamicVariables, ...this.voiceLanguageVariables, session_id: this.sessionController.callBinding };
    if (this.voiceLanguage) config.overrides = { ...config.overrides, agent: { ...config.overrides?.agent, language: this.voiceLanguage } };
  };

  /** The chunk `name` (built next to the script-tag bundle), loaded on first use. */
  private chunk<T>(name: string): Promise<T> {
    const url = chunkUrl(name, this.endpoint);
    return url ? import(/* @vite-ignore */ url) : Promise.reject(new Error('the widget script URL is unknown'));
  }

  /** `{ language }` for Bob's dynamic variables when the page set voice-language. */
  private get voiceLanguageVariables(): Record<string, string> {
    return this.voiceLanguage ? { language: this.voiceLanguage } : {};
  }

  /** Tells Bob (whichever way he is hosted) and, unless it is `logged` already, the session log what the shopper did on screen. */
  private tell(message: string, logged?: boolean): void {
    if (!logged) this.sessionController.sendContext(message);
    this.voiceCall?.tell(message);
  }

  /** A shipment element asks for a UI action; Bob hears what the shopper did once the BFF took it. */
  private onIntent(event: CustomEvent<ShipmentIntent>): void {
    const { action, tell } = event.detail;
    event.detail.reply = (action ? this.sessionController.perform(action) : Promise.resolve({ client_msg_id: '' })).then((ack) => {
      if (tell) this.tell(tell);
      return ack;
    });
  }

  private setVoice(state: VoiceState, message?: string): void {
    if (state === 'idle' || state === 'error') this.voiceCall = null;
    // Turn taking (listening ⇄ speaking) is not announced: only connecting, connected, ended, failed.
    const turn = state !== 'listening' ? state === 'speaking' : this.voiceState === 'speaking';
    this.voiceState = state;
    const text = this.words[`voice_${state}`];
    if (!turn) this.announce(message ? `${text}: ${message}` : text);
  }

  /**
   * Sends a typed message to Bob, as the shopper's line of the conversation: in SDK mode through the
   * call (started text-only when none is on), in attach mode to the page's `<elevenlabs-convai>`
   * during its call (`elevenlabs-agent:user-message`; that element takes it with `allow-events`).
   */
  async say(text: string): Promise<boolean> {
    if (!this.voiceCall && !this.voiceAgent) await this.startCall(true);
    return this.voiceCall?.send?.(text) ?? false;
  }

  /** SDK mode: the mic button starts or ends the call; the SDK chunk loads on first use. */
  private async toggleVoice(): Promise<void> {
    if (this.voiceState === 'connecting') return;
    if (this.voiceCall) return this.voiceCall.end();
    return this.startCall(false);
  }

  /** Starts a call, or joins the one being started (typing meanwhile waits for it). */
  private startCall(textOnly: boolean): Promise<void> {
    return (this.starting ??= this.connectCall(textOnly).finally(() => (this.starting = null)));
  }

  private async connectCall(textOnly: boolean): Promise<void> {
    this.setVoice('connecting');
    try {
      const voice = await this.chunk<{ startVoice: typeof startVoice }>('shipvox-voice.js');
      const call = await voice.startVoice({
        endpoint: this.endpoint,
        token: this.sessionController.resumeToken,
        tools: this.clientTools,
        language: this.voiceLanguage,
        set: (state, message) => this.setVoice(state, message),
        line: (role, text, id) => this.sessionController.sendTranscript(role, text, id),
        live: (text) => (this.liveLine = text),
        textOnly,
      });
      // A call that already ended while starting stays ended.
      if (this.voiceState !== 'idle' && this.voiceState !== 'error') this.voiceCall = call;
    } catch (error) {
      // startSession rejects without calling onError (no mic, refused, closed early).
      this.setVoice('error', (error as Error).message);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('devConsole') && this.devConsole) {
      loadChunk('shipvox-dev-console.js', () => import('./components/dev-console.ts'), this.endpoint).catch((error: Error) => console.warn(`shipvox dev console: ${error.message}`));
    }
    if (!this.hasUpdated || changed.has('locale')) this.choosePack();
    if (!this.hasUpdated || changed.has('pack' as keyof ShipvoxCompanion) || changed.has('strings')) this.words = { ...en, ...this.pack?.strings, ...this.strings };
    this.focusWasInside = !this.renderRoot.querySelector('shipvox-label-panel') && !!this.state.label && this.matches(':focus-within');
    const configChanged = ['endpoint', 'publishableKey', 'sessionToken', 'storageKey'].some((k) => changed.has(k as keyof ShipvoxCompanion));
    if (configChanged && this.isConnected) {
      // The first render only completes a start that lacked config; later changes reconnect.
      if (this.hasUpdated) this.sessionController.restart();
      else this.sessionController.start();
    }
  }

  /** Whether this widget shows the conversation: it can hold one, or its session has one (tool calls alone are not one). */
  private get talks(): boolean {
    return this.voice === 'sdk' || !!this.voiceAgent || !!this.state.transcript?.some((l) => l.role !== 'tool');
  }

  protected override firstUpdated(): void {
    performance.mark(FIRST_RENDER);
  }

  protected override updated(): void {
    // The label panel replaces the quote list: focus that was on a card would fall to <body>.
    const panel = this.renderRoot.querySelector('shipvox-label-panel');
    // The panel comes with the shipment chunk: it may upgrade after this render (a resume straight into a label).
    if (panel && this.focusWasInside) customElements.whenDefined('shipvox-label-panel').then(() => panel.updateComplete).then(() => panel.focus());
    this.focusWasInside = false;
    // Not loaded (offline, say): the widget works on without it, and tries again on a later update.
    if (this.talks) talkChunk ??= loadChunk('shipvox-talk.js', () => import('./lazy/talk.ts'), this.endpoint).then((m) => m.defineTalk({ LitElement, html, css, tokens, define }), () => (talkChunk = null));
    // Without the chunk the shopper can still do everything by voice; the next update tries again.
    if (this.state.quotes || this.state.label) loadShipmentParts(this.endpoint).catch(() => undefined);
  }

  override render() {
    const state = this.sessionController.state;
    // The browser knows it is offline before the socket does.
    const status = navigator.onLine ? this.sessionController.status : 'offline';
    const running = state.running.length > 0;
    const on = !/idle|error/.test(this.voiceState);
    const t = this.words;
    // The language of the words shown: the pack's, the one the host supplied words for, or English.
    const lang = this.pack?.language ?? (this.strings ? this.requestedLanguage : 'en');
    const steps = deriveSteps(state);
    const statusText = html`<span class="status"><span class="dot ${status}" aria-hidden="true"></span>${t[`status_${status}`]}</span>`;
    const live = html`<div class="sr-only" aria-live="polite" aria-relevant="additions text">${this.announcements.map((text) => html`<p>${text}</p>`)}</div>`;
    if (this.compact && !this.expanded) {
      const step = steps.find((s) => s.status === 'active') ?? steps[steps.length - 1]!;
      return html`<button class="launcher" part="launcher" lang=${lang} aria-expanded="false" @click=${() => this.setExpanded(true)}>
        <b>${t.title}</b> <span>${t[`step_${step.id}`]}</span> ${statusText}
      </button>${live}`;
    }
    return html`<section class="base" part="base" aria-labelledby="title" lang=${lang} @shipment-intent=${this.onIntent}>
      <header part="header">
        <h2 id="title" tabindex="-1">${t.title}</h2>
        ${statusText}
        ${this.compact ? html`<button part="minimise" aria-expanded="true" @click=${() => this.setExpanded(false)}>${t.minimise}</button>` : nothing}
        ${this.voice === 'sdk'
          ? html`<button part="voice" class=${on ? 'primary' : ''} data-state=${this.voiceState} aria-pressed=${String(on)} ?disabled=${status !== 'online'} @click=${this.toggleVoice}>
              ${on ? t.voice_end : t.voice_idle}
            </button>`
          : nothing}
      </header>
      <shipvox-connection-banner
        exportparts="banner"
        .status=${status}
        .notice=${this.sessionController.notice}
        .problem=${this.sessionController.problem}
        .pendingActions=${this.sessionController.pendingActions}
        .strings=${t}
        .dropped=${this.droppedChoice}
        @notice-dismiss=${this.dismissNotice}
        @notice-tell=${this.tellNewSession}
        @connection-retry=${() => this.sessionController.restart()}
      ></shipvox-connection-banner>
      <shipvox-step-tracker part="steps" exportparts="step" .steps=${steps} .strings=${t}></shipvox-step-tracker>
      ${state.last_error && !(state.label && state.last_error.tool_name !== 'create_label')
        ? html`<p class="error" part="error"><b>${t.bob}</b> ${state.last_error.message}</p>`
        : nothing}
      ${state.label
        ? html`<shipvox-label-panel
            part="label"
            exportparts="panel: label-panel, tracking, preview, actions, email-form"
            .label=${state.label}
            .emails=${state.emails}
            .emailStatus=${this.emailStatus}
            .message=${this.labelMessage}
            .locale=${this.locale}
            .strings=${t}
            @label-download=${() => this.download(state.label)}
            @label-print=${() => this.print(state.label)}
            @label-email=${(e: CustomEvent<LabelEmailDetail>) => this.email(e.detail)}
            ><shipvox-label-options
              exportparts="format, void-button, void-confirm"
              .state=${state}
              .strings=${t}
              .locale=${this.locale}
              @label-format=${(e: CustomEvent<LabelFormatDetail>) => (this.labelFormat = e.detail)}
            ></shipvox-label-options
          ></shipvox-label-panel>`
        : html`<shipvox-quote-list
            part="quotes"
            exportparts="list, status, updated, heard, card: quote-card, select-button"
            .quotes=${state.quotes}
            .updatedQuotes=${state.updated_quotes}
            .running=${state.running}
            .selectedId=${state.selected_quote_id}
            .pendingId=${this.pendingQuoteId}
            .locale=${this.locale}
            .strings=${t}
            @quote-select=${(e: CustomEvent<QuoteSelectDetail>) => this.select(e.detail.quote_id)}
          ></shipvox-quote-list>
          ${state.quotes
            ? html`<shipvox-address-card exportparts="address, suggestion" .state=${state} .strings=${t}></shipvox-address-card>
                <shipvox-summary-card exportparts="summary, confirm-button" .state=${state} .locale=${this.locale} .words=${t}></shipvox-summary-card>`
            : nothing}`}
      <shipvox-tracking-timeline exportparts="timeline" .state=${state} .locale=${this.locale} .strings=${t}></shipvox-tracking-timeline>
      ${!state.quotes && !state.label && !running
        ? html`<p class="hint">${t.hint}</p>`
        : nothing}
      ${this.talks
        ? html`<shipvox-talk part="talk" exportparts="log, composer" .host=${this} .lines=${state.transcript ?? []} .live=${this.liveLine} .call=${this.voiceCall} .strings=${t}></shipvox-talk>`
        : nothing}
      ${live}
      ${this.devConsole
        ? html`<shipvox-dev-console part="console" .entries=${this.frames.entries} .strings=${t} @console-close=${() => (this.devConsole = false)}></shipvox-dev-console>`
        : nothing}
    </section>`;
  }

  /** Compact mode: opens or closes the card, and keeps the focus on the control that replaced the one pressed. */
  private async setExpanded(open: boolean): Promise<void> {
    this.expanded = open;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(open ? 'h2' : '.launcher')?.focus();
  }

  /** The language asked for: the locale attribute, else the nearest lang (the element's, the page's). */
  private get requestedLanguage(): string {
    return this.locale || this.closest('[lang]')?.getAttribute('lang') || 'en';
  }

  private choosePack(): void {
    const language = packFor(this.requestedLanguage);
    if (language === (this.pack?.language ?? null)) return;
    if (!language) {
      this.pack = null;
      return;
    }
    loadPack(language, this.endpoint).then(
      (strings) => {
        if (packFor(this.requestedLanguage) === language) this.pack = { language, strings };
      },
      // Stays in English; the page hears why.
      (error: Error) => emit(this, 'shipvox-error', { code: 'language_pack_failed', message: `The ${language} language pack did not load: ${error.message}`, fatal: false }),
    );
  }

  private sessionConfig(): SessionConfig {
    const index = Array.from(document.querySelectorAll('shipvox-companion')).indexOf(this);
    return {
      endpoint: this.endpoint,
      publishableKey: this.publishableKey || undefined,
      sessionToken: this.sessionToken || undefined,
      storageKey: this.storageKey || this.id || `#${Math.max(index, 0)}`,
    };
  }

  private onStateChanged(next: SessionState, previous: SessionState): void {
    const sessionId = next.session_id;
    if (next.quotes && next.quotes.request_id !== previous.quotes?.request_id) {
      const detail = { session_id: sessionId, quotes: next.quotes };
      emit(this, 'shipvox-quotes-ready', detail);
      this.onQuoteReady?.(detail);
      const first = next.quotes.quotes[0];
      const n = next.quotes.quotes.length;
      const t = this.words;
      this.announce(
        n && first
          ? fill(n === 1 ? t.ready_one : t.ready, { count: n, n: first.option, carrier: first.carrier, service: first.service, price: formatPrice(first.price_cents, first.currency, this.locale) })
          : t.none_found,
      );
    } else if (next.updated_quotes && next.updated_quotes !== previous.updated_quotes) {
      this.announce(this.words.prices_updated);
    }
    if (next.selected_quote_id && next.selected_quote_id !== previous.selected_quote_id && !next.label) {
      const quote = selectedQuote(next);
      if (quote) this.announce(fill(this.words.selected_say, { n: quote.option, carrier: quote.carrier, service: quote.service }));
    }
    if (next.label && next.label.label_id !== previous.label?.label_id) {
      emit(this, 'shipvox-label-created', { session_id: sessionId, label: next.label });
      this.announce(fill(this.words.label_created, { spelled: spelled(next.label.tracking_number) }));
    }
    if (next.last_error && next.last_error.seq !== previous.last_error?.seq) this.announce(`${this.words.bob} ${next.last_error.message}`);
    if (next.emails.length > previous.emails.length && previous.session_id === next.session_id) {
      this.emailStatus = 'sent';
      const last = next.emails[next.emails.length - 1];
      if (last) this.announce(fill(this.words.sent_say, { to: last.to }));
    }
  }

  private announce(text: string): void {
    // Appended (a new node is read even when its text repeats); a full region starts over.
    this.announcements = this.announcements.length < 5 ? [...this.announcements, text] : [text];
  }

  private async select(quoteId: string): Promise<void> {
    this.pendingQuoteId = quoteId;
    // Looked up first: a session replaced meanwhile takes its quotes with it.
    const chosen = currentQuote(this.state, quoteId);
    try {
      await this.sessionController.selectQuote(quoteId);
      const quote = currentQuote(this.state, quoteId);
      if (quote) this.tell(`The shopper selected option ${quote.option} on screen: ${quote.carrier} ${quote.service}.`);
    } catch {
      // The problem is already reported (shipvox-error); the card simply becomes selectable again.
      // A new session dropped the queued choice: the banner names it.
      if (chosen && this.sessionController.notice === 'not_resumed') this.droppedChoice = fill(this.words.choice_dropped, { n: chosen.option, carrier: chosen.carrier, service: chosen.service });
    } finally {
      if (this.pendingQuoteId === quoteId) this.pendingQuoteId = null;
    }
  }

  private async email(detail: LabelEmailDetail): Promise<void> {
    this.emailStatus = 'sending';
    this.labelMessage = null;
    try {
      await this.sessionController.emailLabel(detail.label_id, detail.to);
      this.tell('The shopper emailed the label.'); // no address: Bob's context is not the place for it
      this.emailStatus = 'sent';
    } catch (error) {
      this.emailStatus = 'error';
      this.labelMessage = fill(this.words.email_failed, { error: (error as Error).message });
    }
  }

  /** Download and print: a chunk of their own (shipvox-label-files.js), loaded on the first use. */
  private labelFiles() {
    return loadChunk('shipvox-label-files.js', () => import('./label-files.ts'), this.endpoint);
  }

  /** The label's signed PDF link, replaced by a fresh one when it has expired. */
  private async pdfUrl(label: Label): Promise<string> {
    const known = this.pdfLinks.get(label.label_id) ?? label.pdf_url;
    if (!linkExpired(known, this.sessionController.now())) return known;
    const fresh = await this.sessionController.requestLabelLink(label.label_id);
    this.pdfLinks.set(label.label_id, fresh);
    return fresh;
  }

  private async download(label: Label | null): Promise<void> {
    if (!label) return;
    this.labelMessage = null;
    try {
      const files = await this.labelFiles();
      files.startDownload(files.withFormat(await this.pdfUrl(label), this.labelFormat.format), this.renderRoot);
    } catch (error) {
      this.labelMessage = fill(this.words.link_failed, { error: (error as Error).message });
    }
  }

  private async print(label: Label | null): Promise<void> {
    if (!label) return;
    this.labelMessage = null;
    try {
      const files = await this.labelFiles();
      const outcome = await files.printPdf(files.withFormat(await this.pdfUrl(label), this.labelFormat.print), this.renderRoot);
      if (outcome === 'opened') this.labelMessage = this.words.print_opened;
    } catch (error) {
      this.labelMessage = fill(this.words.print_failed, { error: (error as Error).message });
    }
  }

  private readonly dismissNotice = (): void => {
    this.droppedChoice = null;
    this.sessionController.dismissNotice();
  };

  /** A new session replaced Bob's: he learns its id (his webhook tools need it) and what the shopper lost. */
  private readonly tellNewSession = (): void => {
    this.tell(`Session replaced: use session_id ${this.state.session_id} and get new quotes. ${this.droppedChoice ?? ''}`);
    this.announce(this.words.told_bob);
    this.dismissNotice();
  };

  /**
   * The console's shortcut is the widget's only while the focus is inside it (the host page's own
   * fields keep Alt+D, the browser's address bar), or anywhere with `dev-shortcut="page"`.
   */
  private readonly onNetwork = (): void => this.requestUpdate();

  private readonly onKeydown = (event: KeyboardEvent): void => {
    const inside = event.composedPath().includes(this);
    if (event.key === 'Escape' && this.devConsole && inside) {
      this.devConsole = false;
      this.updateComplete.then(() => this.renderRoot.querySelector('h2')?.focus());
      return;
    }
    if (event.code !== 'KeyD' || !(inside || this.devShortcut === 'page')) return;
    const ctrlShift = event.ctrlKey && event.shiftKey && !event.altKey;
    const alt = event.altKey && !event.ctrlKey && !event.metaKey;
    if (!ctrlShift && !alt) return;
    event.preventDefault();
    this.devConsole = !this.devConsole;
  };
}

// The ElevenLabs voice bridge will be a lazily imported chunk (`import('./voice/…')` from here),
// kept out of this bundle and its size budget.

define('shipvox-companion', ShipvoxCompanion);

declare global {
  interface HTMLElementTagNameMap {
    'shipvox-companion': ShipvoxCompanion;
  }
}
