/**
 * The local Bob's conversation endpoint on the BFF's own HTTP server: `LOCAL_BOB_PATH`, subprotocol
 * `convai`, reached through a signed URL from GET /v1/voice/credentials exactly as ElevenLabs' own
 * (`agent_id` and `conversation_signature`, here a single-use session ticket), so `@elevenlabs/client`
 * connects to it unchanged. Each socket is one conversation with its own LocalBob.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_FRAME_BYTES } from '../../shared/protocol.ts';
import { originAllowed } from '../http/access.ts';
import type { Services } from '../services.ts';
import { LocalBob } from './bob.ts';
import { ConvaiConversation, CONVAI_PATH, wsSocket } from './conversation.ts';

export const LOCAL_BOB_PATH = `/v1/local-bob${CONVAI_PATH}`;
export const LOCAL_BOB_AGENT_ID = 'local_bob';

export interface LocalBobServerOptions {
  /** Delay between streamed words (default 35 ms; 0 in tests). */
  wordMs?: number;
  pingMs?: number;
}

export class LocalBobServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has('convai') ? 'convai' : false),
  });
  private next = 1;

  constructor(
    private readonly s: Services,
    private readonly o: LocalBobServerOptions = {},
  ) {}

  /** The signed URL for one conversation of `sessionId` (from `base`, the BFF's public URL). */
  signedUrl(base: string, sessionId: string, origin: string | null): string {
    const url = new URL(LOCAL_BOB_PATH, base.replace(/^http/, 'ws'));
    url.searchParams.set('agent_id', LOCAL_BOB_AGENT_ID);
    url.searchParams.set('conversation_signature', this.s.signer.issueTicket(sessionId, origin).token);
    return url.href;
  }

  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== LOCAL_BOB_PATH) return;
      void this.verify(url.searchParams.get('conversation_signature'), req.headers.origin ?? null)
        .catch((err: unknown) => {
          this.s.log.error({ err }, 'local Bob upgrade failed');
          return null;
        })
        .then((sessionId) => this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, url.searchParams, sessionId)));
    });
  }

  private async verify(signature: string | null, origin: string | null): Promise<string | null> {
    const claims = signature ? this.s.signer.verify(signature, 'ticket') : null;
    const session = claims ? await this.s.sessions.get(claims.sid) : null;
    if (!claims || !session || (claims.org !== null && claims.org !== origin) || !originAllowed(session.meta.origins, origin)) return null;
    if (!(await this.s.sessions.claimOnce(`local-bob:${claims.jti}`, 61_000))) return null;
    return session.meta.session_id;
  }

  private accept(ws: WebSocket, query: URLSearchParams, sessionId: string | null): void {
    // As the service does with a conversation it cannot authorise.
    if (!sessionId || this.s.closing()) return ws.close(1008, 'authorization failed');
    let bob: LocalBob | null = null;
    const conversation = new ConvaiConversation(wsSocket(ws), query, `conv_local_${this.next++}`, {
      pingMs: this.o.pingMs ?? 20_000,
      onFrame: (frame) => bob?.onFrame(frame),
    });
    bob = new LocalBob(conversation, { sessionId, state: () => this.s.sessions.state(sessionId), wordMs: this.o.wordMs ?? 35 });
    // The greeting follows the initiation (the SDK sends it first thing).
    void conversation.started().then(() => bob.start(), () => undefined);
    this.s.log.info({ session_id: sessionId, conversation_id: conversation.conversationId }, 'local Bob conversation');
  }

  close(): Promise<void> {
    for (const c of this.wss.clients) c.close(1001, 'server going away');
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
