/** <shipvox-connection-banner>'s styles. */
import { css } from 'lit';
import { tokens } from './theme.ts';

export const connectionBannerStyles = [
  tokens,
  css`
    .banner {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 8px 10px;
      border-radius: var(--_radius);
      font-size: 0.8125rem;
      border: 1px solid var(--_border);
      background: var(--_subtle);
    }
    .banner {
      flex-wrap: wrap;
    }
    .banner span {
      flex: 1 1 12em;
    }
    .offline {
      color: var(--_warning);
    }
    .resumed {
      color: var(--_success);
    }
    .error {
      color: var(--_danger);
    }
    button {
      padding: 2px 8px;
      font-size: 0.75rem;
    }
  `,
];
