import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { HttpTransport } from '../../bff/shipvox/http.ts';

describe('ShipVox HTTP transport', () => {
  let server: Server;
  let base: string;
  const transport = new HttpTransport();
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (req.url === '/echo') return void res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, body, id: req.headers['x-request-id'] }));
        if (req.url === '/hang-headers') return; // never answers
        if (req.url === '/hang-body') return void res.writeHead(200).write('{"partial":'); // headers, then nothing
        res.writeHead(503).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    transport.close();
    server.closeAllConnections();
    server.close();
  });

  it('posts a body and reads the whole answer; non-2xx is an answer, not an error', async () => {
    const ok = await transport.send(`${base}/echo`, { method: 'POST', headers: { 'x-request-id': 'r1' }, body: '{"a":"é"}', timeoutMs: 5000 });
    assert.equal(ok.status, 201);
    assert.equal(ok.ok, true);
    assert.deepEqual(JSON.parse(ok.body.toString()), { method: 'POST', body: '{"a":"é"}', id: 'r1' });
    const down = await transport.send(`${base}/other`, { method: 'GET', headers: {}, timeoutMs: 5000 });
    assert.equal(down.status, 503);
    assert.equal(down.ok, false);
  });

  it('times out with a TimeoutError before the headers and in the middle of the body', async () => {
    for (const path of ['/hang-headers', '/hang-body']) {
      await assert.rejects(transport.send(`${base}${path}`, { method: 'GET', headers: {}, timeoutMs: 50 }), { name: 'TimeoutError' }, path);
    }
  });

  it('stops when its signal aborts, and refuses an already aborted signal or another protocol', async () => {
    const controller = new AbortController();
    const pending = transport.send(`${base}/hang-headers`, { method: 'GET', headers: {}, timeoutMs: 5000, signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await assert.rejects(pending, /caller gave up/);
    await assert.rejects(transport.send(`${base}/echo`, { method: 'GET', headers: {}, timeoutMs: 5000, signal: controller.signal }), /caller gave up/);
    await assert.rejects(transport.send('ftp://example.test/x', { method: 'GET', headers: {}, timeoutMs: 5000 }), /unsupported protocol/);
  });

  it('fails a refused connection with an error (the client maps it to backend_unavailable)', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await assert.rejects(transport.send(`http://127.0.0.1:${port}/`, { method: 'GET', headers: {}, timeoutMs: 5000 }), /ECONNREFUSED/);
  });
});
