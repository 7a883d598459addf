/** Keyboard focus after each action: Select (pending, then selected), the label replacing the quotes. */
import { expect, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { animationsDone, labelCreated, logged, quotesReady, selected, started, toolResult } from './test/fixtures.ts';
import { connected, deepActive, deepElements, settled, useScriptedServer } from './test/mount.ts';
import type { ShipvoxCompanion } from './shipvox-companion.ts';

const selectButton = (el: ShipvoxCompanion, option: number) =>
  deepElements(el.shadowRoot!).find((e) => e.matches(`button[part="select-button"][aria-label*="option ${option},"]`)) as HTMLButtonElement;

describe('focus', () => {
  useScriptedServer();
  const mount = () =>
    connected(html`<div><input aria-label="Host page field" /><shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="en-US"></shipvox-companion></div>`);

  it('stays on Select while the choice is pending and after it is confirmed, then moves to the label', async () => {
    const { el, socket } = await mount();
    for (const e of logged([started(), quotesReady(), toolResult()])) socket.receive(e);
    await settled(el);
    const button = selectButton(el, 2);
    button.focus();
    await sendKeys({ press: 'Enter' });
    await settled(el);
    expect(button.getAttribute('aria-disabled'), 'pending').to.equal('true');
    expect(deepActive(), 'while pending').to.equal(button);
    await sendKeys({ press: 'Enter' }); // a second press while pending sends nothing more
    const [action, ...more] = socket.sentOfType('ui_action');
    expect(more).to.have.length(0);
    socket.receive({ type: 'ack', client_msg_id: action!.client_msg_id });
    socket.receive(logged([selected('q_2')], 3)[0]!);
    await waitUntil(() => button.getAttribute('aria-pressed') === 'true');
    expect(deepActive(), 'after the ack').to.equal(button);

    socket.receive(logged([labelCreated()], 4)[0]!);
    await waitUntil(() => deepActive()?.localName === 'h3', 'focus on the label heading');
    expect(deepActive()!.textContent).to.contain('Label ready');
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('leaves the focus where it is on the host page when the label arrives', async () => {
    const { el, socket } = await mount();
    const input = el.parentElement!.querySelector('input')!;
    for (const e of logged([started(), quotesReady(), toolResult(), selected('q_2')])) socket.receive(e);
    await settled(el);
    input.focus();
    socket.receive(logged([labelCreated()], 4)[0]!);
    await settled(el);
    expect(el.shadowRoot!.querySelector('shipvox-label-panel')).to.exist;
    expect(document.activeElement).to.equal(input);
    await animationsDone();
    await expect(el).to.be.accessible();
  });
});
