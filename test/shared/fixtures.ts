/** A shipment, its quotes and a label as the shared reducer's tests log them. */
import type { Label, Quote } from '../../shared/tools.ts';

export const shipment = { from_zip: '10001', to_zip: '94105', weight: 2, weight_unit: 'lb' as const, weight_oz: 32, residential: false };

export const quote = (req: number, option: number): Quote => ({
  option, quote_id: `q${req}-${option}`, rate_id: `rate_${req}_${option}`, carrier: 'USPS', service: 'Priority Mail', service_code: 'usps_priority',
  price_cents: 800 + option * 100, currency: 'USD', estimated_days: 2, delivery_date: '2026-11-27', guaranteed: false, zone: 8,
  expires_at: '2026-11-24T15:15:00Z', tags: [],
});

export const label = (quoteId: string): Label => ({
  label_id: `lbl_${quoteId}`, quote_id: quoteId, carrier: 'USPS', service: 'Priority Mail', tracking_number: '9400100000000000000000',
  tracking_url: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000000', pdf_url: '/v1/labels/x.pdf', qr_svg: '<svg/>',
  price_cents: 900, currency: 'USD', created_at: '2026-11-24T15:05:00Z',
});
