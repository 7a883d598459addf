/**
 * The UI's own bounded send queue. reconnecting-websocket's queue drops silently and has no acks;
 * here every ui_action waits, by client_msg_id, for its `ack` or `error` and is resent after each
 * `welcome` until then (the BFF dedupes by client_msg_id, so a resend never applies twice).
 */
import type { ErrorFrame, UiActionFrame } from '../../shared/protocol.ts';

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
  frame: UiActionFrame;
  resolve(ack: AckResult): void;
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

  /** Queues an action; the promise settles on its ack or error. Rejects at once when full. */
  add(frame: UiActionFrame): Promise<AckResult> {
    if (this.full) {
      return Promise.reject(new ActionError('outbox_full', `Too many actions waiting to be sent (${this.limit})`, true));
    }
    return new Promise((resolve, reject) => this.pending.set(frame.client_msg_id, { frame, resolve, reject }));
  }

  /** Every unacknowledged action, oldest first (Map keeps insertion order). */
  frames(): UiActionFrame[] {
    return [...this.pending.values()].map((p) => p.frame);
  }

  has(clientMsgId: string): boolean {
    return this.pending.has(clientMsgId);
  }

  ack(ack: AckResult): boolean {
    const p = this.pending.get(ack.client_msg_id);
    if (!p) return false;
    this.pending.delete(ack.client_msg_id);
    p.resolve(ack);
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
/** A client_msg_id within the protocol's [A-Za-z0-9_.:-]{1,128}; randomUUID needs a secure context. */
export function newClientMsgId(now: number, random: () => number): string {
  counter = (counter + 1) % 1_000_000;
  return `ui-${now.toString(36)}-${Math.floor(random() * 36 ** 6).toString(36)}-${counter}`;
}
