import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { CreateLabelResponse, type Rate } from '../../bff/shipvox/contract.ts';
import { renderLabelPdf, SAMPLE_MARK, type LabelPdfInput } from '../../bff/simulator/label-pdf.ts';
import { pdfText, post, start } from './helpers.ts';

let sim: Awaited<ReturnType<typeof start>>;
before(async () => (sim = await start()));
after(() => sim.close());

const shipment = { from_zip: '10001', to_zip: '94103', weight_oz: 36 };
const DAY = 24 * 60 * 60_000;

async function rate(token = 'usps_priority'): Promise<Rate> {
  const res = await post(`${sim.url}/get-rates`, { shipment });
  const found = (res.json.rates as Rate[]).find((r) => r.service_token === token);
  assert.ok(found);
  return found;
}
const buy = (key: string, body: unknown) => post(`${sim.url}/create-label`, body, key ? { 'Idempotency-Key': key } : {});

describe('POST /create-label', () => {
  test('buys a label per carrier with real-format tracking numbers and URLs', async () => {
    const expected = {
      usps_priority: [/^92055\d{17}$/, /^https:\/\/tools\.usps\.com\/go\/TrackConfirmAction\?tLabels=\d{22}$/],
      usps_ground_advantage: [/^94001\d{17}$/, /tools\.usps\.com/],
      ups_ground: [/^1Z[0-9A-Z]{6}03\d{8}$/, /^https:\/\/www\.ups\.com\/track\?tracknum=1Z/],
      ups_next_day_air: [/^1Z[0-9A-Z]{6}01\d{8}$/, /ups\.com/],
      fedex_2_day: [/^\d{12}$/, /^https:\/\/www\.fedex\.com\/fedextrack\/\?trknbr=\d{12}$/],
    } as const;
    for (const [token, [tracking, url]] of Object.entries(expected)) {
      const r = await rate(token);
      const res = await buy(`k-${token}`, { rate_id: r.rate_id });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      const label = CreateLabelResponse.parse(res.json);
      assert.match(label.tracking_number, tracking);
      assert.match(label.tracking_url, url);
      assert.ok(label.tracking_url.endsWith(label.tracking_number));
      assert.equal(label.label_url, `${sim.url}/labels/${label.label_id}.pdf`);
      assert.match(label.qr_code_svg, /^<svg[\s\S]*<\/svg>\s*$/);
      assert.deepEqual([label.rate_id, label.carrier, label.service_name, label.amount, label.currency], [r.rate_id, r.carrier, r.service_name, r.amount, r.currency]);
      assert.equal(label.created_at, new Date(sim.clock.now()).toISOString());
    }
  });

  test('missing Idempotency-Key is 400 missing_idempotency_key', async () => {
    const res = await buy('', { rate_id: (await rate()).rate_id });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, 'missing_idempotency_key');
  });

  test('bad bodies are 400 invalid_request', async () => {
    for (const body of ['{', {}, { rate_id: '' }, { rate_id: 5 }, { rate_id: 'rate_x', label_format: 'ZPL' }, { rate_id: 'x', to_address: { name: 'A' } }]) {
      const res = await buy('k-bad', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.error.code, 'invalid_request');
    }
  });

  test('unknown rate 404, expired rate 410 (by the clock), rate bought under another key 409', async () => {
    const unknown = await buy('k-unknown', { rate_id: 'rate_nope' });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.json.error.code, 'rate_not_found');

    const stale = await rate();
    sim.clock.advance(15 * 60_000);
    const expired = await buy('k-expired', { rate_id: stale.rate_id });
    assert.equal(expired.status, 410);
    assert.equal(expired.json.error.code, 'rate_expired');

    const r = await rate();
    sim.clock.advance(15 * 60_000 - 1);
    assert.equal((await buy('k-first', { rate_id: r.rate_id })).status, 201);
    const second = await buy('k-second', { rate_id: r.rate_id });
    assert.equal(second.status, 409);
    assert.equal(second.json.error.code, 'rate_already_purchased');
  });

  test('addresses must match the quoted ZIPs', async () => {
    const r = await rate();
    const res = await buy('k-addr', { rate_id: r.rate_id, to_address: { name: 'Ann Lee', street: '1 Market St', city: 'San Francisco', state: 'CA', zip: '94105' } });
    assert.equal(res.status, 422);
    assert.deepEqual(res.json.error, { code: 'address_mismatch', message: 'to_address.zip must be 94103, the ZIP the rate was quoted for.', field: 'to_address.zip' });
  });
});

describe('idempotency', () => {
  test('the same key and body replays the same label; one purchase in the stats', async () => {
    const fresh = await start();
    try {
      const r = (await post(`${fresh.url}/get-rates`, { shipment, carriers: ['UPS'] })).json.rates[0] as Rate;
      const first = await post(`${fresh.url}/create-label`, { rate_id: r.rate_id }, { 'Idempotency-Key': 'k-replay' });
      const second = await post(`${fresh.url}/create-label`, { rate_id: r.rate_id, label_format: 'PDF_4x6' }, { 'Idempotency-Key': 'k-replay' });
      assert.equal(first.status, 201);
      assert.equal(second.status, 201);
      assert.equal(first.headers.get('Idempotent-Replayed'), null);
      assert.equal(second.headers.get('Idempotent-Replayed'), 'true');
      assert.deepEqual(second.json, first.json);
      assert.deepEqual(fresh.sim.stats(), { get_rates_calls: 1, create_label_calls: 2, labels_purchased: 1, idempotent_replays: 1, address_checks: 0, labels_voided: 0 });
    } finally {
      await fresh.close();
    }
  });

  test('409 label_in_progress while the first purchase is still running; 422 for a changed body', async () => {
    const r = await rate();
    const other = await rate('usps_ground_advantage');
    const gate = sim.sleeper.hold('label_purchase');
    const first = buy('k-flight', { rate_id: r.rate_id });
    await gate.reached;
    const during = await buy('k-flight', { rate_id: r.rate_id });
    assert.equal(during.status, 409);
    assert.equal(during.json.error.code, 'label_in_progress');
    const changed = await buy('k-flight', { rate_id: other.rate_id });
    assert.equal(changed.status, 422);
    assert.equal(changed.json.error.code, 'idempotency_mismatch');
    const rival = await buy('k-rival', { rate_id: r.rate_id });
    assert.equal(rival.status, 409);
    assert.equal(rival.json.error.code, 'rate_already_purchased');
    gate.release();
    const done = await first;
    assert.equal(done.status, 201);
    const replay = await buy('k-flight', { rate_id: r.rate_id });
    assert.deepEqual(replay.json, done.json);
    assert.equal((await buy('k-flight', { rate_id: other.rate_id })).json.error.code, 'idempotency_mismatch');
  });

  test('replays last 24 h by the clock, then the key is forgotten', async () => {
    const r = await rate();
    const first = await buy('k-window', { rate_id: r.rate_id });
    assert.equal(first.status, 201);
    sim.clock.advance(DAY - 1);
    const inside = await buy('k-window', { rate_id: r.rate_id });
    assert.equal(inside.headers.get('Idempotent-Replayed'), 'true');
    assert.deepEqual(inside.json, first.json);
    sim.clock.advance(1);
    const outside = await buy('k-window', { rate_id: r.rate_id });
    assert.equal(outside.status, 409);
    assert.equal(outside.json.error.code, 'rate_already_purchased');
    assert.equal(outside.headers.get('Idempotent-Replayed'), null);
  });
});

describe('GET /labels/:id.pdf', () => {
  test('is a one-page 4x6 PDF with the service banner, addresses, tracking, barcode, QR and the SAMPLE mark', async () => {
    const r = await rate('usps_priority');
    const to = { name: 'Zoë Ångström', street: '1 Market St', city: 'San Francisco', state: 'CA', zip: '94103' };
    const label = (await buy('k-pdf', { rate_id: r.rate_id, to_address: to })).json as CreateLabelResponse;
    const res = await fetch(label.label_url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    const bytes = new Uint8Array(await res.arrayBuffer());
    const doc = await PDFDocument.load(bytes);
    assert.equal(doc.getPageCount(), 1);
    const page = doc.getPage(0);
    assert.deepEqual(page.getSize(), { width: 288, height: 432 });
    const xobjects = page.node.Resources()?.lookup(PDFName.of('XObject'), PDFDict);
    assert.equal(xobjects?.keys().length, 2, 'barcode and QR images');

    const text = await pdfText(bytes);
    assert.ok(text.includes(SAMPLE_MARK), text);
    assert.equal(SAMPLE_MARK, 'SAMPLE – NOT VALID FOR POSTAGE');
    for (const expected of ['USPS PRIORITY MAIL', 'USPS TRACKING #', 'ZOË ÅNGSTRÖM', 'SAN FRANCISCO CA 94103', 'NEW YORK NY 10001', 'ZONE 8']) {
      assert.ok(text.includes(expected), `${expected} in\n${text}`);
    }
    assert.ok(text.includes(label.tracking_number.replace(/(.{4})(?=.)/g, '$1 ')));
    assert.equal(doc.getCreationDate()?.getTime(), Math.floor(Date.parse(label.created_at) / 1000) * 1000, 'PDF dates have whole seconds');
  });

  test('unknown labels are 404 in the error shape', async () => {
    for (const path of ['/labels/lbl_nope.pdf', '/labels/lbl_nope']) {
      const res = await fetch(`${sim.url}${path}`);
      assert.equal(res.status, 404);
      assert.equal((await res.json()).error.code, 'label_not_found');
    }
  });

  test('the generator is deterministic and survives text WinAnsi cannot encode', async () => {
    const input: LabelPdfInput = {
      label_id: 'lbl_x',
      carrier: 'UPS',
      service_name: 'UPS 2nd Day Air',
      service_token: 'ups_second_day_air',
      tracking_number: '1ZSVX9Z10212345674',
      tracking_url: 'https://www.ups.com/track?tracknum=1ZSVX9Z10212345674',
      from: { name: '李小龍 📦', street: '1\n2 Main St', city: 'Austin', state: 'TX', zip: '78701' },
      to: { name: 'X'.repeat(80), street: 'Y'.repeat(120), city: 'Z'.repeat(60), state: 'CA', zip: '94103' },
      weight_oz: 35.3,
      zone: 5,
      created_at: '2025-01-08T15:00:00.000Z',
    };
    const a = await renderLabelPdf(input);
    const b = await renderLabelPdf(input);
    assert.deepEqual(a, b);
    const text = await pdfText(a);
    for (const expected of ['UPS 2ND DAY AIR', '1Z SVX 9Z1 02 1234 5674', '??? ?', '2 LB 3.3 OZ', SAMPLE_MARK]) assert.ok(text.includes(expected), expected);
  });

  test('label_url uses publicUrl when given', async () => {
    const pub = await start({ publicUrl: 'https://shipvox.example/' });
    try {
      const r = (await post(`${pub.url}/get-rates`, { shipment, carriers: ['FedEx'] })).json.rates[0] as Rate;
      const label = (await post(`${pub.url}/create-label`, { rate_id: r.rate_id }, { 'Idempotency-Key': 'k' })).json;
      assert.match(label.label_url, /^https:\/\/shipvox\.example\/labels\/lbl_[a-z0-9]+\.pdf$/);
    } finally {
      await pub.close();
    }
  });
});
