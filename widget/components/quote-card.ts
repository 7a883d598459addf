import { LitElement, html, nothing } from 'lit';
import type { Quote } from '../../shared/tools.ts';
import { define } from '../define.ts';
import { fire } from '../events.ts';
import { en, fill, type Strings } from '../i18n/strings.ts';
import { formatArrival, formatPrice } from './format.ts';
import { enter } from './motion.ts';
import { quoteCardStyles } from './quote-card.styles.ts';

/** Detail of the `quote-select` intent. */
export interface QuoteSelectDetail {
  quote_id: string;
}

/**
 * One priced option, numbered as Bob says it ("Option 2"). Emits the `quote-select` intent; it
 * never talks to the session itself.
 *
 * @fires quote-select - the shopper chose this quote (detail: `{ quote_id }`)
 * @csspart card - the card
 * @csspart select-button - the Select button
 *
 * @tag shipvox-quote-card
 */
export class ShipvoxQuoteCard extends LitElement {
  static override properties = {
    quote: { attribute: false },
    selected: { type: Boolean, reflect: true },
    pending: { type: Boolean },
    disabled: { type: Boolean },
    index: { type: Number },
    locale: { type: String },
    strings: { attribute: false },
  };
  declare quote: Quote | null;
  declare selected: boolean;
  /** The selection was sent and awaits its ack. */
  declare pending: boolean;
  declare disabled: boolean;
  /** Position in the list: staggers the entrance animation. */
  declare index: number;
  declare locale: string | undefined;
  /** The words to show (English, a language pack, the host's overrides). */
  declare strings: Strings;

  static override styles = quoteCardStyles;

  constructor() {
    super();
    this.quote = null;
    this.selected = false;
    this.pending = false;
    this.disabled = false;
    this.index = 0;
    this.strings = en;
  }

  protected override firstUpdated(): void {
    const card = this.renderRoot.querySelector('.card');
    if (card) enter(card, Math.min(this.index, 6) * 0.05);
  }

  override render() {
    const q = this.quote;
    if (!q) return nothing;
    const price = formatPrice(q.price_cents, q.currency, this.locale);
    const t = this.strings;
    const arrival = formatArrival(q, t, this.locale);
    const name = fill(t.quote_name, { n: q.option, carrier: q.carrier, service: q.service });
    const state = this.selected ? 'selected' : this.pending ? 'selecting' : 'select';
    return html`<article class="card" part="card" aria-label=${name}>
      <div class="top">
        <span class="option">${fill(t.option, { n: q.option })}</span>
        ${q.tags.map((tag) => html`<span class="tag">${t[`tag_${tag}`]}</span>`)}
      </div>
      <div class="price">${price}</div>
      <div class="service">${q.carrier} ${q.service}</div>
      <div class="arrival">${fill(t.arrives, { date: arrival })}${q.guaranteed ? t.guaranteed : ''}</div>
      <button
        part="select-button"
        class=${this.selected ? '' : 'primary'}
        aria-pressed=${this.selected ? 'true' : 'false'}
        aria-disabled=${this.pending ? 'true' : nothing}
        ?disabled=${this.disabled}
        aria-label=${fill(t[`${state}_name`], { n: q.option, price })}
        @click=${this.onSelect}
      >
        ${t[state]}
      </button>
    </article>`;
  }

  private onSelect(): void {
    // Pending is aria-disabled, not disabled: a disabled button would drop the keyboard focus to <body>.
    if (!this.quote || this.selected || this.pending) return;
    const detail: QuoteSelectDetail = { quote_id: this.quote.quote_id };
    fire(this, 'quote-select', detail);
  }
}

define('shipvox-quote-card', ShipvoxQuoteCard, { quiet: true });

declare global {
  interface HTMLElementTagNameMap {
    'shipvox-quote-card': ShipvoxQuoteCard;
  }
}
