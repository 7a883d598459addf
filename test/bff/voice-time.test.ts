/**
 * Voice time: Bob answers get_shipping_quotes at its deadline with the carriers that are in, a
 * carrier that answers later is added on screen (numbered after what Bob read), ShipVox retries
 * stay inside one deadline per call, and a purchase that outlives its deadline answers "still
 * buying" and lands on screen once — never bought twice. The simulator's waits are held by the
 * test (an injected sleep), so nothing here races a timer it does not own.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RunningServer } from '../../bff/server.ts';
import type { Sleep, SleepPurpose } from '../../bff/simulator/simulator.ts';
import type { ServerFrame } from '../../shared/protocol.ts';
import { newSession, QUOTE_PARAMS, startBff, TestClient, webhook, buyLabel } from '../helpers/bff.ts';

/** Waits of the simulator that the test releases by hand (per purpose and carrier); the rest pass at once. */
class HeldWaits {
  private held = new Set<string>();
  private waiting = new Map<string, Array<() => void>>();
  hold(purpose: SleepPurpose, carrier: string) {
    this.held.add(`${purpose}:${carrier}`);
  }
  release(purpose: SleepPurpose, carrier: string) {
    const key = `${purpose}:${carrier}`;
    this.held.delete(key);
    for (const wake of this.waiting.get(key) ?? []) wake();
    this.waiting.delete(key);
  }
  releaseAll() {
    for (const key of [...this.held]) {
      const [purpose, carrier] = key.split(':') as [SleepPurpose, string];
      this.release(purpose, carrier);
    }
  }
  sleep: Sleep = (ms, { purpose, carrier, signal }) => {
    const key = `${purpose}:${carrier}`;
    if (!this.held.has(key) || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const list = this.waiting.get(key) ?? [];
      list.push(resolve);
      this.waiting.set(key, list);
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  };
}

describe('voice time', { timeout: 30_000 }, () => {
  let bff: RunningServer;
  const waits = new HeldWaits();
  before(
    async () =>
      (bff = await startBff({
        env: { QUOTES_DEADLINE_MS: '200', LABEL_DEADLINE_MS: '200', SHIPVOX_TIMEOUT_MS: '2000' },
        simulator: { sleep: waits.sleep, latencyMs: { USPS: 1, UPS: 1, FedEx: 1 }, labelLatencyMs: 1 },
      })),
  );
  after(async () => {
    waits.releaseAll();
    await bff.close();
  });
  beforeEach(() => {
    waits.releaseAll();
    bff.simulator!.sim.reset();
  });

  it('answers at the deadline with the carriers that are in, naming the one still out; its late options join the screen numbered after', async () => {
    waits.hold('carrier_latency', 'FedEx');
    const s = await newSession(bff);
    const ui = await TestClient.join(bff, s, 'ui');
    const r = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    // FedEx is still held: this answer came from the deadline, not from FedEx.
    assert.equal(r.json.is_error, undefined, r.json.result);
    assert.match(r.json.result, /FedEx hasn't answered yet; its options will be added to the screen, numbered after these/);
    const ready = await ui.waitFor<Extract<ServerFrame, { type: 'quotes_ready' }>>((f) => f.type === 'quotes_ready');
    assert.deepEqual(ready.pending_carriers, ['FedEx']);
    assert.ok(ready.quotes.length > 0 && ready.quotes.every((q) => q.carrier !== 'FedEx'));
    const read = r.json.options.map((o: any) => [o.option, o.quote_id]);

    waits.release('carrier_latency', 'FedEx');
    const added = await ui.waitFor<Extract<ServerFrame, { type: 'quotes_added' }>>((f) => f.type === 'quotes_added');
    assert.equal(added.carrier, 'FedEx');
    assert.ok(added.quotes.length > 0);
    assert.deepEqual(added.quotes.map((q) => q.option), added.quotes.map((_, i) => ready.quotes.length + i + 1), 'numbered after the ones Bob read');
    assert.ok(added.quotes.every((q) => q.late === true && q.carrier === 'FedEx' && q.tags.length === 0));
    const note = await ui.waitFor<Extract<ServerFrame, { type: 'contextual_update' }>>((f) => f.type === 'contextual_update');
    assert.equal(note.source, 'bff');
    assert.equal(note.seq, added.seq + 1);
    assert.match(note.text, new RegExp(`^FedEx answered late: ${added.quotes.length} more options are now on the screen as options ${ready.quotes.length + 1} to `));

    const state = await bff.companion.services.sessions.state(s.session_id);
    assert.deepEqual(state.quotes!.quotes.slice(0, 3).map((q) => [q.option, q.quote_id]), read, 'what Bob said stays true');
    assert.equal(state.quotes!.quotes.length, ready.quotes.length + added.quotes.length);
    const late = added.quotes[0]!;
    const bought = await buyLabel(bff, s.session_id, { option: late.option });
    assert.equal(bought.json.is_error, undefined, bought.json.result);
    const created = await ui.waitFor<Extract<ServerFrame, { type: 'label_created' }>>((f) => f.type === 'label_created');
    assert.equal(created.label.quote_id, late.quote_id, 'a late option is bought by the number the screen shows');
    ui.close();
  });

  it('a carrier that never answers costs one deadline for its whole call, retries included, and is named as missing in the end', async () => {
    bff.simulator!.sim.setFaults({ timeoutCarriers: ['FedEx'], hangMs: 600_000 });
    waits.hold('hang', 'FedEx');
    const s = await newSession(bff);
    const ui = await TestClient.join(bff, s, 'ui');
    const r = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    assert.match(r.json.result, /FedEx hasn't answered yet/);
    const added = await ui.waitFor<Extract<ServerFrame, { type: 'quotes_added' }>>((f) => f.type === 'quotes_added');
    assert.deepEqual(added.quotes, []);
    const note = await ui.waitFor<Extract<ServerFrame, { type: 'contextual_update' }>>((f) => f.type === 'contextual_update');
    assert.equal(note.text, 'FedEx did not answer in the end, so its prices stay missing.');
    // USPS, UPS and one FedEx attempt: the attempt used the whole call's deadline, no retry after it.
    assert.equal(bff.simulator!.sim.stats().get_rates_calls, 3);
    ui.close();
  });

  it('a carrier that fails once is retried inside the deadline and Bob reads every carrier', async () => {
    bff.simulator!.sim.setFaults({ getRates5xx: 1 });
    const s = await newSession(bff);
    const r = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    assert.doesNotMatch(r.json.result, /answered|missing/, r.json.result);
    const state = await bff.companion.services.sessions.state(s.session_id);
    assert.deepEqual([...new Set(state.quotes!.quotes.map((q) => q.carrier))].sort(), ['FedEx', 'UPS', 'USPS']);
    assert.equal(bff.simulator!.sim.stats().get_rates_calls, 4);
  });

  it('a purchase that outlives the deadline answers "still buying", goes on, lands on screen and in get_session_state, and is bought once', async () => {
    const s = await newSession(bff);
    const ui = await TestClient.join(bff, s, 'ui');
    await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    const quote = (await bff.companion.services.sessions.state(s.session_id)).quotes!.quotes[1]!;
    waits.hold('label_purchase', quote.carrier);
    const first = await buyLabel(bff, s.session_id, { option: 2 });
    assert.equal(first.json.is_error, undefined);
    assert.equal(first.json.pending, true);
    assert.match(first.json.result, new RegExp(`^Still buying the label for option 2, ${quote.carrier} ${quote.service}: .*I'll confirm as soon as it's done`));
    const during = await webhook(bff, 'get_session_state', { session_id: s.session_id });
    assert.match(during.json.result, /The label purchase is still going through/);
    // Bob asks again meanwhile: the same purchase, not a second one.
    const again = await webhook(bff, 'create_label', { session_id: s.session_id, option: 2 });
    assert.equal(again.json.pending, true);

    waits.release('label_purchase', quote.carrier);
    const created = await ui.waitFor<Extract<ServerFrame, { type: 'label_created' }>>((f) => f.type === 'label_created');
    assert.equal(created.label.quote_id, quote.quote_id);
    const confirmed = await ui.waitFor<Extract<ServerFrame, { type: 'contextual_update' }>>((f) => f.type === 'contextual_update' && f.seq > created.seq);
    assert.equal(confirmed.source, 'bff');
    assert.match(confirmed.text, new RegExp(`^The label is bought now\\. ${quote.carrier} ${quote.service}, .* The tracking number ends in ${created.label.tracking_number.slice(-4)}\\.$`));
    assert.match((await webhook(bff, 'get_session_state', { session_id: s.session_id })).json.result, /The label is ready/);
    assert.match((await webhook(bff, 'create_label', { session_id: s.session_id, option: 2 })).json.result, /already created, so nothing was bought twice/);
    assert.equal(bff.simulator!.sim.stats().labels_purchased, 1);
    assert.equal(ui.events().filter((e) => e.type === 'label_created').length, 1);
    ui.close();
  });
});
