/** The edge rules of bff/http/access.ts and the one token bucket, as tables. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { bearerEquals, bearerToken, originAllowed, type MissingOrigin } from '../../bff/http/access.ts';
import { RateLimiter, TokenBucket } from '../../bff/http/rate-limit.ts';
import { exchange, newSession, SECRET_KEY, startBff, TEST_ORIGIN } from '../helpers/bff.ts';

describe('access rules', () => {
  it('decides origins for a session: null allows all, a missing Origin is refused unless the route accepts it', () => {
    const allowed = ['https://shop.example'];
    const table: [readonly string[] | null, string | null, MissingOrigin, boolean][] = [
      [null, null, 'refuse', true],
      [null, 'https://any.example', 'refuse', true],
      [allowed, 'https://shop.example', 'refuse', true],
      [allowed, 'https://shop.example', 'accept', true],
      [allowed, 'https://evil.example', 'refuse', false],
      [allowed, 'https://evil.example', 'accept', false],
      [allowed, null, 'refuse', false],
      [allowed, null, 'accept', true],
      [[], 'https://shop.example', 'refuse', false],
    ];
    for (const [list, origin, missing, expected] of table) {
      assert.equal(originAllowed(list, origin, missing), expected, `${JSON.stringify(list)} ${origin} ${missing}`);
    }
    assert.equal(originAllowed(allowed, null), false, 'refusing is the default');
  });

  it('reads a Bearer credential and compares secrets exactly', () => {
    assert.equal(bearerToken('Bearer abc.def'), 'abc.def');
    assert.equal(bearerToken('Bearer '), undefined);
    assert.equal(bearerToken('bearer abc'), undefined);
    assert.equal(bearerToken('Basic abc'), undefined);
    assert.equal(bearerToken(undefined), undefined);
    assert.equal(bearerEquals('Bearer s3cret', 's3cret'), true);
    assert.equal(bearerEquals('Bearer s3cret2', 's3cret'), false);
    assert.equal(bearerEquals('Bearer s3cre', 's3cret'), false);
    assert.equal(bearerEquals('s3cret', 's3cret'), false);
    assert.equal(bearerEquals(undefined, 's3cret'), false);
  });
});

describe('token bucket', () => {
  it('starts full, refills continuously and never holds more than its capacity', () => {
    const bucket = new TokenBucket({ capacity: 2, perWindow: 1, windowMs: 1000 }, 0);
    assert.equal(bucket.take(0), true);
    assert.equal(bucket.take(0), true);
    assert.equal(bucket.take(0), false);
    assert.equal(bucket.take(500), false, 'half a token is not a token');
    assert.equal(bucket.take(1000), true, 'the half from before and the half since make one');
    assert.equal(bucket.level(60_000), 2, 'capped at the capacity');
    assert.equal(bucket.lastCounted, 1000);
  });

  it('answers a keyed budget with the whole seconds to wait, and peek spends nothing', () => {
    let now = 0;
    const limiter = new RateLimiter(2, () => now);
    assert.equal(limiter.peek('a'), 0);
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('a'), 30, 'one token per 30 s at 2/min');
    assert.equal(limiter.take('b'), 0, 'keys do not share a bucket');
    now = 15_000;
    assert.equal(limiter.peek('a'), 15);
    assert.equal(limiter.peek('a'), 15, 'peek did not spend');
    now = 30_000;
    assert.equal(limiter.take('a'), 0);
  });
});

describe('the missing-Origin rule at the edge', () => {
  it('a session restricted to origins: an upgrade without Origin is refused (4403) even with a ticket bound to no origin', async () => {
    const bff = await startBff();
    try {
      const s = await newSession(bff);
      // A partner server resumes it without naming an origin: its ticket is bound to none.
      const resumed = await exchange(bff, { resume_token: s.resume_token }, { authorization: `Bearer ${SECRET_KEY}` });
      assert.equal(resumed.status, 201);
      /** 'attached' when the hello is answered; else the close code. */
      const open = (ticket: string, headers: Record<string, string>) =>
        new Promise<number | 'attached'>((resolve) => {
          const ws = new WebSocket(`${resumed.json.ws_url}?ticket=${ticket}`, { headers });
          ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', role: 'ui' })));
          ws.once('message', () => {
            resolve('attached');
            ws.close();
          });
          ws.once('close', (code) => resolve(code));
        });
      assert.equal(await open(resumed.json.ticket, {}), 4403);
      const again = await exchange(bff, { resume_token: s.resume_token }, { authorization: `Bearer ${SECRET_KEY}` });
      assert.equal(await open(again.json.ticket, { origin: TEST_ORIGIN }), 'attached');
    } finally {
      await bff.close();
    }
  });
});
