/**
 * Redis sizing from a real flow: `node --import tsx scripts/redis-sizing.ts`. Starts a throwaway
 * redis-server and a BFF on it, runs get quotes → (again with another weight) → create label,
 * then prints MEMORY USAGE per key kind, bytes per logged event and per session.
 */
import { Redis } from 'ioredis';
import { startSimulator } from '../bff/simulator/simulator.ts';
import { newSession, QUOTE_PARAMS, startBff, TestClient, webhook } from '../test/helpers/bff.ts';
import { RedisServer } from '../test/helpers/redis.ts';

const SESSIONS = 20;
const redis = await RedisServer.start();
const sim = await startSimulator({ latencyMs: { USPS: 0, UPS: 0, FedEx: 0 } });
const bff = await startBff({ env: { STORE: 'redis', REDIS_URL: redis.url, SHIPVOX_URL: sim.url, RATE_LIMIT_HTTP_PER_MIN: '100000' } });
const r = new Redis(redis.url);
try {
  for (let i = 0; i < SESSIONS; i++) {
    const s = await newSession(bff);
    const ui = await TestClient.join(bff, s, 'ui');
    await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS });
    const q = await webhook(bff, 'get_shipping_quotes', { session_id: s.session_id, ...QUOTE_PARAMS, weight: 3 });
    await webhook(bff, 'create_label', { session_id: s.session_id, quote_id: q.json.options[0].quote_id });
    await webhook(bff, 'get_session_state', { session_id: s.session_id });
    ui.close();
  }
  const sum: Record<string, { keys: number; bytes: number }> = {};
  let events = 0;
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const k of keys) {
      const kind = k.endsWith(':log') ? 'log (stream)' : k.endsWith(':s') ? 'state + meta (hash)' : k.startsWith('svx:l:') ? 'label PDF (hash)' : k.startsWith('svx:c:') ? 'claims' : 'records (tool results, ui actions, conversation)';
      const bytes = Number(await r.memory('USAGE', k, 'SAMPLES', 0));
      (sum[kind] ??= { keys: 0, bytes: 0 }).keys++;
      sum[kind].bytes += bytes;
      if (kind === 'log (stream)') events += await r.xlen(k);
    }
  } while (cursor !== '0');
  console.log(`${SESSIONS} sessions, ${events} logged events (2 quote requests, a label, a state check each)\n`);
  console.log('| key kind | keys | bytes per session | notes |\n|---|---|---|---|');
  let perSession = 0;
  for (const [kind, v] of Object.entries(sum)) {
    const per = Math.round(v.bytes / SESSIONS);
    if (kind !== 'label PDF (hash)') perSession += per;
    const note = kind === 'log (stream)' ? `${Math.round(v.bytes / events)} bytes per event` : '';
    console.log(`| ${kind} | ${v.keys} | ${per} | ${note} |`);
  }
  console.log(`\nper session without the PDF: ${(perSession / 1024).toFixed(1)} KB; with it: ${((perSession + (sum['label PDF (hash)']?.bytes ?? 0) / SESSIONS) / 1024).toFixed(1)} KB`);
} finally {
  r.disconnect();
  await bff.close();
  await sim.close();
  await redis.stop();
}
