/** Simulator options, their defaults, and the mutable state the routes share. */
import type { Address } from '../../shared/address.ts';
import type { Carrier } from '../../shared/tools.ts';
import type { CreateLabelResponse, Rate, VoidLabelResponse } from '../shipvox/contract.ts';
import { NO_FAULTS, mergeFaults, type Faults } from './faults.ts';
import { createIdempotencyStore, type IdempotencyEntry } from './idempotency.ts';
import { openSimulatorDb, PersistedMap } from './persisted-map.ts';
import type { LabelPdfInput } from './label-pdf.ts';
import type { ServiceToken } from './pricing.ts';
import { createPrng } from './prng.ts';
import type { Shipment } from './services.ts';

/** Why the simulator is waiting; lets an injected sleep pick which waits to control. */
export type SleepPurpose = 'carrier_latency' | 'carrier_timeout' | 'hang' | 'label_purchase' | 'account_service';
/** `carrier` is absent for account services (address check, account, void, tracking). */
export type SleepContext = { purpose: SleepPurpose; carrier?: Carrier; signal?: AbortSignal };
/** Resolves after `ms`, or early when `signal` aborts. Never rejects. */
export type Sleep = (ms: number, context: SleepContext) => Promise<void>;

export type SimulatorOptions = {
  /** Clock in epoch ms (rate expiry, idempotency window, dates). Default Date.now. */
  now?: () => number;
  /** PRNG seed for ids and tracking numbers. Default: the clock at creation. */
  seed?: number | string;
  /** Per-carrier time to answer /get-rates. Default USPS 150, UPS 300, FedEx 1500 ms. */
  latencyMs?: Partial<Record<Carrier, number>>;
  /** Time the account services take (address check, account, void, tracking). Default 0. */
  serviceLatencyMs?: number;
  /** Time a purchase takes in /create-label. Default 400 ms. */
  labelLatencyMs?: number;
  /** How long a multi-carrier /get-rates waits for a timed-out carrier before giving up on it. Default 5 s. */
  carrierTimeoutMs?: number;
  /** Default 15 min. */
  rateTtlMs?: number;
  /** Replay window for Idempotency-Key. Default 24 h. */
  idempotencyTtlMs?: number;
  faults?: Partial<Faults>;
  /** Base of label_url. Default: the origin the request was addressed to (the listening address). */
  publicUrl?: string;
  sleep?: Sleep;
  /** Largest accepted request body. Default 64 KiB. */
  maxBodyBytes?: number;
  /** SQLite file keeping rates, labels and idempotency keys across restarts. Default: memory only. */
  dataFile?: string;
  /** The account labels are bought on (GET /account; its address is the sender). */
  account?: Partial<SimulatorAccount>;
  /** Time between a label's tracking events (the first scan after two). Default 60 s: days of carrier time, accelerated. */
  trackingStepMs?: number;
};

export type SimulatorAccount = { account_id: string; name: string; address: Address; balance_cents: number };

export const DEFAULT_ACCOUNT: SimulatorAccount = {
  account_id: 'acct_demo',
  name: 'ShipVox Demo Store',
  address: { name: 'ShipVox Demo Store', street: '5 Penn Plaza', city: 'New York', state: 'NY', zip: '10001' },
  balance_cents: 250_000,
};

export type SimulatorStats = {
  get_rates_calls: number;
  create_label_calls: number;
  labels_purchased: number;
  idempotent_replays: number;
  address_checks: number;
  labels_voided: number;
};

export const DEFAULT_LATENCY_MS: Readonly<Record<Carrier, number>> = { USPS: 150, UPS: 300, FedEx: 1500 };

export const realSleep: Sleep = (ms, { signal }) =>
  new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

export type StoredRate = {
  rate: Rate;
  token: ServiceToken;
  shipment: Shipment;
  /** Idempotency-Key of the purchase that holds (or bought) this rate. */
  heldBy?: string;
  purchased?: boolean;
};

export type LabelRecord = { response: CreateLabelResponse; pdf: LabelPdfInput; voided?: VoidLabelResponse };

export type SimState = ReturnType<typeof createState>;

export function createState(options: SimulatorOptions) {
  const now = options.now ?? Date.now;
  const config = {
    now,
    latencyMs: {
      USPS: options.latencyMs?.USPS ?? DEFAULT_LATENCY_MS.USPS,
      UPS: options.latencyMs?.UPS ?? DEFAULT_LATENCY_MS.UPS,
      FedEx: options.latencyMs?.FedEx ?? DEFAULT_LATENCY_MS.FedEx,
    },
    labelLatencyMs: options.labelLatencyMs ?? 400,
    serviceLatencyMs: options.serviceLatencyMs ?? 0,
    carrierTimeoutMs: options.carrierTimeoutMs ?? 5_000,
    rateTtlMs: options.rateTtlMs ?? 15 * 60_000,
    idempotencyTtlMs: options.idempotencyTtlMs ?? 24 * 60 * 60_000,
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    sleep: options.sleep ?? realSleep,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    initialFaults: mergeFaults(NO_FAULTS, options.faults),
    account: { ...DEFAULT_ACCOUNT, ...options.account },
    trackingStepMs: options.trackingStepMs ?? 60_000,
  };
  const db = options.dataFile ? openSimulatorDb(options.dataFile) : undefined;
  // A purchase in flight when the process died was never answered: its hold and key are released.
  const map = <V>(kind: string, keep?: (v: V) => boolean): Map<string, V> => (db ? new PersistedMap<V>(db, kind, keep) : new Map<string, V>());
  const rates = map<StoredRate>('rate');
  for (const stored of rates.values()) if (!stored.purchased) delete stored.heldBy;
  return {
    config,
    prng: createPrng(options.seed ?? now()),
    faults: { ...config.initialFaults },
    stats: emptyStats(),
    rates,
    labels: map<LabelRecord>('label'),
    /** The account balance in cents under 'cents' (absent: the configured one). */
    balance: map<number>('balance'),
    pdfCache: new Map<string, Promise<Uint8Array>>(),
    /** X-Request-Ids of /get-rates calls seen (flakyCarriers answers the first attempt of each with 500). */
    seenRequests: new Set<string>(),
    idempotency: createIdempotencyStore(now, config.idempotencyTtlMs, map<IdempotencyEntry>('idempotency', (e) => e.state === 'done')),
    db,
  };
}

export function emptyStats(): SimulatorStats {
  return { get_rates_calls: 0, create_label_calls: 0, labels_purchased: 0, idempotent_replays: 0, address_checks: 0, labels_voided: 0 };
}
