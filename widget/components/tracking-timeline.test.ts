import { expect, fixture, html } from '@open-wc/testing';
import type { SessionState } from '../../shared/session.ts';
import { label, labelCreated, quotesTo, selected, started, stateOf, trackingEvent, tracked } from '../test/fixtures.ts';
import './tracking-timeline.ts';
import type { ShipvoxTrackingTimeline } from './tracking-timeline.ts';

const bought = [started(), quotesTo(), selected('q_2'), labelCreated()];
const timeline = (state: SessionState) =>
  fixture<ShipvoxTrackingTimeline>(html`<shipvox-tracking-timeline .state=${state} locale="en-US"></shipvox-tracking-timeline>`);
const items = (el: ShipvoxTrackingTimeline) => [...el.shadowRoot!.querySelectorAll('li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());

describe('<shipvox-tracking-timeline>', () => {
  it('shows nothing before there are tracking events', async () => {
    const el = await timeline(stateOf(bought));
    expect(el.shadowRoot!.querySelector('ol')).to.equal(null);
  });

  it('lists the events newest first with time and place, grows live, and announces the newest', async () => {
    const el = await timeline(stateOf([...bought, tracked([trackingEvent(1, 'pre_transit', 'Label created')])]));
    expect(items(el)).to.have.length(1);
    el.state = stateOf([...bought, tracked([trackingEvent(1, 'pre_transit', 'Label created')]), tracked([trackingEvent(2, 'in_transit', 'Accepted at the carrier facility')])]);
    await el.updateComplete;
    const list = items(el);
    expect(list).to.have.length(2);
    expect(list[0]).to.match(/^Accepted at the carrier facility .*Reno, NV$/);
    expect(list[1]).to.match(/^Label created .*San Francisco, CA$/);
    expect(el.shadowRoot!.querySelector('time')!.getAttribute('datetime')).to.equal('2026-11-26T12:00:00.000Z');
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal('Tracking: Accepted at the carrier facility, Reno, NV.');
    await expect(el).to.be.accessible();
  });

  it("ignores tracking of another label than the session's", async () => {
    const el = await timeline(stateOf([...bought, tracked([trackingEvent(1, 'pre_transit', 'Label created')], 'lbl_other')]));
    expect(el.shadowRoot!.querySelector('ol')).to.equal(null);
    expect(label().label_id).to.equal('lbl_1');
  });
});
