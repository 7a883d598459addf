/**
 * What a screen reader hears: the live region's announcements recorded as they are added (tool
 * errors, a repeated quote set, several messages in one render), and the names of buttons, steps
 * and the tracking link in the accessibility tree.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import { a11ySnapshot } from '@web/test-runner-commands';
import { animationsDone, label, labelCreated, logged, quotesReady, selected, started, toolResult } from './test/fixtures.ts';
import { connected, settled, useScriptedServer } from './test/mount.ts';
import type { ShipvoxCompanion } from './shipvox-companion.ts';

/** Records each text added to the live region, in order. */
function recordAnnouncements(el: ShipvoxCompanion): string[] {
  const region = el.shadowRoot!.querySelector('[aria-live]')!;
  const heard: string[] = [];
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'characterData') heard.push(r.target.textContent!.trim());
      for (const node of Array.from(r.addedNodes)) if (node.textContent!.trim()) heard.push(node.textContent!.trim());
    }
  }).observe(region, { childList: true, subtree: true, characterData: true });
  return heard;
}

interface AxNode {
  role: string;
  name?: string;
  children?: AxNode[];
}
const flatten = (n: AxNode): AxNode[] => [n, ...(n.children ?? []).flatMap(flatten)];

describe('announcements and accessible names', () => {
  useScriptedServer();
  const mount = () => connected(html`<shipvox-companion endpoint="http://bff.test" publishable-key="pk_test_widget" locale="en-US"></shipvox-companion>`);

  it('announces a tool error in the words Bob said it', async () => {
    const { el, socket } = await mount();
    const heard = recordAnnouncements(el);
    const failed = { ...toolResult(), is_error: true, result: 'Hmm, 1234 is not a ZIP code.', data: { code: 'invalid_zip' } };
    for (const e of logged([started(), failed])) socket.receive(e);
    await settled(el);
    expect(heard).to.deep.equal(['Bob: Hmm, 1234 is not a ZIP code.']);
    await expect(el).to.be.accessible();
  });

  it('announces a second quote set with the same text, and every message of one render', async () => {
    const { el, socket } = await mount();
    const heard = recordAnnouncements(el);
    for (const e of logged([started(), quotesReady('rq_1'), toolResult()])) socket.receive(e);
    await settled(el);
    // A new quote set with the same options, and a selection, in the same task (one render).
    for (const e of logged([started('tc_2'), quotesReady('rq_2'), toolResult('tc_2'), selected('q_1')], 3)) socket.receive(e);
    await settled(el);
    const ready = '3 shipping options ready. Option 1: USPS Ground Advantage, $11.25.';
    expect(heard).to.deep.equal([ready, ready, 'Option 1 selected: USPS Ground Advantage.']);
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('names Select buttons, steps and the tracking number so they read well', async () => {
    const { el, socket } = await mount();
    for (const e of logged([started(), quotesReady(), toolResult()])) socket.receive(e);
    await settled(el);
    const names = async () => flatten((await a11ySnapshot({})) as unknown as AxNode).map((n) => `${n.role}: ${n.name ?? ''}`);
    await waitUntil(async () => (await names()).includes('button: Select option 1, $11.25'), 'Select button name');
    const heard = recordAnnouncements(el);
    for (const e of logged([selected('q_2'), labelCreated(label())], 3)) socket.receive(e);
    await settled(el);
    const tree = await names();
    expect(tree).to.include('link: Tracking number 1Z999AA10123456784: 1 Z 9 9 9 A A 1 0 1 2 3 4 5 6 7 8 4 (track package, opens in a new tab)');
    expect(tree).to.include('image: QR code for tracking number 1 Z 9 9 9 A A 1 0 1 2 3 4 5 6 7 8 4');
    // The tracker's steps read as their texts in order: "Label, done", then the parcel's stage "Label ready" (not "…, done").
    const done = tree.indexOf('StaticText: Label ready');
    expect(tree.slice(done - 2, done + 2)).to.deep.equal(['StaticText: Label', 'StaticText: , done', 'StaticText: Label ready', tree[done + 1]]);
    expect(tree[done + 1]).to.not.equal('StaticText: , done');
    expect(heard).to.include('Label created. Tracking number 1 Z 9 9 9 A A 1 0 1 2 3 4 5 6 7 8 4.');
    await animationsDone();
    await expect(el).to.be.accessible();
  });
});
