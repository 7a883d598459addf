/** The figures' arithmetic: percentiles, medians over rounds, ratios. */

export function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}


/**
 * The median of each number across the rounds (same-shaped objects); lists of numbers are merged
 * (largest first, as long as one round's), text is joined.
 */
export function medianOf<T>(xs: T[]): T {
  const first = xs[0] as unknown;
  if (typeof first === 'number' || first === null) {
    const s = (xs as unknown[]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
    if (s.length === 0) return first as T;
    const m = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    return +m.toFixed(2) as T;
  }
  if (Array.isArray(first)) return (xs as number[][]).flat().sort((a, b) => b - a).slice(0, first.length) as T;
  if (typeof first === 'string') return (xs as string[]).join(' | ') as T;
  if (first && typeof first === 'object') {
    return Object.fromEntries(Object.keys(first).map((k) => [k, medianOf(xs.map((x) => (x as Record<string, unknown>)[k]))])) as T;
  }
  return first as T;
}

/** x ÷ y to two decimals. */
export const ratio = (x: number, y: number) => +(x / y).toFixed(2);
