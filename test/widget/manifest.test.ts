/**
 * custom-elements.json is what `npm run manifest` makes of the source today, lists attributes and
 * events a page can use (no internal state, no event called "type"), and documents every --shipvox-*
 * property the styles read and every part <shipvox-companion> exposes.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

interface Declaration {
  name: string;
  tagName?: string;
  customElement?: boolean;
  attributes?: { name: string; fieldName?: string }[];
  events?: { name?: string }[];
  cssProperties?: { name: string }[];
  cssParts?: { name: string }[];
}
const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8')) as { modules: { declarations?: Declaration[] }[] };
const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement);
const companion = elements.find((d) => d.tagName === 'shipvox-companion')!;

function widgetSources(dir = 'widget'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path.endsWith('test') ? [] : widgetSources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

test('custom-elements.json is up to date with npm run manifest', () => {
  // The analyzer takes --outdir relative to the working directory.
  mkdirSync('.tmp', { recursive: true });
  const out = relative(process.cwd(), mkdtempSync(join('.tmp', 'cem-')));
  const script = JSON.parse(readFileSync('package.json', 'utf8')).scripts.manifest as string;
  const args = [...script.matchAll(/--\w+(?: "[^"]*")?/g)].flatMap((m) => m[0].split(/ (?=")/)).map((a) => a.replace(/^"|"$/g, ''));
  // The project's config, without its default of pointing package.json's customElements at the output.
  writeFileSync(join(out, 'config.mjs'), "import base from '../../custom-elements-manifest.config.mjs';\nexport default { ...base, packagejson: false };\n");
  const packageJson = readFileSync('package.json', 'utf8');
  execFileSync(process.execPath, ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', ...args, '--config', join(out, 'config.mjs'), '--outdir', out], { stdio: 'pipe' });
  assert.equal(readFileSync('package.json', 'utf8'), packageJson, 'the check leaves package.json alone');
  const fresh = JSON.parse(readFileSync(join(out, 'custom-elements.json'), 'utf8'));
  rmSync(out, { recursive: true, force: true });
  // The analyzer's module order follows the file system's listing: compare module by module.
  const byPath = (m: { modules: { path: string }[] }) => Object.fromEntries(m.modules.map((mod) => [mod.path, mod]));
  assert.deepEqual(byPath(fresh), byPath(manifest as never), 'run npm run manifest and commit custom-elements.json');
});

test('attributes are attributes (no internal state) and events have their real names', () => {
  for (const el of elements) {
    for (const attr of el.attributes ?? []) assert.match(attr.name, /^[a-z][a-z-]*$/, `${el.name} attribute ${attr.name}`);
    for (const event of el.events ?? []) assert.match(event.name ?? '(unnamed)', /^[a-z]+(-[a-z]+)+$/, `${el.name} event ${event.name}`);
  }
  assert.deepEqual(
    companion.attributes!.map((a) => a.name).sort(),
    ['compact', 'dev-console', 'dev-shortcut', 'endpoint', 'expanded', 'locale', 'publishable-key', 'session-token', 'storage-key', 'strings', 'theme', 'voice', 'voice-agent', 'voice-language'].sort(),
  );
});

test('every --shipvox-* property the styles read is documented on <shipvox-companion>', () => {
  const used = new Set(widgetSources().flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/var\((--shipvox-[\w-]+)/g)].map((m) => m[1]!)));
  const documented = new Set(companion.cssProperties!.map((p) => p.name));
  assert.ok(used.has('--shipvox-focus-ring'));
  assert.deepEqual([...used].filter((p) => !documented.has(p)), []);
});

test('every part <shipvox-companion> exposes is documented', () => {
  const source = readFileSync('widget/shipvox-companion.ts', 'utf8');
  const template = source.slice(source.indexOf('override render()'));
  const own = [...template.matchAll(/\spart="([\w-]+)"/g)].map((m) => m[1]!);
  const exported = [...template.matchAll(/exportparts="([^"]+)"/g)].flatMap((m) => m[1]!.split(',').map((p) => p.split(':').pop()!.trim()));
  const documented = new Set(companion.cssParts!.map((p) => p.name));
  assert.deepEqual([...new Set([...own, ...exported])].filter((p) => !documented.has(p)), []);
});
