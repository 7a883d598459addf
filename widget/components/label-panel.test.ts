import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { QR_SVG, label } from '../test/fixtures.ts';
import { animationsDone } from '../test/fixtures.ts';
import './label-panel.ts';
import type { ShipvoxLabelPanel } from './label-panel.ts';
import { parseQrSvg } from './qr-code.ts';

async function panel(emails: { label_id: string; to: string; seq: number }[] = []) {
  return fixture<ShipvoxLabelPanel>(html`<shipvox-label-panel .label=${label()} .emails=${emails}></shipvox-label-panel>`);
}

describe('<shipvox-label-panel>', () => {
  it('shows the tracking number, link, QR code and preview fallback', async () => {
    const el = await panel();
    const root = el.shadowRoot!;
    const link = root.querySelector<HTMLAnchorElement>('a.tracking')!;
    expect(link.textContent).to.contain('1Z999AA10123456784');
    expect(link.href).to.equal('https://track.example/1Z999AA10123456784');
    const qr = root.querySelector('shipvox-qr-code')!;
    await qr.updateComplete;
    const svg = qr.shadowRoot!.querySelector('svg')!;
    expect(svg.getAttribute('viewBox')).to.equal('0 0 29 29');
    expect(svg.querySelectorAll('path')).to.have.length(2);
    expect(root.querySelector('object')!.getAttribute('data')).to.contain('lbl_1.pdf');
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('links the tracking number only to an http(s) URL (a javascript: one gets no href)', async () => {
    const el = await fixture<ShipvoxLabelPanel>(html`<shipvox-label-panel .label=${label({ tracking_url: 'javascript:alert(1)' })} .emails=${[]}></shipvox-label-panel>`);
    const link = el.shadowRoot!.querySelector<HTMLAnchorElement>('a.tracking')!;
    expect(link.hasAttribute('href')).to.equal(false);
    expect(link.textContent).to.contain('1Z999AA10123456784');
  });

  it('keeps only geometry and colours from the QR markup (no script, no handlers)', () => {
    const hostile =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script><path d="M0 0h10v10H0z" fill="url(javascript:alert(3))" onclick="x()"/><path d="M1 1h1" stroke="#000"/></svg>';
    const drawing = parseQrSvg(hostile)!;
    expect(drawing.viewBox).to.equal('0 0 10 10');
    expect(drawing.paths).to.deep.equal([
      { d: 'M0 0h10v10H0z', fill: null, stroke: null, strokeWidth: null },
      { d: 'M1 1h1', fill: null, stroke: '#000', strokeWidth: null },
    ]);
    expect(parseQrSvg('<div>not svg</div>')).to.equal(null);
    expect(parseQrSvg(QR_SVG)!.paths[1]!.stroke).to.equal('#000000');
  });

  it('emits download and print intents', async () => {
    const el = await panel();
    const [download, print] = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.actions button');
    const d = oneEvent(el, 'label-download');
    download!.click();
    expect((await d).detail).to.deep.equal({ label_id: 'lbl_1' });
    const p = oneEvent(el, 'label-print');
    print!.click();
    expect((await p).detail).to.deep.equal({ label_id: 'lbl_1' });
  });

  it('validates the email address before emitting label-email', async () => {
    const el = await panel();
    const input = el.shadowRoot!.querySelector('input')!;
    input.focus();
    await sendKeys({ type: 'not-an-email' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.querySelector('#email-error')!.textContent).to.contain('valid email');
    await animationsDone();
    await expect(el).to.be.accessible();

    input.value = '';
    input.focus();
    await sendKeys({ type: 'shopper@example.com' });
    const sent = oneEvent(el, 'label-email');
    await sendKeys({ press: 'Enter' });
    expect((await sent).detail).to.deep.equal({ label_id: 'lbl_1', to: 'shopper@example.com' });
  });

  it('confirms a sent email', async () => {
    const el = await panel([{ label_id: 'lbl_1', to: 's•••@example.com', seq: 9 }]);
    expect(el.shadowRoot!.textContent).to.contain('Sent to s•••@example.com');
    await animationsDone();
    await expect(el).to.be.accessible();
  });
});
