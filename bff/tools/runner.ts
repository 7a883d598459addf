/**
 * Runs a tool whatever the path (webhook, client_tool_call frame, in-process): logs
 * tool_call_started, runs it, logs the domain event and then client_tool_result. One
 * tool_call_id never starts twice in a session, across restarts and instances: each run holds a
 * run record in the store (its owner, whose lease a heartbeat renews) from before its start
 * until its result is stored; a repeat waits for that run and gets its result. A run whose owner
 * died (SIGKILL, a lost instance) is adopted by another instance's sweep, or by the repeat that
 * finds it, and finished: re-run or resumed (create_label through the backend's idempotency key),
 * or closed with an `interrupted` result Bob can say.
 */
import { randomBytes } from 'node:crypto';
import type { NewSessionEvent, SessionEvent } from '../../shared/protocol.ts';
import type { SessionState } from '../../shared/session.ts';
import { TOOL_NAMES, type ToolErrorData, type ToolName } from '../../shared/tools.ts';
import type { Metrics } from '../metrics.ts';
import { DEFAULT_RUN_LEASE_MS, type RunRecord } from '../sessions/run-records.ts';
import { SessionNotFoundError } from '../sessions/service.ts';
import { IDEMPOTENCY_TTL_MS } from '../sessions/store.ts';
import { spokenError } from './backend-errors.ts';
import { BackendTime } from './backend-time.ts';
import { runKey } from './ids.ts';
import { RunOnce } from './run-once.ts';
import type { ToolCall, ToolContext, ToolOutput } from './context.ts';
import { createLabel } from './create-label.ts';
import { getSessionState } from './get-session-state.ts';
import { getShippingQuotes } from './get-shipping-quotes.ts';
import { interruptedSentence } from './speech.ts';
import { setRecipientAddress, trackParcel, voidLabel } from './shipment-tools.ts';
import { refuse, TOOL_CRASHED } from './refusals.ts';

export type ToolResultEvent = Extract<SessionEvent, { type: 'client_tool_result' }>;

/** A run's result; `backendMs` is how long this run waited on ShipVox (0 for a repeat). */
export interface ToolRun {
  event: ToolResultEvent;
  repeated: boolean;
  backendMs: number;
}


/** How runs cut by a crash are finished. */
export const RUN_RECOVERY = {
  /** Attempts in all (the first one and resumes after crashes); past it the run is closed as interrupted (a run that kills its process is not run forever). */
  maxAttempts: 2,
  /** A run that started longer ago than this is closed as interrupted instead of re-run: nobody is waiting for it any more. */
  resumeWithinMs: 10 * 60_000,
} as const;

const TOOLS: Record<ToolName, (ctx: ToolContext, call: ToolCall, startedSeq: number) => Promise<ToolOutput>> = {
  get_shipping_quotes: getShippingQuotes,
  create_label: (ctx, call) => createLabel(ctx, call),
  get_session_state: (ctx, call) => getSessionState(ctx, call),
  set_recipient_address: (ctx, call) => setRecipientAddress(ctx, call),
  void_label: (ctx, call) => voidLabel(ctx, call),
  track_parcel: (ctx, call) => trackParcel(ctx, call),
};

/** The run-once key of a call (its kept result). */
const resultKey = (sessionId: string, toolCallId: string) => runKey('tool', sessionId, toolCallId);
const repeatOf = (event: ToolResultEvent): ToolRun => ({ event, repeated: true, backendMs: 0 });
const isRunning = (state: SessionState, toolCallId: string) => state.running.some((r) => r.tool_call_id === toolCallId);

export class ToolRunner {
  /** Kept results and the runs going on in this process, by result key; ui_actions run once through it too. */
  readonly once: RunOnce;
  /** Work that outlives an answer (late carriers, a purchase past its deadline): shutdown waits for it too. */
  private readonly background = new Set<Promise<unknown>>();
  readonly ctx: ToolContext;
  /** Runs this process is executing right now (a record it owns but no longer runs is adopted again). */
  private readonly active = new Set<string>();
  /** Runs of this instance that failed midway (the store was unreachable, say): the heartbeat takes them up again. */
  private readonly abandoned = new Map<string, { session_id: string; tool_call_id: string }>();
  /** This instance as the owner of its runs. */
  readonly owner = `bff_${randomBytes(9).toString('base64url')}`;
  private readonly leaseMs: number;
  private heartbeat: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | null = null;

  constructor(
    ctx: Omit<ToolContext, 'background' | 'run'>,
    private readonly metrics?: Metrics,
    opts: { leaseMs?: number } = {},
  ) {
    this.ctx = { ...ctx, background: (work) => this.keep(work), run: (call) => this.run(call) };
    this.once = new RunOnce(ctx.sessions, ctx.resultTtlMs ?? IDEMPOTENCY_TTL_MS);
    this.leaseMs = opts.leaseMs ?? DEFAULT_RUN_LEASE_MS;
  }

  private keep(work: Promise<unknown>): void {
    const settled = work.catch(() => undefined).finally(() => this.background.delete(settled));
    this.background.add(settled);
  }

  private get runs() {
    return this.ctx.sessions.runs;
  }

  /** Tool runs in flight (graceful shutdown waits for them). */
  get inFlight(): number {
    return this.once.inFlight;
  }

  /** Takes the owner lease and starts the heartbeat, which renews it and finishes orphaned runs. */
  async start(): Promise<void> {
    await this.runs.renewOwner(this.owner, this.leaseMs);
    this.heartbeat = setInterval(() => void this.beat(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref();
    void this.sweep();
  }

  /** Waits for the runs in flight to finish (their results logged and answered), at most boundMs; then gives up the lease. */
  async close(boundMs = 8000): Promise<boolean> {
    clearInterval(this.heartbeat);
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<false>((r) => (timer = setTimeout(() => r(false), boundMs)));
    const all = this.once.settled()
      .then(() => Promise.allSettled([...this.background]))
      .then(() => true as const);
    try {
      return await Promise.race([all, bound]);
    } finally {
      clearTimeout(timer);
      // Runs still going are adoptable at once by the next instance (their results are guarded by the log).
      await this.runs.dropOwner(this.owner).catch(() => undefined);
    }
  }

  /** The client_tool_result of this call (the original one when the id was seen before). */
  run(call: ToolCall): Promise<ToolRun> {
    const key = resultKey(call.sessionId, call.toolCallId);
    // Registered before any await, so a repeat arriving in the same tick already finds it.
    const inFlight = this.once.running<ToolRun | undefined>(key);
    if (inFlight) return inFlight.then((r) => (r ? repeatOf(r.event) : this.run(call)));
    const run = this.claim(call, key);
    this.once.track(key, run);
    return run;
  }

  /**
   * Runs the call unless its id is known: a stored result is the answer; a run another live
   * instance holds is waited for; a run whose owner died is adopted and finished here.
   */
  private async claim(call: ToolCall, key: string): Promise<ToolRun> {
    if (!(await this.ctx.sessions.get(call.sessionId))) throw new SessionNotFoundError(call.sessionId);
    for (;;) {
      const stored = await this.once.kept<ToolResultEvent>(key);
      if (stored) return repeatOf(stored);
      const held = await this.runs.open({ session_id: call.sessionId, tool_call_id: call.toolCallId, owner: this.owner, attempts: 1, started_at: this.ctx.now() });
      if (!held) {
        // Ours. A run that finished between the two reads stored its result before closing its record.
        const done = await this.once.kept<ToolResultEvent>(key);
        if (done) {
          await this.runs.close(call.sessionId, call.toolCallId);
          return repeatOf(done);
        }
        return this.attempt(key, call, (c) => this.execute(c));
      }
      const abandoned = held.owner === this.owner ? !this.active.has(key) : !(await this.runs.ownerAlive(held.owner));
      if (abandoned) {
        const adopted = await this.runs.adopt(call.sessionId, call.toolCallId, held.owner, this.owner);
        if (adopted) {
          const run = await this.resume(adopted, call);
          if (run) return { ...run, repeated: true };
        }
        continue;
      }
      const event = await this.loggedResult(call.sessionId, call.toolCallId, this.leaseMs);
      if (event) return repeatOf(event);
    }
  }

  /** Executes a run this instance holds, stores its result and closes its record. */
  private async attempt(key: string, call: ToolCall, execute: (call: ToolCall) => Promise<ToolResultEvent>): Promise<ToolRun> {
    const backend = new BackendTime();
    this.active.add(key);
    this.abandoned.delete(key);
    try {
      const event = await execute({ ...call, backend });
      await this.finish(key, call.sessionId, call.toolCallId, event);
      return { event, repeated: false, backendMs: backend.ms };
    } catch (err) {
      this.abandoned.set(key, { session_id: call.sessionId, tool_call_id: call.toolCallId });
      throw err;
    } finally {
      this.active.delete(key);
    }
  }

  private async finish(key: string, sessionId: string, toolCallId: string, event: ToolResultEvent): Promise<void> {
    await this.once.keep(key, event);
    await this.runs.close(sessionId, toolCallId);
  }

  /** Resolves with the call's result when another run logs it, or undefined after ms (then look again). */
  private loggedResult(sessionId: string, toolCallId: string, ms: number): Promise<ToolResultEvent | undefined> {
    return new Promise((resolve) => {
      const done = (event?: ToolResultEvent) => {
        clearTimeout(timer);
        stop();
        resolve(event);
      };
      const timer = setTimeout(done, ms);
      const stop = this.ctx.sessions.listen((e) => {
        if (e.type === 'client_tool_result' && e.session_id === sessionId && e.tool_call_id === toolCallId) done(e);
      });
    });
  }

  /** One heartbeat: the lease first (never held up by a sweep), then a sweep. */
  private async beat(): Promise<void> {
    try {
      await this.runs.renewOwner(this.owner, this.leaseMs);
    } catch (err) {
      this.ctx.log.warn({ err: String(err) }, 'run lease not renewed');
    }
    await this.sweep();
  }

  /**
   * Finishes the runs of owners whose lease lapsed (and this instance's own abandoned ones);
   * resolves when they are finished. A sweep already under way is joined, not doubled.
   */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    const launched: Array<Promise<unknown>> = [];
    try {
      const own = [...this.abandoned.values()].map((r) => ({ ...r, owner: this.owner }));
      for (const orphan of [...own, ...(await this.runs.orphaned(this.owner))]) {
        const key = resultKey(orphan.session_id, orphan.tool_call_id);
        if (this.once.running(key)) continue;
        const run = this.runs.adopt(orphan.session_id, orphan.tool_call_id, orphan.owner, this.owner).then((adopted) => {
          if (!adopted) this.abandoned.delete(key); // finished or taken by another instance meanwhile
          return adopted ? this.resume(adopted) : undefined;
        });
        this.once.track(key, run);
        launched.push(run.catch((err: unknown) => this.ctx.log.warn({ err: String(err), session_id: orphan.session_id, tool_call_id: orphan.tool_call_id }, 'orphaned run not finished yet')));
      }
    } catch (err) {
      this.ctx.log.warn({ err: String(err) }, 'run sweep failed');
    }
    await Promise.all(launched);
  }

  /**
   * Finishes an adopted run from what the log says: still running → re-run (resumed through the
   * tool's own idempotency) or, too old or tried too often, closed as interrupted; its result
   * already logged → stored; never started → started now when a repeat brought the call, else dropped.
   */
  private async resume(run: RunRecord, call?: ToolCall): Promise<ToolRun | undefined> {
    const { session_id: sessionId, tool_call_id: toolCallId } = run;
    const key = resultKey(sessionId, toolCallId);
    // From the store, not this instance's cache: the dead owner's last appends may not have reached it yet.
    const loaded = await this.ctx.sessions.stored(sessionId);
    if (!loaded) {
      await this.runs.close(sessionId, toolCallId);
      return undefined;
    }
    const running = loaded.state.running.find((r) => r.tool_call_id === toolCallId);
    if (!running) {
      const { result } = await this.logged(sessionId, toolCallId);
      if (result) {
        await this.finish(key, sessionId, toolCallId, result);
        return repeatOf(result);
      }
      if (!call) {
        await this.runs.close(sessionId, toolCallId);
        return undefined;
      }
      return this.attempt(key, call, (c) => this.execute(c));
    }
    const { started } = await this.logged(sessionId, toolCallId, running.started_seq - 1);
    const age = started ? this.ctx.now() - Date.parse(started.ts) : Infinity;
    const rerun = started !== undefined && run.attempts <= RUN_RECOVERY.maxAttempts && age < RUN_RECOVERY.resumeWithinMs;
    this.ctx.log.warn({ session_id: sessionId, tool_call_id: toolCallId, tool: running.tool_name, attempts: run.attempts, from_owner: call ? 'repeat' : 'sweep', rerun }, 'run cut by a crash: finishing it');
    const resumed: ToolCall = started
      ? { sessionId, toolCallId, toolName: started.tool_name, parameters: started.parameters, source: started.source }
      : { sessionId, toolCallId, toolName: running.tool_name, parameters: {}, source: call?.source ?? 'in_process' };
    return this.attempt(key, resumed, (c) => (rerun ? this.execute(c, running.started_seq) : this.interrupt(c)));
  }

  /** The call's tool_call_started and client_tool_result in the log (from afterSeq on), where the log still has them. */
  private async logged(sessionId: string, toolCallId: string, afterSeq = 0): Promise<{ started?: StartedEvent; result?: ToolResultEvent }> {
    const after = await this.ctx.sessions.eventsAfter(sessionId, afterSeq);
    if (after.kind !== 'events') return {};
    const mine = after.events.filter((e) => 'tool_call_id' in e && e.tool_call_id === toolCallId);
    return {
      started: mine.find((e): e is StartedEvent => e.type === 'tool_call_started'),
      result: mine.find((e): e is ToolResultEvent => e.type === 'client_tool_result'),
    };
  }

  /** Closes a run that will not be re-run, with a result Bob can say: where the session stands now. */
  private async interrupt(call: ToolCall): Promise<ToolResultEvent> {
    const data: ToolErrorData = { code: 'interrupted' };
    const result = await this.logResult(call, (state) => ({
      type: 'client_tool_result',
      tool_call_id: call.toolCallId,
      tool_name: call.toolName,
      is_error: true,
      result: interruptedSentence({ ...state, running: state.running.filter((r) => r.tool_call_id !== call.toolCallId) }),
      data,
    }));
    this.metrics?.toolRun(metricName(call.toolName), 'interrupted', 0);
    return result;
  }

  /**
   * Logs the run's result unless the log already has one (another attempt of the same run got
   * there first: a lease that lapsed under a live owner): then that one is the result.
   */
  private async logResult(call: ToolCall, draft: (state: SessionState) => NewSessionEvent): Promise<ToolResultEvent> {
    const [event] = await this.ctx.sessions.appendWith(call.sessionId, (state) => (isRunning(state, call.toolCallId) ? [draft(state)] : []));
    if (event) return event as ToolResultEvent;
    const { result } = await this.logged(call.sessionId, call.toolCallId);
    if (!result) throw new Error(`tool call ${call.toolCallId}: no longer running and no result in the log`);
    return result;
  }

  /** Logs tool_call_started (unless resuming from startedSeq), runs the tool, logs its result. */
  private async execute(call: ToolCall, startedSeq?: number): Promise<ToolResultEvent> {
    if (startedSeq === undefined) {
      const [started] = await this.ctx.sessions.appendWith(call.sessionId, (state) =>
        isRunning(state, call.toolCallId)
          ? []
          : [{ type: 'tool_call_started', tool_call_id: call.toolCallId, tool_name: call.toolName, parameters: asLogged(call.parameters), source: call.source }],
      );
      startedSeq = started?.seq ?? (await this.ctx.sessions.state(call.sessionId)).running.find((r) => r.tool_call_id === call.toolCallId)?.started_seq ?? 0;
    }
    const startedAt = performance.now();
    let output: ToolOutput;
    let isError = false;
    try {
      const tool = (TOOL_NAMES as readonly string[]).includes(call.toolName) ? TOOLS[call.toolName as ToolName] : undefined;
      if (!tool) {
        throw refuse('unknown_tool', { name: call.toolName });
      }
      output = await tool(this.ctx, call, startedSeq);
    } catch (err) {
      isError = true;
      output = errorOutput(err);
      if (!spokenError(err)) this.ctx.log.error({ err, tool: call.toolName, session_id: call.sessionId }, 'tool crashed');
    }
    const event = await this.logResult(call, () => ({
      type: 'client_tool_result',
      tool_call_id: call.toolCallId,
      tool_name: call.toolName,
      is_error: isError,
      result: output.result,
      data: output.data,
    }));
    const outcome = isError ? String((output.data as { code?: unknown } | null)?.code ?? 'error') : 'ok';
    this.metrics?.toolRun(metricName(call.toolName), outcome, (performance.now() - startedAt) / 1000);
    this.ctx.log.info(
      { session_id: call.sessionId, tool: call.toolName, tool_call_id: call.toolCallId, source: call.source, is_error: isError, ms: Math.round(performance.now() - startedAt) },
      'tool run',
    );
    return event;
  }
}

type StartedEvent = Extract<SessionEvent, { type: 'tool_call_started' }>;

function metricName(toolName: string): string {
  return (TOOL_NAMES as readonly string[]).includes(toolName) ? toolName : 'unknown';
}

function errorOutput(err: unknown): ToolOutput {
  const spoken = spokenError(err);
  if (spoken) {
    const data: ToolErrorData = { code: spoken.code, ...(spoken.field ? { field: spoken.field } : {}) };
    return { result: spoken.spoken, data };
  }
  const data: ToolErrorData = { code: 'internal' };
  return { result: TOOL_CRASHED, data };
}

/**
 * Tool parameters as recorded in the log: they are whatever the caller sent (checked only by the
 * tool itself), so a `__proto__` key, which does not survive a round trip through every JSON
 * consumer, is left out.
 */
function asLogged(parameters: Record<string, unknown>): Record<string, unknown> {
  return Object.hasOwn(parameters, '__proto__') ? Object.fromEntries(Object.entries(parameters).filter(([k]) => k !== '__proto__')) : parameters;
}
