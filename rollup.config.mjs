// Builds <shipvox-companion>:
//   dist/widget/shipvox-companion.js  one self-contained, minified IIFE for a plain <script src>
//                                     (also fine as type=module); budget 24 KB gzip (scripts/size.mjs)
//   dist/npm/shipvox-companion.js     ES module with lit, zod, motion, reconnecting-websocket external
//   dist/npm/types/                   .d.ts from tsc (widget/tsconfig.build.json)
// The lazily loaded ElevenLabs voice bridge will be a third entry here (an ES chunk the IIFE
// loads with import() on demand), outside the script-tag budget.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

const input = 'widget/index.ts';
// Lit's production build: no `development` condition.
const resolve = () => nodeResolve({ browser: true, exportConditions: ['browser', 'production', 'module', 'import', 'default'], extensions: ['.mjs', '.js', '.ts', '.json'] });
const ts = () => esbuild({ target: 'es2021', tsconfig: 'tsconfig.json', loaders: { '.ts': 'ts' } });

// The shared schema modules only define zod schemas (and register descriptions for the BFF's tool
// docs): the widget uses their types, never their values, so they may be dropped when unused.
// Without this, shared/session.ts's re-export of the SessionState schema drags zod in.
const treeshake = { moduleSideEffects: (id) => !/[\\/]shared[\\/](tools|session-state|protocol)\.ts$/.test(id) };

/** Fails the script-tag build if zod is bundled (no validation library at runtime in the widget). */
function noZod() {
  return {
    name: 'shipvox-no-zod',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        const zod = chunk.type === 'chunk' && Object.keys(chunk.modules).filter((id) => /[\\/]node_modules[\\/]zod[\\/]/.test(id) && chunk.modules[id].renderedLength > 0);
        if (zod?.length) this.error(`zod ended up in ${chunk.fileName} (${zod.length} modules, e.g. ${zod[0]}); import shared schemas as types only`);
      }
    },
  };
}

function onwarn(warning, warn) {
  // zod marks some calls /*#__PURE__*/ where rollup cannot keep the annotation; harmless.
  if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
  if (warning.code === 'INVALID_ANNOTATION' && /zod/.test(warning.id ?? '')) return;
  warn(warning);
}

/** Emits declarations and points their relative imports at .js (what the ES build ships). */
function declarations() {
  return {
    name: 'shipvox-declarations',
    writeBundle() {
      execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'widget/tsconfig.build.json'], { stdio: 'inherit' });
      const walk = (dir) => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          if (statSync(path).isDirectory()) walk(path);
          else if (path.endsWith('.d.ts')) {
            writeFileSync(path, readFileSync(path, 'utf8').replace(/(from\s+'|import\(')(\.{1,2}\/[^']+)\.ts'/g, "$1$2.js'"));
          }
        }
      };
      walk('dist/npm/types');
    },
  };
}

export default [
  {
    input,
    output: {
      file: 'dist/widget/shipvox-companion.js',
      format: 'iife',
      name: 'ShipvoxCompanion',
      inlineDynamicImports: true,
      sourcemap: true,
    },
    plugins: [
      resolve(),
      ts(),
      terser({ ecma: 2021, compress: { passes: 2 }, format: { comments: false } }),
      noZod(),
    ],
    treeshake,
    onwarn,
  },
  {
    input,
    external: (id) => /^(lit|@lit\/|lit-html|lit-element|zod|motion|reconnecting-websocket)(\/|$)/.test(id),
    output: { file: 'dist/npm/shipvox-companion.js', format: 'es', sourcemap: true },
    plugins: [resolve(), ts(), declarations()],
    treeshake,
    onwarn,
  },
];
