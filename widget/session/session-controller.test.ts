import { expect, waitUntil } from '@open-wc/testing';
import type { ReactiveControllerHost } from 'lit';
import { FakeClock, FakeSocket, MemoryStorage, fakeExchange, session, welcome } from '../test/fakes.ts';
import { SESSION_ID, label, logged, quotesReady, selected, started, stateOf } from '../test/fixtures.ts';
import { CLIENT_TOOL_GUARD_MS } from '../../shared/voice-budget.ts';
import { SessionController, TOOL_SLOW, type SessionControllerOptions, type SessionProblem, type ConnectionStatus } from './session-controller.ts';

const host = (): ReactiveControllerHost => ({
  addController() {},
  removeController() {},
  requestUpdate() {},
  updateComplete: Promise.resolve(true),
});

const ENDPOINT = 'http://bff.test';

function setup(opts: { key?: string; token?: string; storage?: Storage; exchange?: ReturnType<typeof fakeExchange>; outboxLimit?: number; notes?: string[] } = {}) {
  const clock = new FakeClock();
  const exchange = opts.exchange ?? fakeExchange((_b, n) => ({ status: 201, body: session(SESSION_ID, n) }));
  const problems: SessionProblem[] = [];
  const statuses: ConnectionStatus[] = [];
  const options: SessionControllerOptions = {
    clock,
    fetch: exchange.fetch,
    WebSocket: FakeSocket as unknown as SessionControllerOptions['WebSocket'],
    storage: opts.storage ?? new MemoryStorage(),
    outboxLimit: opts.outboxLimit,
  };
  const controller = new SessionController(
    host(),
    () => ({ endpoint: ENDPOINT, publishableKey: 'key' in opts ? opts.key : 'pk_test_widget', sessionToken: opts.token, storageKey: 'w1' }),
    { problem: (p) => problems.push(p), connectionChanged: (s) => statuses.push(s), note: (text) => opts.notes?.push(text) },
    options,
  );
  return { clock, controller, exchange, problems, statuses };
}

/** Advances the fake clock step by step, letting the page's own tasks run, until `cond` holds. */
async function drive(clock: FakeClock, cond: () => boolean, stepMs = 250): Promise<void> {
  for (let i = 0; i < 400 && !cond(); i++) {
    clock.advance(stepMs);
    await new Promise((r) => setTimeout(r, 0));
  }
  expect(cond(), 'condition not reached').to.equal(true);
}

const socketCount = (n: number) => () => FakeSocket.instances.length >= n;

/** Connects the first socket and completes hello/welcome/snapshot. */
async function connect(ctx: ReturnType<typeof setup>, state = stateOf([])) {
  ctx.controller.start();
  await waitUntil(socketCount(1));
  const socket = FakeSocket.last;
  socket.open();
  socket.receive(welcome(SESSION_ID));
  socket.receive({ type: 'snapshot', seq: state.seq, state });
  return socket;
}

describe('SessionController', () => {
  beforeEach(() => FakeSocket.reset());

  it('exchanges the publishable key, connects with the ticket and mirrors the snapshot', async () => {
    const ctx = setup();
    const socket = await connect(ctx, stateOf([started(), quotesReady()]));
    expect(ctx.exchange.calls).to.deep.equal([{ publishable_key: 'pk_test_widget' }]);
    expect(socket.url).to.equal('ws://bff.test/v1/ws?ticket=ticket-1');
    expect(socket.sent[0]).to.deep.include({ type: 'hello', role: 'ui' });
    expect(socket.sent[0]).not.to.have.property('last_seq');
    expect(ctx.controller.status).to.equal('online');
    expect(ctx.controller.sessionId).to.equal(SESSION_ID);
    expect(ctx.controller.state.quotes?.quotes).to.have.length(3);
    ctx.controller.stop();
  });

  it('exchanges again with the resume token on every reconnect and resumes from last_seq', async () => {
    const ctx = setup();
    const first = await connect(ctx);
    for (const e of logged([started(), quotesReady()])) first.receive(e);
    first.serverClose(1006);
    expect(ctx.controller.status).to.equal('offline');
    await drive(ctx.clock, socketCount(2));
    const second = FakeSocket.last;
    expect(second.url).to.equal('ws://bff.test/v1/ws?ticket=ticket-2');
    expect(ctx.exchange.calls[1]).to.deep.equal({ resume_token: `resume-${SESSION_ID}` });
    second.open();
    expect(second.sent[0]).to.deep.include({ type: 'hello', last_seq: 2 });
    second.receive(welcome(SESSION_ID, true));
    expect(ctx.controller.status).to.equal('online');
    expect(ctx.controller.notice).to.equal('resumed');
    ctx.controller.stop();
  });

  it('takes a 4401 as a dead ticket: a new exchange, never the same ticket', async () => {
    const ctx = setup();
    const first = await connect(ctx);
    first.serverClose(4401);
    await drive(ctx.clock, socketCount(2));
    expect(FakeSocket.last.url).to.contain('ticket-2');
    expect(ctx.exchange.calls).to.have.length(2);
    ctx.controller.stop();
  });

  it('stops after repeated 4401s instead of looping', async () => {
    const ctx = setup();
    ctx.controller.start();
    for (let n = 1; n <= 4; n++) {
      await drive(ctx.clock, socketCount(n));
      FakeSocket.last.open();
      FakeSocket.last.serverClose(4401);
    }
    expect(ctx.controller.status).to.equal('stopped');
    expect(ctx.problems.at(-1)).to.deep.include({ fatal: true });
    ctx.clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(FakeSocket.instances).to.have.length(4);
  });

  it('stops on 4403 with a clear error and no retry', async () => {
    const ctx = setup();
    const socket = await connect(ctx);
    socket.serverClose(4403);
    expect(ctx.controller.status).to.equal('stopped');
    expect(ctx.controller.problem).to.deep.include({ code: 'origin_not_allowed', fatal: true });
    ctx.clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(FakeSocket.instances).to.have.length(1);
    expect(ctx.exchange.calls).to.have.length(1);
  });

  it('starts a new session when the resume token is refused (401), and says so', async () => {
    const exchange = fakeExchange((body, n) =>
      body.resume_token ? { status: 401, body: { error: { code: 'unauthorized', message: 'expired' } } } : { status: 201, body: session('ses_new', n) },
    );
    const ctx = setup({ token: 'old-resume-token', exchange });
    ctx.controller.start();
    await waitUntil(socketCount(1));
    expect(exchange.calls).to.deep.equal([{ resume_token: 'old-resume-token' }, { publishable_key: 'pk_test_widget' }]);
    FakeSocket.last.open();
    FakeSocket.last.receive(welcome('ses_new'));
    expect(ctx.controller.notice).to.equal('not_resumed');
    expect(ctx.controller.problem).to.equal(null);
    expect(ctx.controller.sessionId).to.equal('ses_new');
    ctx.controller.stop();
  });

  it('without a publishable key, a refused resume token stops with "could not be resumed"', async () => {
    const exchange = fakeExchange(() => ({ status: 401, body: { error: { code: 'unauthorized', message: 'expired' } } }));
    const ctx = setup({ key: undefined, token: 'old', exchange });
    ctx.controller.start();
    await waitUntil(() => ctx.controller.status === 'stopped');
    expect(ctx.controller.problem?.message).to.contain('could not be resumed');
    expect(FakeSocket.instances).to.have.length(0);
  });

  it('keeps retrying a failing exchange with backoff and never wedges', async () => {
    let down = true;
    const exchange = fakeExchange((_b, n) => (down ? { status: 503, body: { error: { code: 'unavailable', message: 'down' } } } : { status: 201, body: session(SESSION_ID, n) }));
    const ctx = setup({ exchange });
    ctx.controller.start();
    await drive(ctx.clock, () => exchange.calls.length >= 3);
    expect(FakeSocket.instances).to.have.length(0);
    expect(ctx.controller.problem).to.deep.include({ code: 'unavailable', fatal: false });
    down = false;
    await drive(ctx.clock, socketCount(1));
    FakeSocket.last.open();
    FakeSocket.last.receive(welcome());
    expect(ctx.controller.status).to.equal('online');
    expect(ctx.controller.problem).to.equal(null);
    ctx.controller.stop();
  });

  it('asks for a resync on a seq gap and ignores events until healed', async () => {
    const ctx = setup();
    const socket = await connect(ctx);
    const [e1, e2, e3, e4] = logged([started(), quotesReady(), selected('q_1'), selected('q_3')]);
    socket.receive(e1!);
    socket.receive(e3!);
    expect(socket.sentOfType('resync')).to.deep.equal([{ type: 'resync', last_seq: 1 }]);
    socket.receive(e4!);
    expect(ctx.controller.state.seq).to.equal(1);
    expect(socket.sentOfType('resync')).to.have.length(1);
    for (const e of [e2!, e3!, e4!]) socket.receive(e);
    expect(ctx.controller.state.seq).to.equal(4);
    expect(ctx.controller.state.selected_quote_id).to.equal('q_3');
    ctx.controller.stop();
  });

  it('ignores frames with a bad envelope, and takes an event the reducer cannot apply as a reason for a snapshot', async () => {
    const ctx = setup();
    const socket = await connect(ctx);
    const [e1, e2] = logged([started(), quotesReady()]);
    socket.receive(e1!);
    for (const bad of ['not json', { ...e2!, type: 'nope' }, { ...e2!, session_id: 'ses_other' }, { ...e2!, seq: 0 }, { ...e2!, seq: '2' }]) {
      socket.receive(bad);
    }
    expect(ctx.controller.state.seq).to.equal(1);
    expect(socket.sentOfType('resync')).to.have.length(0);

    // A sound envelope whose payload makes the reducer throw (label_created without a label).
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      socket.receive({ ...e2!, type: 'label_created', label: null });
    } finally {
      console.warn = warn;
    }
    expect(warnings).to.have.length(1);
    expect(ctx.controller.state.seq).to.equal(1);
    await drive(ctx.clock, socketCount(2));
    const next = FakeSocket.last;
    next.open();
    expect(next.sentOfType('hello')[0]).not.to.have.property('last_seq');
    next.receive(welcome(SESSION_ID));
    const state = stateOf([started(), quotesReady()]);
    next.receive({ type: 'snapshot', seq: state.seq, state });
    expect(ctx.controller.status).to.equal('online');
    expect(ctx.controller.state.seq).to.equal(2);
    expect(ctx.controller.state.quotes?.quotes).to.have.length(3);
    ctx.controller.stop();
  });

  it('pings every heartbeat and reconnects a silent socket after two intervals', async () => {
    const ctx = setup();
    const socket = await connect(ctx);
    ctx.clock.advance(10_000);
    expect(socket.sentOfType('ping')).to.have.length(1);
    socket.receive({ type: 'pong', id: 'hb-1', server_time: '2026-11-26T10:00:10.000Z' });
    ctx.clock.advance(10_000);
    expect(socket.sentOfType('ping')).to.have.length(2);
    expect(FakeSocket.instances).to.have.length(1);
    ctx.clock.advance(20_000);
    expect(ctx.controller.status).to.equal('offline');
    await drive(ctx.clock, socketCount(2));
    ctx.controller.stop();
  });

  it('keeps actions made offline, sends them after welcome and resends until acked', async () => {
    const ctx = setup();
    const first = await connect(ctx, stateOf([started(), quotesReady()]));
    first.serverClose(1006);
    const acked = ctx.controller.selectQuote('q_2');
    expect(ctx.controller.pendingActions).to.equal(1);
    expect(first.sentOfType('ui_action')).to.have.length(0);
    await drive(ctx.clock, socketCount(2));
    const second = FakeSocket.last;
    second.open();
    expect(second.sentOfType('ui_action')).to.have.length(0);
    second.receive(welcome(SESSION_ID, true));
    const [action] = second.sentOfType('ui_action');
    expect(action).to.deep.include({ action: 'select_quote', quote_id: 'q_2' });
    // Lost before the ack: the same client_msg_id goes out again on the next connection.
    second.serverClose(1006);
    await drive(ctx.clock, socketCount(3));
    const third = FakeSocket.last;
    third.open();
    third.receive(welcome(SESSION_ID, true));
    expect(third.sentOfType('ui_action')[0]?.client_msg_id).to.equal(action!.client_msg_id);
    third.receive({ type: 'ack', client_msg_id: action!.client_msg_id, duplicate: true });
    expect((await acked).client_msg_id).to.equal(action!.client_msg_id);
    expect(ctx.controller.pendingActions).to.equal(0);
    ctx.controller.stop();
  });

  it('rejects an action with the error frame that refers to it', async () => {
    const ctx = setup();
    const socket = await connect(ctx);
    const result = ctx.controller.emailLabel('lbl_1', 'a@b.co');
    const [action] = socket.sentOfType('ui_action');
    socket.receive({ type: 'error', code: 'not_found', message: 'no such label', ref: action!.client_msg_id, retryable: false });
    const error = await result.then(() => null, (e: Error & { code: string }) => e);
    expect(error?.code).to.equal('not_found');
    ctx.controller.stop();
  });

  it('bounds the outbox and reports when it is full', async () => {
    const ctx = setup({ outboxLimit: 2 });
    const socket = await connect(ctx);
    socket.serverClose(1006);
    void ctx.controller.selectQuote('q_1').catch(() => {});
    void ctx.controller.selectQuote('q_2').catch(() => {});
    const third = await ctx.controller.selectQuote('q_3').then(() => null, (e: Error & { code: string }) => e);
    expect(third?.code).to.equal('outbox_full');
    expect(ctx.problems.at(-1)?.code).to.equal('outbox_full');
    ctx.controller.stop();
  });

  it('returns the fresh link from ack{url} for label_link', async () => {
    const ctx = setup();
    const socket = await connect(ctx);
    const link = ctx.controller.requestLabelLink('lbl_1');
    const [action] = socket.sentOfType('ui_action');
    expect(action).to.deep.include({ action: 'label_link', label_id: 'lbl_1' });
    socket.receive({ type: 'ack', client_msg_id: action!.client_msg_id, url: 'http://bff.test/v1/labels/lbl_1.pdf?exp=1&sig=x' });
    expect(await link).to.contain('lbl_1.pdf');
    ctx.controller.stop();
  });

  it('names one call binding, made before any session, in every exchange; a reload keeps it; a 409 makes a new one', async () => {
    const storage = new MemoryStorage();
    let taken = true;
    const exchange = fakeExchange((_b, n) => {
      if (n === 2 && taken) return (taken = false), { status: 409, body: { error: { code: 'conflict', message: 'taken' } } };
      return { status: 201, body: session(SESSION_ID, n) };
    });
    const a = setup({ storage, exchange });
    const binding = a.controller.callBinding;
    expect(binding, 'there before the session').to.match(/^cb_[\w-]{22}$/);
    await connect(a);
    expect(exchange.bindings).to.deep.equal([binding]);
    expect(JSON.parse(storage.getItem(`shipvox-companion:${ENDPOINT}:w1`)!).call_binding).to.equal(binding);
    a.controller.stop();

    FakeSocket.reset();
    const b = setup({ storage, exchange });
    b.controller.start();
    expect(b.controller.callBinding, 'a reload keeps it').to.equal(binding);
    // Another session holds it (409): the next attempt names a new one, kept from then on.
    await drive(b.clock, socketCount(1));
    expect(exchange.bindings.slice(1, 2)).to.deep.equal([binding]);
    const fresh = exchange.bindings[2]!;
    expect(fresh).to.match(/^cb_/).and.not.equal(binding);
    expect(b.controller.callBinding).to.equal(fresh);
    expect(JSON.parse(storage.getItem(`shipvox-companion:${ENDPOINT}:w1`)!).call_binding).to.equal(fresh);
    b.controller.stop();
  });

  it('persists the session per endpoint and element, and resumes it after a reload', async () => {
    const storage = new MemoryStorage();
    const a = setup({ storage });
    const socket = await connect(a);
    for (const e of logged([started(), quotesReady(), selected()])) socket.receive(e);
    a.controller.stop();
    expect(storage.getItem(`shipvox-companion:${ENDPOINT}:w1`)).to.contain('"last_seq":3');

    FakeSocket.reset();
    const b = setup({ storage });
    b.controller.start();
    // The restored state is there before any socket opens.
    expect(b.controller.state.selected_quote_id).to.equal('q_2');
    await waitUntil(socketCount(1));
    expect(b.exchange.calls[0]).to.deep.equal({ resume_token: `resume-${SESSION_ID}` });
    FakeSocket.last.open();
    expect(FakeSocket.last.sent[0]).to.deep.include({ type: 'hello', last_seq: 3 });
    FakeSocket.last.receive(welcome(SESSION_ID, true));
    expect(b.controller.notice).to.equal('resumed');
    b.controller.stop();
  });

  it('keeps a stored resume token but drops a stored state it doubts, and asks for a snapshot', async () => {
    const key = `shipvox-companion:${ENDPOINT}:w1`;
    const state = stateOf([started(), quotesReady()]);
    for (const stored of [
      { session_id: SESSION_ID, resume_token: `resume-${SESSION_ID}`, last_seq: 3, state }, // seq differs from last_seq
      { session_id: SESSION_ID, resume_token: `resume-${SESSION_ID}`, last_seq: 2, state: { ...state, session_id: 'ses_other' } },
      { session_id: SESSION_ID, resume_token: `resume-${SESSION_ID}`, last_seq: 2, state: 'garbage' },
    ]) {
      FakeSocket.reset();
      const storage = new MemoryStorage();
      storage.setItem(key, JSON.stringify(stored));
      const ctx = setup({ storage });
      ctx.controller.start();
      expect(ctx.controller.state.seq).to.equal(0);
      await waitUntil(socketCount(1));
      expect(ctx.exchange.calls[0]).to.deep.equal({ resume_token: `resume-${SESSION_ID}` });
      FakeSocket.last.open();
      expect(FakeSocket.last.sent[0]).not.to.have.property('last_seq');
      ctx.controller.stop();
    }
    // Not a stored session at all: forgotten, a fresh exchange with the key.
    FakeSocket.reset();
    const storage = new MemoryStorage();
    storage.setItem(key, JSON.stringify({ session_id: SESSION_ID, last_seq: 2 }));
    const ctx = setup({ storage });
    ctx.controller.start();
    await waitUntil(socketCount(1));
    expect(ctx.exchange.calls[0]).to.deep.equal({ publishable_key: 'pk_test_widget' });
    ctx.controller.stop();
  });

  it('drops a label from a replaced session: a 4404 starts over with the publishable key', async () => {
    const exchange = fakeExchange((body, n) => ({ status: 201, body: session(body.resume_token ? SESSION_ID : n === 1 ? SESSION_ID : 'ses_2', n) }));
    const ctx = setup({ exchange });
    const socket = await connect(ctx, stateOf([started(), quotesReady(), selected(), { type: 'label_created', label: label() }]));
    socket.serverClose(4404);
    await drive(ctx.clock, socketCount(2));
    expect(exchange.calls.at(-1)).to.deep.equal({ publishable_key: 'pk_test_widget' });
    expect(ctx.controller.state.session_id).to.equal('ses_2');
    expect(ctx.controller.state.label).to.equal(null);
    expect(ctx.controller.notice).to.equal('not_resumed');
    ctx.controller.stop();
  });

  it('callTool: queues a client_tool_call, resends it after a reconnect, and resolves with the result string of its tool_call_id', async () => {
    const ctx = setup();
    const first = await connect(ctx);
    first.serverClose(1006);
    let answer: string | null = null;
    void ctx.controller.callTool('get_shipping_quotes', { to_zip: '94105' }).then((r) => (answer = r));
    await drive(ctx.clock, socketCount(2));
    const second = FakeSocket.last;
    second.open();
    second.receive(welcome(SESSION_ID));
    const call = second.sent.find((f: any) => f.type === 'client_tool_call') as any;
    expect(call).to.deep.include({ tool_name: 'get_shipping_quotes', parameters: { to_zip: '94105' } });
    expect(call.tool_call_id).to.match(/^tc-/);
    second.receive({ type: 'snapshot', seq: 0, state: stateOf([]) });
    // Another call's result does not settle this one; its own (by broadcast) does, as the string.
    second.receive({ type: 'client_tool_result', seq: 1, ts: new Date(0).toISOString(), session_id: SESSION_ID, tool_call_id: 'tc-other', tool_name: 'x', is_error: false, result: 'no', data: null });
    await new Promise((r) => setTimeout(r, 0));
    expect(answer).to.equal(null);
    second.receive({ type: 'client_tool_result', seq: 2, ts: new Date(0).toISOString(), session_id: SESSION_ID, tool_call_id: call.tool_call_id, tool_name: 'get_shipping_quotes', is_error: false, result: 'I found 3 options.', data: { quotes: [] } });
    await waitUntil(() => answer !== null);
    expect(answer).to.equal('I found 3 options.');
    expect(ctx.controller.pendingActions).to.equal(0);
    ctx.controller.stop();
  });

  it('callTool: a failed tool rejects with its sentence (the voice SDK answers is_error: true with it)', async () => {
    const ctx = setup();
    const socket = await connect(ctx);
    const answer = ctx.controller.callTool('get_shipping_quotes', { to_zip: '9410' }).then(
      (r) => ({ ok: r }),
      (e: Error) => ({ failed: e.message }),
    );
    const call = socket.sent.find((f: any) => f.type === 'client_tool_call') as any;
    socket.receive({ type: 'client_tool_result', seq: 1, ts: new Date(0).toISOString(), session_id: SESSION_ID, tool_call_id: call.tool_call_id, tool_name: 'get_shipping_quotes', is_error: true, result: 'I need a 5-digit US ZIP code.', data: { code: 'invalid_zip' } });
    expect(await answer).to.deep.equal({ failed: 'I need a 5-digit US ZIP code.' });
    ctx.controller.stop();
  });

  it("hands the BFF's notes for Bob (contextual_update from bff) to its listener once, live ones only", async () => {
    const notes: string[] = [];
    const ctx = setup({ notes });
    const socket = await connect(ctx);
    const note = (seq: number, source: string, text: string) => ({ type: 'contextual_update', seq, ts: new Date(0).toISOString(), session_id: SESSION_ID, text, source });
    socket.receive(note(1, 'bff', 'FedEx answered late: option 7.'));
    socket.receive(note(2, 'ui', 'The shopper selected option 2 on screen.'));
    socket.receive(note(1, 'bff', 'FedEx answered late: option 7.'));
    expect(notes).to.deep.equal(['FedEx answered late: option 7.']);
    expect(ctx.controller.state.seq).to.equal(2);
    ctx.controller.stop();
  });

  it('callTool: answers a sentence Bob can say after 18 s instead of leaving him waiting, and stops resending', async () => {
    const ctx = setup();
    const socket = await connect(ctx);
    let answer: unknown = null;
    void ctx.controller.callTool('create_label', { quote_id: 'q1' }).then((r) => (answer = r));
    expect(socket.sent.filter((f: any) => f.type === 'client_tool_call')).to.have.length(1);
    ctx.clock.advance(CLIENT_TOOL_GUARD_MS - 1);
    await new Promise((r) => setTimeout(r, 0));
    expect(answer).to.equal(null);
    ctx.clock.advance(1);
    await waitUntil(() => answer !== null);
    expect(answer).to.equal(TOOL_SLOW);
    expect(CLIENT_TOOL_GUARD_MS).to.be.below(20_000);
    expect(ctx.controller.pendingActions).to.equal(0);
    ctx.controller.stop();
  });

  it('callTool: never rejects; with the outbox full it answers the same speakable sentence at once', async () => {
    const ctx = setup({ outboxLimit: 1 });
    ctx.controller.start();
    void ctx.controller.callTool('get_shipping_quotes', {});
    expect(await ctx.controller.callTool('get_session_state', {})).to.equal(TOOL_SLOW);
    ctx.controller.stop();
  });
});
