import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryStore } from '../../bff/sessions/memory-store.ts';
import { RunOnce } from '../../bff/tools/run-once.ts';

/** A ui_action's run-once contract, as ClientActions uses it: answer kept for repeats, a retryable answer or a failure leaves the key free. */
describe('RunOnce.claimed (ui_actions)', () => {
  const repeatOf = (answer: string) => (answer.startsWith('retry') ? null : `${answer} (repeat)`);
  const opts = { asRepeat: repeatOf, whileRunning: 'still running' };

  it('runs the work once and answers a repeat with what it kept', async () => {
    const once = new RunOnce(new MemoryStore().kv, 60_000);
    let runs = 0;
    const work = async () => `done ${++runs}`;
    assert.equal(await once.claimed('ui_action:s:1', work, opts), 'done 1');
    assert.equal(await once.claimed('ui_action:s:1', work, opts), 'done 1 (repeat)');
    assert.equal(runs, 1);
  });

  it('answers whileRunning to a repeat arriving before the first run finished', async () => {
    const once = new RunOnce(new MemoryStore().kv, 60_000);
    let finish!: () => void;
    const first = once.claimed('k', () => new Promise<string>((resolve) => (finish = () => resolve('done'))), opts);
    await new Promise((r) => setImmediate(r)); // the first run holds the claim
    assert.equal(await once.claimed('k', async () => 'second', opts), 'still running');
    finish();
    assert.equal(await first, 'done');
  });

  it('gives the key back when the answer is worth retrying, and when the work throws', async () => {
    const once = new RunOnce(new MemoryStore().kv, 60_000);
    assert.equal(await once.claimed('k', async () => 'retry later', opts), 'retry later');
    assert.equal(await once.claimed('k', async () => 'done', opts), 'done');
    await assert.rejects(once.claimed('t', async () => Promise.reject(new Error('store unavailable')), opts), /store unavailable/);
    assert.equal(await once.claimed('t', async () => 'done after the outage', opts), 'done after the outage');
  });
});
