import { LitElement, css, html, nothing } from 'lit';
import { DEFAULT_LABEL_FORMAT, LABEL_FORMAT_FILES, LABEL_FORMAT_NAMES, LABEL_FORMATS, isLabelFormat, type LabelFormat } from '../../shared/label-formats.ts';
import type { SessionState } from '../../shared/session.ts';
import { define } from '../define.ts';
import { shipmentEn } from '../i18n/shipment.ts';
import { fill, type ShipmentStrings } from '../i18n/strings.ts';
import { formatPrice } from './format.ts';
import { requestAction } from './shipment-intent.ts';
import { tokens } from './theme.ts';

/** Where the chosen format is remembered, per browser. */
export const FORMAT_STORAGE_KEY = 'shipvox:label-format';

export interface LabelFormatDetail {
  /** What Download fetches. */
  format: LabelFormat;
  /** What Print prints: the chosen PDF, or the 4x6 PDF for PNG and ZPL (files for other tools). */
  print: LabelFormat;
}

function storedFormat(): LabelFormat | null {
  try {
    const value = localStorage.getItem(FORMAT_STORAGE_KEY);
    return isLabelFormat(value) ? value : null;
  } catch {
    return null; // storage blocked (third-party iframe, privacy mode): the default format
  }
}

/**
 * The label panel's options: the file format Download and Print use (remembered in this browser)
 * and Void (ui_action void_label), behind a confirm step, until the carrier has the parcel; then
 * the void's refund once the BFF logged it.
 *
 * @fires label-format - the format changed, and once when connected (detail: `{ format, print }`)
 * @csspart format - the format chooser
 * @csspart void-button - the Void button
 * @csspart void-confirm - the "Void this label?" question with its buttons
 *
 * @tag shipvox-label-options
 */
export class ShipvoxLabelOptions extends LitElement {
  static override properties = {
    strings: { attribute: false },
    state: { attribute: false },
    locale: { type: String },
    format: { state: true },
    confirming: { state: true },
    pending: { state: true },
    failure: { state: true },
  };
  declare state: SessionState | null;
  declare locale: string | undefined;
  /** The widget's words (language pack, host overrides) over the chunk's English. */
  declare strings: Partial<ShipmentStrings>;
  declare private format: LabelFormat;
  declare private confirming: boolean;
  declare private pending: boolean;
  declare private failure: string | null;

  static override styles = [
    tokens,
    css`
      :host {
        display: grid;
        gap: 8px;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 8px;
        align-items: center;
      }
      label {
        font-size: 0.8125rem;
        font-weight: 500;
      }
      select {
        flex: 1 1 12em;
        min-width: 0;
        width: 100%;
        padding: 4px 8px;
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) - 4px);
        background: var(--_surface);
        color: var(--_fg);
      }
      .confirm {
        display: grid;
        gap: 8px;
        padding: 10px;
        border-radius: calc(var(--_radius) - 4px);
        background: color-mix(in srgb, var(--_danger) 7%, var(--_surface));
      }
      button.danger {
        background: var(--_danger);
        border-color: var(--_danger);
        color: var(--_surface);
      }
      .error,
      .voided {
        color: var(--_danger);
        font-size: 0.8125rem;
      }
      .voided {
        font-weight: 600;
      }
    `,
  ];

  constructor() {
    super();
    this.strings = {};
    this.state = null;
    this.format = storedFormat() ?? DEFAULT_LABEL_FORMAT;
    this.confirming = false;
    this.pending = false;
    this.failure = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.announceFormat();
  }

  override render() {
    const label = this.state?.label;
    if (!label) return nothing;
    const t: ShipmentStrings = { ...shipmentEn, ...this.strings };
    const voided = this.state!.voided?.label_id === label.label_id ? this.state!.voided : null;
    if (voided) {
      return html`<p class="voided" role="status">${fill(t.options_voided, { price: formatPrice(voided.refund_cents, voided.currency, this.locale) })}</p>`;
    }
    // The carrier's void window: until it has scanned the parcel (tracking beyond pre_transit).
    const voidable = (this.state!.tracking?.label_id === label.label_id ? this.state!.tracking.status : 'pre_transit') === 'pre_transit';
    return html`<div class="row">
        <label for="format">${t.options_format}</label>
        <select id="format" part="format" @change=${this.onFormat}>
          ${LABEL_FORMATS.map((f) => html`<option value=${f} ?selected=${f === this.format}>${LABEL_FORMAT_NAMES[f]}</option>`)}
        </select>
      </div>
      ${voidable && !this.confirming
        ? html`<div class="row"><button part="void-button" id="void" @click=${this.askVoid}>${t.options_void}</button></div>`
        : nothing}
      ${voidable && this.confirming
        ? html`<div class="confirm" part="void-confirm" role="group" aria-labelledby="void-question" @keydown=${this.onConfirmKey}>
            <p id="void-question">${fill(t.options_void_question, { price: formatPrice(label.price_cents, label.currency, this.locale) })}</p>
            <div class="row">
              <button class="danger" id="void-yes" aria-disabled=${this.pending ? 'true' : nothing} @click=${this.doVoid}>
                ${this.pending ? t.options_voiding : t.options_void_yes}
              </button>
              <button id="void-no" @click=${this.cancelVoid}>${t.options_keep}</button>
            </div>
          </div>`
        : nothing}
      ${this.failure ? html`<p class="error" role="alert">${this.failure}</p>` : nothing}`;
  }

  private announceFormat(): void {
    const print = LABEL_FORMAT_FILES[this.format].extension === 'pdf' ? this.format : DEFAULT_LABEL_FORMAT;
    const detail: LabelFormatDetail = { format: this.format, print };
    this.dispatchEvent(new CustomEvent('label-format', { detail, bubbles: true }));
  }

  private onFormat(event: Event): void {
    this.format = (event.target as HTMLSelectElement).value as LabelFormat;
    try {
      localStorage.setItem(FORMAT_STORAGE_KEY, this.format);
    } catch {
      // not remembered; still used for this page
    }
    this.announceFormat();
  }

  private async askVoid(): Promise<void> {
    this.confirming = true;
    this.failure = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('#void-no')?.focus();
  }

  private async cancelVoid(): Promise<void> {
    if (this.pending) return;
    this.confirming = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('#void')?.focus();
  }

  private onConfirmKey(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.stopPropagation();
      void this.cancelVoid();
    }
  }

  private async doVoid(): Promise<void> {
    const label = this.state?.label;
    if (!label || this.pending) return;
    this.pending = true;
    this.failure = null;
    try {
      await requestAction(this, { action: { action: 'void_label', label_id: label.label_id } });
      this.confirming = false;
    } catch (error) {
      this.failure = (error as Error).message;
    } finally {
      this.pending = false;
    }
  }
}

define('shipvox-label-options', ShipvoxLabelOptions, { quiet: true });

declare global {
  interface HTMLElementTagNameMap {
    'shipvox-label-options': ShipvoxLabelOptions;
  }
}
