/**
 * The label's QR code, rendered from `label.qr_svg` WITHOUT innerHTML: the markup is parsed as
 * inert XML, only viewBox and path geometry/colours are kept, and Lit's svg template draws them.
 * Works under a strict CSP and cannot smuggle script or event handlers into the page.
 */
import { LitElement, html, svg, nothing } from 'lit';
import { define } from '../define.ts';
import { qrCodeStyles } from './qr-code.styles.ts';

export interface QrPath {
  d: string;
  fill: string | null;
  stroke: string | null;
  strokeWidth: string | null;
}
export interface QrDrawing {
  viewBox: string;
  paths: QrPath[];
}

const VIEWBOX = /^-?[\d.]+(?:[\s,]+-?[\d.]+){3}$/;
const PATH_DATA = /^[MmLlHhVvZzCcSsQqTtAa\d\s.,eE+-]*$/;
const COLOR = /^(?:#[\da-fA-F]{3,8}|none|currentColor|[a-zA-Z]{3,20})$/;
const NUMBER = /^[\d.]+$/;

function safe(value: string | null, pattern: RegExp): string | null {
  return value !== null && pattern.test(value.trim()) ? value.trim() : null;
}

/** Extracts what is safe to draw; null when the markup is not a usable SVG. */
export function parseQrSvg(markup: string): QrDrawing | null {
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) return null;
  const width = safe(root.getAttribute('width'), NUMBER);
  const height = safe(root.getAttribute('height'), NUMBER);
  const viewBox = safe(root.getAttribute('viewBox'), VIEWBOX) ?? (width && height ? `0 0 ${width} ${height}` : null);
  if (!viewBox) return null;
  const paths: QrPath[] = [];
  for (const path of Array.from(root.getElementsByTagName('path'))) {
    const d = safe(path.getAttribute('d'), PATH_DATA);
    if (!d) continue;
    paths.push({
      d,
      fill: safe(path.getAttribute('fill'), COLOR),
      stroke: safe(path.getAttribute('stroke'), COLOR),
      strokeWidth: safe(path.getAttribute('stroke-width'), NUMBER),
    });
  }
  return paths.length ? { viewBox, paths } : null;
}

/**
 * @csspart qr - the svg element
 *
 * @tag shipvox-qr-code
 */
export class ShipvoxQrCode extends LitElement {
  static override properties = { markup: { attribute: false }, label: { type: String }, unavailable: { type: String } };
  /** SVG markup from the backend (label.qr_svg). */
  declare markup: string;
  /** Accessible name of the image. */
  declare label: string;
  /** Shown when the markup is not a usable SVG (the label panel passes the string table's qr_unavailable). */
  declare unavailable: string;
  private parsed: { markup: string; drawing: QrDrawing | null } | null = null;

  static override styles = qrCodeStyles;

  constructor() {
    super();
    this.markup = '';
    this.label = 'QR code';
  }

  override render() {
    if (this.parsed?.markup !== this.markup) this.parsed = { markup: this.markup, drawing: this.markup ? parseQrSvg(this.markup) : null };
    const drawing = this.parsed.drawing;
    if (!drawing) return this.markup ? html`<p>${this.unavailable}</p>` : nothing;
    return html`<svg part="qr" role="img" aria-label=${this.label} viewBox=${drawing.viewBox} shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
      ${drawing.paths.map(
        (p) => svg`<path d=${p.d} fill=${p.fill ?? nothing} stroke=${p.stroke ?? nothing} stroke-width=${p.strokeWidth ?? nothing}></path>`,
      )}
    </svg>`;
  }
}

define('shipvox-qr-code', ShipvoxQrCode, { quiet: true });

declare global {
  interface HTMLElementTagNameMap {
    'shipvox-qr-code': ShipvoxQrCode;
  }
}
