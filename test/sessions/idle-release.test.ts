/** Idle sessions leave memory: their state is dropped from the service's cache and loaded again from the store on the next use. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { newSession, QUOTE_PARAMS, startBff, TestClient, webhook } from '../helpers/bff.ts';

it('releaseIdle drops sessions with no socket and no queued work, keeps the others, and a released one is served as before', async () => {
  const bff = await startBff({ env: { STORE: 'sqlite', DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-idle-')) } });
  try {
    const { sessions } = bff.companion.services;
    const idle = await newSession(bff);
    const watched = await newSession(bff);
    const busy = await newSession(bff);
    await webhook(bff, 'get_shipping_quotes', { session_id: idle.session_id, ...QUOTE_PARAMS });
    const ui = await TestClient.join(bff, watched, 'ui');
    let finish!: () => void;
    const queued = sessions.exclusive(busy.session_id, () => new Promise<void>((r) => (finish = r)));
    await sessions.state(busy.session_id);
    const before = await sessions.state(idle.session_id);
    assert.equal(sessions.cached, 3);

    assert.equal(sessions.releaseIdle(), 1);
    assert.equal(sessions.cached, 2);
    finish();
    await queued;

    // Loaded again from the store, the same state; the session goes on.
    assert.deepEqual(await sessions.state(idle.session_id), before);
    const again = await webhook(bff, 'get_session_state', { session_id: idle.session_id });
    assert.match(again.json.result, /Shipping from 10001 to 94105/);
    ui.close();
  } finally {
    await bff.close();
  }
});
