/** <shipvox-label-options>'s styles. */
import { css } from 'lit';
import { tokens } from './theme.ts';

export const labelOptionsStyles = [
  tokens,
  css`
    :host {
      display: grid;
      gap: 8px;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 6px 8px;
      align-items: center;
    }
    label {
      font-size: 0.8125rem;
      font-weight: 500;
    }
    select {
      flex: 1 1 12em;
      min-width: 0;
      width: 100%;
      padding: 4px 8px;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) - 4px);
      background: var(--_surface);
      color: var(--_fg);
    }
    .confirm {
      display: grid;
      gap: 8px;
      padding: 10px;
      border-radius: calc(var(--_radius) - 4px);
      background: color-mix(in srgb, var(--_danger) 7%, var(--_surface));
    }
    button.danger {
      background: var(--_danger);
      border-color: var(--_danger);
      color: var(--_surface);
    }
    .error,
    .voided {
      color: var(--_danger);
      font-size: 0.8125rem;
    }
    .voided {
      font-weight: 600;
    }
  `,
];
