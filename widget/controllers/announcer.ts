/**
 * What the live region reads: each new quote set, new prices, a selection, the label, Bob's tool
 * errors and a sent email as the session's state changes, and whatever else the widget announce()s.
 */
import { html, type ReactiveControllerHost } from 'lit';
import { selectedQuote, type SessionState } from '../../shared/session.ts';
import { formatPrice, spelled } from '../components/format.ts';
import { fill, type Strings } from '../i18n/strings.ts';

export class Announcer {
  /** Each message a node of its own, so a repeat, or several in one render, are all read. */
  private spoken: readonly string[] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly words: () => Strings,
    private readonly locale: () => string | undefined,
  ) {}

  announce(text: string): void {
    // Appended (a new node is read even when its text repeats); a full region starts over.
    this.spoken = this.spoken.length < 5 ? [...this.spoken, text] : [text];
    this.host.requestUpdate();
  }

  stateChanged(next: SessionState, previous: SessionState): void {
    const t = this.words();
    if (next.quotes && next.quotes.request_id !== previous.quotes?.request_id) {
      const first = next.quotes.quotes[0];
      const n = next.quotes.quotes.length;
      this.announce(
        n && first
          ? fill(n === 1 ? t.ready_one : t.ready, { count: n, n: first.option, carrier: first.carrier, service: first.service, price: formatPrice(first.price_cents, first.currency, this.locale()) })
          : t.none_found,
      );
    } else if (next.updated_quotes && next.updated_quotes !== previous.updated_quotes) {
      this.announce(t.prices_updated);
    }
    if (next.selected_quote_id && next.selected_quote_id !== previous.selected_quote_id && !next.label) {
      const quote = selectedQuote(next);
      if (quote) this.announce(fill(t.selected_say, { n: quote.option, carrier: quote.carrier, service: quote.service }));
    }
    if (next.label && next.label.label_id !== previous.label?.label_id) this.announce(fill(t.label_created, { spelled: spelled(next.label.tracking_number) }));
    if (next.last_error && next.last_error.seq !== previous.last_error?.seq) this.announce(`${t.bob} ${next.last_error.message}`);
    if (next.emails.length > previous.emails.length && previous.session_id === next.session_id) {
      const last = next.emails[next.emails.length - 1];
      if (last) this.announce(fill(t.sent_say, { to: last.to }));
    }
  }

  render() {
    return html`<div class="sr-only" aria-live="polite" aria-relevant="additions text">${this.spoken.map((text) => html`<p>${text}</p>`)}</div>`;
  }
}
