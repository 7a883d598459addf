/**
 * The demo pages as served: they load, carry no inline scripts or inline event handlers (so they
 * run under a strict CSP), reference only files that exist, and the QA console's dev-secret route
 * exists only while the secrets are the development defaults.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { RunningServer } from '../../bff/server.ts';
import { ADMIN_TOKEN, AGENT_SECRET, startBff } from '../helpers/bff.ts';

const DEMO_DIR = fileURLToPath(new URL('../../demo/', import.meta.url));
const PAGES = ['/demo/', '/demo/index.html', '/demo/partner.html', '/demo/qa.html'];

let bff: RunningServer;
before(async () => {
  bff = await startBff({ partner: true, env: { PARTNER_PORT: '0' } });
});
after(() => bff.close());

async function get(path: string, base = bff.url) {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

for (const path of PAGES) {
  test(`${path} loads and has no inline script or inline handler`, async () => {
    const page = await get(path);
    assert.equal(page.status, 200);
    assert.match(page.type, /text\/html/);
    assert.match(page.text, /<shipvox-companion\b/);
    const scripts = [...page.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.ok(scripts.length > 0);
    for (const [tag, attrs, body] of scripts) {
      assert.match(attrs!, /\bsrc=/, `inline script: ${tag!.slice(0, 80)}`);
      assert.equal(body!.trim(), '', 'a script with src has no body');
    }
    assert.doesNotMatch(page.text, /<[^>]*\son\w+\s*=/i, 'no inline event handler attributes');
    assert.doesNotMatch(page.text, /\sstyle\s*=/i, 'no inline style attributes');
    assert.doesNotMatch(page.text, /javascript:/i);
  });
}

test('the ShipVox demo page declares a strict CSP without unsafe-inline or unsafe-eval', async () => {
  const page = await get('/demo/');
  const csp = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(page.text)?.[1];
  assert.ok(csp, 'a CSP meta tag');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /style-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
});

test('every local script and stylesheet a demo page references is served', async () => {
  for (const path of PAGES) {
    const page = await get(path);
    const refs = [...page.text.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"/gi)].map((m) => m[1]!);
    for (const ref of refs) {
      if (/^https?:/.test(ref) || ref.startsWith('/widget/')) continue; // the bundle is built, not in demo/
      const url = new URL(ref, `${bff.url}${path}`);
      const res = await get(url.pathname);
      assert.equal(res.status, 200, `${path} → ${url.pathname}`);
    }
  }
  // Module scripts and the widget bundle are JavaScript as far as the browser is concerned.
  for (const file of readdirSync(DEMO_DIR).filter((f) => f.endsWith('.js'))) {
    const res = await fetch(`${bff.url}/demo/${file}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /javascript/, file);
  }
});

test('the partner server serves the partner page on another origin', async () => {
  assert.ok(bff.partner);
  assert.notEqual(new URL(bff.partner.url).origin, new URL(bff.url).origin);
  const page = await get('/demo/partner.html', bff.partner.url);
  assert.equal(page.status, 200);
  assert.match(page.text, /Acme Outdoor/);
  const root = await fetch(`${bff.partner.url}/`, { redirect: 'manual' });
  assert.equal(root.status, 302);
  assert.match(root.headers.get('location') ?? '', /\/demo\/partner\.html$/);
});

test('/demo/qa-config.json hands the QA console the development secrets', async () => {
  const res = await fetch(`${bff.url}/demo/qa-config.json`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { agent_tool_secret: AGENT_SECRET, admin_token: ADMIN_TOKEN });
});

test('/demo/qa-config.json is absent when the secrets are not the development defaults', async () => {
  const custom = await startBff({ env: { AGENT_TOOL_SECRET: 'a_real_agent_secret_0123456789', ADMIN_TOKEN: 'a_real_admin_token_0123456789' } });
  try {
    const res = await fetch(`${custom.url}/demo/qa-config.json`);
    assert.equal(res.status, 404);
    const text = await res.text();
    assert.doesNotMatch(text, /a_real_(agent|admin)/);
    // The QA page itself is still there (it then asks for the secrets).
    assert.equal((await get('/demo/qa.html', custom.url)).status, 200);
  } finally {
    await custom.close();
  }
  // Only one of the two changed: still not served.
  const half = await startBff({ env: { ADMIN_TOKEN: 'a_real_admin_token_0123456789' } });
  try {
    assert.equal((await fetch(`${half.url}/demo/qa-config.json`)).status, 404);
  } finally {
    await half.close();
  }
});

test('the widget bundle and its lazily loaded chunks are served to partner origins (CORS for import())', async () => {
  for (const file of ['shipvox-companion.js', 'shipvox-voice.js', 'shipvox-motion.js', 'shipvox-lang-es.js', 'shipvox-lang-fr.js', 'shipvox-label-files.js', 'shipvox-dev-console.js']) {
    const res = await fetch(`${bff.url}/widget/${file}`, { headers: { origin: 'http://partner.example' } });
    assert.equal(res.status, 200, file);
    assert.equal(res.headers.get('access-control-allow-origin'), '*', file);
    assert.match(res.headers.get('content-type') ?? '', /javascript/);
    await res.arrayBuffer();
  }
});
