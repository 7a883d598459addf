import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { FakeSocket, fakeExchange, session, welcome } from './test/fakes.ts';
import { animationsDone } from './test/fixtures.ts';
import { SESSION_ID, label, logged, quotesReady, selected, started, toolResult } from './test/fixtures.ts';
import { connected as mount, useScriptedServer } from './test/mount.ts';
import { ShipvoxCompanion } from './shipvox-companion.ts';

const shadow = (el: Element) => el.shadowRoot!;
async function ctrlShiftD() {
  await sendKeys({ down: 'Control' });
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: 'KeyD' });
  await sendKeys({ up: 'Shift' });
  await sendKeys({ up: 'Control' });
}
const quoteCards = (el: ShipvoxCompanion) => [...shadow(shadow(el).querySelector('shipvox-quote-list')!).querySelectorAll('shipvox-quote-card')];

describe('<shipvox-companion> (scripted server)', () => {
  useScriptedServer();
  const connected = () => mount(html`<shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="en-US"></shipvox-companion>`);

  it('exposes sessionId, state and connection, and starts on the zip step', async () => {
    const { el } = await connected();
    expect(el.sessionId).to.equal(SESSION_ID);
    expect(el.connection).to.equal('online');
    expect(el.state.seq).to.equal(0);
    expect(shadow(el).textContent).to.contain('Tell Bob');
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('shows quotes as they arrive, fires shipvox-quotes-ready and onQuoteReady, announces them', async () => {
    const { el, socket } = await connected();
    let called = 0;
    el.onQuoteReady = () => called++;
    const ready = oneEvent(el, 'shipvox-quotes-ready');
    for (const e of logged([started(), quotesReady(), toolResult()])) socket.receive(e);
    const event = await ready;
    expect(event.detail.quotes.quotes).to.have.length(3);
    expect(event.composed).to.equal(true);
    expect(called).to.equal(1);
    await el.updateComplete;
    await waitUntil(() => quoteCards(el).length === 3);
    expect(shadow(el).querySelector('[aria-live="polite"]')!.textContent).to.contain('3 shipping options ready');
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('sends select_quote from the Select button and shows the selection from the server', async () => {
    const { el, socket } = await connected();
    for (const e of logged([started(), quotesReady(), toolResult()])) socket.receive(e);
    await waitUntil(() => quoteCards(el).length === 3);
    await quoteCards(el)[1]!.updateComplete;
    shadow(quoteCards(el)[1]!).querySelector('button')!.click();
    const [action] = socket.sentOfType('ui_action');
    expect(action).to.deep.include({ action: 'select_quote', quote_id: 'q_2' });
    socket.receive({ type: 'ack', client_msg_id: action!.client_msg_id });
    socket.receive(logged([selected('q_2')], 3)[0]!);
    await waitUntil(() => quoteCards(el)[1]!.selected);
    expect(shadow(el).querySelector('[aria-live="polite"]')!.textContent).to.contain('Option 2 selected');
  });

  it('shows the offline banner while disconnected and keeps the choice for later', async () => {
    const { el, socket } = await connected();
    for (const e of logged([started(), quotesReady(), toolResult()])) socket.receive(e);
    socket.serverClose(1006);
    await el.updateComplete;
    const banner = () => shadow(shadow(el).querySelector('shipvox-connection-banner')!).textContent!;
    await waitUntil(() => banner().includes('Offline — your choices will be sent when we reconnect'));
    expect(el.connection).to.equal('offline');
    await waitUntil(() => quoteCards(el).length === 3);
    await quoteCards(el)[0]!.updateComplete;
    shadow(quoteCards(el)[0]!).querySelector('button')!.click();
    await waitUntil(() => banner().includes('(1 waiting)'));
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('shows the label panel and fires shipvox-label-created', async () => {
    const { el, socket } = await connected();
    const created = oneEvent(el, 'shipvox-label-created');
    for (const e of logged([started(), quotesReady(), toolResult(), selected(), { type: 'label_created', label: label() }])) socket.receive(e);
    expect((await created).detail.label.tracking_number).to.equal('1Z999AA10123456784');
    await el.updateComplete;
    expect(shadow(el).querySelector('shipvox-label-panel')).to.exist;
    expect(shadow(el).querySelector('shipvox-quote-list')).to.equal(null);
    expect(shadow(el).querySelector('[aria-live="polite"]')!.textContent).to.contain('Label created');
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('shows a tool error in the words Bob said it (one wording, from the BFF)', async () => {
    const { el, socket } = await connected();
    const failed = { ...toolResult(), is_error: true, result: 'Hmm, 1234 is not a ZIP code.', data: { code: 'invalid_zip' } };
    for (const e of logged([started(), failed])) socket.receive(e);
    await el.updateComplete;
    expect(shadow(el).querySelector('[part="error"]')!.textContent).to.equal('Bob: Hmm, 1234 is not a ZIP code.');
  });

  it('toggles the developer console with Ctrl+Shift+D and lists frames both ways', async () => {
    const { el } = await connected();
    expect(shadow(el).querySelector('shipvox-dev-console')).to.equal(null);
    shadow(el).querySelector<HTMLElement>('h2')!.focus();
    await ctrlShiftD();
    await el.updateComplete;
    expect(el.devConsole).to.equal(true);
    const consoleEl = shadow(el).querySelector('shipvox-dev-console')!;
    await customElements.whenDefined('shipvox-dev-console');
    await consoleEl.updateComplete;
    const types = [...shadow(consoleEl).querySelectorAll('summary')].map((s) => s.textContent!.replace(/\s+/g, ' ').trim());
    expect(types).to.deep.equal(['↑ hello', '↓ welcome', '↓ 0 snapshot']);
    await animationsDone();
    await expect(el).to.be.accessible();
    await ctrlShiftD();
    await el.updateComplete;
    expect(shadow(el).querySelector('shipvox-dev-console')).to.equal(null);
  });

  it('keeps two widgets apart (storage per element)', async () => {
    const exchange = fakeExchange((_b, n) => ({ status: 201, body: session(`ses_${n}`, n) }));
    ShipvoxCompanion.sessionOptions = { ...ShipvoxCompanion.sessionOptions, fetch: exchange.fetch };
    // Built by hand: fixture() on a plain <div> waits for an animation frame, which a background
    // test page (wtr runs two at once) may never get.
    const wrapper = document.createElement('div');
    wrapper.innerHTML = `
      <shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget"></shipvox-companion>
      <shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget"></shipvox-companion>`;
    document.body.append(wrapper);
    try {
      await waitUntil(() => FakeSocket.instances.length === 2);
      const storage = ShipvoxCompanion.sessionOptions.storage!;
      expect([storage.key(0), storage.key(1)].sort()).to.deep.equal(['shipvox-companion:http://bff.test:#0', 'shipvox-companion:http://bff.test:#1']);
      const [a, b] = wrapper.querySelectorAll('shipvox-companion');
      FakeSocket.instances.forEach((socket, i) => {
        socket.open();
        socket.receive(welcome(`ses_${i + 1}`));
      });
      expect([a!.sessionId, b!.sessionId].sort()).to.deep.equal(['ses_1', 'ses_2']);
    } finally {
      wrapper.remove();
    }
  });

  it('warns instead of throwing when defined twice', async () => {
    const { define } = await import('./define.ts');
    const warnings: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      define('shipvox-companion', class extends HTMLElement {});
    } finally {
      console.warn = original;
    }
    expect(String(warnings[0])).to.contain('already defined');
  });
});
