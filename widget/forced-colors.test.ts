/**
 * Forced colours (Windows High Contrast) emulated through CDP: the focus ring, the selected card and
 * the step bars stay visible when the page's colours and shadows are replaced by system colours.
 * Also the default focus ring: a solid ring in the accent colour (≥ 3:1 on white), not a 35% tint.
 */
import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { animationsDone, logged, quotesReady, selected, started, toolResult } from './test/fixtures.ts';
import { connected, deepElements, emulateFeatures, settled, useScriptedServer } from './test/mount.ts';

const find = (root: Element, selector: string) => deepElements(root.shadowRoot!).filter((e) => e.matches(selector));

/** The system colour Canvas resolves to right now. */
function canvas(): string {
  const probe = document.createElement('div');
  probe.style.background = 'Canvas';
  document.body.append(probe);
  const color = getComputedStyle(probe).backgroundColor;
  probe.remove();
  return color;
}

/** Whether the element draws anything of its own besides Canvas: a non-Canvas fill, or a border. */
const drawn = (el: Element) => {
  const s = getComputedStyle(el);
  return s.backgroundColor !== canvas() || (s.borderTopStyle !== 'none' && parseFloat(s.borderTopWidth) > 0);
};

describe('forced colours and the focus ring', () => {
  useScriptedServer();
  afterEach(() => emulateFeatures([]));

  async function flow() {
    const { el, socket } = await connected(html`<shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="en-US"></shipvox-companion>`);
    for (const e of logged([started(), quotesReady(), toolResult(), selected('q_2')])) socket.receive(e);
    await settled(el);
    await animationsDone();
    return el;
  }

  it('keeps focus, selection and the step bars visible under forced-colors: active', async () => {
    await emulateFeatures([{ name: 'forced-colors', value: 'active' }]);
    expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
    const el = await flow();

    const buttons = find(el, 'button[part="select-button"]') as HTMLButtonElement[];
    buttons[0]!.focus();
    await sendKeys({ press: 'Shift' }); // keyboard modality, so :focus-visible applies
    const focused = getComputedStyle(buttons[0]!);
    expect(buttons[0]!.matches(':focus-visible')).to.equal(true);
    expect(focused.outlineStyle).to.equal('solid');
    expect(parseFloat(focused.outlineWidth)).to.be.at.least(2);

    const [first, second] = find(el, '.card');
    const look = (card: Element) => {
      const s = getComputedStyle(card);
      return `${s.borderTopWidth} ${s.borderTopColor} ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`;
    };
    expect(look(second!), 'the selected card differs from the others').to.not.equal(look(first!));

    const bars = find(el, '.bar');
    expect(bars).to.have.length(5);
    for (const bar of bars) expect(drawn(bar), `step bar ${bar.parentElement!.className}`).to.equal(true);
    const fill = (i: number) => getComputedStyle(bars[i]!).backgroundColor;
    expect(fill(0), 'a done step is filled, a pending one is not').to.not.equal(fill(4));
    await expect(el).to.be.accessible();
  });

  it('draws the default focus ring solid in the accent colour', async () => {
    const el = await flow();
    const button = find(el, 'button[part="select-button"]')[0] as HTMLButtonElement;
    button.focus();
    await sendKeys({ press: 'Shift' });
    const style = getComputedStyle(button);
    expect(style.outlineStyle).to.equal('solid');
    expect(style.outlineColor).to.equal('rgb(79, 70, 229)');
    await expect(el).to.be.accessible();
  });
});
