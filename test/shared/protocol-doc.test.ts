import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { DOC_PATH, withGenerated } from '../../scripts/protocol-doc.ts';

it('docs/protocol.md matches the shared zod schemas (run npm run docs:protocol after a change)', () => {
  const doc = readFileSync(DOC_PATH, 'utf8');
  assert.equal(doc, withGenerated(doc));
});
