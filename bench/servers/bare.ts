/**
 * Bench server (d), the ceiling: a bare `ws` hub that only fans out: each event serialised and
 * encoded once, the same bytes sent as a text frame to every socket of its session.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import { announce, replayServer } from './template.ts';
import './mem.ts';

const rooms = new Map<string, Set<WebSocket>>();
const http = replayServer(
  (session, event) => {
    const room = rooms.get(session);
    if (!room) return;
    const frame = Buffer.from(JSON.stringify(event));
    for (const ws of room) ws.send(frame, { binary: false });
  },
  () => [...rooms.keys()],
);
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
announce(http);
