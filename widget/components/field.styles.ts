/** A form's labels and text fields, as every form of the widget draws them (each element adds its layout). */
import { css } from 'lit';

export const fieldStyles = css`
  label {
    font-size: 0.8125rem;
    font-weight: 500;
  }
  input {
    min-width: 0;
    padding: 6px 10px;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 4px);
    background: var(--_surface);
    color: var(--_fg);
  }
  input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
`;
