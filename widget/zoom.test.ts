/**
 * Reflow at 400% browser zoom (WCAG 1.4.10): a 1280 × 1024 window at 400% is a 320 × 256 CSS px
 * viewport at a device pixel ratio of 4. The widget, placed on a page as a host would place it,
 * never makes the page scroll sideways and no part of it spills, from the quotes through the
 * address and summary cards to the label and its tracking.
 */
import { expect, html } from '@open-wc/testing';
import { ADDRESS, animationsDone, label, labelCreated, logged, quotesTo, recipientSet, selected, started, toolResult, tracked, trackingEvent } from './test/fixtures.ts';
import { LONG_SERVICE, nineQuotes, overflow } from './test/layout.ts';
import { connected, emulateZoom, settled, useScriptedServer } from './test/mount.ts';

const quotesWithLongName = () => ({ ...quotesTo({ city: 'New York', state: 'NY' }), quotes: nineQuotes() });

const STATES = [
  { name: 'nine quotes, one selected, the address card', part: 'shipvox-address-card', events: () => [started(), quotesWithLongName(), toolResult(), selected('q_5')] },
  {
    name: 'the recipient set and the summary to confirm',
    part: 'shipvox-summary-card',
    events: () => [started(), quotesWithLongName(), toolResult(), selected('q_5'), recipientSet({ ...ADDRESS, name: 'Maximiliane Alexandra Wolfeschlegelsteinhausen-Bergerdorff' })],
  },
  {
    name: 'the label and its tracking',
    part: 'shipvox-label-panel',
    events: () => [
      started(),
      quotesWithLongName(),
      toolResult(),
      selected('q_5'),
      recipientSet(),
      labelCreated(label({ quote_id: 'q_5', service: LONG_SERVICE })),
      tracked([trackingEvent(1, 'pre_transit', 'Label created, awaiting pickup'), trackingEvent(2, 'in_transit', 'Departed the sorting facility in Reno')]),
    ],
  },
];

describe('400% browser zoom', () => {
  useScriptedServer();
  before(() => emulateZoom({ width: 1280, height: 1024, zoom: 4 }));
  after(() => emulateZoom());

  for (const state of STATES) {
    it(`${state.name}: the page does not scroll sideways and nothing spills`, async () => {
      expect([window.innerWidth, window.devicePixelRatio], 'the zoom is emulated').to.deep.equal([320, 4]);
      const { el, socket } = await connected(html`<shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="en-US"></shipvox-companion>`);
      for (const e of logged(state.events())) socket.receive(e);
      await settled(el);
      await animationsDone();
      expect(el.shadowRoot!.querySelector(state.part), state.part).to.exist;
      const page = document.scrollingElement!;
      expect(page.scrollWidth, 'the page scrolls sideways').to.be.at.most(page.clientWidth);
      expect(overflow(el)).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });
  }
});
