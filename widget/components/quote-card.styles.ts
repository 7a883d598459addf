/** <shipvox-quote-card>'s styles. */
import { css } from 'lit';
import { tokens } from './theme.ts';

export const quoteCardStyles = [
  tokens,
  css`
    :host {
      container-type: inline-size;
    }
    .card {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      gap: 2px 12px;
      align-items: center;
      padding: 12px 14px;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      transition: border-color 120ms, box-shadow 120ms;
    }
    :host([selected]) .card {
      border-color: var(--_accent);
      box-shadow: 0 0 0 1px var(--_accent);
    }
    .top {
      display: flex;
      align-items: center;
      gap: 6px;
      flex-wrap: wrap;
      font-size: 0.75rem;
      color: var(--_muted);
    }
    .option {
      font-weight: 600;
      color: var(--_fg);
    }
    .tag {
      padding: 1px 6px;
      border-radius: 999px;
      background: var(--_subtle);
      border: 1px solid var(--_border);
      color: var(--_fg);
    }
    .service {
      font-weight: 600;
      font-size: 0.9375rem;
    }
    .price {
      grid-row: 1 / span 2;
      grid-column: 2;
      font-size: 1.125rem;
      font-weight: 650;
      font-variant-numeric: tabular-nums;
      text-align: right;
    }
    .arrival {
      font-size: 0.8125rem;
      color: var(--_muted);
    }
    button {
      grid-column: 2;
      justify-self: end;
    }
    /* Narrow or large text: price and button go under the service, in one column. */
    @container (max-width: 20em) {
      .card {
        grid-template-columns: minmax(0, 1fr);
      }
      .price,
      button {
        grid-row: auto;
        grid-column: 1;
        justify-self: start;
        text-align: start;
      }
    }
    @media (forced-colors: active) {
      :host([selected]) .card {
        outline: 3px solid Highlight;
        outline-offset: 1px;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .card {
        transition: none;
      }
    }
  `,
];
