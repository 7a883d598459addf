import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { quote, quotesReady, selected, slowFedEx, started, stateOf, toolResult } from '../test/fixtures.ts';
import { animationsDone } from '../test/fixtures.ts';
import './quote-list.ts';
import type { ShipvoxQuoteList } from './quote-list.ts';
import type { SessionState } from '../../shared/session.ts';

function list(state: SessionState) {
  return fixture<ShipvoxQuoteList>(html`<shipvox-quote-list
    .quotes=${state.quotes}
    .updatedQuotes=${state.updated_quotes}
    .running=${state.running}
    .selectedId=${state.selected_quote_id}
  ></shipvox-quote-list>`);
}
const cards = (el: ShipvoxQuoteList) => [...el.shadowRoot!.querySelectorAll('shipvox-quote-card')];

describe('<shipvox-quote-list>', () => {
  it('says "Getting quotes…" and names a slow carrier while the tool runs', async () => {
    const el = await list(stateOf([started(), slowFedEx()]));
    const text = el.shadowRoot!.textContent!;
    expect(text).to.contain('Getting quotes…');
    expect(text).to.contain('FedEx is taking longer than usual…');
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('lists the quotes in state order with their option numbers', async () => {
    const quotes = [quote(3), quote(1), quote(2)];
    const el = await list(stateOf([started(), quotesReady('rq_1', quotes), toolResult()]));
    expect(cards(el).map((c) => c.quote!.option)).to.deep.equal([3, 1, 2]);
    expect(el.shadowRoot!.textContent).not.to.contain('Getting quotes');
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('forwards quote-select from a card, and Tab reaches every Select button', async () => {
    const el = await list(stateOf([started(), quotesReady()]));
    const button = cards(el)[0]!.shadowRoot!.querySelector('button')!;
    button.focus();
    await sendKeys({ press: 'Tab' });
    const event = oneEvent(el, 'quote-select');
    await sendKeys({ press: 'Space' });
    expect((await event).detail).to.deep.equal({ quote_id: 'q_2' });
  });

  it('offers updated prices after a choice and lets the shopper view and pick them', async () => {
    const newer = [quote(1, { quote_id: 'q_new_1', price_cents: 999 }), quote(2, { quote_id: 'q_new_2' })];
    const el = await list(stateOf([started(), quotesReady(), selected('q_2'), started('tc_2'), quotesReady('rq_2', newer)]));
    expect(el.shadowRoot!.textContent).to.contain('Updated prices available');
    expect(cards(el)[1]!.selected).to.equal(true);
    el.shadowRoot!.querySelector<HTMLButtonElement>('.updated button')!.click();
    await el.updateComplete;
    expect(cards(el).map((c) => c.quote!.quote_id)).to.deep.equal(['q_new_1', 'q_new_2']);
    const event = oneEvent(el, 'quote-select');
    cards(el)[0]!.shadowRoot!.querySelector('button')!.click();
    expect((await event).detail.quote_id).to.equal('q_new_1');
    await animationsDone();
    await expect(el).to.be.accessible();
  });
});
