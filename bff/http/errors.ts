/** Typed HTTP errors and the one place that turns errors into `{"error":{code,message}}`. */
import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { HttpErrorBody, HttpErrorCode } from '../../shared/protocol.ts';
import { StoreUnavailableError } from '../sessions/store.ts';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: HttpErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(code: HttpErrorCode, message: string): HttpErrorBody {
  return { error: { code, message } };
}

export function onError(err: Error, c: Context): Response {
  if (err instanceof HttpError) {
    for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json(errorBody(err.code, err.message), err.status);
  }
  if (err instanceof StoreUnavailableError) {
    c.get('log')?.warn({ err: err.message }, 'store unavailable');
    // Webhook tools answer 200 with a typed tool error Bob can say (ElevenLabs reads the body).
    if (c.req.path.startsWith('/v1/agent/tools/')) {
      return c.json({ error: 'backend_unavailable', result: "I'm having trouble reaching our system right now. Please give me a moment and try again." });
    }
    c.header('Retry-After', '1');
    return c.json(errorBody('unavailable', 'The session store is unavailable; try again shortly.'), 503);
  }
  const status = (err as { status?: number }).status;
  if (status === 413) return c.json(errorBody('payload_too_large', 'The request body is too large.'), 413);
  c.get('log')?.error({ err }, 'unhandled error');
  return c.json(errorBody('internal', 'Something went wrong on our side.'), 500);
}

/** The largest request body the API reads (docs/protocol.md, HTTP): a larger one is a typed 413. */
export const MAX_BODY_BYTES = 32 * 1024;

/** Reads a JSON object body; anything else is a typed 400, more than MAX_BODY_BYTES a typed 413. */
export async function jsonObject(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  const text = await bodyText(c);
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'bad_request', 'The body must be a JSON object.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'bad_request', 'The body must be a JSON object.');
  }
  if (tooDeep(body, MAX_JSON_DEPTH)) throw new HttpError(400, 'bad_request', 'The body is nested too deeply.');
  return body as Record<string, unknown>;
}

// Connection: close — the unread rest of the body would otherwise be taken for the next request's start.
const tooLarge = () => new HttpError(413, 'payload_too_large', 'The request body is too large.', { Connection: 'close' });

/** On Node (@hono/node-server), the request as Node received it; absent for in-process `app.request()`. */
const incomingOf = (c: Context) => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;

/** A declared body over MAX_BODY_BYTES is a 413 on every `/v1/*` route (before any other check). */
export function refuseLargeBodies(): MiddlewareHandler {
  return async (c, next) => {
    const declared = incomingOf(c)?.headers['content-length'] ?? c.req.header('content-length');
    if (declared !== undefined && Number(declared) > MAX_BODY_BYTES) throw tooLarge();
    await next();
  };
}

/**
 * The body as UTF-8 text, at most MAX_BODY_BYTES as it streams. On Node it is read from
 * the IncomingMessage itself: the web Request, Headers and ReadableStream Hono would build for
 * `c.req.json()` were a good part of a webhook call's CPU and garbage.
 */
async function bodyText(c: Context): Promise<string> {
  const incoming = incomingOf(c);
  // A declared length over the cap was refused by refuseLargeBodies before any route ran.
  if (!incoming) {
    const bytes = await c.req.arrayBuffer(); // app.request() in-process: a web Request
    if (bytes.byteLength > MAX_BODY_BYTES) throw tooLarge();
    return Buffer.from(bytes).toString('utf8');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of incoming as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    // The client went away mid-body (aborted, reset): a typed 400 nobody will read, not an internal error in the logs.
    throw new HttpError(400, 'bad_request', 'The request body was not received completely.', { Connection: 'close' });
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** Bodies and frames nest at most this deep (a depth bomb in tool parameters would be logged and broadcast). */
export const MAX_JSON_DEPTH = 32;

/** True when value nests objects/arrays deeper than max (iterative: a bomb cannot overflow the stack). */
export function tooDeep(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) return true;
    for (const child of Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
  }
  return false;
}
