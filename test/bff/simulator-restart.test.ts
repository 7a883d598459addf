/**
 * The embedded ShipVox simulator outlives the BFF: bff/main.ts (a real process, SQLite store) is
 * stopped mid-conversation with SIGTERM or SIGKILL and started again on the same DATA_DIR; the
 * option Bob read before the restart is still buyable, bought once, and the purchase is replayed
 * (not bought again) when retried after the restart.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { newSession, QUOTE_PARAMS, TestClient, ticketFor, webhook, buyLabel } from '../helpers/bff.ts';
import { startMain, type MainProcess } from '../helpers/main-process.ts';

const start = (dataDir: string) => startMain({ STORE: 'sqlite', DATA_DIR: dataDir, SIMULATOR_LATENCY_MS: '0' });

async function stop(child: MainProcess, signal: 'SIGTERM' | 'SIGKILL') {
  child.proc.kill(signal);
  await child.exited;
}

describe('the embedded simulator across a BFF restart', () => {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`${signal}: the options Bob read stay buyable by their number, bought once`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'svx-simrestart-'));
      let s;
      let heard: string;
      const first = await start(dataDir);
      try {
        s = await newSession(first.bff);
        heard = (await webhook(first.bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS })).json.result;
        assert.match(heard, /Option 2: /);
      } finally {
        await stop(first, signal);
      }
      const second = await start(dataDir);
      try {
        // The session resumes (its resume token still works), and Bob buys what he read before the restart.
        await ticketFor(second.bff, s);
        const bought = await buyLabel(second.bff, s.session_id, { option: 2 });
        assert.equal(bought.json.is_error, undefined, bought.json.result);
        assert.match(bought.json.result, /^Label created, downloading now\./);
        const option2 = /Option 2: (\S+) ([^,]+), (\$[\d.]+)/.exec(heard)!;
        assert.ok(bought.json.result.includes(`${option2[1]} ${option2[2]}, ${option2[3]}.`), `${bought.json.result} vs ${heard}`);
        const ui = await TestClient.join(second.bff, s);
        ui.close();
      } finally {
        await stop(second, signal);
      }
      const third = await start(dataDir);
      try {
        // The label is the BFF's (its log); the simulator also kept the purchase: asked again, it replays.
        const again = await webhook(third.bff, 'create_label', { session_id: s.session_id, option: 2 });
        assert.match(again.json.result, /already created, so nothing was bought twice/);
        const stats = (await (await fetch(`${await simulatorUrl(third)}/__sim/stats`)).json()) as { labels_purchased: number };
        assert.equal(stats.labels_purchased, 0, 'nothing was bought by this process');
      } finally {
        await stop(third, 'SIGTERM');
      }
    });
  }
});

/** The embedded simulator's URL, as main.ts logs it at start. */
async function simulatorUrl(child: MainProcess): Promise<string> {
  const m = /"shipvox":"(http[^"]+)"/.exec(child.output());
  assert.ok(m, child.output());
  return m[1]!;
}
