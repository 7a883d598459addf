/**
 * Idempotency-Key store for /create-label: successful responses are replayed for `ttlMs` (by the
 * injected clock); failed attempts release the key so a retry runs again.
 */
export type StoredResponse = { status: 201; body: unknown };

export type IdempotencyEntry =
  | { state: 'in_flight'; fingerprint: string }
  | { state: 'done'; fingerprint: string; response: StoredResponse; expiresAt: number };

export type BeginResult =
  | { kind: 'new' }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' }
  | { kind: 'replay'; response: StoredResponse };

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;

/** `entries` may be kept on disk (the simulator's dataFile): it is handed in, in expiry order. */
export function createIdempotencyStore(now: () => number, ttlMs: number, entries: Map<string, IdempotencyEntry> = new Map()) {

  function sweep(): void {
    const t = now();
    for (const [key, entry] of entries) {
      if (entry.state === 'in_flight') continue;
      if (entry.expiresAt > t) break; // insertion order ≈ expiry order
      entries.delete(key);
    }
  }

  return {
    /** Claims `key` for a request with this body fingerprint, or says why it cannot run. */
    begin(key: string, fingerprint: string): BeginResult {
      sweep();
      const entry = entries.get(key);
      if (entry?.state === 'done' && entry.expiresAt <= now()) entries.delete(key);
      else if (entry) {
        if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
        return entry.state === 'in_flight' ? { kind: 'in_flight' } : { kind: 'replay', response: entry.response };
      }
      entries.set(key, { state: 'in_flight', fingerprint });
      return { kind: 'new' };
    },
    complete(key: string, response: StoredResponse): void {
      const entry = entries.get(key);
      if (!entry) return;
      entries.delete(key); // re-insert so the map stays ordered by expiry
      entries.set(key, { state: 'done', fingerprint: entry.fingerprint, response, expiresAt: now() + ttlMs });
    },
    abandon(key: string): void {
      if (entries.get(key)?.state === 'in_flight') entries.delete(key);
    },
    clear(): void {
      entries.clear();
    },
  };
}

/** Order-independent JSON of a parsed request body, for comparing retries. */
export function fingerprint(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
