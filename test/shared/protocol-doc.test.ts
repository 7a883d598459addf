import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { DOC_PATH, generatedSection, withGenerated } from '../../scripts/protocol-doc.ts';
import { ClientFrame, ServerFrame, UiActionFrame } from '../../shared/protocol.ts';

it('docs/protocol.md matches the shared zod schemas (run npm run docs:protocol after a change)', () => {
  const doc = readFileSync(DOC_PATH, 'utf8');
  assert.equal(doc, withGenerated(doc));
});

it('documents every frame the unions accept: its own section, saying what it is for', () => {
  // The names as zod collected them from the unions' options, not from the lists the doc is made from.
  const values = (set: Set<unknown> | undefined) => [...(set ?? [])] as string[];
  const frames = [
    ...values(ClientFrame._zod.propValues.type),
    ...values(UiActionFrame._zod.propValues.action).map((action) => `ui_action ${action}`),
    ...values(ServerFrame._zod.propValues.type),
  ];
  assert.ok(frames.length >= 30, `${frames.length} frames`);
  const doc = generatedSection();
  for (const name of frames) {
    const at = doc.indexOf(`\n#### ${name}\n\n`);
    assert.ok(at >= 0, `no section for ${name}`);
    const firstLine = doc.slice(at).split('\n')[3] ?? '';
    assert.ok(firstLine.length > 10 && !firstLine.startsWith('```'), `${name} says nothing about what it is for`);
  }
});
