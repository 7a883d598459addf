/**
 * The session service, the only writer: validate → next seq → persist → reduce → publish.
 * Work on one session is serialised through a per-session queue; slow I/O (ShipVox calls)
 * happens outside it, only the decision and the append happen inside. The only way to the store:
 * other modules use its claims, records and label files, the run records and the log through here.
 */
import { randomBytes } from 'node:crypto';
import { SessionEvent, type NewSessionEvent, type ServerFrame } from '../../shared/protocol.ts';
import { initialState, reduce, type SessionState } from '../../shared/session.ts';
import type { Hub, HubClient } from './hub.ts';
import type { RunRecords } from './run-records.ts';
import { SeqConflictError, type EventsAfter, type EventStore, type KeyValueStore, type SessionLog, type SessionMeta } from './store.ts';
import type { StoreKind } from './stores.ts';

export class SessionNotFoundError extends Error {
  override name = 'SessionNotFoundError';
}

interface Loaded {
  meta: SessionMeta;
  state: SessionState;
}

interface Prepared {
  event: SessionEvent;
  state: SessionState;
  frame: string;
}

export class SessionService {
  private readonly cache = new Map<string, Loaded>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly listeners = new Set<(event: SessionEvent) => void>();
  private readonly loadListeners = new Set<(state: SessionState) => void>();
  private readonly log: SessionLog;
  private readonly kv: KeyValueStore;
  /** Who owns each tool run in flight (the tool runner's). */
  readonly runs: RunRecords;

  constructor(
    private readonly store: EventStore,
    readonly hub: Hub,
    private readonly now: () => number = Date.now,
    /** Sessions kept in memory at most (SESSION_CACHE_MAX); the least recently used idle ones go first. */
    private readonly cacheMax = 20_000,
  ) {
    this.log = store.log;
    this.kv = store.kv;
    this.runs = store.runs;
  }

  /** Which kind of store keeps the sessions (/status, /readyz). */
  get storeKind(): StoreKind {
    return this.store.kind;
  }

  /** Whether the store can serve now (/readyz). */
  async storeReady(): Promise<boolean> {
    return (await this.store.ready?.()) ?? true;
  }

  /** True the first time a key is claimed within ttl: single-use tickets, run-once work, quota slots. */
  claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return this.kv.claimOnce(key, ttlMs);
  }

  /** Gives a claim back (the claimed work failed in a way worth retrying). */
  releaseClaim(key: string): Promise<void> {
    return this.kv.releaseClaim(key);
  }

  /** A JSON value every instance can read (an idempotent reply, a tool result); without a TTL it lives as long as a session. */
  putRecord(key: string, value: unknown, ttlMs?: number): Promise<void> {
    return this.kv.putRecord(key, value, ttlMs);
  }

  getRecord<T>(key: string): Promise<T | undefined> {
    return this.kv.getRecord<T>(key);
  }

  /** A label's PDF, kept as long as its session. */
  putLabelPdf(labelId: string, sessionId: string, pdf: Uint8Array): Promise<void> {
    return this.kv.putLabelPdf(labelId, sessionId, pdf);
  }

  getLabelPdf(labelId: string): Promise<{ session_id: string; pdf: Uint8Array } | undefined> {
    return this.kv.getLabelPdf(labelId);
  }

  /** The logged events after afterSeq, or 'gone' when the log no longer reaches back that far. */
  eventsAfter(sessionId: string, afterSeq: number): Promise<EventsAfter> {
    return this.log.eventsAfter(sessionId, afterSeq);
  }

  /**
   * The session as the store has it, not this instance's cache: what another instance (or a
   * crashed one) appended last is in it.
   */
  stored(sessionId: string): Promise<Loaded | null> {
    return this.log.loadSession(sessionId);
  }

  /** Every session id in the store (a start goes over them: tracking resumes their labels). */
  storedSessionIds(): Promise<string[]> {
    return this.log.listSessionIds();
  }

  /** Sessions held in memory (for /status and tests). */
  get cached(): number {
    return this.cache.size;
  }

  private remember(sessionId: string, loaded: Loaded): void {
    this.cache.delete(sessionId); // re-inserted last: Map order is the recency order
    this.cache.set(sessionId, loaded);
    if (this.cache.size > this.cacheMax) this.evictIdle(this.cache.size - this.cacheMax);
  }

  /** A session with sockets here or queued work is in use; the store has everything of the others. */
  private idle(sessionId: string): boolean {
    return !this.queues.has(sessionId) && this.hub.clients(sessionId).length === 0;
  }

  /** Drops up to max idle sessions from memory, least recently used first; returns how many. */
  private evictIdle(max: number): number {
    let released = 0;
    for (const id of this.cache.keys()) {
      if (released >= max) break;
      if (!this.idle(id)) continue;
      this.cache.delete(id);
      released++;
    }
    return released;
  }

  /**
   * Runs the store's sweep (sessions past their lifetime, expired claims and records) and drops the
   * swept sessions from memory. Stores that expire keys themselves (Redis) have no sweep.
   */
  async sweep(): Promise<{ sessions: number }> {
    const swept = (await this.store.sweep?.()) ?? [];
    for (const id of swept) this.cache.delete(id);
    return { sessions: swept.length };
  }

  async create(input: Omit<SessionMeta, 'session_id' | 'created_at'>): Promise<Loaded> {
    // One literal with every field (not a spread plus new keys: that gives each session's meta its own hidden class, ~200 B).
    const meta: SessionMeta = { session_id: `ses_${randomBytes(12).toString('base64url')}`, created_at: this.iso(), origins: input.origins, created_by: input.created_by };
    const state = initialState(meta.session_id);
    await this.log.createSession(meta, state);
    const loaded = { meta, state };
    this.remember(meta.session_id, loaded);
    return loaded;
  }

  /** The session's meta and state, or null when it does not exist. */
  async get(sessionId: string): Promise<Loaded | null> {
    const cached = this.cache.get(sessionId);
    if (cached) {
      this.remember(sessionId, cached);
      return cached;
    }
    const loaded = await this.log.loadSession(sessionId);
    if (loaded) {
      this.remember(sessionId, loaded);
      for (const listener of this.loadListeners) listener(loaded.state);
    }
    return loaded;
  }

  /** Called with the state of each session loaded from the store (not served from memory). */
  onLoaded(listener: (state: SessionState) => void): void {
    this.loadListeners.add(listener);
  }

  /**
   * Drops the cached state of sessions nobody is using here (no socket on this instance, no work
   * queued): their state stays in the store and is loaded again on the next use. Without it every
   * session ever served stayed in memory. Returns how many were released.
   */
  releaseIdle(): number {
    return this.evictIdle(Infinity);
  }

  async state(sessionId: string): Promise<SessionState> {
    const s = await this.get(sessionId);
    if (!s) throw new SessionNotFoundError(sessionId);
    return s.state;
  }

  /** Runs fn with the session's current state, exclusively: no append can interleave. */
  exclusive<T>(sessionId: string, fn: (state: SessionState) => Promise<T> | T): Promise<T> {
    const previous = this.queues.get(sessionId) ?? Promise.resolve();
    // On the fan-out hot path: the cached state is used without another async hop.
    const run = previous.then(() => {
      const cached = this.cache.get(sessionId);
      return cached ? fn(cached.state) : this.state(sessionId).then(fn);
    });
    const done = (): void => {
      if (this.queues.get(sessionId) === tail) this.queues.delete(sessionId);
    };
    const tail: Promise<void> = run.then(done, done);
    this.queues.set(sessionId, tail);
    return run;
  }

  /**
   * Appends the events `decide` returns for the current state (none when it returns []), atomically.
   * With a shared store another instance may have appended first: then the session is reloaded
   * and the decision made once more on the fresh state.
   */
  appendWith(sessionId: string, decide: (state: SessionState) => NewSessionEvent[]): Promise<SessionEvent[]> {
    const now = this.appendNow(sessionId, decide);
    if (now) return 'error' in now ? Promise.reject(now.error) : Promise.resolve(now.events);
    return this.exclusive(sessionId, async (state) => {
      const out: SessionEvent[] = [];
      for (let attempt = 0; ; attempt++) {
        try {
          for (const draft of decide(state)) {
            const committed = await this.commit(sessionId, state, draft);
            state = committed.state;
            out.push(committed.event);
          }
          return out;
        } catch (err) {
          if (!(err instanceof SeqConflictError) || attempt > 0 || out.length > 0) throw err;
          state = await this.reload(sessionId, err);
        }
      }
    });
  }

  /**
   * appendWith without an async hop, when nothing is queued on the session, its state is cached
   * and the store writes synchronously: synchronous code cannot interleave with anything, so this
   * is what the queue would do, minus its promises (a fifth of a fan-out event's cost).
   * Undefined: take the queue (also after a seq conflict before anything was appended: it reloads
   * and decides again).
   */
  private appendNow(sessionId: string, decide: (state: SessionState) => NewSessionEvent[]): { events: SessionEvent[] } | { error: unknown } | undefined {
    const appendNow = this.log.appendNow;
    if (!appendNow || this.queues.has(sessionId)) return undefined;
    const cached = this.cache.get(sessionId);
    if (!cached) return undefined;
    const out: SessionEvent[] = [];
    let state = cached.state;
    try {
      for (const draft of decide(state)) {
        const c = this.prepare(sessionId, state, draft);
        appendNow(c.event, c.state, c.frame);
        this.published(sessionId, c);
        state = c.state;
        out.push(c.event);
      }
      return { events: out };
    } catch (err) {
      if (err instanceof SeqConflictError && out.length === 0) {
        this.cache.delete(sessionId); // stale: the queued path loads the session afresh
        return undefined;
      }
      return { error: err };
    }
  }

  append(sessionId: string, draft: NewSessionEvent): Promise<SessionEvent> {
    // Inline closures: one assigned to a const gets a name set on it at each call when run through tsx (keepNames).
    const now = this.appendNow(sessionId, () => [draft]);
    if (now) return 'error' in now ? Promise.reject(now.error) : Promise.resolve(now.events[0]!);
    return this.appendWith(sessionId, () => [draft]).then((events) => events[0]!);
  }

  /**
   * Calls fn with every event logged here or by another instance (after its sockets got it);
   * returns the unsubscribe. Used to wait for a tool result another run logs.
   */
  listen(fn: (event: SessionEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private told(event: SessionEvent): void {
    if (this.listeners.size > 0) for (const fn of this.listeners) fn(event);
  }

  /**
   * An event appended by another instance (shared stores only): keeps the cached state in step
   * (or drops it when this one is not the next seq) and fans it out to this instance's sockets.
   */
  applyRemote(event: SessionEvent, frame?: string): void {
    const loaded = this.cache.get(event.session_id);
    if (loaded) {
      if (event.seq === loaded.state.seq + 1) loaded.state = reduce(loaded.state, event);
      else if (event.seq > loaded.state.seq) this.cache.delete(event.session_id);
    }
    this.hub.publish(event, frame);
    this.told(event);
  }

  /**
   * After the shared store's connection came back: what was published meanwhile may be missed.
   * Drops the cache and catches every locally connected session up from the store.
   */
  async catchUpAll(): Promise<void> {
    this.cache.clear();
    for (const sessionId of this.hub.sessionIds()) {
      const low = this.hub.lowWater(sessionId);
      if (low === undefined) continue;
      const after = await this.log.eventsAfter(sessionId, low).catch(() => null);
      if (after?.kind === 'events') for (const event of after.events) this.hub.publish(event);
    }
  }

  private async reload(sessionId: string, cause: unknown): Promise<SessionState> {
    this.cache.delete(sessionId);
    const loaded = await this.get(sessionId);
    if (!loaded) throw cause;
    return loaded.state;
  }

  /**
   * Joins a client to the session's fan-out after sending what it missed: the events after
   * lastSeq, or a snapshot when the log no longer reaches back. Done inside the session queue,
   * so replayed events always precede live ones and none is sent twice.
   */
  attach(
    sessionId: string,
    client: HubClient,
    lastSeq: number | undefined,
    catchUp: (resumed: boolean, frames: ServerFrame[]) => void,
  ): Promise<{ resumed: boolean }> {
    // Joined (holding live events) before anything is read from the store, the session's state
    // included: an event another instance appends meanwhile is either in what we read or held
    // (its pub/sub message can arrive before the answer to our read); held ones already sent are dropped.
    this.hub.join(sessionId, client, true);
    return this.exclusive(sessionId, async (state) => {
      const { resumed, frames } = await this.catchUp(sessionId, state, lastSeq);
      catchUp(resumed, frames);
      this.hub.release(sessionId, client, lastSeqOf(frames) ?? lastSeq ?? state.seq);
      return { resumed };
    }).catch((err: unknown) => {
      this.hub.leave(sessionId, client);
      throw err;
    });
  }

  /**
   * Sends a joined client what it needs after lastSeq (the missed events, or a snapshot; never
   * both), inside the session queue, and moves its fan-out mark past them: an event it got here
   * is not sent again when another instance's copy of it arrives later.
   */
  resync(sessionId: string, client: HubClient, lastSeq: number | undefined, send: (frames: ServerFrame[]) => void): Promise<{ resumed: boolean }> {
    return this.exclusive(sessionId, async (state) => {
      const { resumed, frames } = await this.catchUp(sessionId, state, lastSeq);
      send(frames);
      const last = lastSeqOf(frames);
      if (last !== undefined) this.hub.advance(sessionId, client, last);
      return { resumed };
    });
  }

  private async catchUp(sessionId: string, state: SessionState, lastSeq: number | undefined) {
    if (lastSeq !== undefined) {
      const after = await this.log.eventsAfter(sessionId, lastSeq);
      if (after.kind === 'events') return { resumed: true, frames: after.events as ServerFrame[] };
    }
    return { resumed: false, frames: [{ type: 'snapshot', seq: state.seq, state } as ServerFrame] };
  }

  /** Logs and publishes one event; returns it and the state after it. */
  private async commit(sessionId: string, state: SessionState, draft: NewSessionEvent): Promise<Prepared> {
    const c = this.prepare(sessionId, state, draft);
    await this.log.append(c.event, c.state, c.frame);
    this.published(sessionId, c);
    return c;
  }

  /** The draft as the next logged event, the state after it and its JSON. */
  private prepare(sessionId: string, state: SessionState, draft: NewSessionEvent): Prepared {
    // Validated against the shared schema even though drafts come from typed code: nothing off the
    // contract is ever logged or broadcast, and the output has `type` first (the wire rule); ~0.2 µs
    // for a 1.5 KB event. Object.assign, not a spread: on this V8, adding keys to a spread copy
    // costs ~1 µs and a new hidden class per event.
    const event = SessionEvent.parse(Object.assign({}, draft, { seq: state.seq + 1, ts: this.iso(), session_id: sessionId }));
    return { event, state: reduce(state, event), frame: JSON.stringify(event) }; // serialised once: for the store and every socket
  }

  /** After the store took it: the cached state moves on and the event goes to the session's sockets. */
  private published(sessionId: string, c: Prepared): void {
    const loaded = this.cache.get(sessionId);
    if (loaded) loaded.state = c.state;
    this.hub.publish(c.event, c.frame);
    this.told(c.event);
  }

  private isoAt = NaN;
  private isoText = '';
  /** The clock as ISO text; many events share a millisecond, so the text is reused for it. */
  private iso(): string {
    const t = this.now();
    if (t !== this.isoAt) {
      this.isoAt = t;
      this.isoText = new Date(t).toISOString();
    }
    return this.isoText;
  }
}

/** The seq a catch-up reply brings its client to (its last event, or the snapshot's). */
function lastSeqOf(frames: ServerFrame[]): number | undefined {
  const last = frames.at(-1);
  return last && 'seq' in last ? last.seq : undefined;
}
