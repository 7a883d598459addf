/** POST /create-label (idempotent purchase of a stored rate) and GET /labels/:id.pdf. */
import type { Context } from 'hono';
import QRCode from 'qrcode';
import { CreateLabelRequest, IDEMPOTENCY_HEADER, type CreateLabelResponse } from '../shipvox/contract.ts';
import { sampleAddress } from './addresses.ts';
import { takeOne } from './faults.ts';
import { errorJson, firstIssue, readJson } from './http.ts';
import { fingerprint } from './idempotency.ts';
import { renderLabelFile, type LabelFile } from './label-files.ts';
import { balanceCents, moveBalance } from './account-route.ts';
import { formatAmount } from './pricing.ts';
import type { SimState, StoredRate } from './state.ts';
import { trackingNumber, trackingUrl } from './tracking.ts';

export const REPLAYED_HEADER = 'Idempotent-Replayed';
const MAX_KEY_LENGTH = 255;
const PDF_CACHE_SIZE = 100;

export async function createLabel(c: Context, state: SimState): Promise<Response> {
  state.stats.create_label_calls++;
  if (takeOne(state.faults, 'createLabel5xx')) return errorJson(c, 500, 'internal', 'Simulated backend error before purchase; retrying is safe.');

  const key = c.req.header(IDEMPOTENCY_HEADER)?.trim();
  if (!key) return errorJson(c, 400, 'missing_idempotency_key', `The ${IDEMPOTENCY_HEADER} header is required.`, IDEMPOTENCY_HEADER);
  if (key.length > MAX_KEY_LENGTH) {
    return errorJson(c, 400, 'invalid_request', `${IDEMPOTENCY_HEADER} must be at most ${MAX_KEY_LENGTH} characters.`, IDEMPOTENCY_HEADER);
  }
  const body = await readJson(c);
  if (!body.ok) return errorJson(c, 400, 'invalid_request', body.message);
  const parsed = CreateLabelRequest.safeParse(body.value);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error);
    return errorJson(c, 400, 'invalid_request', issue.message, issue.field || undefined);
  }
  const request = parsed.data;

  const claim = state.idempotency.begin(key, fingerprint(request));
  if (claim.kind === 'mismatch') {
    return errorJson(c, 422, 'idempotency_mismatch', `This ${IDEMPOTENCY_HEADER} was already used with a different request body.`, IDEMPOTENCY_HEADER);
  }
  if (claim.kind === 'in_flight') return errorJson(c, 409, 'label_in_progress', 'A purchase with this key is still in progress; retry shortly.');
  if (claim.kind === 'replay') {
    state.stats.idempotent_replays++;
    return c.json(claim.response.body, claim.response.status, { [REPLAYED_HEADER]: 'true' });
  }

  let stored: StoredRate | undefined;
  let done = false;
  try {
    stored = state.rates.get(request.rate_id);
    const now = state.config.now();
    if (!stored) return errorJson(c, 404, 'rate_not_found', `No rate ${request.rate_id}; get new rates.`, 'rate_id');
    if (stored.heldBy) {
      const message = stored.purchased ? 'This rate was already purchased.' : 'This rate is being purchased under another Idempotency-Key.';
      return errorJson(c, 409, 'rate_already_purchased', message, 'rate_id');
    }
    if (now >= Date.parse(stored.rate.expires_at)) return errorJson(c, 410, 'rate_expired', 'This rate has expired; get new rates.', 'rate_id');
    for (const side of ['from', 'to'] as const) {
      const address = request[`${side}_address`];
      const zip = side === 'from' ? stored.shipment.from_zip : stored.shipment.to_zip;
      if (address && address.zip !== zip) {
        return errorJson(c, 422, 'address_mismatch', `${side}_address.zip must be ${zip}, the ZIP the rate was quoted for.`, `${side}_address.zip`);
      }
    }
    const price = Math.round(Number(stored.rate.amount) * 100);
    if (state.faults.insufficientFunds || balanceCents(state) < price) {
      return errorJson(c, 402, 'insufficient_funds', 'The ShipVox account balance is too low for this label.');
    }

    stored.heldBy = key;
    await state.config.sleep(state.config.labelLatencyMs, { purpose: 'label_purchase', carrier: stored.rate.carrier });
    const response = await purchase(c, state, stored, request);
    response.balance = formatAmount(moveBalance(state, -price));
    stored.purchased = true;
    state.rates.set(stored.rate.rate_id, stored); // kept on disk as bought (the hold alone is not)
    state.stats.labels_purchased++;
    state.idempotency.complete(key, { status: 201, body: response });
    done = true;
    if (takeOne(state.faults, 'createLabelDropAfterPurchase')) {
      return errorJson(c, 500, 'internal', 'Simulated failure after purchase; retry with the same Idempotency-Key.');
    }
    return c.json(response, 201);
  } finally {
    if (!done) {
      state.idempotency.abandon(key);
      if (stored?.heldBy === key && !stored.purchased) stored.heldBy = undefined;
    }
  }
}

async function purchase(c: Context, state: SimState, stored: StoredRate, request: CreateLabelRequest): Promise<CreateLabelResponse> {
  const { rate, shipment, token } = stored;
  const labelId = `lbl_${state.prng.id(20)}`;
  const tracking = trackingNumber(rate.carrier, token, state.prng);
  const url = trackingUrl(rate.carrier, tracking);
  const createdAt = new Date(state.config.now()).toISOString();
  const base = state.config.publicUrl ?? new URL(c.req.url).origin;
  const response: CreateLabelResponse = {
    label_id: labelId,
    status: 'purchased',
    rate_id: rate.rate_id,
    carrier: rate.carrier,
    service_name: rate.service_name,
    tracking_number: tracking,
    tracking_url: url,
    label_url: `${base}/labels/${labelId}.pdf`,
    label_size: 'PDF_4x6',
    qr_code_svg: await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }),
    amount: rate.amount,
    currency: rate.currency,
    created_at: createdAt,
  };
  state.labels.set(labelId, {
    response,
    pdf: {
      label_id: labelId,
      carrier: rate.carrier,
      service_name: rate.service_name,
      service_token: token,
      tracking_number: tracking,
      tracking_url: url,
      from: request.from_address ?? (state.config.account.address.zip === shipment.from_zip ? state.config.account.address : sampleAddress(shipment.from_zip, state.prng)),
      to: request.to_address ?? sampleAddress(shipment.to_zip, state.prng),
      weight_oz: shipment.weight_oz,
      zone: rate.zone,
      created_at: createdAt,
    },
  });
  return response;
}

const FILE_TYPES = { pdf: 'application/pdf', png: 'image/png', zpl: 'application/zpl' } as const;
const LAYOUTS: Record<string, LabelFile> = { '4x6': 'pdf_4x6', letter: 'pdf_letter', a4: 'pdf_a4' };

/** GET /labels/{id}.{pdf|png|zpl}, `?layout=4x6|letter|a4` for the PDF. */
export async function labelPdf(c: Context, state: SimState): Promise<Response> {
  const file = c.req.param('file') ?? '';
  const m = /^(.+)\.(pdf|png|zpl)$/.exec(file);
  const id = m?.[1] ?? '';
  const ext = (m?.[2] ?? 'pdf') as keyof typeof FILE_TYPES;
  const record = state.labels.get(id);
  if (!record) return errorJson(c, 404, 'label_not_found', `No label ${file}.`);
  if (record.voided) return errorJson(c, 410, 'label_voided', 'This label was voided.');
  const layout = c.req.query('layout') ?? '4x6';
  const kind: LabelFile | undefined = ext === 'pdf' ? LAYOUTS[layout] : ext;
  if (!kind) return errorJson(c, 400, 'invalid_request', 'layout must be one of "4x6", "letter", "a4".', 'layout');
  const cacheKey = `${id}:${kind}`;
  let pdf = state.pdfCache.get(cacheKey);
  if (!pdf) {
    pdf = renderLabelFile(record.pdf, kind);
    pdf.catch(() => state.pdfCache.delete(cacheKey));
    state.pdfCache.set(cacheKey, pdf);
    for (const oldest of state.pdfCache.keys()) {
      if (state.pdfCache.size <= PDF_CACHE_SIZE) break;
      state.pdfCache.delete(oldest);
    }
  }
  const bytes = await pdf;
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      'Content-Type': FILE_TYPES[ext],
      'Content-Length': String(bytes.byteLength),
      'Content-Disposition': `inline; filename="${id}.${ext}"`,
      'Cache-Control': 'private, max-age=86400, immutable',
    },
  });
}
