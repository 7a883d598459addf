/** The load generator's and the latency probe's HTTP client: JSON POSTs on a keep-alive agent. */
import { Agent, request } from 'node:http';

export interface Call {
  url: string;
  body: unknown;
  headers?: Record<string, string>;
}

export interface CallAnswer {
  status: number;
  json: any;
  /** Server-Timing shipvox;dur: the time the BFF waited on ShipVox (0 when absent). */
  backendMs: number;
  /** Server-Timing total;dur: the webhook handler's time (NaN when absent: the other servers). */
  handlerMs: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<CallAnswer> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      const timing = String(res.headers['server-timing'] ?? '');
      const backendMs = Number(/shipvox;dur=([\d.]+)/.exec(timing)?.[1] ?? 0);
      const handlerMs = Number(/total;dur=([\d.]+)/.exec(timing)?.[1] ?? NaN);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text.startsWith('{') ? JSON.parse(text) : text, backendMs, handlerMs }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

export const failedCall = (): CallAnswer => ({ status: 0, json: null, backendMs: 0, handlerMs: NaN });
