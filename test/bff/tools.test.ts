import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import type { RunningServer } from '../../bff/server.ts';
import { FakeClock, newSession, QUOTE_PARAMS, startBff, TestClient, webhook, buyLabel, readSummary } from '../helpers/bff.ts';

describe('tools over the webhook', () => {
  let bff: RunningServer;
  const clock = new FakeClock();
  before(async () => (bff = await startBff({ now: clock.now })));
  after(() => bff.close());
  const sim = () => bff.simulator!.sim;

  it('get_shipping_quotes answers a speakable summary with at most three numbered options', async () => {
    const s = await newSession(bff);
    const r = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, conversation_id: 'conv_1', ...QUOTE_PARAMS });
    assert.equal(r.status, 200);
    assert.equal(r.json.error, undefined);
    assert.match(r.json.result, /^I found \d+ options\. Option 1: \w+ .+, \$\d+\.\d\d, arrives \w+day, \w+ \d+\./);
    assert.deepEqual(r.json.options.map((o: any) => o.option), [1, 2, 3]);
    assert.ok(r.json.more_on_screen > 0);
    assert.match(r.json.result, /on your screen/);
    const state = await bff.companion.services.sessions.state(s.session_id);
    assert.deepEqual(state.quotes!.quotes.slice(0, 3).map((q) => q.quote_id), r.json.options.map((o: any) => o.quote_id));
    const prices = state.quotes!.quotes.map((q) => q.price_cents);
    assert.deepEqual(prices, [...prices].sort((a, b) => a - b));
  });

  const errorCases: Array<[string, Record<string, unknown>, string]> = [
    ['a 4-digit ZIP', { ...QUOTE_PARAMS, to_zip: '9410' }, 'invalid_zip'],
    ['a ZIP not in use', { ...QUOTE_PARAMS, from_zip: '00012' }, 'invalid_zip'],
    ['a negative weight', { ...QUOTE_PARAMS, weight: -1 }, 'invalid_weight'],
    ['a weight as text', { ...QUOTE_PARAMS, weight: 'two' }, 'invalid_weight'],
    ['over 150 lb', { ...QUOTE_PARAMS, weight: 151 }, 'invalid_weight'],
    ['an unknown unit', { ...QUOTE_PARAMS, weight_unit: 'stone' }, 'invalid_weight'],
  ];
  for (const [name, params, code] of errorCases) {
    it(`refuses ${name} with ${code} (200, a sentence, nothing else changes)`, async () => {
      const s = await newSession(bff);
      const r = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...params });
      assert.equal(r.status, 200);
      assert.equal(r.json.error, code);
      assert.ok(r.json.result.length > 10);
      const state = await bff.companion.services.sessions.state(s.session_id);
      assert.equal(state.quotes, null);
      assert.equal(state.last_error?.code, code);
    });
  }

  it('names a carrier that timed out and still answers with the others', async () => {
    sim().setFaults({ timeoutCarriers: ['FedEx'], hangMs: 0 }); // FedEx answers 504 carrier_timeout at once: timed out within the quotes deadline
    try {
      const s = await newSession(bff);
      const r = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
      assert.equal(r.json.error, undefined);
      assert.match(r.json.result, /FedEx didn't answer in time/);
      const state = await bff.companion.services.sessions.state(s.session_id);
      assert.ok(state.quotes!.quotes.every((q) => q.carrier !== 'FedEx'));
    } finally {
      sim().reset();
    }
  });

  it('says backend_unavailable when every carrier fails or the backend answers 5xx, and carrier_timeout when all time out', async () => {
    const cases: Array<[Parameters<ReturnType<typeof sim>['setFaults']>[0], string]> = [
      [{ failCarriers: ['USPS', 'UPS', 'FedEx'] }, 'backend_unavailable'],
      [{ getRates5xx: 100 }, 'backend_unavailable'],
      [{ timeoutCarriers: ['USPS', 'UPS', 'FedEx'], hangMs: 0 }, 'carrier_timeout'],
    ];
    for (const [faults, code] of cases) {
      sim().setFaults(faults);
      try {
        const s = await newSession(bff);
        const r = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
        assert.equal(r.status, 200);
        assert.equal(r.json.error, code, JSON.stringify(faults));
      } finally {
        sim().reset();
      }
    }
  });

  it('retries a transient 5xx on rates (safe) and succeeds', async () => {
    sim().setFaults({ getRates5xx: 1 });
    try {
      const s = await newSession(bff);
      const r = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
      assert.equal(r.json.error, undefined);
    } finally {
      sim().reset();
    }
  });

  it('create_label buys once, answers "Label created, downloading now." and serves a 4x6 PDF', async () => {
    const s = await newSession(bff);
    const q = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    const before = sim().stats().labels_purchased;
    const r = await buyLabel(bff, s.session_id, { quote_id: q.json.options[0].quote_id });
    assert.equal(r.json.error, undefined);
    assert.match(r.json.result, /^Label created, downloading now\./);
    assert.equal(sim().stats().labels_purchased, before + 1);
    const state = await bff.companion.services.sessions.state(s.session_id);
    const label = state.label!;
    assert.equal(label.tracking_number, r.json.tracking_number);
    const pdfRes = await fetch(label.pdf_url);
    assert.equal(pdfRes.status, 200);
    assert.equal(pdfRes.headers.get('content-type'), 'application/pdf');
    const doc = await PDFDocument.load(new Uint8Array(await pdfRes.arrayBuffer()));
    assert.equal(doc.getPageCount(), 1);
    assert.deepEqual(doc.getPage(0).getSize(), { width: 288, height: 432 });
    const dl = await fetch(`${label.pdf_url}&download=1`);
    assert.match(dl.headers.get('content-disposition') ?? '', /^attachment/);
    await dl.arrayBuffer();

    // Again for the same quote: the same label, nothing bought, no second label_created.
    const again = await webhook(bff, 'create_label', { session_id: s.session_id, quote_id: q.json.options[0].quote_id });
    assert.equal(again.json.tracking_number, label.tracking_number);
    assert.match(again.json.result, /already created/);
    assert.equal(sim().stats().labels_purchased, before + 1);
    const log = await bff.companion.services.sessions.eventsAfter(s.session_id, 0);
    assert.equal(log.kind === 'events' && log.events.filter((e) => e.type === 'label_created').length, 1);
  });

  it('label links: tampered, expired, or another label id → 403', async () => {
    const s = await newSession(bff);
    const q = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    await buyLabel(bff, s.session_id, { quote_id: q.json.options[1].quote_id });
    const url = new URL((await bff.companion.services.sessions.state(s.session_id)).label!.pdf_url);
    const other = await newSession(bff);
    const q2 = await webhook(bff, 'get_shipping_quotes', { session_id: other.session_id, ...QUOTE_PARAMS });
    await buyLabel(bff, other.session_id, { quote_id: q2.json.options[0].quote_id });
    const otherId = (await bff.companion.services.sessions.state(other.session_id)).label!.label_id;

    const sig = url.searchParams.get('sig')!;
    // A different last character that changes the signature's bytes (it was 'A' one time in 16).
    const tampered = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'Q' : 'A'}`;
    const variants = [
      `${url.pathname}?exp=${Number(url.searchParams.get('exp')) + 1}&sig=${sig}`,
      `${url.pathname}?exp=${url.searchParams.get('exp')}&sig=${tampered}`,
      `/v1/labels/${otherId}.pdf${url.search}`,
      url.pathname,
    ];
    for (const v of variants) {
      const res = await fetch(`${bff.url}${v}`);
      assert.equal(res.status, 403, v);
      await res.arrayBuffer();
    }
    clock.advance(2 * 60 * 60_000);
    const expired = await fetch(url);
    assert.equal(expired.status, 403);
    await expired.arrayBuffer();
  });

  it('refuses an unknown, superseded or expired quote with a sentence', async () => {
    const s = await newSession(bff);
    const first = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS, weight: 3 });
    const unknown = await webhook(bff, 'create_label', { session_id: s.session_id, quote_id: 'q999-1' });
    assert.equal(unknown.json.error, 'quote_not_found');
    const old = await webhook(bff, 'create_label', { session_id: s.session_id, quote_id: first.json.options[0].quote_id });
    assert.equal(old.json.error, 'quote_superseded');
    const missing = await webhook(bff, 'create_label', { session_id: s.session_id });
    assert.equal(missing.json.error, 'invalid_params');

    const fresh = await newSession(bff);
    const q = await webhook(bff, 'get_shipping_quotes', { session_id: fresh.session_id, ...QUOTE_PARAMS });
    clock.advance(16 * 60_000);
    const expired = await webhook(bff, 'create_label', { session_id: fresh.session_id, quote_id: q.json.options[0].quote_id });
    assert.equal(expired.json.error, 'rate_expired');
  });

  it('get_session_state says where the session stands', async () => {
    const s = await newSession(bff);
    const empty = await webhook(bff, 'get_session_state', { session_id: s.session_id });
    assert.match(empty.json.result, /Nothing has happened yet|ZIP/);
    await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    const st = await webhook(bff, 'get_session_state', { session_id: s.session_id });
    assert.match(st.json.result, /Shipping from 10001 to 94105, 2 lb\./);
    assert.match(st.json.result, /Option 1/);
  });

  it('webhook auth and routing: 401 without or with a wrong secret, 404 unknown tool, 400 not an object, unknown session', async () => {
    const s = await newSession(bff);
    const noAuth = await fetch(`${bff.url}/v1/agent/tools/get_session_state`, { method: 'POST', body: '{}' });
    assert.equal(noAuth.status, 401);
    await noAuth.arrayBuffer();
    assert.equal((await webhook(bff, 'get_session_state', { session_id: s.session_id }, 'wrong-secret-wrong-secret')).status, 401);
    assert.equal((await webhook(bff, 'launch_rocket', { session_id: s.session_id })).status, 404);
    assert.equal((await webhook(bff, 'get_session_state', '[1]')).status, 400);
    assert.equal((await webhook(bff, 'get_session_state', 'nope')).status, 400);
    const unknown = await webhook(bff, 'get_session_state', { session_id: 'ses_nope' });
    assert.equal(unknown.status, 200);
    assert.equal(unknown.json.error, 'unknown_session');
  });
});

describe('Server-Timing on webhook answers', () => {
  let bff: RunningServer;
  // Real carrier latency here: the header must cover the time spent waiting on ShipVox.
  before(async () => (bff = await startBff({ simulator: { latencyMs: { USPS: 30, UPS: 40, FedEx: 35 } } })));
  after(() => bff.close());

  const timing = (h: Headers) => {
    const m = /^shipvox;dur=(\d+\.\d\d), total;dur=(\d+\.\d\d)$/.exec(h.get('server-timing') ?? '');
    return { shipvox: Number(m?.[1] ?? NaN), total: Number(m?.[2] ?? NaN) };
  };

  it('reports the time the run waited on ShipVox (parallel carriers counted once), 0 when it made no call', async () => {
    const s = await newSession(bff);
    const started = performance.now();
    const quotes = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    const roundTrip = performance.now() - started;
    const { shipvox: waited, total } = timing(quotes.headers);
    assert.ok(waited >= 35, `waited ${waited} ms for carriers answering after 30–40 ms`);
    assert.ok(waited <= total && total <= roundTrip, `waited ${waited} ms within a ${total} ms handler within a ${roundTrip.toFixed(1)} ms round trip`);
    assert.ok(waited < 30 + 40 + 35, 'the three parallel carrier calls are not summed');
    const state = await webhook(bff, 'get_session_state', { session_id: s.session_id });
    assert.equal(timing(state.headers).shipvox, 0);
    assert.ok(timing(state.headers).total > 0);
  });
});

describe('label races', () => {
  let bff: RunningServer;
  before(async () => (bff = await startBff()));
  after(() => bff.close());

  it('webhook and frame at once for one quote make exactly one purchase and one label', async () => {
    const s = await newSession(bff);
    const q = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    const quoteId = q.json.options[0].quote_id;
    await readSummary(bff, s.session_id, { quote_id: quoteId });
    const voice = await TestClient.join(bff, s, 'voice', 0);
    const purchasesBefore = bff.simulator!.sim.stats().labels_purchased;
    voice.send({ type: 'client_tool_call', tool_call_id: 'lbl-a', tool_name: 'create_label', parameters: { quote_id: quoteId, confirmed: true } });
    voice.send({ type: 'client_tool_call', tool_call_id: 'lbl-b', tool_name: 'create_label', parameters: { quote_id: quoteId, confirmed: true } });
    const hooks = await Promise.all([1, 2].map(() => webhook(bff, 'create_label', { session_id: s.session_id, quote_id: quoteId, confirmed: true })));
    const a = await voice.waitFor<any>((f) => f.type === 'client_tool_result' && (f as any).tool_call_id === 'lbl-a');
    const b = await voice.waitFor<any>((f) => f.type === 'client_tool_result' && (f as any).tool_call_id === 'lbl-b');
    const numbers = new Set([a.data.label.tracking_number, b.data.label.tracking_number, ...hooks.map((h) => h.json.tracking_number)]);
    assert.equal(numbers.size, 1);
    assert.equal(bff.simulator!.sim.stats().labels_purchased, purchasesBefore + 1);
    assert.equal(voice.events().filter((e) => e.type === 'label_created').length, 1);
    voice.close();
  });

  it('a purchase whose answer was lost is retried under the same key and yields the same label', async () => {
    const s = await newSession(bff);
    const q = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    bff.simulator!.sim.setFaults({ createLabelDropAfterPurchase: 1 });
    const before = bff.simulator!.sim.stats().labels_purchased;
    try {
      const r = await buyLabel(bff, s.session_id, { quote_id: q.json.options[0].quote_id });
      assert.equal(r.json.error, undefined);
      assert.equal(bff.simulator!.sim.stats().labels_purchased, before + 1);
      assert.ok(bff.simulator!.sim.stats().idempotent_replays >= 1);
    } finally {
      bff.simulator!.sim.reset();
    }
  });
});
