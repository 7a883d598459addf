/** <shipvox-label-panel>'s styles. */
import { css } from 'lit';
import { fieldStyles } from './field.styles.ts';
import { tokens } from './theme.ts';

export const labelPanelStyles = [
  tokens,
  fieldStyles,
  css`
    .panel {
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      padding: 14px;
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 12px;
      background: var(--_surface);
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      gap: 14px;
      align-items: flex-start;
    }
    .head > div {
      flex: 1 1 10em;
      min-width: 0;
      display: grid;
      gap: 4px;
    }
    h3 {
      outline-offset: 4px;
      font-size: 0.9375rem;
      display: flex;
      align-items: center;
      gap: 6px;
    }
    .ok {
      color: var(--_success);
    }
    .muted {
      color: var(--_muted);
      font-size: 0.8125rem;
    }
    .tracking {
      display: inline-flex;
      align-items: center;
      justify-self: start;
      min-height: 24px;
      font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
      font-size: 0.875rem;
      color: var(--_accent);
      overflow-wrap: anywhere;
    }
    .actions {
      display: flex;
      gap: 8px;
      flex-wrap: wrap;
    }
    details {
      font-size: 0.8125rem;
    }
    summary {
      cursor: pointer;
      color: var(--_muted);
    }
    object {
      display: block;
      width: 100%;
      aspect-ratio: 4 / 6;
      max-height: 360px;
      margin-top: 8px;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) - 4px);
    }
    form {
      display: flex;
      flex-wrap: wrap;
      gap: 6px 8px;
      align-items: center;
    }
    label {
      flex-basis: 100%;
    }
    input {
      flex: 1;
    }
    .error,
    .sent {
      color: var(--_danger);
      font-size: 0.8125rem;
      flex-basis: 100%;
    }
    .sent {
      color: var(--_success);
    }
  `,
];
