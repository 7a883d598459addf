import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SessionState } from '../../shared/session.ts';
import { ADDRESS_MAX_LENGTH } from '../../shared/shipment-fields.ts';
import { deepActive } from '../test/mount.ts';
import { ADDRESS, quotesTo, recipientSet, started, stateOf } from '../test/fixtures.ts';
import { answerIntents } from '../test/intents.ts';
import './address-card.ts';
import type { ShipvoxAddressCard } from './address-card.ts';

const quoted = () => stateOf([started(), quotesTo()]);
async function card(state: SessionState = quoted()) {
  const el = await fixture<ShipvoxAddressCard>(html`<shipvox-address-card .state=${state}></shipvox-address-card>`);
  return { el, bff: answerIntents(el) };
}
const input = (el: ShipvoxAddressCard, name: string) => el.shadowRoot!.querySelector<HTMLInputElement>(`#${name}`)!;
const button = (el: ShipvoxAddressCard, text: string) => [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.includes(text))!;
const status = (el: ShipvoxAddressCard) => el.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim();

describe('<shipvox-address-card>', () => {
  it('is prefilled with the quoted ZIP, its city and state, and every field has its label and autofill token', async () => {
    const { el } = await card();
    expect([input(el, 'city').value, input(el, 'state').value, input(el, 'zip').value]).to.deep.equal(['New York', 'NY', '10001']);
    expect(input(el, 'name').value).to.equal('');
    const tokens = Object.fromEntries([...el.shadowRoot!.querySelectorAll('input')].map((i) => [i.id, i.getAttribute('autocomplete')]));
    expect(tokens).to.deep.equal({
      name: 'shipping name',
      company: 'shipping organization',
      street: 'shipping address-line1',
      street2: 'shipping address-line2',
      city: 'shipping address-level2',
      state: 'shipping address-level1',
      zip: 'shipping postal-code',
    });
    for (const i of el.shadowRoot!.querySelectorAll('input')) expect(el.shadowRoot!.querySelector(`label[for="${i.id}"]`), i.id).to.exist;
    await expect(el).to.be.accessible();
  });

  it('stops typing where the schema stops: each field at its shared limit', async () => {
    const { el } = await card();
    const limits = Object.fromEntries([...el.shadowRoot!.querySelectorAll('input')].map((i) => [i.id, i.maxLength]));
    expect(limits).to.deep.equal(ADDRESS_MAX_LENGTH);
  });

  it('renders nothing before there are quotes', async () => {
    const { el } = await card(stateOf([]));
    expect(el.shadowRoot!.querySelector('form')).to.equal(null);
  });

  it('keeps missing fields on screen with their errors and the focus on the first, and sends nothing', async () => {
    const { el, bff } = await card();
    button(el, 'Check address').click();
    await el.updateComplete;
    await waitUntil(() => deepActive() === input(el, 'name'));
    expect(input(el, 'name').getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.getElementById(input(el, 'name').getAttribute('aria-describedby')!)!.textContent).to.equal('Enter the full name.');
    expect(input(el, 'street').getAttribute('aria-invalid')).to.equal('true');
    expect(bff.intents).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('sends what the shopper typed by keyboard as set_recipient, leaving out empty optional fields', async () => {
    const { el, bff } = await card();
    input(el, 'name').focus();
    await sendKeys({ type: ' Jane Doe ' });
    await sendKeys({ press: 'Tab' }); // company, left empty
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: '12 Main St' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(bff.intents.map((i) => i.action)).to.deep.equal([{ action: 'set_recipient', address: ADDRESS }]);
    expect(bff.intents[0]!.tell, 'the BFF tells Bob').to.equal(undefined);
    expect(button(el, 'Checking').getAttribute('aria-disabled')).to.equal('true');
    await sendKeys({ press: 'Enter' }); // a second press while checking sends nothing more
    expect(bff.intents).to.have.length(1);
    bff.ack();
    await waitUntil(() => button(el, 'Check address'));
    await expect(el).to.be.accessible();
  });

  it('shows the backend refusal in its words and keeps what was typed', async () => {
    const { el, bff } = await card();
    input(el, 'name').value = 'Jane Doe';
    input(el, 'name').dispatchEvent(new InputEvent('input'));
    input(el, 'street').value = 'Main St';
    input(el, 'street').dispatchEvent(new InputEvent('input'));
    button(el, 'Check address').click();
    bff.refuse('invalid_params', 'The street needs a house number.');
    await waitUntil(() => status(el) === 'The street needs a house number.');
    expect(input(el, 'street').value).to.equal('Main St');
    await expect(el).to.be.accessible();
  });

  it('shows the check at its fields and a suggestion: Use suggestion sends it, Keep mine keeps the typed address', async () => {
    const typed = { ...ADDRESS, city: 'New Yrok' };
    const suggestion = { ...ADDRESS };
    const state = stateOf([
      started(),
      quotesTo(),
      recipientSet(typed, { status: 'suggested', residential: true, suggestion, messages: [{ code: 'city_mismatch', field: 'city', text: 'ZIP 10001 is in New York, not New Yrok.' }] }),
    ]);
        const { el, bff } = await card(state);
    expect(input(el, 'city').value).to.equal('New Yrok');
    expect(input(el, 'city').getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.querySelector('#city-error')!.textContent).to.contain('not New Yrok');
    expect(el.shadowRoot!.querySelector('[part="suggestion"] address')!.textContent).to.equal('Jane Doe, 12 Main St, New York, NY 10001');
    await expect(el).to.be.accessible();
    button(el, 'Use suggestion').click();
    expect(bff.intents.map((i) => i.action)).to.deep.equal([{ action: 'set_recipient', address: suggestion }]);
    bff.ack();
    await waitUntil(() => !button(el, 'Checking'));

    button(el, 'Keep mine').click();
    expect(bff.intents[1]!.action, 'the typed address, kept over the suggestion').to.deep.equal({ action: 'set_recipient', address: typed, keep: true });
    bff.ack();
    // The BFF logs it as kept: buyable, said to be unverified, no suggestion offered any more.
    el.state = stateOf([
      started(),
      quotesTo(),
      recipientSet(typed, { status: 'suggested', residential: true, suggestion, kept: true, messages: [{ code: 'city_mismatch', field: 'city', text: 'ZIP 10001 is in New York, not New Yrok.' }] }),
    ]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="suggestion"]')).to.equal(null);
    expect(status(el)).to.contain('this address is unverified');
    await expect(el).to.be.accessible();
  });

  it('asks for the ship-from address when the prices start elsewhere than the account, and sends it with party sender', async () => {
    const account = { account_id: 'a', name: 'Shop', address: { ...ADDRESS, name: 'Shop', zip: '78701', city: 'Austin', state: 'TX' }, balance_cents: 100, currency: 'USD' };
    const withAccount = stateOf([started(), quotesTo(), { type: 'account_updated', account, reason: 'loaded' }]);
    const { el, bff } = await card(withAccount);
    const sender = el.shadowRoot!.querySelector<ShipvoxAddressCard>('shipvox-address-card[party="sender"]')!;
    expect(sender, 'the ship-from card').to.exist;
    await sender.updateComplete;
    expect(sender.shadowRoot!.querySelector('h3')!.textContent).to.equal('Where does it ship from?');
    expect(input(sender, 'zip').value, 'prefilled with the quoted origin').to.equal(withAccount.quotes!.shipment.from_zip);
    expect(input(sender, 'name').getAttribute('autocomplete')).to.equal('section-sender name');
    input(sender, 'name').value = 'Ann Lee';
    input(sender, 'name').dispatchEvent(new InputEvent('input'));
    input(sender, 'street').value = '1 Market St';
    input(sender, 'street').dispatchEvent(new InputEvent('input'));
    input(sender, 'city').value = 'San Francisco';
    input(sender, 'city').dispatchEvent(new InputEvent('input'));
    input(sender, 'state').value = 'CA';
    input(sender, 'state').dispatchEvent(new InputEvent('input'));
    button(sender, 'Check address').click();
    await waitUntil(() => bff.intents.length === 1);
    expect(bff.intents[0]!.action).to.deep.include({ action: 'set_recipient', party: 'sender' });
    bff.ack();
    await expect(el).to.be.accessible();
    // The account's own ZIP: no ship-from card.
    el.state = stateOf([started(), quotesTo(), { type: 'account_updated', account: { ...account, address: { ...account.address, zip: withAccount.quotes!.shipment.from_zip } }, reason: 'loaded' }]);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('shipvox-address-card')).to.equal(null);
  });

  it('says a verified address is verified, and takes an address Bob set while leaving the typing alone otherwise', async () => {
    const { el } = await card();
    input(el, 'name').value = 'Half typed';
    input(el, 'name').dispatchEvent(new InputEvent('input'));
    el.state = { ...el.state!, context: [] }; // an unrelated update
    await el.updateComplete;
    expect(input(el, 'name').value).to.equal('Half typed');
    button(el, 'Check address').click(); // street missing: nothing sent, but the typing is what would be
    await el.updateComplete;
    expect(input(el, 'name').getAttribute('aria-invalid'), 'the typed name counts').to.equal('false');
    input(el, 'city').value = 'Boston';
    input(el, 'city').dispatchEvent(new InputEvent('input'));
    // Bob sets the address (the city back to the prefilled value): the inputs show his, every field.
    el.state = stateOf([started(), quotesTo(), recipientSet(ADDRESS, undefined, 'agent')]);
    await el.updateComplete;
    expect(input(el, 'name').value).to.equal('Jane Doe');
    expect(input(el, 'street').value).to.equal('12 Main St');
    expect(input(el, 'city').value).to.equal('New York');
    expect(status(el)).to.equal('Address verified (residential).');
    await expect(el).to.be.accessible();
  });
});
