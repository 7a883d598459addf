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
