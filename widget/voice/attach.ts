/**
 * Attach mode's half of a call on the page's `<elevenlabs-convai>` (its own chunk,
 * dist/widget/shipvox-attach.js, loaded when that element starts a call): the shopper's choices on
 * screen go to the element, once the widget checked that it can carry them to Bob. ElevenLabs' element forwards
 * `elevenlabs-agent:contextual-update` to its conversation only when it has the event bridge
 * (`@elevenlabs/convai-widget-core`'s, which observes the `allow-events` attribute; the
 * `@elevenlabs/convai-widget-embed` bundle 0.5.x has none) and the page set `allow-events="true"`;
 * otherwise the events are dropped without a word. The widget says so instead: a console warning and
 * `shipvox-error` with code `voice_agent_events`.
 */
import { emit } from '../events.ts';
import type { VoiceCall } from './voice-sdk.ts';

export const VOICE_AGENT_EVENTS = 'voice_agent_events';

/** Why `agent` (a defined custom element) drops contextual updates, or null when it forwards them. */
export function eventsGap(agent: Element): string | null {
  const tag = `<${agent.localName}>`;
  const observed = (customElements.get(agent.localName) as { observedAttributes?: string[] } | undefined)?.observedAttributes ?? [];
  if (!observed.includes('allow-events')) {
    return `${tag} has no event bridge (an older ElevenLabs widget, such as @elevenlabs/convai-widget-embed 0.5): Bob will not hear what the shopper chooses on screen. Use @elevenlabs/convai-widget-core (0.14.8 has it) with allow-events="true".`;
  }
  if (agent.getAttribute('allow-events') !== 'true') {
    return `${tag} drops elevenlabs-agent:contextual-update without allow-events="true": Bob will not hear what the shopper chooses on screen. Add allow-events="true" to it.`;
  }
  return null;
}

/**
 * The page's element as the widget's voice call: reports on `host` (console warning, shipvox-error)
 * when the element drops contextual updates, hands it every screen choice as
 * `elevenlabs-agent:contextual-update` (the element tells Bob, or drops it as reported) and every
 * typed message as `elevenlabs-agent:user-message` (logged through `logLine`); a typed message the element
 * would drop is not sent (send returns false, shipvox-error says why).
 */
export function attachCall(host: HTMLElement, agent: Element, logLine: (text: string) => void): VoiceCall {
  const gap = eventsGap(agent);
  if (gap) {
    console.warn(`<shipvox-companion>: ${gap}`);
    emit(host, 'shipvox-error', { code: VOICE_AGENT_EVENTS, message: gap, fatal: false });
  }
  return {
    end: () => undefined,
    tell: (message) => agent.dispatchEvent(new CustomEvent('elevenlabs-agent:contextual-update', { detail: { message } })),
    // What the shopper typed: to Bob through the element (allow-events), and the session's transcript.
    // An element that would drop it gets nothing, and the page hears why.
    send: (message) => {
      if (gap) {
        emit(host, 'shipvox-error', { code: VOICE_AGENT_EVENTS, message: `A typed message was not sent: ${gap.replace('elevenlabs-agent:contextual-update', 'typed messages (elevenlabs-agent:user-message)').replace('what the shopper chooses on screen', 'what the shopper types or chooses on screen')}`, fatal: false });
        return false;
      }
      agent.dispatchEvent(new CustomEvent('elevenlabs-agent:user-message', { detail: { message } }));
      logLine(message);
      return true;
    },
  };
}
