import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { SessionState } from '../../shared/session.ts';
import { purchaseSummary } from '../../shared/summary.ts';
import { ADDRESS, quotesTo, recipientSet, selected, started, stateOf } from '../test/fixtures.ts';
import { answerIntents } from '../test/intents.ts';
import './summary-card.ts';
import type { ShipvoxSummaryCard } from './summary-card.ts';

async function card(state: SessionState) {
  const el = await fixture<ShipvoxSummaryCard>(html`<shipvox-summary-card .state=${state} locale="en-US"></shipvox-summary-card>`);
  return { el, bff: answerIntents(el) };
}
const confirm = (el: ShipvoxSummaryCard) => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="confirm-button"]')!;
const rows = (el: ShipvoxSummaryCard) =>
  Object.fromEntries([...el.shadowRoot!.querySelectorAll('dt')].map((dt) => [dt.textContent, (dt.nextElementSibling as HTMLElement).textContent!.trim()]));

describe('<shipvox-summary-card>', () => {
  it('shows nothing until an option is chosen: selecting a card never buys, the summary appears', async () => {
    const { el } = await card(stateOf([started(), quotesTo()]));
    expect(el.shadowRoot!.querySelector('section')).to.equal(null);
  });

  it('shows carrier, service, price, delivery date and recipient of the shared summary, and confirms its summary_id', async () => {
    const state = stateOf([started(), quotesTo(), recipientSet(), selected('q_2')]);
    const { el, bff } = await card(state);
    expect(rows(el)).to.deep.equal({
      Carrier: 'UPS',
      Service: 'Ground',
      Price: '$14.00',
      Delivery: 'Wed, Dec 2',
      'Ship to': 'Jane Doe, 12 Main St, New York, NY 10001',
    });
    expect(confirm(el).getAttribute('aria-disabled')).to.equal(null);
    await expect(el).to.be.accessible();
    confirm(el).click();
    await el.updateComplete;
    expect(confirm(el).textContent).to.contain('Buying');
    expect(confirm(el).getAttribute('aria-disabled')).to.equal('true');
    confirm(el).click(); // a second click while buying sends nothing more
    expect(bff.intents.map((i) => i.action)).to.deep.equal([{ action: 'confirm_purchase', summary_id: purchaseSummary(state)!.summary_id }]);
    bff.ack();
    await waitUntil(() => !confirm(el).textContent!.includes('Buying'));
    await expect(el).to.be.accessible();
  });

  it('cannot be confirmed while the address is missing or unverified, and says why', async () => {
    const { el, bff } = await card(stateOf([started(), quotesTo(), selected('q_2')]));
    expect(rows(el)['Ship to']).to.equal('No address yet');
    expect(confirm(el).getAttribute('aria-disabled')).to.equal('true');
    expect(el.shadowRoot!.getElementById(confirm(el).getAttribute('aria-describedby')!)!.textContent).to.contain('Enter the address');
    confirm(el).click();
    expect(bff.intents).to.have.length(0);
    el.state = stateOf([started(), quotesTo(), recipientSet({ ...ADDRESS, city: 'Nowhere' }, { status: 'invalid', residential: true, messages: [] }), selected('q_2')]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#summary-note')!.textContent).to.contain('not verified');
    await expect(el).to.be.accessible();
  });

  it('shows a refused confirmation (the summary changed) and stays confirmable', async () => {
    const { el, bff } = await card(stateOf([started(), quotesTo(), recipientSet(), selected('q_2')]));
    confirm(el).click();
    bff.refuse('conflict', 'The summary changed: check it and confirm again.');
    await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"]'));
    expect(el.shadowRoot!.querySelector('[role="alert"]')!.textContent).to.contain('summary changed');
    expect(confirm(el).getAttribute('aria-disabled')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
