/** The small flat JSON a webhook tool answers, derived from the logged client_tool_result. */
import { LabelData, LabelPendingData, LabelSummaryData, QuotesData, ToolErrorData, type WebhookToolAnswer } from '../../shared/tools.ts';
import type { ToolResultEvent } from './runner.ts';
import { spokenOptions } from './speech.ts';

export function agentAnswer(event: ToolResultEvent): WebhookToolAnswer {
  if (event.is_error) {
    const err = ToolErrorData.safeParse(event.data);
    return { error: err.success ? err.data.code : 'internal', is_error: true, result: event.result };
  }
  const quotes = QuotesData.safeParse(event.data);
  if (quotes.success) {
    // Updated prices next to a kept choice are not read by number (their numbers are not the screen's).
    const options = quotes.data.kept_quote_id ? [] : spokenOptions(quotes.data.quotes);
    return { result: event.result, options, more_on_screen: quotes.data.quotes.length - options.length };
  }
  const pending = LabelPendingData.safeParse(event.data);
  if (pending.success) return { result: event.result, pending: true };
  if (LabelSummaryData.safeParse(event.data).success) return { result: event.result, needs_confirmation: true };
  const label = LabelData.safeParse(event.data);
  if (label.success) {
    return { result: event.result, label_id: label.data.label.label_id, tracking_number: label.data.label.tracking_number };
  }
  return { result: event.result };
}
