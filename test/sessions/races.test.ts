import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../bff/server.ts';
import { FakeClock, newSession, QUOTE_PARAMS, startBff, TestClient, webhook, buyLabel, readSummary } from '../helpers/bff.ts';

/** A gate the simulator's carrier latency waits on while `holding` is true. */
class CarrierGate {
  holding = false;
  held = 0;
  private release!: () => void;
  private opened = new Promise<void>((r) => (this.release = r));
  private waiters: Array<() => void> = [];
  sleep = async (_ms: number, ctx: { purpose: string }) => {
    if (ctx.purpose !== 'carrier_latency' || !this.holding) return;
    this.held++;
    this.waiters.splice(0).forEach((w) => w());
    await this.opened;
  };
  async whenHeld(n: number) {
    while (this.held < n) await new Promise<void>((r) => this.waiters.push(r));
  }
  open() {
    this.holding = false;
    this.release();
  }
}

describe('session races', () => {
  let bff: RunningServer;
  const gate = new CarrierGate();
  const clock = new FakeClock();
  before(async () => (bff = await startBff({ now: clock.now, simulator: { sleep: gate.sleep } })));
  after(() => bff.close());

  it('an older quotes_ready arriving after a newer one is marked superseded and never shown or given to Bob as current', async () => {
    const s = await newSession(bff);
    const ui = await TestClient.join(bff, s, 'ui');
    gate.holding = true;
    const older = webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    await gate.whenHeld(3);
    gate.holding = false;
    const newer = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS, weight: 5 });
    assert.equal(newer.json.error, undefined);
    gate.open();
    const late = await older;
    assert.equal(late.json.error, 'quote_superseded');
    assert.doesNotMatch(late.json.result, /Option 1/);
    const state = await bff.companion.services.sessions.state(s.session_id);
    assert.equal(state.quotes!.shipment.weight, 5);
    const supersededEvent = await ui.waitFor<any>((f) => f.type === 'quotes_ready' && (f as any).superseded === true);
    assert.equal(supersededEvent.shipment.weight, 2);
    ui.close();
  });

  it('quotes arriving after the user picked one keep the selection and are offered as updated prices', async () => {
    const s = await newSession(bff);
    const ui = await TestClient.join(bff, s, 'ui');
    const first = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    const chosen = first.json.options[1].quote_id;
    ui.send({ type: 'ui_action', action: 'select_quote', client_msg_id: 'sel-1', quote_id: chosen });
    await ui.waitFor((f) => f.type === 'ack');
    const second = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS, weight: 3 });
    assert.match(second.json.result, /already chose option 2, .* which stays selected/);
    const state = await bff.companion.services.sessions.state(s.session_id);
    assert.equal(state.selected_quote_id, chosen);
    assert.equal(state.quotes!.shipment.weight, 2);
    assert.equal(state.updated_quotes!.shipment.weight, 3);
    // create_label accepts the chosen quote of the current set.
    const label = await buyLabel(bff, s.session_id, { quote_id: chosen });
    assert.equal(label.json.error, undefined);
    ui.close();
  });

  it('a ui_action resent after a reconnect with the same client_msg_id is applied once', async () => {
    const s = await newSession(bff);
    const q = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    const action = { type: 'ui_action', action: 'select_quote', client_msg_id: 'resend-1', quote_id: q.json.options[2].quote_id };
    const ui = await TestClient.join(bff, s, 'ui', 0);
    ui.send(action);
    await ui.waitFor((f) => f.type === 'ack');
    ui.close();
    await ui.waitClosed();
    const back = await TestClient.join(bff, s, 'ui', 0);
    back.send(action);
    const ack = await back.waitFor<any>((f) => f.type === 'ack');
    assert.equal(ack.duplicate, true);
    const log = await bff.companion.services.sessions.eventsAfter(s.session_id, 0);
    assert.equal(log.kind === 'events' && log.events.filter((e) => e.type === 'quote_selected').length, 1);
    back.close();
  });

  it('create_label refuses an expired quote and one not in the current set', async () => {
    const s = await newSession(bff);
    const q = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    clock.advance(15 * 60_000 + 1);
    const expired = await webhook(bff, 'create_label', { session_id: s.session_id, quote_id: q.json.options[0].quote_id });
    assert.equal(expired.json.error, 'rate_expired');
    const other = await newSession(bff);
    const foreign = await webhook(bff, 'create_label', { session_id: other.session_id, quote_id: q.json.options[0].quote_id });
    assert.equal(foreign.json.error, 'quote_not_found');
  });

  it('a create_label retried after a dropped socket yields the same label, one purchase', async () => {
    const s = await newSession(bff);
    const q = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    await readSummary(bff, s.session_id, { quote_id: q.json.options[0].quote_id });
    const before = bff.simulator!.sim.stats().labels_purchased;
    const voice = await TestClient.join(bff, s, 'voice', 0);
    const call = { type: 'client_tool_call', tool_call_id: 'buy-1', tool_name: 'create_label', parameters: { quote_id: q.json.options[0].quote_id, confirmed: true } };
    voice.send(call);
    voice.close(); // dropped before the answer
    await voice.waitClosed();
    const again = await TestClient.join(bff, s, 'voice', 0);
    again.send(call);
    const results = async () => (await again.waitFor<any>((f) => f.type === 'client_tool_result' && (f as any).tool_call_id === 'buy-1'));
    const r = await results();
    assert.equal(r.is_error, false);
    const all = again.frames.filter((f: any) => f.type === 'label_created');
    assert.ok(all.length <= 1);
    assert.equal(bff.simulator!.sim.stats().labels_purchased, before + 1);
    again.close();
  });
});
