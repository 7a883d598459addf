/**
 * Fuzz and abuse: well over 1,000 generated bad frames (fast-check, fixed seed) on one session's
 * socket and a few hundred bad HTTP bodies for the exchange and the webhook. Every one is
 * answered by a typed error, nothing crashes, the attacked session's state and log do not
 * change, and another session's full flow (quotes + label via webhook, a UI client receiving
 * every event in order) runs alongside unaffected.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { CLIENT_FRAME_TYPES, FRAME_ERROR_CODES, HTTP_ERROR_CODES, UI_ACTION_TYPES, type ServerFrame } from '../../shared/protocol.ts';
import { ADMIN_TOKEN, AGENT_SECRET, newSession, QUOTE_PARAMS, startBff, TestClient, TEST_ORIGIN, webhook, buyLabel } from '../helpers/bff.ts';

const SEED = 20261124;

type Bad = { label: string; data: string | Uint8Array; binary?: boolean; expect?: string };

const json = (label: string, value: unknown, expect?: string): Bad => ({ label, data: JSON.stringify(value), ...(expect ? { expect } : {}) });
const deep = (depth: number, kind: 'array' | 'object') =>
  kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const validish: Record<(typeof CLIENT_FRAME_TYPES)[number], Record<string, unknown>> = {
  hello: { type: 'hello', role: 'ui' },
  client_tool_call: { type: 'client_tool_call', tool_call_id: 'tc_1', tool_name: 'get_session_state', parameters: {} },
  contextual_update: { type: 'contextual_update', text: 'hi' },
  ui_action: { type: 'ui_action', action: 'select_quote', client_msg_id: 'm1', quote_id: 'q1' },
  resync: { type: 'resync', last_seq: 0 },
  ping: { type: 'ping', id: 'p' },
};
/** For each real type: how to break one required field (hello is refused whole: already said). */
const breakers: Array<[keyof typeof validish, string]> = [
  ['client_tool_call', 'tool_call_id'],
  ['client_tool_call', 'tool_name'],
  ['client_tool_call', 'parameters'],
  ['contextual_update', 'text'],
  ['ui_action', 'client_msg_id'],
  ['ui_action', 'action'],
  ['ui_action', 'quote_id'],
  ['resync', 'last_seq'],
  ['ping', 'id'],
];

const junk = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);
/** A value the field's schema refuses (wrong type, too long, bad characters, number as string). */
const wrongFor = (field: string): fc.Arbitrary<unknown> => {
  switch (field) {
    case 'tool_call_id':
    case 'client_msg_id':
      return fc.oneof(fc.integer(), fc.constant(''), fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }).map((s) => `é${s}`), fc.constant('x'.repeat(129)), fc.constant(null));
    case 'tool_name':
      return fc.oneof(fc.integer(), fc.constant(''), fc.constant('t'.repeat(65)), fc.constant([]));
    case 'parameters':
      return fc.oneof(fc.integer(), fc.string(), fc.array(fc.integer(), { minLength: 1 }), fc.constant(true));
    case 'text':
      return fc.oneof(fc.integer(), fc.constant(''), fc.integer({ min: 2001, max: 6_000 }).map((n) => '😀'.repeat(n)), fc.constant({}));
    case 'action':
      return fc.oneof(fc.string({ maxLength: 12 }).filter((s) => !(UI_ACTION_TYPES as readonly string[]).includes(s)), fc.integer());
    case 'quote_id':
      return fc.oneof(fc.integer(), fc.constant(''), fc.constant('q'.repeat(129)));
    case 'last_seq':
      return fc.oneof(fc.integer({ min: -1000, max: -1 }), fc.double({ min: 0.1, max: 10, noInteger: true }), fc.nat().map(String), fc.constant(null));
    case 'id':
      return fc.oneof(fc.integer(), fc.constant('i'.repeat(65)), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }));
    default:
      return junk;
  }
};

const badFrames: fc.Arbitrary<Bad> = fc.oneof(
  // malformed JSON: random text, or a real frame cut short
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter((s) => { try { JSON.parse(s); return false; } catch { return true; } }).map((s) => ({ label: 'malformed', data: s, expect: 'bad_frame' })),
  fc.tuple(fc.constantFrom(...Object.values(validish)), fc.nat()).map(([v, n]) => {
    const text = JSON.stringify(v);
    return { label: 'truncated', data: text.slice(0, n % (text.length - 1)), expect: 'bad_frame' };
  }),
  // JSON that is not an object
  fc.oneof(fc.integer(), fc.string(), fc.array(junk, { maxLength: 4 }), fc.constant(null), fc.boolean()).map((v) => json('not-object', v, 'bad_frame')),
  // unknown or missing types, and types of the wrong kind
  fc.tuple(fc.oneof(fc.string({ maxLength: 30 }).filter((t) => !(CLIENT_FRAME_TYPES as readonly string[]).includes(t)), fc.integer(), fc.constant(null)), fc.dictionary(fc.string({ maxLength: 8 }), junk, { maxKeys: 4 }))
    .map(([type, rest]) => json('unknown-type', { ...rest, type }, 'unknown_type')),
  fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== 'type'), junk, { maxKeys: 4 }).map((o) => json('missing-type', o, 'unknown_type')),
  // binary frames
  fc.uint8Array({ minLength: 0, maxLength: 64 }).map((b) => ({ label: 'binary', data: b, binary: true, expect: 'bad_frame' })),
  // a second hello, even a valid one
  fc.record({ role: fc.constantFrom('ui', 'voice', 'console'), extra: junk }).map((r) => json('second-hello', { type: 'hello', ...r }, 'bad_frame')),
  // each real type with one required field missing or of the wrong type, plus extra fields
  fc.tuple(fc.constantFrom(...breakers), fc.boolean(), fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !(k in validish.ui_action) && !(k in validish.client_tool_call)), junk, { maxKeys: 3 }))
    .chain(([[type, field], missing, extra]) =>
      wrongFor(field).map((v) => {
        const frame: Record<string, unknown> = { ...validish[type], ...extra };
        if (missing && field !== 'parameters') delete frame[field];
        else frame[field] = v;
        return json(`invalid-${type}.${field}`, frame, field === 'action' ? undefined : 'invalid_params');
      }),
    ),
  // __proto__ / constructor keys (raw JSON: JSON.parse makes them own properties) on broken frames
  fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.constantFrom(...breakers.filter(([, f]) => f !== 'parameters'))).map(([key, [type, field]]) => {
    const frame = { ...validish[type], [field]: { polluted: true } } as Record<string, unknown>;
    const text = JSON.stringify(frame).replace(/^\{/, `{"${key}":{"polluted":true,"isAdmin":true},`);
    return { label: `pollution-${key}`, data: text.replace('"type"', `"${key === '__proto__' ? 'constructor' : '__proto__'}":{"prototype":{"polluted":true}},"type"`), expect: 'invalid_params' };
  }),
  // depth bombs inside a field
  fc.tuple(fc.integer({ min: 500, max: 10_000 }), fc.constantFrom<'array' | 'object'>('array', 'object'), fc.constantFrom(...breakers)).map(([d, kind, [type, field]]) => {
    const frame = { ...validish[type], [field]: '__DEEP__' };
    return { label: 'depth-bomb', data: JSON.stringify(frame).replace('"__DEEP__"', deep(d, kind)) };
  }),
  // numbers as strings and huge unicode strings where numbers/short strings belong
  fc.nat().map((n) => json('numeric-string', { type: 'resync', last_seq: String(n) }, 'invalid_params')),
  fc.integer({ min: 2_000, max: 16_000 }).map((n) => json('huge-unicode', { type: 'ping', id: '𝒳\u0000\u202e'.repeat(n / 4) }, 'invalid_params')),
);

const badSessionBodies: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => { try { JSON.parse(s); return false; } catch { return true; } }),
  fc.oneof(fc.integer(), fc.string(), fc.array(junk), fc.constant(null)).map((v) => JSON.stringify(v)),
  fc.record({ publishable_key: junk, resume_token: fc.option(junk), origin: fc.option(junk) }).map((v) => JSON.stringify(v)),
  fc.string({ minLength: 1, maxLength: 30 }).map((k) => JSON.stringify({ publishable_key: `pk_${k}`, extra: k })),
  fc.integer({ min: 2001, max: 20_000 }).map((n) => JSON.stringify({ resume_token: 'r'.repeat(n) })),
  fc.constantFrom('{"__proto__":{"polluted":true},"publishable_key":"pk_nope_nope"}', '{"constructor":{"prototype":{"polluted":true}}}', deep(5000, 'object')),
);
const badWebhookBodies: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => { try { JSON.parse(s); return false; } catch { return true; } }),
  fc.oneof(fc.integer(), fc.string(), fc.array(junk), fc.constant(null)).map((v) => JSON.stringify(v)),
  fc.record({ session_id: junk, from_zip: junk, weight: junk }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 20 }).map((id) => JSON.stringify({ session_id: `ses_${id}_unknown`, ...QUOTE_PARAMS })),
  fc.constantFrom('{"__proto__":{"polluted":true},"session_id":"ses_x"}', '{"constructor":{"prototype":{"polluted":true}},"session_id":7}', deep(5000, 'array')),
);

it('fuzz: 1,000+ bad frames and bad HTTP bodies get typed errors; the session stays unchanged; another session runs unaffected', async () => {
  const bff = await startBff({ env: { RATE_LIMIT_FRAMES_PER_SEC: '100000', RATE_LIMIT_HTTP_PER_MIN: '1000000', RATE_LIMIT_KEY_PER_MIN: '10000000' } });
  try {
    const victim = await newSession(bff);
    const attacker = await TestClient.join(bff, victim, 'console');
    const { sessions } = bff.companion.services;
    const stateBefore = structuredClone(await sessions.state(victim.session_id));
    const logBefore = await sessions.eventsAfter(victim.session_id, 0);

    // Another session's whole flow, concurrently.
    const other = await newSession(bff);
    const otherUi = await TestClient.join(bff, other);
    const otherFlow = (async () => {
      const quotes = await webhook(bff, 'get_shipping_quotes', { session_id: other.session_id, ...QUOTE_PARAMS });
      const label = await buyLabel(bff, other.session_id, { quote_id: quotes.json.options[1].quote_id });
      assert.match(label.json.result, /^Label created/);
      await otherUi.waitFor((f) => f.type === 'client_tool_result' && f.tool_name === 'create_label');
    })().then(() => null, (err: unknown) => err);

    const frames = fc.sample(badFrames, { seed: SEED, numRuns: 1200 });
    const byLabel = new Map<string, number>();
    for (const [i, bad] of frames.entries()) {
      const before = attacker.frames.length;
      if (bad.binary) attacker.ws.send(bad.data, { binary: true });
      else attacker.send(bad.data as string);
      await attacker.waitFor(() => true, before);
      const answer = attacker.frames[before] as ServerFrame;
      assert.equal(answer.type, 'error', `#${i} ${bad.label}: ${String(bad.data).slice(0, 80)} → ${JSON.stringify(answer).slice(0, 200)}`);
      const code = (answer as { code: string }).code;
      assert.ok((FRAME_ERROR_CODES as readonly string[]).includes(code), `#${i} unknown code ${code}`);
      if (bad.expect) assert.equal(code, bad.expect, `#${i} ${bad.label}: ${String(bad.data).slice(0, 120)}`);
      byLabel.set(bad.label.replace(/^invalid-.*/, 'invalid-field'), (byLabel.get(bad.label.replace(/^invalid-.*/, 'invalid-field')) ?? 0) + 1);
    }
    // Forward compatibility: extra fields (also __proto__/constructor) on a valid ping are ignored, not applied.
    const before = attacker.frames.length;
    attacker.send('{"type":"ping","id":"extra","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"unknown":1}');
    assert.equal((await attacker.waitFor((f) => f.type === 'pong', before) as { id: string }).id, 'extra');

    const sessionBodies = fc.sample(badSessionBodies, { seed: SEED, numRuns: 150 });
    for (const body of sessionBodies) {
      const res = await fetch(`${bff.url}/v1/sessions`, { method: 'POST', headers: { origin: TEST_ORIGIN, 'content-type': 'application/json' }, body });
      assert.ok(res.status >= 400 && res.status < 500, `exchange ${body.slice(0, 80)} → ${res.status}`);
      const j = (await res.json()) as { error: { code: string; message: string } };
      assert.ok((HTTP_ERROR_CODES as readonly string[]).includes(j.error.code), j.error.code);
    }
    const webhookBodies = fc.sample(badWebhookBodies, { seed: SEED, numRuns: 150 });
    const tools = ['get_shipping_quotes', 'create_label', 'get_session_state', 'no_such_tool', '__proto__', 'constructor'];
    for (const [i, body] of webhookBodies.entries()) {
      const tool = tools[i % tools.length]!;
      const res = await fetch(`${bff.url}/v1/agent/tools/${tool}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${AGENT_SECRET}` }, body });
      const j = (await res.json()) as { error: unknown; result?: string };
      if (res.status === 200) {
        assert.equal(j.error, 'unknown_session', `webhook ${tool} ${body.slice(0, 80)}`);
        assert.equal(typeof j.result, 'string');
      } else {
        assert.ok([400, 404].includes(res.status), `webhook ${tool} ${body.slice(0, 80)} → ${res.status}`);
        assert.ok((HTTP_ERROR_CODES as readonly string[]).includes((j.error as { code: string }).code));
      }
    }

    const otherError = await otherFlow;
    if (otherError) throw otherError;
    // The victim: same state, same log; the socket is still open and answers.
    assert.deepEqual(await sessions.state(victim.session_id), stateBefore);
    assert.deepEqual(await sessions.eventsAfter(victim.session_id, 0), logBefore);
    assert.equal(attacker.closed, null);
    const n = attacker.frames.length;
    attacker.send({ type: 'ping', id: 'still-alive' });
    await attacker.waitFor((f) => f.type === 'pong' && f.id === 'still-alive', n);
    assert.equal((await fetch(`${bff.url}/healthz`)).status, 200);
    // The other session: every event, in order, equal to its log.
    const log = (await (await fetch(`${bff.url}/v1/admin/sessions/${other.session_id}/log`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { events: Array<{ seq: number; type: string }> };
    assert.deepEqual(otherUi.events().map((e) => [e.seq, e.type]), log.events.map((e) => [e.seq, e.type]));
    assert.ok(log.events.some((e) => e.type === 'label_created'));
    // No prototype pollution anywhere in the process.
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
    assert.deepEqual(Object.keys(Object.prototype), []);

    console.log(
      `fuzz: ${frames.length + 1} frames tried (${[...byLabel].map(([k, v]) => `${k} ${v}`).join(', ')}), ` +
        `${sessionBodies.length} exchange bodies, ${webhookBodies.length} webhook bodies; all answered with typed errors`,
    );
    attacker.close();
    otherUi.close();
  } finally {
    await bff.close();
  }
});
