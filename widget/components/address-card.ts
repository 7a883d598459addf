import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import type { Address } from '../../shared/address.ts';
import type { SessionState } from '../../shared/session.ts';
import { define } from '../define.ts';
import { requestAction } from './shipment-intent.ts';
import { addressCardStyles } from './address-card.styles.ts';

type Field = keyof Address;
/** What the inputs hold (every field a string while typing). */
type Draft = Record<Field, string>;

/** The form's fields in order: label, browser autofill token, input attributes. */
const FIELDS: { name: Field; label: string; autocomplete: string; required: boolean; wide: boolean; inputmode?: string; maxlength: number }[] = [
  { name: 'name', label: 'Full name', autocomplete: 'shipping name', required: true, wide: true, maxlength: 80 },
  { name: 'company', label: 'Company (optional)', autocomplete: 'shipping organization', required: false, wide: true, maxlength: 80 },
  { name: 'street', label: 'Street address', autocomplete: 'shipping address-line1', required: true, wide: true, maxlength: 120 },
  { name: 'street2', label: 'Apartment, suite, unit (optional)', autocomplete: 'shipping address-line2', required: false, wide: true, maxlength: 120 },
  { name: 'city', label: 'City', autocomplete: 'shipping address-level2', required: true, wide: false, maxlength: 60 },
  { name: 'state', label: 'State', autocomplete: 'shipping address-level1', required: true, wide: false, maxlength: 2 },
  { name: 'zip', label: 'ZIP code', autocomplete: 'shipping postal-code', required: true, wide: false, inputmode: 'numeric', maxlength: 5 },
];

const EMPTY: Draft = { name: '', company: '', street: '', street2: '', city: '', state: '', zip: '' };

/** One line of an address, as the summary and the suggestion show it. */
export function addressLine(a: Address): string {
  return [a.name, a.company, a.street, a.street2, `${a.city}, ${a.state} ${a.zip}`].filter(Boolean).join(', ');
}

/** The address the session has, or the quoted destination's city, state and ZIP to start from. */
function sessionAddress(state: SessionState | null): Partial<Address> {
  if (state?.recipient) return state.recipient.address;
  const shipment = state?.quotes?.shipment;
  return shipment ? { zip: shipment.to_zip, ...shipment.destination } : {};
}

/** Only the fields with something in them (optional fields are left out rather than sent empty). */
function filled(draft: Partial<Draft>): Address {
  return Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, (v ?? '').trim()]).filter(([, v]) => v)) as Address;
}

/**
 * Where the parcel goes: a form the browser can autofill (shipping name, organization, address
 * lines, city, state, ZIP), prefilled from the session (the recipient Bob heard or the shopper
 * typed, else the quoted ZIP's city and state). "Check address" sends it (ui_action
 * set_recipient); the BFF has the backend check it and logs the result, which comes back here as
 * state: problems at their fields, a suggestion with "Use suggestion" / "Keep mine". Bob hears
 * every change from the BFF.
 *
 * @csspart address - the card
 * @csspart suggestion - the suggested address with its buttons
 *
 * @tag shipvox-address-card
 */
export class ShipvoxAddressCard extends LitElement {
  static override properties = {
    state: { attribute: false },
    pending: { state: true },
    localIssues: { state: true },
    failure: { state: true },
    keptSeq: { state: true },
  };
  declare state: SessionState | null;
  declare private pending: boolean;
  /** Required fields left empty (checked here before anything is sent). */
  declare private localIssues: Partial<Record<Field, string>>;
  /** The BFF refused the address outright (its sentence); nothing changed. */
  declare private failure: string | null;
  /** The recipient whose suggestion the shopper declined ("Keep mine"). */
  declare private keptSeq: number | null;
  /** What the inputs hold: reset from the session whenever its address changes, never while typing. */
  private values: Draft = { ...EMPTY };
  private shownFrom: unknown = undefined;

  static override styles = addressCardStyles;

  constructor() {
    super();
    this.state = null;
    this.pending = false;
    this.localIssues = {};
    this.failure = null;
    this.keptSeq = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('state')) return;
    // The recipient object (or, before one, the quote set) changes only when the address does.
    const from = this.state?.recipient ?? this.state?.quotes?.request_id;
    if (from !== this.shownFrom) {
      this.shownFrom = from;
      this.values = { ...EMPTY, ...sessionAddress(this.state) };
      this.localIssues = {};
    }
  }

  override render() {
    if (!this.state?.quotes) return nothing;
    const recipient = this.state.recipient;
    const v = recipient?.validation;
    const issues: Partial<Record<string, string>> = { ...this.localIssues };
    for (const m of v?.messages ?? []) issues[m.field] ??= m.text;
    const suggestion = v?.status === 'suggested' && recipient!.seq !== this.keptSeq ? v.suggestion : undefined;
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
              aria-invalid=${issues[f.name] ? 'true' : 'false'}
              aria-describedby=${issues[f.name] ? `${f.name}-error` : nothing}
              .value=${live(this.values[f.name])}
              @input=${(e: InputEvent) => this.onInput(f.name, (e.target as HTMLInputElement).value)}
            />
            ${issues[f.name] ? html`<p class="error" id=${`${f.name}-error`}>${issues[f.name]}</p>` : nothing}
          </div>`,
        )}
        <div class="actions">
          <button type="submit" class="primary" aria-disabled=${this.pending ? 'true' : nothing}>${this.pending ? 'Checking…' : 'Check address'}</button>
        </div>
        <p class="note ${v?.status === 'valid' ? 'ok' : ''}" id="address-status" role="status">${this.statusText()}</p>
      </form>
      ${suggestion
        ? html`<div class="suggestion" part="suggestion" role="group" aria-labelledby="suggestion-title">
            <p id="suggestion-title"><b>Did you mean this address?</b></p>
            <address>${addressLine(suggestion)}</address>
            <div class="actions">
              <button class="primary" @click=${() => this.save(suggestion)}>Use suggestion</button>
              <button @click=${this.keepMine}>Keep mine</button>
            </div>
          </div>`
        : nothing}
    </section>`;
  }

  private statusText(): string {
    if (this.failure) return this.failure;
    const recipient = this.state?.recipient;
    const v = recipient?.validation;
    if (!recipient || !v) return 'Check the address before you buy: the label is printed with it.';
    if (v.status === 'valid') return `Address verified (${v.residential ? 'residential' : 'business'}).`;
    if (v.status === 'suggested' && recipient.seq === this.keptSeq) return 'Keeping your address: correct it above and check it again.';
    const said = v.messages.map((m) => m.text).join(' ');
    return v.status === 'suggested' ? `${said} We suggest a corrected address below.`.trim() : said || 'Please correct the address.';
  }

  private onInput(field: Field, value: string): void {
    this.values = { ...this.values, [field]: value };
    this.failure = null;
    if (this.localIssues[field]) this.localIssues = { ...this.localIssues, [field]: undefined };
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const missing: Partial<Record<Field, string>> = {};
    for (const f of FIELDS) if (f.required && !this.values[f.name].trim()) missing[f.name] = `Enter the ${f.label.toLowerCase()}.`;
    this.localIssues = missing;
    const first = FIELDS.find((f) => missing[f.name]);
    if (first) this.focusField(first.name);
    else void this.save(filled(this.values));
  }

  /** Declines the suggestion: the typed address stays (still unverified) for the shopper to correct. */
  private keepMine(): void {
    const recipient = this.state?.recipient;
    if (!recipient) return;
    this.keptSeq = recipient.seq;
    void requestAction(this, { tell: 'The shopper declined the suggested address and is correcting it on screen.' }).catch(() => undefined);
    this.focusField('street');
  }

  private focusField(name: Field): void {
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#${name}`)?.focus());
  }

  private async save(address: Address): Promise<void> {
    if (this.pending) return;
    this.pending = true;
    this.failure = null;
    try {
      await requestAction(this, { action: { action: 'set_recipient', address } });
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
