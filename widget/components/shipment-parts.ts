/**
 * The shipment's lazily loaded parts (address card, summary card, label panel and options, tracking timeline):
 * one chunk of their own (shipvox-shipment.js, widget/chunks.ts), loaded once the session has
 * quotes or a label. Until it arrives their tags are unknown elements that upgrade when it does.
 */
import { loadChunk } from '../chunks.ts';

let loading: Promise<unknown> | null = null;

/** Defines the shipment elements, once (a failed load is tried again on the next call). */
export function loadShipmentParts(endpoint: string): Promise<unknown> {
  return (loading ??= loadChunk('shipvox-shipment.js', () => import('../lazy/shipment.ts'), endpoint).catch((error) => {
    loading = null;
    throw error;
  }));
}
