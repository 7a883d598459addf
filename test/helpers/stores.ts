/**
 * The store tests' table: how a test opens each kind of store (bff/sessions/stores.ts lists the
 * kinds; a kind missing here does not compile). The resume matrix, the run records, the recovery
 * of crashed runs, the service's append paths and the lifetimes run over every kind available here.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { MemoryStore } from '../../bff/sessions/memory-store.ts';
import { RedisStore } from '../../bff/sessions/redis-store.ts';
import { SqliteStore } from '../../bff/sessions/sqlite-store.ts';
import type { EventStore } from '../../bff/sessions/store.ts';
import type { StoreKind } from '../../bff/sessions/stores.ts';
import { RedisServer, redisAvailable } from './redis.ts';

export interface TestStoreOptions {
  now?: () => number;
  logLimit?: number;
  sessionTtlMs?: number;
  /** SQLite: a file (default an in-memory database). */
  file?: string;
}

export type OpenTestStore = (opts?: TestStoreOptions) => Promise<EventStore>;

export interface TestStore {
  kind: StoreKind;
  /** The store itself, for tests of its parts. */
  open: OpenTestStore;
  /** What a BFF started on this kind needs in its env (startBff). */
  env(): Promise<Record<string, string>>;
  /** Leases and lifetimes run on the clock the store is given (Redis: on its own key TTLs instead). */
  fakeClock: boolean;
}

let prefixes = 0;
const unique = () => `t${process.pid}-${++prefixes}:`;

const TEST_STORES: Record<StoreKind, Omit<TestStore, 'kind'> & { available(): boolean }> = {
  memory: { available: () => true, fakeClock: true, open: async (o = {}) => new MemoryStore(o.now, o.logLimit, o.sessionTtlMs), env: async () => ({ STORE: 'memory' }) },
  sqlite: {
    available: () => true,
    fakeClock: true,
    open: async (o = {}) => new SqliteStore(o.file ?? ':memory:', o.now, o.logLimit, o.sessionTtlMs),
    env: async () => ({ STORE: 'sqlite', DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-store-')) }),
  },
  redis: {
    available: redisAvailable,
    fakeClock: false,
    open: async (o = {}) => RedisStore.connect((await testRedis()).url, { now: o.now, logLimit: o.logLimit, sessionTtlMs: o.sessionTtlMs, prefix: unique() }),
    env: async () => ({ STORE: 'redis', REDIS_URL: (await testRedis()).url }),
  },
};

/** Every kind that can run here (Redis needs redis-server; npm test installs it). */
export function testStores(): TestStore[] {
  return Object.entries(TEST_STORES)
    .filter(([, s]) => s.available())
    .map(([kind, { open, env, fakeClock }]) => ({ kind: kind as StoreKind, open, env, fakeClock }));
}

let redis: Promise<RedisServer> | undefined;
// Registered when the test file imports this (a root hook): the server, if one was started, stops after the file's tests.
after(async () => {
  await (await redis)?.stop();
});

/** One real redis-server per test file, started on first use. */
function testRedis(): Promise<RedisServer> {
  return (redis ??= RedisServer.start());
}
