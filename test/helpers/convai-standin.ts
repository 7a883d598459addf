/**
 * A local stand-in for the ElevenLabs conversation WebSocket (`/v1/convai/conversation`,
 * subprotocol `convai`), held to the contract in `@elevenlabs/types` (test/helpers/convai-contract.ts):
 * every client frame is checked as the service checks it (known type, required fields present and
 * typed; the first one `conversation_initiation_client_data`), a malformed one gets an `error` frame
 * (`error_event.code` 1008) and then the 1008 close; every frame it sends is typed by the contract.
 * It answers the initiation with `conversation_initiation_metadata`, sends `ping`s, and plays Bob's
 * side of a turn on demand the way the service does: `agent_tool_request`, `client_tool_call`,
 * `agent_tool_response` after the result, `agent_response`, `interruption` and
 * `agent_response_correction`. Records every frame but audio (counted and dropped).
 * The conversation half of test/helpers/elevenlabs-standin.ts (the REST half).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorEventErrorType, Outgoing } from '@elevenlabs/types';
import { WebSocketServer, type WebSocket } from 'ws';
import { checkClientFrame, type ClientFrame, type ServiceFrame } from './convai-contract.ts';

export const CONVAI_PATH = '/v1/convai/conversation';

export type ToolResult = Outgoing.ClientToolResultClientToOrchestratorEvent;

/** One conversation socket as the stand-in sees it: a `ws` socket here, a playwright WebSocketRoute in a page. */
export interface ConversationSocket {
  send(text: string): void;
  close(code: number, reason: string): void;
  readonly isOpen: boolean;
  onMessage(listener: (text: string | null) => void): void;
  onClose(listener: (code: number, reason: string) => void): void;
}

/** A `ws` server socket as a ConversationSocket. */
function wsSocket(ws: WebSocket): ConversationSocket {
  return {
    send: (text) => ws.send(text),
    close: (code, reason) => ws.close(code, reason),
    get isOpen() {
      return ws.readyState === ws.OPEN;
    },
    onMessage: (listener) => ws.on('message', (data, isBinary) => listener(isBinary ? null : String(data))),
    onClose: (listener) => ws.on('close', (code, reason) => listener(code, String(reason))),
  };
}
type Recorded = Exclude<ClientFrame, Outgoing.UserAudio>;

/** One conversation (one socket), as the stand-in saw it. */
export class StandInConversation {
  /** The `conversation_initiation_client_data` frame (null until it arrived). */
  init: Outgoing.ConversationInitiationClientToOrchestratorEvent | null = null;
  /** Every frame except audio chunks, in arrival order (each one valid by the contract). */
  readonly frames: Recorded[] = [];
  /** Every frame this stand-in sent, in order. */
  readonly sent: ServiceFrame[] = [];
  /** What Bob said last (agent_response), for a correction after an interruption. */
  private lastResponse = '';
  audioChunks = 0;
  closed: { code: number; reason: string } | null = null;
  readonly conversationId: string;
  private nextCall = 1;
  private nextEvent = 1;
  private waiters: Array<() => void> = [];

  constructor(
    readonly ws: ConversationSocket,
    readonly query: URLSearchParams,
    id: number,
    pingMs: number,
  ) {
    this.conversationId = `conv_standin_${id}`;
    const pinger = setInterval(() => this.ping(), pingMs);
    ws.onMessage((text) => this.onMessage(text));
    ws.onClose((code, reason) => {
      clearInterval(pinger);
      this.closed ??= { code, reason };
      this.wake();
    });
  }

  private onMessage(text: string | null): void {
    const check = text === null ? ({ ok: false, error_type: 'invalid_message', message: 'Invalid message received: binary frame' } as const) : checkClientFrame(text);
    if (!check.ok) return this.reject(check.error_type, check.message);
    const frame = check.frame;
    if (!('type' in frame)) {
      this.audioChunks++;
      return;
    }
    if (!this.init) {
      if (frame.type !== 'conversation_initiation_client_data') {
        return this.reject('missing_fields', 'The first message must be conversation_initiation_client_data');
      }
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
    this.frames.push(frame);
    this.wake();
  }

  /** What the service does with a frame it cannot take: an `error` frame, then close 1008. */
  private reject(errorType: ErrorEventErrorType, message: string): void {
    this.send({ type: 'error', error_event: { code: 1008, error_type: errorType, message } });
    this.ws.close(1008, 'Invalid message received');
  }

  send(frame: ServiceFrame): void {
    if (!this.ws.isOpen) return;
    this.sent.push(frame);
    this.ws.send(JSON.stringify(frame));
  }

  ping(): void {
    if (this.init) this.send({ type: 'ping', ping_event: { event_id: this.nextEvent++, ping_ms: 20 } });
  }

  /**
   * Bob calls a client tool as the service does it: `agent_tool_request`, `client_tool_call`, and
   * once the client answered, `agent_tool_response` (is_error as the client said). Resolves with the
   * `client_tool_result`.
   */
  async callTool(toolName: string, parameters: Record<string, unknown>): Promise<ToolResult> {
    const toolCallId = `call_standin_${this.nextCall++}`;
    const call = { tool_name: toolName, tool_call_id: toolCallId };
    this.send({ type: 'agent_tool_request', agent_tool_request: { ...call, tool_type: 'client', event_id: this.nextEvent++ } });
    this.send({ type: 'client_tool_call', client_tool_call: { ...call, parameters, event_id: this.nextEvent++ } });
    const result = await this.waitFor('client_tool_result', (f) => f.tool_call_id === toolCallId);
    this.send({
      type: 'agent_tool_response',
      agent_tool_response: { ...call, tool_type: 'client', is_error: result.is_error, is_called: true, event_id: this.nextEvent++ },
    });
    return result;
  }

  /** The shopper's words as the service transcribes them. */
  hear(text: string): void {
    this.send({ type: 'user_transcript', user_transcription_event: { user_transcript: text, event_id: this.nextEvent++ } });
  }

  /** Bob says something (the transcript of his turn). */
  say(text: string): void {
    this.lastResponse = text;
    this.send({ type: 'agent_response', agent_response_event: { agent_response: text, event_id: this.nextEvent++ } });
  }

  /** The shopper talks over Bob: `interruption`, then the correction of what Bob had actually said. */
  interrupt(spokenSoFar: string): void {
    this.send({ type: 'interruption', interruption_event: { event_id: this.nextEvent++ } });
    this.send({
      type: 'agent_response_correction',
      agent_response_correction_event: { original_agent_response: this.lastResponse, corrected_agent_response: spokenSoFar, event_id: this.nextEvent++ },
    });
    this.lastResponse = spokenSoFar;
  }

  /** Frames of one type received so far. */
  ofType<K extends Recorded['type']>(type: K): Array<Extract<Recorded, { type: K }>> {
    return this.frames.filter((f): f is Extract<Recorded, { type: K }> => f.type === type);
  }

  /** The first recorded frame of a type (matching pred), waiting for it; rejects when the socket closes first. */
  async waitFor<K extends Recorded['type']>(type: K, pred: (frame: Extract<Recorded, { type: K }>) => boolean = () => true): Promise<Extract<Recorded, { type: K }>> {
    for (;;) {
      const hit = this.ofType(type).find(pred);
      if (hit) return hit;
      if (this.closed) throw new Error(`conversation closed (${this.closed.code} ${this.closed.reason}) before the frame arrived`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** Resolves with this conversation once its initiation frame arrived. */
  async started(): Promise<this> {
    while (!this.init) {
      if (this.closed) throw new Error(`conversation closed (${this.closed.code} ${this.closed.reason}) before it started`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
    return this;
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
