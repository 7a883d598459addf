/**
 * A restart does not lose the parcels being followed: the BFF that starts on a durable store
 * (SQLite, Redis) watches every undelivered label in it again, and logs its new tracking events
 * without anyone asking track_parcel; a delivered or voided label is left alone.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../bff/simulator/simulator.ts';
import { buyLabel, FakeClock, newSession, QUOTE_PARAMS, startBff, webhook } from '../helpers/bff.ts';
import { RedisServer, redisAvailable } from '../helpers/redis.ts';

const STEP = 60_000;

for (const kind of ['sqlite', 'redis'] as const) {
  describe(`tracking after a BFF restart (${kind})`, { skip: kind === 'redis' && !redisAvailable() ? 'redis-server is not installed' : false }, () => {
    const clock = new FakeClock();
    let sim: Awaited<ReturnType<typeof startSimulator>>;
    let redis: RedisServer | undefined;
    let env: Record<string, string>;
    before(async () => {
      sim = await startSimulator({ latencyMs: { USPS: 0, UPS: 0, FedEx: 0 }, now: clock.now, trackingStepMs: STEP });
      if (kind === 'redis') redis = await RedisServer.start();
      env = {
        SHIPVOX_URL: sim.url,
        SIGNING_SECRET: 's'.repeat(40),
        ...(kind === 'sqlite' ? { STORE: 'sqlite', DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-track-')) } : { STORE: 'redis', REDIS_URL: redis!.url }),
      };
    });
    after(async () => {
      await sim.close();
      await redis?.stop();
    });

    it('watches the undelivered labels it finds in the store at start and logs their new events unasked', async () => {
      const first = await startBff({ env, now: clock.now });
      const moving = await newSession(first);
      const delivered = await newSession(first);
      for (const s of [moving, delivered]) {
        await webhook(first, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
        assert.ok((await buyLabel(first, s.session_id, { option: 1 })).json.label_id);
      }
      // One parcel is delivered before the restart (and known to be), the other not yet.
      clock.advance(10 * STEP);
      const where = await webhook(first, 'track_parcel', { session_id: delivered.session_id });
      assert.match(where.json.result, /^The parcel is delivered/, JSON.stringify(where.json));
      await first.close();

      const second = await startBff({ env, now: clock.now });
      try {
        const watcher = second.companion.services.tracking!;
        assert.equal(await watcher.resumed, 1, 'only the undelivered label is watched again');
        await watcher.pollOnce();
        const state = await second.companion.services.sessions.state(moving.session_id);
        assert.equal(state.tracking?.status, 'delivered', 'its events were learned with no track_parcel call');
        assert.ok(state.tracking!.events.length > 1);
        assert.equal(watcher.watching, 0, 'a delivered parcel is no longer polled');
      } finally {
        await second.close();
      }
    });
  });
}
