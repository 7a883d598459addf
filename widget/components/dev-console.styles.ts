/** <shipvox-dev-console>'s styles. */
import { css } from 'lit';
import { tokens } from './theme.ts';

export const devConsoleStyles = [
  tokens,
  css`
    .console {
      font-size: 0.75rem;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_subtle);
    }
    .bar {
      display: flex;
      gap: 6px;
      align-items: center;
      padding: 6px 8px;
    }
    h3 {
      font-size: inherit;
      flex: 1;
    }
    ol {
      max-height: var(--shipvox-console-height, 220px);
      overflow: auto;
      font-family: ui-monospace, monospace;
    }
    summary {
      display: grid;
      grid-template-columns: 1.5em 3.5em 1fr;
      gap: 6px;
      padding: 2px 8px;
      cursor: pointer;
    }
    .in .dir {
      color: var(--_success);
    }
    pre {
      margin: 0;
      padding: 4px 8px;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .empty {
      padding: 8px;
    }
  `,
];
