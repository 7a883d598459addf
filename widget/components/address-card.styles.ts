/** <shipvox-address-card>'s styles. */
import { css } from 'lit';
import { cardStyles } from './card.styles.ts';
import { fieldStyles } from './field.styles.ts';
import { tokens } from './theme.ts';

export const addressCardStyles = [
  tokens,
  cardStyles,
  fieldStyles,
  css`
    section {
      border: 1px solid var(--_border);
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
    input {
      width: 100%;
      min-height: 24px;
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
