import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { quote } from '../test/fixtures.ts';
import { animationsDone } from '../test/fixtures.ts';
import { motionReady } from './motion.ts';
import './quote-card.ts';
import type { ShipvoxQuoteCard } from './quote-card.ts';

describe('<shipvox-quote-card>', () => {
  afterEach(() => emulateMedia({ reducedMotion: 'no-preference' }));

  it('shows the option number, price, arrival date and tags', async () => {
    const el = await fixture<ShipvoxQuoteCard>(html`<shipvox-quote-card .quote=${quote(1)} locale="en-US"></shipvox-quote-card>`);
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('Option 1');
    expect(text).to.contain('$11.25');
    // 2026-12-01 is a Tuesday; formatted in UTC whatever the machine's zone.
    expect(text).to.contain('Tue, Dec 1');
    expect(text).to.contain('Cheapest');
    expect(text).to.contain('Best value');
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('formats other currencies and estimated days without a date', async () => {
    const el = await fixture<ShipvoxQuoteCard>(
      html`<shipvox-quote-card .quote=${quote(2, { currency: 'EUR', price_cents: 1999, delivery_date: null, estimated_days: 3 })} locale="de-DE"></shipvox-quote-card>`,
    );
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.match(/19,99\s€/);
    expect(text).to.contain('3 business days');
  });

  it('emits quote-select from the keyboard', async () => {
    const el = await fixture<ShipvoxQuoteCard>(html`<shipvox-quote-card .quote=${quote(2)}></shipvox-quote-card>`);
    el.shadowRoot!.querySelector('button')!.focus();
    const event = oneEvent(el, 'quote-select');
    await sendKeys({ press: 'Enter' });
    expect((await event).detail).to.deep.equal({ quote_id: 'q_2' });
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('shows the selected state with aria-pressed', async () => {
    const el = await fixture<ShipvoxQuoteCard>(html`<shipvox-quote-card .quote=${quote(2)} selected></shipvox-quote-card>`);
    const button = el.shadowRoot!.querySelector('button')!;
    expect(button.getAttribute('aria-pressed')).to.equal('true');
    expect(button.textContent).to.contain('Selected');
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('animates in, except under prefers-reduced-motion', async () => {
    await motionReady;
    const moving = await fixture<ShipvoxQuoteCard>(html`<shipvox-quote-card .quote=${quote(1)}></shipvox-quote-card>`);
    expect(moving.shadowRoot!.querySelector('.card')!.getAnimations().length).to.be.greaterThan(0);
    await emulateMedia({ reducedMotion: 'reduce' });
    const still = await fixture<ShipvoxQuoteCard>(html`<shipvox-quote-card .quote=${quote(1)}></shipvox-quote-card>`);
    expect(still.shadowRoot!.querySelector('.card')!.getAnimations()).to.have.length(0);
    await expect(still).to.be.accessible();
  });
});
