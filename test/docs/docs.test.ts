/**
 * The docs against the tree: README's layout names every folder (and no folder that is gone), and
 * no file cites a document outside the repository (the project's docs stand on their own).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, dirname, posix } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SELF = 'test/docs/docs.test.ts';

function trackedFiles(): string[] | null {
  try {
    return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  } catch {
    return null; // not a git checkout (an unpacked tarball, say): nothing to compare against
  }
}
const files = trackedFiles();
const skip = files ? false : 'not a git checkout';

/** The folders README's layout block names, as paths: `bff/` at the margin, `  agent/` under it. */
export function layoutFolders(readme: string): string[] {
  const section = readme.slice(readme.indexOf('## Layout'));
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const named: string[] = [];
  let parent = '';
  for (const line of block.split('\n')) {
    const m = /^( *)([\w.-]+)\/(?:\s|$)/.exec(line);
    if (!m) continue;
    if (m[1]!.length === 0) named.push((parent = m[2]!));
    else named.push(`${parent}/${m[2]}`);
  }
  return named;
}

/** Every folder holding a tracked file, two levels deep. */
function trackedFolders(paths: string[]): string[] {
  const folders = new Set<string>();
  for (const p of paths) {
    const parts = p.split('/').slice(0, -1);
    if (parts[0]) folders.add(parts[0]);
    if (parts[1]) folders.add(`${parts[0]}/${parts[1]}`);
  }
  return [...folders].sort();
}

const OUTSIDE = [
  /shared\/(design|reference)\b/,
  /\/work\//,
  /\b(PROTOCOL|ARCHITECTURE|STYLE)\.md\b/,
  /\bdesign (document|doc)\b/i,
  /\bthe seed\b|\bseed's\b/i, // the brief the project started from, not part of it
];
const TEXT = /\.(ts|mts|mjs|js|json|md|html|css|sh|ya?ml|toml)$|(^|\/)(Dockerfile|run)$/;

/** The places in `text` that point outside the repository: named outside documents, or a `.md` the tree does not have. */
export function outsideCitations(path: string, text: string, known: { files: Set<string>; names: Set<string> }): string[] {
  const hits: string[] = [];
  for (const pattern of OUTSIDE) {
    const m = new RegExp(pattern.source, `${pattern.flags}g`);
    for (const hit of text.matchAll(m)) hits.push(hit[0]);
  }
  for (const hit of text.matchAll(/[\w./@-]*[\w-]+\.md\b/g)) {
    const mention = hit[0];
    const fromFile = posix.normalize(posix.join(dirname(path), mention));
    const fromRoot = posix.normalize(mention.replace(/^\.\//, ''));
    if (known.files.has(fromFile) || known.files.has(fromRoot)) continue;
    const climbsOut = fromFile.startsWith('../') && fromRoot.startsWith('../');
    if (!climbsOut && known.names.has(basename(mention))) continue; // a file of ours named by its name (an output path, a sibling)
    hits.push(mention);
  }
  return [...new Set(hits)];
}

describe('the docs against the tree', { skip }, () => {
  it("README's layout names every folder of the repository, and only folders that exist", () => {
    const named = layoutFolders(readFileSync(`${ROOT}README.md`, 'utf8'));
    const tracked = trackedFolders(files!);
    assert.deepEqual(tracked.filter((f) => !named.includes(f)), [], 'folders missing from the layout');
    assert.deepEqual(named.filter((f) => !tracked.includes(f)), [], 'folders in the layout that are gone');
  });

  it('no file cites a document outside the repository', () => {
    const known = { files: new Set(files!), names: new Set(files!.map((f) => basename(f))) };
    const found: string[] = [];
    for (const path of files!) {
      if (path === SELF || path === 'package-lock.json' || !TEXT.test(path)) continue;
      for (const hit of outsideCitations(path, readFileSync(`${ROOT}${path}`, 'utf8'), known)) found.push(`${path}: ${hit}`);
    }
    assert.deepEqual(found, []);
  });

  it('the checks catch what they look for', () => {
    const known = { files: new Set(['docs/security.md', 'README.md']), names: new Set(['security.md', 'README.md']) };
    assert.deepEqual(outsideCitations('bff/x.ts', '// see ../shared/reference/elevenlabs.md §1.3', known), ['shared/reference', '../shared/reference/elevenlabs.md']);
    assert.deepEqual(outsideCitations('bff/x.ts', '// (shipping.md §2)', known), ['shipping.md']);
    assert.deepEqual(outsideCitations('docs/a.md', 'see [security.md](security.md) and the README.md', known), []);
    assert.deepEqual(layoutFolders('## Layout\n\n```\nbff/   x\n  ws/  y\nwidget/\n```\n'), ['bff', 'bff/ws', 'widget']);
  });
});
