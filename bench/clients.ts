/**
 * The load generator's clients (a light `ws` client and a light Socket.IO client that meter events
 * without parsing them) and the targets: one server under test, seen the same way whatever it is.
 */
import { WebSocket } from 'ws';
import { AGENT_SECRET, ORIGIN, QUOTE } from './config.ts';
import { post, type Call, type CallAnswer } from './http.ts';
import { sleep, type Proc } from './processes.ts';

export async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>) {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (i < items.length) await fn(items[i++]!);
  }));
}


/** Counts logged events and samples broadcast latency (receive time − event ts), lightly. */
export class Meter {
  measuring = false;
  events = 0;
  latencies: number[] = [];
  private goal: { events: number; done: () => void } | null = null;
  onEvent(ts: string) {
    if (!this.measuring) return;
    this.events++;
    if (this.events % 4 === 0) this.latencies.push(Date.now() - Date.parse(ts));
    if (this.goal && this.events >= this.goal.events) this.goal.done();
  }
  /** Resolves as soon as `events` have been counted, or after `ms` (some were lost). */
  reach(events: number, ms: number): Promise<void> {
    if (this.events >= events) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.goal?.done(), ms);
      this.goal = {
        events,
        done: () => {
          clearTimeout(timer);
          this.goal = null;
          resolve();
        },
      };
    });
  }
}

export interface Conn {
  close(): void;
}

const TS_MARK = Buffer.from('"ts":"');

/**
 * Meters one received event without decoding or parsing it: finds the trailing `"ts":"…"` (set
 * last but one by every server) in the bytes. The generator must not be the bottleneck.
 */
export function meterFrame(meter: Meter, data: Buffer): void {
  const t = data.lastIndexOf(TS_MARK);
  if (t >= 0) meter.onEvent(data.toString('latin1', t + 6, t + 30));
}

/**
 * A light `ws` client (the same for our BFF and the bare hub): no UTF-8 check, no decoding, no
 * JSON.parse of events (see meterFrame). With `hello`, it speaks our protocol's opening.
 */
export function lightWs(url: string, meter: Meter, headers: Record<string, string>, hello: boolean): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false, skipUTF8Validation: true });
    let ready = !hello;
    ws.on('message', (data: Buffer) => {
      if (!ready) {
        if (String(data).includes('"type":"snapshot"')) {
          ready = true;
          resolve({ close: () => ws.close() });
        }
        return;
      }
      meterFrame(meter, data);
    });
    ws.on('open', () => {
      if (hello) ws.send(JSON.stringify({ type: 'hello', role: 'ui' }));
      else resolve({ close: () => ws.close() });
    });
    ws.on('error', reject);
  });
}

/**
 * A light Socket.IO client for the same reason (socket.io-client costs about twice the CPU of a
 * plain `ws` client per message): Engine.IO 4 over a raw `ws` socket. It sends the Socket.IO
 * CONNECT with its auth, answers pings, and meters `42["event",{…}]` packets like lightWs.
 */
export function sioClient(url: string, session: string, meter: Meter): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false, skipUTF8Validation: true });
    let ready = false;
    ws.on('message', (data: Buffer) => {
      const kind = data[0];
      if (kind === 0x32 /* '2' ping */) return void ws.send('3');
      if (!ready) {
        const text = String(data);
        if (text.startsWith('0{')) ws.send(`40${JSON.stringify({ session })}`);
        else if (text.startsWith('40{')) {
          ready = true;
          resolve({ close: () => ws.close() });
        } else if (text.startsWith('44')) reject(new Error(`socket.io connect refused: ${text}`));
        return;
      }
      meterFrame(meter, data);
    });
    ws.on('error', reject);
  });
}


export interface Target {
  name: string;
  key: 'bff_memory' | 'bff_redis' | 'socketio' | 'bare_ws';
  proc: Proc;
  /** Opens a session with `sockets` UI sockets; returns its id and the connections. */
  session(meter: Meter, sockets: number): Promise<{ id: string; conns: Conn[] }>;
  /** A tool call on the session, as the webhook gets it (`call` sends it; the latency probe sends these too). */
  request(sessionId: string): Call;
  call(sessionId: string): Promise<CallAnswer>;
}

/** Exchanges answered 503 (store busy) and retried, per run. */
export let retries = 0;

export function bffTarget(name: string, key: Target['key'], proc: Proc): Target {
  return {
    name,
    key,
    proc,
    async session(meter, sockets) {
      let first = await post(`${proc.url}/v1/sessions`, { publishable_key: 'pk_bench_key' }, { origin: ORIGIN });
      for (let retry = 0; first.status === 503 && retry < 5; retry++) {
        retries++;
        await sleep(200);
        first = await post(`${proc.url}/v1/sessions`, { publishable_key: 'pk_bench_key' }, { origin: ORIGIN });
      }
      if (first.status !== 201) throw new Error(`exchange ${first.status} ${JSON.stringify(first.json)}`);
      const conns: Conn[] = [];
      for (let i = 0; i < sockets; i++) {
        const t = i === 0 ? first.json : (await post(`${proc.url}/v1/sessions`, { resume_token: first.json.resume_token }, { origin: ORIGIN })).json;
        conns.push(await lightWs(`${t.ws_url}?ticket=${t.ticket}`, meter, { origin: ORIGIN }, true));
      }
      return { id: first.json.session_id as string, conns };
    },
    request: (id) => ({ url: `${proc.url}/v1/agent/tools/get_shipping_quotes`, body: { session_id: id, ...QUOTE }, headers: { authorization: `Bearer ${AGENT_SECRET}` } }),
    call(id) {
      const c = this.request(id);
      return post(c.url, c.body, c.headers);
    },
  };
}

let sessionCounter = 0;
export function plainTarget(name: string, key: Target['key'], proc: Proc, kind: 'sio' | 'ws'): Target {
  return {
    name,
    key,
    proc,
    async session(meter, sockets) {
      const id = `ses_bench_${++sessionCounter}`;
      const conns: Conn[] = [];
      for (let i = 0; i < sockets; i++) {
        conns.push(kind === 'sio' ? await sioClient(proc.url, id, meter) : await lightWs(`${proc.url.replace('http', 'ws')}/?session=${id}`, meter, {}, false));
      }
      return { id, conns };
    },
    request: (id) => ({ url: `${proc.url}/tool/${id}`, body: { session_id: id, ...QUOTE } }),
    call(id) {
      const c = this.request(id);
      return post(c.url, c.body, c.headers);
    },
  };
}

/** A server the bench can start: what the phases and the report know it by. */
export interface TargetSpec {
  name: string;
  key: Target['key'];
  make: () => Promise<Target>;
}
