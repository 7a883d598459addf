import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LABEL_FORMATS } from '../../shared/label-formats.ts';
import type { SessionState } from '../../shared/session.ts';
import { deepActive } from '../test/mount.ts';
import { labelCreated, quotesTo, recipientSet, selected, started, stateOf, trackingEvent, tracked, voided } from '../test/fixtures.ts';
import { answerIntents } from '../test/intents.ts';
import { FORMAT_STORAGE_KEY } from './label-options.ts';
import './label-options.ts';
import type { LabelFormatDetail, ShipvoxLabelOptions } from './label-options.ts';

const bought = [started(), quotesTo(), recipientSet(), selected('q_2'), labelCreated()];
async function options(state: SessionState = stateOf(bought)) {
  const el = await fixture<ShipvoxLabelOptions>(html`<shipvox-label-options .state=${state} locale="en-US"></shipvox-label-options>`);
  return { el, bff: answerIntents(el) };
}
const $ = <T extends Element>(el: ShipvoxLabelOptions, selector: string) => el.shadowRoot!.querySelector<T>(selector);

describe('<shipvox-label-options>', () => {
  beforeEach(() => localStorage.removeItem(FORMAT_STORAGE_KEY));
  after(() => localStorage.removeItem(FORMAT_STORAGE_KEY));

  it('offers every shared label format, PDF 4x6 first, and remembers the choice in this browser', async () => {
    const { el } = await options();
    const select = $<HTMLSelectElement>(el, 'select')!;
    expect([...select.options].map((o) => o.value)).to.deep.equal([...LABEL_FORMATS]);
    expect(select.value).to.equal('pdf_4x6');
    await expect(el).to.be.accessible();
    const changed = oneEvent(el, 'label-format');
    select.value = 'zpl';
    select.dispatchEvent(new Event('change'));
    expect(((await changed) as CustomEvent<LabelFormatDetail>).detail).to.deep.equal({ format: 'zpl', print: 'pdf_4x6' });
    expect(localStorage.getItem(FORMAT_STORAGE_KEY)).to.equal('zpl');

    // A new panel (another page of the same browser) starts from the remembered format and says so.
    // Built by hand: fixture() waits for an animation frame, which a background test page may never get.
    const wrapper = document.createElement('div');
    document.body.append(wrapper);
    const told = oneEvent(wrapper, 'label-format');
    const again = document.createElement('shipvox-label-options');
    again.state = stateOf(bought);
    wrapper.append(again);
    expect(((await told) as CustomEvent<LabelFormatDetail>).detail.format).to.equal('zpl');
    await again.updateComplete;
    expect(again.shadowRoot!.querySelector('select')!.value).to.equal('zpl');
    wrapper.remove();
  });

  it('ignores a stored value that is not a format', async () => {
    localStorage.setItem(FORMAT_STORAGE_KEY, 'docx');
    const { el } = await options();
    expect($<HTMLSelectElement>(el, 'select')!.value).to.equal('pdf_4x6');
  });

  it('voids only after the confirm step, by keyboard, and Escape or Keep label go back', async () => {
    const { el, bff } = await options();
    $<HTMLButtonElement>(el, '[part="void-button"]')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActive()?.id === 'void-no', 'the focus moves to Keep label');
    expect($(el, '[part="void-confirm"]')!.textContent).to.contain('$14.00 goes back to your ShipVox balance');
    expect(bff.intents, 'asking is not voiding').to.have.length(0);
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => deepActive()?.id === 'void', 'Escape returns to Void');
    expect($(el, '[part="void-confirm"]')).to.equal(null);

    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '#void-yes'));
    $<HTMLButtonElement>(el, '#void-yes')!.click();
    $<HTMLButtonElement>(el, '#void-yes')!.click(); // pending: nothing more
    expect(bff.intents.map((i) => i.action)).to.deep.equal([{ action: 'void_label', label_id: 'lbl_1' }]);
    bff.ack();
    await waitUntil(() => !$(el, '[part="void-confirm"]'));
    await expect(el).to.be.accessible();
  });

  it('shows a refused void and keeps the label', async () => {
    const { el, bff } = await options();
    $<HTMLButtonElement>(el, '[part="void-button"]')!.click();
    await waitUntil(() => $(el, '#void-yes'));
    $<HTMLButtonElement>(el, '#void-yes')!.click();
    bff.refuse('conflict', 'The carrier already has the parcel, so it can no longer be voided.');
    await waitUntil(() => $(el, '[role="alert"]'));
    expect($(el, '[role="alert"]')!.textContent).to.contain('can no longer be voided');
    await expect(el).to.be.accessible();
  });

  it('offers no Void once the parcel moves, and shows the refund once voided', async () => {
    const { el } = await options(stateOf([...bought, tracked([trackingEvent(1, 'pre_transit', 'Label created'), trackingEvent(2, 'in_transit', 'Accepted')])]));
    expect($(el, '[part="void-button"]')).to.equal(null);
    el.state = stateOf([...bought, voided()]);
    await el.updateComplete;
    expect($(el, '[role="status"]')!.textContent).to.contain('Label voided: $14.00 went back to your ShipVox balance');
    expect($(el, 'select'), 'no formats for a voided label').to.equal(null);
    await expect(el).to.be.accessible();
  });
});
