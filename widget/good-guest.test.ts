/**
 * A good guest on the host page: the console's shortcut only while the focus is inside the widget
 * (or with dev-shortcut="page"), Escape closes the console, and every target is at least 24 × 24 px.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { nothing } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import './components/connection-banner.ts';
import './components/label-panel.ts';
import type { ShipvoxConnectionBanner } from './components/connection-banner.ts';
import { animationsDone, label, logged, quotesReady, started, toolResult } from './test/fixtures.ts';
import { connected, deepActive, deepElements, settled, useScriptedServer } from './test/mount.ts';
import type { ShipvoxCompanion } from './shipvox-companion.ts';

async function chord(...keys: string[]) {
  for (const k of keys.slice(0, -1)) await sendKeys({ down: k });
  await sendKeys({ press: keys[keys.length - 1]! });
  for (const k of keys.slice(0, -1).reverse()) await sendKeys({ up: k });
}

/** Every focusable target below `root` smaller than 24 × 24 px. */
function smallTargets(root: Element): string[] {
  return deepElements(root.shadowRoot!)
    .filter((e) => e.matches('button, a[href], input, select, summary'))
    .map((e) => [e, e.getBoundingClientRect()] as const)
    .filter(([, r]) => r.width < 24 || r.height < 24)
    .map(([e, r]) => `<${e.localName}> "${e.textContent!.trim().slice(0, 20)}" ${r.width.toFixed(1)}×${r.height.toFixed(1)}`);
}

describe('a good guest on the host page', () => {
  useScriptedServer();
  const mount = ({ shortcut, devConsole = false }: { shortcut?: string; devConsole?: boolean } = {}) =>
    connected(
      html`<div><input aria-label="Host page search" /><shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" dev-shortcut=${shortcut ?? nothing} ?dev-console=${devConsole}></shipvox-companion></div>`,
    );
  let prevented: boolean[];
  const record = (e: KeyboardEvent) => e.code === 'KeyD' && prevented.push(e.defaultPrevented);
  /** Records, after the widget's own window listener, whether each D key press was taken from the page. */
  const watchKeys = () => {
    prevented = [];
    window.addEventListener('keydown', record);
  };
  afterEach(() => window.removeEventListener('keydown', record));

  it('leaves Alt+D and Ctrl+Shift+D to the page while the shopper types in its own fields', async () => {
    const { el } = await mount();
    watchKeys();
    el.parentElement!.querySelector('input')!.focus();
    await chord('Alt', 'KeyD');
    await chord('Control', 'Shift', 'KeyD');
    await el.updateComplete;
    expect(el.devConsole).to.equal(false);
    expect(prevented).to.deep.equal([false, false]);
    expect(document.activeElement).to.equal(el.parentElement!.querySelector('input'));
    await expect(el).to.be.accessible();
  });

  it('opens the console from inside the widget; Escape closes it and the focus returns to the widget', async () => {
    const { el } = await mount();
    watchKeys();
    el.shadowRoot!.querySelector<HTMLElement>('h2')!.focus();
    await chord('Alt', 'KeyD');
    await el.updateComplete;
    expect(el.devConsole).to.equal(true);
    expect(prevented).to.deep.equal([true]);
    const consoleEl = el.shadowRoot!.querySelector('shipvox-dev-console')!;
    await customElements.whenDefined('shipvox-dev-console');
    await consoleEl.updateComplete;
    consoleEl.shadowRoot!.querySelector('button')!.focus();
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !el.shadowRoot!.querySelector('shipvox-dev-console'));
    await el.updateComplete;
    expect(el.devConsole).to.equal(false);
    expect(deepActive()?.localName, 'focus back on the widget title').to.equal('h2');
  });

  it('takes the shortcut anywhere with dev-shortcut="page"', async () => {
    const { el } = await mount({ shortcut: 'page' });
    el.parentElement!.querySelector('input')!.focus();
    await chord('Control', 'Shift', 'KeyD');
    await el.updateComplete;
    expect(el.devConsole).to.equal(true);
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('gives every target at least 24 × 24 px: cards, banner dismiss and retry, label actions, tracking link, console', async () => {
    const { el, socket } = await mount({ devConsole: true });
    for (const e of logged([started(), quotesReady(), toolResult()])) socket.receive(e);
    await settled(el);
    expect(smallTargets(el)).to.deep.equal([]);
    socket.receive(logged([{ type: 'label_created', label: label() }], 3)[0]!);
    await settled(el);
    expect(smallTargets(el), 'label panel').to.deep.equal([]);
    await animationsDone();
    await expect(el).to.be.accessible();

    const problem = { code: 'origin_not_allowed', message: 'This page is not allowed to connect.', fatal: true };
    for (const banner of [
      html`<shipvox-connection-banner status="online" .notice=${'not_resumed'}></shipvox-connection-banner>`,
      html`<shipvox-connection-banner status="stopped" .problem=${problem}></shipvox-connection-banner>`,
    ]) {
      const b = await fixture<ShipvoxConnectionBanner>(banner);
      expect(b.shadowRoot!.querySelector('button')).to.exist;
      expect(smallTargets(b)).to.deep.equal([]);
      await expect(b).to.be.accessible();
    }
  });
});
