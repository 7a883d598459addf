/** Fan-out: every socket of a session gets each event, serialised once, in publish order. */
import type { Role, SessionEvent } from '../../shared/protocol.ts';

export interface HubClient {
  readonly connectionId: string;
  readonly role: Role;
  /** Sends an already serialised frame; the client decides what to do when it is slow. */
  sendRaw(frame: string): void;
}

export class Hub {
  private readonly sessions = new Map<string, Set<HubClient>>();

  join(sessionId: string, client: HubClient): void {
    let set = this.sessions.get(sessionId);
    if (!set) this.sessions.set(sessionId, (set = new Set()));
    set.add(client);
  }

  leave(sessionId: string, client: HubClient): void {
    const set = this.sessions.get(sessionId);
    if (!set) return;
    set.delete(client);
    if (set.size === 0) this.sessions.delete(sessionId);
  }

  publish(event: SessionEvent): void {
    const set = this.sessions.get(event.session_id);
    if (!set) return;
    const frame = JSON.stringify(event);
    for (const client of set) client.sendRaw(frame);
  }

  clients(sessionId: string): HubClient[] {
    return [...(this.sessions.get(sessionId) ?? [])];
  }

  sessionIds(): string[] {
    return [...this.sessions.keys()];
  }

  connectionCount(): number {
    let n = 0;
    for (const set of this.sessions.values()) n += set.size;
    return n;
  }
}
