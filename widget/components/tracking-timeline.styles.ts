/** <shipvox-tracking-timeline>'s styles. */
import { css } from 'lit';
import { tokens } from './theme.ts';

export const trackingTimelineStyles = [
  tokens,
  css`
    section {
      display: grid;
      gap: 8px;
    }
    h3 {
      font-size: 0.875rem;
    }
    ol {
      display: grid;
      gap: 10px;
      border-inline-start: 2px solid var(--_border);
      padding-inline-start: 12px;
    }
    li {
      position: relative;
      display: grid;
      gap: 2px;
      font-size: 0.8125rem;
    }
    li::before {
      content: '';
      position: absolute;
      inset-inline-start: -18px;
      top: 4px;
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: var(--_border);
    }
    li:first-child::before {
      background: var(--_accent);
    }
    li:first-child .what {
      font-weight: 600;
    }
    .when {
      color: var(--_muted);
    }
    @media (forced-colors: active) {
      li:first-child::before {
        background: Highlight;
      }
    }
  `,
];
