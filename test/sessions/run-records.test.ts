/** The stores' run-record part: one open record per call id, adoption by compare-and-set, owner leases. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../helpers/bff.ts';
import { testStores } from '../helpers/stores.ts';

for (const { kind, open, fakeClock } of testStores()) {
  describe(`run records (${kind})`, () => {
    it('open once per call id, adopt only from the current owner, orphans are runs whose owner has no lease', async () => {
      const clock = new FakeClock();
      const store = await open({ now: clock.now });
      const { runs } = store;
      try {
        const run = { session_id: 'ses_a', tool_call_id: 'tc-1', owner: 'bff_a', attempts: 1, started_at: 5 };
        await runs.renewOwner('bff_a', 60_000);
        assert.equal(await runs.open(run), null);
        assert.deepEqual(await runs.open({ ...run, owner: 'bff_b' }), run, 'the open one is returned, unchanged');
        assert.deepEqual(await runs.orphaned('bff_b'), [], 'a live owner keeps its runs');
        assert.equal(await runs.ownerAlive('bff_a'), true);

        await runs.dropOwner('bff_a');
        assert.equal(await runs.ownerAlive('bff_a'), false);
        assert.deepEqual(await runs.orphaned('bff_b'), [run]);
        assert.deepEqual(await runs.orphaned('bff_a'), [], 'never one’s own');
        assert.deepEqual(await runs.adopt('ses_a', 'tc-1', 'bff_a', 'bff_b'), { ...run, owner: 'bff_b', attempts: 2 });
        assert.equal(await runs.adopt('ses_a', 'tc-1', 'bff_a', 'bff_c'), null, 'only one adopter wins');
        assert.equal((await runs.get('ses_a', 'tc-1'))?.owner, 'bff_b');

        await runs.close('ses_a', 'tc-1');
        assert.equal(await runs.get('ses_a', 'tc-1'), undefined);
        assert.deepEqual(await runs.orphaned('bff_x'), []);
        assert.equal(await runs.open(run), null, 'a closed id can be opened again');

        if (fakeClock) {
          // Leases lapse by the store's clock (Redis: by its own key TTL).
          await runs.renewOwner('bff_a', 1000);
          assert.deepEqual(await runs.orphaned('bff_b'), []);
          clock.advance(1000);
          assert.deepEqual(await runs.orphaned('bff_b'), [run]);
        }
      } finally {
        await store.close();
      }
    });
  });
}
