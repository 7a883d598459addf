import { expect } from '@open-wc/testing';
import { FakeClock, FakeSocket } from '../test/fakes.ts';
import { ReconnectingSocket, type SocketHandlers, type WebSocketClass } from './socket.ts';

const HANDSHAKE_MS = 10_000;

/** A socket loop over FakeSocket whose URLs are url-1, url-2, … (null once `urls` runs out) and whose handler calls are recorded. */
function setup(urls = Infinity) {
  const clock = new FakeClock();
  const heard: string[] = [];
  let asked = 0;
  const handlers: SocketHandlers = {
    open: () => heard.push('open'),
    message: (data) => heard.push(`message ${String(data)}`),
    close: (code) => heard.push(`close ${code}`),
  };
  const nextUrl = async () => (++asked <= urls ? `ws://bff.test/${asked}` : null);
  const socket = new ReconnectingSocket(nextUrl, handlers, clock, FakeSocket as unknown as WebSocketClass, HANDSHAKE_MS);
  return { clock, heard, socket, asked: () => asked };
}

/** Lets the loop's awaited nextUrl() settle. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ReconnectingSocket', () => {
  beforeEach(() => FakeSocket.reset());

  it('opens a socket with a fresh URL after every drop, and none after close()', async () => {
    const { heard, socket, asked } = setup();
    await tick();
    FakeSocket.last.open();
    FakeSocket.last.receive('"hi"');
    expect(socket.isOpen).to.equal(true);
    FakeSocket.last.serverClose(4401);
    await tick();
    expect(FakeSocket.instances.map((s) => s.url)).to.deep.equal(['ws://bff.test/1', 'ws://bff.test/2']);
    expect(socket.isOpen).to.equal(false);
    socket.close(1000, 'done');
    await tick();
    expect(FakeSocket.instances).to.have.length(2);
    expect(asked()).to.equal(2);
    expect(heard).to.deep.equal(['open', 'message "hi"', 'close 4401']);
  });

  it('drops a socket that does not open within the handshake time and tries again', async () => {
    const { clock, heard } = setup();
    await tick();
    const first = FakeSocket.last;
    clock.advance(HANDSHAKE_MS - 1);
    expect(heard).to.deep.equal([]);
    clock.advance(1);
    expect(first.readyState).to.equal(FakeSocket.CLOSED);
    expect(heard).to.deep.equal(['close 1000']);
    await tick();
    expect(FakeSocket.instances).to.have.length(2);
    // An opened socket has no handshake timer left.
    FakeSocket.last.open();
    clock.advance(HANDSHAKE_MS);
    expect(heard).to.deep.equal(['close 1000', 'open']);
  });

  it('reconnect() reports the drop at once and no longer hears the dropped socket', async () => {
    const { heard, socket } = setup();
    await tick();
    const first = FakeSocket.last;
    first.open();
    socket.reconnect(4000, 'heartbeat timeout');
    expect(heard).to.deep.equal(['open', 'close 4000']);
    first.receive('"late"');
    first.serverClose(1006);
    await tick();
    expect(FakeSocket.instances).to.have.length(2);
    expect(heard).to.deep.equal(['open', 'close 4000']);
  });

  it('takes a socket the browser refuses to create as a failed attempt and tries again', async () => {
    const clock = new FakeClock();
    const heard: number[] = [];
    let refuse = true;
    class Refusing extends FakeSocket {
      constructor(url: string) {
        if (refuse) {
          refuse = false;
          throw new DOMException('blocked', 'SecurityError');
        }
        super(url);
      }
    }
    let n = 0;
    new ReconnectingSocket(async () => `ws://bff.test/${++n}`, { open() {}, message() {}, close: (code) => heard.push(code) }, clock, Refusing as unknown as WebSocketClass, HANDSHAKE_MS);
    await tick();
    await tick();
    expect(heard).to.deep.equal([1006]);
    expect(FakeSocket.instances.map((s) => s.url)).to.deep.equal(['ws://bff.test/2']);
  });

  it('stops trying when nextUrl answers null', async () => {
    const { heard, asked } = setup(1);
    await tick();
    FakeSocket.last.serverClose(1006);
    await tick();
    expect(asked()).to.equal(2);
    expect(FakeSocket.instances).to.have.length(1);
    expect(heard).to.deep.equal(['close 1006']);
  });
});
