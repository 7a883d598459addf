/**
 * The widget's events, typed by name. The host-page events of <shipvox-companion> (`shipvox-`
 * prefix, composed so they leave the shadow root, typed through GlobalEventHandlersEventMap so
 * `el.addEventListener('shipvox-label-created', e => …)` knows its detail) go out with emit();
 * the ones its parts send up to it (bubbling, not composed: each shadow root hands them on) with fire().
 */
import type { Label } from '../shared/tools.ts';
import type { QuoteSet } from '../shared/session.ts';
import type { LabelEmailDetail, LabelFileDetail } from './components/label-panel.ts';
import type { LabelFormatDetail } from './components/label-options.ts';
import type { QuoteSelectDetail } from './components/quote-card.ts';
import type { ShipmentIntent } from './components/shipment-intent.ts';
import type { ConnectionStatus, SessionProblem } from './session/session-controller.ts';

export interface ShipvoxEventDetails {
  'shipvox-quotes-ready': { session_id: string; quotes: QuoteSet };
  'shipvox-label-created': { session_id: string; label: Label };
  'shipvox-connection-change': { status: ConnectionStatus; session_id: string | null };
  'shipvox-error': SessionProblem;
}

export type ShipvoxEventName = keyof ShipvoxEventDetails;

/** What the widget's parts ask of <shipvox-companion> (undefined: an event without detail). */
export interface InternalEventDetails {
  'quote-select': QuoteSelectDetail;
  'label-download': LabelFileDetail;
  'label-print': LabelFileDetail;
  'label-email': LabelEmailDetail;
  'label-format': LabelFormatDetail;
  'shipment-intent': ShipmentIntent;
  'notice-dismiss': undefined;
  'notice-tell': undefined;
  'connection-retry': undefined;
  'console-close': undefined;
}

export type InternalEventName = keyof InternalEventDetails;

/** Dispatches a bubbling, composed event from `target` (so it leaves the shadow root). */
export function emit<K extends ShipvoxEventName>(target: EventTarget, name: K, detail: ShipvoxEventDetails[K]): void {
  target.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
}

/** Dispatches a bubbling event of the widget's own from `target`, to its nearest shadow root's host. */
export function fire<K extends InternalEventName>(target: EventTarget, name: K, ...[detail]: InternalEventDetails[K] extends undefined ? [] : [InternalEventDetails[K]]): void {
  target.dispatchEvent(new CustomEvent(name, { bubbles: true, detail }));
}

declare global {
  interface GlobalEventHandlersEventMap {
    'shipvox-quotes-ready': CustomEvent<ShipvoxEventDetails['shipvox-quotes-ready']>;
    'shipvox-label-created': CustomEvent<ShipvoxEventDetails['shipvox-label-created']>;
    'shipvox-connection-change': CustomEvent<ShipvoxEventDetails['shipvox-connection-change']>;
    'shipvox-error': CustomEvent<ShipvoxEventDetails['shipvox-error']>;
  }
}
