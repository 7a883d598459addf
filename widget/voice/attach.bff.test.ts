/**
 * Attach mode against the real BFF: a test-only stand-in for ElevenLabs' `<elevenlabs-convai>`
 * dispatches `elevenlabs-convai:call` the way the real widget does (a CustomEvent, bubbles and
 * composed, on the host, `detail.config` read back synchronously right after dispatch) and records
 * the `elevenlabs-agent:contextual-update` events the page sends it.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { animationsDone } from '../test/fixtures.ts';
import { testInfo, type TestInfo } from '../test/bff.ts';
import { TOOL_NAMES } from '../../shared/tool-names.ts';
import '../shipvox-companion.ts';
import type { ShipvoxCompanion } from '../shipvox-companion.ts';

interface CallConfig {
  clientTools?: Record<string, (parameters: Record<string, unknown>) => unknown>;
  dynamicVariables?: Record<string, unknown>;
  [key: string]: unknown;
}

class ConvaiStandIn extends HTMLElement {
  readonly updates: string[] = [];
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).innerHTML = '<button type="button">Call Bob</button>';
    this.addEventListener('elevenlabs-agent:contextual-update', (e) => this.updates.push((e as CustomEvent<{ message: string }>).detail.message));
  }

  /** What the real widget does right before Conversation.startSession. */
  startCall(): CallConfig {
    const config: CallConfig = { agentId: 'agent_x', dynamicVariables: { user_name: 'Ana' } };
    this.dispatchEvent(new CustomEvent('elevenlabs-convai:call', { bubbles: true, composed: true, detail: { config } }));
    return config; // read synchronously: an async listener would be too late
  }
}
if (!customElements.get('elevenlabs-convai')) customElements.define('elevenlabs-convai', ConvaiStandIn);

const shadow = (el: Element) => el.shadowRoot!;

describe('attach mode (<shipvox-companion voice-agent>) against the real BFF', function () {
  // Real tool runs through the simulator (its carriers answer in ~1.5 s) under a shared BFF.
  this.timeout(40_000);
  let info: TestInfo;
  before(async function () {
    info = await testInfo();
    if (!info.bff) this.skip();
  });
  beforeEach(() => sessionStorage.clear());

  it('gives the page\'s <elevenlabs-convai> the tools and session id, runs tools through the session, and tells Bob about screen choices', async () => {
    // Built by hand: fixture() on a plain element waits for an animation frame, which a background
    // test page never gets.
    const root = document.createElement('div');
    const bob = document.createElement('elevenlabs-convai') as ConvaiStandIn;
    bob.id = 'bob';
    const el = document.createElement('shipvox-companion') as ShipvoxCompanion;
    for (const [k, v] of Object.entries({ 'voice-agent': '#bob', endpoint: info.bff!, 'publishable-key': info.publishableKey, 'storage-key': 'attach', locale: 'en-US' })) {
      el.setAttribute(k, v);
    }
    root.append(bob, el);
    document.body.append(root);
    await el.updateComplete;
    await waitUntil(() => el.connection === 'online', 'never online', { timeout: 10_000 });

    const config = bob.startCall();
    expect(Object.keys(config.clientTools ?? {}).sort()).to.deep.equal([...TOOL_NAMES].sort());
    expect(config.dynamicVariables).to.deep.equal({ user_name: 'Ana', session_id: el.sessionId });
    expect(config.agentId).to.equal('agent_x');

    const result = await config.clientTools!.get_shipping_quotes!({ from_zip: '10001', to_zip: '94105', weight: 2, weight_unit: 'lb' });
    expect(result).to.be.a('string');
    expect(result).to.contain('Option 1');
    await waitUntil(() => el.state.quotes !== null, 'quotes not mirrored', { timeout: 10_000 });
    const first = el.state.quotes!.quotes[0]!;
    const list = shadow(el).querySelector('shipvox-quote-list')!;
    await waitUntil(() => shadow(list).querySelectorAll('shipvox-quote-card').length > 0, 'no cards');

    const state = await config.clientTools!.get_session_state!({});
    expect(state).to.be.a('string');

    // The shopper picks option 1 on screen: Bob hears it through the widget's event bridge.
    const card = shadow(list).querySelector('shipvox-quote-card')!;
    await card.updateComplete;
    shadow(card).querySelector('button')!.click();
    await waitUntil(() => bob.updates.length > 0, 'no contextual update dispatched', { timeout: 10_000 });
    expect(bob.updates[0]).to.contain(`option ${first.option}`);
    expect(bob.updates[0]).to.contain(first.carrier);

    // An email from the label panel: Bob hears that it went out, never the shopper's address.
    await config.clientTools!.create_label!({ quote_id: first.quote_id });
    await waitUntil(() => el.state.label !== null, 'label not mirrored', { timeout: 10_000 });
    await el.updateComplete;
    const panel = shadow(el).querySelector('shipvox-label-panel')!;
    panel.dispatchEvent(new CustomEvent('label-email', { detail: { label_id: el.state.label!.label_id, to: 'ana.shopper@example.com' } }));
    await waitUntil(() => bob.updates.some((u) => u.includes('emailed')), 'no email update', { timeout: 10_000 });
    expect(bob.updates.join(' ')).not.to.contain('ana.shopper');

    // A call on another <elevenlabs-convai> is none of this widget's business.
    const stranger = document.createElement('elevenlabs-convai') as ConvaiStandIn;
    root.append(stranger);
    expect(stranger.startCall().clientTools).to.equal(undefined);

    await animationsDone();
    await expect(el).to.be.accessible();
    root.remove();
  });

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
