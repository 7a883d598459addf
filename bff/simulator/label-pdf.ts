/**
 * The 4x6 in (288×432 pt) shipping label, drawn with pdf-lib: service icon and banner, sender and
 * recipient blocks, a Code 128 tracking barcode (bwip-js), a tracking QR code (qrcode) and the
 * SAMPLE mark. Deterministic: no random ids, dates come from the label's creation time.
 */
import bwipjs from 'bwip-js';
import { PDFDocument, StandardFonts, degrees, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import type { Carrier } from '../../shared/tools.ts';
import type { Address } from '../shipvox/contract.ts';
import { formatTracking } from './tracking.ts';

export const LABEL_WIDTH_PT = 288;
export const LABEL_HEIGHT_PT = 432;
/** WinAnsi-encodable (the en dash is 0x96), so the standard fonts can draw it. */
export const SAMPLE_MARK = 'SAMPLE – NOT VALID FOR POSTAGE';

export type LabelPdfInput = {
  label_id: string;
  carrier: Carrier;
  service_name: string;
  service_token: string;
  tracking_number: string;
  tracking_url: string;
  from: Address;
  to: Address;
  weight_oz: number;
  zone: number;
  created_at: string;
};

const BLACK = rgb(0, 0, 0);
const WHITE = rgb(1, 1, 1);
const M = 8;

const SERVICE_ICON: Record<string, string> = {
  usps_ground_advantage: 'G',
  usps_priority: 'P',
  usps_priority_express: 'E',
  ups_ground: 'G',
  ups_second_day_air: '2',
  ups_next_day_air: '1',
  fedex_ground: 'G',
  fedex_home_delivery: 'H',
  fedex_2_day: 'E',
  fedex_standard_overnight: 'E',
};

const INDICIA: Record<Carrier, string[]> = {
  USPS: ['U.S. POSTAGE PAID', 'SHIPVOX SAMPLE', 'ePostage'],
  UPS: ['UPS  BILLING: P/P', 'SHIPVOX SAMPLE', 'PKG 1 OF 1'],
  FedEx: ['FedEx  BILL SENDER', 'SHIPVOX SAMPLE', 'PKG 1 OF 1'],
};

const TRACKING_TITLE: Record<Carrier, string> = { USPS: 'USPS TRACKING #', UPS: 'TRACKING #:', FedEx: 'TRK#' };

type Fonts = { regular: PDFFont; bold: PDFFont };

/** Replaces what WinAnsi cannot encode: accents are stripped where possible, the rest becomes '?'. */
function encodable(font: PDFFont, text: string): string {
  const charset = new Set(font.getCharacterSet());
  return Array.from(text.replace(/[\r\n\t]+/g, ' '))
    .map((ch) => {
      if (charset.has(ch.codePointAt(0) ?? 0)) return ch;
      const base = ch.normalize('NFKD').replace(/\p{M}/gu, '');
      return base && Array.from(base).every((c) => charset.has(c.codePointAt(0) ?? 0)) ? base : '?';
    })
    .join('');
}

type TextOptions = { x: number; y: number; size: number; font: PDFFont; maxWidth: number; minSize?: number; color?: ReturnType<typeof rgb> };

/** Draws one line, shrinking it down to minSize and then truncating it to fit maxWidth. */
function drawLine(page: PDFPage, raw: string, o: TextOptions): void {
  let text = encodable(o.font, raw);
  let size = o.size;
  const minSize = o.minSize ?? o.size * 0.7;
  while (size > minSize && o.font.widthOfTextAtSize(text, size) > o.maxWidth) size -= 0.5;
  if (o.font.widthOfTextAtSize(text, size) > o.maxWidth) {
    while (text.length > 1 && o.font.widthOfTextAtSize(`${text}...`, size) > o.maxWidth) text = text.slice(0, -1);
    text = `${text.trimEnd()}...`;
  }
  page.drawText(text, { x: o.x, y: o.y, size, font: o.font, color: o.color ?? BLACK });
}

function weightText(oz: number): string {
  const lb = Math.floor(oz / 16);
  const rest = Math.round((oz - lb * 16) * 10) / 10;
  return `${lb} LB ${rest} OZ`;
}

function addressLines(a: Address): [string, string, string] {
  return [a.name.toUpperCase(), a.street.toUpperCase(), `${a.city.toUpperCase()} ${a.state.toUpperCase()} ${a.zip}`];
}

export async function renderLabelPdf(input: LabelPdfInput): Promise<Uint8Array> {
  const created = new Date(input.created_at);
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`${input.carrier} label ${input.tracking_number}`);
  doc.setSubject(SAMPLE_MARK);
  doc.setAuthor('ShipVox simulator');
  doc.setCreator('ShipVox simulator');
  doc.setProducer('ShipVox simulator (pdf-lib)');
  doc.setCreationDate(created);
  doc.setModificationDate(created);
  const fonts: Fonts = { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
  const page = doc.addPage([LABEL_WIDTH_PT, LABEL_HEIGHT_PT]);
  const W = LABEL_WIDTH_PT;

  // Header: service icon, indicia box, ship date / weight / zone.
  page.drawRectangle({ x: M, y: 356, width: 68, height: 68, borderColor: BLACK, borderWidth: 3 });
  const icon = SERVICE_ICON[input.service_token] ?? input.carrier.charAt(0);
  const iconSize = 54;
  page.drawText(icon, { x: M + 34 - fonts.bold.widthOfTextAtSize(icon, iconSize) / 2, y: 369, size: iconSize, font: fonts.bold });
  page.drawRectangle({ x: 150, y: 372, width: W - 150 - M, height: 52, borderColor: BLACK, borderWidth: 1 });
  INDICIA[input.carrier].forEach((line, i) =>
    drawLine(page, line, { x: 155, y: 410 - i * 14, size: 8, font: i === 0 ? fonts.bold : fonts.regular, maxWidth: W - 150 - M - 10 }),
  );
  const info = [`SHIP DATE: ${input.created_at.slice(0, 10)}`, `WT: ${weightText(input.weight_oz)}`, `ZONE ${input.zone}`];
  info.forEach((line, i) => drawLine(page, line, { x: 84, y: 410 - i * 14, size: 7, font: fonts.regular, maxWidth: 62 }));
  drawLine(page, input.carrier === 'USPS' ? 'eVS' : input.carrier.toUpperCase(), { x: 155, y: 360, size: 7, font: fonts.regular, maxWidth: 120 });

  // Service banner between heavy rules.
  page.drawRectangle({ x: 0, y: 318, width: W, height: 32, color: BLACK });
  drawLine(page, input.service_name.toUpperCase(), { x: M, y: 327, size: 18, minSize: 10, font: fonts.bold, maxWidth: W - 2 * M, color: WHITE });

  // Sender.
  drawLine(page, 'FROM:', { x: M, y: 302, size: 7, font: fonts.bold, maxWidth: 40 });
  addressLines(input.from).forEach((line, i) => drawLine(page, line, { x: M + 34, y: 302 - i * 10, size: 8, font: fonts.regular, maxWidth: W - 2 * M - 34 }));

  // Recipient.
  page.drawLine({ start: { x: 0, y: 266 }, end: { x: W, y: 266 }, thickness: 1 });
  drawLine(page, 'SHIP TO:', { x: M, y: 252, size: 8, font: fonts.bold, maxWidth: 50 });
  const [toName, toStreet, toCity] = addressLines(input.to);
  drawLine(page, toName, { x: M + 42, y: 250, size: 13, minSize: 8, font: fonts.bold, maxWidth: W - 2 * M - 42 });
  drawLine(page, toStreet, { x: M + 42, y: 233, size: 12, minSize: 8, font: fonts.regular, maxWidth: W - 2 * M - 42 });
  drawLine(page, toCity, { x: M + 42, y: 215, size: 13, minSize: 8, font: fonts.bold, maxWidth: W - 2 * M - 42 });
  page.drawText(SAMPLE_MARK, { x: 30, y: 194, size: 14, font: fonts.bold, color: rgb(0.55, 0.55, 0.55), opacity: 0.35, rotate: degrees(10) });

  // Tracking barcode between heavy bars.
  page.drawRectangle({ x: 0, y: 184, width: W, height: 4, color: BLACK });
  drawLine(page, TRACKING_TITLE[input.carrier], { x: W / 2 - fonts.bold.widthOfTextAtSize(TRACKING_TITLE[input.carrier], 9) / 2, y: 172, size: 9, font: fonts.bold, maxWidth: W });
  const barcode = await doc.embedPng(
    await bwipjs.toBuffer({ bcid: 'code128', text: input.tracking_number, scale: 3, height: 14, includetext: false }),
  );
  page.drawImage(barcode, { x: 20, y: 112, width: W - 40, height: 54 });
  const human = formatTracking(input.carrier, input.tracking_number);
  drawLine(page, human, { x: W / 2 - fonts.bold.widthOfTextAtSize(human, 11) / 2, y: 98, size: 11, font: fonts.bold, maxWidth: W - 2 * M });
  page.drawRectangle({ x: 0, y: 88, width: W, height: 4, color: BLACK });

  // Printerless drop-off QR and the SAMPLE mark.
  const qr = await doc.embedPng(await QRCode.toBuffer(input.tracking_url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 4 }));
  page.drawImage(qr, { x: W - M - 74, y: M, width: 74, height: 74 });
  drawLine(page, 'Scan for tracking', { x: M, y: 68, size: 8, font: fonts.regular, maxWidth: 190 });
  drawLine(page, `LABEL ${input.label_id}`, { x: M, y: 56, size: 7, font: fonts.regular, maxWidth: 190 });
  page.drawRectangle({ x: M, y: M + 4, width: 192, height: 30, borderColor: BLACK, borderWidth: 2 });
  drawLine(page, SAMPLE_MARK, { x: M + 6, y: M + 14, size: 10, minSize: 6, font: fonts.bold, maxWidth: 180 });

  return doc.save({ useObjectStreams: false });
}
