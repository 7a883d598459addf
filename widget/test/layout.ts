/** Layout measurement shared by the layout and theming tests. */
import { label, labelCreated, logged, quote, quotesReady, selected, started, toolResult, animationsDone } from './fixtures.ts';
import { deepElements, settled } from './mount.ts';
import type { ShipvoxCompanion } from '../shipvox-companion.ts';

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
    // A text field scrolls a long value inside itself by design; its box is still checked below.
    const scrollsItsValue = el.localName === 'input' || el.localName === 'textarea';
    if (!scrollsItsValue && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) problems.push(`${name} holds ${el.scrollWidth} px in ${el.clientWidth}`);
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
