/** <shipvox-qr-code>'s styles. */
import { css } from 'lit';

export const qrCodeStyles = css`
  :host {
    display: inline-block;
    width: var(--shipvox-qr-size, 112px);
    aspect-ratio: 1;
    background: #fff;
  }
  svg {
    display: block;
    width: 100%;
    height: 100%;
  }
  p {
    font-size: 0.75rem;
    margin: 0;
  }
`;
