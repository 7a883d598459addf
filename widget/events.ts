/**
 * The host-page events of <shipvox-companion>: one emit() helper, one `shipvox-` prefix, typed
 * through GlobalEventHandlersEventMap so `el.addEventListener('shipvox-label-created', e => …)`
 * knows its detail.
 */
import type { Label } from '../shared/tools.ts';
import type { QuoteSet } from '../shared/session.ts';
import type { ConnectionStatus, SessionProblem } from './session/session-controller.ts';

export interface ShipvoxEventDetails {
  'shipvox-quotes-ready': { session_id: string; quotes: QuoteSet };
  'shipvox-label-created': { session_id: string; label: Label };
  'shipvox-connection-change': { status: ConnectionStatus; session_id: string | null };
  'shipvox-error': SessionProblem;
}

export type ShipvoxEventName = keyof ShipvoxEventDetails;

/** Dispatches a bubbling, composed event from `target` (so it leaves the shadow root). */
export function emit<K extends ShipvoxEventName>(target: EventTarget, name: K, detail: ShipvoxEventDetails[K]): void {
  target.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
}

declare global {
  interface GlobalEventHandlersEventMap {
    'shipvox-quotes-ready': CustomEvent<ShipvoxEventDetails['shipvox-quotes-ready']>;
    'shipvox-label-created': CustomEvent<ShipvoxEventDetails['shipvox-label-created']>;
    'shipvox-connection-change': CustomEvent<ShipvoxEventDetails['shipvox-connection-change']>;
    'shipvox-error': CustomEvent<ShipvoxEventDetails['shipvox-error']>;
  }
}
