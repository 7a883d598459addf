/**
 * Reflow: at 280, 320 and 420 px, at 100% and 200% text, with nine quotes (one with a 120-character
 * service name), a selected quote, and a label, no part of the widget is wider than its box and
 * nothing crosses the card's edge (scrollWidth against clientWidth of every element, every shadow root).
 */
import { expect, html } from '@open-wc/testing';
import { labelCreated, logged, quote, quotesReady, selected, started, toolResult, label, animationsDone } from './test/fixtures.ts';
import { connected, deepElements, settled, useScriptedServer } from './test/mount.ts';
import type { ShipvoxCompanion } from './shipvox-companion.ts';

export const LONG_SERVICE = 'Priority Overnight Signature Required Saturday Delivery Hold at Location DryIceDangerousGoodsInternationalPriorityFreight';

export const nineQuotes = () =>
  Array.from({ length: 9 }, (_, i) => quote(i + 1, { estimated_days: 1 + (i % 5), ...(i === 4 ? { service: LONG_SERVICE } : {}) }));

/** What spills: elements wider inside than their box, or reaching past the widget's edges. */
export function overflow(host: Element): string[] {
  const edge = host.getBoundingClientRect();
  const problems: string[] = [];
  for (const el of [host, ...deepElements(host.shadowRoot!)]) {
    // Visually hidden text is clipped on purpose.
    if (getComputedStyle(el).clipPath !== 'none' || (el.parentElement && getComputedStyle(el.parentElement).clipPath !== 'none')) continue;
    const name = `<${el.localName}${el.getAttribute('part') ? ` part=${el.getAttribute('part')}` : ''}${el.className && typeof el.className === 'string' ? ` class=${el.className}` : ''}>`;
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) problems.push(`${name} holds ${el.scrollWidth} px in ${el.clientWidth}`);
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.right > edge.right + 1 || box.left < edge.left - 1)) problems.push(`${name} spans ${box.left}–${box.right}, the widget ${edge.left}–${edge.right}`);
  }
  return problems;
}

export async function showFlow(el: ShipvoxCompanion, socket: { receive(frame: object): void }, withLabel: boolean) {
  const events = [started(), quotesReady('rq_1', nineQuotes()), toolResult(), selected('q_5')];
  if (withLabel) events.push(labelCreated(label({ quote_id: 'q_5', service: LONG_SERVICE })));
  for (const e of logged(events)) socket.receive(e);
  await settled(el);
  await animationsDone();
}

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
