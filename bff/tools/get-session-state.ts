/** get_session_state: where the session stands, as Bob says it and as the screen shows it. */
import { deriveSteps } from '../../shared/session.ts';
import type { ToolCall, ToolContext, ToolOutput } from './context.ts';
import { purchaseInFlight } from './create-label.ts';
import { stateSentence } from './speech.ts';

export async function getSessionState(ctx: ToolContext, call: ToolCall): Promise<ToolOutput> {
  const state = await ctx.sessions.state(call.sessionId);
  const buying = !state.label && purchaseInFlight(ctx, call.sessionId);
  return { result: stateSentence(state, buying), data: { state, steps: deriveSteps(state) } };
}
