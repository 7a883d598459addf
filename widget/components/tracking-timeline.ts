import { LitElement, css, html, nothing } from 'lit';
import type { SessionState } from '../../shared/session.ts';
import { define } from '../define.ts';
import { shipmentEn } from '../i18n/shipment.ts';
import { fill, type ShipmentStrings } from '../i18n/strings.ts';
import { tokens } from './theme.ts';

/**
 * The label's tracking events (state.tracking, as the BFF learned them from the backend), newest
 * first; the newest is also announced (polite) as it arrives. Every screen of the session shows it.
 *
 * @csspart timeline - the list of events
 *
 * @tag shipvox-tracking-timeline
 */
export class ShipvoxTrackingTimeline extends LitElement {
  static override properties = { state: { attribute: false }, locale: { type: String }, strings: { attribute: false } };
  declare state: SessionState | null;
  declare locale: string | undefined;
  /** The widget's words (language pack, host overrides) over the chunk's English. */
  declare strings: Partial<ShipmentStrings>;

  static override styles = [
    tokens,
    css`
      section {
        display: grid;
        gap: 8px;
      }
      h3 {
        font-size: 0.875rem;
      }
      ol {
        display: grid;
        gap: 10px;
        border-inline-start: 2px solid var(--_border);
        padding-inline-start: 12px;
      }
      li {
        position: relative;
        display: grid;
        gap: 2px;
        font-size: 0.8125rem;
      }
      li::before {
        content: '';
        position: absolute;
        inset-inline-start: -18px;
        top: 4px;
        width: 10px;
        height: 10px;
        border-radius: 50%;
        background: var(--_border);
      }
      li:first-child::before {
        background: var(--_accent);
      }
      li:first-child .what {
        font-weight: 600;
      }
      .when {
        color: var(--_muted);
      }
      @media (forced-colors: active) {
        li:first-child::before {
          background: Highlight;
        }
      }
    `,
  ];

  constructor() {
    super();
    this.strings = {};
    this.state = null;
  }

  override render() {
    const tracking = this.state?.tracking;
    if (!tracking?.events.length || tracking.label_id !== this.state!.label?.label_id) return nothing;
    const newest = [...tracking.events].reverse();
    const latest = newest[0]!;
    const t: ShipmentStrings = { ...shipmentEn, ...this.strings };
    return html`<section aria-labelledby="tracking-title">
      <h3 id="tracking-title">${t.tracking_title}</h3>
      <ol part="timeline">
        ${newest.map(
          (e) => html`<li>
            <span class="what">${e.description}</span>
            <span class="when"><time datetime=${e.occurred_at}>${this.time(e.occurred_at)}</time>${e.location ? ` · ${e.location}` : ''}</span>
          </li>`,
        )}
      </ol>
      <p class="sr-only" role="status">${fill(t.tracking_status, { latest: `${latest.description}${latest.location ? `, ${latest.location}` : ''}` })}</p>
    </section>`;
  }

  private time(iso: string): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(this.locale, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(date);
  }
}

define('shipvox-tracking-timeline', ShipvoxTrackingTimeline, { quiet: true });

declare global {
  interface HTMLElementTagNameMap {
    'shipvox-tracking-timeline': ShipvoxTrackingTimeline;
  }
}
