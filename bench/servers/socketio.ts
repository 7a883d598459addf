/**
 * Bench server (c): Socket.IO 4 with connection state recovery doing the same flow: each event
 * (same sizes, a per-session seq and ts) is emitted to the session's room.
 */
import { Server } from 'socket.io';
import { announce, replayServer } from './template.ts';
import './mem.ts';

const live = new Map<string, number>();
const http = replayServer(
  (session, event) => void io.to(session).emit('event', event),
  () => [...live.keys()],
);
const io = new Server(http, {
  transports: ['websocket'],
  perMessageDeflate: false,
  connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
});
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
announce(http);
