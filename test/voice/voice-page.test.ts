/**
 * /demo/voice.html and the voice chunk as served: no inline script, handler or style (strict
 * CSP), the widget in SDK mode, and /widget/shipvox-voice.js served as JavaScript next to the
 * script-tag bundle (the IIFE resolves the chunk against its own URL).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from '../../bff/server.ts';
import { startBff } from '../helpers/bff.ts';

const CHUNK = fileURLToPath(new URL('../../dist/widget/shipvox-voice.js', import.meta.url));

let bff: RunningServer;
before(async () => {
  bff = await startBff();
});
after(() => bff.close());

test('/demo/voice.html: SDK mode widget, no inline script or handler, CSP allows the SDK worklets', async () => {
  const res = await fetch(`${bff.url}/demo/voice.html`);
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.match(text, /<shipvox-companion\b[^>]*\bvoice="sdk"/);
  for (const [tag, attrs, body] of text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    assert.match(attrs!, /\bsrc=/, `inline script: ${tag!.slice(0, 80)}`);
    assert.equal(body!.trim(), '');
  }
  assert.doesNotMatch(text, /<[^>]*\son\w+\s*=/i, 'no inline event handler attributes');
  assert.doesNotMatch(text, /\sstyle\s*=/i, 'no inline style attributes');
  const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(text)?.[1] ?? '';
  assert.match(csp, /script-src 'self' blob:/);
  assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
  assert.equal((await fetch(`${bff.url}/demo/voice.js`)).status, 200);
});

test('/widget/shipvox-voice.js is served as JavaScript and is an ES module exporting startVoice', { skip: existsSync(CHUNK) ? false : 'run npm run build' }, async () => {
  const res = await fetch(`${bff.url}/widget/shipvox-voice.js`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /javascript/);
  const code = await res.text();
  assert.match(code, /export\s*\{[^}]*startVoice/);
  assert.doesNotMatch(code, /new RTCPeerConnection/, 'no WebRTC stack (livekit-client is stubbed out)');
});
