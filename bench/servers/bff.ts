/** Bench server (a, b): the real BFF, memory or Redis store, against an external ShipVox simulator. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../bff/server.ts';
import './mem.ts';

const server = await startServer({
  env: {
    NODE_ENV: 'development',
    PORT: '0',
    HOST: '127.0.0.1',
    STORE: process.env.BENCH_STORE ?? 'memory',
    REDIS_URL: process.env.REDIS_URL,
    SHIPVOX_URL: process.env.SHIPVOX_URL,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-bench-')),
    LOG_LEVEL: 'silent',
    PUBLISHABLE_KEYS: JSON.stringify({ pk_bench_key: ['http://bench.test'] }),
    SIGNING_SECRET: 'b'.repeat(40),
    SECRET_KEY: 'sk_bench_secret_key_0001',
    AGENT_TOOL_SECRET: 'agent_bench_secret_0001',
    ADMIN_TOKEN: 'admin_bench_token_0001',
    RATE_LIMIT_HTTP_PER_MIN: '1000000',
    RATE_LIMIT_FRAMES_PER_SEC: '100000',
    SLOW_CARRIER_MS: '600000',
  },
});
console.log(`READY ${JSON.stringify({ url: server.url })}`);
process.on('SIGTERM', () => void server.close().finally(() => process.exit(0)));
