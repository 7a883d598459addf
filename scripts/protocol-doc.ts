/**
 * Generates the schema section of docs/protocol.md from the zod schemas in shared/, so the doc
 * cannot drift from the code. `npm run docs:protocol` rewrites it; a test fails when it is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as z from '../shared/zod.ts';
import * as P from '../shared/protocol.ts';
import * as T from '../shared/tools.ts';
import { SessionState } from '../shared/session-state.ts';

export const DOC_PATH = new URL('../docs/protocol.md', import.meta.url);
const START = '<!-- generated:start (npm run docs:protocol) -->';
const END = '<!-- generated:end -->';

const sections: Array<[string, Array<[string, z.ZodType]>]> = [
  ['HTTP bodies', [
    ['POST /v1/sessions — request', P.CreateSessionRequest],
    ['POST /v1/sessions — 201 response', P.CreateSessionResponse],
    ['Error body (every non-2xx JSON answer)', P.HttpErrorBody],
    ['Webhook envelope (added to each tool\'s parameters)', P.WebhookEnvelope],
    ['Webhook answer (200)', T.WebhookToolAnswer],
  ]],
  ['Client → BFF frames', [
    ['hello', P.HelloFrame], ['client_tool_call', P.ClientToolCallFrame], ['contextual_update', P.ContextualUpdateFrame],
    ['ui_action select_quote', P.SelectQuoteAction], ['ui_action email_label', P.EmailLabelAction], ['ui_action label_link', P.LabelLinkAction],
    ['ui_action transcript', P.TranscriptAction],
    ['ui_action set_recipient', P.SetRecipientAction], ['ui_action confirm_purchase', P.ConfirmPurchaseAction], ['ui_action void_label', P.VoidLabelAction],
    ['resync', P.ResyncFrame], ['ping', P.PingFrame],
  ]],
  ['BFF → client frames (not logged)', [
    ['welcome', P.WelcomeFrame], ['snapshot', P.SnapshotFrame], ['ack', P.AckFrame], ['pong', P.PongFrame], ['error', P.ErrorFrame],
  ]],
  ['Logged events (carry seq, ts, session_id)', [
    ['tool_call_started', P.ToolCallStartedEvent], ['tool_call_progress', P.ToolCallProgressEvent], ['client_tool_result', P.ClientToolResultEvent],
    ['quotes_ready', P.QuotesReadyEvent], ['quote_selected', P.QuoteSelectedEvent], ['label_created', P.LabelCreatedEvent],
    ['label_emailed', P.LabelEmailedEvent], ['contextual_update', P.ContextualUpdateEvent], ['quotes_added', P.QuotesAddedEvent],
    ['account_updated', P.AccountUpdatedEvent], ['recipient_updated', P.RecipientUpdatedEvent], ['summary_read', P.SummaryReadEvent],
    ['label_voided', P.LabelVoidedEvent], ['tracking_updated', P.TrackingUpdatedEvent], ['transcript_line', P.TranscriptLineEvent],
  ]],
  ['Tools', [
    // Every tool's parameters, from the one table the runner and the agent configs use.
    ...T.TOOL_NAMES.map((name): [string, z.ZodType] => [`${name} parameters`, T.TOOL_PARAMS[name]]),
    ['get_shipping_quotes data (client_tool_result.data)', T.QuotesData],
    ['create_label data', T.LabelData], ['create_label data before the shipper\'s yes', T.LabelSummaryData],
    ['PurchaseSummary (shared/summary.ts purchaseSummary)', T.PurchaseSummary],
    ['set_recipient_address data', T.RecipientData], ['void_label data', T.VoidData], ['track_parcel data', T.TrackingData],
    ['error data (is_error: true)', T.ToolErrorData],
  ]],
  ['Session state (snapshot.state, get_session_state data.state)', [['SessionState', SessionState]]],
];

export function generatedSection(): string {
  const out: string[] = [START, ''];
  out.push(`Close codes: ${Object.entries(P.CloseCode).map(([k, v]) => `\`${v}\` ${k}`).join(' · ')}.`, '');
  out.push(`Frame error codes: ${P.FRAME_ERROR_CODES.map((c) => `\`${c}\``).join(', ')}.`, '');
  out.push(`Tool error codes: ${T.TOOL_ERROR_CODES.map((c) => `\`${c}\``).join(', ')}.`, '');
  out.push(`HTTP error codes: ${P.HTTP_ERROR_CODES.map((c) => `\`${c}\``).join(', ')}.`, '');
  for (const [title, entries] of sections) {
    out.push(`### ${title}`, '');
    for (const [name, schema] of entries) {
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
      delete json.$schema;
      // A date-time's format says enough; zod's long ISO regex only hides the shape.
      const text = JSON.stringify(json, (k, v: unknown) => (k === 'pattern' && /\\d\{4\}/.test(String(v)) ? undefined : v), 1);
      out.push(`#### ${name}`, '', '```json', text, '```', '');
    }
  }
  out.push(END);
  return out.join('\n');
}

export function withGenerated(doc: string): string {
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < 0) throw new Error('docs/protocol.md lacks the generated markers');
  return doc.slice(0, a) + generatedSection() + doc.slice(b + END.length);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const doc = readFileSync(DOC_PATH, 'utf8');
  writeFileSync(DOC_PATH, withGenerated(doc));
  console.log('docs/protocol.md regenerated');
}
