import { LitElement, css, html, nothing } from 'lit';
import type { SessionState } from '../../shared/session.ts';
import type { Label } from '../../shared/tools.ts';
import { MAX_EMAIL_LENGTH } from '../../shared/wire.ts';
import { define } from '../define.ts';
import { en, fill, type Strings } from '../i18n/strings.ts';
import { formatPrice, spelled } from './format.ts';
import { enter } from './motion.ts';
import './qr-code.ts';
import { tokens } from './theme.ts';

export type EmailStatus = 'idle' | 'sending' | 'sent' | 'error';
export interface LabelEmailDetail {
  label_id: string;
  to: string;
}
export interface LabelFileDetail {
  label_id: string;
}

/**
 * The bought label: tracking number and link, QR code for printerless drop-off, a PDF preview
 * (with a fallback where the page's CSP or the browser cannot show it), Download, Print, Email.
 * Emits intents; the parent fetches fresh links and talks to the session.
 *
 * @slot - label options below Download / Print (the widget puts the format chooser and Void there)
 * @fires label-download - Download was pressed (detail: `{ label_id }`)
 * @fires label-print - Print was pressed (detail: `{ label_id }`)
 * @fires label-email - a valid address was submitted (detail: `{ label_id, to }`)
 * @csspart panel - the panel
 * @csspart tracking - the tracking link
 * @csspart preview - the PDF preview
 * @csspart actions - the Download / Print row
 * @csspart email-form - the email form
 *
 * @tag shipvox-label-panel
 */
export class ShipvoxLabelPanel extends LitElement {
  static override properties = {
    label: { attribute: false },
    emails: { attribute: false },
    emailStatus: { attribute: false },
    message: { attribute: false },
    locale: { type: String },
    strings: { attribute: false },
    emailError: { state: true },
    previewBlocked: { state: true },
  };
  declare label: Label | null;
  declare emails: SessionState['emails'];
  declare emailStatus: EmailStatus;
  /** A short note from the parent: a failed download, print fallback, email error. */
  declare message: string | null;
  declare locale: string | undefined;
  /** The words to show (English, a language pack, the host's overrides). */
  declare strings: Strings;
  declare emailError: string | null;
  declare previewBlocked: boolean;

  static override styles = [
    tokens,
    css`
      .panel {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 14px;
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 12px;
        background: var(--_surface);
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 14px;
        align-items: flex-start;
      }
      .head > div {
        flex: 1 1 10em;
        min-width: 0;
        display: grid;
        gap: 4px;
      }
      h3 {
        outline-offset: 4px;
        font-size: 0.9375rem;
        display: flex;
        align-items: center;
        gap: 6px;
      }
      .ok {
        color: var(--_success);
      }
      .muted {
        color: var(--_muted);
        font-size: 0.8125rem;
      }
      .tracking {
        display: inline-flex;
        align-items: center;
        justify-self: start;
        min-height: 24px;
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.875rem;
        color: var(--_accent);
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        gap: 8px;
        flex-wrap: wrap;
      }
      details {
        font-size: 0.8125rem;
      }
      summary {
        cursor: pointer;
        color: var(--_muted);
      }
      object {
        display: block;
        width: 100%;
        aspect-ratio: 4 / 6;
        max-height: 360px;
        margin-top: 8px;
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) - 4px);
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 8px;
        align-items: center;
      }
      label {
        flex-basis: 100%;
        font-size: 0.8125rem;
        font-weight: 500;
      }
      input {
        flex: 1;
        min-width: 0;
        padding: 6px 10px;
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) - 4px);
        background: var(--_surface);
        color: var(--_fg);
      }
      input[aria-invalid='true'] {
        border-color: var(--_danger);
      }
      .error,
      .sent {
        color: var(--_danger);
        font-size: 0.8125rem;
        flex-basis: 100%;
      }
      .sent {
        color: var(--_success);
      }
    `,
  ];

  private readonly onPolicyViolation = (event: SecurityPolicyViolationEvent) => {
    if (this.label && event.blockedURI && this.label.pdf_url.startsWith(event.blockedURI)) this.previewBlocked = true;
  };

  constructor() {
    super();
    this.label = null;
    this.emails = [];
    this.emailStatus = 'idle';
    this.message = null;
    this.emailError = null;
    this.previewBlocked = false;
    this.strings = en;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('securitypolicyviolation', this.onPolicyViolation);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('securitypolicyviolation', this.onPolicyViolation);
  }

  protected override updated(changed: Map<string, unknown>): void {
    const input = this.renderRoot.querySelector('input');
    if (changed.has('emailStatus') && this.emailStatus === 'sent' && input) input.value = '';
  }

  protected override firstUpdated(): void {
    const panel = this.renderRoot.querySelector('.panel');
    if (panel) enter(panel);
  }

  override render() {
    const label = this.label;
    if (!label) return nothing;
    const sent = this.emails.filter((e) => e.label_id === label.label_id);
    const t = this.strings;
    const spelledNumber = spelled(label.tracking_number);
    return html`<section class="panel" part="panel" aria-labelledby="label-title">
      <div class="head">
        <div>
          <h3 id="label-title" tabindex="-1"><span class="ok" aria-hidden="true">✓</span>${t.label_ready}</h3>
          <p class="muted">${label.carrier} ${label.service} · ${formatPrice(label.price_cents, label.currency, this.locale)}</p>
          <a
            class="tracking"
            part="tracking"
            href=${label.tracking_url.startsWith('http') ? label.tracking_url : nothing}
            target="_blank"
            rel="noreferrer"
            aria-label=${fill(t.tracking_name, { number: label.tracking_number, spelled: spelledNumber })}
            >${label.tracking_number}</a
          >
          <p class="muted">${t.scan_qr}</p>
        </div>
        <shipvox-qr-code .markup=${label.qr_svg} label=${fill(t.qr_name, { spelled: spelledNumber })} unavailable=${t.qr_unavailable}></shipvox-qr-code>
      </div>
      <div class="actions" part="actions">
        <button class="primary" @click=${() => this.intent('label-download')}>${t.download}</button>
        <button @click=${() => this.intent('label-print')}>${t.print}</button>
      </div>
      <slot></slot>
      ${this.message ? html`<p class="muted" role="status">${this.message}</p>` : nothing}
      <details part="preview">
        <summary>${t.preview}</summary>
        ${this.previewBlocked
          ? html`<p class="muted">${t.preview_blocked}</p>`
          : html`<object data=${label.pdf_url} type="application/pdf" aria-label=${t.preview_name}>
              <p class="muted">${t.preview_unsupported}</p>
            </object>`}
      </details>
      <form part="email-form" novalidate @submit=${this.onEmail}>
        <label for="email">${t.email_label}</label>
        <input
          id="email"
          name="email"
          type="email"
          required
          maxlength=${MAX_EMAIL_LENGTH}
          autocomplete="email"
          placeholder="you@example.com"
          aria-invalid=${this.emailError ? 'true' : 'false'}
          aria-describedby=${this.emailError ? 'email-error' : nothing}
          @input=${() => (this.emailError = null)}
        />
        <button type="submit" ?disabled=${this.emailStatus === 'sending'}>${this.emailStatus === 'sending' ? t.sending : t.send}</button>
        ${this.emailError ? html`<p class="error" id="email-error">${this.emailError}</p>` : nothing}
        ${sent.map((e) => html`<p class="sent">${fill(t.sent_to, { to: e.to })}</p>`)}
      </form>
    </section>`;
  }

  /** Focuses the panel's heading (where the shopper lands when the label replaces the quotes). */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector('h3')?.focus(options);
  }

  private intent(type: 'label-download' | 'label-print'): void {
    if (!this.label) return;
    const detail: LabelFileDetail = { label_id: this.label.label_id };
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true }));
  }

  private onEmail(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector('input');
    if (!this.label || !input) return;
    const to = input.value.trim();
    // The browser's own check (type=email, required), so the shopper hears about typos at once;
    // the BFF validates the address again with the shared schema.
    if (!input.checkValidity()) {
      this.emailError = this.strings.email_invalid;
      input.focus();
      return;
    }
    const detail: LabelEmailDetail = { label_id: this.label.label_id, to };
    this.dispatchEvent(new CustomEvent('label-email', { detail, bubbles: true }));
  }
}

define('shipvox-label-panel', ShipvoxLabelPanel, { quiet: true });

declare global {
  interface HTMLElementTagNameMap {
    'shipvox-label-panel': ShipvoxLabelPanel;
  }
}
