import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { define } from '../define.ts';
import type { Address, AddressValidation } from './pending-wire.ts';
import { requestAction } from './shipment-intent.ts';
import { tokens } from './theme.ts';

type Field = keyof Address;

/** The form's fields in order: label, browser autofill token, input attributes. */
const FIELDS: { name: Field; label: string; autocomplete: string; required: boolean; wide: boolean; inputmode?: string; maxlength: number }[] = [
  { name: 'name', label: 'Full name', autocomplete: 'shipping name', required: true, wide: true, maxlength: 100 },
  { name: 'street1', label: 'Street address', autocomplete: 'shipping address-line1', required: true, wide: true, maxlength: 100 },
  { name: 'street2', label: 'Apartment, suite, unit (optional)', autocomplete: 'shipping address-line2', required: false, wide: true, maxlength: 100 },
  { name: 'city', label: 'City', autocomplete: 'shipping address-level2', required: true, wide: false, maxlength: 60 },
  { name: 'state', label: 'State', autocomplete: 'shipping address-level1', required: true, wide: false, maxlength: 2 },
  { name: 'zip', label: 'ZIP code', autocomplete: 'shipping postal-code', required: true, wide: false, inputmode: 'numeric', maxlength: 5 },
];

const EMPTY: Address = { name: '', street1: '', street2: '', city: '', state: '', zip: '' };

/** One line of an address, as Bob reads it back and the summary shows it. */
export function addressLine(a: Address): string {
  return [a.name, a.street1, a.street2, `${a.city}, ${a.state} ${a.zip}`].filter(Boolean).join(', ');
}

/**
 * Where the parcel goes: a form the browser can autofill (shipping name, address lines, city,
 * state, ZIP), prefilled from what the session knows (the quoted ZIP's city and state, or what the
 * shopper told Bob). Saving sends the address to the BFF, which validates it; field problems are
 * shown at their fields, a suggestion with "Use suggestion" / "Keep mine".
 *
 * @csspart address - the card
 * @csspart suggestion - the suggested address with its buttons
 *
 * @tag shipvox-address-card
 */
export class ShipvoxAddressCard extends LitElement {
  static override properties = {
    address: { attribute: false },
    validation: { attribute: false },
    pending: { state: true },
    localIssues: { state: true },
    failure: { state: true },
  };
  /** The address as the session has it (typed, heard by Bob, or prefilled from the quoted ZIP). */
  declare address: Partial<Address> | null;
  /** The BFF's last validation of that address, if any. */
  declare validation: AddressValidation | null;
  declare private pending: boolean;
  /** Required fields left empty (checked here before anything is sent). */
  declare private localIssues: Partial<Record<Field, string>>;
  /** The BFF refused the action (in its words). */
  declare private failure: string | null;
  /** What the inputs hold: reset from `address` whenever the session's address changes. */
  private values: Address = { ...EMPTY };

  static override styles = [
    tokens,
    css`
      section {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: 14px;
        display: grid;
        gap: 10px;
        background: var(--_surface);
        container-type: inline-size;
      }
      h3 {
        font-size: 0.9375rem;
      }
      form {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(0, 1fr) minmax(0, 1.2fr);
        gap: 8px;
      }
      .field {
        display: grid;
        gap: 2px;
        align-content: start;
        min-width: 0;
      }
      .wide,
      .actions,
      .note {
        grid-column: 1 / -1;
      }
      @container (max-width: 22em) {
        form {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      label {
        font-size: 0.8125rem;
        font-weight: 500;
      }
      input {
        min-width: 0;
        width: 100%;
        min-height: 24px;
        padding: 6px 10px;
        border: 1px solid var(--_border);
        border-radius: calc(var(--_radius) - 4px);
        background: var(--_surface);
        color: var(--_fg);
      }
      input[aria-invalid='true'] {
        border-color: var(--_danger);
      }
      .error {
        color: var(--_danger);
        font-size: 0.8125rem;
      }
      .note {
        font-size: 0.8125rem;
        color: var(--_muted);
      }
      .ok {
        color: var(--_success);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
      }
      .suggestion {
        display: grid;
        gap: 8px;
        padding: 10px;
        border-radius: calc(var(--_radius) - 4px);
        background: var(--_subtle);
      }
      address {
        font-style: normal;
      }
    `,
  ];

  constructor() {
    super();
    this.address = null;
    this.validation = null;
    this.pending = false;
    this.localIssues = {};
    this.failure = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Only a change of the session's address replaces what the inputs hold, never a re-render while typing.
    if (changed.has('address')) this.values = { ...EMPTY, ...this.address };
  }

  override render() {
    const v = this.validation;
    const issues: Partial<Record<Field, string>> = { ...this.localIssues };
    for (const issue of v?.issues ?? []) if (issue.field && !issues[issue.field]) issues[issue.field] = issue.message;
    const general = (v?.issues ?? []).filter((i) => !i.field).map((i) => i.message);
    return html`<section part="address" aria-labelledby="address-title">
      <h3 id="address-title">Where is it going?</h3>
      <form novalidate aria-describedby="address-status" @submit=${this.onSubmit}>
        ${FIELDS.map(
          (f) => html`<div class="field ${f.wide ? 'wide' : ''}">
            <label for=${f.name}>${f.label}</label>
            <input
              id=${f.name}
              name=${f.name}
              autocomplete=${f.autocomplete}
              inputmode=${f.inputmode ?? nothing}
              maxlength=${f.maxlength}
              ?required=${f.required}
              aria-required=${f.required ? 'true' : nothing}
              aria-invalid=${issues[f.name] ? 'true' : 'false'}
              aria-describedby=${issues[f.name] ? `${f.name}-error` : nothing}
              .value=${this.values[f.name] ?? ''}
              @input=${(e: InputEvent) => this.onInput(f.name, (e.target as HTMLInputElement).value)}
            />
            ${issues[f.name] ? html`<p class="error" id=${`${f.name}-error`}>${issues[f.name]}</p>` : nothing}
          </div>`,
        )}
        <div class="actions">
          <button type="submit" class="primary" aria-disabled=${this.pending ? 'true' : nothing}>
            ${this.pending ? 'Checking…' : 'Check address'}
          </button>
        </div>
        <p class="note" id="address-status" role="status">${this.statusText(general)}</p>
      </form>
      ${v?.suggestion ? this.renderSuggestion(v.suggestion) : nothing}
    </section>`;
  }

  private renderSuggestion(suggestion: Address) {
    return html`<div class="suggestion" part="suggestion" role="group" aria-labelledby="suggestion-title">
      <p id="suggestion-title"><b>Did you mean this address?</b></p>
      <address>${addressLine(suggestion)}</address>
      <div class="actions">
        <button class="primary" @click=${() => this.save(suggestion, 'The shopper accepted the suggested address on screen')}>Use suggestion</button>
        <button @click=${() => this.save(this.values, 'The shopper kept the address as typed on screen', true)}>Keep mine</button>
      </div>
    </div>`;
  }

  private statusText(general: string[]): string {
    if (this.failure) return this.failure;
    const v = this.validation;
    if (!v) return '';
    if (v.valid) return `Address verified${v.residential ? ' · residential' : ''}.`;
    return general.join(' ') || (v.suggestion ? 'We found a closer match below.' : 'Please correct the address.');
  }

  private onInput(field: Field, value: string): void {
    this.values = { ...this.values, [field]: value };
    if (this.localIssues[field]) this.localIssues = { ...this.localIssues, [field]: undefined };
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const missing: Partial<Record<Field, string>> = {};
    for (const f of FIELDS) if (f.required && !this.values[f.name]?.trim()) missing[f.name] = `Enter the ${f.label.toLowerCase()}.`;
    this.localIssues = missing;
    const first = FIELDS.find((f) => missing[f.name]);
    if (first) {
      this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#${first.name}`)?.focus());
      return;
    }
    void this.save(this.values, 'The shopper entered the recipient address on screen');
  }

  private async save(address: Address, told: string, keep = false): Promise<void> {
    if (this.pending) return;
    const trimmed = Object.fromEntries(Object.entries(address).map(([k, v]) => [k, (v ?? '').trim()])) as unknown as Address;
    this.pending = true;
    this.failure = null;
    try {
      await requestAction(this, { action: { action: 'set_recipient', address: trimmed, keep } as never, tell: `${told}: ${addressLine(trimmed)}.` });
    } catch (error) {
      this.failure = (error as Error).message;
    } finally {
      this.pending = false;
    }
  }
}

define('shipvox-address-card', ShipvoxAddressCard, { quiet: true });

declare global {
  interface HTMLElementTagNameMap {
    'shipvox-address-card': ShipvoxAddressCard;
  }
}
