/**
 * What the comparison servers (Socket.IO, bare hub) share: the events one get_shipping_quotes
 * call logs on our BFF, replayed with a per-session seq, and the HTTP side both expose.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Template {
  events: Array<Record<string, unknown>>;
  answer: unknown;
}

let calls = 0;

export function instantiate(t: Template, session: string, lastSeq: number) {
  const id = `wh_bench_${++calls}`;
  let seq = lastSeq;
  const events = t.events.map((e) => ({
    ...e,
    ...('tool_call_id' in e ? { tool_call_id: id } : {}),
    seq: ++seq,
    ts: new Date().toISOString(),
    session_id: session,
  }));
  return { events, answer: t.answer, seq };
}

/** The fan-out phase's event body: a ~1.5 KB contextual update, like a mid-size tool result. */
export const FANOUT_TEXT = 'Shipment update: '.padEnd(1400, 'carrier rates and transit details, ');

/**
 * The comparison servers' HTTP side: POST /tool/<session> delivers the template's events (the
 * webhook's work) and answers what our webhook answers; POST /publish?n=N delivers N fan-out
 * events round-robin over `sessions()`. `deliver` sends one event to every socket of a session.
 */
export function replayServer(deliver: (session: string, event: Record<string, unknown>) => void, sessions: () => string[]): Server {
  const template = JSON.parse(readFileSync(process.env.BENCH_TEMPLATE!, 'utf8')) as Template;
  const seqs = new Map<string, number>();
  let cursor = 0;
  return createServer((req, res) => {
    if (req.url?.startsWith('/publish')) {
      const ids = sessions();
      const n = Number(new URL(req.url, 'http://x').searchParams.get('n') ?? 100);
      for (let i = 0; i < n && ids.length > 0; i++) {
        const session = ids[cursor++ % ids.length]!;
        const seq = (seqs.get(session) ?? 0) + 1;
        seqs.set(session, seq);
        deliver(session, { type: 'contextual_update', text: FANOUT_TEXT, source: 'ui', seq, ts: new Date().toISOString(), session_id: session });
      }
      return void res.end('ok');
    }
    const m = /^\/tool\/([^/?]+)/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m) return void res.writeHead(404).end();
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      JSON.parse(body);
      const session = m[1]!;
      const { events, answer, seq } = instantiate(template, session, seqs.get(session) ?? 0);
      seqs.set(session, seq);
      for (const e of events) deliver(session, e);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
}

/** Listens on an OS-chosen port and tells the bench its URL; exits cleanly on SIGTERM (so --cpu-prof writes its profile). */
export function announce(http: Server): void {
  process.on('SIGTERM', () => process.exit(0));
  http.listen(0, '127.0.0.1', () => console.log(`READY ${JSON.stringify({ url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` })}`));
}
