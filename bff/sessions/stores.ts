/**
 * Every kind of store, and how the BFF opens it from its config: the one list (STORE accepts these
 * kinds; test/helpers/stores.ts runs the store tests over them). Each store's module is
 * imported only when that kind is opened (the native SQLite module, ioredis).
 */
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { EventStore } from './store.ts';

interface StoreKindEntry {
  open(config: Config, now: () => number): Promise<EventStore>;
  /** What the config lacks for this kind (checked at start), if anything. */
  missing?(config: Config): string | undefined;
}

/** The kinds, in the order the store tests run them (each has one entry below: the compiler checks both ways). */
export const STORE_KINDS = ['memory', 'sqlite', 'redis'] as const;

export type StoreKind = (typeof STORE_KINDS)[number];

const STORES: Record<StoreKind, StoreKindEntry> = {
  memory: {
    open: async (config, now) => new (await import('./memory-store.ts')).MemoryStore(now, undefined, config.SESSION_TTL_MS),
  },
  sqlite: {
    open: async (config, now) => new (await import('./sqlite-store.ts')).SqliteStore(join(config.DATA_DIR, 'companion.sqlite'), now, undefined, config.SESSION_TTL_MS),
  },
  redis: {
    open: async (config, now) => (await import('./redis-store.ts')).RedisStore.connect(config.REDIS_URL!, { logMaxAgeMs: config.REDIS_LOG_MAX_AGE_MS, sessionTtlMs: config.SESSION_TTL_MS, now }),
    missing: (config) => (config.REDIS_URL ? undefined : 'STORE=redis needs REDIS_URL'),
  },
};

export function openStore(config: Config, now: () => number): Promise<EventStore> {
  return STORES[config.STORE].open(config, now);
}

/** What the config lacks for its STORE, if anything. */
export function storeConfigProblem(config: Config): string | undefined {
  return STORES[config.STORE].missing?.(config);
}
