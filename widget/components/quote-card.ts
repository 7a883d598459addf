import { LitElement, css, html, nothing } from 'lit';
import type { Quote } from '../../shared/tools.ts';
import { define } from '../define.ts';
import { fire } from '../events.ts';
import { en, fill, type Strings } from '../i18n/strings.ts';
import { formatArrival, formatPrice } from './format.ts';
import { enter } from './motion.ts';
import { tokens } from './theme.ts';

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

  static override styles = [
    tokens,
    css`
      :host {
        container-type: inline-size;
      }
      .card {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 2px 12px;
        align-items: center;
        padding: 12px 14px;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_surface);
        transition: border-color 120ms, box-shadow 120ms;
      }
      :host([selected]) .card {
        border-color: var(--_accent);
        box-shadow: 0 0 0 1px var(--_accent);
      }
      .top {
        display: flex;
        align-items: center;
        gap: 6px;
        flex-wrap: wrap;
        font-size: 0.75rem;
        color: var(--_muted);
      }
      .option {
        font-weight: 600;
        color: var(--_fg);
      }
      .tag {
        padding: 1px 6px;
        border-radius: 999px;
        background: var(--_subtle);
        border: 1px solid var(--_border);
        color: var(--_fg);
      }
      .service {
        font-weight: 600;
        font-size: 0.9375rem;
      }
      .price {
        grid-row: 1 / span 2;
        grid-column: 2;
        font-size: 1.125rem;
        font-weight: 650;
        font-variant-numeric: tabular-nums;
        text-align: right;
      }
      .arrival {
        font-size: 0.8125rem;
        color: var(--_muted);
      }
      button {
        grid-column: 2;
        justify-self: end;
      }
      /* Narrow or large text: price and button go under the service, in one column. */
      @container (max-width: 20em) {
        .card {
          grid-template-columns: minmax(0, 1fr);
        }
        .price,
        button {
          grid-row: auto;
          grid-column: 1;
          justify-self: start;
          text-align: start;
        }
      }
      @media (forced-colors: active) {
        :host([selected]) .card {
          outline: 3px solid Highlight;
          outline-offset: 1px;
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .card {
          transition: none;
        }
      }
    `,
  ];

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
