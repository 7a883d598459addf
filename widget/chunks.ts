/**
 * Lazily loaded parts of the widget. The script-tag bundle is one IIFE and cannot split code, so each
 * part is built as an ES module of its own next to the script (rollup.config.mjs: `shipvox-*.js`) and
 * import()ed by URL there; the npm build and the tests import the source module instead.
 */

/** Never defined: the script-tag build replaces the `typeof` test below with `false` (rollup.config.mjs). */
declare const __SHIPVOX_SCRIPT_TAG__: boolean;

/** This script's own URL (null when the bundle runs as a module or from the npm build). */
const SCRIPT_SRC = (document.currentScript as HTMLScriptElement | null)?.src;

/** A file next to the script-tag bundle; `endpoint` (the BFF, which serves /widget/) when the script's URL is unknown. */
export function chunkUrl(file: string, endpoint = ''): string | null {
  const base = SCRIPT_SRC || (endpoint && `${endpoint}/widget/`);
  return base ? new URL(file, base).href : null;
}

/** Imports the chunk `file` by URL, in every build (the voice chunks have no local module to import instead). */
export function importChunk<T>(file: string, endpoint?: string): Promise<T> {
  const url = chunkUrl(file, endpoint);
  return url ? import(/* @vite-ignore */ url) : Promise.reject(new Error(`${file}: the widget's script URL is unknown`));
}

/** The script-tag build loads `file` by URL; everywhere else `local` imports the module itself. */
export function loadChunk<T>(file: string, local: () => Promise<T>, endpoint?: string): Promise<T> {
  return typeof __SHIPVOX_SCRIPT_TAG__ === 'undefined' ? local() : importChunk(file, endpoint);
}
