/**
 * The label after purchase: void (tool void_label, ui_action void_label) under an Idempotency-Key
 * per (session, label), so a repeat refunds once; tracking learned from the backend (track_parcel,
 * and TrackingWatcher polling the labels this instance saw) and logged as only the new events.
 */
import type { TrackingEvent } from '../../shared/address.ts';
import type { SessionState } from '../../shared/session.ts';
import { TrackParcelParams, VoidLabelParams, type TrackingData, type VoidData } from '../../shared/tools.ts';
import { voiceDeadline, type ToolCall, type ToolContext, type ToolOutput } from './context.ts';
import { voidKey } from './ids.ts';
import { money, trackingSentence } from './speech.ts';
import { backendAway, spokenError, whenBackendAway } from './backend-errors.ts';
import { refuse } from './refusals.ts';

function labelOf(state: SessionState, labelId?: string) {
  const label = state.label;
  if (!label || (labelId && label.label_id !== labelId)) throw refuse('no_such_label');
  return label;
}

export async function voidLabel(ctx: ToolContext, call: ToolCall): Promise<ToolOutput> {
  const parsed = VoidLabelParams.safeParse(call.parameters);
  if (!parsed.success) throw refuse('label_id_unreadable');
  return voidLabelFor(ctx, call.sessionId, parsed.data.label_id, 'agent');
}

export async function voidLabelFor(ctx: ToolContext, sessionId: string, labelId: string | undefined, by: 'agent' | 'ui'): Promise<ToolOutput> {
  const state = await ctx.sessions.state(sessionId);
  const label = labelOf(state, labelId);
  const res = await ctx.shipvox.voidLabel(label.label_id, voidKey(sessionId, label.label_id), voiceDeadline(ctx)).catch(whenBackendAway('void the label'));
  const refund = Math.round(Number(res.refund_amount) * 100);
  const balance = Math.round(Number(res.balance) * 100);
  const summary = `The label is voided: ${money(refund, res.currency)} goes back to the account, whose balance is now ${money(balance, res.currency)}.`;
  const events = await ctx.sessions.appendWith(sessionId, (s) => {
    if (s.voided?.label_id === label.label_id) return [];
    return [
      { type: 'label_voided', label_id: label.label_id, refund_cents: refund, currency: res.currency, by, summary },
      ...(s.account ? [{ type: 'account_updated' as const, account: { ...s.account, balance_cents: balance }, reason: 'refund' as const }] : []),
    ];
  });
  if (by === 'ui' && events.length > 0) await ctx.sessions.append(sessionId, { type: 'contextual_update', text: `The shipper voided the label on screen. ${summary}`, source: 'bff' });
  const data: VoidData = { label_id: label.label_id, refund_cents: refund, currency: res.currency, balance_cents: balance, replayed: events.length === 0 };
  return { result: events.length === 0 ? `That label was already voided, so nothing was refunded twice. ${summary}` : summary, data };
}

export async function trackParcel(ctx: ToolContext, call: ToolCall): Promise<ToolOutput> {
  if (!TrackParcelParams.safeParse(call.parameters).success) throw refuse('track_takes_nothing');
  const state = await ctx.sessions.state(call.sessionId);
  if (!state.label) throw refuse('nothing_to_track');
  if (state.voided?.label_id === state.label.label_id) throw refuse('voided_no_tracking');
  const tracking = await refreshTracking(ctx, call.sessionId, state.label.label_id).catch((err: unknown) => {
    const spoken = spokenError(err);
    if (spoken && !backendAway(spoken.code)) throw spoken;
    throw refuse('tracking_unavailable');
  });
  if (tracking.status !== 'delivered') ctx.tracking?.watch(call.sessionId, state.label.label_id);
  const data: TrackingData = { label_id: state.label.label_id, status: tracking.status, events: tracking.events };
  return { result: trackingSentence(tracking.status, tracking.events.at(-1)), data };
}

/** Asks the backend and logs the events the session does not have yet; returns the whole timeline. */
export async function refreshTracking(ctx: ToolContext, sessionId: string, labelId: string): Promise<{ status: TrackingEvent['status']; events: TrackingEvent[] }> {
  const res = await ctx.shipvox.getTracking(labelId, voiceDeadline(ctx));
  await ctx.sessions.appendWith(sessionId, (s) => {
    if (s.label?.label_id !== labelId) return [];
    const known = new Set((s.tracking?.label_id === labelId ? s.tracking.events : []).map((e) => e.event_id));
    const fresh = res.events.filter((e) => !known.has(e.event_id));
    if (fresh.length === 0) return [];
    const summary = trackingSentence(res.status, res.events.at(-1));
    const changed = s.tracking?.status !== res.status;
    return [
      { type: 'tracking_updated', label_id: labelId, status: res.status, events: fresh, summary },
      ...(changed && s.tracking ? [{ type: 'contextual_update' as const, text: `Tracking update. ${summary}`, source: 'bff' as const }] : []),
    ];
  });
  return { status: res.status, events: res.events };
}

/** Polls the backend for the labels it was told about until they are delivered or voided. */
export class TrackingWatcher {
  private readonly labels = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | null = null;

  constructor(
    private readonly ctx: () => ToolContext,
    private readonly everyMs: number,
  ) {}

  watch(sessionId: string, labelId: string): void {
    this.labels.set(labelId, sessionId);
    if (!this.timer && this.everyMs > 0) {
      this.timer = setInterval(() => void this.pollOnce(), this.everyMs);
      this.timer.unref();
    }
  }

  get watching(): number {
    return this.labels.size;
  }

  /** Watches the session's label again if it is bought, not voided and not delivered yet (a session loaded after a restart). */
  resume(state: SessionState): void {
    const label = state.label;
    if (!label || this.labels.has(label.label_id) || state.voided?.label_id === label.label_id) return;
    if (state.tracking?.label_id === label.label_id && state.tracking.status === 'delivered') return;
    this.watch(state.session_id, label.label_id);
  }

  /** Settles once resumeAll went over the store (tests wait for it). */
  resumed: Promise<number> = Promise.resolve(0);

  /** At start: every stored session's undelivered label is watched again (the watch list lives in memory only). */
  resumeAll(): Promise<number> {
    this.resumed = this.resumeStored();
    return this.resumed;
  }

  private async resumeStored(): Promise<number> {
    const { sessions } = this.ctx();
    for (const sessionId of await sessions.storedSessionIds()) {
      const loaded = await sessions.stored(sessionId).catch(() => null);
      if (loaded) this.resume(loaded.state);
    }
    return this.labels.size;
  }

  /** One round over every watched label (tests call it after moving the backend's clock). */
  pollOnce(): Promise<void> {
    this.polling ??= this.round().finally(() => (this.polling = null));
    return this.polling;
  }

  private async round(): Promise<void> {
    const ctx = this.ctx();
    for (const [labelId, sessionId] of [...this.labels]) {
      try {
        const state = await ctx.sessions.state(sessionId);
        if (state.label?.label_id !== labelId || state.voided?.label_id === labelId) {
          this.labels.delete(labelId);
          continue;
        }
        const { status } = await refreshTracking(ctx, sessionId, labelId);
        if (status === 'delivered') this.labels.delete(labelId);
      } catch (err) {
        const spoken = spokenError(err);
        if (spoken?.code === 'label_not_found' || spoken?.code === 'label_voided') this.labels.delete(labelId);
        else ctx.log.warn({ err: String(err), session_id: sessionId }, 'tracking poll failed');
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
