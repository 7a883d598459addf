// npm run deps:check — the dependency review that works without network (npm audit needs an
// advisory database these machines cannot reach). It checks, from package.json, package-lock.json
// and node_modules only:
//   1. lockfile: version 3; every package has a sha512 integrity; a `resolved` URL, when present,
//      is on registry.npmjs.org; no git, file, link or http(s) tarball sources in package.json;
//   2. installed tree = lockfile: `npm ls --all` reports nothing missing, invalid or extraneous;
//   3. install scripts: only the packages listed in package.json "allowScripts" have one;
//   4. advisory floors: packages with a published advisory (list below, reviewed by hand) are at
//      or above the fixed version on their major line;
//   5. the production image (`npm prune --omit=dev`, as the Dockerfile does): every package the
//      server imports (bff/, shared/) is in it, no devDependency is in it unless a production
//      package needs it, and every package in it has a permissive licence;
//   6. our own module graph (bff/, shared/, widget/): no import cycle that runs (type-only imports
//      are erased and may point back), and the lower layers import nothing above them: shared/
//      only shared/, the ShipVox client (bff/shipvox/) only itself and shared/; the sockets
//      (bff/ws/) carry frames and reach the tools only through the services (bff/services.ts).
// Prints what it checked and exits 1 on any problem.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const problems = [];
const notes = [];

// Advisories fixed in these versions (same major line); a version below is refused.
const ADVISORY_FLOORS = {
  ws: ['7.5.10', '8.17.1'], // CVE-2024-37890: a request with many headers crashes the server
  braces: ['3.0.3'], // CVE-2024-4068: memory exhaustion
  micromatch: ['4.0.8'], // CVE-2024-4067: ReDoS
  'cross-spawn': ['7.0.5'], // CVE-2024-21538: ReDoS
  semver: ['7.5.2'], // CVE-2022-25883: ReDoS
  nodemailer: ['6.9.9'], // GHSA-9h6g-pr28-7cqp: ReDoS in address parsing
  rollup: ['4.22.4'], // CVE-2024-47068: DOM clobbering in generated bundles
  cookie: ['0.7.0'], // CVE-2024-47764: out-of-bounds characters in names
  nanoid: ['3.3.8'], // CVE-2024-55565: non-integer sizes
  esbuild: ['0.25.0'], // GHSA-67mh-4wv8-2f99: dev server answers any origin
  hono: ['4.6.5'], // CVE-2024-48913: CSRF middleware bypass
};
const PERMISSIVE = /^(MIT|MIT-0|ISC|Apache-2\.0|BSD-2-Clause|BSD-3-Clause|0BSD|BlueOak-1\.0\.0|Unlicense|CC0-1\.0|Python-2\.0|Zlib)$/;
/** An SPDX expression is permissive when every AND part is, or (with OR) any alternative is. */
const permissive = (expr) => {
  const text = String(expr).replace(/[()]/g, ' ').trim();
  const alternatives = text.split(/\s+OR\s+/);
  return alternatives.some((alt) => alt.split(/\s+AND\s+/).every((id) => PERMISSIVE.test(id.trim())));
};

const cmp = (a, b) => {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] || 0) !== (pb[i] || 0)) return (pa[i] || 0) - (pb[i] || 0);
  return 0;
};
const nameOf = (path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

// 1. lockfile
if (lock.lockfileVersion !== 3) problems.push(`package-lock.json: lockfileVersion ${lock.lockfileVersion}, expected 3`);
const entries = Object.entries(lock.packages).filter(([path, v]) => path !== '' && !v.link);
for (const [path, v] of entries) {
  if (!v.integrity?.startsWith('sha512-')) problems.push(`${path}: no sha512 integrity in the lockfile`);
  if (v.resolved && !v.resolved.startsWith('https://registry.npmjs.org/')) problems.push(`${path}: resolved from ${v.resolved}`);
}
for (const [name, spec] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
  if (/^(git|file:|link:|https?:|github:)|\//.test(spec)) problems.push(`package.json: ${name} comes from ${spec}, not the registry`);
}
notes.push(`lockfile: ${entries.length} packages, all with sha512 integrity, registry sources only`);

// 2. installed tree matches the lockfile
let ls;
try {
  ls = JSON.parse(execFileSync('npm', ['ls', '--all', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 }));
} catch (err) {
  ls = JSON.parse(err.stdout || '{}');
  problems.push(`npm ls --all: ${String(err.stderr || err.message).split('\n').filter(Boolean).slice(0, 5).join('; ')}`);
}
for (const p of ls.problems ?? []) problems.push(`npm ls: ${p}`);
notes.push('npm ls --all: installed tree matches the lockfile (nothing missing, invalid or extraneous)');

// 3. install scripts
const allowed = new Set(Object.keys(pkg.allowScripts ?? {}));
for (const [path, v] of entries) if (v.hasInstallScript && !allowed.has(nameOf(path))) problems.push(`${path}: has an install script and is not in allowScripts`);
notes.push(`install scripts only in: ${[...new Set(entries.filter(([, v]) => v.hasInstallScript).map(([p]) => nameOf(p)))].join(', ')}`);

// 4. advisory floors
for (const [path, v] of entries) {
  const floors = ADVISORY_FLOORS[nameOf(path)];
  if (!floors) continue;
  const floor = floors.find((f) => f.split('.')[0] === v.version.split('.')[0] && (f.split('.')[0] !== '0' || f.split('.')[1] === v.version.split('.')[1]));
  if (floor && cmp(v.version, floor) < 0) problems.push(`${path}@${v.version}: below ${floor}, which fixes a published advisory`);
}
notes.push(`advisory floors: ${Object.keys(ADVISORY_FLOORS).join(', ')}`);

// 5. the production image
const prod = entries.filter(([, v]) => !v.dev);
const prodNames = new Set(prod.map(([p]) => nameOf(p)));
const dev = new Set(Object.keys(pkg.devDependencies ?? {}));
const serverImports = new Set();
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) walk(file);
    else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^\s*import[^'"]*from\s+'([^.'][^']*)'|^\s*(?:const|await)[^\n]*import\('([^.'][^']*)'\)/gm)) {
        const spec = m[1] ?? m[2];
        if (spec.startsWith('node:')) continue;
        serverImports.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
      }
    }
  }
};
walk(join(root, 'bff'));
walk(join(root, 'shared'));
serverImports.add('tsx'); // the image runs node --import tsx
for (const name of serverImports) if (!prodNames.has(name)) problems.push(`the server imports ${name}, which npm prune --omit=dev removes`);
for (const name of dev) if (prodNames.has(name)) notes.push(`devDependency ${name} stays in the image: a production package needs it`);
for (const [path, v] of prod) {
  const license = v.license ?? JSON.parse(readFileSync(join(root, path, 'package.json'), 'utf8')).license;
  if (!permissive(license)) problems.push(`${path}: licence ${license} is not on the permissive list`);
}
const unusedByServer = Object.keys(pkg.dependencies).filter((n) => !serverImports.has(n));
notes.push(`production image: ${prod.length} packages, permissive licences; server imports ${[...serverImports].sort().join(', ')}`);
if (unusedByServer.length) notes.push(`in the image for the widget build's npm output only (not loaded by the server): ${unusedByServer.join(', ')}`);

// 6. our own module graph
const LAYERS = { 'shared/': ['shared/'], 'bff/shipvox/': ['bff/shipvox/', 'shared/'] };
const APART = { 'bff/ws/': ['bff/tools/'] };
const graph = new Map();
const sources = (dir) =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'test' || e.name === 'node_modules' ? [] : sources(path);
    return /\.ts$/.test(e.name) && !/\.(test|d)\.ts$/.test(e.name) ? [path] : [];
  });
for (const file of ['bff', 'shared', 'widget'].flatMap(sources)) {
  const text = readFileSync(join(root, file), 'utf8');
  const imports = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'(\.[^']+)'|import\('(\.[^']+)'\)/gm)) {
    const target = relative(root, resolve(root, dirname(file), m[2] ?? m[3]));
    imports.push({ target, runtime: !m[1] });
    const layer = Object.keys(LAYERS).find((l) => file.startsWith(l));
    if (layer && !LAYERS[layer].some((allowed) => target.startsWith(allowed))) problems.push(`${file} imports ${target}: ${layer} may import only ${LAYERS[layer].join(' and ')}`);
    for (const [from, never] of Object.entries(APART)) {
      if (file.startsWith(from) && never.some((n) => target.startsWith(n))) problems.push(`${file} imports ${target}: ${from} must not import ${never.join(' or ')}`);
    }
  }
  graph.set(file, imports);
}
const visiting = new Set();
const visited = new Set();
const cycles = [];
const visit = (file, path) => {
  if (visiting.has(file)) return void cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
  if (visited.has(file) || !graph.has(file)) return;
  visiting.add(file);
  for (const { target, runtime } of graph.get(file)) if (runtime) visit(target, [...path, file]);
  visiting.delete(file);
  visited.add(file);
};
for (const file of graph.keys()) visit(file, []);
for (const c of cycles) problems.push(`import cycle: ${c}`);
notes.push(`module graph: ${graph.size} modules, no import cycle, ${Object.keys(LAYERS).join(' and ')} import only their own layer and below, ${Object.entries(APART).map(([a, b]) => `${a} nothing from ${b.join(' or ')}`).join(', ')}`);

for (const n of notes) console.log(`deps: ${n}`);
for (const p of problems) console.log(`deps: PROBLEM ${p}`);
console.log(`deps: ${problems.length === 0 ? 'ok' : `${problems.length} problem(s)`}`);
process.exit(problems.length === 0 ? 0 : 1);
