/** Injectable faults: set at start, at runtime via setFaults() or POST /__sim/faults. */
import * as z from '../../shared/zod.ts';
import { Carrier, Zip } from '../../shared/tools.ts';

const Count = z.int().check(z.nonnegative());

export const Faults = z.strictObject({
  /** These carriers' rates never arrive in time. */
  timeoutCarriers: z.array(Carrier),
  /** These carriers answer with an outage. */
  failCarriers: z.array(Carrier),
  /** The next N /get-rates calls answer 500. */
  getRates5xx: Count,
  /** The next N /create-label calls answer 500 before purchasing (a retry is safe). */
  createLabel5xx: Count,
  /** The next N purchases succeed but answer 500 (the retry must be replayed). */
  createLabelDropAfterPurchase: Count,
  /** Exact ZIPs refused as invalid besides the structurally invalid ones. */
  invalidZips: z.array(Zip),
  /** /create-label answers 402. */
  insufficientFunds: z.boolean(),
  /** How long a single-carrier timeout request hangs before its 504 (unless the client leaves). */
  hangMs: Count,
  /** Extra latency per carrier (ms) on top of its usual one: a slow carrier that still answers. */
  slowCarriers: z.partialRecord(Carrier, Count),
  /** These carriers answer 500 to the first attempt of each request (by X-Request-Id) and normally to its retry. */
  flakyCarriers: z.array(Carrier),
});
export type Faults = z.infer<typeof Faults>;

export const FaultsPatch = Faults.partial();
export type FaultsPatch = z.infer<typeof FaultsPatch>;

export const NO_FAULTS: Faults = {
  timeoutCarriers: [],
  failCarriers: [],
  getRates5xx: 0,
  createLabel5xx: 0,
  createLabelDropAfterPurchase: 0,
  invalidZips: [],
  insufficientFunds: false,
  hangMs: 30_000,
  slowCarriers: {},
  flakyCarriers: [],
};

/** Takes one unit of a counting fault; true when the fault applies to this call. */
export function takeOne(faults: Faults, key: 'getRates5xx' | 'createLabel5xx' | 'createLabelDropAfterPurchase'): boolean {
  if (faults[key] <= 0) return false;
  faults[key]--;
  return true;
}

/** `base` with the patch's defined values applied; throws on an invalid patch. */
export function mergeFaults(base: Faults, patch: FaultsPatch = {}): Faults {
  const defined = Object.entries(FaultsPatch.parse(patch)).filter(([, v]) => v !== undefined);
  return { ...base, ...Object.fromEntries(defined) };
}
