import { LitElement, html, nothing } from 'lit';
import type { SessionState } from '../../shared/session.ts';
import { purchaseSummary } from '../../shared/summary.ts';
import type { PurchaseSummary } from '../../shared/tools.ts';
import { define } from '../define.ts';
import { en, type Strings } from '../i18n/strings.ts';
import { addressLine } from './address-card.ts';
import { formatArrival, formatPrice } from './format.ts';
import { requestAction } from './shipment-intent.ts';
import { summaryCardStyles } from './summary-card.styles.ts';

const BLOCKER_TEXT: Record<NonNullable<PurchaseSummary['blocker']>, string> = {
  no_recipient: 'Enter the address above (or tell Bob) before you confirm.',
  address_unverified: 'The address is not verified yet: correct it above before you confirm.',
  recipient_zip_mismatch: 'The address is in another ZIP code than these prices: new prices are on the way.',
};

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
  /** The widget's words (its language pack), for the delivery date. */
  declare words: Strings;
  declare private pending: boolean;
  declare private failure: string | null;

  static override styles = summaryCardStyles;

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
    const price = formatPrice(s.price_cents, s.currency, this.locale);
    return html`<section part="summary" aria-labelledby="summary-title">
      <h3 id="summary-title">Check before you buy</h3>
      <dl>
        <dt>Carrier</dt>
        <dd>${s.carrier}</dd>
        <dt>Service</dt>
        <dd>${s.service}</dd>
        <dt>Price</dt>
        <dd class="price">${price}</dd>
        <dt>Delivery</dt>
        <dd>${formatArrival(s, this.words, this.locale)}</dd>
        <dt>Ship to</dt>
        <dd>${s.recipient ? addressLine(s.recipient) : 'No address yet'}</dd>
      </dl>
      <button
        part="confirm-button"
        class="primary"
        aria-disabled=${s.blocker || this.pending ? 'true' : nothing}
        aria-describedby="summary-note"
        @click=${() => this.confirm(s)}
      >
        ${this.pending ? 'Buying…' : `Confirm and buy for ${price}`}
      </button>
      <p class="note" id="summary-note">${s.blocker ? BLOCKER_TEXT[s.blocker] : 'Nothing is bought until you confirm, here or by telling Bob.'}</p>
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
