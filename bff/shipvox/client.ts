/**
 * HTTP client for the ShipVox backend: a timeout and a request id on every call, retries only
 * where safe (rates are reads; a label purchase only ever with its Idempotency-Key), and backend
 * errors mapped to typed tool errors Bob can say.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import * as z from '../../shared/zod.ts';
import { ToolError } from '../tools/tool-error.ts';
import { HttpTransport, type HttpAnswer } from './http.ts';
import {
  AccountResponse,
  BackendErrorBody,
  CreateLabelResponse,
  TrackingResponse,
  ValidateAddressResponse,
  VoidLabelResponse,
  IDEMPOTENCY_HEADER,
  RatesResponse,
  REQUEST_ID_HEADER,
  type Address,
  type CreateLabelRequest,
  type RatesRequest,
} from './contract.ts';

export interface ShipVoxClientOptions {
  baseUrl: string;
  timeoutMs: number;
  log?: Logger;
  /** Attempts for safe calls (first try included). */
  attempts?: number;
  /** Waits between retries; injectable so tests need not wait. */
  backoff?: (attempt: number) => Promise<void>;
  /** Called with the mapped code of every failed call (metrics). */
  onError?: (code: string) => void;
}

export class ShipVoxClient {
  private readonly attempts: number;
  private readonly backoff: (attempt: number) => Promise<void>;
  private readonly transport = new HttpTransport();

  constructor(private readonly opts: ShipVoxClientOptions) {
    this.attempts = opts.attempts ?? 3;
    this.backoff = opts.backoff ?? ((n) => new Promise((r) => setTimeout(r, 100 * 2 ** n + Math.random() * 100)));
  }

  /** One attempt's longest wait (SHIPVOX_TIMEOUT_MS): also what a whole call may take, retries included. */
  get timeoutMs(): number {
    return this.opts.timeoutMs;
  }

  /**
   * Rates for one request; retried on timeouts, network errors and 5xx (reading rates is safe).
   * `deadline` (performance.now() time) bounds the whole call, retries included: each attempt
   * gets what is left of it, and none starts after it.
   */
  async getRates(body: RatesRequest, o: { signal?: AbortSignal; deadline?: number } = {}): Promise<z.infer<typeof RatesResponse>> {
    return this.call('/get-rates', body, RatesResponse, { retry: true, ...o });
  }

  /** Buys a label. Retried only because the Idempotency-Key makes a repeat return the same label. */
  async createLabel(body: CreateLabelRequest, idempotencyKey: string): Promise<z.infer<typeof CreateLabelResponse>> {
    return this.call('/create-label', body, CreateLabelResponse, { retry: true, idempotencyKey });
  }

  /** The account labels are bought on (sender address, balance); a read, retried. */
  async getAccount(deadline?: number): Promise<AccountResponse> {
    return this.call('/account', undefined, AccountResponse, { retry: true, method: 'GET', ...(deadline ? { deadline } : {}) });
  }

  /** The backend's check of an address (a read, retried). City and state may be empty: the ZIP gives them. */
  async validateAddress(address: Omit<Address, 'city' | 'state'> & { city?: string; state?: string }, deadline?: number): Promise<ValidateAddressResponse> {
    return this.call('/validate-address', { address }, ValidateAddressResponse, { retry: true, ...(deadline ? { deadline } : {}) });
  }

  /** Voids a label; retried only because the Idempotency-Key makes a repeat answer the same refund. */
  async voidLabel(labelId: string, idempotencyKey: string, deadline?: number): Promise<VoidLabelResponse> {
    return this.call(`/labels/${encodeURIComponent(labelId)}/void`, {}, VoidLabelResponse, { retry: true, idempotencyKey, ...(deadline ? { deadline } : {}) });
  }

  async getTracking(labelId: string, deadline?: number): Promise<TrackingResponse> {
    return this.call(`/labels/${encodeURIComponent(labelId)}/tracking`, undefined, TrackingResponse, { retry: true, method: 'GET', ...(deadline ? { deadline } : {}) });
  }

  /** A label file in another format: `/labels/{id}.{pdf|png|zpl}?layout=…` next to the label_url. */
  async fetchLabelFile(labelId: string, extension: 'pdf' | 'png' | 'zpl', layout?: string): Promise<Uint8Array | 'voided'> {
    const url = `${this.opts.baseUrl}/labels/${encodeURIComponent(labelId)}.${extension}${layout ? `?layout=${layout}` : ''}`;
    const res = await this.send(url, { method: 'GET', headers: { [REQUEST_ID_HEADER]: randomUUID() } }).catch(() => null);
    if (res?.status === 410) return 'voided';
    if (!res?.ok) throw new ToolError('label_failed', 'That label file could not be made right now. Please try again.');
    return new Uint8Array(res.body.buffer, res.body.byteOffset, res.body.byteLength);
  }

  /** Downloads a label file from the backend's label_url. */
  async fetchLabelPdf(url: string): Promise<Uint8Array> {
    const res = await this.send(url, { method: 'GET', headers: { [REQUEST_ID_HEADER]: randomUUID() } }).catch(() => null);
    if (!res?.ok) throw new ToolError('label_failed', 'The label was bought but its file could not be downloaded yet. Please try again.');
    return new Uint8Array(res.body.buffer, res.body.byteOffset, res.body.byteLength);
  }

  async ping(): Promise<boolean> {
    try {
      const res = await this.send(`${this.opts.baseUrl}/health`, { method: 'GET', headers: {} });
      return res.ok;
    } catch {
      return false;
    }
  }

  private async call<S extends z.ZodType>(
    path: string,
    body: unknown,
    schema: S,
    o: { retry: boolean; idempotencyKey?: string; signal?: AbortSignal; deadline?: number; method?: 'GET' | 'POST' },
  ): Promise<z.infer<S>> {
    const requestId = randomUUID();
    let lastError: ToolError | undefined;
    for (let attempt = 0; attempt < (o.retry ? this.attempts : 1); attempt++) {
      if (attempt > 0) await this.backoff(attempt);
      const left = o.deadline === undefined ? this.opts.timeoutMs : Math.min(this.opts.timeoutMs, o.deadline - performance.now());
      if (left <= 0) {
        lastError ??= new ToolError('carrier_timeout', 'The carriers are taking too long to answer right now.');
        break;
      }
      const headers: Record<string, string> = { 'content-type': 'application/json', [REQUEST_ID_HEADER]: requestId };
      if (o.idempotencyKey) headers[IDEMPOTENCY_HEADER] = o.idempotencyKey;
      let res: HttpAnswer;
      try {
        const init = o.method === 'GET' ? { method: 'GET' as const, headers } : { method: 'POST' as const, headers, body: JSON.stringify(body) };
        res = await this.send(`${this.opts.baseUrl}${path}`, init, o.signal, left);
      } catch (err) {
        lastError = transportError(err);
        this.opts.log?.warn({ path, requestId, attempt, err: String(err) }, 'shipvox call failed');
        if (o.signal?.aborted) break;
        continue;
      }
      const json = parseJson(res.body);
      if (res.ok) {
        const parsed = schema.safeParse(json);
        if (parsed.success) return parsed.data;
        this.opts.log?.error({ path, requestId, issues: parsed.error.issues }, 'shipvox answered an unexpected body');
        this.opts.onError?.('backend_unavailable');
        throw new ToolError('backend_unavailable', 'The shipping system gave an answer I could not read. Please try again in a moment.');
      }
      lastError = mapBackendError(res.status, json);
      this.opts.log?.warn({ path, requestId, attempt, status: res.status, code: lastError.code }, 'shipvox error');
      const retryable = res.status >= 500 || res.status === 409 && o.idempotencyKey !== undefined && codeOf(json) === 'label_in_progress';
      if (!retryable) break;
    }
    const error = lastError ?? new ToolError('backend_unavailable', 'The shipping system is not answering right now.');
    this.opts.onError?.(error.code);
    throw error;
  }

  private send(url: string, init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }, signal?: AbortSignal, timeoutMs = this.opts.timeoutMs): Promise<HttpAnswer> {
    return this.transport.send(url, { ...init, timeoutMs, ...(signal ? { signal } : {}) });
  }

  /** Drops the kept-alive backend connections. */
  close(): void {
    this.transport.close();
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function codeOf(json: unknown): string | undefined {
  const parsed = BackendErrorBody.safeParse(json);
  return parsed.success ? parsed.data.error.code : undefined;
}

function transportError(err: unknown): ToolError {
  const name = (err as { name?: string })?.name;
  if (name === 'TimeoutError') return new ToolError('carrier_timeout', 'The carriers are taking too long to answer right now.');
  return new ToolError('backend_unavailable', 'The shipping system is not reachable right now.');
}

/** Maps a backend error to the typed tool error Bob can say. */
export function mapBackendError(status: number, json: unknown): ToolError {
  const parsed = BackendErrorBody.safeParse(json);
  const code = parsed.success ? parsed.data.error.code : '';
  // The backend names fields by their path in its body (shipment.to_zip); ours are flat.
  const field = parsed.success ? parsed.data.error.field?.split('.').at(-1) : undefined;
  switch (code) {
    case 'invalid_zip':
      return new ToolError('invalid_zip', `That ${field === 'to_zip' ? 'destination ' : field === 'from_zip' ? 'sending ' : ''}ZIP code doesn't exist. Could you check it and say it again?`, field);
    case 'invalid_weight':
      return new ToolError('invalid_weight', 'Carriers cannot take that weight. Parcels must weigh more than zero and at most 150 pounds.', 'weight');
    case 'rate_expired':
      return new ToolError('rate_expired', 'That price has expired. Let me get fresh quotes.');
    case 'rate_not_found':
      return new ToolError('quote_not_found', "I can't find that option any more. Let me get fresh quotes.");
    case 'insufficient_funds':
      return new ToolError('insufficient_funds', "The account doesn't have enough funds to buy this label.");
    case 'carrier_timeout':
      return new ToolError('carrier_timeout', 'The carriers are taking too long to answer right now.');
    case 'label_not_found':
      return new ToolError('label_not_found', "I can't find that label.");
    case 'label_voided':
      return new ToolError('label_voided', 'That label was voided, so it has no tracking and cannot be used.');
    case 'void_window_closed':
      return new ToolError('void_refused', `${parsed.success ? parsed.data.error.message : 'The label can no longer be voided.'} Nothing was changed.`);
    case 'address_mismatch':
      return new ToolError('recipient_zip_mismatch', "The recipient's ZIP code is not the one the price was quoted for. Let me get prices for it first.");
    case 'invalid_request':
      if (field?.startsWith('address') || parsed.data?.error.field?.startsWith('address')) {
        return new ToolError('address_invalid', `That address is not complete: ${parsed.success ? parsed.data.error.message : 'a field is missing'}.`, field);
      }
  }
  if (status === 504) return new ToolError('carrier_timeout', 'The carriers are taking too long to answer right now.');
  if (status === 402) return new ToolError('insufficient_funds', "The account doesn't have enough funds to buy this label.");
  if (status === 409 || status === 422) return new ToolError('label_failed', 'That label could not be bought. Please try again.');
  return new ToolError('backend_unavailable', 'The shipping system is having trouble right now. Please try again in a moment.');
}
