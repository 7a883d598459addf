/** ShipVox failures as the typed errors Bob can say, through BACKEND_REFUSALS (refusals.ts). */
import type { ToolErrorCode } from '../../shared/tools.ts';
import { ShipVoxError } from '../shipvox/errors.ts';
import { BACKEND_REFUSALS, refuse, type BackendRefusal } from './refusals.ts';
import { ToolError } from './tool-error.ts';

/** A failure as the typed error Bob can say: a ToolError as it is, a ShipVoxError through the table; anything else is not ours to say (undefined). */
export function spokenError(err: unknown): ToolError | undefined {
  if (err instanceof ToolError) return err;
  if (!(err instanceof ShipVoxError)) return undefined;
  const spoken: BackendRefusal = BACKEND_REFUSALS[err.code];
  const sentence = typeof spoken.say === 'string' ? spoken.say : spoken.say(err.detail);
  return new ToolError(spoken.code, sentence, spoken.field?.(err.detail));
}

/** Whether a tool error code says "the backend is slow or away" (worth trying again shortly). */
export function backendAway(code: ToolErrorCode): boolean {
  return code === 'carrier_timeout' || code === 'backend_unavailable';
}

/** A backend that is slow or away, said for what was being done ("check that address"); other errors pass, said as the table says them. */
export function whenBackendAway(what: string): (err: unknown) => never {
  return (err) => {
    const spoken = spokenError(err);
    if (spoken && backendAway(spoken.code)) {
      throw refuse('backend_away', { what });
    }
    throw spoken ?? err;
  };
}
