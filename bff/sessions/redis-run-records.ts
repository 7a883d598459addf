/**
 * Run records on Redis, shared by every instance:
 *   {p}{<sid>}:run:<id>  hash  owner, attempts, started_at (the session's hash tag: one slot with its log)
 *   {p}runs              set   "<sid> <id>" of every open run (the index a sweep reads)
 *   {p}owner:<owner>     the owner's lease (SET PX, renewed by its heartbeat)
 * Opening adds to the index first, then creates the record (SET-if-absent in a script): a crash in
 * between leaves an index entry without a record, which sweeps remove (when two in a row see it so).
 */
import type { ChainableCommander, Redis } from 'ioredis';
import type { RunRecord, RunRecords } from './run-records.ts';
import { StoreUnavailableError } from './store.ts';

/** Records outlive any run (a day) so a lost close cannot leave one forever. */
const RECORD_TTL_MS = 24 * 60 * 60_000;

const OPEN = `
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HMGET', KEYS[1], 'owner', 'attempts', 'started_at') end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'attempts', ARGV[2], 'started_at', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return false
`;

const ADOPT = `
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return false end
redis.call('HSET', KEYS[1], 'owner', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
return redis.call('HMGET', KEYS[1], 'owner', 'attempts', 'started_at')
`;

type Fields = [string | null, string | null, string | null];
type ScriptedPipeline = ChainableCommander & { svxRunOpen(key: string, owner: string, attempts: number, startedAt: number, ttl: number): ChainableCommander };
type Scripted = Redis & {
  svxRunOpen(key: string, owner: string, attempts: number, startedAt: number, ttl: number): Promise<Fields | null>;
  svxRunAdopt(key: string, from: string, to: string): Promise<Fields | null>;
};

export class RedisRunRecords implements RunRecords {
  private readonly redis: Scripted;
  /** Index entries the last sweep found without a record. */
  private missing = new Set<string>();

  constructor(
    redis: Redis,
    private readonly p: string,
    /** The store's wrapper: connection trouble becomes StoreUnavailableError. */
    private readonly io: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {
    this.redis = redis as Scripted;
    this.redis.defineCommand('svxRunOpen', { numberOfKeys: 1, lua: OPEN });
    this.redis.defineCommand('svxRunAdopt', { numberOfKeys: 1, lua: ADOPT });
  }

  private key(sid: string, id: string) {
    return `${this.p}{${sid}}:run:${id}`;
  }
  private get index() {
    return `${this.p}runs`;
  }

  async open(run: RunRecord): Promise<RunRecord | null> {
    // One round trip; the pipeline keeps the order (index entry first).
    const pipeline = this.redis.pipeline() as ScriptedPipeline;
    pipeline.sadd(this.index, `${run.session_id} ${run.tool_call_id}`);
    pipeline.svxRunOpen(this.key(run.session_id, run.tool_call_id), run.owner, run.attempts, run.started_at, RECORD_TTL_MS);
    const res = await this.io(() => pipeline.exec());
    const [indexed, opened] = res ?? [];
    const err = indexed?.[0] ?? opened?.[0];
    if (!res || err) throw new StoreUnavailableError(`redis: ${String(err ?? 'pipeline aborted')}`);
    const held = opened![1] as Fields | null;
    return held ? record(run.session_id, run.tool_call_id, held) : null;
  }

  async get(sessionId: string, toolCallId: string): Promise<RunRecord | undefined> {
    const f = await this.io(() => this.redis.hmget(this.key(sessionId, toolCallId), 'owner', 'attempts', 'started_at'));
    return f[0] === null ? undefined : (record(sessionId, toolCallId, f as Fields) ?? undefined);
  }

  async adopt(sessionId: string, toolCallId: string, from: string, to: string): Promise<RunRecord | null> {
    const f = await this.io(() => this.redis.svxRunAdopt(this.key(sessionId, toolCallId), from, to));
    return f ? record(sessionId, toolCallId, f) : null;
  }

  async close(sessionId: string, toolCallId: string): Promise<void> {
    await this.io(() => this.redis.pipeline().del(this.key(sessionId, toolCallId)).srem(this.index, `${sessionId} ${toolCallId}`).exec());
  }

  async renewOwner(owner: string, ttlMs: number): Promise<void> {
    await this.io(() => this.redis.set(`${this.p}owner:${owner}`, '1', 'PX', ttlMs));
  }

  async dropOwner(owner: string): Promise<void> {
    await this.io(() => this.redis.del(`${this.p}owner:${owner}`));
  }

  async ownerAlive(owner: string): Promise<boolean> {
    return (await this.io(() => this.redis.exists(`${this.p}owner:${owner}`))) === 1;
  }

  async orphaned(self: string): Promise<RunRecord[]> {
    const members = await this.io(() => this.redis.smembers(this.index));
    if (members.length === 0) return [];
    const pairs = members.map((m) => m.split(' ') as [string, string]);
    const read = this.redis.pipeline();
    for (const [sid, id] of pairs) read.hmget(this.key(sid, id), 'owner', 'attempts', 'started_at');
    const rows = (await this.io(() => read.exec())) ?? [];
    const runs: RunRecord[] = [];
    const stale: string[] = [];
    const missing = new Set<string>();
    rows.forEach(([err, f], i) => {
      const [sid, id] = pairs[i]!;
      const r = err ? null : record(sid, id, f as Fields);
      if (r) runs.push(r);
      else if (!err) {
        // An entry without a record may be a run being opened right now (index first, record next):
        // it goes only when the previous sweep found it without a record too.
        if (this.missing.has(members[i]!)) stale.push(members[i]!);
        else missing.add(members[i]!);
      }
    });
    this.missing = missing;
    if (stale.length > 0) await this.io(() => this.redis.srem(this.index, ...stale));
    const owners = [...new Set(runs.map((r) => r.owner).filter((o) => o !== self))];
    if (owners.length === 0) return [];
    const alive = await this.io(() => this.redis.mget(...owners.map((o) => `${this.p}owner:${o}`)));
    const dead = new Set(owners.filter((_, i) => alive[i] === null));
    return runs.filter((r) => dead.has(r.owner));
  }
}

function record(session_id: string, tool_call_id: string, f: Fields): RunRecord | null {
  const [owner, attempts, startedAt] = f;
  if (owner === null || attempts === null || startedAt === null) return null;
  return { session_id, tool_call_id, owner, attempts: Number(attempts), started_at: Number(startedAt) };
}
