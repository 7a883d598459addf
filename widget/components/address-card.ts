import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import type { Address, AddressParty } from '../../shared/address.ts';
import type { SessionState } from '../../shared/session.ts';
import { ADDRESS_MAX_LENGTH } from '../../shared/shipment-fields.ts';
import { define } from '../define.ts';
import { shipmentEn } from '../i18n/shipment.ts';
import { fill, type ShipmentStrings } from '../i18n/strings.ts';
import { requestAction } from './shipment-intent.ts';
import { tokens } from './theme.ts';

type Field = keyof Address;
/** What the inputs hold (every field a string while typing). */
type Draft = Record<Field, string>;

/** The form's fields in order: browser autofill token, input attributes (the label is `address_<name>` in the string table). */
const FIELDS: { name: Field; autocomplete: string; required: boolean; wide: boolean; inputmode?: string }[] = [
  { name: 'name', autocomplete: 'name', required: true, wide: true },
  { name: 'company', autocomplete: 'organization', required: false, wide: true },
  { name: 'street', autocomplete: 'address-line1', required: true, wide: true },
  { name: 'street2', autocomplete: 'address-line2', required: false, wide: true },
  { name: 'city', autocomplete: 'address-level2', required: true, wide: false },
  { name: 'state', autocomplete: 'address-level1', required: true, wide: false },
  { name: 'zip', autocomplete: 'postal-code', required: true, wide: false, inputmode: 'numeric' },
];

const EMPTY: Draft = { name: '', company: '', street: '', street2: '', city: '', state: '', zip: '' };

/** One line of an address, as the summary and the suggestion show it. */
export function addressLine(a: Address): string {
  return [a.name, a.company, a.street, a.street2, `${a.city}, ${a.state} ${a.zip}`].filter(Boolean).join(', ');
}

/** The address the session has, or the quoted ZIP (with the destination's city and state) to start from. */
function sessionAddress(state: SessionState | null, party: AddressParty): Partial<Address> {
  const set = state?.[party];
  if (set) return set.address;
  const shipment = state?.quotes?.shipment;
  if (!shipment) return {};
  return party === 'sender' ? { zip: shipment.from_zip } : { zip: shipment.to_zip, ...shipment.destination };
}

/** The ship-from card is shown once a sender was given, or when the account's address is not where the prices start. */
export function needsSenderCard(state: SessionState | null): boolean {
  const shipment = state?.quotes?.shipment;
  return Boolean(shipment && !state!.label && (state!.sender || (state!.account && state!.account.address.zip !== shipment.from_zip)));
}

/** The browser autofill section of each card. */
const AUTOFILL = { recipient: 'shipping', sender: 'section-sender' } as const;

/** Only the fields with something in them (optional fields are left out rather than sent empty). */
function filled(draft: Partial<Draft>): Address {
  return Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, (v ?? '').trim()]).filter(([, v]) => v)) as Address;
}

/**
 * Where the parcel goes (or, with party="sender", where it ships from): a form the browser can autofill (shipping name, organization, address
 * lines, city, state, ZIP), prefilled from the session (the recipient Bob heard or the shopper
 * typed, else the quoted ZIP's city and state). "Check address" sends it (ui_action
 * set_recipient, with its party); the BFF has the backend check it and logs the result, which
 * comes back here as state: problems at their fields, a suggestion with "Use suggestion" / "Keep
 * mine" (kept as typed: buyable, marked unverified). Bob hears every change from the BFF. The
 * recipient's card shows the ship-from card below it when one is needed.
 *
 * @csspart address - the card
 * @csspart suggestion - the suggested address with its buttons
 *
 * @tag shipvox-address-card
 */
export class ShipvoxAddressCard extends LitElement {
  static override properties = {
    state: { attribute: false },
    party: { type: String },
    strings: { attribute: false },
    pending: { state: true },
    localIssues: { state: true },
    failure: { state: true },
  };
  declare state: SessionState | null;
  /** Whose address this card edits (default the recipient). */
  declare party: AddressParty;
  /** The widget's words (language pack, host overrides) over the chunk's English. */
  declare strings: Partial<ShipmentStrings>;
  declare private pending: boolean;
  /** Required fields left empty (checked here before anything is sent). */
  declare private localIssues: Partial<Record<Field, string>>;
  /** The BFF refused the address outright (its sentence); nothing changed. */
  declare private failure: string | null;
  /** What the inputs hold: reset from the session whenever its address changes, never while typing. */
  private values: Draft = { ...EMPTY };
  private shownFrom: unknown = undefined;

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
    this.state = null;
    this.pending = false;
    this.localIssues = {};
    this.failure = null;
    this.party = 'recipient';
    this.strings = {};
  }

  private get t(): ShipmentStrings {
    return { ...shipmentEn, ...this.strings };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('state')) return;
    // The recipient object (or, before one, the quote set) changes only when the address does.
    const from = this.state?.[this.party] ?? this.state?.quotes?.request_id;
    if (from !== this.shownFrom) {
      this.shownFrom = from;
      this.values = { ...EMPTY, ...sessionAddress(this.state, this.party) };
      this.localIssues = {};
    }
  }

  override render() {
    if (!this.state?.quotes) return nothing;
    const t = this.t;
    const v = this.state[this.party]?.validation;
    const issues: Partial<Record<string, string>> = { ...this.localIssues };
    for (const m of v?.messages ?? []) issues[m.field] ??= m.text;
    const suggestion = v?.status === 'suggested' && !v.kept ? v.suggestion : undefined;
    return html`<section part="address" aria-labelledby="address-title">
      <h3 id="address-title">${t[`address_title_${this.party}`]}</h3>
      <form novalidate aria-describedby="address-status" @submit=${this.onSubmit}>
        ${FIELDS.map(
          (f) => html`<div class="field ${f.wide ? 'wide' : ''}">
            <label for=${f.name}>${t[`address_${f.name}`]}</label>
            <input
              id=${f.name}
              name=${f.name}
              autocomplete=${`${AUTOFILL[this.party]} ${f.autocomplete}`}
              inputmode=${f.inputmode ?? nothing}
              maxlength=${ADDRESS_MAX_LENGTH[f.name]}
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
          <button type="submit" class="primary" aria-disabled=${this.pending ? 'true' : nothing}>${this.pending ? t.address_checking : t.address_check}</button>
        </div>
        <p class="note ${v?.status === 'valid' ? 'ok' : ''}" id="address-status" role="status">${this.statusText()}</p>
      </form>
      ${suggestion
        ? html`<div class="suggestion" part="suggestion" role="group" aria-labelledby="suggestion-title">
            <p id="suggestion-title"><b>${t.address_suggestion_title}</b></p>
            <address>${addressLine(suggestion)}</address>
            <div class="actions">
              <button class="primary" @click=${() => this.save(suggestion)}>${t.address_use_suggestion}</button>
              <button @click=${this.keepMine}>${t.address_keep}</button>
            </div>
          </div>`
        : nothing}
    </section>
    ${this.party === 'recipient' && needsSenderCard(this.state)
      ? html`<shipvox-address-card party="sender" exportparts="address: sender-address, suggestion" .state=${this.state} .strings=${this.strings} @shipment-intent=${this.forward}></shipvox-address-card>`
      : nothing}`;
  }

  /** The ship-from card's intents out of this shadow root, to <shipvox-companion> (which sets the same detail's reply). */
  private forward(event: CustomEvent): void {
    event.stopPropagation();
    this.dispatchEvent(new CustomEvent('shipment-intent', { detail: event.detail, bubbles: true }));
  }

  private statusText(): string {
    if (this.failure) return this.failure;
    const t = this.t;
    const v = this.state?.[this.party]?.validation;
    if (!v) return t[`address_hint_${this.party}`];
    if (v.status === 'valid') return v.residential ? t.address_verified_home : t.address_verified_business;
    if (v.kept) return t.address_kept;
    const said = v.messages.map((m) => m.text).join(' ');
    return v.status === 'suggested' ? fill(t.address_suggested, { issues: said }).trim() : said || t.address_correct;
  }

  private onInput(field: Field, value: string): void {
    this.values = { ...this.values, [field]: value };
    this.failure = null;
    if (this.localIssues[field]) this.localIssues = { ...this.localIssues, [field]: undefined };
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const missing: Partial<Record<Field, string>> = {};
    const t = this.t;
    for (const f of FIELDS) if (f.required && !this.values[f.name].trim()) missing[f.name] = fill(t.address_missing, { field: t[`address_${f.name}`].toLowerCase() });
    this.localIssues = missing;
    const first = FIELDS.find((f) => missing[f.name]);
    if (first) this.focusField(first.name);
    else void this.save(filled(this.values));
  }

  /** Declines the suggestion: the address as typed is kept (checked again, buyable, marked unverified). */
  private keepMine(): void {
    const set = this.state?.[this.party];
    if (set) void this.save(set.address, true);
  }

  private focusField(name: Field): void {
    this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#${name}`)?.focus());
  }

  private async save(address: Address, keep = false): Promise<void> {
    if (this.pending) return;
    this.pending = true;
    this.failure = null;
    try {
      const whose = this.party === 'sender' ? { party: this.party } : {};
      await requestAction(this, { action: { action: 'set_recipient', address, ...whose, ...(keep ? { keep: true as const } : {}) } });
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
