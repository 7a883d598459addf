/**
 * SDK mode's mic button against the real BFF (attach mode runs against ElevenLabs' real
 * <elevenlabs-convai> in test/voice/attach-mode.test.ts).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { testInfo, type TestInfo } from '../test/bff.ts';
import '../shipvox-companion.ts';
import type { ShipvoxCompanion } from '../shipvox-companion.ts';

const shadow = (el: Element) => el.shadowRoot!;

describe('SDK mode (<shipvox-companion voice="sdk">) against the real BFF', function () {
  this.timeout(40_000);
  let info: TestInfo;
  before(async function () {
    info = await testInfo();
    if (!info.bff) this.skip();
  });
  beforeEach(() => sessionStorage.clear());

  it('SDK mode: the mic button is a keyboard-operable toggle and reports a failed start (voice not configured here) as an error', async () => {
    const el = await fixture<ShipvoxCompanion>(
      html`<shipvox-companion voice="sdk" endpoint=${info.bff!} publishable-key=${info.publishableKey} storage-key="sdk"></shipvox-companion>`,
    );
    await waitUntil(() => el.connection === 'online', 'never online', { timeout: 10_000 });
    await el.updateComplete;
    const mic = shadow(el).querySelector<HTMLButtonElement>('[part="voice"]')!;
    expect(mic.tagName).to.equal('BUTTON');
    expect(mic.getAttribute('aria-pressed')).to.equal('false');
    expect(mic.dataset.state).to.equal('idle');
    expect(mic.disabled).to.equal(false);
    await expect(el).to.be.accessible();

    mic.focus();
    mic.click();
    await waitUntil(() => mic.dataset.state === 'error', 'no error state', { timeout: 10_000 });
    expect(mic.getAttribute('aria-pressed')).to.equal('false');
    // The live region appends each announcement: the last one is the failure.
    expect([...shadow(el).querySelectorAll('[aria-live] p')].at(-1)!.textContent).to.match(/^Voice failed/);
    await expect(el).to.be.accessible();
    el.remove();
  });
});
