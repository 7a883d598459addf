/**
 * Stands in for `livekit-client` in the voice chunk (rollup aliases the package here): the widget
 * only ever connects over WebSocket with a signed URL, so WebRTC must never be reached.
 */
const fail = (): never => {
  throw new Error('WebRTC is not included in the ShipVox voice build; use a signed URL (WebSocket).');
};
export class Room {
  constructor() {
    fail();
  }
}
export const RoomEvent = {};
export const Track = { Source: {}, Kind: {} };
export const ConnectionState = {};
export const createLocalAudioTrack = fail;
