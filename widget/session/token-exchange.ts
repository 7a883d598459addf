/**
 * The token exchange (`POST {endpoint}/v1/sessions`): trades a publishable key or a resume token
 * for a single-use socket ticket. Errors carry what the controller needs to decide: retry later,
 * start over, or stop.
 */
import type { CreateSessionRequest, CreateSessionResponse } from '../../shared/protocol.ts';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Why an exchange failed; `status` 0 means the network (or CORS) failed before any answer. */
export class ExchangeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'ExchangeError';
  }

  /** A refusal that another identical attempt would get again. */
  get refused(): boolean {
    return this.status === 400 || this.status === 401 || this.status === 403 || this.status === 404;
  }
}

export async function exchangeToken(
  fetchImpl: FetchLike,
  endpoint: string,
  body: CreateSessionRequest,
): Promise<CreateSessionResponse> {
  let response: Response;
  try {
    response = await fetchImpl(`${endpoint.replace(/\/+$/, '')}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (cause) {
    throw new ExchangeError(0, 'network', `Could not reach ${endpoint} (${(cause as Error).message})`);
  }
  const json: unknown = await response.json().catch(() => null);
  // Plain checks of the fields used (the BFF answers with the shared schemas).
  if (response.ok) {
    const body = json as Partial<Record<keyof CreateSessionResponse, unknown>> | null;
    if (body && typeof body.session_id === 'string' && typeof body.ticket === 'string' && typeof body.resume_token === 'string' && typeof body.ws_url === 'string') {
      return body as CreateSessionResponse;
    }
    throw new ExchangeError(response.status, 'bad_response', 'Bad session response');
  }
  const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const known = typeof error?.code === 'string' && typeof error.message === 'string';
  const retryAfter = Number(response.headers.get('retry-after'));
  throw new ExchangeError(
    response.status,
    known ? (error.code as string) : `http_${response.status}`,
    known ? (error.message as string) : `Session request failed (${response.status})`,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
  );
}
