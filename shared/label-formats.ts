/**
 * Label file formats (no zod: the widget's format chooser imports these at runtime). Every format
 * is served through the same signed label link, `&format=<id>` (default `pdf_4x6`).
 */
export const LABEL_FORMATS = ['pdf_4x6', 'pdf_letter', 'pdf_a4', 'png', 'zpl'] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];
export const DEFAULT_LABEL_FORMAT: LabelFormat = 'pdf_4x6';

/** What each format is for, as a chooser shows it. */
export const LABEL_FORMAT_NAMES: Readonly<Record<LabelFormat, string>> = {
  pdf_4x6: 'PDF 4×6 (thermal printer)',
  pdf_letter: 'PDF Letter (home printer)',
  pdf_a4: 'PDF A4 (home printer)',
  png: 'PNG image',
  zpl: 'ZPL (Zebra printer)',
};

export const LABEL_FORMAT_FILES: Readonly<Record<LabelFormat, { extension: 'pdf' | 'png' | 'zpl'; contentType: string }>> = {
  pdf_4x6: { extension: 'pdf', contentType: 'application/pdf' },
  pdf_letter: { extension: 'pdf', contentType: 'application/pdf' },
  pdf_a4: { extension: 'pdf', contentType: 'application/pdf' },
  png: { extension: 'png', contentType: 'image/png' },
  zpl: { extension: 'zpl', contentType: 'application/zpl' },
};

export function isLabelFormat(value: unknown): value is LabelFormat {
  return (LABEL_FORMATS as readonly unknown[]).includes(value);
}
