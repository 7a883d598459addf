/**
 * The ElevenLabs conversation socket's contract as `@elevenlabs/types` (generated from ElevenLabs'
 * AsyncAPI document) states it, for the local Bob and the test stand-ins: runtime schemas of every frame a client may
 * send, each held equal to its generated type at compile time (so a change of the contract breaks
 * `tsc`, not a test's reading of it), and the union of the frames the service sends.
 */
import type {
  AgentChatResponsePartClientEvent,
  AgentResponseClientEvent,
  AgentResponseCorrectionClientEvent,
  AgentToolRequestClientEvent,
  AgentToolResponseClientEvent,
  ClientToolCallClientEvent,
  ErrorClientEvent,
  ErrorEventErrorType,
  Outgoing,
  Ping,
  Interruption,
  ConversationMetadata,
  UserTranscriptionClientEvent,
} from '@elevenlabs/types';
import { z } from '../../shared/zod.ts';

/** A frame the service sends (the subset the local Bob and the stand-ins use). */
export type ServiceFrame =
  | ConversationMetadata
  | AgentChatResponsePartClientEvent
  | Ping
  | ClientToolCallClientEvent
  | AgentToolRequestClientEvent
  | AgentToolResponseClientEvent
  | AgentResponseClientEvent
  | AgentResponseCorrectionClientEvent
  | UserTranscriptionClientEvent
  | Interruption
  | ErrorClientEvent;

/** True when A and B are the same type (both ways assignable, optional keys alike). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;
const same = <A, B>(ok: Same<A, B>) => ok;

const record = z.record(z.string(), z.any());
const languages = z.string() as z.ZodType<NonNullable<NonNullable<Outgoing.ConversationInitiationClientToOrchestratorEvent['conversation_config_override']>['agent']>['language']>;
const clientEvent = z.string() as z.ZodType<
  NonNullable<NonNullable<NonNullable<Outgoing.ConversationInitiationClientToOrchestratorEvent['conversation_config_override']>['conversation']>['client_events']>[number]
>;

const initiation = z.object({
  type: z.literal('conversation_initiation_client_data'),
  conversation_config_override: z
    .strictObject({
      agent: z
        .strictObject({
          first_message: z.string().optional(),
          language: languages.optional(),
          prompt: z.object({ prompt: z.string().optional(), llm: z.string().optional() }).optional(),
          native_mcp_server_ids: z.array(z.string()).optional(),
        })
        .optional(),
      asr: z.object({ keywords: z.array(z.string()).optional() }).optional(),
      tts: z
        .strictObject({ voice_id: z.string().optional(), stability: z.number().optional(), speed: z.number().optional(), similarity_boost: z.number().optional() })
        .optional(),
      conversation: z.object({ text_only: z.boolean().optional(), client_events: z.array(clientEvent).optional() }).optional(),
    })
    .optional(),
  custom_llm_extra_body: record.optional(),
  dynamic_variables: record.optional(),
  user_id: z.string().optional(),
  source_info: z.object({ source: z.string().optional(), version: z.string().optional() }).optional(),
  tool_mock_config: z
    .strictObject({
      mocking_strategy: z.enum(['none', 'all', 'selected']).optional(),
      mocked_tool_names: z.array(z.string()).optional(),
      fallback_strategy: z.enum(['raise_error', 'call_real_tool']).optional(),
    })
    .optional(),
});
const pong = z.object({ type: z.literal('pong'), event_id: z.number().int() });
const userMessage = z.object({ type: z.literal('user_message'), text: z.string().optional(), rich_content_id: z.string().optional() });
const userActivity = z.object({ type: z.literal('user_activity') });
const feedback = z.object({ type: z.literal('feedback'), event_id: z.number().int(), score: z.enum(['like', 'dislike']).nullable() });
const toolResult = z.object({ type: z.literal('client_tool_result'), tool_call_id: z.string(), result: z.string(), is_error: z.boolean() });
const mcpApproval = z.object({ type: z.literal('mcp_tool_approval_result'), tool_call_id: z.string(), is_approved: z.boolean() });
const contextualUpdate = z.object({ type: z.literal('contextual_update'), text: z.string(), context_id: z.string().optional() });
const fileInput = z.object({ type: z.literal('file_input'), file_id: z.string() });
const multimodal = z.object({
  type: z.literal('multimodal_message'),
  text: z.object({ type: z.literal('user_message'), text: z.string().optional(), rich_content_id: z.string().optional() }).optional(),
  file: fileInput.optional(),
  files: z.array(fileInput).optional(),
});
const audio = z.object({ user_audio_chunk: z.string() });

// Each schema is the generated type, no more and no less (tsc fails here when the contract moves).
same<z.infer<typeof initiation>, Outgoing.ConversationInitiationClientToOrchestratorEvent>(true);
same<z.infer<typeof pong>, Outgoing.PongClientToOrchestratorEvent>(true);
same<z.infer<typeof userMessage>, Outgoing.UserMessageClientToOrchestratorEvent>(true);
same<z.infer<typeof userActivity>, Outgoing.UserActivityClientToOrchestratorEvent>(true);
same<z.infer<typeof feedback>, Outgoing.UserFeedbackClientToOrchestratorEvent>(true);
same<z.infer<typeof toolResult>, Outgoing.ClientToolResultClientToOrchestratorEvent>(true);
same<z.infer<typeof mcpApproval>, Outgoing.McpToolApprovalResultClientToOrchestratorEvent>(true);
same<z.infer<typeof contextualUpdate>, Outgoing.ContextualUpdateClientToOrchestratorEvent>(true);
same<z.infer<typeof multimodal>, Outgoing.MultimodalMessageClientToOrchestratorEvent>(true);
same<z.infer<typeof audio>, Outgoing.UserAudio>(true);

/** Every frame a client may send, by its `type` (audio chunks have none). */
const CLIENT_FRAMES = {
  conversation_initiation_client_data: initiation,
  pong,
  user_message: userMessage,
  user_activity: userActivity,
  feedback,
  client_tool_result: toolResult,
  mcp_tool_approval_result: mcpApproval,
  contextual_update: contextualUpdate,
  multimodal_message: multimodal,
} as const;

export type ClientFrame = { [K in keyof typeof CLIENT_FRAMES]: z.infer<(typeof CLIENT_FRAMES)[K]> }[keyof typeof CLIENT_FRAMES] | Outgoing.UserAudio;

export type FrameCheck = { ok: true; frame: ClientFrame } | { ok: false; error_type: ErrorEventErrorType; message: string };

/**
 * A client frame read the way the service reads it: JSON with a known `type` (or an audio chunk)
 * whose required fields are present and typed. Anything else is `invalid_message`.
 */
export function checkClientFrame(text: string): FrameCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error_type: 'invalid_message', message: 'Invalid message received: not JSON' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error_type: 'invalid_message', message: 'Invalid message received: not an object' };
  const type = (value as { type?: unknown }).type;
  const schema = type === undefined ? audio : CLIENT_FRAMES[type as keyof typeof CLIENT_FRAMES];
  if (!schema) return { ok: false, error_type: 'invalid_message', message: `Invalid message received: unknown type ${JSON.stringify(type)}` };
  const parsed = (schema as z.ZodType<ClientFrame>).safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(frame)').join(', ');
    return { ok: false, error_type: 'invalid_message', message: `Invalid message received: ${String(type ?? 'audio')} (${fields})` };
  }
  return { ok: true, frame: parsed.data };
}
