/**
 * A gate in front of the ShipVox simulator: passes requests through, or holds those of a path
 * until opened — before forwarding them (the backend never saw them) or after (the backend did
 * the work, its answer waits). Lets a test kill the BFF with a call provably in flight.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Mode = 'before' | 'after';

export class GateProxy {
  private readonly holds = new Map<string, Mode>();
  private held: Array<{ path: string; release: () => void }> = [];
  private waiters: Array<() => void> = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<GateProxy> {
    let gate!: GateProxy;
    const server = createServer((req, res) => void gate.handle(target, req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    gate = new GateProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return gate;
  }

  /** From now on, requests to this path are held (`before` forwarding, or `after` with the answer). */
  hold(path: string, mode: Mode): void {
    this.holds.set(path, mode);
  }

  /** Resolves once n requests to this path are being held. */
  async heldCount(path: string, n: number): Promise<void> {
    while (this.held.filter((h) => h.path === path).length < n) await new Promise<void>((r) => this.waiters.push(r));
  }

  /** Lets everything through again, the held requests first. */
  open(): void {
    this.holds.clear();
    for (const h of this.held.splice(0)) h.release();
  }

  async close(): Promise<void> {
    this.open();
    await new Promise<void>((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }

  private async handle(target: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body: Buffer[] = [];
    for await (const chunk of req) body.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const mode = this.holds.get(path);
    if (mode === 'before') await this.wait(path);
    const answer = await forward(target, req, Buffer.concat(body)).catch(() => null);
    if (mode === 'after') await this.wait(path);
    if (res.destroyed || !answer) return void res.destroy();
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }

  private wait(path: string): Promise<void> {
    return new Promise((release) => {
      this.held.push({ path, release });
      for (const w of this.waiters.splice(0)) w();
    });
  }
}

function forward(target: string, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const out = request(new URL(req.url ?? '/', target), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: Buffer.concat(chunks) }));
      r.on('error', reject);
    });
    out.on('error', reject);
    out.end(body);
  });
}
