/**
 * The conversation stand-in is as strict as the real service where it matters to us: signed URLs
 * only, `convai` subprotocol, metadata with the audio formats first, pings, and 1008 for a
 * client_tool_result whose result is not a string.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebSocket } from 'ws';
import { startConvaiStandIn, type ConvaiStandIn } from '../helpers/convai-standin.ts';

function open(url: string): Promise<{ ws: WebSocket; frames: any[]; closed: Promise<number>; next(type: string): Promise<any> }> {
  const ws = new WebSocket(url, ['convai']);
  const frames: any[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (d) => {
    frames.push(JSON.parse(String(d)));
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  const next = async (type: string) => {
    for (;;) {
      const hit = frames.find((f) => f.type === type);
      if (hit) return hit;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, frames, closed, next }));
    ws.once('error', reject);
  });
}

test('convai stand-in: metadata, ping, tool call and result, contextual update; 1008 for an object result', async (t) => {
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
  assert.equal(conversation.init.dynamic_variables.session_id, 'ses_1');
  const pending = conversation.callTool('get_shipping_quotes', { to_zip: '94105' });
  const call = await c.next('client_tool_call');
  assert.equal(call.client_tool_call.tool_name, 'get_shipping_quotes');
  c.ws.send(JSON.stringify({ type: 'client_tool_result', tool_call_id: call.client_tool_call.tool_call_id, result: 'Option 1: …', is_error: false }));
  assert.equal((await pending).result, 'Option 1: …');
  c.ws.send(JSON.stringify({ type: 'contextual_update', text: 'The shopper selected option 1.' }));
  assert.equal((await conversation.waitFor((f) => f.type === 'contextual_update')).text, 'The shopper selected option 1.');
  assert.equal(conversation.audioChunks, 1);
  assert.equal(conversation.frames.some((f) => 'user_audio_chunk' in f), false, 'audio is not recorded');

  // An object instead of a string: the real service closes with 1008 "Invalid message received".
  const second = conversation.callTool('create_label', { quote_id: 'q_1' });
  const call2 = (await (async () => {
    for (;;) {
      const calls = c.frames.filter((f) => f.type === 'client_tool_call');
      if (calls.length === 2) return calls[1];
      await new Promise((r) => setImmediate(r));
    }
  })()) as any;
  c.ws.send(JSON.stringify({ type: 'client_tool_result', tool_call_id: call2.client_tool_call.tool_call_id, result: { label: 'x' }, is_error: false }));
  assert.equal(await c.closed, 1008);
  await assert.rejects(second, /closed \(1008/);
});

test('convai stand-in: refuses a conversation without a signed URL, and a first frame that is not the initiation', async (t) => {
  const standIn = await startConvaiStandIn();
  t.after(() => standIn.close());
  const unsigned = await open(`${standIn.url}?agent_id=agent_x`);
  assert.equal(await unsigned.closed, 1008);
  const rude = await open(`${standIn.url}?agent_id=agent_x&conversation_signature=sig_2`);
  rude.ws.send(JSON.stringify({ type: 'user_message', text: 'hi' }));
  assert.equal(await rude.closed, 1008);
});
