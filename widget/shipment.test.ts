/** The shipment's lazily loaded elements inside <shipvox-companion>: loaded with the quotes, acting through the widget's session. */
import { expect, html } from '@open-wc/testing';
import { requestAction } from './components/shipment-intent.ts';
import { animationsDone, logged, quotesReady, started, toolResult } from './test/fixtures.ts';
import { connected, settled, useScriptedServer } from './test/mount.ts';
import type { ShipvoxCompanion } from './shipvox-companion.ts';

describe('shipment elements in <shipvox-companion>', () => {
  useScriptedServer();
  const mount = () => connected(html`<shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="en-US"></shipvox-companion>`);
  const part = (el: ShipvoxCompanion, tag: string) => el.shadowRoot!.querySelector(tag)!;

  it('are defined once the quotes arrive, and the address card is on screen with them', async () => {
    const { el, socket } = await mount();
    expect(part(el, 'shipvox-address-card'), 'no card before quotes').to.equal(null);
    for (const e of logged([started(), quotesReady(), toolResult()])) socket.receive(e);
    // The chunk's first load is transformed on the fly by the test server: wait for the definition itself, not a 1 s poll.
    await customElements.whenDefined('shipvox-address-card');
    await settled(el);
    expect(part(el, 'shipvox-address-card').shadowRoot, 'upgraded').to.exist;
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('send the UI action through the outbox and tell Bob only once the BFF took it', async () => {
    const { el, socket } = await mount();
    for (const e of logged([started(), quotesReady(), toolResult()])) socket.receive(e);
    await settled(el);
    const card = part(el, 'shipvox-quote-list');
    const reply = requestAction(card, { action: { action: 'select_quote', quote_id: 'q_2' }, tell: 'The shopper did something on screen.' });
    const [action] = socket.sentOfType('ui_action');
    expect(action).to.deep.include({ action: 'select_quote', quote_id: 'q_2' });
    expect(socket.sentOfType('contextual_update'), 'nothing told before the ack').to.have.length(0);
    socket.receive({ type: 'ack', client_msg_id: action!.client_msg_id });
    expect((await reply).client_msg_id).to.equal(action!.client_msg_id);
    expect(socket.sentOfType('contextual_update').map((f) => f.text)).to.deep.equal(['The shopper did something on screen.']);
  });

  it('reject with the BFF refusal and tell Bob nothing', async () => {
    const { el, socket } = await mount();
    for (const e of logged([started(), quotesReady(), toolResult()])) socket.receive(e);
    await settled(el);
    const reply = requestAction(part(el, 'shipvox-quote-list'), { action: { action: 'select_quote', quote_id: 'q_9' }, tell: 'never said' });
    const [action] = socket.sentOfType('ui_action');
    socket.receive({ type: 'error', code: 'not_found', message: 'That option is not on screen.', ref: action!.client_msg_id, retryable: false });
    const error = await reply.then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.equal('That option is not on screen.');
    expect(socket.sentOfType('contextual_update')).to.have.length(0);
  });
});
