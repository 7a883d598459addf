/** <shipvox-quote-list>'s styles. */
import { css } from 'lit';
import { tokens } from './theme.ts';

export const quoteListStyles = [
  tokens,
  css`
    ul {
      display: grid;
      gap: 8px;
    }
    .status,
    .updated {
      display: flex;
      align-items: center;
      gap: 8px;
      font-size: 0.8125rem;
      margin: 0 0 8px;
    }
    .status,
    .heard {
      color: var(--_muted);
    }
    .heard {
      font-size: 0.8125rem;
      margin: 0 0 8px;
    }
    .slow {
      color: var(--_warning);
      font-size: 0.8125rem;
      margin: 0 0 8px;
    }
    .spinner {
      width: 12px;
      height: 12px;
      border-radius: 50%;
      border: 2px solid var(--_border);
      border-top-color: var(--_accent);
      animation: spin 0.8s linear infinite;
    }
    .updated {
      flex-wrap: wrap;
      justify-content: space-between;
      padding: 8px 10px;
      border-radius: var(--_radius);
      background: var(--_subtle);
      border: 1px solid var(--_border);
    }
    @keyframes spin {
      to {
        transform: rotate(1turn);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .spinner {
        animation: none;
      }
    }
  `,
];
