/** Stands in for <shipvox-companion> under a shipment element: records its intents and answers them. */
import type { ShipmentIntent } from '../components/shipment-intent.ts';
import { ActionError, type AckResult } from '../session/outbox.ts';

export interface Answering {
  intents: ShipmentIntent[];
  /** Settles the oldest unanswered intent: its ack, or a refusal with the BFF's sentence. */
  ack(): void;
  refuse(code: string, message: string): void;
}

export function answerIntents(el: Element): Answering {
  const intents: ShipmentIntent[] = [];
  const waiting: { resolve(ack: AckResult): void; reject(error: Error): void }[] = [];
  el.addEventListener('shipment-intent', (event) => {
    const detail = (event as CustomEvent<ShipmentIntent>).detail;
    intents.push(detail);
    detail.reply = new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  });
  return {
    intents,
    ack: () => waiting.shift()!.resolve({ client_msg_id: `m${intents.length}` }),
    refuse: (code, message) => waiting.shift()!.reject(new ActionError(code, message)),
  };
}
