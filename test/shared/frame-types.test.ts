// The frame type lists must not drift from the zod schemas: the widget guards frames with these
// lists (no zod in its bundle), the BFF validates with the schemas.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as P from '../../shared/protocol.ts';
import { ToolErrorData } from '../../shared/tools.ts';
import { initialState, reduce } from '../../shared/session.ts';
import * as wire from '../../shared/wire.ts';

const discriminators = (union: { def: { options: readonly { def: { shape: { type: unknown } } }[] } }) =>
  union.def.options.map((o) => {
    const values = (o.def.shape.type as { def: { values: unknown[] } }).def.values;
    assert.equal(values.length, 1);
    return values[0];
  });

describe('frame type lists', () => {
  it('SERVER_FRAME_TYPES equals the ServerFrame union discriminators', () => {
    assert.deepEqual([...P.SERVER_FRAME_TYPES], discriminators(P.ServerFrame));
  });

  it('LOGGED_EVENT_TYPES equals the SessionEvent union discriminators', () => {
    assert.deepEqual([...P.LOGGED_EVENT_TYPES], discriminators(P.SessionEvent));
  });

  it('CLIENT_FRAME_TYPES equals the ClientFrame union discriminators', () => {
    // ui_action is itself a union (by action): read the discriminator values zod collected.
    assert.deepEqual([...P.CLIENT_FRAME_TYPES], [...(P.ClientFrame._zod.propValues.type ?? [])]);
  });

  it('shared/protocol.ts re-exports the zod-free constants of shared/wire.ts (one copy)', () => {
    assert.equal(P.SERVER_FRAME_TYPES, wire.SERVER_FRAME_TYPES);
    assert.equal(P.CloseCode, wire.CloseCode);
  });
});

describe("the widget's frame envelope guard", () => {
  const event = { type: 'quote_selected', seq: 3, ts: '2026-11-26T10:00:00.000Z', session_id: 'ses_1', quote_id: 'q1', by: 'ui' };

  it('accepts every frame the ServerFrame schema accepts', () => {
    const frames = [
      event,
      { type: 'welcome', session_id: 'ses_1', connection_id: 'c1', resumed: false, heartbeat_ms: 10000, server_time: '2026-11-26T10:00:00.000Z' },
      { type: 'snapshot', seq: 0, state: initialState('ses_1') },
      { type: 'ack', client_msg_id: 'ui-1' },
      { type: 'pong', id: 'hb-1', server_time: '2026-11-26T10:00:00.000Z' },
      { type: 'error', code: 'bad_frame', message: 'no', retryable: false },
    ];
    for (const frame of frames) {
      assert.ok(P.ServerFrame.safeParse(frame).success, frame.type);
      assert.equal(wire.serverFrame(frame, 'ses_1'), frame, frame.type);
    }
  });

  it('refuses bad envelopes', () => {
    for (const bad of [null, 'x', 42, [], {}, { type: 'hello' }, { type: 'nope' }, { type: 7 }]) {
      assert.equal(wire.serverFrame(bad, 'ses_1'), null, JSON.stringify(bad));
    }
    for (const seq of [0, -1, 1.5, '3', undefined]) assert.equal(wire.serverFrame({ ...event, seq }, 'ses_1'), null, `seq ${seq}`);
    assert.equal(wire.serverFrame(event, 'ses_2'), null, 'another session');
    assert.equal(wire.serverFrame({ type: 'snapshot', seq: -1, state: {} }, 'ses_1'), null);
    assert.equal(wire.serverFrame({ type: 'snapshot', seq: 1, state: null }, 'ses_1'), null);
  });
});

describe("the reducer's tool error code (a plain check instead of ToolErrorData)", () => {
  const failed = (data: unknown) =>
    reduce(initialState('ses_1'), {
      type: 'client_tool_result',
      seq: 1,
      ts: '2026-11-26T10:00:00.000Z',
      session_id: 'ses_1',
      tool_call_id: 'c1',
      tool_name: 'get_shipping_quotes',
      is_error: true,
      result: 'no',
      data,
    }).last_error?.code;

  it('agrees with ToolErrorData for every data the BFF sends', () => {
    for (const data of [{ code: 'invalid_zip' }, { code: 'no_rates', field: 'to_zip' }, {}, null, undefined, 'x', { code: 3 }]) {
      const parsed = ToolErrorData.safeParse(data);
      assert.equal(failed(data), parsed.success ? parsed.data.code : 'internal', JSON.stringify(data));
    }
  });
});
