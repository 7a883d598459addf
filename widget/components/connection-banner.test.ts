import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import './connection-banner.ts';
import type { ShipvoxConnectionBanner } from './connection-banner.ts';

describe('<shipvox-connection-banner>', () => {
  it('explains the offline state and counts waiting choices', async () => {
    const el = await fixture<ShipvoxConnectionBanner>(html`<shipvox-connection-banner status="offline" .pendingActions=${2}></shipvox-connection-banner>`);
    expect(el.shadowRoot!.textContent).to.contain('Offline — your choices will be sent when we reconnect (2 waiting)');
    await expect(el).to.be.accessible();
  });

  it('announces a resumed session', async () => {
    const el = await fixture<ShipvoxConnectionBanner>(html`<shipvox-connection-banner status="online" .notice=${'resumed'}></shipvox-connection-banner>`);
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).to.contain('Reconnected to voice session');
    await expect(el).to.be.accessible();
  });

  it('says when the session could not be resumed, dismissible', async () => {
    const el = await fixture<ShipvoxConnectionBanner>(html`<shipvox-connection-banner status="online" .notice=${'not_resumed'}></shipvox-connection-banner>`);
    expect(el.shadowRoot!.textContent).to.contain('could not resume');
    const dismissed = oneEvent(el, 'notice-dismiss');
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Dismiss"]')!.click();
    await dismissed;
    await expect(el).to.be.accessible();
  });

  it('shows a fatal problem with a retry', async () => {
    const problem = { code: 'origin_not_allowed', message: 'This page is not allowed to connect.', fatal: true };
    const el = await fixture<ShipvoxConnectionBanner>(html`<shipvox-connection-banner status="stopped" .problem=${problem}></shipvox-connection-banner>`);
    expect(el.shadowRoot!.textContent).to.contain('not allowed');
    const retry = oneEvent(el, 'connection-retry');
    el.shadowRoot!.querySelector('button')!.click();
    await retry;
    await expect(el).to.be.accessible();
  });
});
