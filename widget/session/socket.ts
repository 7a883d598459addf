/**
 * reconnecting-websocket, imported so that both TypeScript (NodeNext reads its CJS types) and
 * bundlers (which load its ESM `module` build) agree on the class.
 */
import rws from 'reconnecting-websocket';

export type ReconnectingSocketClass = typeof rws.default;
export type ReconnectingSocket = InstanceType<ReconnectingSocketClass>;
/** What the socket needs from a WebSocket class: the DOM one, or a fake in tests. */
export type WebSocketClass = new (url: string, protocols?: string | string[]) => WebSocket;

export const ReconnectingWebSocket: ReconnectingSocketClass =
  (rws as unknown as { default?: ReconnectingSocketClass }).default ?? (rws as unknown as ReconnectingSocketClass);
