/**
 * Redis store (ioredis) for running several BFF instances behind a load balancer.
 *
 * Keys (hash-tagged per session so a cluster keeps a session on one slot):
 *   {p}{<sid>}:s    hash  meta, seq, state (JSON) as of state_seq: a snapshot every few events
 *   {p}{<sid>}:log  stream, entry id 0-<seq>, field e = the event JSON, t = when it was logged (ms,
 *                   the store's clock; absent on entries from before it was added); bounded by length (MAXLEN =
 *                   the log limit) and by age (entries older than logMaxAgeMs are trimmed when a
 *                   snapshot is written); the whole key expires with the session
 *   {p}c:<key>      single-use claims (SET NX PX)
 *   {p}r:<key>      records (SET PX: their TTL, or the session TTL when they have none)
 *   {p}l:<label>    hash  s = session id, p = the PDF bytes
 * Session keys expire SESSION_TTL_MS after the last append (refreshed on each one); a label's key
 * SESSION_TTL_MS after it was stored.
 *
 * A log write is one Lua script: check seq = last + 1, XADD, HSET seq (and, when SessionLog asks,
 * the state snapshot), refresh TTLs and PUBLISH the event on the deployment's channel, all or nothing. Because the publish happens inside the
 * script, every subscriber sees a session's events in seq order. Each instance skips its own
 * messages (it already fanned them out locally).
 */
import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { SessionEvent } from '../../shared/protocol.ts';
import type { SessionState } from '../../shared/session.ts';
import { RedisRunRecords } from './redis-run-records.ts';
import {
  DEFAULT_LOG_LIMIT,
  LOG_MAX_AGE_MS,
  SESSION_TTL_MS,
  SeqConflictError,
  SessionLog,
  StoreUnavailableError,
  type EventStore,
  type KeyValueStore,
  type LogStorage,
  type SessionMeta,
  type StoredSession,
  type StoreSubscriber,
} from './store.ts';

/** KEYS: the session hash, its stream. ARGV, in this order: the names below (svxAppend's parameters). */
const APPEND = `
local seq, event, state, maxlen, ttl, channel, tag, trimBefore, loggedAt = unpack(ARGV)
local last = redis.call('HGET', KEYS[1], 'seq')
if not last then return -2 end
if tonumber(last) + 1 ~= tonumber(seq) then return tonumber(last) end
redis.call('XADD', KEYS[2], 'MAXLEN', maxlen, '0-' .. seq, 'e', event, 't', loggedAt)
if state == '' then
  redis.call('HSET', KEYS[1], 'seq', seq)
else
  redis.call('HSET', KEYS[1], 'state', state, 'state_seq', seq, 'seq', seq)
  -- The snapshot is current: entries logged before trimBefore (ms) may go, up to 64 at a time and
  -- never the newest. Entry ids are 0-<seq>, consecutive; field t is when the entry was logged
  -- (entries without one stop the trim: only the length limit removes them).
  if trimBefore ~= '' then
    local cutoff = tonumber(trimBefore)
    local head = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
    if head then
      local first = tonumber(string.sub(head[1], 3))
      local newest = math.min(first + 63, tonumber(seq) - 1)
      local cut = first
      while cut <= newest do
        local e = redis.call('XRANGE', KEYS[2], '0-' .. cut, '0-' .. cut)[1]
        local t = e and e[2][3] == 't' and tonumber(e[2][4])
        if not t or t >= cutoff then break end
        cut = cut + 1
      end
      if cut > first then redis.call('XTRIM', KEYS[2], 'MINID', '0-' .. cut) end
    end
  end
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('PUBLISH', channel, tag .. event)
return -1
`;

/** meta, the state snapshot, the last seq and the log entries after the snapshot (sessions written before snapshots: state_seq absent, the state is current). */
const LOAD = `
local h = redis.call('HMGET', KEYS[1], 'meta', 'state', 'state_seq', 'seq')
if not h[1] or not h[2] then return false end
local from = tonumber(h[3] or h[4])
return {h[1], h[2], h[4], redis.call('XRANGE', KEYS[2], '0-' .. (from + 1), '+')}
`;

const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'meta', ARGV[1], 'state', ARGV[2], 'state_seq', ARGV[3], 'seq', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

type Entries = Array<[string, string[]]>;

type Scripted = Redis & {
  svxAppend(h: string, log: string, seq: number, event: string, state: string, maxlen: number, ttl: number, channel: string, tag: string, trimBefore: number | '', loggedAt: number): Promise<number>;
  svxCreate(h: string, meta: string, state: string, seq: number, ttl: number): Promise<number>;
  svxLoad(h: string, log: string): Promise<[string, string, string, Entries] | null>;
};

export interface RedisStoreOptions {
  logLimit?: number;
  /** Log entries older than this go (checked whenever a snapshot is written); 0 keeps them. */
  logMaxAgeMs?: number;
  /** The clock events are stamped by (tests use a fake one). */
  now?: () => number;
  /** Key and channel prefix: one per deployment sharing a Redis. */
  prefix?: string;
  sessionTtlMs?: number;
  /** Extra ioredis options (tests). */
  redis?: RedisOptions;
}

export class RedisStore implements EventStore {
  readonly kind = 'redis';
  /** Tells this instance's pub/sub messages from the others'. */
  readonly instanceId = randomBytes(6).toString('base64url');
  readonly log: SessionLog;
  readonly kv: RedisKeyValue;
  readonly runs: RedisRunRecords;
  private readonly redis: Scripted;
  private sub: Redis | null = null;
  private readonly channel: string;
  private readonly tag: string;

  private constructor(url: string, opts: RedisStoreOptions) {
    const p = opts.prefix ?? 'svx:';
    const ttl = opts.sessionTtlMs ?? SESSION_TTL_MS;
    this.channel = `${p}events`;
    this.tag = `${this.instanceId}|`;
    this.redis = new Redis(url, {
      lazyConnect: true,
      // Fail fast while Redis is away (the caller gets StoreUnavailableError), reconnect in the background.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 3000,
      connectTimeout: 3000,
      retryStrategy: (times) => Math.min(50 * times, 1000),
      ...opts.redis,
    }) as Scripted;
    this.redis.on('error', () => undefined); // state is reported by ready(); errors reach callers
    this.redis.defineCommand('svxAppend', { numberOfKeys: 2, lua: APPEND });
    this.redis.defineCommand('svxCreate', { numberOfKeys: 1, lua: CREATE });
    this.redis.defineCommand('svxLoad', { numberOfKeys: 2, lua: LOAD });
    this.log = new SessionLog(
      new RedisLog(this.redis, p, ttl, this.channel, this.tag, opts.logLimit ?? DEFAULT_LOG_LIMIT, opts.logMaxAgeMs ?? LOG_MAX_AGE_MS, opts.now ?? Date.now),
    );
    this.kv = new RedisKeyValue(this.redis, p, ttl);
    this.runs = new RedisRunRecords(this.redis, p, io);
  }

  /** Connects (throws when Redis cannot be reached at start). */
  static async connect(url: string, opts: RedisStoreOptions = {}): Promise<RedisStore> {
    const store = new RedisStore(url, opts);
    try {
      await store.redis.connect();
    } catch (err) {
      store.redis.disconnect();
      throw new StoreUnavailableError(`Redis at ${redact(url)} is not reachable: ${String(err)}`);
    }
    return store;
  }

  async subscribe(subscriber: StoreSubscriber): Promise<void> {
    if (this.sub) throw new Error('already subscribed');
    const sub = this.redis.duplicate({ enableOfflineQueue: true, lazyConnect: true });
    this.sub = sub;
    sub.on('error', () => undefined);
    let wasReady = false;
    sub.on('ready', () => {
      // ioredis resubscribes by itself; what was published while we were away is caught up by the caller.
      if (wasReady) subscriber.onReconnect?.();
      wasReady = true;
    });
    sub.on('message', (_channel: string, message: string) => {
      const bar = message.indexOf('|');
      if (message.slice(0, bar + 1) === this.tag) return; // our own: already fanned out locally
      const frame = message.slice(bar + 1);
      let event: SessionEvent;
      try {
        event = JSON.parse(frame) as SessionEvent;
      } catch {
        return;
      }
      subscriber.onEvent(event, frame);
    });
    await sub.connect();
    await sub.subscribe(this.channel);
  }

  async ready(): Promise<boolean> {
    if (this.redis.status !== 'ready') return false;
    try {
      return (await this.redis.ping()) === 'PONG' && (this.sub === null || this.sub.status === 'ready');
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    const quit = async (c: Redis) => {
      try {
        if (c.status === 'ready') await c.quit();
        else c.disconnect();
      } catch {
        c.disconnect();
      }
    };
    if (this.sub) await quit(this.sub);
    await quit(this.redis);
  }
}

/** The session hash and stream ({p}{<sid>}:s, {p}{<sid>}:log), written by the scripts above. */
class RedisLog implements LogStorage {
  constructor(
    private readonly redis: Scripted,
    private readonly p: string,
    private readonly ttl: number,
    private readonly channel: string,
    private readonly tag: string,
    readonly logLimit: number,
    private readonly logMaxAgeMs: number,
    private readonly now: () => number,
  ) {}

  private h(sid: string) {
    return `${this.p}{${sid}}:s`;
  }
  private log(sid: string) {
    return `${this.p}{${sid}}:log`;
  }

  async insert(meta: SessionMeta, state: SessionState): Promise<void> {
    const ok = await io(() => this.redis.svxCreate(this.h(meta.session_id), JSON.stringify(meta), JSON.stringify(state), state.seq, this.ttl));
    if (ok !== 1) throw new SeqConflictError(`session ${meta.session_id} exists`);
  }

  async read(sessionId: string): Promise<StoredSession | null> {
    const res = await io(() => this.redis.svxLoad(this.h(sessionId), this.log(sessionId)));
    if (!res) return null;
    const [meta, snapshot, seq, entries] = res;
    return { meta: JSON.parse(meta) as SessionMeta, snapshot: JSON.parse(snapshot) as SessionState, seq: Number(seq), tail: events(entries) };
  }

  async readAfter(sessionId: string, afterSeq: number) {
    const res = await io(() => this.redis.multi().hget(this.h(sessionId), 'seq').xrange(this.log(sessionId), `0-${afterSeq + 1}`, '+').exec());
    if (!res) throw new StoreUnavailableError('redis: transaction aborted');
    const [[e1, seq], [e2, entries]] = res as [[Error | null, string | null], [Error | null, Entries]];
    if (e1 || e2) throw new StoreUnavailableError(`redis: ${String(e1 ?? e2)}`);
    return seq === null ? null : { last: Number(seq), events: events(entries) };
  }

  async write(event: SessionEvent, state: SessionState, frame: string, snapshot: boolean): Promise<void> {
    const sid = event.session_id;
    const now = this.now();
    const trimBefore = snapshot && this.logMaxAgeMs > 0 ? now - this.logMaxAgeMs : '';
    const r = await io(() =>
      this.redis.svxAppend(this.h(sid), this.log(sid), event.seq, frame, snapshot ? JSON.stringify(state) : '', this.logLimit, this.ttl, this.channel, this.tag, trimBefore, now),
    );
    if (r === -2) throw new SeqConflictError(`unknown session ${sid}`);
    if (r !== -1) throw new SeqConflictError(`seq ${event.seq} after ${r}`);
  }

  async ids(): Promise<string[]> {
    const ids: string[] = [];
    let cursor = '0';
    const re = new RegExp(`^${escape(this.p)}\\{(.+)\\}:s$`);
    do {
      const [next, keys] = await io(() => this.redis.scan(cursor, 'MATCH', `${this.p}{*}:s`, 'COUNT', 500));
      cursor = next;
      for (const k of keys) {
        const m = re.exec(k);
        if (m) ids.push(m[1]!);
      }
    } while (cursor !== '0');
    return ids;
  }
}

/** Claims ({p}c:<key>, SET NX PX), records ({p}r:<key>, SET PX) and label files ({p}l:<label>, a hash). */
class RedisKeyValue implements KeyValueStore {
  constructor(
    private readonly redis: Redis,
    private readonly p: string,
    private readonly ttl: number,
  ) {}

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return (await io(() => this.redis.set(`${this.p}c:${key}`, '1', 'PX', ttlMs, 'NX'))) === 'OK';
  }

  async releaseClaim(key: string): Promise<void> {
    await io(() => this.redis.del(`${this.p}c:${key}`));
  }

  async putRecord(key: string, value: unknown, ttlMs?: number): Promise<void> {
    const json = JSON.stringify(value);
    await io(() => this.redis.set(`${this.p}r:${key}`, json, 'PX', ttlMs || this.ttl));
  }

  async getRecord<T>(key: string): Promise<T | undefined> {
    const v = await io(() => this.redis.get(`${this.p}r:${key}`));
    return v === null ? undefined : (JSON.parse(v) as T);
  }

  async putLabelPdf(labelId: string, sessionId: string, pdf: Uint8Array): Promise<void> {
    const k = `${this.p}l:${labelId}`;
    await io(() => this.redis.multi().hset(k, 's', sessionId, 'p', Buffer.from(pdf)).pexpire(k, this.ttl).exec());
  }

  async getLabelPdf(labelId: string) {
    const [s, pdf] = await io(() => this.redis.hmgetBuffer(`${this.p}l:${labelId}`, 's', 'p'));
    return s && pdf ? { session_id: s.toString(), pdf: new Uint8Array(pdf) } : undefined;
  }
}

/** Runs a Redis call; connection trouble becomes StoreUnavailableError. */
async function io<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SeqConflictError) throw err;
    throw new StoreUnavailableError(`redis: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function events(entries: Entries): SessionEvent[] {
  return entries.map(([, fields]) => JSON.parse(fields[1]!) as SessionEvent);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
