/**
 * The protocol's plain constants and the frame envelope guard, with no zod: the widget imports
 * these at runtime (zod stays out of its script-tag bundle) and shared/protocol.ts builds its
 * schemas from them (and re-exports them).
 */
import type { ServerFrame, SessionEvent } from './protocol.ts';

export const PROTOCOL_VERSION = 1;
/** Largest accepted frame in bytes; larger closes with 1009. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Largest tool parameters (as JSON, UTF-8 bytes) a call may carry: they are logged in tool_call_started. */
export const MAX_TOOL_PARAMETERS_BYTES = 4096;

/** Whether tool parameters exceed MAX_TOOL_PARAMETERS_BYTES (checked on frames, webhook bodies and logged events). */
export function toolParametersTooLarge(parameters: Record<string, unknown>): boolean {
  return new TextEncoder().encode(JSON.stringify(parameters)).length > MAX_TOOL_PARAMETERS_BYTES;
}

export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  tooBig: 1009,
  /** Not for this client's fault: a slow consumer, or a hello the session store could not serve; reconnect and resume. */
  tryAgainLater: 1013,
  /** From the widget: it drops a socket that went silent (no pong) and opens a new one. */
  silentSocket: 4000,
  notHello: 4400,
  unauthorized: 4401,
  originNotAllowed: 4403,
  sessionGone: 4404,
  heartbeatTimeout: 4408,
  rateLimited: 4429,
} as const;
/** Close codes after which retrying the same ticket is pointless: exchange again or stop. */
export const TERMINAL_CLOSE_CODES: readonly number[] = [
  CloseCode.notHello,
  CloseCode.unauthorized,
  CloseCode.originNotAllowed,
  CloseCode.sessionGone,
  CloseCode.rateLimited,
];

/** Ids a caller chooses (client_msg_id, tool_call_id, X-Request-Id) and ids in paths and tool parameters. */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
export const ID_RULE = '1-128 characters of [A-Za-z0-9_.:-]';
/** Longest email address a ui_action email_label takes (RFC 5321's path limit). */
export const MAX_EMAIL_LENGTH = 254;

// The frame lists: the zod unions in shared/protocol.ts are built from these, in this order (a
// type here without its schema there, or the reverse, fails to compile), and so are the
// generated sections of docs/protocol.md.

export const CLIENT_FRAME_TYPES = ['hello', 'client_tool_call', 'contextual_update', 'ui_action', 'resync', 'ping'] as const;
export type ClientFrameType = (typeof CLIENT_FRAME_TYPES)[number];

export const UI_ACTION_TYPES = ['select_quote', 'email_label', 'label_link', 'set_recipient', 'confirm_purchase', 'void_label', 'transcript'] as const;
export type UiActionType = (typeof UI_ACTION_TYPES)[number];

/** BFF → client frames that are not logged (no seq of the session log). */
export const REPLY_FRAME_TYPES = ['welcome', 'snapshot', 'ack', 'pong', 'error'] as const;
export type ReplyFrameType = (typeof REPLY_FRAME_TYPES)[number];

export const LOGGED_EVENT_TYPES = [
  'tool_call_started',
  'tool_call_progress',
  'client_tool_result',
  'quotes_ready',
  'quote_selected',
  'label_created',
  'label_emailed',
  'contextual_update',
  'quotes_added',
  'transcript_line',
  'account_updated',
  'recipient_updated',
  'summary_read',
  'label_voided',
  'tracking_updated',
] as const;
export type LoggedEventType = (typeof LOGGED_EVENT_TYPES)[number];

export const SERVER_FRAME_TYPES = [...REPLY_FRAME_TYPES, ...LOGGED_EVENT_TYPES] as const;

const has = (list: readonly string[], value: unknown): boolean => list.includes(value as string);

export function isLoggedEvent(frame: ServerFrame): frame is SessionEvent {
  return has(LOGGED_EVENT_TYPES, frame.type);
}

const isInt = (n: unknown, min: number): n is number => Number.isInteger(n) && (n as number) >= min;

/**
 * The frame when its envelope is sound: a JSON object of a known type; logged events carry a
 * positive integer seq and this session's id; snapshots an integer seq and a state object.
 * (The BFF validates every event with the zod schemas before logging it; screens trust the rest.)
 */
export function serverFrame(json: unknown, sessionId: string): ServerFrame | null {
  if (!json || typeof json !== 'object') return null;
  const f = json as Record<string, unknown>;
  const type = f.type;
  if (!has(SERVER_FRAME_TYPES, type)) return null;
  if (has(LOGGED_EVENT_TYPES, type) && !(isInt(f.seq, 1) && f.session_id === sessionId)) return null;
  if (type === 'snapshot' && !(isInt(f.seq, 0) && f.state && typeof f.state === 'object')) return null;
  return json as ServerFrame;
}
