import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { currentQuote, deriveSteps, selectedQuote, type SessionState } from '../shared/session.ts';
import type { Label } from '../shared/tools.ts';
import { FrameLog } from './components/dev-console.ts';
import './components/connection-banner.ts';
import './components/dev-console.ts';
import { formatPrice } from './components/format.ts';
import './components/label-panel.ts';
import type { EmailStatus, LabelEmailDetail } from './components/label-panel.ts';
import type { QuoteSelectDetail } from './components/quote-card.ts';
import './components/quote-list.ts';
import './components/step-tracker.ts';
import { tokens } from './components/theme.ts';
import { define } from './define.ts';
import { emit, type ShipvoxEventDetails } from './events.ts';
import { linkExpired, printPdf, startDownload } from './label-files.ts';
import { FIRST_RENDER } from './perf.ts';
import {
  SessionController,
  type ConnectionStatus,
  type SessionControllerOptions,
  type SessionConfig,
} from './session/session-controller.ts';
import type { VoiceCall, VoiceState, startVoice } from './voice/voice-sdk.ts';
import { TOOL_NAMES as TOOLS } from '../shared/tool-names.ts';

/** This script's own URL, for loading the voice chunk next to it (null when loaded as a module). */
const SCRIPT_SRC = (document.currentScript as HTMLScriptElement | null)?.src;
const VOICE_TEXT: Record<VoiceState, string> = {
  idle: 'Talk to Bob',
  connecting: 'Connecting to Bob',
  listening: 'Bob is listening',
  speaking: 'Bob is speaking',
  error: 'Voice failed',
};

const STATUS_TEXT: Record<ConnectionStatus, string> = {
  idle: 'Not connected',
  connecting: 'Connecting',
  online: 'Live',
  offline: 'Offline',
  stopped: 'Disconnected',
};

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
 * @attr dev-console - Shows the developer console of frames in and out (toggle: Ctrl+Shift+D or Alt+D).
 * @attr locale - BCP 47 locale for prices and dates (defaults to the browser's).
 * @attr voice-agent - Attach mode: selector of the page's `<elevenlabs-convai>`; its calls get Bob's client tools and the session id.
 * @attr voice - `sdk`: a mic button starts Bob in the page (`@elevenlabs/client`, loaded on first use).
 *
 * @fires shipvox-quotes-ready - New quotes are on screen. detail: `{ session_id, quotes }`.
 * @fires shipvox-label-created - A label was bought. detail: `{ session_id, label }`.
 * @fires shipvox-connection-change - The connection status changed. detail: `{ status, session_id }`.
 * @fires shipvox-error - A connection or action problem. detail: `{ code, message, fatal }`.
 *
 * @csspart base - the outer card
 * @csspart header - the title row with the connection status
 * @csspart voice - the mic button (voice="sdk"); `data-state` idle, connecting, listening, speaking or error
 * @csspart banner - connection notices (offline, reconnected, could not resume)
 * @csspart steps - the step tracker
 * @csspart step - one step of the tracker
 * @csspart error - the last tool error, in the words Bob said it
 * @csspart quotes - the quote list
 * @csspart quote-card - one quote card
 * @csspart select-button - a quote's Select button
 * @csspart label - the label panel
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
    locale: { type: String },
    voice: { type: String },
    voiceAgent: { type: String, attribute: 'voice-agent' },
    voiceState: { state: true },
    pendingQuoteId: { state: true },
    emailStatus: { state: true },
    labelMessage: { state: true },
    announcement: { state: true },
  };
  declare endpoint: string;
  declare publishableKey: string | undefined;
  declare sessionToken: string | undefined;
  declare storageKey: string | undefined;
  declare devConsole: boolean;
  declare locale: string | undefined;
  declare voice: string | undefined;
  declare voiceAgent: string | undefined;
  declare private voiceState: VoiceState;
  private voiceCall: VoiceCall | null = null;
  declare private pendingQuoteId: string | null;
  declare private emailStatus: EmailStatus;
  declare private labelMessage: string | null;
  declare private announcement: string;

  /** Called with the same detail as `shipvox-quotes-ready`, for pages that prefer a callback. */
  onQuoteReady: ((detail: ShipvoxEventDetails['shipvox-quotes-ready']) => void) | null = null;

  private readonly sessionController: SessionController;
  private readonly frames = new FrameLog();
  /** Fresh signed PDF links by label id (label_created's link expires). */
  private readonly pdfLinks = new Map<string, string>();

  static override styles = [
    tokens,
    css`
      :host {
        max-width: var(--shipvox-width, 420px);
      }
      :host([hidden]) {
        display: none;
      }
      .base {
        display: grid;
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
    this.pendingQuoteId = null;
    this.emailStatus = 'idle';
    this.labelMessage = null;
    this.announcement = '';
    this.voiceState = 'idle';
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
    document.addEventListener('elevenlabs-convai:call', this.onConvaiCall);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKeydown);
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
    const config = (event as CustomEvent<{ config: Record<string, any> }>).detail.config;
    config.clientTools = { ...config.clientTools, ...this.clientTools };
    // Read when the voice SDK sends it (after it connects), not now: a call started before this
    // widget has its session still carries the session's id.
    const session = this.sessionController;
    config.dynamicVariables = {
      ...config.dynamicVariables,
      get session_id() {
        return session.state.session_id;
      },
    };
  };

  /** Tells Bob (whichever way he is hosted) and, unless it is `logged` already, the session log what the shopper did on screen. */
  private tell(message: string, logged?: boolean): void {
    if (!logged) this.sessionController.sendContext(message);
    this.voiceCall?.tell(message);
    if (this.voiceAgent) document.querySelector(this.voiceAgent)?.dispatchEvent(new CustomEvent('elevenlabs-agent:contextual-update', { detail: { message } }));
  }

  private setVoice(state: VoiceState, message?: string): void {
    if (state === 'idle' || state === 'error') this.voiceCall = null;
    // Turn taking (listening ⇄ speaking) is not announced: only connecting, connected, ended, failed.
    const turn = state !== 'listening' ? state === 'speaking' : this.voiceState === 'speaking';
    this.voiceState = state;
    if (!turn) this.announce(message ? `${VOICE_TEXT[state]}: ${message}` : VOICE_TEXT[state]);
  }

  /** SDK mode: the mic button starts or ends the call; the SDK chunk loads on first use. */
  private async toggleVoice(): Promise<void> {
    if (this.voiceState === 'connecting') return;
    if (this.voiceCall) return this.voiceCall.end();
    this.setVoice('connecting');
    try {
      const chunk = new URL('shipvox-voice.js', SCRIPT_SRC ?? `${this.endpoint}/widget/`).href;
      const voice = (await import(/* @vite-ignore */ chunk)) as { startVoice: typeof startVoice };
      const call = await voice.startVoice({
        endpoint: this.endpoint,
        token: this.sessionController.resumeToken,
        tools: this.clientTools,
        set: (state, message) => this.setVoice(state, message),
      });
      // A call that already ended while starting stays ended.
      if (this.voiceState !== 'idle' && this.voiceState !== 'error') this.voiceCall = call;
    } catch (error) {
      // startSession rejects without calling onError (no mic, refused, closed early).
      this.setVoice('error', (error as Error).message);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const configChanged = ['endpoint', 'publishableKey', 'sessionToken', 'storageKey'].some((k) => changed.has(k as keyof ShipvoxCompanion));
    if (configChanged && this.isConnected) {
      // The first render only completes a start that lacked config; later changes reconnect.
      if (this.hasUpdated) this.sessionController.restart();
      else this.sessionController.start();
    }
  }

  protected override firstUpdated(): void {
    performance.mark(FIRST_RENDER);
  }

  override render() {
    const state = this.sessionController.state;
    const status = this.sessionController.status;
    const running = state.running.length > 0;
    const on = !/idle|error/.test(this.voiceState);
    return html`<section class="base" part="base" aria-labelledby="title">
      <header part="header">
        <h2 id="title">Shipping assistant</h2>
        <span class="status"><span class="dot ${status}" aria-hidden="true"></span>${STATUS_TEXT[status]}</span>
        ${this.voice === 'sdk'
          ? html`<button part="voice" class=${on ? 'primary' : ''} data-state=${this.voiceState} aria-pressed=${String(on)} ?disabled=${status !== 'online'} @click=${this.toggleVoice}>
              ${on ? 'End call' : VOICE_TEXT.idle}
            </button>`
          : nothing}
      </header>
      <shipvox-connection-banner
        exportparts="banner"
        .status=${status}
        .notice=${this.sessionController.notice}
        .problem=${this.sessionController.problem}
        .pendingActions=${this.sessionController.pendingActions}
        @notice-dismiss=${() => this.sessionController.dismissNotice()}
        @connection-retry=${() => this.sessionController.restart()}
      ></shipvox-connection-banner>
      <shipvox-step-tracker part="steps" exportparts="step" .steps=${deriveSteps(state)}></shipvox-step-tracker>
      ${state.last_error
        ? html`<p class="error" part="error"><b>Bob:</b> ${state.last_error.message}</p>`
        : nothing}
      ${state.label
        ? html`<shipvox-label-panel
            part="label"
            .label=${state.label}
            .emails=${state.emails}
            .emailStatus=${this.emailStatus}
            .message=${this.labelMessage}
            .locale=${this.locale}
            @label-download=${() => this.download(state.label)}
            @label-print=${() => this.print(state.label)}
            @label-email=${(e: CustomEvent<LabelEmailDetail>) => this.email(e.detail)}
          ></shipvox-label-panel>`
        : html`<shipvox-quote-list
            part="quotes"
            exportparts="card: quote-card, select-button"
            .quotes=${state.quotes}
            .updatedQuotes=${state.updated_quotes}
            .running=${state.running}
            .selectedId=${state.selected_quote_id}
            .pendingId=${this.pendingQuoteId}
            .locale=${this.locale}
            @quote-select=${(e: CustomEvent<QuoteSelectDetail>) => this.select(e.detail.quote_id)}
          ></shipvox-quote-list>`}
      ${!state.quotes && !state.label && !running
        ? html`<p class="hint">Tell Bob where your parcel is going and what it weighs — your shipping options will appear here.</p>`
        : nothing}
      <div class="sr-only" aria-live="polite" aria-atomic="true">${this.announcement}</div>
      ${this.devConsole
        ? html`<shipvox-dev-console part="console" .entries=${this.frames.entries} @console-close=${() => (this.devConsole = false)}></shipvox-dev-console>`
        : nothing}
    </section>`;
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
      this.announce(
        n && first
          ? `${n} shipping option${n === 1 ? '' : 's'} ready. Option ${first.option}: ${first.carrier} ${first.service}, ${formatPrice(first.price_cents, first.currency, this.locale)}.`
          : 'No shipping options were found.',
      );
    } else if (next.updated_quotes && next.updated_quotes !== previous.updated_quotes) {
      this.announce('Updated prices available.');
    }
    if (next.selected_quote_id && next.selected_quote_id !== previous.selected_quote_id && !next.label) {
      const quote = selectedQuote(next);
      if (quote) this.announce(`Option ${quote.option} selected: ${quote.carrier} ${quote.service}.`);
    }
    if (next.label && next.label.label_id !== previous.label?.label_id) {
      emit(this, 'shipvox-label-created', { session_id: sessionId, label: next.label });
      this.announce(`Label created. Tracking number ${next.label.tracking_number}.`);
    }
    if (next.emails.length > previous.emails.length && previous.session_id === next.session_id) {
      this.emailStatus = 'sent';
      const last = next.emails[next.emails.length - 1];
      if (last) this.announce(`Label sent to ${last.to}.`);
    }
  }

  private announce(text: string): void {
    this.announcement = text;
  }

  private async select(quoteId: string): Promise<void> {
    this.pendingQuoteId = quoteId;
    try {
      await this.sessionController.selectQuote(quoteId);
      const quote = currentQuote(this.state, quoteId);
      if (quote) this.tell(`The shopper selected option ${quote.option} on screen: ${quote.carrier} ${quote.service}.`);
    } catch {
      // The problem is already reported (shipvox-error); the card simply becomes selectable again.
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
      this.labelMessage = `The email could not be sent: ${(error as Error).message}`;
    }
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
      startDownload(await this.pdfUrl(label), this.renderRoot);
    } catch (error) {
      this.labelMessage = `The download link could not be refreshed: ${(error as Error).message}`;
    }
  }

  private async print(label: Label | null): Promise<void> {
    if (!label) return;
    this.labelMessage = null;
    try {
      const outcome = await printPdf(await this.pdfUrl(label), this.renderRoot);
      if (outcome === 'opened') this.labelMessage = 'The label opened in a new tab — print it from there.';
    } catch (error) {
      this.labelMessage = `The label could not be printed: ${(error as Error).message}`;
    }
  }

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.code !== 'KeyD') return;
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
