/**
 * One WebSocket to the BFF at a time, opened again after every drop until close(). Each attempt
 * asks `nextUrl` for its URL: a ticket is single-use, and the wait before an attempt (jittered
 * backoff, a server's Retry-After) is the caller's, on its injectable clock. `nextUrl` answering
 * null ends the attempts.
 */
import { CloseCode } from '../../shared/wire.ts';
import type { Clock } from './clock.ts';

/** What the socket needs from a WebSocket class: the DOM one, or a fake in tests. */
export type WebSocketClass = new (url: string) => WebSocket;

export interface SocketHandlers {
  open(): void;
  message(data: unknown): void;
  /** The socket dropped (by the server, the network, a handshake timeout or reconnect()); another attempt follows. */
  close(code: number): void;
}

export class ReconnectingSocket {
  private ws: WebSocket | null = null;
  private handshakeTimer: number | null = null;
  /** Set by close(): `nextUrl`, which may be waiting or exchanging, checks it to give up. */
  closed = false;

  constructor(
    private readonly nextUrl: (socket: ReconnectingSocket) => Promise<string | null>,
    private readonly handlers: SocketHandlers,
    private readonly clock: Clock,
    private readonly WebSocketImpl: WebSocketClass,
    private readonly handshakeMs: number,
  ) {
    void this.connect();
  }

  get isOpen(): boolean {
    return this.ws?.readyState === 1;
  }

  send(data: string): void {
    this.ws?.send(data);
  }

  /** Drops the current socket at once (no waiting for a half-open TCP connection to close) and connects again. */
  reconnect(code: number, reason: string): void {
    this.drop(code, reason);
  }

  /** Closes for good: no more handlers are called. */
  close(code: number, reason: string): void {
    this.closed = true;
    this.drop(code, reason);
  }

  private async connect(): Promise<void> {
    const url = await this.nextUrl(this);
    if (this.closed || !url) return;
    let ws: WebSocket;
    try {
      ws = this.ws = new this.WebSocketImpl(url);
    } catch {
      // A URL the browser refuses (a page's CSP, say): a failed attempt like any other, then the next.
      this.dropped(1006);
      return;
    }
    this.handshakeTimer = this.clock.setTimeout(() => this.drop(CloseCode.normal, 'timeout'), this.handshakeMs);
    // A dropped socket may still deliver events: only the current one is heard.
    ws.addEventListener('open', () => {
      if (this.ws !== ws) return;
      this.stopHandshakeTimer();
      this.handlers.open();
    });
    ws.addEventListener('message', (event) => this.ws === ws && this.handlers.message(event.data));
    ws.addEventListener('close', (event) => this.ws === ws && this.dropped(event.code));
  }

  private drop(code: number, reason: string): void {
    const ws = this.ws;
    if (!ws) return;
    this.ws = null;
    ws.close(code, reason);
    if (!this.closed) this.dropped(code);
    else this.stopHandshakeTimer();
  }

  private dropped(code: number): void {
    this.ws = null;
    this.stopHandshakeTimer();
    this.handlers.close(code);
    if (!this.closed) void this.connect();
  }

  private stopHandshakeTimer(): void {
    if (this.handshakeTimer !== null) this.clock.clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
  }
}
