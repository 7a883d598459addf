/** The box of a shipment card (the address card, the summary card); each sets its own border. */
import { css } from 'lit';

export const cardStyles = css`
  section {
    border-radius: var(--_radius);
    padding: 14px;
    display: grid;
    gap: 10px;
    background: var(--_surface);
  }
`;
