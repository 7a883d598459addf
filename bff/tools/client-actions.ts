/**
 * What a screen's frames ask of its session, beside the tools: a client tool call, a note for
 * Bob, and the ui_actions (choose, confirm, recipient, void, label link, email, transcript line).
 * Each answers the frame to send back; the socket (bff/ws/connection.ts) only carries frames.
 * A ui_action runs once per client_msg_id (RunOnce, as tool calls do per tool_call_id); a refusal
 * is a typed error frame and changes nothing.
 */
import type { ClientFrame, ClientToolCallFrame, FrameErrorCode, Role, ServerFrame, UiActionFrame } from '../../shared/protocol.ts';
import { DEFAULT_LABEL_FORMAT } from '../../shared/label-formats.ts';
import { assertNever } from '../../shared/never.ts';
import { offeredQuote } from '../../shared/session.ts';
import { purchaseSummary } from '../../shared/summary.ts';
import type { Label, ToolErrorCode } from '../../shared/tools.ts';
import { maskEmail, type Mailer } from '../email/mailer.ts';
import type { EmailQuota } from '../email/quota.ts';
import { maskPersonal } from '../mask.ts';
import type { Metrics } from '../metrics.ts';
import { voidLabelFor } from './after-purchase.ts';
import { backendAway, spokenError } from './backend-errors.ts';
import { confirmCallId, runKey } from './ids.ts';
import { setRecipient } from './recipient.ts';
import type { ToolRun, ToolRunner } from './runner.ts';
import { SCREEN_REFUSALS } from './refusals.ts';
import { labelFacts } from './speech.ts';

type ContextualUpdateFrame = Extract<ClientFrame, { type: 'contextual_update' }>;

export class ClientActions {
  constructor(
    private readonly runner: ToolRunner,
    private readonly deps: { mailer: Mailer; emailQuota: EmailQuota; metrics: Metrics },
  ) {}

  private get ctx() {
    return this.runner.ctx;
  }

  /** A client_tool_call frame: the tool's run (the first one's result for a repeated tool_call_id). */
  toolCall(sessionId: string, frame: ClientToolCallFrame): Promise<ToolRun> {
    return this.runner.run({ sessionId, toolCallId: frame.tool_call_id, toolName: frame.tool_name, parameters: frame.parameters, source: 'client' });
  }

  /** A contextual_update frame: logged as a note from the sender's role (the voice agent is told). */
  async note(sessionId: string, frame: ContextualUpdateFrame, source: Role): Promise<void> {
    await this.ctx.sessions.append(sessionId, { type: 'contextual_update', text: frame.text, ...(frame.context_id ? { context_id: frame.context_id } : {}), source });
  }

  /** A ui_action frame's reply, applied once per client_msg_id: a repeat gets the first reply (an ack marked duplicate). */
  uiAction(sessionId: string, frame: UiActionFrame): Promise<ServerFrame> {
    const ref = frame.client_msg_id;
    return this.runner.once.claimed(runKey('ui_action', sessionId, ref), () => this.apply(sessionId, frame), {
      // A reply worth retrying is not kept: the same client_msg_id may try again.
      asRepeat: (reply) => (reply.type === 'error' && reply.retryable ? null : reply.type === 'ack' ? { ...reply, duplicate: true } : reply),
      whileRunning: { type: 'ack', client_msg_id: ref, duplicate: true },
    });
  }

  /** Runs a domain change for a ui_action: ack, or its typed refusal (nothing changed). */
  private async domainAction(sessionId: string, ref: string, work: () => Promise<unknown>): Promise<ServerFrame> {
    try {
      await work();
      return { type: 'ack', client_msg_id: ref };
    } catch (err) {
      const spoken = spokenError(err);
      if (spoken) return refused(ref, spoken.spoken, spoken.code);
      this.ctx.log.error({ err, session_id: sessionId }, 'ui action failed');
      return { type: 'error', code: SCREEN_REFUSALS.internal.code, message: SCREEN_REFUSALS.internal.say, ref, retryable: true };
    }
  }

  private async apply(sessionId: string, frame: UiActionFrame): Promise<ServerFrame> {
    const { sessions } = this.ctx;
    const ref = frame.client_msg_id;
    const ack: ServerFrame = { type: 'ack', client_msg_id: ref };
    const fail = (name: keyof typeof SCREEN_REFUSALS, more: { retryable?: true; reason?: ToolErrorCode } = {}): ServerFrame => ({ type: 'error', code: SCREEN_REFUSALS[name].code, message: SCREEN_REFUSALS[name].say, ref, retryable: false, ...more });
    switch (frame.action) {
      case 'select_quote': {
        let problem: ServerFrame | null = null;
        await sessions.appendWith(sessionId, (state) => {
          if (!offeredQuote(state, frame.quote_id)) problem = fail('option_not_offered');
          else if (state.label) problem = fail('label_already_bought');
          else if (state.selected_quote_id !== frame.quote_id) return [{ type: 'quote_selected', quote_id: frame.quote_id, by: 'ui' }];
          return [];
        });
        return problem ?? ack;
      }
      case 'label_link': {
        const state = await sessions.state(sessionId);
        if (state.label?.label_id !== frame.label_id) return fail('no_such_label');
        const format = frame.format && frame.format !== DEFAULT_LABEL_FORMAT ? `&format=${frame.format}` : '';
        return { ...ack, url: `${this.ctx.publicUrl()}${this.ctx.signer.labelPath(frame.label_id)}${format}` };
      }
      case 'email_label': {
        const state = await sessions.state(sessionId);
        const file = await sessions.getLabelPdf(frame.label_id);
        if (!state.label || state.label.label_id !== frame.label_id || !file) return fail('no_such_label');
        const quota = await this.deps.emailQuota.take(sessionId, frame.label_id, frame.to);
        if (!quota.ok) {
          this.deps.metrics.limited('email');
          return fail(`email_limit_${quota.reason}`);
        }
        try {
          await this.deps.mailer.sendLabel(frame.to, state.label, file.pdf);
        } catch (err) {
          await quota.release();
          this.ctx.log.error({ err: String(err), session_id: sessionId }, 'label email failed');
          return fail('email_failed', { retryable: true });
        }
        await sessions.append(sessionId, { type: 'label_emailed', label_id: frame.label_id, to: maskEmail(frame.to) });
        return ack;
      }
      case 'transcript':
        await sessions.append(sessionId, { type: 'transcript_line', line_id: frame.line_id, role: frame.role, text: maskPersonal(frame.text) });
        return ack;
      case 'set_recipient':
        return this.domainAction(sessionId, ref, () => setRecipient(this.ctx, { sessionId }, { ...frame.address, party: frame.party, keep: frame.keep }, 'ui'));
      case 'void_label':
        return this.domainAction(sessionId, ref, () => voidLabelFor(this.ctx, sessionId, frame.label_id, 'ui'));
      case 'confirm_purchase': {
        const summary = purchaseSummary(await sessions.state(sessionId));
        if (!summary || summary.summary_id !== frame.summary_id) {
          return fail('summary_changed', { reason: 'summary_changed' });
        }
        const { event } = await this.runner.run({
          sessionId,
          toolCallId: confirmCallId(ref),
          toolName: 'create_label',
          parameters: { quote_id: summary.quote_id, confirmed: true },
          source: 'ui',
          confirmedSummaryId: frame.summary_id,
        });
        if (event.is_error) return refused(ref, event.result, (event.data as { code?: ToolErrorCode } | null)?.code ?? 'internal');
        const label = (event.data as { label?: Label } | null)?.label;
        const text = label ? `The shipper confirmed on screen and the label is bought. ${labelFacts(label)}` : `The shipper confirmed on screen. ${event.result}`;
        await sessions.append(sessionId, { type: 'contextual_update', text, source: 'bff' });
        return ack;
      }
      default:
        return assertNever(frame, 'ui action');
    }
  }
}

/** A refusal from the domain (a tool error): its sentence, typed by `reason`; retryable when the backend was away. */
function refused(ref: string, message: string, reason: ToolErrorCode): ServerFrame {
  const retryable = backendAway(reason);
  const code: FrameErrorCode = retryable ? 'unavailable' : reason === 'label_not_found' ? 'not_found' : reason.startsWith('address') || reason === 'invalid_params' ? 'invalid_params' : 'conflict';
  return { type: 'error', code, reason, message, ref, retryable };
}
