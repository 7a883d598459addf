/**
 * A local stand-in for the ElevenLabs conversation WebSocket (`/v1/convai/conversation`,
 * subprotocol `convai`): the service's side of each conversation is bff/local-bob/conversation.ts
 * (held to the contract in `@elevenlabs/types`), driven here by the test instead of the local Bob:
 * it checks every client frame, answers the initiation, sends `ping`s, and plays Bob's side of a
 * turn on demand (`callTool`, `say`, `interrupt`, …). Records every frame but audio.
 * The conversation half of test/helpers/elevenlabs-standin.ts (the REST half).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { CONVAI_PATH, ConvaiConversation, wsSocket, type ConversationSocket } from '../../bff/local-bob/conversation.ts';

export { CONVAI_PATH };
export type { ConversationSocket, ToolResult } from '../../bff/local-bob/conversation.ts';

/** One conversation (one socket, or a page's routed one), as the stand-in saw it. */
export class StandInConversation extends ConvaiConversation {
  constructor(ws: ConversationSocket, query: URLSearchParams, id: number, pingMs: number) {
    super(ws, query, `conv_standin_${id}`, { pingMs });
  }
}

export interface ConvaiStandIn {
  /** ws://127.0.0.1:<port>/v1/convai/conversation — the signed URL base. */
  url: string;
  conversations: StandInConversation[];
  /** Resolves with the n-th conversation (0-based) once its initiation frame arrived. */
  conversation(n?: number): Promise<StandInConversation>;
  close(): Promise<void>;
}

export async function startConvaiStandIn(opts: { pingMs?: number } = {}): Promise<ConvaiStandIn> {
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({
    server,
    path: CONVAI_PATH,
    handleProtocols: (protocols) => (protocols.has('convai') ? 'convai' : false),
  });
  const conversations: StandInConversation[] = [];
  let waiters: Array<() => void> = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  wss.on('connection', (ws, req) => {
    const query = new URL(req.url ?? '/', 'http://standin').searchParams;
    // Signed URLs only: the real service refuses a private agent's conversation without one.
    if (!query.get('agent_id') || !query.get('conversation_signature')) {
      ws.close(1008, 'authorization failed');
      return;
    }
    const conversation = new StandInConversation(wsSocket(ws), query, conversations.length + 1, opts.pingMs ?? 2000);
    conversations.push(conversation);
    ws.on('message', wake);
    wake();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${CONVAI_PATH}`;
  return {
    url,
    conversations,
    async conversation(n = 0) {
      for (;;) {
        const c = conversations[n];
        if (c?.init) return c;
        await new Promise<void>((r) => waiters.push(r));
      }
    },
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
