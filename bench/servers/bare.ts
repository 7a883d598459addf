/**
 * Bench server (d), the ceiling: a bare `ws` hub that only fans out. POST /tool/<session> sends
 * the same events (serialised once each) to every socket of the session and answers like ours.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FANOUT_TEXT, instantiate, type Template } from './template.ts';
import './mem.ts';

const template = JSON.parse(readFileSync(process.env.BENCH_TEMPLATE!, 'utf8')) as Template;
const seqs = new Map<string, number>();
const rooms = new Map<string, Set<WebSocket>>();
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
    const room = rooms.get(session);
    for (const e of events) {
      const frame = JSON.stringify(e);
      if (room) for (const ws of room) ws.send(frame);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  });
});
const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
wss.on('connection', (ws, req) => {
  const session = new URL(req.url ?? '/', 'http://x').searchParams.get('session') ?? '';
  let room = rooms.get(session);
  if (!room) rooms.set(session, (room = new Set()));
  room.add(ws);
  ws.on('close', () => {
    room.delete(ws);
    if (room.size === 0) rooms.delete(session);
  });
});
let cursor = 0;
function publish(n: number, res: ServerResponse) {
  const ids = [...rooms.keys()];
  for (let i = 0; i < n && ids.length > 0; i++) {
    const session = ids[cursor++ % ids.length]!;
    const seq = (seqs.get(session) ?? 0) + 1;
    seqs.set(session, seq);
    const frame = JSON.stringify({ type: 'contextual_update', text: FANOUT_TEXT, source: 'ui', seq, ts: new Date().toISOString(), session_id: session });
    for (const ws of rooms.get(session)!) ws.send(frame);
  }
  res.end('ok');
}
http.listen(0, '127.0.0.1', () => console.log(`READY ${JSON.stringify({ url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` })}`));
