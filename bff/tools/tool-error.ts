/** A typed tool failure: a code from shared/tools.ts and a sentence Bob can say. */
import type { ToolErrorCode } from '../../shared/tools.ts';

export class ToolError extends Error {
  override name = 'ToolError';
  constructor(
    readonly code: ToolErrorCode,
    /** Spoken to the shipper by Bob: short, plain, no jargon. */
    readonly spoken: string,
    readonly field?: string,
  ) {
    super(`${code}: ${spoken}`);
  }
}

/** A backend that is slow or away, said for what was being done ("check that address"); other errors pass. */
export function whenBackendAway(what: string): (err: unknown) => never {
  return (err) => {
    if (err instanceof ToolError && (err.code === 'carrier_timeout' || err.code === 'backend_unavailable')) {
      throw new ToolError('backend_unavailable', `I couldn't ${what} just now: the shipping system is slow to answer. Nothing was changed; please try again in a moment.`);
    }
    throw err;
  };
}
