/** <shipvox-companion>'s own styles (each part brings its own; the tokens are theme.ts's). */
import { css } from 'lit';
import { darkTheme, tokens } from './components/theme.ts';

export const companionStyles = [
  tokens,
  css`
    :host {
      max-width: var(--shipvox-width, 420px);
    }
    :host([theme='dark']) {
      ${darkTheme}
    }
    @media (prefers-color-scheme: dark) {
      :host([theme='auto']) {
        ${darkTheme}
      }
    }
    :host([hidden]) {
      display: none;
    }
    /* The host takes the page's inherited text styles (and a page's "* { font: … }"): the card sets its own. */
    .base {
      font: 400 1rem/1.4 var(--_font);
      text-align: start;
      letter-spacing: normal;
      text-transform: none;
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 12px;
      padding: 16px;
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) + 4px);
      box-shadow:
        0 1px 2px rgb(16 24 40 / 6%),
        0 6px 16px rgb(16 24 40 / 6%);
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    h2 {
      font-size: 1rem;
      font-weight: 650;
      flex: 1;
    }
    .status {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font-size: 0.75rem;
      color: var(--_muted);
    }
    .dot {
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: var(--_border);
    }
    .dot.online {
      background: var(--_success);
    }
    .dot.offline,
    .dot.connecting {
      background: var(--_warning);
    }
    .dot.stopped {
      background: var(--_danger);
    }
    [data-state='error'] {
      color: var(--_danger);
    }
    .error {
      padding: 8px 10px;
      border-radius: var(--_radius);
      font-size: 0.8125rem;
      color: var(--_danger);
      background: color-mix(in srgb, var(--_danger) 7%, var(--_surface));
    }
    .launcher {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 10px;
      width: 100%;
      padding: 10px 14px;
      border-radius: calc(var(--_radius) + 4px);
      text-align: start;
      font: 400 1rem/1.4 var(--_font);
    }
    .launcher span:first-of-type {
      flex: 1;
    }
    .hint {
      font-size: 0.8125rem;
      color: var(--_muted);
    }
    .print-frame {
      position: absolute;
      width: 0;
      height: 0;
      border: 0;
      visibility: hidden;
    }
  `,
];
