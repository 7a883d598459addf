/**
 * The few wire constants the widget needs at runtime, and the envelope guard for server frames.
 * shared/protocol.ts cannot be imported for values here: its zod schemas would come along (module
 * side effects) and zod is kept out of the script-tag bundle. The BFF validates every event with
 * the shared zod schemas before logging it, so the widget trusts its payloads and checks only the
 * envelope. test/shared/frame-types.test.ts keeps these copies equal to shared/protocol.ts.
 */
import type { CloseCode as SharedCloseCode, ServerFrame, SessionEvent, SessionEventType } from '../../shared/protocol.ts';

export const CloseCode = {
  normal: 1000,
  originNotAllowed: 4403,
  sessionGone: 4404,
  rateLimited: 4429,
} as const satisfies Partial<typeof SharedCloseCode>;
/** Close codes after which retrying the same ticket is pointless: exchange again or stop. */
export const TERMINAL_CLOSE_CODES: readonly number[] = [4400, 4401, 4403, 4404, 4429];

export const LOGGED_EVENT_TYPES = [
  'tool_call_started',
  'tool_call_progress',
  'client_tool_result',
  'quotes_ready',
  'quote_selected',
  'label_created',
  'label_emailed',
  'contextual_update',
] as const satisfies readonly SessionEventType[];

export const SERVER_FRAME_TYPES = [
  'welcome',
  'snapshot',
  'ack',
  'pong',
  'error',
  ...LOGGED_EVENT_TYPES,
] as const satisfies readonly ServerFrame['type'][];

const has = (list: readonly string[], value: unknown): boolean => list.includes(value as string);

export function isLoggedEvent(frame: ServerFrame): frame is SessionEvent {
  return has(LOGGED_EVENT_TYPES, frame.type);
}

const isInt = (n: unknown, min: number): n is number => Number.isInteger(n) && (n as number) >= min;

/**
 * The frame when its envelope is sound: a JSON object of a known type; logged events carry a
 * positive integer seq and this session's id; snapshots an integer seq and a state object.
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
