import { expect, fixture, html } from '@open-wc/testing';
import type { FrameRecord } from '../session/session-controller.ts';
import './dev-console.ts';
import { FrameLog, type ShipvoxDevConsole } from './dev-console.ts';

const rec = (dir: 'in' | 'out', type: string, seq?: number): FrameRecord => ({ dir, type, seq, at: 0, frame: { type, seq } });

describe('<shipvox-dev-console>', () => {
  it('lists frames with direction, seq and type, filters by type, and pauses', async () => {
    const log = new FrameLog(3);
    for (const r of [rec('out', 'hello'), rec('in', 'welcome'), rec('in', 'quotes_ready', 2), rec('in', 'quote_selected', 3)]) log.add(r);
    expect(log.entries.map((e) => e.type)).to.deep.equal(['welcome', 'quotes_ready', 'quote_selected']);

    const el = await fixture<ShipvoxDevConsole>(html`<shipvox-dev-console .entries=${log.entries}></shipvox-dev-console>`);
    const rows = () => [...el.shadowRoot!.querySelectorAll('summary')].map((s) => s.textContent!.replace(/\s+/g, ' ').trim());
    expect(rows()).to.deep.equal(['↓ welcome', '↓ 2 quotes_ready', '↓ 3 quote_selected']);

    const select = el.shadowRoot!.querySelector('select')!;
    select.value = 'quotes_ready';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(rows()).to.deep.equal(['↓ 2 quotes_ready']);

    select.value = '';
    select.dispatchEvent(new Event('change'));
    const pause = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.bar button')[0]!;
    pause.click();
    await el.updateComplete;
    expect(pause.getAttribute('aria-pressed')).to.equal('true');
    log.add(rec('out', 'ping'));
    el.entries = log.entries;
    await el.updateComplete;
    expect(rows()).to.have.length(3);
    pause.click();
    await el.updateComplete;
    expect(rows().at(-1)).to.equal('↑ ping');
    await expect(el).to.be.accessible();
  });
});
