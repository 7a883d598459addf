/** <shipvox-summary-card>'s styles. */
import { css } from 'lit';
import { cardStyles } from './card.styles.ts';
import { tokens } from './theme.ts';

export const summaryCardStyles = [
  tokens,
  cardStyles,
  css`
    section {
      border: 2px solid var(--_accent);
    }
    h3 {
      font-size: 0.9375rem;
    }
    dl {
      display: grid;
      grid-template-columns: max-content minmax(0, 1fr);
      gap: 4px 12px;
      margin: 0;
      font-size: 0.875rem;
    }
    dt {
      color: var(--_muted);
    }
    dd {
      margin: 0;
    }
    .price {
      font-weight: 650;
      font-variant-numeric: tabular-nums;
    }
    .note,
    .error {
      font-size: 0.8125rem;
      color: var(--_muted);
    }
    .error {
      color: var(--_danger);
    }
    button {
      justify-self: start;
    }
  `,
];
