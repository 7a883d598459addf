import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { testInfo, type TestInfo } from './test/bff.ts';
// The script-tag entry (widget/index.ts): evaluating it marks shipvox:script-loaded.
import './index.ts';
import { FIRST_RENDER, MARKS, SCRIPT_LOADED, SNAPSHOT_RENDERED, SOCKET_OPEN } from './perf.ts';
import type { ShipvoxCompanion } from './shipvox-companion.ts';

const ELEMENT_MARKS = [FIRST_RENDER, SOCKET_OPEN, SNAPSHOT_RENDERED];
const times = (name: string) => performance.getEntriesByName(name, 'mark').map((e) => e.startTime);
const first = (name: string) => times(name)[0] ?? NaN;
const statusText = (el: ShipvoxCompanion) => el.shadowRoot!.querySelector('.status')?.textContent?.trim();

describe('performance marks against the real BFF', function () {
  let info: TestInfo;
  /** What the element showed at the moment shipvox:snapshot-rendered was marked. */
  let atSnapshotMark: { status: string | undefined; sessionId: string | null; stateSession: string } | null;
  let current: ShipvoxCompanion | null;
  const original = performance.mark;

  before(async function () {
    info = await testInfo();
    if (!info.bff) this.skip();
    performance.mark = function (this: Performance, name: string, options?: PerformanceMarkOptions) {
      if (name === SNAPSHOT_RENDERED && current) {
        atSnapshotMark = { status: statusText(current), sessionId: current.sessionId, stateSession: current.state.session_id };
      }
      return original.call(this, name, options);
    } as Performance['mark'];
  });
  after(() => {
    performance.mark = original;
  });
  beforeEach(() => {
    sessionStorage.clear();
    for (const name of ELEMENT_MARKS) performance.clearMarks(name);
    atSnapshotMark = null;
  });

  async function mount(storageKey: string) {
    current = await fixture<ShipvoxCompanion>(
      html`<shipvox-companion endpoint=${info.bff!} publishable-key=${info.publishableKey} storage-key=${storageKey}></shipvox-companion>`,
    );
    return current;
  }

  it('marks script load, first render, socket open and the rendered snapshot in order, once per element', async () => {
    expect(times(SCRIPT_LOADED)).to.have.length(1);
    let onlineAt = 0;
    const el = await mount('marks');
    el.addEventListener('shipvox-connection-change', (e) => {
      if (e.detail.status === 'online' && !onlineAt) onlineAt = performance.now();
    });
    await waitUntil(() => times(SNAPSHOT_RENDERED).length > 0, 'no snapshot-rendered mark', { timeout: 10_000 });

    const all = MARKS.map(times);
    for (const [i, t] of all.entries()) expect(t, MARKS[i]).to.have.length(1);
    const [script, render, open, rendered] = [first(SCRIPT_LOADED), first(FIRST_RENDER), first(SOCKET_OPEN), first(SNAPSHOT_RENDERED)];
    expect(script).to.be.at.most(render);
    expect(render).to.be.below(open);
    expect(open).to.be.below(rendered);
    expect(onlineAt, 'welcome before the mark').to.be.greaterThan(0).and.at.most(rendered);
    // Marked after the render of the snapshot: the shadow DOM already showed the live session.
    expect(atSnapshotMark).to.deep.equal({ status: 'Live', sessionId: el.sessionId, stateSession: el.sessionId });

    // A reconnect with a new session (another storage key restarts the controller) marks nothing again.
    const firstSession = el.sessionId;
    el.storageKey = 'marks-2';
    await waitUntil(() => el.connection === 'online' && el.sessionId !== firstSession, 'no new session', { timeout: 10_000 });
    await el.updateComplete;
    for (const name of MARKS) expect(times(name), name).to.have.length(1);
    el.remove();
  });

  it('marks the restored state a resuming welcome confirmed, for a new element after a reload', async () => {
    const el = await mount('resume');
    await waitUntil(() => times(SNAPSHOT_RENDERED).length > 0, 'no snapshot-rendered mark', { timeout: 10_000 });
    const sessionId = el.sessionId;
    el.remove();
    for (const name of ELEMENT_MARKS) performance.clearMarks(name);
    atSnapshotMark = null;

    const again = await mount('resume');
    await waitUntil(() => times(SNAPSHOT_RENDERED).length > 0, 'no snapshot-rendered mark after the reload', { timeout: 10_000 });
    expect(again.sessionId).to.equal(sessionId);
    const [render, open, rendered] = [first(FIRST_RENDER), first(SOCKET_OPEN), first(SNAPSHOT_RENDERED)];
    expect(render).to.be.below(open);
    expect(open).to.be.below(rendered);
    expect(atSnapshotMark).to.deep.equal({ status: 'Live', sessionId, stateSession: sessionId });
    again.remove();
  });
});
