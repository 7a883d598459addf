/** <shipvox-companion> against a scripted server (FakeSocket): mounted, online, with an empty snapshot. */
import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { render, type TemplateResult } from 'lit';
import '../shipvox-companion.ts';
import { ShipvoxCompanion } from '../shipvox-companion.ts';
import { loadShipmentParts } from '../components/shipment-parts.ts';
import type { SessionControllerOptions } from '../session/session-controller.ts';
import { FakeClock, FakeSocket, MemoryStorage, fakeExchange, session, welcome } from './fakes.ts';
import { SESSION_ID, stateOf } from './fixtures.ts';

/** Installs the fakes around each test of the calling suite; returns the current clock. */
export function useScriptedServer(): { clock: () => FakeClock } {
  let clock = new FakeClock();
  beforeEach(() => {
    FakeSocket.reset();
    clock = new FakeClock();
    ShipvoxCompanion.sessionOptions = {
      clock,
      fetch: fakeExchange((_b, n) => ({ status: 201, body: session(SESSION_ID, n) })).fetch,
      WebSocket: FakeSocket as unknown as SessionControllerOptions['WebSocket'],
      storage: new MemoryStorage(),
    };
  });
  afterEach(() => {
    ShipvoxCompanion.sessionOptions = {};
    for (const c of mounted.splice(0)) c.remove();
  });
  return { clock: () => clock };
}

const mounted: HTMLElement[] = [];

/** Mounts `template` (one <shipvox-companion>, or a wrapper holding one) and brings it online. */
export async function connected(template: TemplateResult): Promise<{ el: ShipvoxCompanion; socket: FakeSocket }> {
  // Rendered by hand: fixture() waits for an animation frame, which a background test page
  // (wtr runs two at once) may never get.
  const container = document.createElement('div');
  document.body.append(container);
  mounted.push(container);
  render(template, container);
  const el = container.querySelector('shipvox-companion')!;
  await el.updateComplete;
  await waitUntil(() => FakeSocket.instances.length === 1);
  const socket = FakeSocket.last;
  const online = oneEvent(el, 'shipvox-connection-change');
  socket.open();
  socket.receive(welcome(SESSION_ID));
  expect((await online).detail).to.deep.equal({ status: 'online', session_id: SESSION_ID });
  socket.receive({ type: 'snapshot', seq: 0, state: stateOf([]) });
  await el.updateComplete;
  return { el, socket };
}

/** Every element in `root` and in the shadow roots below it. */
export function deepElements(root: Element | ShadowRoot): Element[] {
  const out: Element[] = [];
  for (const el of Array.from(root.querySelectorAll('*'))) {
    out.push(el);
    if (el.shadowRoot) out.push(...deepElements(el.shadowRoot));
  }
  return out;
}

/** Settles every Lit element below `root` (nested shadow roots included), the lazily loaded shipment elements defined. */
export async function settled(root: Element): Promise<void> {
  await loadShipmentParts('');
  for (let i = 0; i < 3; i++) {
    await Promise.all([root, ...deepElements(root.shadowRoot ?? root)].map((e) => (e as Partial<{ updateComplete: Promise<unknown> }>).updateComplete));
  }
}

/** Emulates CSS media features through CDP (web-test-runner.config.mjs `shipvox-emulate-media`); [] clears them. */
export async function emulateFeatures(features: { name: string; value: string }[]): Promise<void> {
  await executeServerCommand('shipvox-emulate-media', { features });
}

/** Browser zoom (web-test-runner.config.mjs `shipvox-emulate-zoom`): a width × height window at `zoom` (4 = 400%); no argument resets it. */
export async function emulateZoom(zoom?: { width: number; height: number; zoom: number }): Promise<void> {
  await executeServerCommand('shipvox-emulate-zoom', zoom);
}

/** The focused element, through every open shadow root. */
export function deepActive(): Element | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}
