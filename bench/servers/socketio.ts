/**
 * Bench server (c): Socket.IO 4 with connection state recovery doing the same flow: a
 * webhook-like POST /tool/<session> emits the same events (same sizes, a per-session seq and
 * ts) to the session's room, then answers what our webhook answers. Tool latency 0 like ours.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { FANOUT_TEXT, instantiate, type Template } from './template.ts';
import './mem.ts';

const template = JSON.parse(readFileSync(process.env.BENCH_TEMPLATE!, 'utf8')) as Template;
const seqs = new Map<string, number>();
const http = createServer((req: IncomingMessage, res: ServerResponse) => {
  if (req.url?.startsWith('/publish')) return void publish(Number(new URL(req.url, 'http://x').searchParams.get('n') ?? 100), res);
  const m = /^\/tool\/([^/?]+)/.exec(req.url ?? '');
  if (req.method !== 'POST' || !m) return void res.writeHead(404).end();
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    JSON.parse(body);
    const session = m[1]!;
    const { events, answer, seq } = instantiate(template, session, seqs.get(session) ?? 0);
    seqs.set(session, seq);
    for (const e of events) io.to(session).emit('event', e);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
});
const io = new Server(http, {
  transports: ['websocket'],
  perMessageDeflate: false,
  connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
});
const live = new Map<string, number>();
io.on('connection', (socket) => {
  const session = String(socket.handshake.auth.session);
  void socket.join(session);
  live.set(session, (live.get(session) ?? 0) + 1);
  socket.on('disconnect', () => {
    const n = (live.get(session) ?? 1) - 1;
    if (n <= 0) live.delete(session);
    else live.set(session, n);
  });
});
let cursor = 0;
function publish(n: number, res: ServerResponse) {
  const ids = [...live.keys()];
  for (let i = 0; i < n && ids.length > 0; i++) {
    const session = ids[cursor++ % ids.length]!;
    const seq = (seqs.get(session) ?? 0) + 1;
    seqs.set(session, seq);
    io.to(session).emit('event', { type: 'contextual_update', text: FANOUT_TEXT, source: 'ui', seq, ts: new Date().toISOString(), session_id: session });
  }
  res.end('ok');
}
http.listen(0, '127.0.0.1', () => console.log(`READY ${JSON.stringify({ url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` })}`));
