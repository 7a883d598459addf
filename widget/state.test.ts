/**
 * The screen tells the truth: an earlier error does not sit above "Label ready", the header goes
 * Offline with the browser, carriers missing from Bob's answer and the ZIPs/weight he heard are on
 * screen, and a refused key offers no "Try again" that cannot help.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import { ShipvoxCompanion } from './shipvox-companion.ts';
import { FakeSocket, fakeExchange, session, welcome } from './test/fakes.ts';
import { SESSION_ID, animationsDone, label, labelCreated, logged, quote, quotesReady, selected, started, stateOf, toolResult } from './test/fixtures.ts';
import { connected, deepElements, settled, useScriptedServer } from './test/mount.ts';

const text = (el: Element) => deepElements(el.shadowRoot!).map((e) => (e.shadowRoot ? '' : e.textContent)).join(' ').replace(/\s+/g, ' ');
const statusText = (el: ShipvoxCompanion) => el.shadowRoot!.querySelector('.status')!.textContent!.trim();
const buttonNamed = (el: Element, name: string) => deepElements(el.shadowRoot!).find((e): e is HTMLButtonElement => e.localName === 'button' && e.textContent!.trim() === name);

describe('state that does not lie', () => {
  useScriptedServer();
  const mount = () => connected(html`<shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="en-US"></shipvox-companion>`);

  it("drops Bob's earlier quote error once the label is bought", async () => {
    const { el, socket } = await mount();
    const failed = (id: string) => ({ ...toolResult(id), is_error: true, result: 'UPS did not answer; try again?', data: { code: 'carrier_unavailable' } });
    for (const e of logged([started(), quotesReady(), toolResult(), selected('q_2')])) socket.receive(e);
    await settled(el);
    // Bob asks again after the choice and that call fails: the error shows above the quotes…
    socket.receive(logged([started('tc_9')], 4)[0]!);
    socket.receive(logged([failed('tc_9')], 5)[0]!);
    await settled(el);
    expect(el.shadowRoot!.querySelector('[part="error"]')).to.exist;
    // …until the label is bought.
    socket.receive(logged([labelCreated(label())], 6)[0]!);
    await settled(el);
    expect(el.shadowRoot!.querySelector('shipvox-label-panel')).to.exist;
    expect(el.shadowRoot!.querySelector('[part="error"]'), 'no stale error above Label ready').to.equal(null);
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('says Offline when the browser goes offline, and Live when it is back', async () => {
    const { el } = await mount();
    expect(statusText(el)).to.equal('Live');
    const onLine = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine')!;
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    try {
      window.dispatchEvent(new Event('offline'));
      await waitUntil(() => statusText(el) === 'Offline');
      expect(text(el)).to.contain('Offline — your choices will be sent when we reconnect');
      await expect(el).to.be.accessible();
    } finally {
      delete (navigator as unknown as Record<string, unknown>).onLine;
      Object.defineProperty(Navigator.prototype, 'onLine', onLine);
    }
    window.dispatchEvent(new Event('online'));
    await waitUntil(() => statusText(el) === 'Live');
  });

  it('shows carriers missing from the answer and the ZIP codes and weight Bob heard', async () => {
    const { el, socket } = await mount();
    const ready = { ...quotesReady('rq_1', [quote(1), quote(3)]), missing_carriers: ['UPS'] };
    for (const e of logged([started(), ready, toolResult()])) socket.receive(e);
    await settled(el);
    const all = text(el);
    expect(all).to.contain('UPS did not answer in time: its prices are missing.');
    expect(all).to.contain('From 94105 to 10001 · 2 lb');
    expect(el.state.quotes!.missing_carriers).to.deep.equal(['UPS']);
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('offers no "Try again" when the key itself is refused', async () => {
    ShipvoxCompanion.sessionOptions = {
      ...ShipvoxCompanion.sessionOptions,
      fetch: fakeExchange(() => ({ status: 403, body: { error: { code: 'origin_not_allowed', message: 'Origin not allowed' } } })).fetch,
    };
    const errors: { retry?: false }[] = [];
    const div = document.createElement('div');
    div.innerHTML = '<shipvox-companion endpoint="http://bff.test" publishable-key="pk_wrong"></shipvox-companion>';
    div.addEventListener('shipvox-error', (e) => errors.push((e as CustomEvent).detail));
    document.body.append(div);
    try {
      const el = div.querySelector('shipvox-companion')!;
      await waitUntil(() => el.connection === 'stopped');
      await settled(el);
      expect(text(el)).to.contain('This page is not allowed to use the shipping assistant.');
      expect(deepElements(el.shadowRoot!).filter((e) => e.localName === 'button')).to.have.length(0);
      expect(errors.at(-1)!.retry).to.equal(false);
      expect(FakeSocket.instances).to.have.length(0);
      await expect(el).to.be.accessible();
    } finally {
      div.remove();
    }
  });

  it('says a restarted BFF dropped the queued choice, names it, and tells Bob the new session on request', async () => {
    // The memory store forgot the session: the resume token is refused (404), the key starts a new one.
    const exchanges = fakeExchange((body, n) =>
      body.resume_token ? { status: 404, body: { error: { code: 'session_not_found', message: 'Unknown session' } } } : { status: 201, body: session(n === 1 ? SESSION_ID : 'ses_new', n) },
    );
    ShipvoxCompanion.sessionOptions = { ...ShipvoxCompanion.sessionOptions, fetch: exchanges.fetch };
    const { el, socket } = await connected(
      html`<div><div id="bob"></div><shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" voice-agent="#bob" locale="en-US"></shipvox-companion></div>`,
    );
    for (const e of logged([started(), quotesReady(), toolResult()])) socket.receive(e);
    await settled(el);
    socket.serverClose(1012); // the BFF restarts
    await settled(el);
    buttonNamed(el, 'Select')!.click(); // queued while offline
    await waitUntil(() => FakeSocket.instances.length === 2);
    FakeSocket.last.open();
    FakeSocket.last.receive(welcome('ses_new'));
    FakeSocket.last.receive({ type: 'snapshot', seq: 0, state: { ...stateOf([]), session_id: 'ses_new' } });
    await waitUntil(() => text(el).includes('was not sent'));
    await settled(el);
    expect(el.sessionId).to.equal('ses_new');
    expect(FakeSocket.last.sentOfType('ui_action'), 'the dropped choice is not sent to the new session').to.have.length(0);
    expect(text(el)).to.contain('We could not resume your previous session, so a new one was started: tell Bob your choice again. Option 1 (USPS');
    await animationsDone();
    await expect(el).to.be.accessible();

    buttonNamed(el, 'Tell Bob the new session')!.click();
    await settled(el);
    // Logged for Bob (an attached element's call gets it through the attach chunk once it has started:
    // test/voice/attach-mode.test.ts runs that path against the real element).
    const told = FakeSocket.last.sentOfType('contextual_update').map((f) => f.text);
    expect(told).to.have.length(1);
    expect(told[0]).to.contain('session_id ses_new').and.contain('Option 1 (USPS');
    expect(text(el)).to.contain('Bob knows the new session now.');
    expect(text(el), 'the notice is done with').not.to.contain('was not sent');
    // A call Bob starts from now on carries the call binding the new session's exchange named (the BFF resolves it to ses_new).
    const config: Record<string, any> = {};
    el.ownerDocument.getElementById('bob')!.dispatchEvent(new CustomEvent('elevenlabs-convai:call', { bubbles: true, composed: true, detail: { config } }));
    expect(config.dynamicVariables.session_id).to.match(/^cb_/).and.equal(exchanges.bindings.at(-1));
    expect(exchanges.calls.at(-1)!.resume_token, 'the exchange that created ses_new').to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('shows the service chosen beside the ZIP codes and weight', async () => {
    const { el, socket } = await mount();
    for (const e of logged([started(), quotesReady(), toolResult(), { type: 'quote_selected', quote_id: 'q_2', by: 'agent' }])) socket.receive(e);
    await settled(el);
    const heard = deepElements(el.shadowRoot!).find((e) => e.getAttribute('part') === 'heard')!;
    expect(heard.textContent!.replace(/\s+/g, ' ')).to.contain('From 94105 to 10001 · 2 lb').and.contain('Chosen: option 2, UPS');
    await animationsDone();
    await expect(el).to.be.accessible();
  });
});
