import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ownCopy } from '../../bff/strings.ts';

it('ownCopy gives an equal string for any text, lone surrogates included', () => {
  const parsed = JSON.parse('{"jti":"a2V5LWZyb20tYS10aWNrZXQ","note":"caf\\u00e9 \\ud83d\\udce6","odd":"x\\ud800y"}') as Record<string, string>;
  for (const text of ['', 'ticket:' + parsed.jti, parsed.note!, parsed.odd!, 'ui_action:ses_1:m-1']) assert.equal(ownCopy(text), text);
});
