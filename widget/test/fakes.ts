/** Fakes for the session layer: a manual clock, a scriptable WebSocket and token exchange. */
import type { ClientFrame, CreateSessionResponse } from '../../shared/protocol.ts';
import type { Clock } from '../session/clock.ts';
import type { FetchLike } from '../session/token-exchange.ts';

export class FakeClock implements Clock {
  private t = 1_700_000_000_000;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.t;
  }
  random(): number {
    return 0.5;
  }
  setTimeout(fn: () => void, ms: number): number {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(id: number): void {
    this.timers.delete(id);
  }
  get pending(): number {
    return this.timers.size;
  }
  /** Moves time forward, firing due timers in order (and timers they schedule). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }
}

type Listener = (event: { data?: unknown; code?: number; reason?: string }) => void;

/** Stands in for window.WebSocket; the test plays the server. */
export class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  static instances: FakeSocket[] = [];

  readyState = 0;
  binaryType = 'blob';
  bufferedAmount = 0;
  extensions = '';
  protocol = '';
  readonly sent: ClientFrame[] = [];
  private listeners: Record<string, Listener[]> = {};

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }

  static reset(): void {
    FakeSocket.instances = [];
  }
  static get last(): FakeSocket {
    const s = FakeSocket.instances[FakeSocket.instances.length - 1];
    if (!s) throw new Error('no socket yet');
    return s;
  }

  addEventListener(type: string, fn: Listener): void {
    (this.listeners[type] ??= []).push(fn);
  }
  removeEventListener(type: string, fn: Listener): void {
    this.listeners[type] = (this.listeners[type] ?? []).filter((l) => l !== fn);
  }
  private fire(type: string, event: Parameters<Listener>[0]): void {
    for (const l of [...(this.listeners[type] ?? [])]) l(event);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data) as ClientFrame);
  }
  close(code = 1000, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.fire('close', { code, reason });
  }

  // ---- the server's side ----
  open(): void {
    this.readyState = 1;
    this.fire('open', {});
  }
  receive(frame: object | string): void {
    this.fire('message', { data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.fire('close', { code, reason });
  }
  sentOfType<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.sent.filter((f): f is Extract<ClientFrame, { type: T }> => f.type === type);
  }
}

export interface ExchangeCall {
  publishable_key?: string;
  resume_token?: string;
  call_binding?: string;
}

/** A token exchange that answers from a handler and records every request body. */
export function fakeExchange(handler: (body: ExchangeCall, n: number) => { status: number; body: unknown; headers?: Record<string, string> }) {
  const calls: ExchangeCall[] = [];
  /** The call binding each exchange named (kept apart: `calls` is what the widget exchanged). */
  const bindings: Array<string | undefined> = [];
  const fetch: FetchLike = async (_url, init) => {
    const body = JSON.parse(String(init.body)) as ExchangeCall;
    const { call_binding, ...exchanged } = body;
    calls.push(exchanged);
    bindings.push(call_binding);
    const r = handler(body, calls.length);
    return new Response(JSON.stringify(r.body), { status: r.status, headers: { 'content-type': 'application/json', ...r.headers } });
  };
  return { fetch, calls, bindings };
}

export function session(id = 'ses_1', n = 1): CreateSessionResponse {
  return {
    session_id: id,
    ticket: `ticket-${n}`,
    ticket_expires_at: '2026-11-26T10:01:00.000Z',
    resume_token: `resume-${id}`,
    resume_expires_at: '2026-11-27T10:00:00.000Z',
    ws_url: 'ws://bff.test/v1/ws',
    resumed: false,
  };
}

export function welcome(sessionId = 'ses_1', resumed = false, heartbeat_ms = 10_000) {
  return { type: 'welcome', session_id: sessionId, connection_id: 'c1', resumed, heartbeat_ms, server_time: '2026-11-26T10:00:00.000Z' };
}

/** A Storage that lives only in the test. */
export class MemoryStorage implements Storage {
  private map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
}
