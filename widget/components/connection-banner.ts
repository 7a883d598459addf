import { LitElement, html, nothing } from 'lit';
import { define } from '../define.ts';
import { fire } from '../events.ts';
import { en, fill, type Strings } from '../i18n/strings.ts';
import type { ConnectionStatus, SessionNotice, SessionProblem } from '../session/session-controller.ts';
import { connectionBannerStyles } from './connection-banner.styles.ts';

/**
 * Connection news for the shopper: offline (choices are kept and sent later), back on the same
 * voice session, a session that could not be resumed, or a connection that gave up.
 *
 * @fires notice-dismiss - the shopper closed the notice
 * @fires connection-retry - the shopper asked to try connecting again after a fatal problem
 * @fires notice-tell - the shopper asked to tell Bob about the new session
 * @csspart banner - the banner
 *
 * @tag shipvox-connection-banner
 */
export class ShipvoxConnectionBanner extends LitElement {
  static override properties = {
    status: { type: String },
    notice: { attribute: false },
    problem: { attribute: false },
    pendingActions: { attribute: false },
    strings: { attribute: false },
    dropped: { attribute: false },
  };
  declare status: ConnectionStatus;
  declare notice: SessionNotice;
  declare problem: SessionProblem | null;
  declare pendingActions: number;
  /** The words to show (English, a language pack, the host's overrides). */
  declare strings: Strings;
  /** The shopper's choice that a new session dropped (already in words), shown with the not-resumed notice. */
  declare dropped: string | null;

  static override styles = connectionBannerStyles;

  constructor() {
    super();
    this.status = 'idle';
    this.notice = null;
    this.problem = null;
    this.pendingActions = 0;
    this.strings = en;
    this.dropped = null;
  }

  override render() {
    return html`<div role="status">${this.message()}</div>`;
  }

  private message() {
    const t = this.strings;
    if (this.problem?.fatal) {
      return html`<div class="banner error" part="banner">
        <span>${this.problem.text ? t[this.problem.text] : this.problem.message}</span>
        ${this.problem.retry === false ? nothing : html`<button @click=${() => this.intent('connection-retry')}>${t.try_again}</button>`}
      </div>`;
    }
    if (this.status === 'offline') {
      const waiting = this.pendingActions ? fill(t.waiting, { n: this.pendingActions }) : '';
      return html`<div class="banner offline" part="banner">
        <span>${t.offline}${waiting}</span>
      </div>`;
    }
    if (this.notice === 'not_resumed') {
      return html`<div class="banner" part="banner">
        <span>${t.not_resumed}${this.dropped ? html` <b>${this.dropped}</b>` : nothing}</span>
        <button @click=${() => this.intent('notice-tell')}>${t.tell_bob}</button>
        <button aria-label=${t.dismiss} @click=${() => this.intent('notice-dismiss')}>✕</button>
      </div>`;
    }
    if (this.notice === 'resumed') {
      return html`<div class="banner resumed" part="banner"><span>${t.resumed}</span></div>`;
    }
    if (this.status === 'connecting') return html`<div class="banner" part="banner"><span>${t.connecting}</span></div>`;
    return nothing;
  }

  private intent(type: 'notice-dismiss' | 'connection-retry' | 'notice-tell'): void {
    fire(this, type);
  }
}

define('shipvox-connection-banner', ShipvoxConnectionBanner, { quiet: true });

declare global {
  interface HTMLElementTagNameMap {
    'shipvox-connection-banner': ShipvoxConnectionBanner;
  }
}
