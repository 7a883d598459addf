import { LitElement, html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { QuoteSet, RunningTool } from '../../shared/session.ts';
import { define } from '../define.ts';
import { fire } from '../events.ts';
import { en, fill, type Strings } from '../i18n/strings.ts';
import './quote-card.ts';
import type { QuoteSelectDetail } from './quote-card.ts';
import { quoteListStyles } from './quote-list.styles.ts';

/**
 * The quotes on screen, in the order (and with the option numbers) Bob reads them, plus what is
 * still running: "Getting quotes…", slow carriers, and newer prices offered after a choice.
 *
 * @csspart list - the list of quote cards
 * @csspart status - the "Getting quotes…" line
 * @csspart updated - the "Updated prices available" bar
 * @csspart heard - the ZIP codes and weight the quotes are for, and the service chosen (as Bob heard them)
 * @csspart card - a quote card (re-exported from `<shipvox-quote-card>`)
 * @csspart select-button - a quote's Select button (re-exported)
 *
 * @tag shipvox-quote-list
 */
export class ShipvoxQuoteList extends LitElement {
  static override properties = {
    quotes: { attribute: false },
    updatedQuotes: { attribute: false },
    running: { attribute: false },
    selectedId: { attribute: false },
    pendingId: { attribute: false },
    locale: { type: String },
    strings: { attribute: false },
    showUpdated: { state: true },
  };
  declare quotes: QuoteSet | null;
  /** Newer quotes that arrived after the shopper chose. */
  declare updatedQuotes: QuoteSet | null;
  declare running: RunningTool[];
  declare selectedId: string | null;
  /** A quote whose selection awaits its ack. */
  declare pendingId: string | null;
  declare locale: string | undefined;
  /** The words to show (English, a language pack, the host's overrides). */
  declare strings: Strings;
  declare showUpdated: boolean;

  static override styles = quoteListStyles;

  constructor() {
    super();
    this.quotes = null;
    this.updatedQuotes = null;
    this.running = [];
    this.selectedId = null;
    this.pendingId = null;
    this.strings = en;
    this.showUpdated = false;
  }

  protected override willUpdate(): void {
    if (!this.updatedQuotes) this.showUpdated = false;
  }

  override render() {
    const quoting = this.running.filter((r) => r.tool_name === 'get_shipping_quotes');
    const slow = [...new Set(quoting.flatMap((r) => r.slow))];
    const set = this.showUpdated && this.updatedQuotes ? this.updatedQuotes : this.quotes;
    const t = this.strings;
    // The service chosen (by Bob or on screen), in words beside the ZIPs and weight: a mishearing shows.
    const chosen = set?.quotes.find((q) => q.quote_id === this.selectedId);
    return html`
      ${quoting.length
        ? html`<p class="status" part="status" role="status"><span class="spinner" aria-hidden="true"></span>${t.getting_quotes}</p>`
        : nothing}
      ${slow.map((carrier) => html`<p class="slow">${fill(t.slow_carrier, { carrier })}</p>`)}
      ${this.updatedQuotes
        ? html`<div class="updated" part="updated">
            <span>${this.showUpdated ? t.updated_showing : t.updated_available}</span>
            <button @click=${() => (this.showUpdated = !this.showUpdated)}>
              ${this.showUpdated ? t.updated_back : t.updated_show}
            </button>
          </div>`
        : nothing}
      ${set
        ? html`<p class="heard" part="heard">${fill(t.heard, { from: set.shipment.from_zip, to: set.shipment.to_zip, weight: set.shipment.weight, unit: set.shipment.weight_unit })}${chosen
            ? html`<br />${fill(t.heard_service, { n: chosen.option, carrier: chosen.carrier, service: chosen.service })}`
            : nothing}</p>`
        : nothing}
      ${set?.missing_carriers?.map((carrier) => html`<p class="slow">${fill(t.missing_carrier, { carrier })}</p>`)}
      ${set?.quotes.length
        ? html`<ul part="list" @quote-select=${this.forward} aria-label=${this.showUpdated ? t.options_updated : t.options}>
            ${keyed(
              set.request_id,
              set.quotes.map((q, i) => html`<li>
                <shipvox-quote-card
                  exportparts="card, select-button"
                  .quote=${q}
                  .index=${i}
                  .locale=${this.locale}
                  .strings=${t}
                  ?selected=${q.quote_id === this.selectedId}
                  ?pending=${q.quote_id === this.pendingId}
                ></shipvox-quote-card>
              </li>`),
            )}
          </ul>`
        : nothing}
    `;
  }

  /** Intents do not cross shadow roots on their own (not composed): hand them on to our parent. */
  private forward(event: CustomEvent<QuoteSelectDetail>): void {
    event.stopPropagation();
    fire(this, 'quote-select', event.detail);
  }
}

define('shipvox-quote-list', ShipvoxQuoteList, { quiet: true });

declare global {
  interface HTMLElementTagNameMap {
    'shipvox-quote-list': ShipvoxQuoteList;
  }
}
