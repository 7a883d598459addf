/**
 * GET /v1/voice/credentials: for a session's holder (its resume token as Bearer), a fresh
 * ElevenLabs signed URL (WebSocket) or conversation token (WebRTC) for Bob, plus the dynamic
 * variables the agent needs. Never cached; rate limited per IP.
 */
import { Hono } from 'hono';
import { ElevenLabsApi, ElevenLabsError } from '../agent/elevenlabs-api.ts';
import type { Services } from '../services.ts';
import { HttpError } from './errors.ts';

export function voiceRoutes(s: Services): Hono {
  const app = new Hono();
  const { limits } = s;
  const api = s.config.ELEVENLABS_API_KEY ? new ElevenLabsApi(s.config.ELEVENLABS_BASE_URL, s.config.ELEVENLABS_API_KEY) : null;

  app.get('/v1/voice/credentials', async (c) => {
    c.header('Cache-Control', 'no-store');
    limits.checkIp(c, 'voice-credentials');

    const token = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    const claims = token ? s.signer.verify(token, 'resume') : null;
    const session = claims ? await s.sessions.get(claims.sid) : null;
    if (!claims || !session) throw new HttpError(401, 'unauthorized', 'A valid session resume token is required (Authorization: Bearer …).');
    const origin = c.req.header('origin') ?? null;
    if (session.meta.origins && origin !== null && !session.meta.origins.includes(origin)) {
      throw new HttpError(403, 'origin_not_allowed', 'This origin may not use this session.');
    }
    limits.checkKey('voice-credentials', claims.sid); // only once the credential is good: a refusal must not drain it
    if (!api || !s.config.ELEVENLABS_AGENT_ID) throw new HttpError(503, 'unavailable', 'Voice is not configured on this server (ELEVENLABS_API_KEY, ELEVENLABS_AGENT_ID).');

    const mode = c.req.query('mode') === 'webrtc' ? 'webrtc' : 'websocket';
    try {
      const credential =
        mode === 'webrtc'
          ? { conversation_token: await api.conversationToken(s.config.ELEVENLABS_AGENT_ID) }
          : { signed_url: await api.signedUrl(s.config.ELEVENLABS_AGENT_ID) };
      return c.json({ mode, agent_id: s.config.ELEVENLABS_AGENT_ID, ...credential, dynamic_variables: { session_id: claims.sid } });
    } catch (err) {
      s.log.warn({ err: String(err), session_id: claims.sid }, 'voice credentials failed');
      const status = err instanceof ElevenLabsError && err.status === 429 ? 429 : 503;
      throw new HttpError(status, status === 429 ? 'rate_limited' : 'unavailable', 'The voice service is not answering right now.');
    }
  });
  return app;
}
