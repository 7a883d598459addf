import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { mapBackendError, ShipVoxClient } from '../../bff/shipvox/client.ts';
import { ShipVoxError } from '../../bff/shipvox/errors.ts';
import { spokenError } from '../../bff/tools/backend-errors.ts';
import { ToolError } from '../../bff/tools/tool-error.ts';

const body = (code: string, field?: string, message = 'from the backend') => ({ error: { code, message, ...(field ? { field } : {}) } });

/** The client throws the backend's facts; the tools' table says them. Sentences as Bob has always said them. */
describe('ShipVox errors: typed by the client, said by the table', () => {
  const cases: Array<[number, unknown, string, string, RegExp, string?]> = [
    [400, body('invalid_zip', 'shipment.to_zip'), 'invalid_zip', 'invalid_zip', /^That destination ZIP code doesn't exist\./, 'to_zip'],
    [400, body('invalid_zip', 'shipment.from_zip'), 'invalid_zip', 'invalid_zip', /^That sending ZIP code doesn't exist\./, 'from_zip'],
    [400, body('invalid_weight', 'shipment.weight_oz'), 'invalid_weight', 'invalid_weight', /at most 150 pounds/, 'weight'],
    [410, body('rate_expired'), 'rate_expired', 'rate_expired', /^That price has expired/],
    [404, body('rate_not_found'), 'rate_not_found', 'quote_not_found', /can't find that option any more/],
    [402, body('insufficient_funds'), 'insufficient_funds', 'insufficient_funds', /enough funds/],
    [402, {}, 'insufficient_funds', 'insufficient_funds', /enough funds/],
    [504, {}, 'carrier_timeout', 'carrier_timeout', /taking too long/],
    [409, body('void_window_closed', undefined, 'The carrier already scanned it.'), 'void_window_closed', 'void_refused', /^The carrier already scanned it\. Nothing was changed\.$/],
    [409, body('address_mismatch'), 'address_mismatch', 'recipient_zip_mismatch', /not the one the price was quoted for/],
    [400, body('invalid_request', 'address.street', 'street is required'), 'address_invalid', 'address_invalid', /^That address is not complete: street is required\.$/, 'street'],
    [422, body('something_new'), 'refused', 'label_failed', /could not be bought/],
    [500, body('invalid_request', 'shipment'), 'backend_error', 'backend_unavailable', /having trouble/],
  ];
  for (const [status, json, code, toolCode, sentence, field] of cases) {
    it(`HTTP ${status} ${JSON.stringify(json).slice(0, 60)} → ${code} → ${toolCode}`, () => {
      const err = mapBackendError(status, json);
      assert.ok(err instanceof ShipVoxError && !(err instanceof ToolError));
      assert.equal(err.code, code);
      const spoken = spokenError(err)!;
      assert.equal(spoken.code, toolCode);
      assert.match(spoken.spoken, sentence);
      assert.equal(spoken.field, field);
    });
  }

  it('passes a ToolError as it is and leaves any other error unsaid', () => {
    const own = new ToolError('invalid_params', 'no');
    assert.equal(spokenError(own), own);
    assert.equal(spokenError(new Error('bug')), undefined);
  });

  describe('over HTTP', () => {
    let server: Server;
    let base: string;
    before(async () => {
      server = createServer((req, res) => {
        if (req.url === '/get-rates') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"not":"rates"}');
        if (req.url === '/account') return void res.writeHead(503).end('{}');
        res.writeHead(404).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => server.close());
    const client = (url: string, codes: string[] = []) => new ShipVoxClient({ baseUrl: url, timeoutMs: 5000, attempts: 2, backoff: async () => {}, onError: (c) => codes.push(c) });
    const rates = { shipment: { from_zip: '10001', to_zip: '94105', weight_oz: 32, residential: false } };

    it('an answer not in the contract is unreadable_answer; a 5xx after its retries is backend_error; both counted by code', async () => {
      const codes: string[] = [];
      const c = client(base, codes);
      await assert.rejects(c.getRates(rates), (err: unknown) => err instanceof ShipVoxError && err.code === 'unreadable_answer' && /could not read/.test(spokenError(err)!.spoken));
      await assert.rejects(c.getAccount(), (err: unknown) => err instanceof ShipVoxError && err.code === 'backend_error');
      assert.deepEqual(codes, ['unreadable_answer', 'backend_error']);
      c.close();
    });

    it('no answer at all is unreachable; a missing label file is file_unavailable', async () => {
      const dead = client('http://127.0.0.1:1');
      await assert.rejects(dead.getAccount(), (err: unknown) => err instanceof ShipVoxError && err.code === 'unreachable' && spokenError(err)!.code === 'backend_unavailable');
      const c = client(base);
      await assert.rejects(c.fetchLabelPdf(`${base}/nope.pdf`), (err: unknown) => err instanceof ShipVoxError && err.code === 'file_unavailable' && /could not be downloaded yet/.test(spokenError(err)!.spoken));
      dead.close();
      c.close();
    });
  });
});
