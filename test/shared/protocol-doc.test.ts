import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { DOC_PATH, withGenerated } from '../../scripts/protocol-doc.ts';
import { ClientFrame, ServerFrame, UiActionFrame } from '../../shared/protocol.ts';
import { TOOL_NAMES } from '../../shared/tools.ts';

it('docs/protocol.md matches the shared zod schemas (run npm run docs:protocol after a change)', () => {
  const doc = readFileSync(DOC_PATH, 'utf8');
  assert.equal(doc, withGenerated(doc));
});

it("docs/protocol.md's prose has a table row for every frame, ui_action, logged event and tool of the shared lists", () => {
  const doc = readFileSync(DOC_PATH, 'utf8');
  const prose = doc.slice(0, doc.indexOf('<!-- generated:start'));
  const rows = new Set([...prose.matchAll(/^\| `([a-z_]+)`/gm)].map((m) => m[1]));
  const named = [
    ...ClientFrame.options.map((o) => ('shape' in o ? o.shape.type.value : 'ui_action')), // ui_action is a union of its own
    ...UiActionFrame.options.map((o) => o.shape.action.value),
    ...ServerFrame.options.map((o) => o.shape.type.value),
    ...TOOL_NAMES,
  ];
  assert.deepEqual([...new Set(named)].filter((n) => !rows.has(n)), []);
});
