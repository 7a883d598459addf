import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { animationsDone } from './test/fixtures.ts';
import { bob, testInfo, type TestInfo } from './test/bff.ts';
import './shipvox-companion.ts';
import type { ShipvoxCompanion } from './shipvox-companion.ts';

/** The embedded simulator's account (the sender of every label unless another is given) is in New York: quotes start there when no from_zip is said. */
const SENDER_ZIP = '10001';
const shadow = (el: Element) => el.shadowRoot!;

describe('<shipvox-companion> against the real BFF', function () {
  let info: TestInfo;
  before(async function () {
    info = await testInfo();
    if (!info.bff) this.skip();
  });
  beforeEach(() => sessionStorage.clear());

  function mount(storageKey: string) {
    return fixture<ShipvoxCompanion>(
      html`<shipvox-companion endpoint=${info.bff!} publishable-key=${info.publishableKey} storage-key=${storageKey} locale="en-US"></shipvox-companion>`,
    );
  }

  it('connects, mirrors quotes from Bob, selects by click, shows the label, emails it, and resumes after a reload', async function () {
    this.timeout(40_000); // Bob's recipient check and the shopper's confirmation are real round trips too
    const el = await mount('e2e');
    await waitUntil(() => el.connection === 'online', 'never online', { timeout: 10_000 });
    const sessionId = el.sessionId!;
    expect(sessionId).to.be.a('string');

    const ready = oneEvent(el, 'shipvox-quotes-ready');
    const quotes = await bob('get_shipping_quotes', { session_id: sessionId, from_zip: SENDER_ZIP, to_zip: '10001', weight: 2, weight_unit: 'lb' });
    expect(quotes.error).to.equal(undefined);
    expect((await ready).detail.quotes.quotes.length).to.be.greaterThan(0);
    // Bob heard the recipient; the BFF checks it (and re-quotes if a business address prices differently).
    const recipient = await bob('set_recipient_address', { session_id: sessionId, name: 'Jane Doe', street: '350 5th Ave', zip: '10001' });
    expect(recipient.error, recipient.result).to.equal(undefined);
    await waitUntil(() => el.state.recipient?.validation.status === 'valid' && el.state.running.length === 0, 'recipient not mirrored', { timeout: 10_000 });
    const detail = { quotes: el.state.quotes! };

    // Select option 1 on screen, by keyboard.
    const list = shadow(el).querySelector('shipvox-quote-list')!;
    await waitUntil(() => shadow(list).querySelectorAll('shipvox-quote-card').length > 0);
    const card = shadow(list).querySelector('shipvox-quote-card')!;
    await card.updateComplete;
    shadow(card).querySelector('button')!.focus();
    await sendKeys({ press: 'Enter' });
    const first = detail.quotes.quotes[0]!;
    await waitUntil(() => el.state.selected_quote_id === first.quote_id, 'selection not mirrored', { timeout: 10_000 });
    expect(el.state.selected_by).to.equal('ui');

    // Bob asks to buy: he gets the summary to read back; the shopper confirms it on the summary card.
    const asked = await bob('create_label', { session_id: sessionId, quote_id: first.quote_id });
    expect((asked as { needs_confirmation?: boolean }).needs_confirmation, asked.result).to.equal(true);
    const created = oneEvent(el, 'shipvox-label-created');
    await customElements.whenDefined('shipvox-summary-card');
    const summaryCard = shadow(el).querySelector('shipvox-summary-card')!;
    await summaryCard.updateComplete;
    shadow(summaryCard).querySelector<HTMLButtonElement>('[part="confirm-button"]')!.click();
    const labelDetail = (await created).detail;
    await el.updateComplete;
    await customElements.whenDefined('shipvox-label-panel');
    const panel = shadow(el).querySelector('shipvox-label-panel')!;
    await panel.updateComplete;
    expect(shadow(panel).textContent).to.contain(labelDetail.label.tracking_number);

    // The focus was in the widget (the keyboard selection): it moves to the label's heading first.
    await waitUntil(() => shadow(panel).activeElement?.localName === 'h3', 'focus on the label heading');
    const input = shadow(panel).querySelector('input')!;
    input.focus();
    await sendKeys({ type: 'shopper@example.com' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.state.emails.length === 1, 'email not confirmed', { timeout: 10_000 });
    await panel.updateComplete;
    expect(shadow(panel).textContent).to.contain('Sent to');
    await animationsDone();
    await expect(el).to.be.accessible();

    // "Reload": a new element with the same storage key resumes the same session.
    el.remove();
    const again = await mount('e2e');
    expect(again.state.label?.label_id).to.equal(labelDetail.label.label_id);
    await waitUntil(() => again.connection === 'online', 'never online again', { timeout: 10_000 });
    expect(again.sessionId).to.equal(sessionId);
    await again.updateComplete;
    const banner = shadow(again).querySelector('shipvox-connection-banner')!;
    await banner.updateComplete;
    expect(shadow(banner).textContent).to.contain('Reconnected to voice session');
    again.remove();
  });

  it('refuses a wrong publishable key with a clear, final error', async () => {
    const el = await fixture<ShipvoxCompanion>(html`<shipvox-companion endpoint=${info.bff!} publishable-key="pk_wrong_key_123"></shipvox-companion>`);
    const error = await oneEvent(el, 'shipvox-error');
    expect(error.detail.fatal).to.equal(true);
    expect(el.connection).to.equal('stopped');
    el.remove();
  });
});
