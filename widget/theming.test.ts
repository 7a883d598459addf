/**
 * Theming as documented: ::part() reaches the cards, Select buttons and the label panel's insides;
 * a dark scheme by attribute or by prefers-color-scheme (theme="auto"); a hostile host stylesheet
 * does not reach into the shadow trees.
 */
import { expect, html } from '@open-wc/testing';
import { animationsDone, labelCreated, logged, quotesReady, selected, started, toolResult } from './test/fixtures.ts';
import { overflow, showFlow } from './test/layout.ts';
import { connected, deepElements, emulateFeatures, settled, useScriptedServer } from './test/mount.ts';
import type { ShipvoxCompanion } from './shipvox-companion.ts';

const find = (el: Element, selector: string) => deepElements(el.shadowRoot!).find((e) => e.matches(selector))!;

function pageStyle(text: string): () => void {
  const style = document.createElement('style');
  style.textContent = text;
  document.head.append(style);
  return () => style.remove();
}

describe('theming', () => {
  useScriptedServer();
  let cleanup: (() => void) | null = null;
  afterEach(async () => {
    cleanup?.();
    cleanup = null;
    await emulateFeatures([]);
  });
  const mount = (theme?: string) =>
    connected(html`<shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="en-US" theme=${theme ?? ''}></shipvox-companion>`);

  async function withQuotes(el: ShipvoxCompanion, socket: { receive(f: object): void }, label = false) {
    const events = [started(), quotesReady(), toolResult(), selected('q_2')];
    if (label) events.push(labelCreated());
    for (const e of logged(events)) socket.receive(e);
    await settled(el);
    await animationsDone();
  }

  it('reaches every documented part with ::part()', async () => {
    const parts = ['quote-card', 'select-button', 'list', 'steps', 'step', 'header'];
    const labelParts = ['label', 'label-panel', 'tracking', 'preview', 'actions', 'email-form'];
    cleanup = pageStyle([...parts, ...labelParts].map((p) => `shipvox-companion::part(${p}) { outline: 3px dotted rgb(1, 2, 3); }`).join('\n'));
    const { el, socket } = await mount();
    await withQuotes(el, socket);
    const outlined = (part: string) => getComputedStyle(find(el, `[part~="${part}"]`)).outlineColor;
    for (const part of ['card', 'select-button', 'list', 'steps', 'step', 'header']) expect(outlined(part), part).to.equal('rgb(1, 2, 3)');
    socket.receive(logged([labelCreated()], 4)[0]!);
    await settled(el);
    await animationsDone();
    for (const part of ['label', 'panel', 'tracking', 'preview', 'actions', 'email-form']) expect(outlined(part), part).to.equal('rgb(1, 2, 3)');
    await expect(el).to.be.accessible();
  });

  const surface = (el: ShipvoxCompanion) => getComputedStyle(find(el, '.base')).backgroundColor;

  it('is dark with theme="dark", its parts too', async () => {
    const { el, socket } = await mount('dark');
    await withQuotes(el, socket);
    expect(surface(el)).to.equal('rgb(21, 27, 43)');
    expect(getComputedStyle(find(find(el, 'shipvox-quote-card'), '.card')).backgroundColor, 'the parts follow').to.equal('rgb(21, 27, 43)');
    await expect(el).to.be.accessible();
  });

  it('is dark with theme="auto" when the shopper prefers dark', async () => {
    await emulateFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    const { el, socket } = await mount('auto');
    await withQuotes(el, socket, true);
    expect(surface(el)).to.equal('rgb(21, 27, 43)');
    await expect(el).to.be.accessible();
  });

  it('stays light without a theme even when the shopper prefers dark', async () => {
    await emulateFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    const { el } = await mount();
    expect(surface(el)).to.equal('rgb(255, 255, 255)');
    await expect(el).to.be.accessible();
  });

  it('keeps a page\'s own --shipvox-* over the dark theme', async () => {
    cleanup = pageStyle('shipvox-companion { --shipvox-surface: rgb(40, 0, 0); }');
    const { el } = await mount('dark');
    expect(getComputedStyle(find(el, '.base')).backgroundColor).to.equal('rgb(40, 0, 0)');
    await expect(el).to.be.accessible();
  });

  it('shrugs off a hostile host stylesheet (* { font: 20px serif; box-sizing: content-box })', async () => {
    cleanup = pageStyle('* { font: 20px serif; box-sizing: content-box; }');
    const { el, socket } = await connected(
      html`<div style="width: 320px"><shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="en-US"></shipvox-companion></div>`,
    );
    await showFlow(el, socket, true);
    const title = getComputedStyle(find(el, 'h2'));
    expect(title.fontFamily).to.not.equal('serif');
    expect(getComputedStyle(find(el, 'input')).boxSizing).to.equal('border-box');
    expect(overflow(el)).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });
});
