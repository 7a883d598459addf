/**
 * Issue 18 over real HTTP and sockets against the simulator: the recipient (checked, suggested,
 * refused, re-quoted), the confirmation before buying, label formats, void and tracking.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { PDFDocument } from 'pdf-lib';
import pino from 'pino';
import { PNG } from 'pngjs';
import { purchaseSummary } from '../../shared/summary.ts';
import { replay } from '../../shared/session.ts';
import type { RunningServer } from '../../bff/server.ts';
import { buyLabel, FakeClock, newSession, startBff, TestClient, webhook, ADMIN_TOKEN } from '../helpers/bff.ts';

const RECIPIENT = { name: 'Jane Doe', street: '12 Main St', zip: '10001' };
const STEP = 60_000;

describe('the shipment (issue 18)', () => {
  let bff: RunningServer;
  const clock = new FakeClock();
  const logged: string[] = [];
  before(async () => {
    const log = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) }));
    bff = await startBff({ now: clock.now, log, simulator: { trackingStepMs: STEP } });
  });
  after(() => bff.close());

  const call = (sid: string, tool: string, params: Record<string, unknown> = {}) => webhook(bff, tool, { session_id: sid, ...params }).then((r) => r.json);
  const state = (sid: string) => bff.companion.services.sessions.state(sid);
  async function quoted() {
    const s = await newSession(bff);
    // No from_zip: it ships from the account's address (New York 10001).
    const q = await call(s.session_id, 'get_shipping_quotes', { to_zip: '10001', weight: 2 });
    assert.ok(q.options.length > 0, JSON.stringify(q));
    return s;
  }
  async function bought() {
    const s = await quoted();
    await call(s.session_id, 'set_recipient_address', RECIPIENT);
    await call(s.session_id, 'create_label', { option: 1 });
    const yes = await call(s.session_id, 'create_label', { option: 1, confirmed: true });
    assert.ok(yes.label_id, JSON.stringify(yes));
    return { s, labelId: yes.label_id as string };
  }

  it('checks the recipient: city and state from the ZIP, sender and balance from the account', async () => {
    const s = await quoted();
    const r = await call(s.session_id, 'set_recipient_address', RECIPIENT);
    assert.equal(r.is_error, undefined, r.result);
    assert.match(r.result, /Jane Doe, 12 Main St, New York, NY 10001/);
    const st = await state(s.session_id);
    assert.deepEqual(st.quotes?.shipment.destination, { city: 'New York', state: 'NY' }, 'the address card is prefilled from it');
    assert.equal(st.recipient?.validation.status, 'valid');
    assert.equal(st.recipient?.validation.residential, true);
    assert.equal(st.account?.address.city, 'New York');
    assert.equal(st.quotes?.shipment.from_zip, '10001', "an unspoken from_zip is the account's ZIP");
    assert.ok((st.account?.balance_cents ?? 0) > 0);
  });

  it('suggests a near miss, keeps it in state, blocks the purchase until it is accepted', async () => {
    const s = await quoted();
    const r = await call(s.session_id, 'set_recipient_address', { ...RECIPIENT, city: 'New Yrok', state: 'NJ' });
    assert.match(r.result, /Did you mean Jane Doe, 12 Main St, New York, NY 10001/);
    const st = await state(s.session_id);
    assert.equal(st.recipient?.validation.status, 'suggested');
    assert.equal(st.recipient?.validation.suggestion?.city, 'New York');
    const buy = await call(s.session_id, 'create_label', { option: 1, confirmed: true });
    assert.equal(buy.error, 'address_unverified');
    const ok = await call(s.session_id, 'set_recipient_address', { use_suggestion: true });
    assert.match(ok.result, /checks out/);
  });

  it('ships from the account unless told otherwise: prices from another ZIP ask for the ship-from address, which is checked like the recipient and re-quotes', async () => {
    const s = await newSession(bff);
    await call(s.session_id, 'get_shipping_quotes', { from_zip: '78701', to_zip: '10001', weight: 2 });
    await call(s.session_id, 'set_recipient_address', RECIPIENT);
    const blocked = await call(s.session_id, 'create_label', { option: 1, confirmed: true });
    assert.equal(blocked.error, 'sender_zip_mismatch');
    assert.match(blocked.result, /prices are from ZIP code 78701, but the label would ship from ShipVox Demo Store, 5 Penn Plaza, New York, NY 10001\. Give me the address in 78701/);
    assert.equal((await state(s.session_id)).label, null);
    const bad = await call(s.session_id, 'set_recipient_address', { party: 'sender', name: 'Ann Lee', street: 'Congress Ave', zip: '78701' });
    assert.equal(bad.error, 'address_invalid');
    assert.equal((await state(s.session_id)).sender ?? null, null, 'a refused ship-from address changes nothing');
    const from = await call(s.session_id, 'set_recipient_address', { party: 'sender', name: 'Ann Lee', street: '100 Congress Ave', zip: '78701' });
    assert.match(from.result, /^The parcel ships from Ann Lee, 100 Congress Ave, Austin, TX 78701/);
    assert.equal(from.requoted, undefined, 'the prices already start there');
    const read = await call(s.session_id, 'create_label', { option: 1 });
    assert.equal(read.needs_confirmation, true, read.result);
    const yes = await call(s.session_id, 'create_label', { option: 1, confirmed: true });
    assert.ok(yes.label_id, yes.result);
    // A ship-from address in another ZIP re-quotes from there.
    const t = await quoted();
    const moved = await call(t.session_id, 'set_recipient_address', { party: 'sender', name: 'Ann Lee', street: '100 Congress Ave', zip: '78701' });
    assert.match(moved.result, /ship-from ZIP code changed from 10001 to 78701, so I got new prices/);
    assert.equal((await state(t.session_id)).quotes?.shipment.from_zip, '78701');
  });

  it('"Keep mine": the shopper keeps their address over the suggestion, which makes it buyable and said to be unverified; a hard error still refuses it', async () => {
    const s = await quoted();
    await call(s.session_id, 'set_recipient_address', { ...RECIPIENT, city: 'New Yrok' });
    const kept = await call(s.session_id, 'set_recipient_address', { keep: true });
    assert.match(kept.result, /kept as given: the address is unverified/);
    const st = await state(s.session_id);
    assert.equal(st.recipient?.validation.kept, true);
    assert.equal(st.recipient?.address.city, 'New Yrok', 'the typed address stands');
    const read = await call(s.session_id, 'create_label', { option: 1 });
    const summary = purchaseSummary(await state(s.session_id))!;
    assert.equal(summary.blocker, null);
    assert.deepEqual(summary.unverified, ['recipient']);
    assert.match(read.result, /The recipient's address is unverified: it was kept as given\. Shall I buy it\?/);
    const yes = await call(s.session_id, 'create_label', { option: 1, confirmed: true });
    assert.ok(yes.label_id, yes.result);
    // Keeping an address the backend refuses outright changes nothing.
    const t = await quoted();
    const none = await call(t.session_id, 'set_recipient_address', { keep: true });
    assert.equal(none.error, 'address_unverified');
    const hard = await call(t.session_id, 'set_recipient_address', { ...RECIPIENT, street: 'Main St', keep: true });
    assert.equal(hard.error, 'address_invalid');
    assert.equal((await state(t.session_id)).recipient ?? null, null);
  });

  it('refuses an address without a street number or with an unknown ZIP: a typed sentence, nothing logged', async () => {
    const s = await quoted();
    const before = (await state(s.session_id)).seq;
    const r = await call(s.session_id, 'set_recipient_address', { ...RECIPIENT, street: 'Main St' });
    assert.equal(r.error, 'address_invalid');
    assert.match(r.result, /house or building number/);
    const z = await call(s.session_id, 'set_recipient_address', { ...RECIPIENT, zip: '00000' });
    assert.equal(z.error, 'address_invalid');
    const st = await state(s.session_id);
    assert.equal(st.recipient ?? null, null);
    // Only the two tool runs (started + result each) were logged.
    assert.equal(st.seq, before + 4);
  });

  it('re-quotes when the recipient ZIP differs from the quoted one, replacing a chosen option', async () => {
    const s = await quoted();
    await call(s.session_id, 'create_label', { option: 1 }); // chooses and reads a summary
    const r = await call(s.session_id, 'set_recipient_address', { ...RECIPIENT, zip: '94105', street: '1 Market St' });
    assert.match(r.result, /ZIP code changed from 10001 to 94105, so I got new prices: I found/);
    const st = await state(s.session_id);
    assert.equal(st.quotes?.shipment.to_zip, '94105');
    assert.equal(st.selected_quote_id, null);
  });

  it('buys nothing until the shopper confirmed the very summary Bob read', async () => {
    const s = await quoted();
    const none = await call(s.session_id, 'create_label', { option: 1, confirmed: true });
    assert.equal(none.error, 'recipient_missing');
    await call(s.session_id, 'set_recipient_address', RECIPIENT);
    const eager = await call(s.session_id, 'create_label', { option: 1, confirmed: true });
    assert.equal(eager.needs_confirmation, true, 'a yes before any summary was read buys nothing');
    const st = await state(s.session_id);
    const summary = purchaseSummary(st)!;
    assert.ok(eager.result.startsWith('Something changed since the last summary'));
    assert.ok(eager.result.includes(`to Jane Doe, 12 Main St, New York, NY 10001`));
    assert.equal(st.summary_read?.summary_id, summary.summary_id);
    assert.equal(st.label, null);
    // The address changes on screen meanwhile: Bob's yes was for the old summary.
    const ui = await TestClient.join(bff, s);
    ui.send({ type: 'ui_action', action: 'set_recipient', client_msg_id: 'r1', address: { ...RECIPIENT, name: 'John Roe', city: 'New York', state: 'NY' } });
    await ui.waitFor((f) => f.type === 'ack');
    const note = await ui.waitFor((f) => f.type === 'contextual_update' && f.source === 'bff');
    assert.match((note as { text: string }).text, /changed the recipient on screen.*John Roe/);
    const stale = await call(s.session_id, 'create_label', { option: 1, confirmed: true });
    assert.equal(stale.needs_confirmation, true);
    const yes = await call(s.session_id, 'create_label', { option: 1, confirmed: true });
    assert.ok(yes.label_id, yes.result);
    ui.close();
  });

  it('confirms on screen with the summary card id; a stale id is refused; the label is addressed to the recipient', async () => {
    const s = await quoted();
    const ui = await TestClient.join(bff, s);
    const st0 = await state(s.session_id);
    ui.send({ type: 'ui_action', action: 'select_quote', client_msg_id: 's1', quote_id: st0.quotes!.quotes[0]!.quote_id });
    await ui.waitFor((f) => f.type === 'ack' && f.client_msg_id === 's1');
    ui.send({ type: 'ui_action', action: 'set_recipient', client_msg_id: 'r1', address: { ...RECIPIENT, city: 'New York', state: 'NY' } });
    await ui.waitFor((f) => f.type === 'ack' && f.client_msg_id === 'r1');
    assert.equal((await state(s.session_id)).label, null, 'selecting a card never buys');
    ui.send({ type: 'ui_action', action: 'confirm_purchase', client_msg_id: 'c0', summary_id: 'sstale' });
    const err = await ui.waitFor((f) => f.type === 'error' && f.ref === 'c0');
    assert.equal((err as { reason?: string }).reason, 'summary_changed');
    const ready = await state(s.session_id);
    const summary = purchaseSummary(ready)!;
    assert.equal(summary.blocker, null);
    ui.send({ type: 'ui_action', action: 'confirm_purchase', client_msg_id: 'c1', summary_id: summary.summary_id });
    await ui.waitFor((f) => f.type === 'ack' && f.client_msg_id === 'c1');
    const st = await state(s.session_id);
    assert.ok(st.label);
    assert.equal(st.account?.balance_cents, ready.account!.balance_cents - st.label.price_cents);
    const note = await ui.waitFor((f) => f.type === 'contextual_update' && f.source === 'bff' && f.text.includes('confirmed on screen'));
    assert.ok(note);
    const zpl = await (await fetch(`${st.label.pdf_url}&format=zpl`)).text();
    assert.match(zpl, /JANE DOE/);
    assert.match(zpl, /SHIPVOX DEMO STORE/);
    ui.close();
  });

  it('serves every label format through the signed link: PDFs parse, the PNG decodes, the ZPL is one label', async () => {
    const { s } = await bought();
    const url = (await state(s.session_id)).label!.pdf_url;
    const get = async (format: string) => {
      const res = await fetch(`${url}&format=${format}`);
      assert.equal(res.status, 200, format);
      return { type: res.headers.get('content-type'), bytes: new Uint8Array(await res.arrayBuffer()) };
    };
    const sizes: Record<string, [number, number]> = { pdf_4x6: [288, 432], pdf_letter: [612, 792], pdf_a4: [595.28, 841.89] };
    for (const [format, [w, h]] of Object.entries(sizes)) {
      const f = await get(format);
      assert.equal(f.type, 'application/pdf');
      const page = (await PDFDocument.load(f.bytes)).getPage(0);
      assert.deepEqual([Math.round(page.getWidth()), Math.round(page.getHeight())], [Math.round(w), Math.round(h)], format);
    }
    const png = PNG.sync.read(Buffer.from((await get('png')).bytes));
    assert.deepEqual([png.width, png.height], [812, 1218]);
    assert.ok(png.data.some((v, i) => i % 4 === 0 && v === 0), 'the PNG has ink');
    const zpl = new TextDecoder().decode((await get('zpl')).bytes);
    assert.equal(zpl.match(/\^XA/g)?.length, 1);
    assert.equal(zpl.match(/\^XZ/g)?.length, 1);
    assert.ok(zpl.trim().startsWith('^XA') && zpl.trim().endsWith('^XZ'));
    assert.match(zpl, /\^BCN,\d+,N,N,N\^FD\w+\^FS/);
    assert.match(zpl, /NEW YORK NY 10001/);
    assert.equal((await fetch(`${url}&format=gif`)).status, 400);
    assert.equal((await fetch(`${url.replace(/sig=[^&]+/, 'sig=AAAA')}&format=png`)).status, 403);
  });

  it('voids within the window once, refunds the balance, then the label files are gone', async () => {
    const { s, labelId } = await bought();
    const before = (await state(s.session_id)).account!.balance_cents;
    const [a, b] = await Promise.all([call(s.session_id, 'void_label'), call(s.session_id, 'void_label')]);
    assert.match(a.result, /voided/);
    assert.match(b.result, /voided/);
    const st = await state(s.session_id);
    assert.equal(st.voided?.label_id, labelId);
    assert.equal(st.account!.balance_cents, before + st.label!.price_cents);
    const log = await bff.companion.services.sessions.eventsAfter(s.session_id, 0);
    assert.equal(log.kind === 'events' && log.events.filter((e) => e.type === 'label_voided').length, 1);
    assert.equal((await fetch(st.label!.pdf_url)).status, 410);
    const again = await call(s.session_id, 'void_label');
    assert.match(again.result, /already voided/);
    assert.equal((await state(s.session_id)).account!.balance_cents, before + st.label!.price_cents);
    const track = await call(s.session_id, 'track_parcel');
    assert.equal(track.error, 'label_voided');
  });

  it('refuses a void once the carrier scanned the parcel: speakable, nothing changes', async () => {
    const { s } = await bought();
    clock.advance(2 * STEP);
    const seq = (await state(s.session_id)).seq;
    const r = await call(s.session_id, 'void_label');
    assert.equal(r.error, 'void_refused');
    assert.match(r.result, /already scanned.*Nothing was changed/);
    const st = await state(s.session_id);
    assert.equal(st.voided ?? null, null);
    assert.equal(st.seq, seq + 2);
  });

  it('tracking moves on the clock; the BFF logs only new events; the last step follows the parcel', async () => {
    const { s } = await bought();
    const ui = await TestClient.join(bff, s);
    const first = await call(s.session_id, 'track_parcel');
    assert.match(first.result, /waiting for the carrier/);
    clock.advance(3 * STEP);
    await bff.companion.services.tracking!.pollOnce();
    let st = await state(s.session_id);
    assert.equal(st.tracking?.status, 'in_transit');
    assert.equal(st.tracking?.events.length, 3);
    clock.advance(2 * STEP);
    const where = await call(s.session_id, 'track_parcel');
    assert.match(where.result, /delivered/);
    await bff.companion.services.tracking!.pollOnce();
    st = await state(s.session_id);
    assert.equal(st.tracking?.events.length, 5, 'no event logged twice');
    await ui.waitFor((f) => f.type === 'tracking_updated' && f.status === 'delivered');
    const log = await bff.companion.services.sessions.eventsAfter(s.session_id, 0);
    assert.ok(log.kind === 'events');
    assert.deepEqual(replay(s.session_id, log.events).tracking, st.tracking, 'every screen replays the same timeline');
    const { deriveSteps } = await import('../../shared/session.ts');
    assert.equal(deriveSteps(st).at(-1)?.detail, 'delivered');
    ui.close();
  });

  it('from the screen: a refused address and a refused void are typed errors that change nothing; a void is acked once', async () => {
    const { s, labelId } = await bought();
    const ui = await TestClient.join(bff, s);
    const seq = (await state(s.session_id)).seq;
    ui.send({ type: 'ui_action', action: 'set_recipient', client_msg_id: 'bad1', address: { ...RECIPIENT, street: 'Main St', city: 'New York', state: 'NY' } });
    const bad = await ui.waitFor((f) => f.type === 'error' && f.ref === 'bad1');
    assert.equal((bad as { reason?: string }).reason, 'label_exists', 'a bought label keeps its address');
    ui.send({ type: 'ui_action', action: 'label_link', client_msg_id: 'l1', label_id: labelId, format: 'zpl' });
    const link = await ui.waitFor((f) => f.type === 'ack' && f.client_msg_id === 'l1');
    const zpl = await (await fetch((link as { url: string }).url)).text();
    assert.ok(zpl.startsWith('^XA'));
    ui.send({ type: 'ui_action', action: 'void_label', client_msg_id: 'v1', label_id: labelId });
    await ui.waitFor((f) => f.type === 'ack' && f.client_msg_id === 'v1');
    const voided = await ui.waitFor((f) => f.type === 'label_voided');
    assert.equal((voided as { by: string }).by, 'ui');
    await ui.waitFor((f) => f.type === 'contextual_update' && f.source === 'bff' && f.text.startsWith('The shipper voided the label on screen.'));
    ui.send({ type: 'ui_action', action: 'void_label', client_msg_id: 'v1', label_id: labelId });
    const dup = await ui.waitFor((f) => f.type === 'ack' && f.client_msg_id === 'v1' && f.duplicate === true);
    assert.ok(dup);
    assert.equal((await state(s.session_id)).seq, seq + 3, 'label_voided, account_updated and the note; nothing for the refusal');
    ui.close();

    const late = await bought();
    clock.advance(2 * STEP);
    const ui2 = await TestClient.join(bff, late.s);
    const before = (await state(late.s.session_id)).seq;
    ui2.send({ type: 'ui_action', action: 'void_label', client_msg_id: 'v2', label_id: late.labelId });
    const refusedVoid = await ui2.waitFor((f) => f.type === 'error' && f.ref === 'v2');
    assert.equal((refusedVoid as { reason?: string }).reason, 'void_refused');
    assert.match((refusedVoid as { message: string }).message, /already scanned/);
    assert.equal((await state(late.s.session_id)).seq, before);
    ui2.close();
  });

  it('a refused address from the screen is a typed error and logs nothing', async () => {
    const s = await quoted();
    const ui = await TestClient.join(bff, s);
    const seq = (await state(s.session_id)).seq;
    ui.send({ type: 'ui_action', action: 'set_recipient', client_msg_id: 'a1', address: { ...RECIPIENT, street: 'Main St', city: 'New York', state: 'NY' } });
    const err = await ui.waitFor((f) => f.type === 'error' && f.ref === 'a1');
    assert.deepEqual([(err as { code: string }).code, (err as { reason?: string }).reason], ['invalid_params', 'address_invalid']);
    assert.equal((await state(s.session_id)).seq, seq);
    ui.close();
  });

  it('masks recipient addresses in the operator log, the process log and the metrics', async () => {
    const { s } = await bought();
    const lines = logged.join('');
    assert.match(lines, /recipient checked/);
    assert.match(lines, /J\*\*\* D\*\*, 1\*\* M\*\*\* S\*\*\*, NEW YORK NY 100\*\*/);
    assert.ok(!lines.includes('Jane') && !lines.includes('Main St'), 'no recipient in the process log');
    const metrics = await (await fetch(`${bff.url}/metrics`)).text();
    assert.ok(metrics.length > 0 && !metrics.includes('Jane') && !metrics.includes('Main'), 'no recipient in the metrics');
    const res = await fetch(`${bff.url}/v1/admin/sessions/${s.session_id}/log`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const text = await res.text();
    assert.equal(res.status, 200);
    assert.ok(!text.includes('Jane Doe') && !text.includes('12 Main St'), text.slice(0, 400));
    assert.match(text, /J\*\*\* D\*\*/);
  });
});

describe('the shipment tools within the voice-time budget', { timeout: 30_000 }, () => {
  let bff: RunningServer;
  let hold = false;
  const held: Array<() => void> = [];
  before(async () => {
    bff = await startBff({
      env: { LABEL_DEADLINE_MS: '200', SHIPVOX_TIMEOUT_MS: '120000' },
      simulator: {
        // The account services hang while `hold` is set, until the BFF gives up on them.
        sleep: (_ms, { purpose, signal }) =>
          purpose === 'account_service' && hold && !signal?.aborted
            ? new Promise<void>((resolve) => {
                held.push(resolve);
                signal?.addEventListener('abort', () => resolve(), { once: true });
              })
            : Promise.resolve(),
      },
    });
  });
  after(async () => {
    for (const wake of held) wake();
    await bff.close();
  });
  const call = (sid: string, tool: string, params: Record<string, unknown> = {}) => webhook(bff, tool, { session_id: sid, ...params }).then((r) => r.json);

  it('a backend that does not answer gives a typed, speakable error at the deadline and changes nothing', async () => {
    const s = await newSession(bff);
    const a = await newSession(bff);
    await call(s.session_id, 'get_shipping_quotes', { to_zip: '10001', weight: 2 });
    const label = (await buyLabel(bff, s.session_id, { option: 1 }, '10001')).json;
    assert.ok(label.label_id, label.result);
    hold = true;
    const st = () => bff.companion.services.sessions.state(s.session_id);
    const seq = (await st()).seq;
    const address = await call(a.session_id, 'set_recipient_address', RECIPIENT);
    assert.equal(address.error, 'backend_unavailable');
    assert.equal((await bff.companion.services.sessions.state(a.session_id)).recipient ?? null, null);
    assert.match(address.result, /couldn't check that address just now.*Nothing was changed/);
    const voided = await call(s.session_id, 'void_label');
    assert.equal(voided.error, 'backend_unavailable');
    const where = await call(s.session_id, 'track_parcel');
    assert.equal(where.error, 'tracking_unavailable');
    const after = await st();
    assert.equal(after.seq, seq + 4, 'only the two tool runs were logged');
    assert.equal(after.voided ?? null, null);
    // Quotes with no from_zip need the account's address: the ZIP is asked for, nothing is quoted.
    const b = await newSession(bff);
    const unsaid = await call(b.session_id, 'get_shipping_quotes', { to_zip: '10001', weight: 2 });
    assert.equal(unsaid.error, 'invalid_zip');
    assert.match(unsaid.result, /I need the 5-digit ZIP code the parcel ships from/);
    assert.equal((await bff.companion.services.sessions.state(b.session_id)).quotes, null);
    const from = await call(b.session_id, 'set_recipient_address', { party: 'sender', ...RECIPIENT });
    assert.equal(from.error, 'backend_unavailable');
    assert.equal((await bff.companion.services.sessions.state(b.session_id)).sender ?? null, null);
    hold = false;
  });
});
