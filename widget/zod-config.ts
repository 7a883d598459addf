/**
 * Must be the first import of every entry: zod decides at schema construction whether to compile
 * parsers with `new Function`, and under a strict CSP (no unsafe-eval) even its guarded probe
 * files a securitypolicyviolation report. Jitless parsing is plenty fast for a few frames a second.
 */
import * as z from 'zod/mini';

z.config({ jitless: true });
