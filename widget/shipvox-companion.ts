import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { currentQuote, deriveSteps, type SessionState } from '../shared/session.ts';
import { FrameLog } from './components/frame-log.ts';
import './components/connection-banner.ts';
import type { LabelEmailDetail } from './components/label-panel.ts';
import type { QuoteSelectDetail } from './components/quote-card.ts';
import './components/quote-list.ts';
import type { LabelFormatDetail } from './components/label-options.ts';
import type { ShipmentIntent } from './components/shipment-intent.ts';
import { loadShipmentParts } from './components/shipment-parts.ts';
import './components/step-tracker.ts';
import { tokens } from './components/theme.ts';
import { Announcer } from './controllers/announcer.ts';
import { ConsoleShortcut } from './controllers/console-shortcut.ts';
import { LabelActions } from './controllers/label-actions.ts';
import { LanguageController } from './controllers/language.ts';
import { VoiceController, type ClientTools } from './controllers/voice.ts';
import { define } from './define.ts';
import { fill, type AllStrings, type ConsoleStrings, type ShipmentStrings, type Strings, type TalkStrings } from './i18n/strings.ts';
import { emit, type ShipvoxEventDetails } from './events.ts';
import { loadChunk } from './chunks.ts';
import { FIRST_RENDER } from './perf.ts';
import {
  SessionController,
  type ConnectionStatus,
  type SessionControllerOptions,
  type SessionConfig,
} from './session/session-controller.ts';
import { companionStyles } from './shipvox-companion.styles.ts';

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
    pendingQuoteId: { state: true },
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
  declare private pendingQuoteId: string | null;
  /** The shopper's choice a replaced session dropped (it was queued while the old session went away). */
  declare private droppedChoice: string | null;

  /** English, then the language pack, then the host's strings: what every part shows. */
  private get words(): Strings & Partial<ConsoleStrings & TalkStrings & ShipmentStrings> {
    return this.i18n.words;
  }

  /** Called with the same detail as `shipvox-quotes-ready`, for pages that prefer a callback. */
  onQuoteReady: ((detail: ShipvoxEventDetails['shipvox-quotes-ready']) => void) | null = null;

  private readonly sessionController: SessionController;
  private readonly i18n = new LanguageController(this);
  private readonly announcer = new Announcer(this, () => this.words, () => this.locale);
  private readonly voiceCalls: VoiceController;
  private readonly labelActions: LabelActions;
  private readonly frames = new FrameLog();
  /** Set for one update: the label is about to replace the quotes while the focus is in the widget. */
  private focusWasInside = false;

  static override styles = companionStyles;

  constructor() {
    super();
    this.endpoint = '';
    this.devConsole = false;
    this.compact = false;
    this.expanded = false;
    this.pendingQuoteId = null;
    this.droppedChoice = null;
    const session = (this.sessionController = new SessionController(
      this,
      () => this.sessionConfig(),
      {
        stateChanged: (next, previous) => this.onStateChanged(next, previous),
        connectionChanged: (status) => emit(this, 'shipvox-connection-change', { status, session_id: session.sessionId }),
        problem: (problem) => emit(this, 'shipvox-error', problem),
        frame: (record) => {
          this.frames.add(record);
          if (this.devConsole) this.requestUpdate();
        },
        note: (text) => this.voiceCalls.tell(text, true),
      },
      ShipvoxCompanion.sessionOptions,
    ));
    this.voiceCalls = new VoiceController(this, session, () => this.words, (text) => this.announcer.announce(text));
    this.labelActions = new LabelActions(this, session, () => this.words, (text) => this.voiceCalls.tell(text));
    new ConsoleShortcut(this);
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

  /** Bob's client tools: one code path (the BFF over this widget's socket) for every way of hosting him. */
  get clientTools(): ClientTools {
    return this.voiceCalls.clientTools;
  }

  /**
   * Sends a typed message to Bob, as the shopper's line of the conversation: in SDK mode through the
   * call (started text-only when none is on), in attach mode to the page's `<elevenlabs-convai>`
   * during its call (`elevenlabs-agent:user-message`; that element takes it with `allow-events`).
   */
  say(text: string): Promise<boolean> {
    return this.voiceCalls.say(text);
  }

  /** A shipment element asks for a UI action; Bob hears what the shopper did once the BFF took it. */
  private onIntent(event: CustomEvent<ShipmentIntent>): void {
    const { action, tell } = event.detail;
    event.detail.reply = (action ? this.sessionController.perform(action) : Promise.resolve({ client_msg_id: '' })).then((ack) => {
      if (tell) this.voiceCalls.tell(tell);
      return ack;
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('devConsole') && this.devConsole) {
      loadChunk('shipvox-dev-console.js', () => import('./components/dev-console.ts'), this.endpoint).catch((error: Error) => console.warn(`shipvox dev console: ${error.message}`));
    }
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
    const status = this.sessionController.shownStatus;
    const running = state.running.length > 0;
    const voice = this.voiceCalls;
    const on = !/idle|error/.test(voice.state);
    const t = this.words;
    const lang = this.i18n.lang;
    const steps = deriveSteps(state);
    const statusText = html`<span class="status"><span class="dot ${status}" aria-hidden="true"></span>${t[`status_${status}`]}</span>`;
    const live = this.announcer.render();
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
          ? html`<button part="voice" class=${on ? 'primary' : ''} data-state=${voice.state} aria-pressed=${String(on)} ?disabled=${status !== 'online'} @click=${() => voice.toggle()}>
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
            .emailStatus=${this.labelActions.emailStatus}
            .message=${this.labelActions.message}
            .locale=${this.locale}
            .strings=${t}
            @label-download=${() => this.labelActions.download(state.label)}
            @label-print=${() => this.labelActions.print(state.label)}
            @label-email=${(e: CustomEvent<LabelEmailDetail>) => this.labelActions.email(e.detail)}
            ><shipvox-label-options
              exportparts="format, void-button, void-confirm"
              .state=${state}
              .strings=${t}
              .locale=${this.locale}
              @label-format=${(e: CustomEvent<LabelFormatDetail>) => (this.labelActions.format = e.detail)}
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
        ? html`<shipvox-talk part="talk" exportparts="log, composer" .host=${this} .lines=${state.transcript ?? []} .live=${voice.liveLine} .call=${voice.call} .strings=${t}></shipvox-talk>`
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
    }
    if (next.label && next.label.label_id !== previous.label?.label_id) emit(this, 'shipvox-label-created', { session_id: sessionId, label: next.label });
    this.announcer.stateChanged(next, previous);
    this.labelActions.stateChanged(next, previous);
  }

  private async select(quoteId: string): Promise<void> {
    this.pendingQuoteId = quoteId;
    // Looked up first: a session replaced meanwhile takes its quotes with it.
    const chosen = currentQuote(this.state, quoteId);
    try {
      await this.sessionController.selectQuote(quoteId);
      const quote = currentQuote(this.state, quoteId);
      if (quote) this.voiceCalls.tell(`The shopper selected option ${quote.option} on screen: ${quote.carrier} ${quote.service}.`);
    } catch {
      // The problem is already reported (shipvox-error); the card simply becomes selectable again.
      // A new session dropped the queued choice: the banner names it.
      if (chosen && this.sessionController.notice === 'not_resumed') this.droppedChoice = fill(this.words.choice_dropped, { n: chosen.option, carrier: chosen.carrier, service: chosen.service });
    } finally {
      if (this.pendingQuoteId === quoteId) this.pendingQuoteId = null;
    }
  }

  private readonly dismissNotice = (): void => {
    this.droppedChoice = null;
    this.sessionController.dismissNotice();
  };

  /** A new session replaced Bob's: he learns its id (his webhook tools need it) and what the shopper lost. */
  private readonly tellNewSession = (): void => {
    this.voiceCalls.tell(`Session replaced: use session_id ${this.state.session_id} and get new quotes. ${this.droppedChoice ?? ''}`);
    this.announcer.announce(this.words.told_bob);
    this.dismissNotice();
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
