/** <shipvox-step-tracker>'s styles. */
import { css } from 'lit';
import { tokens } from './theme.ts';

export const stepTrackerStyles = [
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
