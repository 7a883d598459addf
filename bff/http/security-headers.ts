/**
 * Response headers every answer of the BFF carries: no MIME sniffing, no referrer (label links
 * carry their signature in the query), HSTS when served over https, and a CSP: API answers
 * (JSON, text) may load nothing and be framed by nobody; HTML pages may be framed only by
 * themselves (their own CSP is in the page). Label PDFs and the widget bundle are left
 * frameable and loadable: partner pages print a label through a frame and load the script.
 */
import type { MiddlewareHandler } from 'hono';

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function securityHeaders(o: { https: boolean }): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    if (o.https) c.header('Strict-Transport-Security', 'max-age=31536000');
    const type = c.res.headers.get('content-type') ?? '';
    if (type.startsWith('text/html')) c.header('Content-Security-Policy', "frame-ancestors 'self'");
    else if (!type.startsWith('application/pdf') && !c.req.path.startsWith('/widget/')) c.header('Content-Security-Policy', API_CSP);
  };
}

/** Static files never served: dotfiles (any path segment starting with "."), and source maps when asked. */
export function refuseHiddenFiles(o: { sourceMaps: boolean }): MiddlewareHandler {
  return async (c, next) => {
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      return c.notFound();
    }
    if (/(^|[/\\])\./.test(path) || (!o.sourceMaps && path.endsWith('.map'))) return c.notFound();
    return next();
  };
}
