/**
 * The widget's copy of the session: only ever changed by the shared reducer, a snapshot, or a
 * reset to a new session. Detects seq gaps so the controller can ask for a resync.
 */
import type { SessionEvent, SnapshotFrame } from '../../shared/protocol.ts';
import { initialState, reduce, type SessionState } from '../../shared/session.ts';

export type EventOutcome = 'applied' | 'duplicate' | 'gap' | 'healing';

export class SessionMirror {
  state: SessionState;
  /** True once the state reflects the server (snapshot, replay base, or a restored copy). */
  synced: boolean;
  /** Set while a resync is outstanding: later events are ignored until the missing ones arrive. */
  healingSince: number | null = null;

  constructor(state: SessionState = initialState(''), synced = false) {
    this.state = state;
    this.synced = synced;
  }

  /** A fresh hello (with last_seq) heals any gap, so forget an outstanding resync. */
  connectionOpened(): void {
    this.healingSince = null;
  }

  reset(sessionId: string): void {
    this.state = initialState(sessionId);
    this.synced = false;
    this.healingSince = null;
  }

  applySnapshot(frame: SnapshotFrame): void {
    this.state = { ...frame.state, seq: frame.seq };
    this.synced = true;
    this.healingSince = null;
  }

  /** Applies the event when it is the next one; reports a gap (event.seq > state.seq + 1) instead. */
  applyEvent(event: SessionEvent, now: number, resyncAfterMs = Infinity): EventOutcome {
    if (event.seq <= this.state.seq) return 'duplicate';
    if (event.seq > this.state.seq + 1) {
      // A resync answer can be lost too: ask again once it is clearly overdue.
      if (this.healingSince !== null && now - this.healingSince < resyncAfterMs) return 'healing';
      this.healingSince = now;
      return 'gap';
    }
    this.state = reduce(this.state, event);
    this.healingSince = null;
    return 'applied';
  }
}
