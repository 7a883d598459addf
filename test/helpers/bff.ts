/** Test harness: a real BFF on an OS-chosen port with the embedded simulator (no latency). */
import { isDeepStrictEqual } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { ServerFrame, type CreateSessionResponse } from '../../shared/protocol.ts';
import { DEV_AGENT_TOOL_SECRET, DEV_ADMIN_TOKEN, DEV_SECRET_KEY } from '../../bff/config.ts';
import { startServer, type RunningServer, type StartOptions } from '../../bff/server.ts';

export const TEST_ORIGIN = 'http://shop.test';
export const TEST_KEY = 'pk_test_shop';
export const OTHER_ORIGIN = 'http://evil.test';
export { DEV_AGENT_TOOL_SECRET as AGENT_SECRET, DEV_ADMIN_TOKEN as ADMIN_TOKEN, DEV_SECRET_KEY as SECRET_KEY };

/** A clock tests move by hand. */
export class FakeClock {
  constructor(public t = Date.parse('2026-11-24T15:00:00Z')) {}
  now = () => this.t;
  advance(ms: number) {
    this.t += ms;
  }
}

export async function startBff(opts: StartOptions & { env?: Record<string, string> } = {}): Promise<RunningServer> {
  return startServer({
    ...opts,
    env: {
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      STORE: 'memory',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'svx-test-')),
      PUBLISHABLE_KEYS: JSON.stringify({ [TEST_KEY]: [TEST_ORIGIN] }),
      SLOW_CARRIER_MS: '600000',
      TRACKING_POLL_MS: '0',
      // Tests drive many tool calls through one session; test/security/attacks.test.ts checks the default's kind of budget.
      TOOL_CALLS_PER_SESSION_PER_MIN: '10000000',
      ...opts.env,
    },
    simulator: { latencyMs: { USPS: 0, UPS: 0, FedEx: 0 }, ...(opts.now ? { now: opts.now } : {}), ...opts.simulator },
    shipvoxBackoff: opts.shipvoxBackoff ?? (async () => undefined),
  });
}

export async function exchange(
  bff: RunningServer,
  body: Record<string, unknown> = { publishable_key: TEST_KEY },
  headers: Record<string, string> = { origin: TEST_ORIGIN },
): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${bff.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

export async function newSession(bff: RunningServer): Promise<CreateSessionResponse> {
  const r = await exchange(bff);
  if (r.status !== 201) throw new Error(`exchange failed ${r.status} ${JSON.stringify(r.json)}`);
  return r.json as CreateSessionResponse;
}

/** A fresh ticket for an existing session (tickets are single use). */
export async function ticketFor(bff: RunningServer, s: CreateSessionResponse): Promise<CreateSessionResponse> {
  const r = await exchange(bff, { resume_token: s.resume_token });
  if (r.status !== 201) throw new Error(`resume failed ${r.status}`);
  return r.json as CreateSessionResponse;
}

export async function webhook(bff: Pick<RunningServer, 'url'>, tool: string, body: unknown, secret = DEV_AGENT_TOOL_SECRET) {
  const res = await fetch(`${bff.url}/v1/agent/tools/${tool}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any, headers: res.headers };
}

/** A raw socket client that records every frame and lets a test wait for one. */
export class TestClient {
  readonly frames: ServerFrame[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const text = String(d);
      const frame: unknown = JSON.parse(text);
      // Every frame the BFF sends must match the shared schema, `type` first: a mismatch fails
      // whichever test is running.
      const checked = ServerFrame.safeParse(frame);
      if (!checked.success) throw new Error(`frame off the shared schema: ${text.slice(0, 300)} — ${JSON.stringify(checked.error.issues).slice(0, 500)}`);
      if (!isDeepStrictEqual(checked.data, frame)) throw new Error(`frame with fields the shared schema does not have: ${text.slice(0, 300)}`);
      if (!text.startsWith('{"type":')) throw new Error(`frame without type first: ${text.slice(0, 100)}`);
      this.frames.push(frame as ServerFrame);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
  }

  static async open(url: string, origin: string | null = TEST_ORIGIN): Promise<TestClient> {
    const ws = new WebSocket(url, origin ? { origin } : {});
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** Opens a socket with a fresh ticket and says hello; resolves after welcome + catch-up frame(s). */
  static async join(bff: RunningServer, s: CreateSessionResponse, role: 'ui' | 'voice' | 'console' = 'ui', lastSeq?: number) {
    const t = await ticketFor(bff, s);
    const c = await TestClient.open(`${t.ws_url}?ticket=${t.ticket}`);
    c.send({ type: 'hello', role, ...(lastSeq !== undefined ? { last_seq: lastSeq } : {}) });
    await c.waitFor((f) => f.type === 'welcome');
    return c;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves with the first recorded frame (from `from` on) matching pred. */
  async waitFor<T extends ServerFrame = ServerFrame>(pred: (f: ServerFrame) => boolean, from = 0): Promise<T> {
    for (;;) {
      const hit = this.frames.slice(from).find(pred);
      if (hit) return hit as T;
      if (this.closed) throw new Error(`socket closed (${this.closed.code}) before the frame arrived`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  async waitClosed(): Promise<{ code: number; reason: string }> {
    while (!this.closed) await new Promise<void>((r) => this.waiters.push(r));
    return this.closed;
  }

  /** Logged events received so far, in arrival order. */
  events() {
    return this.frames.filter((f): f is Extract<ServerFrame, { seq: number; ts: string }> => 'ts' in f && 'seq' in f);
  }

  close() {
    this.ws.close();
  }
}

export const QUOTE_PARAMS = { from_zip: '10001', to_zip: '94105', weight: 2, weight_unit: 'lb' };

/** A business address (so no re-quote: quotes are for a business unless told otherwise) in `zip`. */
export const businessRecipient = (zip = QUOTE_PARAMS.to_zip) => ({ name: 'Ada Lovelace', company: 'Analytical Engines Inc', street: '500 Howard St', zip });

type Choice = { quote_id: string } | { option: number };

/**
 * The product's way to a label, up to the shopper's yes: Bob sets the recipient (checked by the
 * backend) and gets the purchase summary to read (create_label without confirmed). A create_label
 * with `confirmed: true` for the same choice then buys. `toZip`: the quoted destination.
 */
export async function readSummary(bff: Pick<RunningServer, 'url'>, sessionId: string, choice: Choice, toZip = QUOTE_PARAMS.to_zip): Promise<string> {
  const to = await webhook(bff, 'set_recipient_address', { session_id: sessionId, ...businessRecipient(toZip) });
  if (to.json.error) throw new Error(`recipient refused: ${to.json.result}`);
  const read = await webhook(bff, 'create_label', { session_id: sessionId, ...choice });
  if (read.json.needs_confirmation !== true) throw new Error(`no summary to read: ${JSON.stringify(read.json)}`);
  return read.json.result as string;
}

/** quote → choose → address → confirm → label over the webhook: readSummary, then the shopper's yes. Answers the yes's create_label. */
export async function buyLabel(bff: Pick<RunningServer, 'url'>, sessionId: string, choice: Choice, toZip = QUOTE_PARAMS.to_zip) {
  await readSummary(bff, sessionId, choice, toZip);
  return webhook(bff, 'create_label', { session_id: sessionId, ...choice, confirmed: true });
}
