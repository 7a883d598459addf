import type { ReactiveController, ReactiveControllerHost } from 'lit';
/**
 * The widget's User Timing marks (`performance.mark`), in the order they happen. A host page reads
 * them with `performance.getEntriesByName(name)`; bench/widget.ts measures with them. Each is
 * marked once per element (script-loaded once per copy of the script), so with several widgets on
 * a page the first entry of each name is the first widget's.
 */
/** The bundle has evaluated and defined its elements (the end of widget/index.ts). */
export const SCRIPT_LOADED = 'shipvox:script-loaded';
/** The element's first render (Lit `firstUpdated`). */
export const FIRST_RENDER = 'shipvox:first-render';
/** The element's socket to the BFF opened (before the hello). */
export const SOCKET_OPEN = 'shipvox:socket-open';
/**
 * The element rendered the first state its socket delivered: the snapshot after a fresh
 * `welcome`, or on a resume the restored state the `welcome` confirmed (replayed events follow).
 */
export const SNAPSHOT_RENDERED = 'shipvox:snapshot-rendered';

export const MARKS = [SCRIPT_LOADED, FIRST_RENDER, SOCKET_OPEN, SNAPSHOT_RENDERED] as const;

/**
 * SOCKET_OPEN and SNAPSHOT_RENDERED for one element, once each. A Lit controller on the element:
 * the snapshot counts as rendered in the update after it arrived.
 */
export class SocketMarks implements ReactiveController {
  private stage: 0 | 1 | 2 | 3 = 0;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  opened(): void {
    if (this.stage) return;
    performance.mark(SOCKET_OPEN);
    this.stage = 1;
  }

  /** The socket's first state: a snapshot, or the restored one a resuming welcome confirms. */
  firstState(): void {
    if (this.stage === 1) this.stage = 2;
  }

  hostUpdated(): void {
    if (this.stage !== 2) return;
    performance.mark(SNAPSHOT_RENDERED);
    this.stage = 3;
  }
}
