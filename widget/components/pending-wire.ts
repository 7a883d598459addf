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
