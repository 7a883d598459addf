import { LitElement, css, html, nothing, svg } from 'lit';
import type { Step } from '../../shared/session.ts';
import { define } from '../define.ts';
import { en, type Strings } from '../i18n/strings.ts';
import { tokens } from './theme.ts';

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

  static override styles = [
    tokens,
    css`
      :host {
        container-type: inline-size;
      }
      ol {
        display: flex;
        gap: 4px;
      }
      li {
        flex: 1 1 0;
        min-width: 0;
        display: flex;
        flex-direction: column;
        gap: 6px;
        font-size: 0.75rem;
        color: var(--_muted);
      }
      .bar {
        height: 4px;
        border-radius: 2px;
        background: var(--_border);
      }
      .name {
        display: flex;
        align-items: flex-start;
        gap: 4px;
      }
      svg {
        width: 12px;
        height: 12px;
        flex: none;
        margin-top: 0.1em;
      }
      .done .bar {
        background: var(--_success);
      }
      .done {
        color: var(--_fg);
      }
      .done svg {
        color: var(--_success);
      }
      .active .bar {
        background: var(--_accent);
      }
      .active,
      .current {
        color: var(--_fg);
        font-weight: 600;
      }
      .current {
        display: none;
        margin-top: 6px;
        font-size: 0.75rem;
      }
      /* Forced colours paint backgrounds Canvas: the bars keep their own system colours. */
      @media (forced-colors: active) {
        .bar {
          forced-color-adjust: none;
          background: Canvas;
          border: 1px solid CanvasText;
        }
        .done .bar,
        .active .bar {
          background: Highlight;
          border-color: Highlight;
        }
      }
      /* Too narrow for five names side by side (small card or large text): bars, and the current step's name under them. */
      @container (max-width: 24em) {
        .name {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip-path: inset(50%);
          white-space: nowrap;
        }
        .current {
          display: block;
        }
      }
    `,
  ];

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
