/**
 * The conversation stand-in is as strict as the real service where it matters to us: signed URLs
 * only, `convai` subprotocol, metadata with the audio formats first, pings, every client frame
 * checked against `@elevenlabs/types` (an `error` frame, then 1008, for a malformed one), and a
 * tool turn framed as the service frames it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import type { ServiceFrame } from '../../bff/local-bob/convai-contract.ts';
import { startConvaiStandIn, type ConvaiStandIn } from '../helpers/convai-standin.ts';

type Next = <K extends ServiceFrame['type']>(type: K) => Promise<Extract<ServiceFrame, { type: K }>>;

/** A raw client of the stand-in; what it receives is typed by the contract. */
function open(url: string): Promise<{ ws: WebSocket; frames: ServiceFrame[]; closed: Promise<number>; next: Next }> {
  const ws = new WebSocket(url, ['convai']);
  const frames: ServiceFrame[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (d) => {
    frames.push(JSON.parse(String(d)) as ServiceFrame);
    for (const w of waiters.splice(0)) w();
  });
  let isClosed = false;
  const closed = new Promise<number>((r) =>
    ws.on('close', (code) => {
      isClosed = true;
      for (const w of waiters.splice(0)) w();
      r(code);
    }),
  );
  const next: Next = async (type) => {
    for (;;) {
      const hit = frames.find((f): f is Extract<ServiceFrame, { type: typeof type }> => f.type === type);
      if (hit) return hit;
      if (isClosed) throw new Error(`closed before a ${type} frame`);
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, frames, closed, next }));
    ws.once('error', reject);
  });
}

test('convai stand-in: metadata, ping, a tool turn as the service sends it, contextual update; error frame then 1008 for an object result', async (t) => {
  const standIn: ConvaiStandIn = await startConvaiStandIn({ pingMs: 50 });
  t.after(() => standIn.close());

  const c = await open(`${standIn.url}?agent_id=agent_x&conversation_signature=sig_1`);
  assert.equal(c.ws.protocol, 'convai');
  c.ws.send(JSON.stringify({ type: 'conversation_initiation_client_data', dynamic_variables: { session_id: 'ses_1' } }));
  const meta = await c.next('conversation_initiation_metadata');
  assert.equal(meta.conversation_initiation_metadata_event.agent_output_audio_format, 'pcm_16000');
  assert.equal(meta.conversation_initiation_metadata_event.user_input_audio_format, 'pcm_16000');
  const ping = await c.next('ping');
  c.ws.send(JSON.stringify({ type: 'pong', event_id: ping.ping_event.event_id }));
  c.ws.send(JSON.stringify({ user_audio_chunk: 'AAAA' }));

  const conversation = await standIn.conversation(0);
  assert.equal(conversation.init?.dynamic_variables?.session_id, 'ses_1');
  const pending = conversation.callTool('get_shipping_quotes', { to_zip: '94105' });
  const request = await c.next('agent_tool_request');
  const call = await c.next('client_tool_call');
  assert.equal(call.client_tool_call.tool_name, 'get_shipping_quotes');
  assert.deepEqual(request.agent_tool_request, { tool_name: 'get_shipping_quotes', tool_call_id: call.client_tool_call.tool_call_id, tool_type: 'client', event_id: request.agent_tool_request.event_id });
  c.ws.send(JSON.stringify({ type: 'client_tool_result', tool_call_id: call.client_tool_call.tool_call_id, result: 'Option 1: …', is_error: true }));
  assert.equal((await pending).result, 'Option 1: …');
  const response = await c.next('agent_tool_response');
  assert.equal(response.agent_tool_response.tool_call_id, call.client_tool_call.tool_call_id);
  assert.equal(response.agent_tool_response.is_error, true, 'agent_tool_response carries the client\'s is_error');
  assert.equal(response.agent_tool_response.is_called, true);
  conversation.say('Option 1 is USPS Ground Advantage at $8.20.');
  conversation.interrupt('Option 1 is USPS');
  const said = await c.next('agent_response');
  assert.equal(said.agent_response_event.agent_response, 'Option 1 is USPS Ground Advantage at $8.20.');
  assert.equal(typeof (await c.next('interruption')).interruption_event.event_id, 'number');
  const correction = (await c.next('agent_response_correction')).agent_response_correction_event;
  assert.deepEqual([correction.original_agent_response, correction.corrected_agent_response], ['Option 1 is USPS Ground Advantage at $8.20.', 'Option 1 is USPS']);
  const ids = c.frames.flatMap((f) => Object.values(f).flatMap((v) => (v && typeof v === 'object' && 'event_id' in v ? [(v as { event_id: number }).event_id] : [])));
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'event ids rise');
  c.ws.send(JSON.stringify({ type: 'contextual_update', text: 'The shopper selected option 1.' }));
  assert.equal((await conversation.waitFor('contextual_update')).text, 'The shopper selected option 1.');
  assert.equal(conversation.audioChunks, 1);
  assert.equal(conversation.frames.some((f) => 'user_audio_chunk' in f), false, 'audio is not recorded');

  // An object instead of a string: the real service closes with 1008 "Invalid message received".
  const second = conversation.callTool('create_label', { quote_id: 'q_1' });
  // callTool sends its frames at once: the stand-in's record of what it sent names the call.
  const call2 = conversation.sent.filter((f) => f.type === 'client_tool_call').at(-1)!;
  c.ws.send(JSON.stringify({ type: 'client_tool_result', tool_call_id: call2.client_tool_call.tool_call_id, result: { label: 'x' }, is_error: false }));
  assert.equal(await c.closed, 1008);
  assert.deepEqual(c.frames.at(-1), {
    type: 'error',
    error_event: { code: 1008, error_type: 'invalid_message', message: 'Invalid message received: client_tool_result (result)' },
  });
  await assert.rejects(second, /closed \(1008/);
});

/** Frames the contract refuses, each with the fields the service names. */
const MALFORMED: Array<[string, string, RegExp]> = [
  ['not JSON', '{"type":', /not JSON/],
  ['an array', '[1]', /not an object/],
  ['an unknown type', JSON.stringify({ type: 'client_tool_answer', tool_call_id: 'c', result: 'x', is_error: false }), /unknown type "client_tool_answer"/],
  ['a tool result without is_error', JSON.stringify({ type: 'client_tool_result', tool_call_id: 'c', result: 'x' }), /client_tool_result \(is_error\)/],
  ['a tool result with a number id', JSON.stringify({ type: 'client_tool_result', tool_call_id: 7, result: 'x', is_error: false }), /client_tool_result \(tool_call_id\)/],
  ['a contextual update without text', JSON.stringify({ type: 'contextual_update', context_id: 'choice' }), /contextual_update \(text\)/],
  ['a pong without its event id', JSON.stringify({ type: 'pong' }), /pong \(event_id\)/],
  ['feedback with another score', JSON.stringify({ type: 'feedback', event_id: 3, score: 'love' }), /feedback \(score\)/],
  ['an audio chunk that is not a string', JSON.stringify({ user_audio_chunk: 12 }), /audio \(user_audio_chunk\)/],
];

for (const [what, text, message] of MALFORMED) {
  test(`convai stand-in: ${what} gets an error frame (1008, invalid_message) and then the 1008 close`, async (t) => {
    const standIn = await startConvaiStandIn();
    t.after(() => standIn.close());
    const c = await open(`${standIn.url}?agent_id=agent_x&conversation_signature=sig_1`);
    c.ws.send(JSON.stringify({ type: 'conversation_initiation_client_data', dynamic_variables: { session_id: 'ses_1' } }));
    await c.next('conversation_initiation_metadata');
    c.ws.send(text);
    const error = await c.next('error');
    assert.equal(error.error_event.code, 1008);
    assert.equal(error.error_event.error_type, 'invalid_message');
    assert.match(error.error_event.message ?? '', message);
    assert.equal(await c.closed, 1008);
    assert.equal((await standIn.conversation(0)).frames.length, 1, 'the malformed frame was not taken');
  });
}

test('convai stand-in: refuses a conversation without a signed URL, and a first frame that is not the initiation', async (t) => {
  const standIn = await startConvaiStandIn();
  t.after(() => standIn.close());
  const unsigned = await open(`${standIn.url}?agent_id=agent_x`);
  assert.equal(await unsigned.closed, 1008);
  const rude = await open(`${standIn.url}?agent_id=agent_x&conversation_signature=sig_2`);
  rude.ws.send(JSON.stringify({ type: 'user_message', text: 'hi' }));
  assert.equal((await rude.next('error')).error_event.error_type, 'missing_fields');
  assert.equal(await rude.closed, 1008);
});
