import { LitElement, html, nothing, svg } from 'lit';
import type { Step } from '../../shared/session.ts';
import { define } from '../define.ts';
import { en, type Strings } from '../i18n/strings.ts';
import { stepTrackerStyles } from './step-tracker.styles.ts';

/** The step's name; once a label exists the last step names the parcel's stage (the confirmation follows it). */
const stepKey = (step: Step): keyof Strings => (step.detail ? `stage_${step.detail}` : `step_${step.id}`);

const check = svg`<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3.5 8.5l3 3 6-7" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

/**
 * Where the shipment stands: zip → weight → quote → label → done, as derived by `deriveSteps`; once
 * a label exists the last step names the parcel's stage (label ready → in transit → delivered, or voided).
 *
 * @csspart steps - the ordered list
 * @csspart step - one step
 *
 * @tag shipvox-step-tracker
 */
export class ShipvoxStepTracker extends LitElement {
  static override properties = { steps: { attribute: false }, strings: { attribute: false } };
  declare steps: Step[];
  declare strings: Strings;

  static override styles = stepTrackerStyles;

  constructor() {
    super();
    this.steps = [];
    this.strings = en;
  }

  override render() {
    const current = this.steps.find((s) => s.status === 'active') ?? this.steps.findLast((s) => s.status === 'done');
    const t = this.strings;
    return html`<ol part="steps" aria-label=${t.progress}>
        ${this.steps.map(
          (step) =>
            html`<li part="step" class=${step.status} aria-current=${step.status === 'active' ? 'step' : nothing}>
              <span class="bar"></span>
              <span class="name">${step.status === 'done' ? check : null}${t[stepKey(step)]}<span class="sr-only"
                  >${step.status === 'pending' ? t.step_is_todo : step.id === 'done' ? '' : step.status === 'done' ? t.step_is_done : t.step_is_current}</span
                ></span
              >
            </li>`,
        )}
      </ol>
      ${current ? html`<p class="current" aria-hidden="true">${t[stepKey(current)]}</p>` : nothing}`;
  }
}

define('shipvox-step-tracker', ShipvoxStepTracker, { quiet: true });

declare global {
  interface HTMLElementTagNameMap {
    'shipvox-step-tracker': ShipvoxStepTracker;
  }
}
