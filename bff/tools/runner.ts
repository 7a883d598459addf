/**
 * Runs a tool whatever the path (webhook, client_tool_call frame, in-process): logs
 * tool_call_started, runs it, logs the domain event and then client_tool_result. One
 * tool_call_id never runs twice in a session: a repeat waits for the first run and gets its result.
 */
import type { SessionEvent } from '../../shared/protocol.ts';
import { TOOL_NAMES, type ToolErrorData, type ToolName } from '../../shared/tools.ts';
import type { Metrics } from '../metrics.ts';
import { SessionNotFoundError } from '../sessions/service.ts';
import { IDEMPOTENCY_TTL_MS } from '../sessions/store.ts';
import { BackendTime } from './backend-time.ts';
import type { ToolCall, ToolContext, ToolOutput } from './context.ts';
import { createLabel } from './create-label.ts';
import { getSessionState } from './get-session-state.ts';
import { getShippingQuotes } from './get-shipping-quotes.ts';
import { setRecipientAddress, trackParcel, voidLabel } from './shipment-tools.ts';
import { ToolError } from './tool-error.ts';

export type ToolResultEvent = Extract<SessionEvent, { type: 'client_tool_result' }>;

/** A run's result; `backendMs` is how long this run waited on ShipVox (0 for a repeat). */
export interface ToolRun {
  event: ToolResultEvent;
  repeated: boolean;
  backendMs: number;
}


const TOOLS: Record<ToolName, (ctx: ToolContext, call: ToolCall, startedSeq: number) => Promise<ToolOutput>> = {
  get_shipping_quotes: getShippingQuotes,
  create_label: (ctx, call) => createLabel(ctx, call),
  get_session_state: (ctx, call) => getSessionState(ctx, call),
  set_recipient_address: (ctx, call) => setRecipientAddress(ctx, call),
  void_label: (ctx, call) => voidLabel(ctx, call),
  track_parcel: (ctx, call) => trackParcel(ctx, call),
};

export class ToolRunner {
  private readonly running = new Map<string, Promise<ToolRun>>();
  /** Work that outlives an answer (late carriers, a purchase past its deadline): shutdown waits for it too. */
  private readonly background = new Set<Promise<unknown>>();
  readonly ctx: ToolContext;

  constructor(
    ctx: Omit<ToolContext, 'background' | 'run'>,
    private readonly metrics?: Metrics,
  ) {
    this.ctx = { ...ctx, background: (work) => this.keep(work), run: (call) => this.run(call) };
  }

  private keep(work: Promise<unknown>): void {
    const settled = work.catch(() => undefined).finally(() => this.background.delete(settled));
    this.background.add(settled);
  }

  /** Tool runs in flight (graceful shutdown waits for them). */
  get inFlight(): number {
    return this.running.size;
  }

  /** Waits for the runs in flight to finish (their results logged and answered), at most boundMs. */
  async close(boundMs = 8000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<false>((r) => (timer = setTimeout(() => r(false), boundMs)));
    const all = Promise.allSettled([...this.running.values()])
      .then(() => Promise.allSettled([...this.background]))
      .then(() => true as const);
    try {
      return await Promise.race([all, bound]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The client_tool_result of this call (the original one when the id was seen before). */
  run(call: ToolCall): Promise<ToolRun> {
    const key = `tool:${call.sessionId}:${call.toolCallId}`;
    // Registered before any await, so a repeat arriving in the same tick already finds it.
    const inFlight = this.running.get(key);
    if (inFlight) return inFlight.then((r) => ({ event: r.event, repeated: true, backendMs: 0 }));
    const run = this.runOnce(call, key);
    this.running.set(key, run);
    void run.catch(() => undefined).finally(() => this.running.delete(key));
    return run;
  }

  private async runOnce(call: ToolCall, key: string): Promise<ToolRun> {
    if (!(await this.ctx.sessions.get(call.sessionId))) throw new SessionNotFoundError(call.sessionId);
    const stored = await this.ctx.sessions.store.getRecord<ToolResultEvent>(key);
    if (stored) return { event: stored, repeated: true, backendMs: 0 };
    const backend = new BackendTime();
    const event = await this.execute({ ...call, backend });
    await this.ctx.sessions.store.putRecord(key, event, this.ctx.resultTtlMs ?? IDEMPOTENCY_TTL_MS);
    return { event, repeated: false, backendMs: backend.ms };
  }

  private async execute(call: ToolCall): Promise<ToolResultEvent> {
    const started = await this.ctx.sessions.append(call.sessionId, {
      type: 'tool_call_started',
      tool_call_id: call.toolCallId,
      tool_name: call.toolName,
      parameters: asLogged(call.parameters),
      source: call.source,
    });
    const startedAt = performance.now();
    let output: ToolOutput;
    let isError = false;
    try {
      const tool = (TOOL_NAMES as readonly string[]).includes(call.toolName) ? TOOLS[call.toolName as ToolName] : undefined;
      if (!tool) {
        throw new ToolError('unknown_tool', `I don't have a tool called ${call.toolName.slice(0, 64)}. I can get quotes, create a label, or check where we are.`);
      }
      output = await tool(this.ctx, call, started.seq);
    } catch (err) {
      isError = true;
      output = errorOutput(err);
      if (!(err instanceof ToolError)) this.ctx.log.error({ err, tool: call.toolName, session_id: call.sessionId }, 'tool crashed');
    }
    const event = await this.ctx.sessions.append(call.sessionId, {
      type: 'client_tool_result',
      tool_call_id: call.toolCallId,
      tool_name: call.toolName,
      is_error: isError,
      result: output.result,
      data: output.data,
    });
    const outcome = isError ? String((output.data as { code?: unknown } | null)?.code ?? 'error') : 'ok';
    this.metrics?.toolRun((TOOL_NAMES as readonly string[]).includes(call.toolName) ? call.toolName : 'unknown', outcome, (performance.now() - startedAt) / 1000);
    this.ctx.log.info(
      { session_id: call.sessionId, tool: call.toolName, tool_call_id: call.toolCallId, source: call.source, is_error: isError, ms: Math.round(performance.now() - startedAt) },
      'tool run',
    );
    return event as ToolResultEvent;
  }
}

function errorOutput(err: unknown): ToolOutput {
  if (err instanceof ToolError) {
    const data: ToolErrorData = { code: err.code, ...(err.field ? { field: err.field } : {}) };
    return { result: err.spoken, data };
  }
  const data: ToolErrorData = { code: 'internal' };
  return { result: 'Something went wrong on our side. Please try that again.', data };
}

/**
 * Tool parameters as recorded in the log: they are whatever the caller sent (checked only by the
 * tool itself), so a `__proto__` key, which does not survive a round trip through every JSON
 * consumer, is left out.
 */
function asLogged(parameters: Record<string, unknown>): Record<string, unknown> {
  return Object.hasOwn(parameters, '__proto__') ? Object.fromEntries(Object.entries(parameters).filter(([k]) => k !== '__proto__')) : parameters;
}
