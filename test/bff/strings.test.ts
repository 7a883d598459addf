import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { ownCopy } from '../../bff/strings.ts';

const TEXT_MB = 32;
const PROBE = 'OWN_COPY_PROBE';

/**
 * Run in a child of its own (with --expose-gc): builds a big text, keeps a map key made from a
 * piece of it (cut the ways request handling cuts: slice, split, a template literal around it),
 * drops the text, collects garbage and prints how much of the heap stayed.
 */
function probe(keep: 'own_copy' | 'as_is'): void {
  const gc = (globalThis as { gc?: () => void }).gc!;
  const keys = new Map<string, number>();
  const fill = (): void => {
    const text = `${'x'.repeat(TEXT_MB << 20)}, 203.0.113.${Math.floor(Math.random() * 200)}.a2V5LWZyb20tYS10aWNrZXQ${Math.random()}`;
    const pieces = [text.slice(-40), text.split(',').at(-1)!.trim(), `ticket:${text.slice(-30)}`];
    for (const piece of pieces) keys.set(keep === 'own_copy' ? ownCopy(piece) : piece, 1);
  };
  gc();
  const before = process.memoryUsage().heapUsed;
  fill();
  gc();
  gc();
  console.log(`retained_mb=${((process.memoryUsage().heapUsed - before) / 1048576).toFixed(2)} keys=${keys.size}`);
}

function retainedMb(keep: 'own_copy' | 'as_is'): number {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, [PROBE]: keep },
    encoding: 'utf8',
  });
  const m = /retained_mb=(-?[\d.]+) keys=3/.exec(out);
  assert.ok(m, `probe printed: ${out}`);
  return Number(m[1]);
}

if (process.env[PROBE]) {
  probe(process.env[PROBE] as 'own_copy' | 'as_is');
} else {
  it('ownCopy gives an equal string for any text, lone surrogates included', () => {
    const parsed = JSON.parse('{"jti":"a2V5LWZyb20tYS10aWNrZXQ","note":"caf\\u00e9 \\ud83d\\udce6","odd":"x\\ud800y"}') as Record<string, string>;
    for (const text of ['', 'ticket:' + parsed.jti, parsed.note!, parsed.odd!, 'ui_action:ses_1:m-1']) assert.equal(ownCopy(text), text);
  });

  it('a key made with ownCopy does not keep the text it was cut from alive (a piece kept as is does)', () => {
    const asIs = retainedMb('as_is');
    assert.ok(asIs > TEXT_MB * 0.9, `control: a slice kept as is holds the ${TEXT_MB} MB text (${asIs} MB)`);
    const own = retainedMb('own_copy');
    assert.ok(own < 2, `ownCopy keys hold ${own} MB`);
  });
}
