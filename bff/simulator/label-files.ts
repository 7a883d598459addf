/**
 * The label in every format the backend serves besides the 4x6 PDF (label-pdf.ts): the same label
 * placed on a Letter or A4 page for a home printer (pdf-lib, with a cut line), a 203 dpi PNG
 * (pngjs; text drawn with bwip-js's OCR-B glyphs, the tracking barcode by bwip-js, the QR code by
 * qrcode) and ZPL II for Zebra printers. Deterministic, like the PDF.
 */
import bwipjs from 'bwip-js';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { PNG, type PngImage } from 'pngjs';
import QRCode from 'qrcode';
import type { Address } from '../shipvox/contract.ts';
import { LABEL_HEIGHT_PT, LABEL_WIDTH_PT, SAMPLE_MARK, renderLabelPdf, type LabelPdfInput } from './label-pdf.ts';
import { formatTracking } from './tracking.ts';

export type LabelFile = 'pdf_4x6' | 'pdf_letter' | 'pdf_a4' | 'png' | 'zpl';

const PAGES = { pdf_letter: [612, 792], pdf_a4: [595.28, 841.89] } as const;

export async function renderLabelFile(input: LabelPdfInput, file: LabelFile): Promise<Uint8Array> {
  switch (file) {
    case 'pdf_4x6':
      return renderLabelPdf(input);
    case 'pdf_letter':
    case 'pdf_a4':
      return renderOnPage(input, PAGES[file]);
    case 'png':
      return renderLabelPng(input);
    case 'zpl':
      return new TextEncoder().encode(renderLabelZpl(input));
  }
}

/** The 4x6 label at full size in the page's upper half, inside a dashed cut line, with a hint. */
async function renderOnPage(input: LabelPdfInput, [width, height]: readonly [number, number]): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const created = new Date(input.created_at);
  doc.setTitle(`${input.carrier} label ${input.tracking_number}`);
  doc.setSubject(SAMPLE_MARK);
  doc.setProducer('ShipVox simulator (pdf-lib)');
  doc.setCreationDate(created);
  doc.setModificationDate(created);
  const [label] = await doc.embedPdf(await renderLabelPdf(input));
  const page = doc.addPage([width, height]);
  const x = (width - LABEL_WIDTH_PT) / 2;
  const y = height - 36 - LABEL_HEIGHT_PT;
  page.drawPage(label!, { x, y, width: LABEL_WIDTH_PT, height: LABEL_HEIGHT_PT });
  page.drawRectangle({ x: x - 6, y: y - 6, width: LABEL_WIDTH_PT + 12, height: LABEL_HEIGHT_PT + 12, borderColor: rgb(0.3, 0.3, 0.3), borderWidth: 0.75, borderDashArray: [6, 4] });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const hint = 'Cut along the dashed line and tape the label to the parcel. Print at 100% (actual size).';
  page.drawText(hint, { x: (width - font.widthOfTextAtSize(hint, 9)) / 2, y: y - 24, size: 9, font });
  return doc.save({ useObjectStreams: false });
}

// ---------- PNG, 4x6 in at 203 dpi ----------

export const PNG_WIDTH = 812;
export const PNG_HEIGHT = 1218;
const OCR_B = bwipjs.FontLib.lookup('OCR-B');

class Canvas {
  readonly png: PngImage = new PNG({ width: PNG_WIDTH, height: PNG_HEIGHT });
  constructor() {
    this.png.data.fill(255);
  }
  /** Darkens one pixel by `ink` (0–255). */
  dot(x: number, y: number, ink = 255): void {
    if (x < 0 || y < 0 || x >= PNG_WIDTH || y >= PNG_HEIGHT) return;
    const i = (y * PNG_WIDTH + x) * 4;
    const v = Math.min(this.png.data[i]!, 255 - ink);
    this.png.data[i] = this.png.data[i + 1] = this.png.data[i + 2] = v;
  }
  box(x: number, y: number, w: number, h: number): void {
    for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) this.dot(i, j);
  }
  frame(x: number, y: number, w: number, h: number, t: number): void {
    this.box(x, y, w, t);
    this.box(x, y + h - t, w, t);
    this.box(x, y, t, h);
    this.box(x + w - t, y, t, h);
  }
  /** One line of OCR-B text with its baseline at `y`, cut at `maxWidth`. */
  text(raw: string, x: number, y: number, size: number, maxWidth = PNG_WIDTH - x - 16): void {
    let pen = x;
    for (const ch of raw.toUpperCase()) {
      const code = ch.codePointAt(0) ?? 63;
      const g = bwipjs.FontLib.getglyph(OCR_B, code < 128 ? code : 63, size, size);
      if (pen + g.advance > x + maxWidth) break;
      for (let j = 0; j < g.height; j++) {
        for (let i = 0; i < g.width; i++) this.dot(pen + g.left + i, y - g.top + j, g.bytes[g.offset + j * g.width + i] ?? 0);
      }
      pen += g.advance;
    }
  }
  image(img: PngImage, x: number, y: number, w: number, h: number): void {
    for (let j = 0; j < h; j++) {
      for (let i = 0; i < w; i++) {
        const sx = Math.floor((i * img.width) / w);
        const sy = Math.floor((j * img.height) / h);
        const k = (sy * img.width + sx) * 4;
        const alpha = img.data[k + 3]! / 255;
        this.dot(x + i, y + j, Math.round((255 - img.data[k]!) * alpha));
      }
    }
  }
}

function addressLines(a: Address): string[] {
  return [a.name, a.company, a.street, a.street2, `${a.city} ${a.state} ${a.zip}`].filter((l): l is string => Boolean(l));
}

export async function renderLabelPng(input: LabelPdfInput): Promise<Uint8Array> {
  const c = new Canvas();
  c.frame(0, 0, PNG_WIDTH, PNG_HEIGHT, 4);
  c.text(input.carrier, 24, 80, 56);
  c.text(`SHIP DATE ${input.created_at.slice(0, 10)}  ZONE ${input.zone}`, 300, 60, 24);
  c.text(SAMPLE_MARK.replace('–', '-'), 300, 100, 20);
  c.box(0, 130, PNG_WIDTH, 90);
  // The banner is black: its text is drawn white by inverting the pixels the glyphs cover.
  const banner = new Canvas();
  banner.text(input.service_name, 24, 192, 48);
  for (let i = 0; i < PNG_WIDTH * 220 * 4; i += 4) if (banner.png.data[i]! < 128 && i >= PNG_WIDTH * 130 * 4) c.png.data[i] = c.png.data[i + 1] = c.png.data[i + 2] = 255;
  c.text('FROM:', 24, 270, 22);
  addressLines(input.from).forEach((line, i) => c.text(line, 120, 270 + i * 28, 22));
  c.box(0, 420, PNG_WIDTH, 3);
  c.text('SHIP TO:', 24, 480, 26);
  addressLines(input.to).forEach((line, i) => c.text(line, 170, 480 + i * 46, 38));
  c.box(0, 720, PNG_WIDTH, 8);
  c.text('TRACKING #', 330, 770, 26);
  // Whole-pixel modules (the largest scale that fits), drawn unscaled: resampled bars scan badly.
  let barcode = PNG.sync.read(await bwipjs.toBuffer({ bcid: 'code128', text: input.tracking_number, scale: 4, height: 20, includetext: false }));
  for (let scale = 3; barcode.width > PNG_WIDTH - 60 && scale >= 1; scale--) {
    barcode = PNG.sync.read(await bwipjs.toBuffer({ bcid: 'code128', text: input.tracking_number, scale, height: 20, includetext: false }));
  }
  c.image(barcode, Math.round((PNG_WIDTH - barcode.width) / 2), 790, barcode.width, Math.min(barcode.height, 170));
  c.text(formatTracking(input.carrier, input.tracking_number), 140, 1000, 34);
  c.box(0, 1020, PNG_WIDTH, 8);
  const qr = QRCode.create(input.tracking_url, { errorCorrectionLevel: 'M' }).modules;
  const cell = Math.floor(170 / qr.size);
  for (let j = 0; j < qr.size; j++) for (let i = 0; i < qr.size; i++) if (qr.get(j, i)) c.box(PNG_WIDTH - 200 + i * cell, 1036 + j * cell, cell, cell);
  c.text('SCAN FOR TRACKING', 24, 1080, 24);
  c.text(`LABEL ${input.label_id}`, 24, 1120, 20);
  c.text(SAMPLE_MARK.replace('–', '-'), 24, 1170, 22);
  return PNG.sync.write(c.png);
}

// ---------- ZPL II ----------

/** ZPL field data: ^ and ~ are commands, so they are replaced; only printable ASCII is kept. */
function fd(text: string): string {
  return printable(text).toUpperCase();
}

function printable(text: string): string {
  return text.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/[\^~]/g, ' ');
}

export function renderLabelZpl(input: LabelPdfInput): string {
  const lines: string[] = ['^XA', '^CI28', '^PW812', '^LL1218', '^LH0,0'];
  const field = (x: number, y: number, size: number, text: string) => lines.push(`^FO${x},${y}^A0N,${size},${size}^FD${fd(text)}^FS`);
  field(24, 24, 56, input.carrier);
  field(300, 30, 24, `SHIP DATE ${input.created_at.slice(0, 10)}  ZONE ${input.zone}`);
  field(300, 64, 20, SAMPLE_MARK.replace('–', '-'));
  lines.push('^FO0,130^GB812,90,90^FS', `^FO24,150^A0N,48,48^FR^FD${fd(input.service_name)}^FS`);
  field(24, 250, 22, 'FROM:');
  addressLines(input.from).forEach((line, i) => field(120, 250 + i * 28, 22, line));
  lines.push('^FO0,420^GB812,3,3^FS');
  field(24, 450, 26, 'SHIP TO:');
  addressLines(input.to).forEach((line, i) => field(170, 450 + i * 46, 38, line));
  lines.push('^FO0,720^GB812,8,8^FS');
  field(330, 745, 26, 'TRACKING #');
  lines.push(`^FO60,790^BY3^BCN,160,N,N,N^FD${fd(input.tracking_number)}^FS`);
  field(140, 970, 34, formatTracking(input.carrier, input.tracking_number));
  lines.push('^FO0,1020^GB812,8,8^FS', `^FO610,1036^BQN,2,4^FDMA,${printable(input.tracking_url)}^FS`);
  field(24, 1060, 24, 'SCAN FOR TRACKING');
  field(24, 1100, 20, `LABEL ${input.label_id}`);
  field(24, 1150, 22, SAMPLE_MARK.replace('–', '-'));
  lines.push('^XZ');
  return `${lines.join('\n')}\n`;
}
