/**
 * The wire contract (docs/protocol.md): every HTTP body and socket frame, close codes and error
 * codes. Both the BFF and the widget validate with these schemas; types are inferred from them.
 */
import * as z from './zod.ts';
import { Account, Actor, Address, AddressParty, AddressValidation, TrackingEvent, TrackingStatus } from './address.ts';
import { Carrier, Label, LabelFormat, Quote, QuotesData, Shipment, ToolErrorCode } from './tools.ts';
import { SessionState, TRANSCRIPT_ROLES } from './session-state.ts';
import { CALL_BINDING_PATTERN } from './call-binding.ts';

export { TRANSCRIPT_ROLES };

// The zod-free constants are part of the contract: importers of this module get them here too.
export * from './wire.ts';
import {
  CLIENT_FRAME_TYPES,
  ID_PATTERN,
  ID_RULE,
  LOGGED_EVENT_TYPES,
  MAX_EMAIL_LENGTH,
  MAX_TOOL_PARAMETERS_BYTES,
  REPLY_FRAME_TYPES,
  SERVER_FRAME_TYPES,
  toolParametersTooLarge,
  UI_ACTION_TYPES,
  type ClientFrameType,
  type LoggedEventType,
  type ReplyFrameType,
  type UiActionType,
} from './wire.ts';

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

export const MessageId = z.string().check(z.regex(ID_PATTERN, ID_RULE));
export const Seq = z.int().check(z.nonnegative());
const IsoTime = z.iso.datetime();

// ---------- the frame tables ----------
// One table per list of shared/wire.ts, keyed by frame type: each entry says what the frame is for
// (docs/protocol.md shows it) and its fields; the schemas, the unions and the generated docs are
// built from the tables, in the lists' order.

type Fields = z.core.$ZodLooseShape;
interface Entry<F extends Fields = Fields> {
  about: string;
  fields: F;
}
const entry = <F extends Fields>(about: string, fields: F): Entry<F> => ({ about, fields });

/** The schema of each name of `names`, made from its table entry (described by its `about`). */
function schemasOf<N extends string, S extends z.ZodType>(names: readonly N[], table: Record<N, Entry>, make: (name: N, fields: Fields) => S) {
  return Object.fromEntries(names.map((name) => [name, make(name, table[name].fields).meta({ description: table[name].about })])) as Record<N, S>;
}

/** The discriminated union of a table's schemas, in the order of its list. */
const unionOf = <D extends string, N extends string, T extends Record<N, z.ZodType & z.core.$ZodTypeDiscriminable>>(discriminator: D, names: readonly N[], schemas: T) =>
  z.discriminatedUnion(discriminator, names.map((name) => schemas[name]) as unknown as [T[N], ...T[N][]]);

const frame = <T extends string, F extends Fields>(type: T, fields: F) => z.object({ type: z.literal(type), ...fields });
type FrameSchema<T extends string, F extends Fields> = ReturnType<typeof frame<T, F>>;

// ---------- client → BFF ----------

const ROLES = ['ui', 'voice', 'console'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

const ToolParameters = z
  .record(z.string(), z.unknown())
  .check(z.refine((p) => !toolParametersTooLarge(p), `must be at most ${MAX_TOOL_PARAMETERS_BYTES} bytes as JSON`));

const UI_ACTIONS = {
  select_quote: entry('The shopper chose an option on screen.', { quote_id: z.string().check(z.minLength(1), z.maxLength(128)) }),
  email_label: entry('Sends the label to an email address.', {
    label_id: z.string().check(z.minLength(1), z.maxLength(128)),
    to: z.email('must be an email address').check(z.maxLength(MAX_EMAIL_LENGTH)),
  }),
  label_link: entry('Asks for a fresh signed link (the one in label_created expires), in `format` (default pdf_4x6); answered by ack{url}.', {
    label_id: z.string().check(z.minLength(1), z.maxLength(128)),
    format: z.optional(LabelFormat),
  }),
  set_recipient: entry(
    "The recipient (or, with `party: 'sender'`, the ship-from address) typed or corrected on screen (a suggestion is accepted by sending it; `keep: true` keeps it as typed over the suggestion); checked by the backend, then logged.",
    { address: Address, party: z.optional(AddressParty), keep: z.optional(z.literal(true)) },
  ),
  confirm_purchase: entry("The shopper's yes on the summary card: buys the label when `summary_id` is still the current summary's.", {
    summary_id: z.string().check(z.minLength(1), z.maxLength(64)),
  }),
  void_label: entry('Voids the label and refunds it while the carrier has not scanned the parcel.', { label_id: z.string().check(z.minLength(1), z.maxLength(128)) }),
  transcript: entry(
    "A line of the conversation as the screen running the call heard it (the shopper's words, typed or transcribed, and Bob's); the same line_id again replaces its text (Bob's correction after an interruption). Logged as transcript_line with emails and street addresses masked.",
    {
      line_id: MessageId,
      role: z.enum(TRANSCRIPT_ROLES),
      text: z.string().check(z.minLength(1), z.maxLength(4000)),
    },
  ),
} satisfies Record<UiActionType, Entry>;

const uiAction = <A extends string, F extends Fields>(action: A, fields: F) =>
  z.object({ type: z.literal('ui_action'), action: z.literal(action), client_msg_id: MessageId, ...fields });
/** The ui_action schemas by action. */
export const UiActions = schemasOf(UI_ACTION_TYPES, UI_ACTIONS, uiAction) as {
  [A in UiActionType]: ReturnType<typeof uiAction<A, (typeof UI_ACTIONS)[A]['fields']>>;
};
export const UiActionFrame = unionOf('action', UI_ACTION_TYPES, UiActions);
export type UiActionFrame = z.infer<typeof UiActionFrame>;

const CLIENT_FRAMES = {
  hello: entry("A socket's first frame: who is connecting and, to resume, the last seq it has.", {
    role: Role,
    last_seq: z.optional(Seq),
    client: z.optional(z.object({ name: z.string().check(z.maxLength(64)), version: z.string().check(z.maxLength(32)) })),
  }),
  client_tool_call: entry('Runs one of Bob\'s tools for a voice client (a repeated tool_call_id runs once).', {
    tool_call_id: MessageId,
    tool_name: z.string().check(z.minLength(1), z.maxLength(64)),
    parameters: z._default(ToolParameters, {}),
  }),
  contextual_update: entry('A note for the session (logged as contextual_update with the sender\'s role as source).', {
    text: z.string().check(z.minLength(1), z.maxLength(2000)),
    context_id: z.optional(z.string().check(z.maxLength(128))),
  }),
  resync: entry('Asks again for every logged event after `last_seq` (or a snapshot when the log no longer reaches back).', { last_seq: Seq }),
  ping: entry('Answered by pong with the same id.', { id: z.string().check(z.maxLength(64)) }),
} satisfies Record<Exclude<ClientFrameType, 'ui_action'>, Entry>;

/** The client frame schemas by type (ui_action is itself a union, by action). */
export const ClientFrames = {
  ...(schemasOf(CLIENT_FRAME_TYPES.filter((t) => t !== 'ui_action'), CLIENT_FRAMES, frame) as {
    [T in keyof typeof CLIENT_FRAMES]: FrameSchema<T, (typeof CLIENT_FRAMES)[T]['fields']>;
  }),
  ui_action: UiActionFrame.meta({ description: 'Something the shopper did on screen, by `action`; answered by ack (or error) with its client_msg_id, applied once.' }),
} satisfies Record<ClientFrameType, z.ZodType<{ type: ClientFrameType }>>;

export const ClientFrame = unionOf('type', CLIENT_FRAME_TYPES, ClientFrames);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type HelloFrame = z.infer<typeof ClientFrames.hello>;
export type ClientToolCallFrame = z.infer<typeof ClientFrames.client_tool_call>;

// ---------- logged events (BFF → client, carry seq) ----------

export const ToolSource = z.enum(['agent_webhook', 'client', 'in_process', 'ui']);

const LOGGED_EVENTS = {
  tool_call_started: entry('A tool run began (whatever its path: webhook, client_tool_call, in-process, a ui_action).', {
    tool_call_id: MessageId,
    tool_name: z.string(),
    parameters: ToolParameters,
    source: ToolSource,
  }),
  tool_call_progress: entry('Carriers answering a get_shipping_quotes run, and the slow ones.', {
    tool_call_id: MessageId,
    tool_name: z.string(),
    /** Carriers that answered so far, with their quotes (not yet numbered for Bob). */
    answered: z.array(z.string()),
    /** Carriers still pending after the slow threshold: the screen says so. */
    slow: z.array(z.string()),
  }),
  client_tool_result: entry("A tool run's answer: `result` is exactly the string Bob reads (ElevenLabs rejects objects), `data` the same for screens.", {
    tool_call_id: MessageId,
    tool_name: z.string(),
    is_error: z.boolean(),
    result: z.string(),
    data: z.unknown(),
  }),
  quotes_ready: entry('The options of a get_shipping_quotes run, numbered as Bob reads them.', {
    request_id: z.string(),
    shipment: Shipment,
    quotes: z.array(Quote),
    missing_carriers: z.optional(z.array(z.string())),
    /** Carriers still out at the deadline: their options may follow as quotes_added. */
    pending_carriers: z.optional(z.array(Carrier)),
    /** An older request answered after a newer one: logged for the record, never shown. */
    superseded: z.optional(z.boolean()),
  }),
  quote_selected: entry('An option was chosen, on screen or by Bob.', { quote_id: z.string(), by: Actor }),
  label_created: entry('The label was bought.', { label: Label }),
  label_emailed: entry('The label was sent to `to` (masked).', { label_id: z.string(), to: z.string() }),
  contextual_update: entry("A note for the session; from `bff`, a sentence the widget forwards to the voice agent.", {
    text: z.string(),
    context_id: z.optional(z.string()),
    source: z.enum([...ROLES, 'bff']),
  }),
  quotes_added: entry(
    "A carrier that answered after Bob's answer: its options join the set of `request_id`, numbered after the ones Bob read (and marked `late`), so what he said stays true. `quotes` is empty when the carrier failed in the end. A contextual_update from `bff` follows with the sentence for Bob.",
    {
      request_id: z.string(),
      carrier: Carrier,
      quotes: z.array(Quote),
    },
  ),
  transcript_line: entry("One line of the conversation (masked); a line_id seen before replaces that line's text.", {
    line_id: z.string(),
    role: z.enum(TRANSCRIPT_ROLES),
    text: z.string(),
  }),
  account_updated: entry('The ShipVox account as the backend reports it: when the session first needs it, after a purchase and after a refund.', {
    account: Account,
    reason: z.enum(['loaded', 'purchase', 'refund']),
  }),
  recipient_updated: entry(
    'The recipient (or, with `party: sender`, the ship-from address) was set or changed (`by` Bob or the screen), with the backend\'s check. `summary` is the sentence for Bob; a change from the screen is followed by a contextual_update from `bff` carrying it, which the widget forwards to the voice agent.',
    {
      /** Absent: the recipient; `sender`: the ship-from address. */
      party: z.optional(AddressParty),
      address: Address,
      validation: AddressValidation,
      by: Actor,
      summary: z.string(),
    },
  ),
  summary_read: entry('Bob got the purchase summary `summary_id` to read aloud (create_label without confirmed): his yes confirms that one.', {
    summary_id: z.string(),
    text: z.string(),
  }),
  label_voided: entry('The label was voided and refunded.', {
    label_id: z.string(),
    refund_cents: z.int(),
    currency: z.string(),
    by: Actor,
    summary: z.string(),
  }),
  tracking_updated: entry('New tracking events of the label (oldest first), as the BFF learned them from the backend; `status` is the latest.', {
    label_id: z.string(),
    status: TrackingStatus,
    events: z.array(TrackingEvent),
    summary: z.string(),
  }),
} satisfies Record<LoggedEventType, Entry>;

const logged = <T extends string, F extends Fields>(type: T, fields: F) =>
  z.object({ type: z.literal(type), seq: z.int().check(z.positive()), ts: IsoTime, session_id: z.string(), ...fields });
/** The logged event schemas by type. */
export const LoggedEvents = schemasOf(LOGGED_EVENT_TYPES, LOGGED_EVENTS, logged) as {
  [T in LoggedEventType]: ReturnType<typeof logged<T, (typeof LOGGED_EVENTS)[T]['fields']>>;
};

export const SessionEvent = unionOf('type', LOGGED_EVENT_TYPES, LoggedEvents);
export type SessionEvent = z.infer<typeof SessionEvent>;
export type SessionEventType = SessionEvent['type'];
/** An event as the session service is asked to append it: seq, ts and session_id come from the log. */
export type NewSessionEvent = SessionEvent extends infer E
  ? E extends SessionEvent
    ? Omit<E, 'seq' | 'ts' | 'session_id'>
    : never
  : never;

// ---------- other BFF → client frames (no seq) ----------

const REPLY_FRAMES = {
  welcome: entry('The answer to hello: the session, whether it resumed, the heartbeat interval and the protocol version.', {
    session_id: z.string(),
    connection_id: z.string(),
    resumed: z.boolean(),
    heartbeat_ms: z.int(),
    server_time: IsoTime,
    protocol: z.optional(z.int()),
  }),
  snapshot: entry('The whole session state at `seq` (instead of a replay).', { seq: Seq, state: SessionState }),
  ack: entry('A ui_action applied.', {
    client_msg_id: MessageId,
    /** Only on label_link: a fresh signed PDF link. */
    url: z.optional(z.string()),
    /** True when this client_msg_id was already applied (a resend after a reconnect). */
    duplicate: z.optional(z.boolean()),
  }),
  pong: entry('The answer to ping.', { id: z.string(), server_time: IsoTime }),
  error: entry('A frame refused (nothing changed); `ref` names the frame it answers.', {
    code: FrameErrorCode,
    message: z.string(),
    ref: z.optional(z.string()),
    retryable: z.boolean(),
    /** A ui_action the domain refused (an address, a void, a confirmation): the tool error code; `message` is speakable. */
    reason: z.optional(ToolErrorCode),
  }),
} satisfies Record<ReplyFrameType, Entry>;

/** The BFF → client frames that are not logged, by type. */
export const ReplyFrames = schemasOf(REPLY_FRAME_TYPES, REPLY_FRAMES, frame) as {
  [T in ReplyFrameType]: FrameSchema<T, (typeof REPLY_FRAMES)[T]['fields']>;
};
export type ErrorFrame = z.infer<typeof ReplyFrames.error>;
export type WelcomeFrame = z.infer<typeof ReplyFrames.welcome>;
export type SnapshotFrame = z.infer<typeof ReplyFrames.snapshot>;

export const ServerFrame = unionOf('type', SERVER_FRAME_TYPES, { ...ReplyFrames, ...LoggedEvents });
export type ServerFrame = z.infer<typeof ServerFrame>;

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
