/**
 * Getting the label PDF to the shopper without leaving the page: signed links expire, so an
 * expired one is replaced (ui_action label_link) before use; printing goes through a hidden
 * same-origin frame when possible and falls back to opening the PDF.
 */
import { DEFAULT_LABEL_FORMAT } from '../shared/label-formats.ts';

/** True when the signed link's `exp` (unix seconds) has passed, or will within the margin. */
export function linkExpired(url: string, nowMs: number, marginMs = 15_000): boolean {
  const exp = Number(new URL(url, document.baseURI).searchParams.get('exp'));
  return Number.isFinite(exp) && exp > 0 && exp * 1000 - marginMs <= nowMs;
}

/** The signed label link for another file format (one signature serves every format; the default needs no parameter). */
export function withFormat(url: string, format: string): string {
  if (format === DEFAULT_LABEL_FORMAT) return url;
  const u = new URL(url, document.baseURI);
  u.searchParams.set('format', format);
  return u.href;
}

export function downloadUrl(url: string): string {
  const u = new URL(url, document.baseURI);
  u.searchParams.set('download', '1');
  return u.href;
}

/** Starts a download (the BFF answers `?download=1` with Content-Disposition: attachment). */
export function startDownload(url: string, container: Node & ParentNode): void {
  const a = document.createElement('a');
  a.href = downloadUrl(url);
  a.rel = 'noopener';
  a.download = '';
  container.append(a);
  a.click();
  a.remove();
}

export type PrintOutcome = 'printed' | 'opened';

/**
 * Loads the PDF into a hidden frame and prints it. The BFF is usually another origin, so the
 * PDF is fetched (connect-src allows the BFF) and framed as a same-origin blob; where the page's
 * CSP forbids that frame, the PDF opens in a new tab instead.
 */
export async function printPdf(url: string, container: Node & ParentNode, fetchImpl: typeof fetch = fetch): Promise<PrintOutcome> {
  let blobUrl: string | null = null;
  try {
    const response = await fetchImpl(url, { credentials: 'omit' });
    if (!response.ok) throw new Error(`PDF request failed (${response.status})`);
    blobUrl = URL.createObjectURL(await response.blob());
    const frame = document.createElement('iframe');
    frame.className = 'print-frame';
    frame.title = 'Label for printing';
    frame.tabIndex = -1;
    frame.setAttribute('aria-hidden', 'true');
    const loaded = new Promise<void>((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
    frame.src = blobUrl;
    container.append(frame);
    await loaded;
    const win = frame.contentWindow;
    if (!win) throw new Error('no frame window');
    win.focus();
    win.print();
    // The frame must outlive the print dialog; it is tiny and removed on the next print.
    for (const old of Array.from(container.querySelectorAll('iframe.print-frame'))) if (old !== frame) old.remove();
    return 'printed';
  } catch {
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    // With noopener, window.open returns null even when it worked: nothing to check.
    window.open(url, '_blank', 'noopener');
    return 'opened';
  }
}
