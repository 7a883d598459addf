/** Shared helpers for the simulator tests: fake clock, controllable sleep, HTTP and PDF text. */
import { PDFArray, PDFDocument, PDFRawStream, decodePDFRawStream } from 'pdf-lib';
import type { Carrier } from '../../shared/tools.ts';
import { startSimulator, type RunningSimulator, type SimulatorOptions, type SleepContext, type SleepPurpose } from '../../bff/simulator/simulator.ts';

/** Wednesday 8 Jan 2025, 10:00 in New York. */
export const WEDNESDAY = Date.parse('2025-01-08T15:00:00Z');

export function fakeClock(start = WEDNESDAY) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms), set: (ms: number) => void (t = ms) };
}

type Gate = { reached: Promise<SleepContext>; release(): void };

/**
 * A sleep that returns at once (recording every call) except for calls the test holds: those wait
 * until released or until their request's signal aborts.
 */
export function controllableSleep() {
  const calls: { ms: number; purpose: SleepPurpose; carrier?: Carrier | undefined }[] = [];
  const held = new Map<SleepPurpose, { arrive(ctx: SleepContext): void; wait: Promise<void> }>();
  return {
    calls,
    sleep: (ms: number, ctx: SleepContext): Promise<void> => {
      calls.push({ ms, purpose: ctx.purpose, carrier: ctx.carrier });
      const gate = held.get(ctx.purpose);
      if (!gate) return Promise.resolve();
      held.delete(ctx.purpose);
      gate.arrive(ctx);
      return new Promise<void>((resolve) => {
        void gate.wait.then(resolve);
        ctx.signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    },
    /** Holds the next sleep with this purpose. */
    hold(purpose: SleepPurpose): Gate {
      let arrive!: (ctx: SleepContext) => void;
      let release!: () => void;
      const reached = new Promise<SleepContext>((r) => (arrive = r));
      const wait = new Promise<void>((r) => (release = r));
      held.set(purpose, { arrive, wait });
      return { reached, release };
    },
  };
}

export const NO_LATENCY = { latencyMs: { USPS: 0, UPS: 0, FedEx: 0 }, labelLatencyMs: 0 } as const;

export async function start(options: SimulatorOptions = {}) {
  const clock = fakeClock();
  const sleeper = controllableSleep();
  const running: RunningSimulator = await startSimulator({ seed: 7, now: clock.now, sleep: sleeper.sleep, ...NO_LATENCY, ...options });
  return { ...running, clock, sleeper };
}

export type Shipment = { from_zip: string; to_zip: string; weight_oz: number; length_in?: number; width_in?: number; height_in?: number; residential?: boolean };

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

/** The text shown by Tj operators on every page, decoded from WinAnsi (standard fonts). */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes);
  const out: string[] = [];
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)) : [contents];
    for (const stream of streams) {
      if (!(stream instanceof PDFRawStream)) continue;
      const ops = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
      for (const [, hex] of ops.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) {
        out.push(Array.from(Buffer.from(hex ?? '', 'hex'), (b) => (b === 0x96 ? '–' : String.fromCharCode(b))).join(''));
      }
    }
  }
  return out.join('\n');
}
