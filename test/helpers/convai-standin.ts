/**
 * A local stand-in for the ElevenLabs conversation WebSocket (`/v1/convai/conversation`,
 * subprotocol `convai`), strict where the real one is (see /work/shared/reference/elevenlabs.md §7):
 * the first client frame must be `conversation_initiation_client_data`; it answers with
 * `conversation_initiation_metadata` (audio formats included, or the SDK throws), sends `ping`s,
 * sends `client_tool_call`s on demand and closes with 1008 when a `client_tool_result.result` is
 * not a string. Records every non-audio frame; `user_audio_chunk` frames are counted and dropped.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export const CONVAI_PATH = '/v1/convai/conversation';

export interface ToolResult {
  type: 'client_tool_result';
  tool_call_id: string;
  result: unknown;
  is_error: boolean;
}

/** One conversation (one socket), as the stand-in saw it. */
export class StandInConversation {
  /** The `conversation_initiation_client_data` frame (null until it arrived). */
  init: any = null;
  /** Every JSON frame except audio chunks, in arrival order. */
  readonly frames: any[] = [];
  audioChunks = 0;
  closed: { code: number; reason: string } | null = null;
  readonly conversationId: string;
  private nextCall = 1;
  private nextEvent = 1;
  private waiters: Array<() => void> = [];

  constructor(
    readonly ws: WebSocket,
    readonly query: URLSearchParams,
    id: number,
    pingMs: number,
  ) {
    this.conversationId = `conv_standin_${id}`;
    const pinger = setInterval(() => this.ping(), pingMs);
    ws.on('message', (data, isBinary) => this.onMessage(isBinary ? null : String(data)));
    ws.on('close', (code, reason) => {
      clearInterval(pinger);
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
  }

  private onMessage(text: string | null): void {
    let frame: any;
    try {
      frame = text === null ? null : JSON.parse(text);
    } catch {
      frame = null;
    }
    if (!frame || typeof frame !== 'object') return this.reject('invalid_message');
    if (typeof frame.user_audio_chunk === 'string') {
      this.audioChunks++;
      return;
    }
    if (!this.init) {
      if (frame.type !== 'conversation_initiation_client_data') return this.reject('missing_fields');
      this.init = frame;
      this.frames.push(frame);
      this.send({
        type: 'conversation_initiation_metadata',
        conversation_initiation_metadata_event: {
          conversation_id: this.conversationId,
          agent_output_audio_format: 'pcm_16000',
          user_input_audio_format: 'pcm_16000',
        },
      });
      this.ping();
      this.wake();
      return;
    }
    if (frame.type === 'client_tool_result') {
      // The real service: "Invalid message received" (1008) for a non-string result or missing fields.
      if (typeof frame.result !== 'string' || typeof frame.tool_call_id !== 'string' || typeof frame.is_error !== 'boolean') {
        return this.reject('invalid_message');
      }
    }
    this.frames.push(frame);
    this.wake();
  }

  private reject(reason: string): void {
    this.ws.close(1008, `Invalid message received (${reason})`);
  }

  send(frame: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }

  ping(): void {
    if (this.init) this.send({ type: 'ping', ping_event: { event_id: this.nextEvent++, ping_ms: 20 } });
  }

  /** Sends a `client_tool_call` and resolves with its `client_tool_result`. */
  async callTool(toolName: string, parameters: Record<string, unknown>): Promise<ToolResult> {
    const toolCallId = `call_standin_${this.nextCall++}`;
    this.send({
      type: 'client_tool_call',
      client_tool_call: { tool_name: toolName, tool_call_id: toolCallId, parameters, event_id: this.nextEvent++ },
    });
    return this.waitFor((f) => f.type === 'client_tool_result' && f.tool_call_id === toolCallId);
  }

  /** Frames of one type received so far. */
  ofType(type: string): any[] {
    return this.frames.filter((f) => f.type === type);
  }

  /** The first recorded frame matching pred (waiting for it); rejects when the socket closes first. */
  async waitFor<T = any>(pred: (frame: any) => boolean): Promise<T> {
    for (;;) {
      const hit = this.frames.find(pred);
      if (hit) return hit as T;
      if (this.closed) throw new Error(`conversation closed (${this.closed.code} ${this.closed.reason}) before the frame arrived`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  async waitClosed(): Promise<{ code: number; reason: string }> {
    while (!this.closed) await new Promise<void>((r) => this.waiters.push(r));
    return this.closed;
  }

  /** Ends the conversation from the agent's side (1000, like end_call). */
  end(code = 1000, reason = 'agent ended the call'): void {
    this.ws.close(code, reason);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
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
    const conversation = new StandInConversation(ws, query, conversations.length + 1, opts.pingMs ?? 2000);
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
