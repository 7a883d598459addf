/**
 * Reflow: at 280, 320 and 420 px, at 100% and 200% text, with nine quotes (one with a 120-character
 * service name), a selected quote, and a label, no part of the widget is wider than its box and
 * nothing crosses the card's edge (scrollWidth against clientWidth of every element, every shadow root).
 */
import { expect, html } from '@open-wc/testing';
import { overflow, showFlow } from './test/layout.ts';
import { connected, useScriptedServer } from './test/mount.ts';

describe('layout at narrow widths and large text', () => {
  useScriptedServer();
  afterEach(() => {
    document.documentElement.style.fontSize = '';
  });

  for (const text of ['100%', '200%']) {
    for (const width of [280, 320, 420]) {
      for (const withLabel of [false, true]) {
        it(`${width} px, ${text} text, ${withLabel ? 'the label' : 'nine quotes, one selected'}: nothing overflows`, async () => {
          document.documentElement.style.fontSize = text;
          const { el, socket } = await connected(
            html`<div style="width: ${width}px"><shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="en-US"></shipvox-companion></div>`,
          );
          await showFlow(el, socket, withLabel);
          expect(el.shadowRoot!.querySelector(withLabel ? 'shipvox-label-panel' : 'shipvox-quote-list')).to.exist;
          expect(overflow(el)).to.deep.equal([]);
          await expect(el).to.be.accessible();
        });
      }
    }
  }
});
