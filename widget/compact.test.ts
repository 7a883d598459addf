/** Compact mode: a launcher button with the step and status that opens the card and closes it again, by keyboard. */
import { expect, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { animationsDone, logged, quotesReady, started, toolResult } from './test/fixtures.ts';
import { overflow } from './test/layout.ts';
import { connected, deepActive, settled, useScriptedServer } from './test/mount.ts';

describe('compact mode', () => {
  useScriptedServer();

  it('shows a launcher with the step and status, opens the card and closes it with the focus kept', async () => {
    const { el, socket } = await connected(
      html`<div style="width: 280px"><shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="en-US" compact></shipvox-companion></div>`,
    );
    const launcher = () => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="launcher"]');
    expect(launcher()!.getAttribute('aria-expanded')).to.equal('false');
    expect(launcher()!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Shipping assistant ZIP codes Live');
    expect(el.shadowRoot!.querySelector('.base')).to.equal(null);
    expect(overflow(el)).to.deep.equal([]);
    await expect(el).to.be.accessible();

    for (const e of logged([started(), quotesReady(), toolResult()])) socket.receive(e);
    await settled(el);
    expect(launcher()!.textContent, 'the launcher follows the step').to.contain('Choose a rate');
    expect(el.shadowRoot!.querySelector('[aria-live]')!.textContent, 'announced while minimised').to.contain('3 shipping options ready');

    launcher()!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.expanded && deepActive()?.localName === 'h2', 'opened with the focus on the title');
    expect(el.hasAttribute('expanded')).to.equal(true);
    await settled(el);
    await animationsDone();
    const minimise = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="minimise"]')!;
    expect(minimise.getAttribute('aria-expanded')).to.equal('true');
    expect(el.shadowRoot!.querySelector('shipvox-quote-list')).to.exist;
    expect(overflow(el)).to.deep.equal([]);
    await expect(el).to.be.accessible();

    minimise.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !el.expanded && deepActive() === launcher(), 'closed with the focus on the launcher');
    await expect(el).to.be.accessible();
  });
});
