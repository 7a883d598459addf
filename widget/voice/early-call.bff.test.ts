/**
 * A voice call that starts before the widget has its session (attach mode, against the real BFF,
 * the widget's token exchange held until the test lets it go): the call carries the widget's call
 * binding from the first moment (never an empty id), a webhook naming it meanwhile is told to wait
 * in words Bob can say, and once the exchange is through the binding runs webhook calls on the
 * widget's session, and the client tool called meanwhile runs on it too.
 * test/voice/early-call.test.ts plays the same with ElevenLabs' real element.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { bob, testInfo, type TestInfo } from '../test/bff.ts';
import '../shipvox-companion.ts';
import { ShipvoxCompanion } from '../shipvox-companion.ts';

interface CallConfig {
  clientTools?: Record<string, (parameters: Record<string, unknown>) => Promise<string>>;
  dynamicVariables?: Record<string, unknown>;
}

describe('a call before the widget has its session', function () {
  this.timeout(30_000);
  let info: TestInfo;
  const options = ShipvoxCompanion.sessionOptions;
  before(async function () {
    info = await testInfo();
    if (!info.bff) this.skip();
  });
  afterEach(() => (ShipvoxCompanion.sessionOptions = options));

  it('carries the call binding at once; the binding reaches the session the exchange makes, for webhooks and the early client tool', async () => {
    sessionStorage.clear();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let exchanges = 0;
    ShipvoxCompanion.sessionOptions = { ...options, fetch: async (input, init) => (exchanges++, await gate, fetch(input, init)) };
    const root = document.createElement('div');
    const agent = document.createElement('div');
    agent.id = 'bob-early';
    const el = document.createElement('shipvox-companion') as ShipvoxCompanion;
    for (const [k, v] of Object.entries({ 'voice-agent': '#bob-early', endpoint: info.bff!, 'publishable-key': info.publishableKey, 'storage-key': 'early', locale: 'en-US' })) {
      el.setAttribute(k, v);
    }
    root.append(agent, el);
    document.body.append(root);
    await waitUntil(() => exchanges === 1, 'the exchange never started');
    // The click while the exchange is held: the widget has no session yet.
    const config: CallConfig = { dynamicVariables: { user_name: 'Ana' } };
    agent.dispatchEvent(new CustomEvent('elevenlabs-convai:call', { bubbles: true, composed: true, detail: { config } }));
    expect(el.sessionId).to.equal(null);
    // What the voice SDK serialises when it starts the conversation: the binding, from the first moment.
    const sent = JSON.parse(JSON.stringify(config.dynamicVariables)) as { session_id: string };
    expect(sent.session_id).to.match(/^cb_[\w-]{22}$/);
    expect(sent).to.deep.equal({ user_name: 'Ana', session_id: sent.session_id });
    const early = config.clientTools!.get_session_state!({});
    const waiting = await bob('get_session_state', { session_id: sent.session_id });
    expect(waiting.error).to.equal('session_not_ready');
    expect(waiting.result).to.match(/still connecting/);

    release();
    await waitUntil(() => el.connection === 'online', 'never online', { timeout: 10_000 });
    expect(await early).to.be.a('string');
    await waitUntil(() => el.state.last_result?.tool_name === 'get_session_state', 'the early call is not in this session', { timeout: 10_000 });
    const quoted = await bob('get_shipping_quotes', { session_id: sent.session_id, from_zip: '10001', to_zip: '94105', weight: 2, weight_unit: 'lb' });
    expect(quoted.error).to.equal(undefined);
    await waitUntil(() => el.state.quotes !== null, 'the webhook call did not reach the widget\'s session', { timeout: 10_000 });
    // A call started later (after a reload, too) carries the same binding.
    const later: CallConfig = {};
    agent.dispatchEvent(new CustomEvent('elevenlabs-convai:call', { bubbles: true, composed: true, detail: { config: later } }));
    expect(later.dynamicVariables!.session_id).to.equal(sent.session_id);
    root.remove();
  });
});
