/**
 * SDK mode (`voice="sdk"`): Bob in the page through `@elevenlabs/client`, WebSocket only. Built as
 * its own ES chunk (dist/widget/shipvox-voice.js, loaded with import() on the first mic click), so
 * neither the SDK nor this file counts against the script-tag budget. `livekit-client` (WebRTC) is
 * aliased to a stub in the build: signed URLs force WebSocket anyway.
 */
import { Conversation, type Language } from '@elevenlabs/client';

export type VoiceState = 'idle' | 'connecting' | 'listening' | 'speaking' | 'error';

export interface VoiceHost {
  /** The BFF base URL. */
  endpoint: string;
  /** The session's resume token (Bearer for GET /v1/voice/credentials). */
  token: string | undefined;
  /** Bob's client tools; each resolves with a string (never rejects). */
  tools: Record<string, (parameters: Record<string, unknown>) => Promise<string>>;
  /** The language Bob should speak (the page's voice-language), if any. */
  language?: string | undefined;
  /** Called on every state change; `error` carries a message. */
  set(state: VoiceState, message?: string): void;
  /** A finished line of the conversation; the same id again replaces its text (a correction). */
  line(role: 'user' | 'agent', text: string, id: string): void;
  /** Bob's words so far while a turn streams in; null once it is done or interrupted. */
  live(text: string | null): void;
  /** Start without the microphone (the shopper types; the local Bob always runs this way). */
  textOnly?: boolean;
}

export interface VoiceCall {
  end(): void;
  /** Tells Bob about something the shopper did on screen (contextual_update; no reply). */
  tell(text: string): void;
  /** Sends what the shopper typed (user_message) and logs it as their line; false when it cannot reach Bob. */
  send?(text: string): boolean;
  /** SDK mode: mutes or unmutes the microphone (a voice call only). */
  mute?(muted: boolean): void;
  /** SDK mode: true when the call runs without the microphone (typed, or the local Bob). */
  readonly textOnly?: boolean;
  /** SDK mode: true when the server's local Bob answers (no ElevenLabs agent). */
  readonly local?: boolean;
}

interface Credentials {
  signed_url?: string;
  dynamic_variables?: Record<string, string>;
  local?: boolean;
  text_only?: boolean;
}

/** The microphone was refused or there is none: go on typing. */
const NO_MIC = /NotAllowed|NotFound|Permission|denied|device|microphone/i;
let lineCount = 0;
const lineId = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${++lineCount}`;

/**
 * Fetches credentials and starts the conversation; rejects when either fails (the host shows the
 * error). A refused or missing microphone starts the same conversation text-only instead.
 */
export async function startVoice(host: VoiceHost): Promise<VoiceCall> {
  const response = await fetch(`${host.endpoint.replace(/\/$/, '')}/v1/voice/credentials`, {
    headers: { authorization: `Bearer ${host.token ?? ''}` },
    cache: 'no-store',
  });
  const body = (await response.json().catch(() => ({}))) as Credentials & { error?: { message?: string } };
  if (!response.ok || !body.signed_url) throw new Error(body.error?.message ?? `Voice credentials failed (${response.status})`);
  let ended = false;
  let textOnly = Boolean(host.textOnly || body.text_only);
  /** Bob's turn as it streams, and his last finished line (a correction replaces it). */
  let streaming = '';
  let lastAgent: { id: string } | null = null;
  const start = () =>
    Conversation.startSession({
      signedUrl: body.signed_url!,
      connectionType: 'websocket',
      textOnly,
      dynamicVariables: { ...body.dynamic_variables, ...(host.language ? { language: host.language } : {}) },
      ...(host.language ? { overrides: { agent: { language: host.language as Language } } } : {}),
      clientTools: host.tools,
      onConnect: () => host.set('listening'),
      onDisconnect: (details) => {
        ended = true;
        host.live(null);
        if (details.reason === 'error') host.set('error', 'The voice call was cut off.');
        else host.set('idle');
      },
      onModeChange: ({ mode }) => {
        if (!ended) host.set(mode === 'speaking' ? 'speaking' : 'listening');
      },
      onMessage: ({ role, message, event_id }) => {
        if (!message.trim()) return;
        if (role === 'agent') {
          streaming = '';
          host.live(null);
          lastAgent = { id: lineId(`a${event_id ?? ''}`) };
          host.line('agent', message, lastAgent.id);
        } else host.line('user', message, lineId(`u${event_id ?? ''}`));
      },
      onAgentChatResponsePart: ({ type, text }) => {
        streaming = type === 'start' ? '' : streaming + text;
        host.live(streaming || null);
      },
      onInterruption: () => {
        streaming = '';
        host.live(null);
      },
      // What Bob actually got to say before the shopper cut in replaces his line.
      onAgentResponseCorrection: ({ corrected_agent_response }) => {
        if (lastAgent && corrected_agent_response.trim()) host.line('agent', corrected_agent_response, lastAgent.id);
      },
      // A tool that failed was answered to Bob (is_error, its sentence): not a failure of the call.
      onError: (message, context) => {
        if (!(context as { clientToolName?: string } | undefined)?.clientToolName) host.set('error', message);
      },
    });
  let conversation: Awaited<ReturnType<typeof start>>;
  try {
    conversation = await start();
  } catch (error) {
    if (textOnly || !NO_MIC.test(`${(error as Error)?.name} ${(error as Error)?.message}`)) throw error;
    textOnly = true;
    conversation = await start();
  }
  return {
    textOnly,
    local: Boolean(body.local),
    end: () => {
      ended = true;
      void conversation.endSession();
      host.live(null);
      host.set('idle');
    },
    tell: (text) => {
      if (!ended) conversation.sendContextualUpdate(text);
    },
    send: (text) => {
      if (ended) return false;
      conversation.sendUserMessage(text);
      host.line('user', text, lineId('t'));
      return true;
    },
    mute: (muted) => {
      if (!ended && !textOnly) conversation.setMicMuted(muted);
    },
  };
}
