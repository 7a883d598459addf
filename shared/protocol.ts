/**
 * The wire contract (docs/protocol.md): every HTTP body and socket frame, close codes and error
 * codes. Both the BFF and the widget validate with these schemas; types are inferred from them.
 */
import * as z from './zod.ts';
import { Account, Address, AddressParty, AddressValidation, TrackingEvent, TrackingStatus } from './address.ts';
import { Carrier, Label, LabelFormat, Quote, QuotesData, Shipment, ToolErrorCode } from './tools.ts';
import { SessionState } from './session-state.ts';
import { CALL_BINDING_PATTERN } from './call-binding.ts';

export {
  CLIENT_FRAME_TYPES,
  CloseCode,
  isLoggedEvent,
  LOGGED_EVENT_TYPES,
  MAX_FRAME_BYTES,
  MAX_TOOL_PARAMETERS_BYTES,
  PROTOCOL_VERSION,
  SERVER_FRAME_TYPES,
  serverFrame,
  TERMINAL_CLOSE_CODES,
  toolParametersTooLarge,
} from './wire.ts';
import { MAX_TOOL_PARAMETERS_BYTES, toolParametersTooLarge } from './wire.ts';

export const FRAME_ERROR_CODES = [
  'bad_frame',
  'unknown_type',
  'invalid_params',
  'rate_limited',
  'unauthorized',
  'not_found',
  'conflict',
  'unavailable',
  'internal',
] as const;
export const FrameErrorCode = z.enum(FRAME_ERROR_CODES);
export type FrameErrorCode = z.infer<typeof FrameErrorCode>;

export const MessageId = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,128}$/, '1-128 characters of [A-Za-z0-9_.:-]'));
export const Seq = z.int().check(z.nonnegative());
const IsoTime = z.iso.datetime();

// ---------- client → BFF ----------

export const Role = z.enum(['ui', 'voice', 'console']);
export type Role = z.infer<typeof Role>;

export const HelloFrame = z.object({
  type: z.literal('hello'),
  role: Role,
  last_seq: z.optional(Seq),
  client: z.optional(z.object({ name: z.string().check(z.maxLength(64)), version: z.string().check(z.maxLength(32)) })),
});
const ToolParameters = z
  .record(z.string(), z.unknown())
  .check(z.refine((p) => !toolParametersTooLarge(p), `must be at most ${MAX_TOOL_PARAMETERS_BYTES} bytes as JSON`));
export const ClientToolCallFrame = z.object({
  type: z.literal('client_tool_call'),
  tool_call_id: MessageId,
  tool_name: z.string().check(z.minLength(1), z.maxLength(64)),
  parameters: z._default(ToolParameters, {}),
});
export const ContextualUpdateFrame = z.object({
  type: z.literal('contextual_update'),
  text: z.string().check(z.minLength(1), z.maxLength(2000)),
  context_id: z.optional(z.string().check(z.maxLength(128))),
});
const uiAction = <A extends string, S extends z.core.$ZodLooseShape>(action: A, shape: S) =>
  z.object({ type: z.literal('ui_action'), action: z.literal(action), client_msg_id: MessageId, ...shape });
export const SelectQuoteAction = uiAction('select_quote', { quote_id: z.string().check(z.minLength(1), z.maxLength(128)) });
export const EmailLabelAction = uiAction('email_label', {
  label_id: z.string().check(z.minLength(1), z.maxLength(128)),
  to: z.email('must be an email address').check(z.maxLength(254)),
});
/** Asks for a fresh signed link (the one in label_created expires), in `format` (default pdf_4x6); answered by ack{url}. */
export const LabelLinkAction = uiAction('label_link', { label_id: z.string().check(z.minLength(1), z.maxLength(128)), format: z.optional(LabelFormat) });
/**
 * The recipient (or, with `party: 'sender'`, the ship-from address) typed or corrected on screen (a
 * suggestion is accepted by sending it; `keep: true` keeps it as typed over the suggestion); checked
 * by the backend, then logged.
 */
export const SetRecipientAction = uiAction('set_recipient', { address: Address, party: z.optional(AddressParty), keep: z.optional(z.literal(true)) });
/** The shopper's yes on the summary card: buys the label when `summary_id` is still the current summary's. */
export const ConfirmPurchaseAction = uiAction('confirm_purchase', { summary_id: z.string().check(z.minLength(1), z.maxLength(64)) });
export const VoidLabelAction = uiAction('void_label', { label_id: z.string().check(z.minLength(1), z.maxLength(128)) });
export const TRANSCRIPT_ROLES = ['user', 'agent'] as const;
/**
 * A line of the conversation as the screen running the call heard it (the shopper's words, typed or
 * transcribed, and Bob's); the same line_id again replaces its text (Bob's correction after an
 * interruption). Logged as transcript_line with emails and street addresses masked.
 */
export const TranscriptAction = uiAction('transcript', {
  line_id: MessageId,
  role: z.enum(TRANSCRIPT_ROLES),
  text: z.string().check(z.minLength(1), z.maxLength(4000)),
});
export const UiActionFrame = z.discriminatedUnion('action', [SelectQuoteAction, EmailLabelAction, LabelLinkAction, SetRecipientAction, ConfirmPurchaseAction, VoidLabelAction, TranscriptAction]);
export type UiActionFrame = z.infer<typeof UiActionFrame>;
export const ResyncFrame = z.object({ type: z.literal('resync'), last_seq: Seq });
export const PingFrame = z.object({ type: z.literal('ping'), id: z.string().check(z.maxLength(64)) });

export const ClientFrame = z.discriminatedUnion('type', [
  HelloFrame,
  ClientToolCallFrame,
  ContextualUpdateFrame,
  UiActionFrame,
  ResyncFrame,
  PingFrame,
]);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type HelloFrame = z.infer<typeof HelloFrame>;
export type ClientToolCallFrame = z.infer<typeof ClientToolCallFrame>;

// ---------- logged events (BFF → client, carry seq) ----------

const logged = <T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), seq: z.int().check(z.positive()), ts: IsoTime, session_id: z.string(), ...shape });

export const ToolSource = z.enum(['agent_webhook', 'client', 'in_process', 'ui']);
export const ToolCallStartedEvent = logged('tool_call_started', {
  tool_call_id: MessageId,
  tool_name: z.string(),
  parameters: ToolParameters,
  source: ToolSource,
});
export const ToolCallProgressEvent = logged('tool_call_progress', {
  tool_call_id: MessageId,
  tool_name: z.string(),
  /** Carriers that answered so far, with their quotes (not yet numbered for Bob). */
  answered: z.array(z.string()),
  /** Carriers still pending after the slow threshold: the screen says so. */
  slow: z.array(z.string()),
});
export const ClientToolResultEvent = logged('client_tool_result', {
  tool_call_id: MessageId,
  tool_name: z.string(),
  is_error: z.boolean(),
  /** Exactly the string the LLM reads (ElevenLabs rejects objects). */
  result: z.string(),
  data: z.unknown(),
});
export const QuotesReadyEvent = logged('quotes_ready', {
  request_id: z.string(),
  shipment: Shipment,
  quotes: z.array(Quote),
  missing_carriers: z.optional(z.array(z.string())),
  /** Carriers still out at the deadline: their options may follow as quotes_added. */
  pending_carriers: z.optional(z.array(Carrier)),
  /** An older request answered after a newer one: logged for the record, never shown. */
  superseded: z.optional(z.boolean()),
});
/**
 * A carrier that answered after Bob's answer: its options join the set of `request_id`, numbered
 * after the ones Bob read (and marked `late`), so what he said stays true. `quotes` is empty when
 * the carrier failed in the end. A contextual_update from `bff` follows with the sentence for Bob.
 */
export const QuotesAddedEvent = logged('quotes_added', {
  request_id: z.string(),
  carrier: Carrier,
  quotes: z.array(Quote),
});
export const QuoteSelectedEvent = logged('quote_selected', { quote_id: z.string(), by: z.enum(['ui', 'agent']) });
export const LabelCreatedEvent = logged('label_created', { label: Label });
export const LabelEmailedEvent = logged('label_emailed', { label_id: z.string(), to: z.string() });
/** The ShipVox account as the backend reports it: when the session first needs it, after a purchase and after a refund. */
export const AccountUpdatedEvent = logged('account_updated', { account: Account, reason: z.enum(['loaded', 'purchase', 'refund']) });
/**
 * The recipient was set or changed (`by` Bob or the screen), with the backend's check. `summary` is
 * the sentence for Bob; a change from the screen is followed by a contextual_update from `bff`
 * carrying it, which the widget forwards to the voice agent.
 */
export const RecipientUpdatedEvent = logged('recipient_updated', {
  /** Absent: the recipient; `sender`: the ship-from address. */
  party: z.optional(AddressParty),
  address: Address,
  validation: AddressValidation,
  by: z.enum(['agent', 'ui']),
  summary: z.string(),
});
/** Bob got the purchase summary `summary_id` to read aloud (create_label without confirmed): his yes confirms that one. */
export const SummaryReadEvent = logged('summary_read', { summary_id: z.string(), text: z.string() });
export const LabelVoidedEvent = logged('label_voided', {
  label_id: z.string(),
  refund_cents: z.int(),
  currency: z.string(),
  by: z.enum(['agent', 'ui']),
  summary: z.string(),
});
/** New tracking events of the label (oldest first), as the BFF learned them from the backend; `status` is the latest. */
export const TrackingUpdatedEvent = logged('tracking_updated', {
  label_id: z.string(),
  status: TrackingStatus,
  events: z.array(TrackingEvent),
  summary: z.string(),
});
export const ContextualUpdateEvent = logged('contextual_update', {
  text: z.string(),
  context_id: z.optional(z.string()),
  source: z.enum(['ui', 'voice', 'console', 'bff']),
});

/** One line of the conversation (masked); a line_id seen before replaces that line's text. */
export const TranscriptLineEvent = logged('transcript_line', {
  line_id: z.string(),
  role: z.enum(TRANSCRIPT_ROLES),
  text: z.string(),
});

export const SessionEvent = z.discriminatedUnion('type', [
  ToolCallStartedEvent,
  ToolCallProgressEvent,
  ClientToolResultEvent,
  QuotesReadyEvent,
  QuoteSelectedEvent,
  LabelCreatedEvent,
  LabelEmailedEvent,
  ContextualUpdateEvent,
  QuotesAddedEvent,
  TranscriptLineEvent,
  AccountUpdatedEvent,
  RecipientUpdatedEvent,
  SummaryReadEvent,
  LabelVoidedEvent,
  TrackingUpdatedEvent,
]);
export type SessionEvent = z.infer<typeof SessionEvent>;
export type SessionEventType = SessionEvent['type'];
/** An event as the session service is asked to append it: seq, ts and session_id come from the log. */
export type NewSessionEvent = SessionEvent extends infer E
  ? E extends SessionEvent
    ? Omit<E, 'seq' | 'ts' | 'session_id'>
    : never
  : never;

// ---------- other BFF → client frames (no seq) ----------

export const WelcomeFrame = z.object({
  type: z.literal('welcome'),
  session_id: z.string(),
  connection_id: z.string(),
  resumed: z.boolean(),
  heartbeat_ms: z.int(),
  server_time: IsoTime,
  protocol: z.optional(z.int()),
});
export const SnapshotFrame = z.object({ type: z.literal('snapshot'), seq: Seq, state: SessionState });
export const AckFrame = z.object({
  type: z.literal('ack'),
  client_msg_id: MessageId,
  /** Only on label_link: a fresh signed PDF link. */
  url: z.optional(z.string()),
  /** True when this client_msg_id was already applied (a resend after a reconnect). */
  duplicate: z.optional(z.boolean()),
});
export const PongFrame = z.object({ type: z.literal('pong'), id: z.string(), server_time: IsoTime });
export const ErrorFrame = z.object({
  type: z.literal('error'),
  code: FrameErrorCode,
  message: z.string(),
  ref: z.optional(z.string()),
  retryable: z.boolean(),
  /** A ui_action the domain refused (an address, a void, a confirmation): the tool error code; `message` is speakable. */
  reason: z.optional(ToolErrorCode),
});
export type ErrorFrame = z.infer<typeof ErrorFrame>;
export type WelcomeFrame = z.infer<typeof WelcomeFrame>;
export type SnapshotFrame = z.infer<typeof SnapshotFrame>;

export const ServerFrame = z.discriminatedUnion('type', [
  WelcomeFrame,
  SnapshotFrame,
  AckFrame,
  PongFrame,
  ErrorFrame,
  ToolCallStartedEvent,
  ToolCallProgressEvent,
  ClientToolResultEvent,
  QuotesReadyEvent,
  QuoteSelectedEvent,
  LabelCreatedEvent,
  LabelEmailedEvent,
  ContextualUpdateEvent,
  QuotesAddedEvent,
  TranscriptLineEvent,
  AccountUpdatedEvent,
  RecipientUpdatedEvent,
  SummaryReadEvent,
  LabelVoidedEvent,
  TrackingUpdatedEvent,
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
/** The discriminators of ServerFrame, in its order (test/shared/frame-types.test.ts keeps them equal). */


// ---------- HTTP ----------

export const CreateSessionRequest = z.object({
  publishable_key: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  resume_token: z.optional(z.string().check(z.minLength(1), z.maxLength(2000))),
  /** Server-to-server only: the browser origin the session will be used from. */
  origin: z.optional(z.string().check(z.maxLength(200))),
  /**
   * The widget's call binding (shared/call-binding.ts): the id its voice calls carry as session_id,
   * resolved to this session from now on. A binding another live session holds is refused (409 conflict).
   */
  call_binding: z.optional(z.string().check(z.regex(CALL_BINDING_PATTERN, 'cb_ and 22 base64url characters'))),
});
export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>;

export const CreateSessionResponse = z.object({
  session_id: z.string(),
  ticket: z.string(),
  ticket_expires_at: IsoTime,
  resume_token: z.string(),
  resume_expires_at: IsoTime,
  ws_url: z.string(),
  /** True when resume_token named an existing session. */
  resumed: z.boolean(),
});
export type CreateSessionResponse = z.infer<typeof CreateSessionResponse>;

export const HTTP_ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'origin_not_allowed',
  'not_found',
  'conflict',
  'rate_limited',
  'payload_too_large',
  'unavailable',
  'internal',
] as const;
export const HttpErrorBody = z.object({
  error: z.object({ code: z.enum(HTTP_ERROR_CODES), message: z.string() }),
});
export type HttpErrorBody = z.infer<typeof HttpErrorBody>;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/** Extra fields ElevenLabs adds to every webhook tool body. */
export const WebhookEnvelope = z.object({
  session_id: z.string().check(z.minLength(1), z.maxLength(128)),
  conversation_id: z.optional(z.string().check(z.maxLength(128))),
  /** The caller's id for this call: a resend with the same id starts nothing and gets the first call's answer. Without it, each request is a new call. */
  tool_call_id: z.optional(MessageId),
});

export { Quote, Label, QuotesData };
