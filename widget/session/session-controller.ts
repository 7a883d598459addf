/**
 * SessionController: the widget's one connection to the BFF. Owns the token exchange, the
 * reconnecting socket, resume (hello/last_seq, replay or snapshot), seq-gap resync, the app-level
 * heartbeat, the acknowledged UI action outbox, and the mirrored session state (shared reducer).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type {
  ClientFrame,
  CreateSessionRequest,
  CreateSessionResponse,
  ErrorFrame,
  HelloFrame,
  SessionEvent,
  UiActionFrame,
  WelcomeFrame,
} from '../../shared/protocol.ts';
import type { SessionState } from '../../shared/session.ts';
import { en, type StringKey } from '../i18n/strings.ts';
import { SNAPSHOT_RENDERED, SOCKET_OPEN } from '../perf.ts';
import { VERSION } from '../version.ts';
import { backoffDelay } from './backoff.ts';
import { sleep, systemClock, type Clock } from './clock.ts';
import { Outbox, idOf, newClientMsgId, type AckResult, type OutboxFrame, type UiActionRequest, ActionError } from './outbox.ts';
import { SessionMirror } from './session-mirror.ts';
import { SessionStorageSlot } from './session-storage.ts';
import { ReconnectingWebSocket, type ReconnectingSocket, type WebSocketClass } from './socket.ts';
import { ExchangeError, exchangeToken, type FetchLike } from './token-exchange.ts';
import { CloseCode, TERMINAL_CLOSE_CODES, isLoggedEvent, serverFrame } from '../../shared/wire.ts';
import { CLIENT_TOOL_GUARD_MS } from '../../shared/voice-budget.ts';
import { newCallBinding } from '../../shared/call-binding.ts';

/** idle: not started · connecting: before the first welcome · online · offline: lost, retrying · stopped: gave up. */
export type ConnectionStatus = 'idle' | 'connecting' | 'online' | 'offline' | 'stopped';
/** resumed: back on the same session after a drop or reload · not_resumed: a new session replaced it. */
export type SessionNotice = 'resumed' | 'not_resumed' | null;

export interface SessionProblem {
  code: string;
  message: string;
  /** True when the controller stopped and will not retry by itself. */
  fatal: boolean;
  /** false: trying again cannot help (a missing, refused or misplaced key); the page must change. */
  retry?: false;
  /** The string the screen shows in the widget's language (`message` is its English, for the page). */
  text?: StringKey;
}

export interface FrameRecord {
  dir: 'in' | 'out';
  at: number;
  type: string;
  seq?: number | undefined;
  frame: unknown;
}

export interface SessionConfig {
  endpoint: string;
  publishableKey?: string | undefined;
  sessionToken?: string | undefined;
  /** Distinguishes widgets on one page (element id, storage-key, or index). */
  storageKey: string;
}

export interface SessionListener {
  stateChanged?(next: SessionState, previous: SessionState): void;
  connectionChanged?(status: ConnectionStatus): void;
  problem?(problem: SessionProblem): void;
  frame?(record: FrameRecord): void;
  /** A note the BFF logged for Bob (contextual_update from `bff`): forward it to the voice agent. */
  note?(text: string): void;
}

export interface SessionControllerOptions {
  clock?: Clock;
  fetch?: FetchLike;
  WebSocket?: WebSocketClass;
  storage?: Storage | null;
  outboxLimit?: number;
  /** reconnecting-websocket's handshake timeout (its own timer). */
  connectionTimeoutMs?: number;
}

/** After this many refused sockets in a row (4400/4401/4429 without a welcome) we stop instead of looping. */
const MAX_REFUSED_SOCKETS = 4;
const RESUMED_NOTICE_MS = 6000;
type ToolResult = Extract<SessionEvent, { type: 'client_tool_result' }>;
export const TOOL_SLOW = 'The shipping system is slow right now. Please try again in a moment.';
/** Never used: handed to reconnecting-websocket only after it was closed, so it creates no socket. */
const NO_URL = 'ws://0.0.0.0/closed';

export class SessionController implements ReactiveController {
  status: ConnectionStatus = 'idle';
  notice: SessionNotice = null;
  problem: SessionProblem | null = null;
  sessionId: string | null = null;
  heartbeatMs = 0;

  private readonly clock: Clock;
  private readonly fetchImpl: FetchLike;
  private readonly outbox: Outbox;
  private mirror = new SessionMirror();
  private storageSlot: SessionStorageSlot | null = null;
  private socket: ReconnectingSocket | null = null;
  private attempt = 0;
  private retryAfterMs: number | null = null;
  private refusedSockets = 0;
  private resumeRefused = false;
  /** The session this page already knew (storage or an earlier welcome): its return is a resume. */
  private knownSessionId: string | null = null;
  private lastHeardAt = 0;
  private pingCount = 0;
  private heartbeatTimer: number | null = null;
  private noticeTimer: number | null = null;
  /** The performance marks (once per controller): 1 socket open, 2 its first state applied, 3 rendered. */
  private markStage?: 1 | 2 | 3;
  private binding: string | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly config: () => SessionConfig | null,
    private readonly hooks: SessionListener = {},
    private readonly options: SessionControllerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.outbox = new Outbox(options.outboxLimit);
    host.addController(this);
  }

  get state(): SessionState {
    return this.mirror.state;
  }

  /** Actions waiting for their ack (sent or not yet sent). */
  get pendingActions(): number {
    return this.outbox.size;
  }

  /** The controller's clock (injectable), for callers comparing against expiry times. */
  now(): number {
    return this.clock.now();
  }

  hostConnected(): void {
    this.start();
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** After the host's render (right before its updated()). */
  hostUpdated(): void {
    if (this.markStage === 2) {
      performance.mark(SNAPSHOT_RENDERED);
      this.markStage = 3;
    }
  }

  /** Connects with the host's current config; a no-op without an endpoint. */
  start(): void {
    if (this.socket) return;
    const config = this.config();
    if (!config?.endpoint) return;
    if (!config.publishableKey && !config.sessionToken) {
      this.fail('missing_key', 'problem_missing_key', false);
      return;
    }
    this.storageSlot = new SessionStorageSlot(config.endpoint, config.storageKey, this.options.storage);
    this.restoreStored(config);
    this.attempt = 0;
    this.refusedSockets = 0;
    this.resumeRefused = false;
    this.problem = null;
    this.updateStatus('connecting');
    const socket: ReconnectingSocket = new ReconnectingWebSocket(() => this.nextUrl(socket), [], {
      WebSocket: this.options.WebSocket ?? WebSocket,
      // Delays are ours (jittered, on the injectable clock); its queue is replaced by the outbox.
      minReconnectionDelay: 0,
      maxReconnectionDelay: 0,
      maxEnqueuedMessages: 0,
      connectionTimeout: this.options.connectionTimeoutMs ?? 10_000,
    });
    this.socket = socket;
    socket.addEventListener('open', () => this.onOpen(socket));
    socket.addEventListener('message', (event) => this.onMessage(socket, event.data));
    socket.addEventListener('close', (event) => this.onClose(socket, event.code));
  }

  /** Closes the socket for good (until start()); the stored session stays resumable. */
  stop(status: ConnectionStatus = 'idle'): void {
    const socket = this.socket;
    this.socket = null;
    this.stopHeartbeat();
    // Null first: the close event that follows must not be taken for a drop.
    socket?.close(CloseCode.normal, 'widget closed');
    this.updateStatus(status);
  }

  /** Reconnects with a new config (endpoint, key, token or storage key changed). */
  restart(): void {
    this.stop();
    this.outbox.dropAll('Reconfigured');
    this.mirror = new SessionMirror();
    this.sessionId = null;
    this.start();
  }

  dismissNotice(): void {
    this.setNotice(null);
  }

  /** Sends a UI action (queued in the outbox until the BFF answers); resolves with its ack, rejects with an ActionError. */
  perform(action: UiActionRequest): Promise<AckResult> {
    return this.act({ ...action, type: 'ui_action', client_msg_id: this.msgId() } as UiActionFrame);
  }

  selectQuote(quoteId: string): Promise<AckResult> {
    return this.perform({ action: 'select_quote', quote_id: quoteId });
  }

  emailLabel(labelId: string, to: string): Promise<AckResult> {
    return this.perform({ action: 'email_label', label_id: labelId, to });
  }

  /**
   * Runs a tool for Bob through the BFF (client_tool_call, queued in the outbox so it survives a
   * reconnect; the BFF dedupes by tool_call_id) and resolves with the result string every screen
   * of the session also receives. Never returns an object (ElevenLabs closes the conversation on a
   * non-string): a slow call resolves with a sentence Bob can say; a failed one rejects with its
   * sentence as the message, so the voice SDK answers `is_error: true` with it.
   */
  callTool(tool_name: string, parameters: Record<string, unknown> = {}): Promise<string> {
    const tool_call_id = `tc${this.msgId().slice(2)}`;
    const timer = this.clock.setTimeout(() => this.outbox.ack(tool_call_id, TOOL_SLOW), CLIENT_TOOL_GUARD_MS);
    return this.act<ToolResult | string>({ type: 'client_tool_call', tool_call_id, tool_name, parameters: parameters ?? {} }).then(
      (r) => {
        this.clock.clearTimeout(timer);
        // A result frame, or the guard's sentence (a string).
        if ((r as ToolResult).is_error) throw Error((r as ToolResult).result);
        return (r as ToolResult).result ?? r;
      },
      () => (this.clock.clearTimeout(timer), TOOL_SLOW),
    );
  }

  /** Logs a page event for the session (a contextual_update frame; best effort, not queued). */
  sendContext(text: string): void {
    this.send({ type: 'contextual_update', text });
  }

  /** Logs a line of the conversation (queued, so it survives a reconnect; the BFF masks and logs it). */
  sendTranscript(role: 'user' | 'agent', text: string, line_id = this.msgId()): void {
    this.act({ type: 'ui_action', action: 'transcript', line_id, role, text, client_msg_id: this.msgId() }).catch(() => undefined);
  }

  /**
   * The id a voice call carries as session_id (shared/call-binding.ts): made at once, so a call
   * started before the session exists is bound to it by the exchange; kept with the session.
   */
  get callBinding(): string {
    return (this.binding ??= this.storageSlot?.load()?.call_binding ?? newCallBinding());
  }

  /** The resume token of the current session (Bearer for GET /v1/voice/credentials). */
  get resumeToken(): string | undefined {
    return this.storageSlot?.load()?.resume_token;
  }

  /** A fresh signed PDF link for the label (the one in label_created expires). */
  async requestLabelLink(labelId: string): Promise<string> {
    const ack = await this.perform({ action: 'label_link', label_id: labelId });
    if (!ack.url) throw new ActionError('internal', 'No label link');
    return ack.url;
  }

  // ---------- connection ----------

  /**
   * reconnecting-websocket calls this before every attempt. A ticket is single-use, so every
   * attempt exchanges again; it must never reject (that would wedge the library's connect lock).
   */
  private async nextUrl(socket: ReconnectingSocket): Promise<string> {
    for (;;) {
      if (this.socket !== socket) return NO_URL;
      const delay = this.retryAfterMs ?? (this.attempt === 0 ? 0 : backoffDelay(this.attempt - 1, this.clock.random));
      this.retryAfterMs = null;
      this.attempt++;
      if (delay > 0) await sleep(this.clock, delay);
      if (this.socket !== socket) return NO_URL;
      try {
        const session = await this.exchangeTicket();
        if (this.socket !== socket) return NO_URL;
        const separator = session.ws_url.includes('?') ? '&' : '?';
        return `${session.ws_url}${separator}ticket=${encodeURIComponent(session.ticket)}`;
      } catch (error) {
        if (this.socket !== socket) return NO_URL;
        const e = error instanceof ExchangeError ? error : new ExchangeError(0, 'internal', String(error));
        if (e.refused) {
          const text = refusalText(e);
          if (text) this.fail(e.code, text, e.status === 401 || e.status === 403 ? false : undefined);
          else this.report({ code: e.code, message: e.message, fatal: true }, 'stopped');
          return NO_URL;
        }
        this.retryAfterMs = e.retryAfterMs;
        this.report({ code: e.code, message: e.message, fatal: false });
        if (this.status === 'connecting') this.updateStatus('offline');
      }
    }
  }

  private async exchangeTicket(): Promise<CreateSessionResponse> {
    const config = this.config();
    const slot = this.storageSlot;
    if (!config || !slot) throw new ExchangeError(0, 'stopped', 'Not configured');
    const resumeToken = slot.load()?.resume_token ?? (this.resumeRefused ? undefined : config.sessionToken);
    if (resumeToken) {
      try {
        return this.adoptSession(await this.exchange({ resume_token: resumeToken }));
      } catch (error) {
        if (!(error instanceof ExchangeError) || (error.status !== 401 && error.status !== 404)) throw error;
        slot.clear();
        this.resumeRefused = true;
        if (!config.publishableKey) throw new ExchangeError(401, 'resume_refused', en.problem_resume_refused);
        this.problem = null;
        this.setNotice('not_resumed');
      }
    }
    if (!config.publishableKey) throw new ExchangeError(401, 'missing_key', en.problem_missing_key);
    return this.adoptSession(await this.exchange({ publishable_key: config.publishableKey }));
  }

  /** One exchange naming the call binding; a binding another session holds is replaced by a new one (next attempt). */
  private exchange(body: CreateSessionRequest): Promise<CreateSessionResponse> {
    return exchangeToken(this.fetchImpl, this.config()!.endpoint, { ...body, call_binding: this.callBinding }).catch((error: unknown) => {
      if ((error as ExchangeError).status === 409) this.binding = newCallBinding();
      throw error;
    });
  }

  /** Takes the exchanged session; a different session id means a fresh mirror and no stale actions. */
  private adoptSession(session: CreateSessionResponse): CreateSessionResponse {
    if (session.session_id !== this.mirror.state.session_id) {
      if (this.mirror.state.session_id) this.outbox.dropAll('Session replaced');
      this.changeState(() => this.mirror.reset(session.session_id));
    }
    this.storageSlot?.save({ session_id: session.session_id, resume_token: session.resume_token, last_seq: this.state.seq, state: this.state, call_binding: this.callBinding });
    return session;
  }

  private restoreStored(config: SessionConfig): void {
    let stored = this.storageSlot?.load() ?? null;
    // The page's server minted a token for another session: it wins over what this tab remembers.
    if (stored && config.sessionToken && stored.resume_token !== config.sessionToken) {
      this.storageSlot?.clear();
      stored = null;
    }
    if (!stored) return;
    this.binding ??= stored.call_binding;
    this.knownSessionId = stored.session_id;
    const state = stored.state;
    if (state && state.session_id === stored.session_id && state.seq === stored.last_seq) {
      this.changeState(() => (this.mirror = new SessionMirror(state, true)));
      this.sessionId = stored.session_id;
    }
  }

  private onOpen(socket: ReconnectingSocket): void {
    if (this.socket !== socket) return;
    this.lastHeardAt = this.clock.now();
    if (!this.markStage) {
      performance.mark(SOCKET_OPEN);
      this.markStage = 1;
    }
    this.mirror.connectionOpened();
    const hello: HelloFrame = { type: 'hello', role: 'ui', client: { name: 'shipvox-companion', version: VERSION } };
    // Replayed events only make sense on top of a state we hold; otherwise ask for a snapshot.
    if (this.mirror.synced) hello.last_seq = this.state.seq;
    this.send(hello);
  }

  private onClose(socket: ReconnectingSocket, code: number): void {
    if (this.socket !== socket) return;
    this.stopHeartbeat();
    if (this.status === 'online') this.knownSessionId = this.sessionId;
    this.updateStatus('offline');
    if (!TERMINAL_CLOSE_CODES.includes(code)) return;
    // The next attempt always exchanges a fresh ticket; these codes only change how we go on.
    if (code === CloseCode.originNotAllowed) {
      this.fail('origin_not_allowed', 'problem_origin', false);
      return;
    }
    if (code === CloseCode.sessionGone) {
      this.sessionGone();
      return;
    }
    if (code === CloseCode.rateLimited) this.attempt = Math.max(this.attempt, 5);
    if (++this.refusedSockets >= MAX_REFUSED_SOCKETS) {
      this.fail('unauthorized', 'problem_refused');
    }
  }

  private sessionGone(): void {
    this.storageSlot?.clear();
    this.resumeRefused = true;
    if (!this.config()?.publishableKey) {
      this.fail('session_gone', 'problem_ended');
      return;
    }
    this.setNotice('not_resumed');
  }

  /** A socket that is OPEN but silent (sleep, proxy, half-open TCP): drop it and start over. */
  private forceReconnect(reason = 'heartbeat timeout'): void {
    this.stopHeartbeat();
    this.socket?.reconnect(CloseCode.silentSocket, reason);
  }

  // ---------- frames ----------

  private send(frame: ClientFrame): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== socket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    this.hooks.frame?.({ dir: 'out', at: this.clock.now(), type: frame.type, frame });
    return true;
  }

  private onMessage(socket: ReconnectingSocket, data: unknown): void {
    if (this.socket !== socket) return;
    this.lastHeardAt = this.clock.now();
    let json: unknown;
    try {
      json = typeof data === 'string' ? JSON.parse(data) : undefined;
    } catch {
      json = undefined;
    }
    // The envelope only: the BFF validated every event with the shared schemas before logging it.
    const frame = serverFrame(json, this.state.session_id);
    const type = typeof (json as { type?: unknown })?.type === 'string' ? (json as { type: string }).type : '(invalid)';
    const seq = frame && 'seq' in frame ? frame.seq : undefined;
    this.hooks.frame?.({ dir: 'in', at: this.lastHeardAt, type: frame ? type : `${type} (invalid)`, seq, frame: json ?? data });
    if (!frame) return;
    // The socket's first state: a snapshot, or the restored one a resuming welcome confirms.
    if (this.markStage === 1 && (frame.type === 'snapshot' || (frame.type === 'welcome' && frame.resumed))) this.markStage = 2;
    if (isLoggedEvent(frame)) {
      // A tool result settles its call whether it came by broadcast, replay or (a repeat) directly.
      if (frame.type === 'client_tool_result') this.outbox.ack(frame.tool_call_id, frame);
      // The BFF's notes for Bob (a carrier that answered late, a purchase confirmed), once each.
      // (Only a contextual_update has a source 'bff'.)
      if ((frame as { source?: string }).source == 'bff' && frame.seq > this.state.seq) this.hooks.note?.((frame as { text: string }).text);
      this.applyEvent(frame);
      return;
    }
    switch (frame.type) {
      case 'welcome':
        this.onWelcome(frame);
        return;
      case 'snapshot':
        this.changeState(() => this.mirror.applySnapshot(frame));
        return;
      case 'ack':
        this.outbox.ack(frame.client_msg_id, frame);
        return;
      case 'error':
        this.onErrorFrame(frame);
        return;
      case 'pong':
        return;
      default:
        // Checked when compiling only (no bytes in the bundle): a frame type added to the shared
        // union without a case here fails the build; at run time an unknown type is ignored.
        frame satisfies never;
    }
  }

  private onWelcome(welcome: WelcomeFrame): void {
    if (welcome.session_id !== this.state.session_id) this.changeState(() => this.mirror.reset(welcome.session_id));
    this.sessionId = welcome.session_id;
    this.heartbeatMs = welcome.heartbeat_ms;
    this.attempt = 0;
    this.refusedSockets = 0;
    if (this.problem && !this.problem.fatal) this.problem = null;
    if (this.knownSessionId === welcome.session_id && this.notice !== 'not_resumed') this.setNotice('resumed');
    this.knownSessionId = welcome.session_id;
    this.updateStatus('online');
    this.scheduleHeartbeat();
    for (const frame of this.outbox.frames()) this.send(frame);
  }

  private applyEvent(event: SessionEvent): void {
    const previous = this.state;
    let outcome;
    try {
      outcome = this.mirror.applyEvent(event, this.clock.now(), 2 * this.heartbeatMs || Infinity);
    } catch (error) {
      // A payload the reducer cannot take: keep the state we have and ask for a snapshot. A resync
      // would replay the same event, so reconnect with a hello without last_seq instead.
      console.warn('<shipvox-companion> bad event, resyncing', event, error);
      this.mirror.synced = false;
      this.forceReconnect('bad event');
      return;
    }
    this.stateChangedFrom(previous);
    if (outcome === 'gap') this.send({ type: 'resync', last_seq: this.state.seq });
  }

  private onErrorFrame(error: ErrorFrame): void {
    if (this.outbox.fail(error)) return;
    this.report({ code: error.code, message: error.message, fatal: false });
  }

  private act<T = AckResult>(frame: OutboxFrame): Promise<T> {
    const settled = this.outbox.add<T>(frame);
    if (this.outbox.has(idOf(frame))) {
      if (this.status === 'online') this.send(frame);
    } else {
      this.report({ code: 'outbox_full', message: 'Too many actions are waiting.', fatal: false });
    }
    const update = () => this.host.requestUpdate();
    settled.then(update, update);
    this.host.requestUpdate();
    return settled;
  }

  // ---------- heartbeat ----------

  private scheduleHeartbeat(): void {
    this.stopHeartbeat();
    if (this.heartbeatMs <= 0) return;
    this.heartbeatTimer = this.clock.setTimeout(() => {
      this.heartbeatTimer = null;
      if (this.clock.now() - this.lastHeardAt >= 2 * this.heartbeatMs) {
        this.forceReconnect();
        return;
      }
      this.send({ type: 'ping', id: `hb-${++this.pingCount}` });
      this.scheduleHeartbeat();
    }, this.heartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer !== null) this.clock.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  // ---------- state and reporting ----------

  /** Runs a mirror change, then persists, notifies and re-renders when the state object changed. */
  private changeState(change: () => void): void {
    const previous = this.mirror.state;
    change();
    this.stateChangedFrom(previous);
  }

  private stateChangedFrom(previous: SessionState): void {
    const next = this.mirror.state;
    if (next === previous) return;
    if (next.session_id && this.storageSlot && this.socket) {
      const stored = this.storageSlot.load();
      if (stored?.session_id === next.session_id) this.storageSlot.save({ ...stored, last_seq: next.seq, state: next });
    }
    this.hooks.stateChanged?.(next, previous);
    this.host.requestUpdate();
  }

  private updateStatus(status: ConnectionStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.hooks.connectionChanged?.(status);
    this.host.requestUpdate();
  }

  private setNotice(notice: SessionNotice): void {
    if (this.noticeTimer !== null) this.clock.clearTimeout(this.noticeTimer);
    this.noticeTimer = null;
    this.notice = notice;
    if (notice === 'resumed') {
      this.noticeTimer = this.clock.setTimeout(() => this.setNotice(null), RESUMED_NOTICE_MS);
    }
    this.host.requestUpdate();
  }

  private report(problem: SessionProblem, status?: ConnectionStatus): void {
    if (status) this.stop(status);
    this.problem = problem;
    this.hooks.problem?.(problem);
    this.host.requestUpdate();
  }

  /** Stops for good with one of the string table's problems (English in the event, the widget's language on screen). */
  private fail(code: string, text: StringKey, retry?: false): void {
    const problem: SessionProblem = { code, message: en[text], text, fatal: true };
    this.report(retry === false ? { ...problem, retry } : problem, 'stopped');
  }

  private msgId(): string {
    return newClientMsgId(this.clock.now(), this.clock.random);
  }
}

/** The string table's words for a refused exchange; null: the BFF's own message is all there is. */
function refusalText(error: ExchangeError): StringKey | null {
  if (error.code === 'resume_refused' || error.code === 'missing_key') return `problem_${error.code}`;
  if (error.status === 403) return 'problem_origin';
  if (error.status === 401) return 'problem_key';
  return null;
}
