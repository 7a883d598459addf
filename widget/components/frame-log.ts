/** The frames the developer console shows, recorded whether or not it is open. */
import type { FrameRecord } from '../session/session-controller.ts';

/** A bounded, append-only list of frames (oldest dropped first). */
export class FrameLog {
  private items: FrameRecord[] = [];
  constructor(readonly limit = 300) {}

  add(record: FrameRecord): void {
    this.items = [...this.items.slice(this.items.length >= this.limit ? 1 : 0), record];
  }

  /** A new array per change, so Lit sees it changed. */
  get entries(): readonly FrameRecord[] {
    return this.items;
  }
}
