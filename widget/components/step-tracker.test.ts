import { expect, fixture, html } from '@open-wc/testing';
import { deriveSteps } from '../../shared/session.ts';
import { labelCreated, quotesReady, selected, started, stateOf, trackingEvent, tracked, voided } from '../test/fixtures.ts';
import './step-tracker.ts';
import type { ShipvoxStepTracker } from './step-tracker.ts';

async function tracker(state = stateOf([])) {
  return fixture<ShipvoxStepTracker>(html`<shipvox-step-tracker .steps=${deriveSteps(state)}></shipvox-step-tracker>`);
}

const items = (el: ShipvoxStepTracker) => [...el.shadowRoot!.querySelectorAll('li')];

describe('<shipvox-step-tracker>', () => {
  it('starts on the zip step', async () => {
    const el = await tracker();
    const li = items(el);
    expect(li).to.have.length(5);
    expect(li[0]!.getAttribute('aria-current')).to.equal('step');
    expect(li.slice(1).every((x) => !x.hasAttribute('aria-current'))).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('marks zip and weight done once Bob asked for quotes, quote active', async () => {
    const el = await tracker(stateOf([started(), quotesReady()]));
    const li = items(el);
    expect(li.map((x) => x.className)).to.deep.equal(['done', 'done', 'active', 'pending', 'pending']);
    expect(li[0]!.querySelector('svg')).to.exist;
    expect(li[2]!.getAttribute('aria-current')).to.equal('step');
    await expect(el).to.be.accessible();
  });

  it('is all done after the label', async () => {
    const el = await tracker(stateOf([started(), quotesReady(), selected(), labelCreated()]));
    expect(items(el).every((x) => x.className === 'done')).to.equal(true);
    expect(el.shadowRoot!.querySelector('[aria-current]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('names the parcel in its last step: label ready, in transit, delivered, or voided', async () => {
    const bought = [started(), quotesReady(), selected(), labelCreated()];
    const last = async (state: ReturnType<typeof stateOf>) => {
      const li = items(await tracker(state));
      return li[li.length - 1]!.querySelector('.name')!.textContent!.trim();
    };
    expect(await last(stateOf(bought))).to.equal('Label ready');
    const moving = tracked([trackingEvent(1, 'pre_transit', 'Label created'), trackingEvent(2, 'in_transit', 'Accepted')]);
    expect(await last(stateOf([...bought, moving]))).to.equal('In transit');
    expect(await last(stateOf([...bought, moving, tracked([trackingEvent(3, 'delivered', 'Delivered')])]))).to.equal('Delivered');
    const el = await tracker(stateOf([...bought, voided()]));
    expect(items(el)[4]!.querySelector('.name')!.textContent!.trim()).to.equal('Voided');
    await expect(el).to.be.accessible();
  });
});
