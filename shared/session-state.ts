/** The session state schema (kept apart from the reducer so protocol.ts can embed it). */
import * as z from './zod.ts';
import { Account, Actor, CheckedAddress, TrackingEvent, TrackingStatus } from './address.ts';
import { Label, Quote, Shipment } from './tools.ts';

/** Who said a line of the conversation: the shopper or Bob (the state adds Bob's tool calls as lines). */
export const TRANSCRIPT_ROLES = ['user', 'agent'] as const;

export const RunningTool = z.object({
  tool_call_id: z.string(),
  tool_name: z.string(),
  started_seq: z.int(),
  answered: z.array(z.string()),
  slow: z.array(z.string()),
});
export type RunningTool = z.infer<typeof RunningTool>;

export const QuoteSet = z.object({
  request_id: z.string(),
  shipment: Shipment,
  quotes: z.array(Quote),
  /** Carriers that did not answer this request (as Bob said), when any. */
  missing_carriers: z.optional(z.array(z.string())),
  seq: z.int(),
});
export type QuoteSet = z.infer<typeof QuoteSet>;

/** A line of the conversation: the shopper's, Bob's, or one of Bob's tool calls (text = tool name) as it runs. */
export const TranscriptEntry = z.object({
  id: z.string(),
  role: z.enum([...TRANSCRIPT_ROLES, 'tool']),
  text: z.string(),
  seq: z.int(),
  status: z.optional(z.enum(['running', 'done', 'error'])),
  /** A tool line that answered with an error: the sentence Bob was told (what is missing, or what went wrong). */
  note: z.optional(z.string()),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;

export const SessionState = z.object({
  session_id: z.string(),
  /** Seq of the last event applied. */
  seq: z.int(),
  /** What Bob asked for last, even when it was refused: drives the zip and weight steps. */
  draft: z.object({
    from_zip: z.optional(z.string()),
    to_zip: z.optional(z.string()),
    weight: z.optional(z.number()),
    weight_unit: z.optional(z.string()),
  }),
  running: z.array(RunningTool),
  /** The quotes on screen (and the only ones create_label accepts). */
  quotes: z.nullable(QuoteSet),
  /** Newer quotes that arrived after the shipper chose: offered, never switched to silently. */
  updated_quotes: z.nullable(QuoteSet),
  selected_quote_id: z.nullable(z.string()),
  selected_by: z.nullable(Actor),
  label: z.nullable(Label),
  emails: z.array(z.object({ label_id: z.string(), to: z.string(), seq: z.int() })),
  last_error: z.nullable(z.object({ tool_name: z.string(), code: z.string(), message: z.string(), seq: z.int() })),
  /** What Bob heard last: the result string of the last finished tool call. */
  last_result: z.nullable(z.object({ tool_call_id: z.string(), tool_name: z.string(), is_error: z.boolean(), result: z.string(), seq: z.int() })),
  context: z.array(z.object({ text: z.string(), source: z.string(), seq: z.int() })),
  /** The last lines of the conversation, in order (absent in states saved before it existed). */
  transcript: z.optional(z.array(TranscriptEntry)),
  /** The ShipVox account as last reported (the sender's address, the balance). Absent in sessions from before it existed. */
  account: z.optional(z.nullable(Account)),
  /** The recipient as last set (by Bob or the screen) and the backend's check of it. */
  recipient: z.optional(z.nullable(CheckedAddress)),
  /** A ship-from address other than the account's, as last set and checked (absent: the account's address). */
  sender: z.optional(z.nullable(CheckedAddress)),
  /** The purchase summary Bob last got to read aloud (create_label without confirmed). */
  summary_read: z.optional(z.nullable(z.object({ summary_id: z.string(), seq: z.int() }))),
  /** The label's void, once the backend refunded it. */
  voided: z.optional(z.nullable(z.object({ label_id: z.string(), refund_cents: z.int(), currency: z.string(), seq: z.int() }))),
  /** The label's tracking as the BFF learned it: every event so far, oldest first. */
  tracking: z.optional(z.nullable(z.object({ label_id: z.string(), status: TrackingStatus, events: z.array(TrackingEvent), seq: z.int() }))),
});
export type SessionState = z.infer<typeof SessionState>;
