/** The shipment tools after quotes: the recipient, a void, tracking. */
export { setRecipientAddress } from './recipient.ts';
export { trackParcel, voidLabel } from './after-purchase.ts';
