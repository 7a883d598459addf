/**
 * The UI's own bounded send queue. reconnecting-websocket's queue drops silently and has no acks;
 * here every ui_action waits, by client_msg_id, for its `ack` or `error` and is resent after each
 * `welcome` until then (the BFF dedupes by client_msg_id, so a resend never applies twice).
 */
import type { ClientToolCallFrame, ErrorFrame, UiActionFrame } from '../../shared/protocol.ts';

/** A frame that waits for its answer: a ui_action (ack/error) or a client_tool_call (client_tool_result). */
export type OutboxFrame = UiActionFrame | ClientToolCallFrame;
/** A UI action as a part of the widget asks for it: the controller adds `type` and `client_msg_id`. */
export type UiActionRequest = UiActionFrame extends infer F ? (F extends UiActionFrame ? Omit<F, 'type' | 'client_msg_id'> : never) : never;
export const idOf = (frame: OutboxFrame): string => (frame.type === 'ui_action' ? frame.client_msg_id : frame.tool_call_id);

export interface AckResult {
  client_msg_id: string;
  url?: string | undefined;
  duplicate?: boolean | undefined;
}

/** The action was refused by the BFF (`error` frame) or never queued (outbox full). */
export class ActionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'ActionError';
  }
}

interface Pending {
  frame: OutboxFrame;
  resolve(answer: any): void;
  reject(error: ActionError): void;
}

export const DEFAULT_OUTBOX_LIMIT = 50;

export class Outbox {
  private readonly pending = new Map<string, Pending>();
  constructor(readonly limit = DEFAULT_OUTBOX_LIMIT) {}

  get size(): number {
    return this.pending.size;
  }

  get full(): boolean {
    return this.pending.size >= this.limit;
  }

  /** Queues a frame; the promise settles on its answer or error. Rejects at once when full. */
  add<T = AckResult>(frame: OutboxFrame): Promise<T> {
    if (this.full) {
      return Promise.reject(new ActionError('outbox_full', `Outbox full (${this.limit})`, true));
    }
    return new Promise((resolve, reject) => this.pending.set(idOf(frame), { frame, resolve, reject }));
  }

  /** Every unanswered frame, oldest first (Map keeps insertion order). */
  frames(): OutboxFrame[] {
    return [...this.pending.values()].map((p) => p.frame);
  }

  has(clientMsgId: string): boolean {
    return this.pending.has(clientMsgId);
  }

  /** Settles the frame with this id (client_msg_id or tool_call_id) with its answer. */
  ack(id: string, answer: unknown): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    this.pending.delete(id);
    p.resolve(answer);
    return true;
  }

  fail(error: ErrorFrame): boolean {
    const p = error.ref ? this.pending.get(error.ref) : undefined;
    if (!p || !error.ref) return false;
    this.pending.delete(error.ref);
    p.reject(new ActionError(error.code, error.message, error.retryable));
    return true;
  }

  /** Settles everything (the session was replaced or the element removed for good). */
  dropAll(reason: string): void {
    for (const p of this.pending.values()) p.reject(new ActionError('dropped', reason));
    this.pending.clear();
  }
}

let counter = 0;
/** A client_msg_id within the protocol's ID_PATTERN (shared/wire.ts); randomUUID needs a secure context. */
export function newClientMsgId(now: number, random: () => number): string {
  counter = (counter + 1) % 1_000_000;
  return `ui-${now.toString(36)}-${Math.floor(random() * 36 ** 6).toString(36)}-${counter}`;
}
