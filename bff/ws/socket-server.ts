/**
 * The WebSocket endpoint `/v1/ws?ticket=…` on the same HTTP server as Hono. Tickets are checked
 * in the upgrade, but refusals complete the handshake and close with 4401/4403/4404 so a browser
 * can tell them from a network failure. Also runs the protocol-level heartbeat.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { CloseCode, MAX_FRAME_BYTES } from '../../shared/protocol.ts';
import { originAllowed } from '../http/access.ts';
import { LOCAL_BOB_PATH } from '../local-bob/server.ts';
import type { Services } from '../services.ts';
import { CompanionSocket, Connection } from './connection.ts';
import { TICKET_TTL_MS } from '../auth/tokens.ts';
import { StoreUnavailableError } from '../sessions/store.ts';

type Verdict = { ok: true; sessionId: string } | { ok: false; code: number; reason: string };

export class SocketServer {
  // No client tracking: `connections` tracks them (ws's own set adds a close listener per socket).
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, clientTracking: false, WebSocket: CompanionSocket });
  private readonly connections = new Set<Connection>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly s: Services) {
    this.heartbeat = setInterval(() => this.beat(), s.config.HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://x');
      // The local Bob's conversations, when it runs, are its own; any other upgrade would hold its descriptor until restart.
      if (url.pathname === LOCAL_BOB_PATH && this.s.localBob) return;
      if (url.pathname !== '/v1/ws') return refuseUpgrade(socket);
      socket.on('error', destroyOnError);
      void this.verify(url.searchParams.get('ticket'), req.headers.origin ?? null)
        .catch((err: unknown): Verdict => {
          // The store could not be asked (Redis down, say): not the ticket's fault, and it stays valid (unclaimed) for a retry.
          if (err instanceof StoreUnavailableError) return { ok: false, code: CloseCode.tryAgainLater, reason: 'try again later' };
          this.s.log.error({ err }, 'socket upgrade failed');
          return { ok: false, code: 1011, reason: 'internal error' };
        })
        .then((verdict) => {
          if (this.s.closing()) verdict = { ok: false, code: CloseCode.goingAway, reason: 'server going away' };
          this.wss.handleUpgrade(req, socket, head, (ws) => {
            socket.off('error', destroyOnError); // ws has its own on the socket now
            this.accept(ws as CompanionSocket, verdict);
          });
        });
    });
  }

  private async verify(ticket: string | null, origin: string | null): Promise<Verdict> {
    const unauthorized: Verdict = { ok: false, code: CloseCode.unauthorized, reason: 'ticket invalid, expired or used' };
    const claims = ticket ? this.s.signer.verify(ticket, 'ticket') : null;
    if (!claims) return unauthorized;
    const session = await this.s.sessions.get(claims.sid);
    if (!session) return { ok: false, code: CloseCode.sessionGone, reason: 'session gone' };
    if ((claims.org !== null && claims.org !== origin) || !originAllowed(session.meta.origins, origin)) {
      return { ok: false, code: CloseCode.originNotAllowed, reason: 'origin not allowed' };
    }
    // Claimed last, so a refused attempt (wrong origin) does not burn a valid ticket.
    if (!(await this.s.sessions.claimOnce(`ticket:${claims.jti}`, TICKET_TTL_MS + 1000))) return unauthorized;
    // The session's own id string, not the ticket's (a slice of the whole decoded ticket, kept alive by every idle socket).
    return { ok: true, sessionId: session.meta.session_id };
  }

  private accept(ws: CompanionSocket, verdict: Verdict): void {
    if (!verdict.ok) {
      this.s.log.info({ code: verdict.code, reason: verdict.reason }, 'socket refused');
      ws.close(verdict.code, verdict.reason);
      return;
    }
    this.connections.add(new Connection(ws, verdict.sessionId, this.s, this));
    this.s.metrics.connectionOpened();
  }

  /** Called by a Connection once its socket has closed. */
  closed(conn: Connection): void {
    if (this.connections.delete(conn)) this.s.metrics.connectionClosed();
  }

  /** Closes sockets silent for two intervals (app pings count as activity); pings the others. */
  private beat(): void {
    const deadline = this.s.now() - 2 * this.s.config.HEARTBEAT_MS;
    for (const conn of this.connections) {
      if (conn.lastSeen < deadline) conn.terminate(CloseCode.heartbeatTimeout);
      else conn.ping();
    }
  }

  /** Closes every socket with 1001 so clients reconnect (to us again or to another instance). */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const conn of this.connections) conn.close(CloseCode.goingAway, 'server going away');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  get size(): number {
    return this.connections.size;
  }
}

/** Answers an upgrade nobody serves with a plain 404 and closes the connection. */
function refuseUpgrade(socket: Duplex): void {
  socket.on('error', destroyOnError);
  socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', () => socket.destroy());
}

/** Not a closure over the upgrade: it stays on the socket for its whole life and would keep the request alive. */
function destroyOnError(this: Duplex): void {
  this.destroy();
}
