/**
 * HTTP client for the ShipVox backend: a timeout and a request id on every call, retries only
 * where safe (rates are reads; a label purchase only ever with its Idempotency-Key), and every
 * failure thrown as a typed ShipVoxError (./errors.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import * as z from '../../shared/zod.ts';
import { ShipVoxError } from './errors.ts';
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
  /** Called with the error code of every failed call (metrics). */
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
    if (!res?.ok) throw new ShipVoxError('file_unavailable', res ? { status: res.status } : {});
    return new Uint8Array(res.body.buffer, res.body.byteOffset, res.body.byteLength);
  }

  /** Downloads a label file from the backend's label_url. */
  async fetchLabelPdf(url: string): Promise<Uint8Array> {
    const res = await this.send(url, { method: 'GET', headers: { [REQUEST_ID_HEADER]: randomUUID() } }).catch(() => null);
    if (!res?.ok) throw new ShipVoxError('file_unavailable', res ? { status: res.status } : {});
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
    let lastError: ShipVoxError | undefined;
    for (let attempt = 0; attempt < (o.retry ? this.attempts : 1); attempt++) {
      if (attempt > 0) await this.backoff(attempt);
      const left = o.deadline === undefined ? this.opts.timeoutMs : Math.min(this.opts.timeoutMs, o.deadline - performance.now());
      if (left <= 0) {
        lastError ??= new ShipVoxError('carrier_timeout');
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
        this.opts.onError?.('unreadable_answer');
        throw new ShipVoxError('unreadable_answer', { status: res.status });
      }
      lastError = mapBackendError(res.status, json);
      this.opts.log?.warn({ path, requestId, attempt, status: res.status, code: lastError.code }, 'shipvox error');
      const retryable = res.status >= 500 || res.status === 409 && o.idempotencyKey !== undefined && codeOf(json) === 'label_in_progress';
      if (!retryable) break;
    }
    const error = lastError ?? new ShipVoxError('unreachable');
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

function transportError(err: unknown): ShipVoxError {
  return new ShipVoxError((err as { name?: string })?.name === 'TimeoutError' ? 'carrier_timeout' : 'unreachable');
}

/** A backend error answer as a ShipVoxError: its code where the contract names one, else by HTTP status. */
export function mapBackendError(status: number, json: unknown): ShipVoxError {
  const parsed = BackendErrorBody.safeParse(json);
  const error = parsed.success ? parsed.data.error : undefined;
  // The backend names fields by their path in its body (shipment.to_zip); ours are flat.
  const field = error?.field?.split('.').at(-1);
  const detail = { status, ...(field ? { field } : {}), ...(error?.message ? { message: error.message } : {}) };
  switch (error?.code) {
    case 'invalid_zip':
    case 'invalid_weight':
    case 'rate_expired':
    case 'rate_not_found':
    case 'insufficient_funds':
    case 'carrier_timeout':
    case 'label_not_found':
    case 'label_voided':
    case 'void_window_closed':
    case 'address_mismatch':
      return new ShipVoxError(error.code, detail);
    case 'invalid_request':
      if (field?.startsWith('address') || error.field?.startsWith('address')) return new ShipVoxError('address_invalid', detail);
  }
  if (status === 504) return new ShipVoxError('carrier_timeout', detail);
  if (status === 402) return new ShipVoxError('insufficient_funds', detail);
  if (status === 409 || status === 422) return new ShipVoxError('refused', detail);
  return new ShipVoxError('backend_error', detail);
}
