/**
 * How the lazily loaded shipment elements act: they ask <shipvox-companion> (which owns the session)
 * with one bubbling `shipment-intent` event, and it answers synchronously by setting `detail.reply`.
 */
import { fire } from '../events.ts';
import type { AckResult, UiActionRequest } from '../session/outbox.ts';

export interface ShipmentIntent {
  /** The UI action to send (the BFF validates it with the shared schema). */
  action?: UiActionRequest | undefined;
  /** What to tell Bob (and the session log) once the BFF took the action: the shopper did this on screen. */
  tell?: string | undefined;
  /** Set by the widget while the event is dispatched: the action's ack. */
  reply?: Promise<AckResult>;
}

/** Dispatches the intent from `from`; resolves with the ack, rejects with the BFF's ActionError. */
export function requestAction(from: Element, intent: Omit<ShipmentIntent, 'reply'>): Promise<AckResult> {
  const detail: ShipmentIntent = { ...intent };
  fire(from, 'shipment-intent', detail);
  return detail.reply ?? Promise.reject(new Error('not inside <shipvox-companion>'));
}
