/** get_session_state: where the session stands, as Bob says it and as the screen shows it. */
import { deriveSteps } from '../../shared/session.ts';
import type { ToolCall, ToolContext, ToolOutput } from './context.ts';
import { stateSentence } from './speech.ts';

export async function getSessionState(ctx: ToolContext, call: ToolCall): Promise<ToolOutput> {
  const state = await ctx.sessions.state(call.sessionId);
  return { result: stateSentence(state), data: { state, steps: deriveSteps(state) } };
}
