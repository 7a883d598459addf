/**
 * Coherence: for scripted conversations (races included), what Bob is told — option numbers,
 * prices, the selected quote — equals what a screen mirroring the session shows at the same seq.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerFrame, SessionEvent } from '../../shared/protocol.ts';
import { initialState, reduce, selectedQuote, type SessionState } from '../../shared/session.ts';
import { QuotesData } from '../../shared/tools.ts';
import { purchaseSummary } from '../../shared/summary.ts';
import type { RunningServer } from '../../bff/server.ts';
import { money, spokenOptions, summarySentence } from '../../bff/tools/speech.ts';
import { FakeClock, newSession, QUOTE_PARAMS, startBff, TestClient, webhook, buyLabel, readSummary } from '../helpers/bff.ts';

/** The screen's state right after the event with this seq. */
function screenAt(events: SessionEvent[], sessionId: string, seq: number): SessionState {
  return events.filter((e) => e.seq <= seq).reduce(reduce, initialState(sessionId));
}

function checkCoherent(events: SessionEvent[], sessionId: string) {
  let checked = 0;
  for (const r of events.filter((e): e is Extract<SessionEvent, { type: 'client_tool_result' }> => e.type === 'client_tool_result')) {
    const screen = screenAt(events, sessionId, r.seq);
    if (r.tool_name === 'get_shipping_quotes') {
      if (r.is_error) {
        assert.doesNotMatch(r.result, /Option \d/, 'a refused or superseded result never reads options as current');
        continue;
      }
      const data = QuotesData.parse(r.data);
      const shown = screen.updated_quotes?.request_id === data.request_id ? screen.updated_quotes : screen.quotes;
      assert.equal(shown?.request_id, data.request_id, 'the quotes Bob reads are on screen at that seq');
      if (data.kept_quote_id) {
        // Updated prices next to a kept choice: Bob names the kept option by the number the screen shows it with.
        const kept = screen.quotes!.quotes.find((q) => q.quote_id === data.kept_quote_id)!;
        assert.equal(screen.selected_quote_id, kept.quote_id);
        assert.ok(r.result.includes(`option ${kept.option}, ${kept.carrier} ${kept.service} for ${money(kept.price_cents, kept.currency)}`), 'the kept option as on screen');
        assert.doesNotMatch(r.result, /Option \d/, 'updated prices are not read by number');
        checked++;
        continue;
      }
      for (const o of spokenOptions(shown!.quotes)) {
        assert.ok(r.result.includes(`Option ${o.option}: ${o.carrier} ${o.service}, ${o.price}, arrives ${o.arrives}.`), `option ${o.option} as on screen`);
      }
      checked++;
    }
    if (r.tool_name === 'create_label' && (r.data as { needs_confirmation?: boolean } | null)?.needs_confirmation) {
      // The summary Bob reads is the one the summary card shows at that moment.
      assert.ok(r.result.includes(summarySentence(purchaseSummary(screen)!)), `the summary read is the screen's: ${r.result}`);
      checked++;
      continue;
    }
    if (r.tool_name === 'create_label' && !r.is_error) {
      const label = screen.label!;
      assert.ok(label, 'the label is on screen when Bob announces it');
      assert.equal(selectedQuote(screen)?.quote_id, label.quote_id, 'the screen selects the quote Bob bought');
      assert.ok(r.result.includes(money(label.price_cents, label.currency)));
      assert.ok(r.result.includes(label.tracking_number.slice(-4)));
      checked++;
    }
  }
  return checked;
}

describe('Bob and the screen agree at every seq', () => {
  let bff: RunningServer;
  before(async () => (bff = await startBff({ now: new FakeClock().now })));
  after(() => bff.close());

  const scripts: Array<[string, (sid: string, ui: TestClient) => Promise<void>]> = [
    ['quote → buy option 2', async (sid) => {
      const q = await webhook(bff, 'get_shipping_quotes', { session_id: sid, ...QUOTE_PARAMS });
      await buyLabel(bff, sid, { quote_id: q.json.options[1].quote_id });
    }],
    ['two searches, then buy from the second', async (sid) => {
      await webhook(bff, 'get_shipping_quotes', { session_id: sid, ...QUOTE_PARAMS });
      const q = await webhook(bff, 'get_shipping_quotes', { session_id: sid, ...QUOTE_PARAMS, to_zip: '60601', weight: 12, weight_unit: 'oz' });
      await buyLabel(bff, sid, { quote_id: q.json.options[0].quote_id }, '60601');
    }],
    ['the shopper picks on screen, then Bob searches again (updated prices), then buys the pick', async (sid, ui) => {
      const q = await webhook(bff, 'get_shipping_quotes', { session_id: sid, ...QUOTE_PARAMS });
      ui.send({ type: 'ui_action', action: 'select_quote', client_msg_id: 'pick', quote_id: q.json.options[2].quote_id });
      await ui.waitFor((f) => f.type === 'ack');
      await webhook(bff, 'get_shipping_quotes', { session_id: sid, ...QUOTE_PARAMS, weight: 3 });
      await buyLabel(bff, sid, { quote_id: q.json.options[2].quote_id });
    }],
    ['concurrent searches and a double buy', async (sid) => {
      const [a] = await Promise.all([
        webhook(bff, 'get_shipping_quotes', { session_id: sid, ...QUOTE_PARAMS }),
        webhook(bff, 'get_shipping_quotes', { session_id: sid, ...QUOTE_PARAMS, weight: 4 }),
      ]);
      const state = await bff.companion.services.sessions.state(sid);
      const id = state.quotes!.quotes[0]!.quote_id;
      await readSummary(bff, sid, { quote_id: id });
      await Promise.all([1, 2].map(() => webhook(bff, 'create_label', { session_id: sid, quote_id: id, confirmed: true })));
      void a;
    }],
    ['errors in between: a bad ZIP, then a good search', async (sid) => {
      await webhook(bff, 'get_shipping_quotes', { session_id: sid, ...QUOTE_PARAMS, to_zip: '00000' });
      await webhook(bff, 'get_shipping_quotes', { session_id: sid, ...QUOTE_PARAMS });
      await webhook(bff, 'get_session_state', { session_id: sid });
    }],
  ];

  for (const [name, script] of scripts) {
    it(name, async () => {
      const s = await newSession(bff);
      const ui = await TestClient.join(bff, s, 'ui', 0);
      await script(s.session_id, ui);
      const server = await bff.companion.services.sessions.state(s.session_id);
      await ui.waitFor((f: ServerFrame) => 'seq' in f && f.seq === server.seq);
      const events = ui.events() as SessionEvent[];
      assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1));
      assert.ok(checkCoherent(events, s.session_id) >= 1);
      assert.deepEqual(screenAt(events, s.session_id, server.seq), server);
      ui.close();
    });
  }
});
