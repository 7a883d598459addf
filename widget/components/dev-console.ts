import { LitElement, html, nothing } from 'lit';
import { define } from '../define.ts';
import { fire } from '../events.ts';
import { consoleEn } from '../i18n/console.ts';
import { fill, type ConsoleStrings } from '../i18n/strings.ts';
import type { FrameRecord } from '../session/session-controller.ts';
export { FrameLog } from './frame-log.ts';
import { devConsoleStyles } from './dev-console.styles.ts';

/**
 * Developer console (a chunk of its own, shipvox-dev-console.js, loaded when first opened; it carries its own Lit): every frame in and out, live, with direction, seq and type; a type filter
 * and a pause button (paused, the view freezes while the log keeps recording).
 *
 * @fires console-close - the close button was pressed
 * @csspart console - the console
 *
 * @tag shipvox-dev-console
 */
export class ShipvoxDevConsole extends LitElement {
  static override properties = {
    entries: { attribute: false },
    filter: { state: true },
    frozen: { state: true },
    strings: { attribute: false },
  };
  declare entries: readonly FrameRecord[];
  declare filter: string;
  /** The entries as they were when paused; null while live. */
  declare frozen: readonly FrameRecord[] | null;
  /** The widget's words for the console (a language pack's, the host's), over the English. */
  declare strings: Partial<ConsoleStrings>;

  static override styles = devConsoleStyles;

  constructor() {
    super();
    this.entries = [];
    this.filter = '';
    this.frozen = null;
    this.strings = {};
  }

  override render() {
    const source = this.frozen ?? this.entries;
    const types = [...new Set(source.map((e) => e.type))].sort();
    const shown = this.filter ? source.filter((e) => e.type === this.filter) : source;
    const t = { ...consoleEn, ...this.strings };
    return html`<section class="console" part="console" aria-label=${t.console}>
      <div class="bar">
        <h3>${fill(t.console_frames, { n: shown.length })}</h3>
        <label class="sr-only" for="filter">${t.console_filter}</label>
        <select id="filter" @change=${(e: Event) => (this.filter = (e.target as HTMLSelectElement).value)}>
          <option value="">${t.console_all}</option>
          ${types.map((t) => html`<option value=${t} ?selected=${t === this.filter}>${t}</option>`)}
        </select>
        <button aria-pressed=${this.frozen ? 'true' : 'false'} @click=${this.togglePause}>${this.frozen ? t.console_resume : t.console_pause}</button>
        <button aria-label=${t.console_close} @click=${() => fire(this, 'console-close')}>✕</button>
      </div>
      ${shown.length
        ? html`<ol>
            ${shown.map(
              (e) => html`<li class=${e.dir}>
                <details>
                  <summary>
                    <span class="dir" aria-label=${e.dir === 'in' ? t.console_in : t.console_out}>${e.dir === 'in' ? '↓' : '↑'}</span>
                    <span>${e.seq ?? ''}</span>
                    <span>${e.type}</span>
                  </summary>
                  <pre>${JSON.stringify(e.frame, null, 2)}</pre>
                </details>
              </li>`,
            )}
          </ol>`
        : html`<p class="empty">${this.filter ? t.console_none_of_type : t.console_none}</p>`}
    </section>`;
  }

  private togglePause(): void {
    this.frozen = this.frozen ? null : this.entries;
  }
}

define('shipvox-dev-console', ShipvoxDevConsole, { quiet: true });

declare global {
  interface HTMLElementTagNameMap {
    'shipvox-dev-console': ShipvoxDevConsole;
  }
}
