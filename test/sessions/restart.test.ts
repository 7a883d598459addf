import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exchange, newSession, QUOTE_PARAMS, startBff, TestClient, webhook, buyLabel } from '../helpers/bff.ts';

describe('BFF restart on the sqlite store', () => {
  it('sessions, logs and labels survive; sockets close 1001 and clients resume with nothing lost', async () => {
    const env = { STORE: 'sqlite', DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-restart-')), SIGNING_SECRET: 'x'.repeat(40) };
    const first = await startBff({ env });
    const s = await newSession(first);
    const ui = await TestClient.join(first, s, 'ui');
    const q = await webhook(first, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    await buyLabel(first, s.session_id, { quote_id: q.json.options[0].quote_id });
    await ui.waitFor((f) => f.type === 'client_tool_result' && (f as { tool_name: string }).tool_name === 'create_label' && Boolean((f as { data?: { label?: unknown } }).data?.label));
    const before = await first.companion.services.sessions.state(s.session_id);
    const lastSeq = ui.events().at(-1)!.seq;
    assert.equal(lastSeq, before.seq);

    await first.close();
    assert.equal((await ui.waitClosed()).code, 1001);

    const second = await startBff({ env });
    try {
      // The resume token minted before the restart still works, and the log is intact.
      const again = await exchange(second, { resume_token: s.resume_token });
      assert.equal(again.status, 201);
      assert.equal(again.json.session_id, s.session_id);
      const back = await TestClient.join(second, s, 'ui', 2);
      const resumedEvents = await back.waitFor((f) => 'seq' in f && f.seq === lastSeq).then(() => back.events());
      assert.deepEqual(resumedEvents.map((e) => e.seq), Array.from({ length: lastSeq - 2 }, (_, i) => i + 3));
      assert.equal((back.frames[0] as { resumed: boolean }).resumed, true);
      assert.deepEqual(await second.companion.services.sessions.state(s.session_id), before);

      const pdf = await fetch(before.label!.pdf_url.replace(/^http:\/\/[^/]+/, second.url));
      assert.equal(pdf.status, 200);
      assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 4).toString(), '%PDF');

      // The same quote again after the restart: the same label, no new purchase.
      const dup = await webhook(second, 'create_label', { session_id: s.session_id, quote_id: q.json.options[0].quote_id });
      assert.equal(dup.json.tracking_number, before.label!.tracking_number);
      assert.equal(second.simulator!.sim.stats().labels_purchased, 0);
      back.close();
    } finally {
      await second.close();
    }
  });
});
