/**
 * The service's side of one ElevenLabs conversation socket (`/v1/convai/conversation`, subprotocol
 * `convai`), held to the contract in `@elevenlabs/types` (convai-contract.ts): every client frame is
 * checked as the service checks it (known type, required fields present and typed; the first one
 * `conversation_initiation_client_data`), a malformed one gets an `error` frame (`error_event.code`
 * 1008) and then the 1008 close; every frame sent is typed by the contract. It answers the initiation
 * with `conversation_initiation_metadata`, sends `ping`s, and plays Bob's side of a turn the way the
 * service does: `agent_tool_request`, `client_tool_call`, `agent_tool_response` after the result,
 * `agent_chat_response_part`s and `agent_response`, `interruption` and `agent_response_correction`.
 * The local Bob (bob.ts) and the tests' stand-in (test/helpers/convai-standin.ts) both run on it.
 */
import type { ErrorEventErrorType, Outgoing } from '@elevenlabs/types';
import type { WebSocket } from 'ws';
import { checkClientFrame, type ClientFrame, type ServiceFrame } from './convai-contract.ts';

export const CONVAI_PATH = '/v1/convai/conversation';

export type ToolResult = Outgoing.ClientToolResultClientToOrchestratorEvent;
export type RecordedFrame = Exclude<ClientFrame, Outgoing.UserAudio>;
/** Frames kept for waitFor (a long conversation forgets its oldest). */
const MAX_RECORDED = 1000;

/** One conversation socket as the service side sees it: a `ws` socket here, a playwright WebSocketRoute in a test page. */
export interface ConversationSocket {
  send(text: string): void;
  close(code: number, reason: string): void;
  readonly isOpen: boolean;
  onMessage(listener: (text: string | null) => void): void;
  onClose(listener: (code: number, reason: string) => void): void;
}

/** A `ws` server socket as a ConversationSocket. */
export function wsSocket(ws: WebSocket): ConversationSocket {
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

export interface ConversationOptions {
  /** Interval of the service's pings. */
  pingMs: number;
  /** Called with every valid frame after the initiation (audio chunks excepted). */
  onFrame?: (frame: RecordedFrame) => void;
}

export class ConvaiConversation {
  /** The `conversation_initiation_client_data` frame (null until it arrived). */
  init: Outgoing.ConversationInitiationClientToOrchestratorEvent | null = null;
  /** Every frame except audio chunks, in arrival order (each one valid by the contract; the last 1000). */
  readonly frames: RecordedFrame[] = [];
  /** Every frame sent, in order (the last 1000). */
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
    id: string,
    private readonly options: ConversationOptions,
  ) {
    this.conversationId = id;
    const pinger = setInterval(() => this.ping(), options.pingMs);
    pinger.unref();
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
      this.record(frame);
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
    this.record(frame);
    this.wake();
    this.options.onFrame?.(frame);
  }

  private record(frame: RecordedFrame): void {
    if (this.frames.length >= MAX_RECORDED) this.frames.shift();
    this.frames.push(frame);
  }

  /** What the service does with a frame it cannot take: an `error` frame, then close 1008. */
  private reject(errorType: ErrorEventErrorType, message: string): void {
    this.send({ type: 'error', error_event: { code: 1008, error_type: errorType, message } });
    this.ws.close(1008, 'Invalid message received');
  }

  send(frame: ServiceFrame): void {
    if (!this.ws.isOpen) return;
    if (this.sent.length >= MAX_RECORDED) this.sent.shift();
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
    const toolCallId = `call_${this.conversationId}_${this.nextCall++}`;
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

  /**
   * Bob's turn streamed as a text conversation gets it: `agent_chat_response_part` start, one delta
   * per word (`wordMs` apart; 0 = all at once), stop, then the whole turn as `agent_response`.
   * Resolves once it is all sent (at once when the socket closes meanwhile).
   */
  async stream(text: string, wordMs: number): Promise<void> {
    const part = (type: 'start' | 'delta' | 'stop', t: string) =>
      this.send({ type: 'agent_chat_response_part', text_response_part: { type, text: t, event_id: this.nextEvent++ } });
    part('start', '');
    for (const word of text.match(/\S+\s*/g) ?? []) {
      if (wordMs > 0 && !this.closed) await new Promise((r) => setTimeout(r, wordMs));
      part('delta', word);
    }
    part('stop', '');
    this.say(text);
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
  ofType<K extends RecordedFrame['type']>(type: K): Array<Extract<RecordedFrame, { type: K }>> {
    return this.frames.filter((f): f is Extract<RecordedFrame, { type: K }> => f.type === type);
  }

  /** The first recorded frame of a type (matching pred), waiting for it; rejects when the socket closes first. */
  async waitFor<K extends RecordedFrame['type']>(type: K, pred: (frame: Extract<RecordedFrame, { type: K }>) => boolean = () => true): Promise<Extract<RecordedFrame, { type: K }>> {
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
