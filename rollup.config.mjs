// Builds <shipvox-companion>:
//   dist/widget/shipvox-companion.js  one self-contained, minified IIFE for a plain <script src>
//                                     (also fine as type=module); budget 24 KB gzip (scripts/size.mjs)
//   dist/npm/shipvox-companion.js     ES module with lit external
// No zod in either: the widget imports the shared schemas as types only (noZod() enforces it).
//   dist/npm/types/                   .d.ts from tsc (widget/tsconfig.build.json)
//   dist/widget/shipvox-voice.js      SDK mode's ES chunk (@elevenlabs/client, WebSocket only: livekit-client
//                                     aliased to a stub); the IIFE import()s it on the first mic click.
//                                     Budget 25 KB gzip, outside the script-tag budget (scripts/size.mjs).
//   dist/widget/shipvox-<part>.js     the script-tag bundle's other lazily loaded ES chunks (LAZY_CHUNKS,
//                                     widget/chunks.ts): motion's animate, the language packs, download/print,
//                                     the developer console (with a Lit of its own), the conversation panel (transcript and
//                                     text box; Lit from the IIFE), the shipment's elements.
//   dist/widget/shipvox-attach.js     attach mode's ES chunk (the check of the page's <elevenlabs-convai>),
//                                     import()ed when a widget has voice-agent. Budget 2 KB gzip.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

const input = 'widget/index.ts';
/** The script-tag bundle leaves out what its chunks define (widget/script-tag.ts). */
const scriptTagInput = 'widget/script-tag.ts';
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

/** Production builds of dependencies that check process.env.NODE_ENV (motion's dev warnings). */
function productionEnv() {
  return {
    name: 'shipvox-production-env',
    transform(code, id) {
      if (!id.includes('node_modules') || !code.includes('process.env.NODE_ENV')) return null;
      return { code: code.replaceAll('process.env.NODE_ENV', '"production"'), map: null };
    },
  };
}

/**
 * Drops the indentation inside css``/html``/svg`` templates (and the blanks around CSS
 * punctuation). Lines are kept, so the sourcemap still holds (map: null keeps the previous one).
 */
function compactTemplates() {
  const walk = (node, visit) => {
    if (!node || typeof node.type !== 'string') return;
    visit(node);
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) for (const child of value) walk(child, visit);
      else if (value && typeof value === 'object') walk(value, visit);
    }
  };
  // A line break in CSS is only whitespace (one space keeps a descendant combinator), then dropped next to { } ; ,
  const compactCss = (raw) =>
    raw
      .replace(/[ \t]*\n\s*/g, ' ')
      .replace(/[ \t]*([{};,])[ \t]*/g, '$1')
      .replace(/;}/g, '}')
      .replace(/:[ \t]+/g, ':');
  const compactHtml = (raw) => raw.replace(/\n[ \t]+/g, '\n');
  return {
    name: 'shipvox-compact-templates',
    transform(code, id) {
      if (!/[\\/]widget[\\/].*\.ts$/.test(id) || !/\b(css|html|svg)`/.test(code)) return null;
      const edits = [];
      walk(this.parse(code), (node) => {
        if (node.type !== 'TaggedTemplateExpression' || node.tag.type !== 'Identifier') return;
        const compact = node.tag.name === 'css' ? compactCss : node.tag.name === 'html' || node.tag.name === 'svg' ? compactHtml : null;
        if (compact) for (const q of node.quasi.quasis) edits.push([q.start, q.end, compact(code.slice(q.start, q.end))]);
      });
      if (!edits.length) return null;
      let out = code;
      for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + text + out.slice(end);
      return { code: out, map: null };
    },
  };
}

/**
 * Properties terser may rename in the script-tag bundle (consistently, within it): `_`-prefixed
 * internals (lit's `_$` API excluded) and our own private members. Only
 * names never bound from a template (`.prop=${…}`), read by string, or shared with the DOM.
 * Terser leaves names it knows from the DOM alone whatever this says (e.g. setStatus, replaceState,
 * restore, slot, session, listener, onMessage): private members are named outside that list.
 */
const PRIVATE_PROPS = new RegExp(
  `^(_(?!\\$).*|${[
    'act', 'adoptSession', 'announce', 'applyEvent', 'applySnapshot', 'attempt', 'changeState', 'connectionOpened', 'exchangeTicket',
    'fail', 'fetchImpl', 'forceReconnect', 'healingSince', 'hooks', 'knownSessionId', 'lastHeardAt',
    'mirror', 'msgId', 'nextUrl', 'noticeTimer', 'onClose', 'onConvaiCall', 'onEmail', 'onErrorFrame', 'onKeydown', 'onOpen',
    'onPolicyViolation', 'onStateChanged', 'onWelcome', 'outbox', 'refusedSockets', 'report',
    'restoreStored', 'resumeRefused', 'retryAfterMs', 'sessionConfig', 'sessionController', 'sessionGone',
    'setNotice', 'socket', 'stateChangedFrom', 'storageSlot', 'togglePause', 'updateStatus',
    // Not: anything crossing into the voice chunk (a separate bundle), e.g. VoiceCall's end/tell.
    'pendingQuoteId', 'showUpdated', 'emailError', 'previewBlocked',
    'frozen', 'intent', 'onSelect', 'refusalMessage', 'fire', 'focusWasInside', 'words', 'choosePack',
    'liveLine', 'startCall', 'connectCall', 'starting', 'talks', 'setExpanded',
    // The socket loop, heartbeat, backoff and marks (widget/session), the element's controllers (widget/controllers).
    'ws', 'handlers', 'handshakeTimer', 'handshakeMs', 'WebSocketImpl', 'drop', 'dropped', 'stopHandshakeTimer', 'isOpen', 'intervalMs',
    'pings', 'beatTimer', 'beat', 'heard', 'silent', 'backoff', 'nextDelay', 'retryAfter', 'skipTo', 'heartbeat', 'marks', 'stage',
    'opened', 'firstState', 'shownStatus', 'onNetwork', 'announcer', 'voiceCalls', 'labelActions', 'spoken', 'freshLinks', 'show',
    'files', 'signedLink', 'streaming', 'setState', 'i18n', 'chosenFor', 'merged', 'requested',
  ].join('|')})$`,
);

function onwarn(warning, warn) {
  // zod marks some calls /*#__PURE__*/ where rollup cannot keep the annotation; harmless.
  if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
  if (warning.code === 'INVALID_ANNOTATION' && /zod/.test(warning.id ?? '')) return;
  // shared/zod.ts re-exports zod for the BFF; the widget's type-only imports leave it unused.
  if (warning.code === 'UNUSED_EXTERNAL_IMPORT' && warning.exporter === 'zod') return;
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

/** The script-tag build's lazily loaded parts: file next to the script → entry (widget/chunks.ts loads them). */
const LAZY_CHUNKS = {
  'shipvox-motion.js': 'widget/lazy/motion.ts',
  'shipvox-talk.js': 'widget/lazy/talk.ts',
  'shipvox-shipment.js': 'widget/lazy/shipment.ts',
  'shipvox-lang-es.js': 'widget/i18n/es.ts',
  'shipvox-lang-fr.js': 'widget/i18n/fr.ts',
  'shipvox-label-files.js': 'widget/label-files.ts',
  'shipvox-dev-console.js': 'widget/components/dev-console.ts',
};

/**
 * Marks the script-tag build, so widget/chunks.ts loads its parts by URL (the local import()s become
 * dead code), and keeps the lazily loaded modules out of it: inlined, a module with side effects
 * (a custom element definition) would run in the bundle even where its import() is never reached.
 */
function scriptTag({ chunk = false } = {}) {
  const lazy = new Set(Object.values(LAZY_CHUNKS).map((entry) => fileURLToPath(new URL(entry, import.meta.url))));
  return {
    name: 'shipvox-script-tag',
    async resolveDynamicImport(specifier, importer) {
      if (typeof specifier !== 'string') return null;
      const resolved = await this.resolve(specifier, importer, { skipSelf: true });
      return resolved && lazy.has(resolved.id) ? { id: specifier, external: true } : null;
    },
    transform(code, id) {
      if (!/[\\/]widget[\\/]chunks\.ts$/.test(id)) return null;
      const test = "typeof __SHIPVOX_SCRIPT_TAG__ === 'undefined'";
      if (!code.includes(test)) this.error(`widget/chunks.ts no longer contains ${test}`);
      // A chunk is an ES module: document.currentScript is null there, its own URL is next to the script's.
      const scriptSrc = '(document.currentScript as HTMLScriptElement | null)?.src';
      if (chunk && !code.includes(scriptSrc)) this.error(`widget/chunks.ts no longer contains ${scriptSrc}`);
      return { code: (chunk ? code.replace(scriptSrc, 'import.meta.url') : code).replaceAll(test, 'false'), map: null };
    },
  };
}

/** `livekit-client` (WebRTC, ~150 KB gzip) → a stub that throws if used: the voice chunk connects over WebSocket only. */
function noLivekit() {
  const stub = fileURLToPath(new URL('./widget/voice/livekit-stub.ts', import.meta.url));
  return { name: 'shipvox-no-livekit', resolveId: (id) => (id === 'livekit-client' ? stub : null) };
}

export default [
  {
    input: scriptTagInput,
    output: {
      file: 'dist/widget/shipvox-companion.js',
      format: 'iife',
      name: 'ShipvoxCompanion',
      inlineDynamicImports: true,
      sourcemap: true,
    },
    plugins: [
      scriptTag(),
      productionEnv(),
      resolve(),
      ts(),
      compactTemplates(),
      terser({ ecma: 2021, module: false, toplevel: true, compress: { passes: 3, pure_getters: true, pure_funcs: ['this._debug'], unsafe_arrows: true }, mangle: { properties: { regex: PRIVATE_PROPS } }, format: { comments: false } }),
      noZod(),
    ],
    treeshake,
    onwarn,
  },
  {
    input,
    external: (id) => /^(lit|@lit\/|lit-html|lit-element|zod|motion)(\/|$)/.test(id),
    output: { file: 'dist/npm/shipvox-companion.js', format: 'es', inlineDynamicImports: true, sourcemap: true },
    plugins: [resolve(), ts(), declarations()],
    treeshake,
    onwarn,
  },
  {
    input: { 'shipvox-voice': 'widget/voice/voice-sdk.ts', 'shipvox-attach': 'widget/voice/attach.ts' },
    output: { dir: 'dist/widget', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'shipvox-[name]-[hash].js', sourcemap: true },
    plugins: [
      noLivekit(),
      productionEnv(),
      resolve(),
      ts(),
      terser({ ecma: 2021, module: true, compress: { passes: 3, pure_getters: true }, format: { comments: false } }),
    ],
    onwarn,
  },
  ...Object.entries(LAZY_CHUNKS).map(([file, entry]) => ({
    input: entry,
    output: { file: `dist/widget/${file}`, format: 'es', sourcemap: true },
    plugins: [scriptTag({ chunk: true }), productionEnv(), resolve(), ts(), compactTemplates(), terser({ ecma: 2021, module: true, compress: { passes: 3, pure_getters: true }, format: { comments: false } }), noZod()],
    treeshake,
    onwarn,
  })),
];
