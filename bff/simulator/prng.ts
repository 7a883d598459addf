/** Seeded PRNG (mulberry32): every id and random choice in the simulator comes from here. */
export type Prng = {
  /** Uniform in [0, 1). */
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  digits(count: number): string;
  /** Lowercase base-36 id body of `length` characters. */
  id(length: number): string;
};

export function hashString(text: string): number {
  // FNV-1a, 32-bit.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createPrng(seed: number | string): Prng {
  let state = typeof seed === 'number' ? Math.trunc(seed) >>> 0 || hashString(String(seed)) : hashString(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (maxExclusive: number): number => Math.floor(next() * maxExclusive);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    digits: (count) => Array.from({ length: count }, () => String(int(10))).join(''),
    id: (length) => Array.from({ length }, () => '0123456789abcdefghijklmnopqrstuvwxyz'[int(36)]).join(''),
  };
}
