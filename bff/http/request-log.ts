/**
 * Request ids and one access-log line per request: the id comes from `X-Request-Id` (when it
 * looks like an id) or is generated, is echoed back, and a child logger carrying it is set as
 * `c.get('log')`. Only the path is logged, never the query string (label links carry `sig`,
 * the socket URL a ticket) nor any header.
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import { ID_PATTERN } from '../../shared/wire.ts';

declare module 'hono' {
  interface ContextVariableMap {
    log: Logger;
    requestId: string;
  }
}

const QUIET = new Set(['/healthz', '/readyz', '/metrics']);

export function requestLog(log: Logger): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('x-request-id');
    const requestId = header && ID_PATTERN.test(header) ? header : randomUUID();
    const child = log.child({ req_id: requestId });
    c.set('requestId', requestId);
    c.set('log', child);
    const started = performance.now();
    try {
      await next();
    } finally {
      c.header('X-Request-Id', requestId);
      const line = { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started) };
      const out = c.get('log') ?? child; // routes may add session_id
      if (QUIET.has(c.req.path)) out.debug(line, 'request');
      else out.info(line, 'request');
    }
  };
}
