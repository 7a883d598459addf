// TEMPORARY: stand-ins until issue-18a's shared schemas land; replaced by imports from shared/.
export interface Address {
  name: string;
  street1: string;
  street2?: string | undefined;
  city: string;
  state: string;
  zip: string;
}
export interface AddressIssue {
  field: keyof Address | null;
  message: string;
}
export interface AddressValidation {
  valid: boolean;
  residential?: boolean | undefined;
  issues: AddressIssue[];
  suggestion: Address | null;
}
export const LABEL_FORMATS = ['pdf_4x6', 'pdf_letter', 'png', 'zpl'] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];
export interface TrackingEvent {
  status: string;
  description: string;
  location?: string | undefined;
  occurred_at: string;
}
export interface PurchaseSummary {
  carrier: string;
  service: string;
  price_cents: number;
  currency: string;
  delivery_date: string | null;
  estimated_days: number;
  recipient: Address | null;
  ready: boolean;
}
