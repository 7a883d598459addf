/**
 * Webhook mode as ElevenLabs runs it: the body holds only the properties of the generated
 * request_body_schema (LLM-filled ones plus the session_id and system__conversation_id dynamic
 * variables), the Authorization header is the workspace secret's value.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { webhookToolConfig } from '../../bff/agent/tool-configs.ts';
import type { RunningServer } from '../../bff/server.ts';
import type { ToolName } from '../../shared/tools.ts';
import { AGENT_SECRET, newSession, startBff, TestClient, businessRecipient } from '../helpers/bff.ts';

let bff: RunningServer;
before(async () => (bff = await startBff()));
after(() => bff.close());

/** What ElevenLabs would send: the schema's properties only, dynamic variables resolved. */
function elevenLabsCall(tool: ToolName, llm: Record<string, unknown>, vars: Record<string, string>) {
  const cfg = webhookToolConfig(tool, { publicUrl: bff.url, secretId: 'sec_x' });
  const body: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(cfg.api_schema.request_body_schema.properties)) {
    if (prop.dynamic_variable) body[key] = vars[prop.dynamic_variable];
    else if (key in llm) body[key] = llm[key];
  }
  for (const r of cfg.api_schema.request_body_schema.required) assert.ok(body[r] !== undefined, `${tool}: ${r} is filled`);
  return fetch(cfg.api_schema.url, {
    method: cfg.api_schema.method,
    headers: { 'content-type': cfg.api_schema.content_type, authorization: `Bearer ${AGENT_SECRET}` },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));
}

it('the body ElevenLabs builds from the generated configs drives the whole flow; the screen follows by session_id', async () => {
  const s = await newSession(bff);
  const ui = await TestClient.join(bff, s, 'ui');
  const vars = { session_id: s.session_id, system__conversation_id: 'conv_01jx' };
  // No from_zip: it ships from the account's address.
  const quotes = await elevenLabsCall('get_shipping_quotes', { to_zip: '98101', weight: 5, weight_unit: 'lb' }, vars);
  assert.equal(quotes.status, 200);
  assert.equal(quotes.json.error, undefined, quotes.json.result);
  const to = await elevenLabsCall('set_recipient_address', { ...businessRecipient('98101') }, vars);
  assert.match(to.json.result, /the address checks out/);
  const summary = await elevenLabsCall('create_label', { quote_id: quotes.json.options[0].quote_id }, vars);
  assert.match(summary.json.result, /please confirm/);
  const label = await elevenLabsCall('create_label', { quote_id: quotes.json.options[0].quote_id, confirmed: true }, vars);
  assert.match(label.json.result, /^Label created, downloading now\./);
  const state = await elevenLabsCall('get_session_state', {}, vars);
  assert.match(state.json.result, /The label is ready/);
  await ui.waitFor((f) => f.type === 'label_created');
  assert.equal(await bff.companion.services.sessions.getRecord(`conversation:${s.session_id}`), 'conv_01jx');
  ui.close();
});

/**
 * Bob as the LLM is: he knows only the result strings he heard and the dynamic variables. He
 * picks "option 2" from the sentence and buys it by that number; every error is flagged.
 */
it('Bob buys from what he heard: quote → "option 2" → label, from the result strings and dynamic variables alone', async () => {
  const purchasedBefore = bff.simulator!.sim.stats().labels_purchased;
  const s = await newSession(bff);
  const ui = await TestClient.join(bff, s, 'ui');
  const vars = { session_id: s.session_id, system__conversation_id: 'conv_heard' };
  const heard = (await elevenLabsCall('get_shipping_quotes', { to_zip: '98101', weight: 5, weight_unit: 'lb' }, vars)).json.result as string;
  const option2 = /Option 2: (USPS|UPS|FedEx) ([^,]+), (\$\d+\.\d\d),/.exec(heard);
  assert.ok(option2, heard);
  assert.match(heard, /use its option number/);
  await elevenLabsCall('set_recipient_address', { ...businessRecipient('98101') }, vars);
  // Bob reads the summary of option 2 as he heard it; the shopper's yes buys it.
  const summary = (await elevenLabsCall('create_label', { option: 2 }, vars)).json.result as string;
  assert.ok(summary.includes(`option 2, ${option2[1]} ${option2[2]}, ${option2[3]}`), summary);
  const bought = await elevenLabsCall('create_label', { option: 2, confirmed: true }, vars);
  assert.equal(bought.json.is_error, undefined, bought.json.result);
  assert.match(bought.json.result, new RegExp(`^Label created, downloading now\\. ${option2[1]} ${option2[2]!.replace(/[()]/g, '.')}, \\${option2[3]}\\.`));
  const screen = await bff.companion.services.sessions.state(s.session_id);
  assert.equal(screen.label!.quote_id, screen.quotes!.quotes.find((q) => q.option === 2)!.quote_id, 'the label is option 2 as on screen');
  // Asked again, the same option is not bought twice; a number not on screen is an error Bob can say.
  assert.match((await elevenLabsCall('create_label', { option: 2 }, vars)).json.result, /already created, so nothing was bought twice/);
  const s2 = await newSession(bff);
  const vars2 = { session_id: s2.session_id, system__conversation_id: 'conv_heard2' };
  await elevenLabsCall('get_shipping_quotes', { to_zip: '98101', weight: 5, weight_unit: 'lb' }, vars2);
  const wrong = await elevenLabsCall('create_label', { option: 99 }, vars2);
  assert.equal(wrong.json.is_error, true);
  assert.equal(wrong.json.error, 'quote_not_found');
  assert.match(wrong.json.result, /There is no option 99: the options on the screen go from 1 to \d+\./);
  assert.equal(bff.simulator!.sim.stats().labels_purchased - purchasedBefore, 1);
  ui.close();
});
