import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, DEV_PARTNER_KEY, DEV_PUBLISHABLE_KEY, loadConfig } from '../../bff/config.ts';
import { startMain } from '../helpers/main-process.ts';
import { freePort } from '../helpers/ports.ts';

describe('configuration', () => {
  it('development needs nothing and lists the defaults it used', () => {
    const c = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-cfg-')) });
    assert.equal(c.PORT, 8787);
    assert.equal(c.STORE, 'sqlite');
    assert.deepEqual(c.PUBLISHABLE_KEYS[DEV_PUBLISHABLE_KEY], ['http://localhost:8787', 'http://127.0.0.1:8787']);
    assert.ok(c.usedDevDefaults.includes('SECRET_KEY'));
  });

  it('puts the partner demo on the port after PORT unless PARTNER_PORT says otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'svx-cfg-'));
    assert.equal(loadConfig({ DATA_DIR: dir }).PARTNER_PORT, 8788);
    const moved = loadConfig({ DATA_DIR: dir, PORT: '9100' });
    assert.equal(moved.PARTNER_PORT, 9101);
    assert.deepEqual(moved.PUBLISHABLE_KEYS[DEV_PARTNER_KEY], ['http://localhost:9101', 'http://127.0.0.1:9101']);
    assert.equal(loadConfig({ DATA_DIR: dir, PORT: '0' }).PARTNER_PORT, 0);
    assert.equal(loadConfig({ DATA_DIR: dir, PORT: '65535' }).PARTNER_PORT, 0);
    assert.equal(loadConfig({ DATA_DIR: dir, PORT: '9100', PARTNER_PORT: '9200' }).PARTNER_PORT, 9200);
  });

  it('prints a partner page that works when PORT is not 8787 (a second instance does not collide on 8788)', async () => {
    let port = 0;
    for (let i = 0; i < 20 && !port; i++) {
      const p = await freePort();
      if (p < 65535) port = p; // p + 1 is tried by the start itself
    }
    const env: Record<string, string> = { PORT: String(port), STORE: 'memory', DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-cfg-')) };
    const main = await startMain({ ...env, PARTNER_PORT: '' }).catch((e: Error) => {
      if (/EADDRINUSE/.test(e.message)) return null; // the port after ours was taken meanwhile: nothing to check
      throw e;
    });
    if (!main) return;
    try {
      if (!/partner page: +\S+/.test(main.output())) await new Promise((resolve) => main.proc.stdout!.on('data', () => /partner page: +\S+/.test(main.output()) && resolve(null)));
      const page = /partner page: +(\S+)/.exec(main.output())![1]!;
      const url = new URL(page);
      assert.equal(url.port, String(port + 1));
      assert.equal(url.searchParams.get('endpoint'), `http://127.0.0.1:${port}`);
      const res = await fetch(page);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /partner\.js/);
    } finally {
      main.proc.kill('SIGTERM');
      await main.exited;
    }
  });

  it('keeps the development signing secret in DATA_DIR so a restart keeps sessions resumable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'svx-cfg-'));
    assert.equal(loadConfig({ DATA_DIR: dir }).SIGNING_SECRET, loadConfig({ DATA_DIR: dir }).SIGNING_SECRET);
  });

  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'eighty' }, /PORT: must be a whole number/],
    [{ PORT: '70000' }, /PORT: must be at most 65535/],
    [{ PUBLISHABLE_KEYS: '{not json' }, /PUBLISHABLE_KEYS: must be JSON/],
    [{ PUBLISHABLE_KEYS: '{"pk_demo_key1":["http://x.test/path"]}' }, /origins look like/],
    [{ STORE: 'mongo' }, /STORE/],
    [{ STORE: 'redis' }, /STORE=redis needs REDIS_URL/],
    [{ REDIS_LOG_MAX_AGE_MS: '999999999999' }, /REDIS_LOG_MAX_AGE_MS: must be at most 604800000/],
    [{ TLS_CERT: '/tmp/c.pem' }, /TLS_CERT and TLS_KEY go together/],
    [{ SECRET_KEY: 'short' }, /SECRET_KEY: must be at least 16/],
    [{ SHIPVOX_URL: 'not a url' }, /SHIPVOX_URL/],
    // The old switch to buy without the shopper's yes is gone, and refused rather than ignored.
    [{ CONFIRM_BEFORE_BUYING: 'false' }, /CONFIRM_BEFORE_BUYING was removed: no label is bought without the shopper confirming/],
    [{ NODE_ENV: 'production' }, /NODE_ENV=production needs real values for: PUBLISHABLE_KEYS, SECRET_KEY, SIGNING_SECRET, AGENT_TOOL_SECRET, ADMIN_TOKEN/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)} with a clear message`, () => {
      assert.throws(() => loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-cfg-')), ...env }), (err: unknown) => err instanceof ConfigError && message.test(err.message));
    });
  }

  it('npm start in production with default secrets stops with a clear message (exit 78)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bff/main.ts'], { env: { ...process.env, NODE_ENV: 'production', PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-cfg-')) } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    assert.equal(code, 78);
    assert.match(stderr, /NODE_ENV=production needs real values for/);
  });

  it('npm start in development prints a working demo key and serves', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bff/main.ts'], {
      env: { ...process.env, NODE_ENV: 'development', PORT: '0', PARTNER_PORT: '0', STORE: 'memory', LOG_LEVEL: 'warn', DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-cfg-')) },
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /on (http:\/\/[\d.]+:\d+)\n/.exec(out);
        if (m && out.includes('partner key')) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    try {
      assert.match(out, new RegExp(`publishable key: +${DEV_PUBLISHABLE_KEY}`));
      const health = await fetch(`${url}/healthz`);
      assert.equal(health.status, 200);
      const ready = await fetch(`${url}/readyz`);
      assert.deepEqual(await ready.json(), { ok: true, store: 'memory', shipvox: true });
    } finally {
      child.kill('SIGTERM');
      assert.equal(await new Promise((r) => child.on('exit', r)), 0);
    }
  });
});
