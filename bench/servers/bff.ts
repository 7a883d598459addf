/** Bench server (a, b): the real BFF, memory or Redis store, against an external ShipVox simulator. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServer } from '../../bff/server.ts';
import { FANOUT_TEXT } from './template.ts';
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
    RATE_LIMIT_KEY_PER_MIN: '10000000',
    RATE_LIMIT_FRAMES_PER_SEC: '100000',
    TOOL_CALLS_PER_SESSION_PER_MIN: '10000000',
    SLOW_CARRIER_MS: '600000',
  },
});
// Fan-out phase: POST /publish?n=N appends N events round-robin over the sessions with sockets,
// through the real single-writer path (validate, seq, store, reduce, publish).
const { sessions } = server.companion.services;
let cursor = 0;
const pub = createServer((req, res) => {
  const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n') ?? 100);
  const ids = sessions.hub.sessionIds();
  const jobs = [];
  for (let i = 0; i < n && ids.length > 0; i++) {
    jobs.push(sessions.append(ids[cursor++ % ids.length]!, { type: 'contextual_update', text: FANOUT_TEXT, source: 'ui' }));
  }
  Promise.all(jobs).then(() => res.end('ok'), (err: unknown) => res.writeHead(500).end(String(err)));
});
await new Promise<void>((r) => pub.listen(0, '127.0.0.1', r));
console.log(`READY ${JSON.stringify({ url: server.url, publish: `http://127.0.0.1:${(pub.address() as AddressInfo).port}/publish` })}`);
process.on('SIGTERM', () => void server.close().finally(() => process.exit(0)));
