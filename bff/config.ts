/**
 * Configuration from environment variables (names fixed by PROTOCOL.md), validated at start.
 * Development gets working defaults; production refuses development secrets.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from '../shared/zod.ts';
import { Address } from '../shared/address.ts';
import { LABEL_DEADLINE_MS, MAX_TOOL_DEADLINE_MS, QUOTES_DEADLINE_MS } from '../shared/voice-budget.ts';
import { DAY_MS, IDEMPOTENCY_TTL_MS, LOG_MAX_AGE_MS, SESSION_TTL_MS } from './sessions/store.ts';
import { STORE_KINDS, storeConfigProblem, type StoreKind } from './sessions/stores.ts';
import { DEFAULT_RUN_LEASE_MS } from './sessions/run-records.ts';

export const DEV_PUBLISHABLE_KEY = 'pk_dev_shipvox_demo';
export const DEV_PARTNER_KEY = 'pk_dev_partner_demo';
export const DEV_SECRET_KEY = 'sk_dev_shipvox_do_not_use_in_production';
export const DEV_AGENT_TOOL_SECRET = 'agent_dev_secret_do_not_use_in_production';
export const DEV_ADMIN_TOKEN = 'admin_dev_token_do_not_use_in_production';
/** The partner demo's port when PARTNER_PORT is unset: the one after PORT (8787 → 8788), any free one with PORT=0. */
export function defaultPartnerPort(port: number): number {
  return port === 0 || port >= 65535 ? 0 : port + 1;
}

const Int = (min: number, max: number) =>
  z.pipe(
    z.string().check(z.regex(/^\d+$/, 'must be a whole number')),
    z.pipe(z.transform((v: string) => Number(v)), z.int().check(z.gte(min, `must be at least ${min}`), z.lte(max, `must be at most ${max}`))),
  );
const Bool = z.pipe(z.enum(['true', 'false', '1', '0']), z.transform((v) => v === 'true' || v === '1'));
const PublishableKeys = z.pipe(
  z.string(),
  z.transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.issues.push({ code: 'custom', message: 'must be JSON: {"pk_…": ["https://origin", …]}', input: raw });
      return z.NEVER;
    }
  }),
);
const KeyMap = z.record(
  z.string().check(z.regex(/^pk_[A-Za-z0-9_]{6,}$/, 'keys look like pk_…')),
  z.array(
    z.string().check(
      z.regex(/^https?:\/\/[^/\s]+$/, 'origins look like https://host[:port], no path'),
      // Origins are compared exactly: a wildcard would silently match nothing.
      z.refine((o) => !o.includes('*'), 'origins are exact: no wildcards (list each origin)'),
    ),
  ),
);

export const SimulatorAccount = z.object({ name: z.optional(z.string().check(z.minLength(1), z.maxLength(80))), address: z.optional(Address), balance_cents: z.optional(z.int().check(z.nonnegative())) });

const EnvSchema = z.object({
  NODE_ENV: z._default(z.enum(['development', 'production', 'test']), 'development'),
  PORT: z.prefault(Int(0, 65535), '8787'),
  HOST: z._default(z.string().check(z.minLength(1)), '127.0.0.1'),
  PUBLIC_URL: z.optional(z.url()),
  PUBLISHABLE_KEYS: z.optional(PublishableKeys),
  SECRET_KEY: z.optional(z.string().check(z.minLength(16, 'must be at least 16 characters'))),
  SIGNING_SECRET: z.optional(z.string().check(z.minLength(32, 'must be at least 32 characters'))),
  AGENT_TOOL_SECRET: z.optional(z.string().check(z.minLength(16, 'must be at least 16 characters'))),
  ADMIN_TOKEN: z.optional(z.string().check(z.minLength(16, 'must be at least 16 characters'))),
  SHIPVOX_URL: z.optional(z.url()),
  SHIPVOX_TIMEOUT_MS: z.prefault(Int(100, 120000), '10000'),
  STORE: z.optional(z.enum(STORE_KINDS)),
  DATA_DIR: z._default(z.string(), './data'),
  REDIS_URL: z.optional(z.url()),
  /** Redis log entries older than this are trimmed (0 = by length only); at most the session TTL. */
  REDIS_LOG_MAX_AGE_MS: z.prefault(Int(0, SESSION_TTL_MS), String(LOG_MAX_AGE_MS)),
  LOG_LEVEL: z._default(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  LOG_DIR: z.optional(z.string()),
  TLS_CERT: z.optional(z.string()),
  TLS_KEY: z.optional(z.string()),
  TRUST_PROXY: z.prefault(Bool, 'false'),
  RATE_LIMIT_FRAMES_PER_SEC: z.prefault(Int(1, 100000), '50'),
  RATE_LIMIT_HTTP_PER_MIN: z.prefault(Int(1, 1000000), '60'),
  /** Per credential (publishable key, session, agent secret): many visitors share one key. */
  RATE_LIMIT_KEY_PER_MIN: z.prefault(Int(1, 10000000), '6000'),
  HEARTBEAT_MS: z.prefault(Int(100, 600000), '25000'),
  MAX_CONNECTIONS_PER_SESSION: z.prefault(Int(1, 10000), '32'),
  SLOW_CARRIER_MS: z.prefault(Int(0, 600000), '2500'),
  /** get_shipping_quotes answers Bob by then with the carriers that are in (shared/voice-budget.ts). */
  QUOTES_DEADLINE_MS: z.prefault(Int(100, MAX_TOOL_DEADLINE_MS), String(QUOTES_DEADLINE_MS)),
  /** create_label answers "still buying" by then; the purchase goes on. */
  LABEL_DEADLINE_MS: z.prefault(Int(100, MAX_TOOL_DEADLINE_MS), String(LABEL_DEADLINE_MS)),
  SMTP_URL: z.optional(z.url()),
  MAIL_FROM: z._default(z.string(), 'ShipVox <labels@shipvox.example>'),
  ELEVENLABS_API_KEY: z.optional(z.string()),
  ELEVENLABS_AGENT_ID: z.optional(z.string()),
  ELEVENLABS_BASE_URL: z._default(z.url(), 'https://api.elevenlabs.io'),
  /** Tool-run owner lease: a crashed instance's runs in flight are finished by another at most this long after its last heartbeat. */
  RUN_LEASE_MS: z.prefault(Int(300, 600000), String(DEFAULT_RUN_LEASE_MS)),
  /** The local Bob (bff/local-bob): default on in development without ELEVENLABS_*, off otherwise. */
  LOCAL_BOB: z.optional(Bool),
  PARTNER_PORT: z.optional(Int(0, 65535)),
  /** How often the BFF asks the backend for new tracking events of the labels it watches (0: only when Bob asks). */
  TRACKING_POLL_MS: z.prefault(Int(0, 86_400_000), '15000'),
  /** The embedded simulator's account (JSON: name, address, balance_cents): the sender of its labels. */
  SIMULATOR_ACCOUNT: z.optional(z.string()),
  /** The embedded simulator's time between tracking events (default 60000). */
  SIMULATOR_TRACKING_STEP_MS: z.optional(Int(1, 86_400_000)),
  // Lifetimes (docs/security.md, docs/deploy.md): nothing stored lives forever.
  SESSION_TTL_MS: z.prefault(Int(60 * 60_000, 366 * DAY_MS), String(SESSION_TTL_MS)),
  IDEMPOTENCY_TTL_MS: z.prefault(Int(60_000, 30 * DAY_MS), String(IDEMPOTENCY_TTL_MS)),
  OUTBOX_TTL_MS: z.prefault(Int(60_000, 366 * DAY_MS), String(7 * DAY_MS)),
  SWEEP_INTERVAL_MS: z.prefault(Int(0, DAY_MS), String(10 * 60_000)),
  SESSION_CACHE_MAX: z.prefault(Int(100, 10_000_000), '20000'),
  // Abuse limits.
  LABEL_EMAILS_PER_LABEL: z.prefault(Int(0, 1000), '3'),
  LABEL_EMAILS_PER_SESSION: z.prefault(Int(0, 1000), '5'),
  LABEL_EMAILS_PER_RECIPIENT_PER_DAY: z.prefault(Int(0, 10000), '5'),
  AUTH_FAILURES_PER_MIN: z.prefault(Int(1, 100000), '10'),
  /** Tool runs per session (webhook and socket together): each is logged and its result kept for repeats. */
  TOOL_CALLS_PER_SESSION_PER_MIN: z.prefault(Int(1, 10_000_000), '30'),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Omit<Env, 'PUBLISHABLE_KEYS' | 'PARTNER_PORT' | 'LOCAL_BOB'> {
  /** GET /v1/voice/credentials hands out the local Bob's conversations instead of ElevenLabs'. */
  LOCAL_BOB: boolean;
  STORE: StoreKind;
  PARTNER_PORT: number;
  PUBLISHABLE_KEYS: Record<string, string[]>;
  SECRET_KEY: string;
  SIGNING_SECRET: string;
  AGENT_TOOL_SECRET: string;
  ADMIN_TOKEN: string;
  /** Development defaults that were used (printed at start, refused in production). */
  usedDevDefaults: string[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates the environment; throws ConfigError with every problem listed, one per line. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(clean);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  let keys: Record<string, string[]> | undefined;
  if (e.PUBLISHABLE_KEYS !== undefined) {
    const k = KeyMap.safeParse(e.PUBLISHABLE_KEYS);
    if (!k.success) {
      const lines = k.error.issues.map((i) => `  PUBLISHABLE_KEYS.${i.path.join('.')}: ${i.message}`);
      throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
    }
    keys = k.data;
  }
  const production = e.NODE_ENV === 'production';
  const usedDevDefaults: string[] = [];
  const dev = <T>(name: string, value: T | undefined, fallback: () => T): T => {
    if (value !== undefined) return value;
    usedDevDefaults.push(name);
    return fallback();
  };
  const partnerPort = e.PARTNER_PORT ?? defaultPartnerPort(e.PORT);
  const config: Config = {
    ...e,
    STORE: e.STORE ?? (e.NODE_ENV === 'test' ? 'memory' : 'sqlite'),
    LOCAL_BOB: e.LOCAL_BOB ?? (e.NODE_ENV === 'development' && !e.ELEVENLABS_API_KEY && !e.ELEVENLABS_AGENT_ID),
    DATA_DIR: resolve(e.DATA_DIR),
    PARTNER_PORT: partnerPort,
    PUBLISHABLE_KEYS: dev('PUBLISHABLE_KEYS', keys, () => devPublishableKeys(e.PORT, partnerPort)),
    SECRET_KEY: dev('SECRET_KEY', e.SECRET_KEY, () => DEV_SECRET_KEY),
    SIGNING_SECRET: dev('SIGNING_SECRET', e.SIGNING_SECRET, () =>
      // Production refuses this below; never leave a generated secret on its disk.
      e.STORE === 'memory' || e.NODE_ENV !== 'development' ? randomBytes(32).toString('base64url') : persistedDevSecret(resolve(e.DATA_DIR)),
    ),
    AGENT_TOOL_SECRET: dev('AGENT_TOOL_SECRET', e.AGENT_TOOL_SECRET, () => DEV_AGENT_TOOL_SECRET),
    ADMIN_TOKEN: dev('ADMIN_TOKEN', e.ADMIN_TOKEN, () => DEV_ADMIN_TOKEN),
    usedDevDefaults,
  };
  const problems: string[] = [];
  if (production && usedDevDefaults.length > 0) {
    problems.push(`NODE_ENV=production needs real values for: ${usedDevDefaults.join(', ')}`);
  }
  if (production) problems.push(...productionProblems(config, usedDevDefaults));
  const storeProblem = storeConfigProblem(config);
  if (storeProblem) problems.push(storeProblem);
  // Every label needs the shopper's yes to its summary; the old switch is refused rather than silently ignored.
  if (clean.CONFIRM_BEFORE_BUYING !== undefined) problems.push('CONFIRM_BEFORE_BUYING was removed: no label is bought without the shopper confirming its summary; unset it');
  if (config.SIMULATOR_ACCOUNT !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(config.SIMULATOR_ACCOUNT);
    } catch {
      json = undefined;
    }
    const account = SimulatorAccount.safeParse(json);
    if (!account.success) problems.push(`SIMULATOR_ACCOUNT must be JSON {name, address: {name, street, city, state, zip}, balance_cents}: ${account.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  if (Boolean(config.TLS_CERT) !== Boolean(config.TLS_KEY)) problems.push('TLS_CERT and TLS_KEY go together');
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return config;
}

const SECRET_NAMES = ['SECRET_KEY', 'SIGNING_SECRET', 'AGENT_TOOL_SECRET', 'ADMIN_TOKEN'] as const;
const PUBLISHED_DEV_VALUES = new Set([DEV_SECRET_KEY, DEV_AGENT_TOOL_SECRET, DEV_ADMIN_TOKEN]);
const LOCAL_HOST = /^https?:\/\/(localhost|127(\.\d+){3}|\[::1\]|0\.0\.0\.0)(:\d+)?$/i;

/** What production refuses even when it is set explicitly: weak or shared secrets, development keys, cleartext origins. */
function productionProblems(c: Config, defaulted: string[]): string[] {
  const out: string[] = [];
  const seen = new Map<string, string>();
  for (const name of SECRET_NAMES) {
    if (defaulted.includes(name)) continue;
    const value = c[name];
    if (PUBLISHED_DEV_VALUES.has(value) || /do_not_use_in_production/.test(value)) out.push(`${name} is a published development value`);
    else if (new Set(value).size < 8) out.push(`${name} is too weak: use a random value (at least 8 different characters)`);
    const other = seen.get(value);
    if (other) out.push(`${name} must differ from ${other}: every secret needs its own value`);
    else seen.set(value, name);
  }
  if (!defaulted.includes('PUBLISHABLE_KEYS')) {
    for (const [key, origins] of Object.entries(c.PUBLISHABLE_KEYS)) {
      if (key.startsWith('pk_dev_')) out.push(`PUBLISHABLE_KEYS.${key}: pk_dev_ keys are for development`);
      for (const o of origins) {
        if (LOCAL_HOST.test(o)) out.push(`PUBLISHABLE_KEYS.${key}: ${o} is a local origin`);
        else if (o.startsWith('http://')) out.push(`PUBLISHABLE_KEYS.${key}: ${o} must be https://`);
      }
    }
  }
  if (!c.PUBLIC_URL) out.push('NODE_ENV=production needs PUBLIC_URL (https://…): socket and label links are built from it, never from request headers');
  else if (!c.PUBLIC_URL.startsWith('https://')) out.push('PUBLIC_URL must be https:// in production');
  return out;
}

function devPublishableKeys(port: number, partnerPort: number): Record<string, string[]> {
  const origins = (p: number) => [`http://localhost:${p}`, `http://127.0.0.1:${p}`];
  return { [DEV_PUBLISHABLE_KEY]: origins(port), [DEV_PARTNER_KEY]: origins(partnerPort) };
}

/** A development signing secret kept in DATA_DIR so a restart keeps sessions resumable. */
function persistedDevSecret(dataDir: string): string {
  const file = join(dataDir, 'dev-signing-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
