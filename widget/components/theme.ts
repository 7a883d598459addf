/**
 * Shared design tokens. Public theming is `--shipvox-*` on the host page (they inherit into every
 * shadow root); each component reads them once into private `--_*` properties.
 */
import { css } from 'lit';

export const tokens = css`
  :host {
    --_accent: var(--shipvox-accent, #4f46e5);
    --_accent-text: var(--shipvox-accent-text, #fff);
    --_fg: var(--shipvox-text, #1a1f36);
    --_muted: var(--shipvox-muted, #556070);
    --_surface: var(--shipvox-surface, #fff);
    --_subtle: var(--shipvox-surface-subtle, #f6f8fb);
    --_border: var(--shipvox-border, #e3e8ee);
    --_radius: var(--shipvox-radius, 10px);
    --_success: var(--shipvox-success, #0b7a4b);
    --_warning: var(--shipvox-warning, #8a5300);
    --_danger: var(--shipvox-danger, #b4123a);
    --_focus: var(--shipvox-focus-ring, var(--_accent));
    --_font: var(--shipvox-font, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-family: var(--_font);
    color: var(--_fg);
    box-sizing: border-box;
    display: block;
    /* Long service names, addresses and tracking numbers wrap instead of widening the card. */
    overflow-wrap: anywhere;
  }
  p,
  h2,
  h3 {
    margin: 0;
  }
  ul,
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  /* Not inherit: a page's "* { box-sizing: content-box }" reaches the host element. */
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  button,
  input,
  select {
    font: inherit;
  }
  select,
  summary {
    min-height: 24px;
  }
  button {
    cursor: pointer;
    border-radius: calc(var(--_radius) - 4px);
    border: 1px solid var(--_border);
    background: var(--_surface);
    color: var(--_fg);
    padding: 6px 12px;
    font-weight: 500;
    font-size: 0.875rem;
    /* WCAG 2.5.8: every target at least 24 × 24 px. */
    min-height: 24px;
    min-width: 24px;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
  }
  button:disabled,
  button[aria-disabled='true'] {
    cursor: default;
    opacity: 0.6;
  }
  /* An outline, not a shadow: forced colours keep outlines (in a system colour) and drop shadows. */
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/** The dark scheme: public tokens set on <shipvox-companion> (a page's own --shipvox-* still win), inherited by every part. */
export const darkTheme = css`
  --shipvox-accent: #a5b4fc;
  --shipvox-accent-text: #111827;
  --shipvox-text: #e5e7eb;
  --shipvox-muted: #a1a9b8;
  --shipvox-surface: #151b2b;
  --shipvox-surface-subtle: #1f2737;
  --shipvox-border: #374151;
  --shipvox-success: #4ade80;
  --shipvox-warning: #fbbf24;
  --shipvox-danger: #fca5a5;
  color-scheme: dark;
`;
