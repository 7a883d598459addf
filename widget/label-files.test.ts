import { expect } from '@open-wc/testing';
import { linkExpired, printPdf } from './label-files.ts';

// A minimal one-page PDF, enough for Chromium to load it in a frame.
const PDF = `%PDF-1.4
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 288 432]>>endobj
trailer<</Root 1 0 R>>
%%EOF`;

describe('label files', () => {
  it('prints the label from a hidden same-origin frame without leaving the page', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    const requested: string[] = [];
    const fetchPdf = (async (url: string) => {
      requested.push(url);
      return new Response(new Blob([PDF], { type: 'application/pdf' }));
    }) as unknown as typeof fetch;
    const before = location.href;
    const outcome = await printPdf('https://bff.example/v1/labels/lbl_1.pdf?exp=9999999999&sig=x', container, fetchPdf);
    expect(outcome).to.equal('printed');
    expect(requested).to.deep.equal(['https://bff.example/v1/labels/lbl_1.pdf?exp=9999999999&sig=x']);
    const frame = container.querySelector<HTMLIFrameElement>('iframe.print-frame')!;
    expect(frame.src.startsWith('blob:')).to.equal(true);
    expect(frame.getAttribute('aria-hidden')).to.equal('true');
    expect(location.href).to.equal(before);
    container.remove();
  });

  it('falls back to opening the PDF when it cannot be fetched', async () => {
    const container = document.createElement('div');
    const opened: unknown[][] = [];
    const realOpen = window.open;
    window.open = ((...args: unknown[]) => (opened.push(args), null)) as typeof window.open;
    try {
      const failing = (async () => new Response('no', { status: 403 })) as unknown as typeof fetch;
      expect(await printPdf('https://bff.example/l.pdf', container, failing)).to.equal('opened');
      expect(opened).to.deep.equal([['https://bff.example/l.pdf', '_blank', 'noopener']]);
      expect(container.querySelector('iframe')).to.equal(null);
    } finally {
      window.open = realOpen;
    }
  });

  it('knows when a signed link has expired', () => {
    expect(linkExpired('https://x/l.pdf?exp=100', 200_000)).to.equal(true);
    expect(linkExpired('https://x/l.pdf?exp=100', 50_000)).to.equal(false);
  });
});
