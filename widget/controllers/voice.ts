/**
 * Bob's voice, whichever way the page hosts him: SDK mode (voice="sdk": the mic button or the text
 * box starts a call in the page, the shipvox-voice.js chunk loaded on first use) or attach mode
 * (voice-agent: the page's `<elevenlabs-convai>` gets Bob's client tools and the session's variables
 * when it starts a call, and the shipvox-attach.js chunk hands it the shopper's choices). Either way
 * the same client tools run through this widget's session, and tell() reaches Bob and the session log.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { TOOL_NAMES as TOOLS } from '../../shared/tool-names.ts';
import { importChunk } from '../chunks.ts';
import type { Strings } from '../i18n/strings.ts';
import type { SessionController } from '../session/session-controller.ts';
import type { VoiceCall, VoiceState, startVoice } from '../voice/voice-sdk.ts';

export interface VoiceHost extends ReactiveControllerHost, HTMLElement {
  readonly endpoint: string;
  readonly voiceAgent: string | undefined;
  readonly voiceLanguage: string | undefined;
}

export type ClientTools = Record<string, (parameters: Record<string, unknown>) => Promise<string>>;

export class VoiceController implements ReactiveController {
  state: VoiceState = 'idle';
  /** The call on (SDK mode's, or the attached element's once it started one). */
  call: VoiceCall | null = null;
  private streaming: string | null = null;
  /** The call being started (typing meanwhile waits for it instead of starting another). */
  private starting: Promise<void> | null = null;

  constructor(
    private readonly host: VoiceHost,
    private readonly session: SessionController,
    private readonly words: () => Strings,
    private readonly announce: (text: string) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('elevenlabs-convai:call', this.onConvaiCall);
  }

  hostDisconnected(): void {
    document.removeEventListener('elevenlabs-convai:call', this.onConvaiCall);
    this.call?.end();
  }

  /** Bob's words so far while his turn streams in (the SDK chunk sets it). */
  get liveLine(): string | null {
    return this.streaming;
  }

  set liveLine(text: string | null) {
    this.streaming = text;
    this.host.requestUpdate();
  }

  /** Bob's client tools: one code path (the BFF over this widget's socket) for every way of hosting him. */
  get clientTools(): ClientTools {
    return Object.fromEntries(TOOLS.map((name) => [name, (p: Record<string, unknown>) => this.session.callTool(name, p)]));
  }

  /** Tells Bob (whichever way he is hosted) and, unless it is `logged` already, the session log what the shopper did on screen. */
  tell(message: string, logged?: boolean): void {
    if (!logged) this.session.sendContext(message);
    this.call?.tell(message);
  }

  /**
   * Sends a typed message to Bob, as the shopper's line of the conversation: in SDK mode through the
   * call (started text-only when none is on), in attach mode to the page's `<elevenlabs-convai>`
   * during its call (`elevenlabs-agent:user-message`; that element takes it with `allow-events`).
   */
  async say(text: string): Promise<boolean> {
    if (!this.call && !this.host.voiceAgent) await this.startCall(true);
    return this.call?.send?.(text) ?? false;
  }

  /** SDK mode: the mic button starts or ends the call. */
  async toggle(): Promise<void> {
    if (this.state === 'connecting') return;
    if (this.call) return this.call.end();
    return this.startCall(false);
  }

  /**
   * Attach mode: `<elevenlabs-convai>` dispatches this right before it starts a call and reads
   * `detail.config` back synchronously, so everything here is synchronous.
   */
  private readonly onConvaiCall = (event: Event): void => {
    const host = this.host;
    if (!host.voiceAgent || !(event.target as Element).matches?.(host.voiceAgent)) return;
    // From now on the shopper's choices go to that element (attach mode's chunk; it reports when the element drops them).
    importChunk<typeof import('../voice/attach.ts')>('shipvox-attach.js', host.endpoint).then((m) => {
      this.call = m.attachCall(host, event.target as Element, (line) => this.session.sendTranscript('user', line));
      host.requestUpdate(); // the conversation panel gets the call (typing to it, no browser voice over Bob's)
    }, () => undefined);
    const config = (event as CustomEvent<{ config: Record<string, any> }>).detail.config;
    config.clientTools = { ...config.clientTools, ...this.clientTools };
    // The call binding, not the session id: the call may start before the widget has its session;
    // the widget's exchange binds it (the BFF resolves it for webhooks).
    config.dynamicVariables = { ...config.dynamicVariables, ...(host.voiceLanguage ? { language: host.voiceLanguage } : {}), session_id: this.session.callBinding };
    if (host.voiceLanguage) config.overrides = { ...config.overrides, agent: { ...config.overrides?.agent, language: host.voiceLanguage } };
  };

  /** Starts a call, or joins the one being started. */
  private startCall(textOnly: boolean): Promise<void> {
    return (this.starting ??= this.connectCall(textOnly).finally(() => (this.starting = null)));
  }

  private async connectCall(textOnly: boolean): Promise<void> {
    this.setState('connecting');
    try {
      const voice = await importChunk<{ startVoice: typeof startVoice }>('shipvox-voice.js', this.host.endpoint);
      const call = await voice.startVoice({
        endpoint: this.host.endpoint,
        token: this.session.resumeToken,
        tools: this.clientTools,
        language: this.host.voiceLanguage,
        set: (state, message) => this.setState(state, message),
        line: (role, text, id) => this.session.sendTranscript(role, text, id),
        live: (text) => (this.liveLine = text),
        textOnly,
      });
      // A call that already ended while starting stays ended.
      if (this.state !== 'idle' && this.state !== 'error') this.call = call;
    } catch (error) {
      // startSession rejects without calling onError (no mic, refused, closed early).
      this.setState('error', (error as Error).message);
    }
  }

  private setState(state: VoiceState, message?: string): void {
    if (state === 'idle' || state === 'error') this.call = null;
    // Turn taking (listening ⇄ speaking) is not announced: only connecting, connected, ended, failed.
    const turn = state !== 'listening' ? state === 'speaking' : this.state === 'speaking';
    this.state = state;
    this.host.requestUpdate();
    const text = this.words()[`voice_${state}`];
    if (!turn) this.announce(message ? `${text}: ${message}` : text);
  }
}
