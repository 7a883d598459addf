/**
 * Every id and key the tools make, built and read back here only. A quote set is named after the
 * seq of the tool_call_started that asked for it, so ids order searches: a quote id from an older
 * search is told apart from one that never existed.
 */
import type { AddressParty } from '../../shared/address.ts';

/** The quote set of the search logged at `startedSeq`. */
export function requestId(startedSeq: number): string {
  return `rq${startedSeq}`;
}

/** The seq a quote set was asked at (-1 for an id not made by requestId). */
export function requestSeq(id: string): number {
  return Number(/^rq(\d+)$/.exec(id)?.[1] ?? -1);
}

/** Option `option` of the search logged at `startedSeq`. */
export function quoteId(startedSeq: number, option: number): string {
  return `q${startedSeq}-${option}`;
}

/** The seq of the search a quote id belongs to (-1 for an id not made by quoteId). */
export function quoteRequestSeq(id: string): number {
  return Number(/^q(\d+)-\d+$/.exec(id)?.[1] ?? -1);
}

/** The backend's Idempotency-Key of a purchase: one label per (session, quote), whatever the retries. */
export function purchaseKey(sessionId: string, quote: string): string {
  return `svx-${sessionId}-${quote}`;
}

/** The backend's Idempotency-Key of a void: one refund per (session, label). */
export function voidKey(sessionId: string, labelId: string): string {
  return `void-${sessionId}-${labelId}`;
}

/** The in-process re-quote after an address changed, one per (state, party, ZIP): a repeat of the same change re-quotes once. */
export function requoteCallId(afterSeq: number, party: AddressParty, zip: string): string {
  return `requote_${afterSeq}_${party}_${zip}`;
}

/** The create_label run of the screen's Confirm (ui_action confirm_purchase). */
export function confirmCallId(clientMsgId: string): string {
  return `confirm_${clientMsgId}`;
}

/** The run-once key of one tool call or one ui_action of a session (its kept answer, its claim). */
export function runKey(kind: 'tool' | 'ui_action', sessionId: string, id: string): string {
  return `${kind}:${sessionId}:${id}`;
}
