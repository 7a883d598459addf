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

/** A heading and its schema; `null` for a heading over the entries that follow (ui_action, whose actions each have one). */
type Section = [string, Array<[string, z.ZodType | null, string?]>];

const describedAs = (schema: z.ZodType): string | undefined => z.globalRegistry.get(schema)?.description;

const sections: Section[] = [
  ['HTTP bodies', [
    ['POST /v1/sessions — request', P.CreateSessionRequest],
    ['POST /v1/sessions — 201 response', P.CreateSessionResponse],
    ['Error body (every non-2xx JSON answer)', P.HttpErrorBody],
    ['Webhook envelope (added to each tool\'s parameters)', P.WebhookEnvelope],
    ['Webhook answer (200)', T.WebhookToolAnswer],
  ]],
  ['Client → BFF frames', P.CLIENT_FRAME_TYPES.flatMap((type): Section[1] =>
    type === 'ui_action'
      ? [[type, null, describedAs(P.ClientFrames.ui_action)], ...P.UI_ACTION_TYPES.map((action): Section[1][number] => [`ui_action ${action}`, P.UiActions[action]])]
      : [[type, P.ClientFrames[type]]],
  )],
  ['BFF → client frames (not logged)', P.REPLY_FRAME_TYPES.map((type) => [type, P.ReplyFrames[type]])],
  ['Logged events (carry seq, ts, session_id)', P.LOGGED_EVENT_TYPES.map((type) => [type, P.LoggedEvents[type]])],
  ['Tools', [
    ['get_shipping_quotes parameters', T.GetShippingQuotesParams], ['create_label parameters', T.CreateLabelParams],
    ['get_session_state parameters', T.GetSessionStateParams], ['get_shipping_quotes data (client_tool_result.data)', T.QuotesData],
    ['create_label data', T.LabelData], ['error data (is_error: true)', T.ToolErrorData],
    ['set_recipient_address parameters', T.SetRecipientAddressParams], ['void_label parameters', T.VoidLabelParams],
    ['track_parcel parameters', T.TrackParcelParams], ['create_label data before the shipper\'s yes', T.LabelSummaryData],
    ['PurchaseSummary (shared/summary.ts purchaseSummary)', T.PurchaseSummary],
    ['set_recipient_address data', T.RecipientData], ['void_label data', T.VoidData], ['track_parcel data', T.TrackingData],
  ]],
  ['Session state (snapshot.state, get_session_state data.state)', [['SessionState', SessionState]]],
];

export function generatedSection(): string {
  const out: string[] = [START, ''];
  out.push(
    'Each kind of frame has one list of types in `shared/wire.ts` (no zod: the widget guards frames with it) and one table in ' +
      '`shared/protocol.ts` keyed by those types, giving each frame what it is for and its fields. The zod unions, the frame ' +
      'sections below and the exhaustive switches of the BFF and the widget are built from or checked against them: a frame is ' +
      'added by its type in the list and its entry in the table (the compiler names every switch that must handle it).',
    '',
  );
  out.push(`Close codes: ${Object.entries(P.CloseCode).map(([k, v]) => `\`${v}\` ${k}`).join(' · ')}.`, '');
  out.push(`Frame error codes: ${P.FRAME_ERROR_CODES.map((c) => `\`${c}\``).join(', ')}.`, '');
  out.push(`Tool error codes: ${T.TOOL_ERROR_CODES.map((c) => `\`${c}\``).join(', ')}.`, '');
  out.push(`HTTP error codes: ${P.HTTP_ERROR_CODES.map((c) => `\`${c}\``).join(', ')}.`, '');
  for (const [title, entries] of sections) {
    out.push(`### ${title}`, '');
    for (const [name, schema, heading] of entries) {
      const about = schema ? describedAs(schema) : heading;
      out.push(`#### ${name}`, '', ...(about ? [about, ''] : []));
      if (!schema) continue;
      const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
      delete json.$schema;
      // What the frame is for is the sentence above its schema.
      delete json.description;
      // A date-time's format says enough; zod's long ISO regex only hides the shape.
      const text = JSON.stringify(json, (k, v: unknown) => (k === 'pattern' && /\\d\{4\}/.test(String(v)) ? undefined : v), 1);
      out.push('```json', text, '```', '');
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
