/** What every tool gets: the session service, the backend client, signing, the clock. */
import type { Logger } from 'pino';
import type { Signer } from '../auth/tokens.ts';
import type { SessionService } from '../sessions/service.ts';
import type { ShipVoxClient } from '../shipvox/client.ts';
import type { BackendTime } from './backend-time.ts';

export interface ToolContext {
  sessions: SessionService;
  shipvox: ShipVoxClient;
  signer: Signer;
  now: () => number;
  log: Logger;
  /** Base URL for links handed to screens (label PDFs). */
  publicUrl: () => string;
  /** After this long, carriers still pending are reported as slow. */
  slowCarrierMs: number;
  /** get_shipping_quotes answers by this long after the call; carriers still out are added later. */
  quotesDeadlineMs: number;
  /** create_label answers "still buying" after this long; the purchase goes on. */
  labelDeadlineMs: number;
  /** Keeps work that outlives a tool's answer (late carriers, a slow purchase) until it settles. */
  background: (work: Promise<unknown>) => void;
  /** Runs another tool as its own logged run (a re-quote after the recipient's ZIP changed). */
  run: (call: ToolCall) => Promise<{ event: { is_error: boolean; result: string; data: unknown } }>;
  /** Labels whose tracking the BFF follows (bff/tools/after-purchase.ts). */
  tracking?: { watch(sessionId: string, labelId: string): void };
  /** How long a tool result (and a ui_action reply) is kept for repeats of its id (IDEMPOTENCY_TTL_MS; default 24 h). */
  resultTtlMs?: number;
}

export interface ToolCall {
  sessionId: string;
  toolCallId: string;
  toolName: string;
  parameters: Record<string, unknown>;
  source: 'agent_webhook' | 'client' | 'in_process' | 'ui';
  /** The summary the screen's Confirm showed (ui_action confirm_purchase): it must still be the current one. */
  confirmedSummaryId?: string;
  /** Accumulates the time this run waits on ShipVox (set by the runner). */
  backend?: BackendTime;
}

/** A finished run: what becomes the client_tool_result. */
export interface ToolOutput {
  result: string;
  data: unknown;
}

/** The latest a new tool's backend calls may finish (performance.now() time): within the voice-time budget. */
export function voiceDeadline(ctx: Pick<ToolContext, 'labelDeadlineMs'>): number {
  return performance.now() + ctx.labelDeadlineMs;
}
