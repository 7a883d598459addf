/** Fan-out: every socket of a session gets each event, serialised and UTF-8 encoded once, in publish order. */
import type { Role, SessionEvent } from '../../shared/protocol.ts';

export interface HubClient {
  readonly connectionId: string;
  readonly role: Role;
  /** Sends an already serialised frame (JSON text) of the given type; the client decides what to do when it is slow. */
  sendRaw(frame: Buffer | string, type: string): void;
}

/** Per joined client: the highest seq it has been given, and live frames held while it catches up. */
interface Slot {
  client: HubClient;
  hwm: number;
  held: Array<{ seq: number; type: string; payload: Buffer }> | null;
}

/**
 * A session's clients are a short array (at most MAX_CONNECTIONS_PER_SESSION, usually two or
 * three): lighter per session than a Map, and scanned in join order.
 */
export class Hub {
  private readonly sessions = new Map<string, Slot[]>();

  private slot(sessionId: string, client: HubClient): Slot | undefined {
    return this.sessions.get(sessionId)?.find((s) => s.client === client);
  }

  /**
   * Joins a client to the session's fan-out. With `hold`, live events are kept for it until
   * `release` (the client is being caught up from the store meanwhile, which may already hold them).
   */
  join(sessionId: string, client: HubClient, hold = false): void {
    let slots = this.sessions.get(sessionId);
    if (!slots) this.sessions.set(sessionId, (slots = []));
    const slot: Slot = { client, hwm: 0, held: hold ? [] : null };
    const at = slots.findIndex((s) => s.client === client);
    if (at >= 0) slots[at] = slot;
    else slots.push(slot);
  }

  /** Ends a hold: the client has been given everything up to `seq`; held events after it follow, in order. */
  release(sessionId: string, client: HubClient, seq: number): void {
    const slot = this.slot(sessionId, client);
    if (!slot) return;
    const held = slot.held ?? [];
    slot.held = null;
    slot.hwm = Math.max(slot.hwm, seq);
    for (const h of held) {
      if (h.seq <= slot.hwm) continue;
      slot.hwm = h.seq;
      client.sendRaw(h.payload, h.type);
    }
  }

  /** The client has just been sent everything up to `seq` by other means (a resync reply): live events at or below it are not sent again. */
  advance(sessionId: string, client: HubClient, seq: number): void {
    const slot = this.slot(sessionId, client);
    if (slot && !slot.held) slot.hwm = Math.max(slot.hwm, seq);
  }

  leave(sessionId: string, client: HubClient): void {
    const slots = this.sessions.get(sessionId);
    if (!slots) return;
    // A new array, not a splice: a publish iterating the old one still gives every client its turn.
    const rest = slots.filter((s) => s.client !== client);
    if (rest.length === 0) this.sessions.delete(sessionId);
    else this.sessions.set(sessionId, rest);
  }

  /**
   * Sends the event (`frame`: its JSON) to every client of its session that has not had it yet (by
   * seq). The same bytes go to every socket: the text is encoded once, not once per socket.
   */
  publish(event: SessionEvent, frame?: string): void {
    const slots = this.sessions.get(event.session_id);
    if (!slots) return;
    const payload = Buffer.from(frame ?? JSON.stringify(event));
    for (const slot of slots) {
      if (slot.held) slot.held.push({ seq: event.seq, type: event.type, payload });
      else if (event.seq > slot.hwm) {
        slot.hwm = event.seq;
        slot.client.sendRaw(payload, event.type);
      }
    }
  }

  /** The highest seq this client has been given by the fan-out (0 when it is not joined or still held). */
  given(sessionId: string, client: HubClient): number {
    const slot = this.slot(sessionId, client);
    return slot && !slot.held ? slot.hwm : 0;
  }

  /** The lowest seq every client of the session is known to have (for catching up after an outage). */
  lowWater(sessionId: string): number | undefined {
    const slots = this.sessions.get(sessionId);
    if (!slots) return undefined;
    let low = Infinity;
    for (const slot of slots) if (!slot.held) low = Math.min(low, slot.hwm);
    return low === Infinity ? undefined : low;
  }

  clients(sessionId: string): HubClient[] {
    return (this.sessions.get(sessionId) ?? []).map((s) => s.client);
  }

  sessionIds(): string[] {
    return [...this.sessions.keys()];
  }

  connectionCount(): number {
    let n = 0;
    for (const slots of this.sessions.values()) n += slots.length;
    return n;
  }
}
