/**
 * How a client tool call answers Bob. ElevenLabs closes the conversation on a non-string, so the
 * answer is always a string: the result every screen of the session also receives; a failed tool
 * rejects with its sentence (the voice SDK answers `is_error: true` with it); a call the BFF does
 * not answer in time, or that could not be queued, resolves with a sentence Bob can say.
 */
import type { SessionEvent } from '../../shared/protocol.ts';
import { CLIENT_TOOL_GUARD_MS } from '../../shared/voice-budget.ts';
import type { Clock } from './clock.ts';

export const TOOL_SLOW = 'The shipping system is slow right now. Please try again in a moment.';
export type ToolResult = Extract<SessionEvent, { type: 'client_tool_result' }>;

/**
 * `answer` settles with the call's result frame, or with the string `giveUp` settles it with
 * (TOOL_SLOW, after the guard time: `giveUp` also stops the call's resends).
 */
export function toolAnswer(clock: Clock, answer: Promise<ToolResult | string>, giveUp: () => void): Promise<string> {
  const timer = clock.setTimeout(giveUp, CLIENT_TOOL_GUARD_MS);
  return answer.then(
    (result) => {
      clock.clearTimeout(timer);
      if (typeof result === 'string') return result;
      if (result.is_error) throw Error(result.result);
      return result.result;
    },
    () => (clock.clearTimeout(timer), TOOL_SLOW),
  );
}
