/**
 * One client socket after the handshake: waits for `hello`, catches the client up (events or a
 * snapshot), then carries its frames: parsed, rate limited, handed to the session's actions
 * (bff/tools/client-actions.ts), their answers sent. A bad frame gets an `error` frame and changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import {
  ClientFrame,
  CLIENT_FRAME_TYPES,
  CloseCode,
  PROTOCOL_VERSION,
  type ErrorFrame,
  type FrameErrorCode,
  type Role,
  type ServerFrame,
} from '../../shared/protocol.ts';
import { MAX_JSON_DEPTH, tooDeep } from '../http/errors.ts';
import { TokenBucket } from '../http/rate-limit.ts';
import { assertNever } from '../../shared/never.ts';
import type { HubClient } from '../sessions/hub.ts';
import { StoreUnavailableError } from '../sessions/store.ts';
import type { Services } from '../services.ts';

/** A client this far behind is closed (it resumes on reconnect) instead of growing our memory. */
const SLOW_CONSUMER_BYTES = 1024 * 1024;
/** Frames are JSON text, also when handed over as already encoded bytes. */
const TEXT = { binary: false } as const;

export class Connection implements HubClient {
  readonly connectionId = `con_${randomBytes(8).toString('base64url')}`;
  role: Role = 'ui';
  lastSeen: number;
  /** null until hello; the catch-up while it runs; true once it has ended (also when it failed and the socket is closing). */
  private attached: Promise<void> | true | null = null;
  private readonly frames: TokenBucket;
  private violations = 0;
  /** Logged events from this seq on reach this socket as frames (a snapshot stood in for the ones before). */
  private framesFrom = Infinity;

  constructor(
    private readonly ws: CompanionSocket,
    readonly sessionId: string,
    private readonly s: Services,
    /** Told when the socket has closed (after the connection left its session's fan-out). */
    private readonly owner: { closed(conn: Connection): void },
  ) {
    this.lastSeen = s.now();
    const rate = s.config.RATE_LIMIT_FRAMES_PER_SEC;
    this.frames = new TokenBucket({ capacity: rate * 2, perWindow: rate, windowMs: 1000 }, s.now());
    ws.connection = this;
  }

  /** The socket (CompanionSocket, below) calls these three. */
  socketClosed(): void {
    this.s.sessions.hub.leave(this.sessionId, this);
    this.owner.closed(this);
  }

  socketPong(): void {
    this.lastSeen = this.s.now();
  }

  sendRaw(frame: Buffer | string, type: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > SLOW_CONSUMER_BYTES) {
      this.s.log.warn({ session_id: this.sessionId, connection_id: this.connectionId }, 'slow consumer closed');
      this.ws.close(CloseCode.tryAgainLater, 'slow consumer');
      return;
    }
    this.ws.send(frame, TEXT);
    this.s.metrics.frameOut(type);
  }

  send(frame: ServerFrame): void {
    this.sendRaw(JSON.stringify(frame), frame.type);
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  ping(): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
  }

  /** Closes with code, and drops the TCP connection if the close handshake does not finish. */
  terminate(code: number): void {
    this.ws.close(code, 'heartbeat timeout');
    setTimeout(() => this.ws.terminate(), 1000).unref();
  }

  /** Whether this socket already got the logged event with this seq as a frame. */
  private given(seq: number): boolean {
    return seq >= this.framesFrom && seq <= this.s.sessions.hub.given(this.sessionId, this);
  }

  private error(code: FrameErrorCode, message: string, ref?: string, retryable = false): void {
    const frame: ErrorFrame = { type: 'error', code, message, retryable, ...(ref ? { ref } : {}) };
    this.send(frame);
  }

  private allowFrame(): boolean {
    const rate = this.s.config.RATE_LIMIT_FRAMES_PER_SEC;
    if (this.frames.take(this.s.now())) {
      this.violations = Math.max(0, this.violations - 0.1);
      return true;
    }
    this.s.metrics.limited('frames');
    if (++this.violations > rate) this.close(CloseCode.rateLimited, 'rate limited');
    else this.error('rate_limited', 'Too many frames; slow down.', undefined, true);
    return false;
  }

  socketMessage(data: Buffer, isBinary: boolean): void {
    this.lastSeen = this.s.now();
    if (!this.allowFrame()) return;
    const frame = this.parse(data, isBinary);
    this.s.metrics.frameIn(frame?.type ?? 'invalid');
    if (this.attached === null) {
      if (frame?.type !== 'hello') {
        this.close(CloseCode.notHello, 'first frame must be hello');
        return;
      }
      this.role = frame.role;
      this.attached = this.attach(frame.last_seq).then(() => {
        this.attached = true;
      });
      return;
    }
    if (!frame) return;
    const handled = this.attached === true ? this.dispatch(frame) : this.attached.then(() => this.dispatch(frame));
    handled.catch((err: unknown) => this.failed(err, 'frame handling', refOf(frame)));
  }

  /** Logs a failure and tells the client with a retryable error frame: `unavailable` when the store could not be reached. */
  private failed(err: unknown, what: string, ref?: string): void {
    if (err instanceof StoreUnavailableError) {
      this.s.log.warn({ err: err.message, session_id: this.sessionId }, `${what}: store unavailable`);
      this.error('unavailable', 'The session store is unavailable; try again shortly.', ref, true);
      return;
    }
    this.s.log.error({ err, session_id: this.sessionId }, `${what} failed`);
    this.error('internal', 'Something went wrong; try again shortly.', undefined, true);
  }

  /** The frame, or null after answering an error frame (or, before hello, null silently). */
  private parse(data: Buffer, isBinary: boolean): ClientFrame | null {
    const before = this.attached === null;
    if (isBinary) {
      if (!before) this.error('bad_frame', 'Binary frames are not accepted; send JSON text.');
      return null;
    }
    let json: unknown;
    try {
      json = JSON.parse(data.toString('utf8'));
    } catch {
      if (!before) this.error('bad_frame', 'The frame is not valid JSON.');
      return null;
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      if (!before) this.error('bad_frame', 'A frame must be a JSON object with a type.');
      return null;
    }
    const type = (json as { type?: unknown }).type;
    const ref = refOf(json);
    if (tooDeep(json, MAX_JSON_DEPTH)) {
      if (!before) this.error('invalid_params', 'The frame is nested too deeply.', ref);
      return null;
    }
    if (typeof type !== 'string' || !(CLIENT_FRAME_TYPES as readonly string[]).includes(type)) {
      if (!before) this.error('unknown_type', `Unknown frame type ${JSON.stringify(type)?.slice(0, 40)}.`, ref);
      return null;
    }
    const parsed = ClientFrame.safeParse(json);
    if (!parsed.success) {
      if (!before) {
        const detail = parsed.error.issues.map((i) => `${i.path.join('.') || type} ${i.message}`).join('; ');
        this.error('invalid_params', `Invalid ${type} frame: ${detail}`.slice(0, 500), ref);
      }
      return null;
    }
    return parsed.data;
  }

  /** Joins the session's fan-out after the catch-up frames. Never rejects: a failure closes the socket (1013, try again). */
  private async attach(lastSeq: number | undefined): Promise<void> {
    const { hub } = this.s.sessions;
    if (hub.clients(this.sessionId).length >= this.s.config.MAX_CONNECTIONS_PER_SESSION) {
      this.close(CloseCode.rateLimited, 'too many connections for this session');
      return;
    }
    let resumed: boolean;
    try {
      ({ resumed } = await this.s.sessions.attach(this.sessionId, this, lastSeq, (resumed, frames) => {
        this.send({
          type: 'welcome',
          session_id: this.sessionId,
          connection_id: this.connectionId,
          resumed,
          heartbeat_ms: this.s.config.HEARTBEAT_MS,
          server_time: new Date(this.s.now()).toISOString(),
          protocol: PROTOCOL_VERSION,
        });
        for (const f of frames) this.send(f);
        const first = frames[0];
        this.framesFrom = first?.type === 'snapshot' ? first.seq + 1 : (lastSeq ?? 0) + 1;
      }));
    } catch (err) {
      this.failed(err, 'hello');
      this.close(CloseCode.tryAgainLater, 'try again later');
      return;
    }
    this.s.metrics.attached(resumed);
    this.s.log.info({ session_id: this.sessionId, connection_id: this.connectionId, role: this.role, last_seq: lastSeq, resumed }, 'client attached');
  }

  private async dispatch(frame: ClientFrame): Promise<void> {
    if (this.ws.readyState !== this.ws.OPEN) return; // closing (e.g. its hello failed): it resumes on reconnect
    switch (frame.type) {
      case 'hello':
        return this.error('bad_frame', 'hello was already received on this connection.');
      case 'ping':
        return this.send({ type: 'pong', id: frame.id, server_time: new Date(this.s.now()).toISOString() });
      case 'resync': {
        await this.s.sessions.resync(this.sessionId, this, frame.last_seq, (frames) => {
          for (const f of frames) this.send(f);
        });
        return;
      }
      case 'contextual_update':
        return this.s.actions.note(this.sessionId, frame, this.role);
      case 'client_tool_call': {
        if (this.s.limits.toolCallWait(this.sessionId) > 0) {
          this.s.metrics.limited('frames');
          return this.error('rate_limited', 'Too many tool calls in this session; slow down.', frame.tool_call_id, true);
        }
        const { event, repeated } = await this.s.actions.toolCall(this.sessionId, frame);
        // A first run reaches everyone through the log; a repeat is answered to its sender only,
        // and only when the fan-out has not already given it this result (answered once).
        if (repeated && !this.given(event.seq)) this.send(event);
        return;
      }
      case 'ui_action':
        return this.send(await this.s.actions.uiAction(this.sessionId, frame));
      default:
        return assertNever(frame, 'client frame');
    }
  }
}

/**
 * The server's sockets: each hands its events straight to its Connection. No listeners: every
 * listener is an entry in the socket's own event table (and two on one event an array), which
 * at 10,000 idle sockets was ~300 B each.
 */
export class CompanionSocket extends WebSocket {
  connection: Connection | null = null;

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    const conn = this.connection;
    if (conn) {
      if (event === 'message') conn.socketMessage(args[0] as Buffer, args[1] as boolean);
      else if (event === 'pong') conn.socketPong();
      else if (event === 'close') conn.socketClosed();
    }
    // A protocol error (bad frame, too big) closes the socket and is followed by 'close'; with no
    // listener, EventEmitter would throw it instead (also on a refused socket, before any Connection).
    if (event === 'error' && this.listenerCount('error') === 0) return true;
    return super.emit(event, ...args);
  }
}

function refOf(json: object): string | undefined {
  const j = json as { client_msg_id?: unknown; tool_call_id?: unknown };
  const ref = typeof j.client_msg_id === 'string' ? j.client_msg_id : typeof j.tool_call_id === 'string' ? j.tool_call_id : undefined;
  return ref && ref.length <= 128 ? ref : undefined;
}
