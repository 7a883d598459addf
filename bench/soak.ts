/**
 * Memory soak: `npm run bench:soak` (SOAK_S, default 600; SOAK_WARMUP_S, default 120).
 *
 * bff/main.ts runs as its own process, as `npm start` runs it (SQLite store in a temp DATA_DIR),
 * against the ShipVox simulator in this process (no latency). For SOAK_S seconds:
 * - visitors come and go (SOAK_VISITORS at a time): each creates a session, opens a UI and a voice
 *   socket, asks for quotes over the socket (client_tool_call), buys option 1 over the webhook,
 *   says a few contextual updates (fanned out to its screen), checks the state, and leaves: its
 *   session stays behind, idle;
 * - SOAK_ROOMS long-lived sessions with 3 screens each get a steady fan-out (a contextual update
 *   every 50 ms, round robin).
 * Every 5 s the BFF's RSS, heap and cached sessions are read (GET /metrics, from loopback). After
 * the load, the BFF idles for 40 s (longer than its idle release interval) and is read again.
 * Prints the figures and writes bench/results/soak.json and soak.md.
 * Target: RSS at the end within +20% of its level after warm-up; idle sessions released.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startSimulator } from '../bff/simulator/simulator.ts';

const SOAK_S = Number(process.env.SOAK_S ?? 600);
const WARMUP_S = Number(process.env.SOAK_WARMUP_S ?? Math.min(120, SOAK_S / 5));
const VISITORS = Number(process.env.SOAK_VISITORS ?? 6);
const ROOMS = Number(process.env.SOAK_ROOMS ?? 20);
const ORIGIN = 'http://soak.test';
const KEY = 'pk_soak_key';
const AGENT = 'agent_soak_secret_0001';
const ROOT = new URL('..', import.meta.url).pathname;
const QUOTE = { from_zip: '10001', to_zip: '94105', weight: 2, weight_unit: 'lb' };

const sim = await startSimulator({ latencyMs: { USPS: 0, UPS: 0, FedEx: 0 } });
const bff = spawn(process.execPath, ['--import', 'tsx', 'bff/main.ts'], {
  cwd: ROOT,
  env: {
    ...process.env,
    NODE_ENV: 'development',
    PORT: '0',
    PARTNER_PORT: '0',
    LOG_LEVEL: 'warn',
    STORE: 'sqlite',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-soak-')),
    SHIPVOX_URL: sim.url,
    PUBLISHABLE_KEYS: JSON.stringify({ [KEY]: [ORIGIN] }),
    SIGNING_SECRET: 'k'.repeat(40),
    AGENT_TOOL_SECRET: AGENT,
    RATE_LIMIT_HTTP_PER_MIN: '1000000',
    RATE_LIMIT_KEY_PER_MIN: '10000000',
    RATE_LIMIT_FRAMES_PER_SEC: '100000',
    SLOW_CARRIER_MS: '600000',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  bff.stdout!.on('data', (d: Buffer) => {
    out += String(d);
    const m = /ShipVox Companion \(development\) on (http\S+)/.exec(out) ?? /"url":"(http[^"]+)"/.exec(out);
    if (m) resolve(m[1]!);
  });
  bff.once('exit', (code) => reject(new Error(`bff exited ${code}: ${out}`)));
});
bff.stdout!.resume();

interface Sample {
  t_s: number;
  rss_mb: number;
  heap_mb: number;
  cached_sessions: number;
}
async function sample(t0: number): Promise<Sample> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
  return {
    t_s: Math.round((Date.now() - t0) / 1000),
    rss_mb: +(metric('svx_process_resident_memory_bytes') / 2 ** 20).toFixed(1),
    heap_mb: +(metric('svx_nodejs_heap_size_used_bytes') / 2 ** 20).toFixed(1),
    cached_sessions: metric('svx_sessions_cached'),
  };
}

const counts = { visits: 0, tool_calls: 0, failed: 0, events_received: 0 };

async function session(): Promise<{ session_id: string; resume_token: string }> {
  const res = await fetch(`${url}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify({ publishable_key: KEY }) });
  if (res.status !== 201) throw new Error(`exchange ${res.status}`);
  return (await res.json()) as { session_id: string; resume_token: string };
}

async function socket(s: { resume_token: string }, role: 'ui' | 'voice'): Promise<{ ws: WebSocket; next: (pred: (f: any) => boolean) => Promise<any> }> {
  const res = await fetch(`${url}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify({ resume_token: s.resume_token }) });
  const t = (await res.json()) as { ws_url: string; ticket: string };
  const ws = new WebSocket(`${t.ws_url}?ticket=${t.ticket}`, { origin: ORIGIN });
  const waiters: Array<{ pred: (f: any) => boolean; resolve: (f: any) => void }> = [];
  ws.on('message', (d) => {
    const f = JSON.parse(String(d));
    if ('seq' in f) counts.events_received++;
    for (const w of waiters.splice(0)) (w.pred(f) ? w.resolve(f) : waiters.push(w));
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = (pred: (f: any) => boolean) => new Promise<any>((resolve, reject) => {
    waiters.push({ pred, resolve });
    ws.once('close', () => reject(new Error('closed')));
  });
  const welcome = next((f) => f.type === 'welcome');
  ws.send(JSON.stringify({ type: 'hello', role }));
  await welcome;
  return { ws, next };
}

async function webhook(tool: string, body: object): Promise<any> {
  const res = await fetch(`${url}/v1/agent/tools/${tool}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${AGENT}` }, body: JSON.stringify(body) });
  counts.tool_calls++;
  return res.json();
}

/** One visitor: session, two sockets, quotes over the socket, a recipient and a confirmed label over the webhook, notes, a state check, gone. */
async function visit(n: number): Promise<void> {
  const s = await session();
  const ui = await socket(s, 'ui');
  const voice = await socket(s, 'voice');
  const id = `soak-${n}`;
  const quotes = voice.next((f) => f.type === 'client_tool_result' && f.tool_call_id === id);
  voice.ws.send(JSON.stringify({ type: 'client_tool_call', tool_call_id: id, tool_name: 'get_shipping_quotes', parameters: { ...QUOTE, weight: 1 + (n % 7) } }));
  const q = await quotes;
  counts.tool_calls++;
  const quoteId = q.data?.quotes?.[0]?.quote_id;
  if (!quoteId) throw new Error(`no quotes: ${q.result}`);
  // As the product buys: the recipient, the summary Bob reads, the shopper's yes.
  await webhook('set_recipient_address', { session_id: s.session_id, name: 'Ada Lovelace', company: 'Analytical Engines Inc', street: '500 Howard St', zip: QUOTE.to_zip });
  await webhook('create_label', { session_id: s.session_id, quote_id: quoteId });
  const label = await webhook('create_label', { session_id: s.session_id, quote_id: quoteId, confirmed: true });
  if (!label.tracking_number) throw new Error(`no label: ${label.result}`);
  for (let i = 0; i < 5; i++) voice.ws.send(JSON.stringify({ type: 'contextual_update', text: `note ${i} of visit ${n}` }));
  await ui.next((f) => f.type === 'contextual_update' && f.text === `note 4 of visit ${n}`);
  await webhook('get_session_state', { session_id: s.session_id });
  ui.ws.close();
  voice.ws.close();
  counts.visits++;
}

const t0 = Date.now();
const end = t0 + SOAK_S * 1000;
const samples: Sample[] = [await sample(t0)];
const sampler = setInterval(() => void sample(t0).then((x) => {
  samples.push(x);
  console.log(`t=${x.t_s}s rss=${x.rss_mb}MB heap=${x.heap_mb}MB cached=${x.cached_sessions} visits=${counts.visits} tool_calls=${counts.tool_calls} failed=${counts.failed}`);
}), 5000);

// Long-lived rooms: three screens each, a steady fan-out through one voice socket per room.
const rooms = await Promise.all(Array.from({ length: ROOMS }, async () => {
  const s = await session();
  const screens = await Promise.all([socket(s, 'ui'), socket(s, 'ui'), socket(s, 'ui')]);
  return { screens, voice: await socket(s, 'voice') };
}));
let tick = 0;
const fanout = setInterval(() => {
  const room = rooms[tick++ % rooms.length]!;
  room.voice.ws.send(JSON.stringify({ type: 'contextual_update', text: `room note ${tick}` }));
}, 50);

let visitNo = 0;
await Promise.all(Array.from({ length: VISITORS }, async () => {
  while (Date.now() < end) {
    try {
      await visit(visitNo++);
    } catch (err) {
      counts.failed++;
      if (counts.failed <= 5) console.error(`visit failed: ${String(err)}`);
    }
  }
}));
clearInterval(fanout);
for (const r of rooms) {
  for (const c of [...r.screens, r.voice]) c.ws.close();
}
const atEnd = await sample(t0);
samples.push(atEnd);
// Idle: no socket left; the BFF's idle release runs every 30 s.
await new Promise((r) => setTimeout(r, 40_000));
const idle = await sample(t0);
clearInterval(sampler);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const warm = samples.filter((x) => x.t_s >= WARMUP_S && x.t_s < WARMUP_S + 60);
const last = samples.filter((x) => x.t_s >= SOAK_S - 60 && x.t_s <= SOAK_S);
const afterWarm = samples.filter((x) => x.t_s >= WARMUP_S && x.t_s <= SOAK_S);
const baseline = median(warm.map((x) => x.rss_mb));
const final = median(last.map((x) => x.rss_mb));
const peak = Math.max(...afterWarm.map((x) => x.rss_mb));
const result = {
  at: new Date(t0).toISOString(),
  soak_s: SOAK_S,
  warmup_s: WARMUP_S,
  visitors: VISITORS,
  rooms: ROOMS,
  ...counts,
  rss_after_warmup_mb: baseline,
  rss_last_minute_mb: final,
  rss_growth_pct: +((final / baseline - 1) * 100).toFixed(1),
  rss_peak_after_warmup_mb: peak,
  peak_growth_pct: +((peak / baseline - 1) * 100).toFixed(1),
  heap_after_warmup_mb: median(warm.map((x) => x.heap_mb)),
  heap_last_minute_mb: median(last.map((x) => x.heap_mb)),
  cached_sessions_at_end: atEnd.cached_sessions,
  cached_sessions_after_idle: idle.cached_sessions,
  heap_after_idle_mb: idle.heap_mb,
  rss_after_idle_mb: idle.rss_mb,
  target_met: final <= baseline * 1.2 && idle.cached_sessions === 0,
  samples,
};
console.log(JSON.stringify({ ...result, samples: undefined }, null, 1));
if (!process.env.SOAK_NO_WRITE) {
  const dir = join(ROOT, 'bench', 'results');
  writeFileSync(join(dir, 'soak.json'), `${JSON.stringify(result, null, 1)}\n`);
  writeFileSync(
    join(dir, 'soak.md'),
    `# Memory soak (${result.at})\n\n\`node --import tsx bench/soak.ts\`: bff/main.ts on SQLite, ${SOAK_S} s, ${VISITORS} visitors at a time coming and going, ${ROOMS} rooms × 3 screens with a contextual update every 50 ms; warm-up ${WARMUP_S} s.\n\n` +
      `| figure | value |\n|---|---|\n` +
      `| visits (session, 2 sockets, quotes, label, 5 notes, state check, gone) | ${counts.visits} |\n| tool calls | ${counts.tool_calls} |\n| failed visits | ${counts.failed} |\n| events received by clients | ${counts.events_received} |\n` +
      `| RSS after warm-up (median of the following minute) | ${baseline} MB |\n| RSS in the last minute (median) | ${final} MB (${result.rss_growth_pct >= 0 ? '+' : ''}${result.rss_growth_pct}%) |\n| peak RSS after warm-up | ${peak} MB (+${result.peak_growth_pct}%) |\n` +
      `| heap used after warm-up → last minute | ${result.heap_after_warmup_mb} → ${result.heap_last_minute_mb} MB |\n| sessions cached at the end of the load → after 40 s idle | ${atEnd.cached_sessions} → ${idle.cached_sessions} |\n| heap / RSS after 40 s idle | ${idle.heap_mb} / ${idle.rss_mb} MB |\n| target (RSS ≤ +20%, idle sessions released) | ${result.target_met ? 'met' : 'NOT met'} |\n`,
  );
}
bff.kill('SIGTERM');
await new Promise((r) => bff.once('exit', r));
await sim.close();
process.exit(0);
