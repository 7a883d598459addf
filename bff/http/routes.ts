/**
 * The HTTP surface (PROTOCOL.md): token exchange, webhook tools, signed label files, health and
 * operator routes. Each route validates at the edge and answers typed errors.
 */
import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { CreateSessionRequest, ID_PATTERN, MAX_TOOL_PARAMETERS_BYTES, toolParametersTooLarge, WebhookEnvelope, type CreateSessionResponse } from '../../shared/protocol.ts';
import { DEFAULT_LABEL_FORMAT, isLabelFormat, LABEL_FORMAT_FILES, LABEL_FORMATS } from '../../shared/label-formats.ts';
import type { SessionEvent } from '../../shared/protocol.ts';
import { TOOL_NAMES } from '../../shared/tools.ts';
import { maskAddress } from '../privacy.ts';
import type { Services } from '../services.ts';
import { agentAnswer } from '../tools/agent-answer.ts';
import { bindCall, refuseTakenBinding, resolveCall } from '../sessions/call-bindings.ts';
import { bearerEquals, metricsOpen, originAllowed, remoteAddress } from './access.ts';
import { HttpError, jsonObject } from './errors.ts';

export function apiRoutes(s: Services): Hono {
  const app = new Hono();
  const { limits } = s;
  const production = s.config.NODE_ENV === 'production';
  const adminRefusal = () => new HttpError(401, 'unauthorized', 'Admin token required.');
  const admin = (c: Context) => limits.checkSecret(c, () => bearerEquals(c.req.header('authorization'), s.config.ADMIN_TOKEN), adminRefusal());

  app.post('/v1/sessions', async (c) => {
    c.header('Cache-Control', 'no-store');
    limits.checkIp(c, 'sessions');
    const parsed = CreateSessionRequest.safeParse(await jsonObject(c));
    if (!parsed.success) throw new HttpError(400, 'bad_request', `Invalid body: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const body = parsed.data;
    const origin = c.req.header('origin') ?? null;
    const authHeader = c.req.header('authorization');
    const serverToServer = authHeader !== undefined;
    if (serverToServer) limits.checkSecret(c, () => bearerEquals(authHeader, s.config.SECRET_KEY), new HttpError(401, 'unauthorized', 'The secret key is not valid.'));
    // Each credential's budget is taken only once it has been verified (below): refused requests must not drain a real key.

    let sessionId: string;
    let resumeToken: string;
    let resumeExp: number;
    let ticketOrigin: string | null;
    let resumed = false;
    if (body.resume_token) {
      const claims = s.signer.verify(body.resume_token, 'resume');
      const session = claims ? await s.sessions.get(claims.sid) : null;
      if (!claims || !session) throw new HttpError(401, 'unauthorized', 'The resume token is not valid or has expired.');
      ticketOrigin = serverToServer ? (body.origin ?? null) : origin;
      if (!serverToServer && !originAllowed(session.meta.origins, origin)) {
        throw new HttpError(403, 'origin_not_allowed', 'This origin may not use this session.');
      }
      limits.checkKey('sessions', `resume:${claims.sid}`);
      if (body.call_binding) await refuseTakenBinding(s.sessions, body.call_binding, claims.sid);
      sessionId = claims.sid;
      resumeToken = body.resume_token;
      resumeExp = claims.exp;
      resumed = true;
    } else {
      let origins: string[] | null;
      let createdBy: string;
      if (serverToServer) {
        limits.checkKey('sessions', 'secret');
        origins = body.origin ? [body.origin] : null;
        ticketOrigin = body.origin ?? null;
        createdBy = 'secret';
      } else {
        const allowed = body.publishable_key ? s.config.PUBLISHABLE_KEYS[body.publishable_key] : undefined;
        if (!allowed) throw new HttpError(401, 'unauthorized', 'Unknown publishable key.');
        if (!originAllowed(allowed, origin)) throw new HttpError(403, 'origin_not_allowed', `Origin ${origin ?? '(none)'} is not allowed for this key.`);
        limits.checkKey('sessions', body.publishable_key!);
        origins = allowed;
        ticketOrigin = origin;
        createdBy = body.publishable_key!;
      }
      if (body.call_binding) await refuseTakenBinding(s.sessions, body.call_binding, null);
      const created = await s.sessions.create({ origins, created_by: createdBy });
      sessionId = created.meta.session_id;
      const resume = s.signer.issueResume(sessionId);
      resumeToken = resume.token;
      resumeExp = resume.claims.exp;
      s.metrics.sessionCreated();
      (c.get('log') ?? s.log).info({ session_id: sessionId, created_by: createdBy.slice(0, 12) }, 'session created');
    }
    tagSession(c, sessionId);
    if (body.call_binding) await bindCall(s.sessions, body.call_binding, sessionId, s.config.SESSION_TTL_MS);
    const ticket = s.signer.issueTicket(sessionId, ticketOrigin);
    const res: CreateSessionResponse = {
      session_id: sessionId,
      ticket: ticket.token,
      ticket_expires_at: new Date(ticket.claims.exp).toISOString(),
      resume_token: resumeToken,
      resume_expires_at: new Date(resumeExp).toISOString(),
      ws_url: `${s.publicUrl().replace(/^http/, 'ws')}/v1/ws`,
      resumed,
    };
    return c.json(res, 201);
  });

  app.post('/v1/agent/tools/:name', async (c) => {
    const startedAt = performance.now();
    limits.checkSecret(c, () => bearerEquals(c.req.header('authorization'), s.config.AGENT_TOOL_SECRET), new HttpError(401, 'unauthorized', 'Missing or wrong agent tool secret.'));
    limits.checkIp(c, 'agent-tools');
    limits.checkKey('agent-tools', 'agent');
    const name = c.req.param('name');
    if (!(TOOL_NAMES as readonly string[]).includes(name)) throw new HttpError(404, 'not_found', `Unknown tool ${name.slice(0, 64)}.`);
    const body = await jsonObject(c);
    const envelope = WebhookEnvelope.safeParse(body);
    if (!envelope.success && envelope.error.issues.some((i) => i.path[0] === 'tool_call_id')) {
      throw new HttpError(400, 'bad_request', 'tool_call_id must be 1–128 characters of A-Z, a-z, 0-9, _ . : -');
    }
    // session_id is the session's id, or the call binding of a widget's call (call-bindings.ts).
    const target = envelope.success ? await resolveCall(s.sessions, envelope.data.session_id) : null;
    if (target && 'unbound' in target) {
      return c.json({ error: 'session_not_ready', is_error: true, result: "I'm still connecting to your shipping session. Give me a moment, then ask me again." });
    }
    if (!target) {
      return c.json({ error: 'unknown_session', is_error: true, result: "I can't find this shipping session. Please reload the ShipVox page and try again." });
    }
    const { sessionId } = target;
    tagSession(c, sessionId);
    limits.checkToolCall(sessionId);
    const { session_id, conversation_id, tool_call_id, ...parameters } = body as Record<string, unknown>;
    void session_id;
    void tool_call_id;
    if (toolParametersTooLarge(parameters)) {
      throw new HttpError(413, 'payload_too_large', `Tool parameters are limited to ${MAX_TOOL_PARAMETERS_BYTES} bytes of JSON.`);
    }
    if (typeof conversation_id === 'string') await s.sessions.putRecord(`conversation:${sessionId}`, conversation_id.slice(0, 256), s.config.SESSION_TTL_MS);
    const { event, backendMs } = await s.runner.run({
      sessionId,
      toolCallId: envelope.data!.tool_call_id ?? `wh_${randomBytes(9).toString('base64url')}`,
      toolName: name,
      parameters,
      source: 'agent_webhook',
    });
    // What this call waited on ShipVox, and the whole handler: the difference is our overhead.
    c.header('Server-Timing', `shipvox;dur=${backendMs.toFixed(2)}, total;dur=${(performance.now() - startedAt).toFixed(2)}`);
    return c.json(agentAnswer(event));
  });

  app.get('/v1/labels/:file', async (c) => {
    const name = c.req.param('file');
    const labelId = name.endsWith('.pdf') ? name.slice(0, -'.pdf'.length) : '';
    if (!ID_PATTERN.test(labelId)) throw new HttpError(404, 'not_found', 'No such label.');
    if (!s.signer.verifyLabelLink(labelId, c.req.query('exp'), c.req.query('sig'))) {
      throw new HttpError(403, 'forbidden', 'This label link is not valid or has expired.');
    }
    const format = c.req.query('format') ?? DEFAULT_LABEL_FORMAT;
    if (!isLabelFormat(format)) throw new HttpError(400, 'bad_request', `format must be one of ${LABEL_FORMATS.join(', ')}.`);
    const file = await s.sessions.getLabelPdf(labelId);
    if (!file) throw new HttpError(404, 'not_found', 'No such label.');
    const state = await s.sessions.state(file.session_id);
    if (state.voided?.label_id === labelId) throw new HttpError(410, 'not_found', 'This label was voided; it must not be used.');
    const { extension, contentType } = LABEL_FORMAT_FILES[format];
    let bytes = file.pdf;
    if (format !== DEFAULT_LABEL_FORMAT) {
      const other = await s.shipvox.fetchLabelFile(labelId, extension, extension === 'pdf' ? format.slice(4) : undefined).catch(() => null);
      if (other === 'voided') throw new HttpError(410, 'not_found', 'This label was voided; it must not be used.');
      if (!other) throw new HttpError(503, 'unavailable', 'That label format could not be made right now. Please try again.');
      bytes = other;
    }
    const disposition = c.req.query('download') === '1' ? 'attachment' : 'inline';
    return c.body(Buffer.from(bytes), 200, {
      'Content-Type': contentType,
      'Content-Disposition': `${disposition}; filename="label-${labelId}${format === DEFAULT_LABEL_FORMAT ? '' : `-${format}`}.${extension}"`,
      'Cache-Control': 'private, no-store',
    });
  });

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/metrics', async (c) => {
    if (!metricsOpen(remoteAddress(c), s.config.TRUST_PROXY, production)) admin(c);
    return c.body(await s.metrics.text(), 200, { 'Content-Type': s.metrics.contentType, 'Cache-Control': 'no-store' });
  });
  app.get('/readyz', async (c) => {
    const [backend, storeReady] = await Promise.all([s.shipvox.ping(), s.sessions.storeReady()]);
    const ok = backend && storeReady && !s.closing();
    return c.json({ ok, store: storeReady ? s.sessions.storeKind : 'degraded', shipvox: backend }, ok ? 200 : 503);
  });

  app.get('/status', (c) => {
    admin(c);
    c.header('Cache-Control', 'no-store');
    return c.json({
      version: s.version,
      uptime_s: Math.round((s.now() - s.startedAt) / 1000),
      store: s.sessions.storeKind,
      closing: s.closing(),
      tool_calls_in_flight: s.runner.inFlight,
      connections: s.sessions.hub.connectionCount(),
      sessions: s.sessions.hub.sessionIds().map((id) => ({
        session_id: id,
        clients: s.sessions.hub.clients(id).map((cl) => ({ connection_id: cl.connectionId, role: cl.role })),
      })),
    });
  });
  app.get('/v1/admin/sessions/:id/log', async (c) => {
    admin(c);
    const id = c.req.param('id');
    if (!(await s.sessions.get(id))) throw new HttpError(404, 'not_found', 'No such session.');
    const after = await s.sessions.eventsAfter(id, 0);
    return c.json({ session_id: id, complete: after.kind === 'events', events: after.kind === 'events' ? after.events.map(maskedForOperator) : [] });
  });
  return app;
}

/** The request's logger (and so its access-log line) carries the session id from here on. */
function tagSession(c: Context, sessionId: string): void {
  const log = c.get('log');
  if (log) c.set('log', log.child({ session_id: sessionId }));
}
/** The operator's copy of a session log: recipient addresses masked (in the event, Bob's parameters and the suggestion). */
function maskedForOperator(event: SessionEvent): SessionEvent {
  if (event.type === 'recipient_updated') {
    const masked = { name: maskAddress(event.address), street: '', city: '', state: '', zip: '' };
    return { ...event, address: masked, validation: { ...event.validation, ...(event.validation.suggestion ? { suggestion: masked } : {}) }, summary: '(masked)' };
  }
  if (event.type === 'tool_call_started' && event.tool_name === 'set_recipient_address') return { ...event, parameters: { masked: true } };
  if (event.type === 'client_tool_result' && event.tool_name === 'set_recipient_address') return { ...event, result: '(masked)', data: null };
  if (event.type === 'summary_read' || (event.type === 'client_tool_result' && event.tool_name === 'create_label' && (event.data as { needs_confirmation?: boolean } | null)?.needs_confirmation)) {
    return { ...event, ...(event.type === 'summary_read' ? { text: '(masked)' } : { result: '(masked)', data: null }) } as SessionEvent;
  }
  if (event.type === 'contextual_update' && event.source === 'bff' && /recipient|ship-from/.test(event.text)) return { ...event, text: '(masked)' };
  return event;
}
