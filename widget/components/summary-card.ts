import { LitElement, css, html, nothing } from 'lit';
import type { SessionState } from '../../shared/session.ts';
import { purchaseSummary } from '../../shared/summary.ts';
import type { PurchaseSummary } from '../../shared/tools.ts';
import { define } from '../define.ts';
import { shipmentEn } from '../i18n/shipment.ts';
import { en, fill, type ShipmentStrings, type Strings } from '../i18n/strings.ts';
import { addressLine } from './address-card.ts';
import { formatArrival, formatPrice } from './format.ts';
import { requestAction } from './shipment-intent.ts';
import { tokens } from './theme.ts';


/**
 * The one summary the shopper confirms before any money is spent: carrier, service, price,
 * delivery date and recipient, rendered from `purchaseSummary(state)`, the object Bob's read-back
 * is made from. Confirm (ui_action confirm_purchase with its summary_id) is the only thing on
 * screen that buys; selecting a card or editing the address never does.
 *
 * @csspart summary - the card
 * @csspart confirm-button - the Confirm button
 *
 * @tag shipvox-summary-card
 */
export class ShipvoxSummaryCard extends LitElement {
  static override properties = {
    state: { attribute: false },
    locale: { type: String },
    words: { attribute: false },
    pending: { state: true },
    failure: { state: true },
  };
  declare state: SessionState | null;
  declare locale: string | undefined;
  /** The widget's words (its language pack, the host's overrides): the delivery date and this card's own, over the chunk's English. */
  declare words: Strings & Partial<ShipmentStrings>;
  declare private pending: boolean;
  declare private failure: string | null;

  static override styles = [
    tokens,
    css`
      section {
        border: 2px solid var(--_accent);
        border-radius: var(--_radius);
        padding: 14px;
        display: grid;
        gap: 10px;
        background: var(--_surface);
      }
      h3 {
        font-size: 0.9375rem;
      }
      dl {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 4px 12px;
        margin: 0;
        font-size: 0.875rem;
      }
      dt {
        color: var(--_muted);
      }
      dd {
        margin: 0;
      }
      .price {
        font-weight: 650;
        font-variant-numeric: tabular-nums;
      }
      .note,
      .error {
        font-size: 0.8125rem;
        color: var(--_muted);
      }
      .error {
        color: var(--_danger);
      }
      button {
        justify-self: start;
      }
    `,
  ];

  constructor() {
    super();
    this.state = null;
    this.words = en;
    this.pending = false;
    this.failure = null;
  }

  override render() {
    const s = this.state && purchaseSummary(this.state);
    if (!s) return nothing;
    const t: ShipmentStrings = { ...shipmentEn, ...this.words };
    const price = formatPrice(s.price_cents, s.currency, this.locale);
    const unverified = (party: 'recipient' | 'sender') => (s.unverified?.includes(party) ? html` <b>${t.summary_unverified}</b>` : nothing);
    return html`<section part="summary" aria-labelledby="summary-title">
      <h3 id="summary-title">${t.summary_title}</h3>
      <dl>
        <dt>${t.summary_carrier}</dt>
        <dd>${s.carrier}</dd>
        <dt>${t.summary_service}</dt>
        <dd>${s.service}</dd>
        <dt>${t.summary_price}</dt>
        <dd class="price">${price}</dd>
        <dt>${t.summary_delivery}</dt>
        <dd>${formatArrival(s, this.words, this.locale)}</dd>
        <dt>${t.summary_to}</dt>
        <dd>${s.recipient ? addressLine(s.recipient) : t.summary_no_address}${unverified('recipient')}</dd>
        ${s.sender
          ? html`<dt>${t.summary_from}</dt>
              <dd>${addressLine(s.sender)}${unverified('sender')}</dd>`
          : nothing}
      </dl>
      <button
        part="confirm-button"
        class="primary"
        aria-disabled=${s.blocker || this.pending ? 'true' : nothing}
        aria-describedby="summary-note"
        @click=${() => this.confirm(s)}
      >
        ${this.pending ? t.summary_buying : fill(t.summary_confirm, { price })}
      </button>
      <p class="note" id="summary-note">${s.blocker ? t[`summary_${s.blocker}`] : t.summary_note}</p>
      ${this.failure ? html`<p class="error" role="alert">${this.failure}</p>` : nothing}
    </section>`;
  }

  private async confirm(s: PurchaseSummary): Promise<void> {
    // aria-disabled, not disabled: the focus stays on the button while it waits.
    if (s.blocker || this.pending) return;
    this.pending = true;
    this.failure = null;
    try {
      // The ack comes once the label is bought; a summary that changed meanwhile is refused (summary_changed).
      await requestAction(this, { action: { action: 'confirm_purchase', summary_id: s.summary_id } });
    } catch (error) {
      this.failure = (error as Error).message;
    } finally {
      this.pending = false;
    }
  }
}

define('shipvox-summary-card', ShipvoxSummaryCard, { quiet: true });

declare global {
  interface HTMLElementTagNameMap {
    'shipvox-summary-card': ShipvoxSummaryCard;
  }
}
