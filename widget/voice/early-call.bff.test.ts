/**
 * A voice call that starts before the widget has its session (attach mode, against the real BFF):
 * the session_id dynamic variable is read when the conversation sends it (after the token
 * exchange), never the empty id of the moment of the click, and a client tool called meanwhile
 * runs on that session once the socket is up.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { testInfo, type TestInfo } from '../test/bff.ts';
import '../shipvox-companion.ts';
import type { ShipvoxCompanion } from '../shipvox-companion.ts';

interface CallConfig {
  clientTools?: Record<string, (parameters: Record<string, unknown>) => Promise<string>>;
  dynamicVariables?: Record<string, unknown>;
}

describe('a call before the widget has its session', function () {
  this.timeout(30_000);
  let info: TestInfo;
  before(async function () {
    info = await testInfo();
    if (!info.bff) this.skip();
  });

  it('carries the session id the widget gets, and runs its early tool call on that session', async () => {
    sessionStorage.clear();
    const root = document.createElement('div');
    const bob = document.createElement('div');
    bob.id = 'bob-early';
    const el = document.createElement('shipvox-companion') as ShipvoxCompanion;
    for (const [k, v] of Object.entries({ 'voice-agent': '#bob-early', endpoint: info.bff!, 'publishable-key': info.publishableKey, 'storage-key': 'early', locale: 'en-US' })) {
      el.setAttribute(k, v);
    }
    root.append(bob, el);
    document.body.append(root);
    // The click, at once: the widget has no session yet.
    const config: CallConfig = { dynamicVariables: { user_name: 'Ana' } };
    bob.dispatchEvent(new CustomEvent('elevenlabs-convai:call', { bubbles: true, composed: true, detail: { config } }));
    expect(el.sessionId).to.equal(null);
    const answer = config.clientTools!.get_session_state!({});

    await waitUntil(() => el.connection === 'online', 'never online', { timeout: 10_000 });
    // What the voice SDK serialises when it starts the conversation.
    expect(JSON.parse(JSON.stringify(config.dynamicVariables))).to.deep.equal({ user_name: 'Ana', session_id: el.sessionId });
    expect(el.sessionId).to.match(/.+/);
    expect(await answer).to.be.a('string');
    await waitUntil(() => el.state.last_result?.tool_name === 'get_session_state', 'the early call is not in this session', { timeout: 10_000 });
    root.remove();
  });
});
