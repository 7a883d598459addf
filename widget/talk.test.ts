/**
 * The conversation panel (<shipvox-talk>, the lazily loaded shipvox-talk.js): the session's transcript
 * in a `log` region in order — the shopper's lines, Bob's, tool calls in line as they run and finish —
 * Bob's streaming words outside the announcements, the text box, sound through speechSynthesis, and
 * attach mode's typed message to the page's <elevenlabs-convai>. Ends with axe.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import { a11ySnapshot, sendKeys } from '@web/test-runner-commands';
import type { SessionEvent } from '../shared/protocol.ts';
import type { ShipvoxCompanion } from './shipvox-companion.ts';
import { animationsDone, logged, started, toolResult } from './test/fixtures.ts';
import { FakeSocket } from './test/fakes.ts';
import { connected, deepActive, settled, useScriptedServer } from './test/mount.ts';
import { attachCall } from './voice/attach.ts';

/**
 * An element shaped like widget-core's `<elevenlabs-convai>` as attach.ts checks it: it observes
 * allow-events (its event bridge). What the real element does with the events is test/voice's job.
 */
class BridgedAgent extends HTMLElement {
  static observedAttributes = ['allow-events'];
}
customElements.define('bridged-agent', BridgedAgent);

/** The Web Speech API's recognition, played by the test: it hears what the test says it heard. */
class FakeRecognition {
  static instances: FakeRecognition[] = [];
  lang = '';
  interimResults = false;
  started = 0;
  stopped = 0;
  onresult: ((e: { results: ArrayLike<{ isFinal: boolean; 0: { transcript: string } }> }) => void) | null = null;
  onerror: ((e: { error: string }) => void) | null = null;
  onend: (() => void) | null = null;
  constructor() {
    FakeRecognition.instances.push(this);
  }
  start() {
    this.started++;
  }
  stop() {
    this.stopped++;
  }
  /** One result event: each [transcript, isFinal]. */
  hear(...results: Array<[string, boolean]>) {
    this.onresult?.({ results: results.map(([transcript, isFinal]) => ({ isFinal, 0: { transcript } })) });
  }
  fail(error: string) {
    this.onerror?.({ error });
    this.onend?.();
  }
  end() {
    this.onend?.();
  }
}

interface AxNode {
  role: string;
  name?: string;
  pressed?: boolean | 'mixed';
  children?: AxNode[];
}
const flatten = (n: AxNode): AxNode[] => [n, ...(n.children ?? []).flatMap(flatten)];
/** The button named `name` in the page's accessibility tree (what a screen reader gets). */
const axButton = async (name: string) => flatten((await a11ySnapshot({})) as unknown as AxNode).find((n) => n.role === 'button' && n.name === name);

/** The widget's voice call as attach mode's chunk makes it when `agent`'s call starts (logging through the session). */
function attachTo(el: ShipvoxCompanion, agent: Element) {
  const widget = el as unknown as { voiceCall: unknown; sessionController: { sendTranscript(role: 'user', text: string): void } };
  widget.voiceCall = attachCall(el, agent, (text) => widget.sessionController.sendTranscript('user', text));
  el.requestUpdate();
}
/** The transcript lines the widget sent to its session. */
const transcriptSent = (socket: FakeSocket) => socket.sent.flatMap((f) => ((f as { action?: string }).action === 'transcript' ? [(f as unknown as { role: string; text: string })] : [])).map((f) => `${f.role}: ${f.text}`);

type Body = Parameters<typeof logged>[0][number];
const line = (line_id: string, role: 'user' | 'agent', text: string): Body => ({ type: 'transcript_line', line_id, role, text });

describe('<shipvox-talk>: the conversation on screen', () => {
  useScriptedServer();

  const talkOf = async (el: Element) => {
    await waitUntil(() => el.shadowRoot!.querySelector('shipvox-talk')?.shadowRoot?.querySelector('[role="log"]'), 'the talk chunk never rendered');
    return el.shadowRoot!.querySelector('shipvox-talk')!;
  };
  const texts = (talk: Element) => Array.from(talk.shadowRoot!.querySelectorAll('[role="log"] p.line:not(.live)'), (p) => p.textContent!.replace(/\s+/g, ' ').trim());

  it('shows the session\'s lines in order, tool calls running then done, Bob\'s correction in place of his line, and streaming words outside the log\'s announcements', async () => {
    const { el, socket } = await connected(html`<shipvox-companion voice="sdk" endpoint="http://bff.test" publishable-key="pk_test"></shipvox-companion>`);
    const talk = await talkOf(el);
    const events: SessionEvent[] = logged([line('u1', 'user', '2 pounds from 10001 to 94105'), started('tc_1')]);
    for (const e of events) socket.receive(e);
    await settled(el);
    expect(texts(talk)).to.deep.equal(['You: 2 pounds from 10001 to 94105', 'Getting quotes: running']);

    const more = logged([toolResult('tc_1'), line('a1', 'agent', 'I found 3 options. Option 1 is USPS and the rest'), line('a1', 'agent', 'I found 3 options.')], events.length);
    for (const e of more) socket.receive(e);
    await settled(el);
    expect(texts(talk)).to.deep.equal(['You: 2 pounds from 10001 to 94105', 'Getting quotes: done', 'Bob: I found 3 options.']);
    const log = talk.shadowRoot!.querySelector('[role="log"]')!;
    expect(log.getAttribute('aria-label')).to.equal('Conversation with Bob');

    // Bob's turn while it streams: shown, hidden from the log's announcements (the finished line is announced).
    (el as unknown as { liveLine: string | null }).liveLine = 'Option 2 is';
    await settled(el);
    const live = talk.shadowRoot!.querySelector('p.live')!;
    expect(live.textContent).to.contain('Option 2 is');
    expect(live.getAttribute('aria-hidden')).to.equal('true');
    (el as unknown as { liveLine: string | null }).liveLine = null;
    await settled(el);
    expect(talk.shadowRoot!.querySelector('p.live')).to.equal(null);

    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('the log region announces each finished line once, in order: not Bob\'s streaming words, not the empty hint', async () => {
    const { el, socket } = await connected(html`<shipvox-companion voice="sdk" endpoint="http://bff.test" publishable-key="pk_test"></shipvox-companion>`);
    const talk = await talkOf(el);
    const log = talk.shadowRoot!.querySelector('[role="log"]')!;
    // role="log" is polite and announces additions: what a screen reader hears is what is added (or rewritten) outside aria-hidden.
    expect(log.getAttribute('aria-live'), 'the role\'s own politeness (polite), not an override').to.equal(null);
    const heard: string[] = [];
    const hidden = (n: Node) => !!(n instanceof Element ? n : n.parentElement)?.closest('[aria-hidden="true"]');
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'characterData' && !hidden(r.target)) heard.push((r.target.parentElement ?? r.target).textContent!.replace(/\s+/g, ' ').trim());
        for (const node of Array.from(r.addedNodes)) {
          const text = node.textContent!.replace(/\s+/g, ' ').trim();
          if (text && !hidden(node)) heard.push(text);
        }
      }
    }).observe(log, { childList: true, subtree: true, characterData: true });
    const events = logged([line('u1', 'user', '2 pounds from 10001 to 94105'), started('tc_1')]);
    for (const e of events) socket.receive(e);
    await settled(el);
    (el as unknown as { liveLine: string | null }).liveLine = 'I found';
    await settled(el);
    (el as unknown as { liveLine: string | null }).liveLine = 'I found 3 options.';
    await settled(el);
    for (const e of logged([toolResult('tc_1'), line('a1', 'agent', 'I found 3 options.')], events.length)) socket.receive(e);
    (el as unknown as { liveLine: string | null }).liveLine = null;
    await settled(el);
    expect(heard.filter((h) => !h.startsWith('Type to Bob'))).to.deep.equal(['You: 2 pounds from 10001 to 94105', 'Getting quotes: running', 'Getting quotes: done', 'Bob: I found 3 options.']);
    expect(heard.some((h) => h.startsWith('Type to Bob')), 'the empty hint was there before any line, never added after').to.equal(false);
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('a failed tool call says what Bob was told; the text box sends what was typed (talk-send) and clears; sound reads Bob\'s new lines aloud', async () => {
    const { el, socket } = await connected(html`<shipvox-companion voice="sdk" endpoint="http://bff.test" publishable-key="pk_test"></shipvox-companion>`);
    const talk = await talkOf(el);
    const failed = { ...toolResult('tc_9'), is_error: true, result: 'That ZIP code does not exist.' } as Body;
    for (const e of logged([started('tc_9'), failed])) socket.receive(e);
    await settled(el);
    expect(texts(talk)).to.deep.equal(['Getting quotes: That ZIP code does not exist.']);

    const sent: string[] = [];
    talk.addEventListener('talk-send', (e) => {
      sent.push((e as CustomEvent<{ text: string }>).detail.text);
      e.preventDefault(); // the widget would start a call: not here
    });
    const input = talk.shadowRoot!.querySelector('input')!;
    expect(talk.shadowRoot!.querySelector('label[for="say"]')!.textContent).to.equal('Message to Bob');
    input.value = '  option 2 ';
    talk.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    expect(sent).to.deep.equal(['option 2']);
    expect(input.value).to.equal('');

    const spoken: string[] = [];
    const synth = window.speechSynthesis;
    const speak = synth.speak;
    synth.speak = (u: SpeechSynthesisUtterance) => void spoken.push(u.text);
    try {
      socket.receive(logged([line('a1', 'agent', 'Before sound.')], 2)[0]!);
      await settled(el);
      const sound = Array.from(talk.shadowRoot!.querySelectorAll('button')).find((b) => b.textContent!.trim() === 'Sound')!;
      expect(sound.getAttribute('aria-pressed')).to.equal('false');
      sound.click();
      await settled(el);
      expect(sound.getAttribute('aria-pressed')).to.equal('true');
      socket.receive(logged([line('a2', 'agent', 'Option 2: UPS Ground. Shall I buy that label?'), line('u2', 'user', 'yes')], 3)[0]!);
      socket.receive(logged([line('a2', 'agent', 'x'), line('u2', 'user', 'yes')], 3)[1]!);
      await settled(el);
      expect(spoken).to.deep.equal(['Option 2: UPS Ground. Shall I buy that label?'], 'only Bob\'s lines after sound was turned on');
    } finally {
      synth.speak = speak;
    }
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('attach mode: the text box is there; during the element\'s call a typed message goes to it as elevenlabs-agent:user-message and is logged as the shopper\'s line', async () => {
    const agent = document.createElement('bridged-agent');
    agent.id = 'bob-agent';
    agent.setAttribute('allow-events', 'true');
    document.body.append(agent);
    const messages: string[] = [];
    agent.addEventListener('elevenlabs-agent:user-message', (e) => messages.push((e as CustomEvent<{ message: string }>).detail.message));
    try {
      const { el, socket } = await connected(html`<shipvox-companion voice-agent="#bob-agent" endpoint="http://bff.test" publishable-key="pk_test"></shipvox-companion>`);
      const talk = await talkOf(el);
      const input = talk.shadowRoot!.querySelector('input')!;
      const status = talk.shadowRoot!.querySelector('[role="status"]')!;
      // Before the element's call there is no one to hear it: nothing is sent or logged, and the shopper is told why.
      input.value = 'hello?';
      talk.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      await waitUntil(() => status.textContent!.trim(), 'no notice');
      expect(status.textContent!.trim()).to.equal('Start a call with Bob on this page first, then type to him.');
      expect(input.value, 'what did not reach Bob stays in the box').to.equal('hello?');
      expect(messages).to.deep.equal([]);
      // The element's call (attach.ts's voice call, as the widget gets it from shipvox-attach.js).
      attachTo(el, agent);
      await settled(el);
      input.value = '2 pounds from 10001 to 94105';
      talk.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      await waitUntil(() => messages.length === 1, 'the element got no user-message');
      expect(messages).to.deep.equal(['2 pounds from 10001 to 94105']);
      expect(transcriptSent(socket)).to.deep.equal(['user: 2 pounds from 10001 to 94105']);
      await settled(el);
      expect(status.textContent!.trim(), 'the notice is gone once a message went through').to.equal('');
      expect(input.value).to.equal('');
      await animationsDone();
      await expect(el).to.be.accessible();
    } finally {
      agent.remove();
    }
  });

  it('attach mode, an element that drops typed messages (no allow-events): nothing is sent or logged; shipvox-error and the panel say why', async () => {
    const agent = document.createElement('bridged-agent');
    agent.id = 'bob-agent';
    document.body.append(agent);
    const messages: string[] = [];
    agent.addEventListener('elevenlabs-agent:user-message', (e) => messages.push((e as CustomEvent<{ message: string }>).detail.message));
    const problems: Array<{ code: string; message: string; fatal: boolean }> = [];
    try {
      const { el, socket } = await connected(html`<shipvox-companion voice-agent="#bob-agent" endpoint="http://bff.test" publishable-key="pk_test" @shipvox-error=${(e: CustomEvent) => problems.push(e.detail)}></shipvox-companion>`);
      const talk = await talkOf(el);
      attachTo(el, agent);
      await settled(el);
      problems.length = 0; // the call's own report (choices on screen): attach-reports.test.ts
      const input = talk.shadowRoot!.querySelector('input')!;
      input.value = 'option 2';
      talk.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      const status = talk.shadowRoot!.querySelector('[role="status"]')!;
      await waitUntil(() => status.textContent!.trim(), 'no notice');
      expect(status.textContent!.trim()).to.equal('Bob cannot read typed messages on this page: talk to him instead.');
      expect(problems.map((p) => [p.code, p.fatal])).to.deep.equal([['voice_agent_events', false]]);
      expect(problems[0]!.message).to.match(/^A typed message was not sent: .*allow-events="true"/);
      expect(messages).to.deep.equal([]);
      expect(transcriptSent(socket)).to.deep.equal([]);
      expect(input.value).to.equal('option 2');
      await animationsDone();
      await expect(el).to.be.accessible();
    } finally {
      agent.remove();
    }
  });

  it('speaks the widget\'s language: the Spanish pack translates the panel, the host\'s strings override it', async () => {
    const { el, socket } = await connected(
      html`<shipvox-companion voice="sdk" locale="es-ES" strings='{"talk_send":"Mandar"}' endpoint="http://bff.test" publishable-key="pk_test"></shipvox-companion>`,
    );
    const talk = await talkOf(el);
    const root = talk.shadowRoot!;
    await waitUntil(() => root.querySelector('[role="log"]')!.getAttribute('aria-label') === 'Conversación con Bob', 'the Spanish pack never reached the panel', { timeout: 10_000 });
    expect(root.querySelector('.empty')!.textContent!.trim()).to.equal('Escríbele a Bob abajo, o háblale.');
    for (const e of logged([line('u1', 'user', 'hola'), started('tc_1')])) socket.receive(e);
    await settled(el);
    expect(texts(talk)).to.deep.equal(['Tú: hola', 'Buscando tarifas: en curso']);
    expect(root.querySelector('label[for="say"]')!.textContent).to.equal('Mensaje para Bob');
    expect(root.querySelector('input')!.placeholder).to.equal('p. ej. 2 libras de 10001 a 94105');
    expect(Array.from(root.querySelectorAll('button'), (b) => b.textContent!.trim()).slice(0, 2)).to.deep.equal(['Mandar', 'Sonido']);
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('without voice, a session with no conversation shows no panel; one with lines shows them without a text box', async () => {
    const { el, socket } = await connected(html`<shipvox-companion endpoint="http://bff.test" publishable-key="pk_test"></shipvox-companion>`);
    await settled(el);
    expect(el.shadowRoot!.querySelector('shipvox-talk')).to.equal(null);
    socket.receive(logged([line('u1', 'user', 'hello')])[0]!);
    const talk = await talkOf(el);
    await settled(el);
    expect(texts(talk)).to.deep.equal(['You: hello']);
    expect(talk.shadowRoot!.querySelector('input')).to.equal(null);
    await animationsDone();
    await expect(el).to.be.accessible();
  });
});

describe('<shipvox-talk>: listening (Web Speech API) and speaking (speechSynthesis)', () => {
  useScriptedServer();
  let agent: HTMLElement;
  // Chromium has both names; the test's recognition takes both, the browser's own comes back after.
  const scope = window as unknown as Record<'SpeechRecognition' | 'webkitSpeechRecognition', unknown>;
  const NAMES = ['SpeechRecognition', 'webkitSpeechRecognition'] as const;
  const native = NAMES.map((name) => scope[name]);
  const withoutRecognition = () => NAMES.forEach((name) => delete scope[name]);

  beforeEach(() => {
    FakeRecognition.instances = [];
    withoutRecognition();
    scope.webkitSpeechRecognition = FakeRecognition;
    agent = document.createElement('bridged-agent');
    agent.id = 'bob-agent';
    agent.setAttribute('allow-events', 'true');
    document.body.append(agent);
  });
  afterEach(() => {
    NAMES.forEach((name, i) => (scope[name] = native[i]));
    agent.remove();
  });

  /** Attach mode during the element's call: what the shopper says goes to the element and the session log. */
  async function inCall(call = true) {
    const { el, socket } = await connected(html`<shipvox-companion voice-agent="#bob-agent" endpoint="http://bff.test" publishable-key="pk_test"></shipvox-companion>`);
    await waitUntil(() => el.shadowRoot!.querySelector('shipvox-talk')?.shadowRoot?.querySelector('[role="log"]'), 'the talk chunk never rendered');
    if (call) attachTo(el, agent);
    await settled(el);
    const talk = el.shadowRoot!.querySelector('shipvox-talk')!;
    const root = talk.shadowRoot!;
    const speak = () => root.querySelector<HTMLButtonElement>('button.speak');
    const status = () => root.querySelector('[role="status"]')!.textContent!.trim();
    return { el, socket, talk, root, speak, status };
  }

  it('a recognised phrase becomes the shopper\'s message: Speak by keyboard, interim words outside the announcements, the final phrase sent, logged and in the transcript', async () => {
    const messages: string[] = [];
    agent.addEventListener('elevenlabs-agent:user-message', (e) => messages.push((e as CustomEvent<{ message: string }>).detail.message));
    const { el, socket, root, speak, status } = await inCall();
    expect(!!speak(), 'the browser offers recognition: a Speak button').to.equal(true);
    expect(await axButton('Speak')).to.deep.include({ pressed: false });

    speak()!.focus();
    await sendKeys({ press: 'Enter' });
    await settled(el);
    const recognition = FakeRecognition.instances[0]!;
    expect(FakeRecognition.instances.length).to.equal(1);
    expect(recognition.started).to.equal(1);
    expect(recognition.interimResults).to.equal(true);
    expect(recognition.lang).to.equal(document.documentElement.lang || navigator.language);
    expect(speak()!.getAttribute('aria-pressed')).to.equal('true');
    expect(await axButton('Speak'), 'the same name, pressed: a screen reader hears "Speak, toggle button, pressed"').to.deep.include({ pressed: true });
    expect(status()).to.equal('Listening…');

    // Interim words: shown as the shopper's pending line, kept out of the log's announcements, nothing sent yet.
    recognition.hear(['two pounds', false]);
    await settled(el);
    const heard = root.querySelector('p.heard')!;
    expect(heard.textContent!.replace(/\s+/g, ' ').trim()).to.equal('You: two pounds');
    expect(heard.getAttribute('aria-hidden')).to.equal('true');
    expect(messages).to.deep.equal([]);

    recognition.hear(['2 pounds from 10001 ', true], ['to 94105', true]);
    await waitUntil(() => messages.length === 1, 'the final phrase was not sent');
    expect(messages).to.deep.equal(['2 pounds from 10001 to 94105']);
    expect(transcriptSent(socket)).to.deep.equal(['user: 2 pounds from 10001 to 94105']);
    expect(recognition.stopped, 'one utterance, then the recognition stops').to.equal(1);
    recognition.end();
    await settled(el);
    expect(!!root.querySelector('p.heard')).to.equal(false);
    expect(speak()!.getAttribute('aria-pressed')).to.equal('false');
    expect(status()).to.equal('');

    // The session logged the line: it is the transcript's (as on a reload, a second screen, the QA console).
    socket.receive(logged([{ type: 'transcript_line', line_id: 'u1', role: 'user', text: '2 pounds from 10001 to 94105' }])[0]!);
    await settled(el);
    expect(Array.from(root.querySelectorAll('[role="log"] p.line'), (p) => p.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal(['You: 2 pounds from 10001 to 94105']);

    // Pressing Speak again while listening stops it (Space, the other key of a button).
    speak()!.focus();
    await sendKeys({ press: 'Enter' });
    await settled(el);
    const second = FakeRecognition.instances[1]!;
    await sendKeys({ press: 'Space' });
    expect(second.stopped).to.equal(1);
    second.end();
    await settled(el);
    expect(speak()!.getAttribute('aria-pressed')).to.equal('false');
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('a refused microphone withdraws Speak and moves to the text box with a clear message; no speech and other failures say so and leave Speak', async () => {
    const messages: string[] = [];
    agent.addEventListener('elevenlabs-agent:user-message', (e) => messages.push((e as CustomEvent<{ message: string }>).detail.message));
    const { el, root, speak, status } = await inCall();

    speak()!.click();
    await settled(el);
    FakeRecognition.instances[0]!.fail('no-speech');
    await settled(el);
    expect(status()).to.equal('Bob heard nothing. Press Speak and try again, or type to him.');
    expect(speak()!.getAttribute('aria-pressed')).to.equal('false');

    speak()!.click();
    await settled(el);
    expect(status(), 'listening again clears the old notice').to.equal('Listening…');
    FakeRecognition.instances[1]!.fail('network');
    await settled(el);
    expect(status()).to.equal('Speech recognition stopped (network): type to Bob instead.');
    expect(!!speak()).to.equal(true);

    speak()!.focus();
    await sendKeys({ press: 'Enter' });
    await settled(el);
    FakeRecognition.instances[2]!.fail('not-allowed');
    await settled(el);
    expect(status()).to.equal('The microphone is not allowed here, so Bob cannot hear you: type to him instead.');
    expect(!!speak(), 'dictation withdrawn').to.equal(false);
    expect(await axButton('Speak')).to.equal(undefined);
    await waitUntil(() => deepActive() === root.querySelector('input'), 'the keyboard did not land in the text box');
    expect(messages).to.deep.equal([]);

    // Text still works.
    await sendKeys({ type: 'option 2' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => messages.length === 1, 'typing after a refused microphone sent nothing');
    expect(messages).to.deep.equal(['option 2']);
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('without recognition in the browser there is no Speak button', async () => {
    withoutRecognition();
    const { el, root, speak } = await inCall(false);
    expect(!!speak()).to.equal(false);
    expect(!!root.querySelector('input')).to.equal(true);
    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('speechSynthesis reads Bob\'s lines only while sound is on, never the shopper\'s or a tool\'s, stops when sound goes off or dictation starts', async () => {
    const spoken: string[] = [];
    let cancelled = 0;
    const synth = window.speechSynthesis;
    const { speak: realSpeak, cancel: realCancel } = synth;
    synth.speak = (u: SpeechSynthesisUtterance) => void spoken.push(u.text);
    synth.cancel = () => void cancelled++;
    try {
      // Before the element's call: the browser is Bob's only voice.
      const { el, socket, root, speak } = await inCall(false);
      const sound = root.querySelector<HTMLButtonElement>('.controls button')!;
      expect(sound.textContent!.trim()).to.equal('Sound');
      const say = (events: SessionEvent[]) => {
        for (const e of events) socket.receive(e);
        return settled(el);
      };
      const script = logged([
        { type: 'transcript_line', line_id: 'a1', role: 'agent', text: 'Hi, I am Bob.' },
        { type: 'transcript_line', line_id: 'u1', role: 'user', text: 'hello' },
        { type: 'transcript_line', line_id: 'a2', role: 'agent', text: 'Where is it going?' },
        started('tc_1'),
        { type: 'transcript_line', line_id: 'a3', role: 'agent', text: 'Option 1 is USPS.' },
        { type: 'transcript_line', line_id: 'a4', role: 'agent', text: 'Shall I buy it?' },
      ]);
      await say(script.slice(0, 1));
      expect(spoken, 'sound is off by default').to.deep.equal([]);
      sound.click();
      await settled(el);
      expect(await axButton('Sound')).to.deep.include({ pressed: true });
      await say(script.slice(1, 5));
      expect(spoken).to.deep.equal(['Where is it going?', 'Option 1 is USPS.']);
      sound.click();
      await settled(el);
      expect(cancelled, 'sound off stops Bob mid-sentence').to.equal(1);
      await say(script.slice(5));
      expect(spoken, 'nothing read with sound off').to.deep.equal(['Where is it going?', 'Option 1 is USPS.']);
      sound.click();
      await settled(el);
      speak()!.click();
      expect(cancelled, 'listening stops Bob reading (he would be dictated back to himself)').to.equal(2);
      FakeRecognition.instances[0]!.end();
      // During the element's call Bob speaks with his own voice: the browser does not read over him.
      attachTo(el, agent);
      await settled(el);
      await say(logged([{ type: 'transcript_line', line_id: 'a5', role: 'agent', text: 'Label bought.' }], script.length));
      expect(spoken).to.deep.equal(['Where is it going?', 'Option 1 is USPS.']);
      await animationsDone();
      await expect(el).to.be.accessible();
    } finally {
      synth.speak = realSpeak;
      synth.cancel = realCancel;
    }
  });
});
