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
}

export interface VoiceCall {
  end(): void;
  /** Tells Bob about something the shopper did on screen (contextual_update; no reply). */
  tell(text: string): void;
}

interface Credentials {
  signed_url?: string;
  dynamic_variables?: Record<string, string>;
}

/** Fetches credentials and starts the conversation; rejects when either fails (the host shows the error). */
export async function startVoice(host: VoiceHost): Promise<VoiceCall> {
  const response = await fetch(`${host.endpoint.replace(/\/$/, '')}/v1/voice/credentials`, {
    headers: { authorization: `Bearer ${host.token ?? ''}` },
    cache: 'no-store',
  });
  const body = (await response.json().catch(() => ({}))) as Credentials & { error?: { message?: string } };
  if (!response.ok || !body.signed_url) throw new Error(body.error?.message ?? `Voice credentials failed (${response.status})`);
  let ended = false;
  const conversation = await Conversation.startSession({
    signedUrl: body.signed_url,
    connectionType: 'websocket',
    dynamicVariables: { ...body.dynamic_variables, ...(host.language ? { language: host.language } : {}) },
    ...(host.language ? { overrides: { agent: { language: host.language as Language } } } : {}),
    clientTools: host.tools,
    onConnect: () => host.set('listening'),
    onDisconnect: (details) => {
      ended = true;
      if (details.reason === 'error') host.set('error', 'The voice call was cut off.');
      else host.set('idle');
    },
    onModeChange: ({ mode }) => {
      if (!ended) host.set(mode === 'speaking' ? 'speaking' : 'listening');
    },
    // A tool that failed was answered to Bob (is_error, its sentence): not a failure of the call.
    onError: (message, context) => {
      if (!(context as { clientToolName?: string } | undefined)?.clientToolName) host.set('error', message);
    },
  });
  return {
    end: () => {
      ended = true;
      void conversation.endSession();
      host.set('idle');
    },
    tell: (text) => {
      if (!ended) conversation.sendContextualUpdate(text);
    },
  };
}
