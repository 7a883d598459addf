/**
 * The ShipVox client's transport: JSON over node:http(s) with keep-alive, an overall deadline and
 * an abort signal. Chosen over fetch because a tool call makes several backend requests and
 * fetch's per-request machinery (web streams, signals) cost more CPU than the rest of the call.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  status: number;
  ok: boolean;
  body: Buffer;
}

/** No complete answer within the deadline (named like the DOM's, as fetch's timeout was). */
export class HttpTimeoutError extends Error {
  override name = 'TimeoutError';
}

/** Answers larger than this are refused: a backend answer is a few KB, a label PDF well under 1 MB. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export class HttpTransport {
  private readonly http = new HttpAgent({ keepAlive: true, maxSockets: 256 });
  private readonly https = new HttpsAgent({ keepAlive: true, maxSockets: 256 });

  send(url: string, o: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; timeoutMs: number; signal?: AbortSignal }): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return reject(new Error(`unsupported protocol ${u.protocol}`));
      if (o.signal?.aborted) return reject(o.signal.reason);
      let settled = false;
      let timedOut: HttpTimeoutError | null = null;
      const done = (err: unknown, answer?: HttpAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
        if (answer) resolve(answer);
        // Whichever stream reports the teardown first, a timeout is reported as one.
        else reject(timedOut ?? err);
      };
      const headers = o.body === undefined ? o.headers : { ...o.headers, 'content-length': String(Buffer.byteLength(o.body)) };
      const secure = u.protocol === 'https:';
      const req = (secure ? httpsRequest : httpRequest)(u, { method: o.method, headers, agent: secure ? this.https : this.http }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error('answer too large'));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          done(null, { status, ok: status >= 200 && status < 300, body: Buffer.concat(chunks) });
        });
        res.on('error', (err) => done(err));
        res.on('aborted', () => done(new Error('answer aborted')));
      });
      const timer = setTimeout(() => {
        timedOut = new HttpTimeoutError(`no answer within ${o.timeoutMs} ms`);
        req.destroy(timedOut);
      }, o.timeoutMs);
      const onAbort = () => req.destroy(o.signal!.reason instanceof Error ? o.signal!.reason : new Error('aborted'));
      o.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => done(err));
      req.end(o.body);
    });
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
