/**
 * The conversation panel (<shipvox-talk>, the lazily loaded shipvox-talk.js): the session's transcript
 * in a `log` region in order — the shopper's lines, Bob's, tool calls in line as they run and finish —
 * Bob's streaming words outside the announcements, the text box, sound through speechSynthesis, and
 * attach mode's typed message to the page's <elevenlabs-convai>. Ends with axe.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import type { SessionEvent } from '../shared/protocol.ts';
import { animationsDone, logged, started, toolResult } from './test/fixtures.ts';
import { connected, settled, useScriptedServer } from './test/mount.ts';
import { attachCall } from './voice/attach.ts';

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
    (el as unknown as { voiceCalls: { liveLine: string | null } }).voiceCalls.liveLine = 'Option 2 is';
    await settled(el);
    const live = talk.shadowRoot!.querySelector('p.live')!;
    expect(live.textContent).to.contain('Option 2 is');
    expect(live.getAttribute('aria-hidden')).to.equal('true');
    (el as unknown as { voiceCalls: { liveLine: string | null } }).voiceCalls.liveLine = null;
    await settled(el);
    expect(talk.shadowRoot!.querySelector('p.live')).to.equal(null);

    await animationsDone();
    await expect(el).to.be.accessible();
  });

  it('a failed tool call reads failed; the text box sends what was typed (talk-send) and clears; sound reads Bob\'s new lines aloud', async () => {
    const { el, socket } = await connected(html`<shipvox-companion voice="sdk" endpoint="http://bff.test" publishable-key="pk_test"></shipvox-companion>`);
    const talk = await talkOf(el);
    const failed = { ...toolResult('tc_9'), is_error: true, result: 'That ZIP code does not exist.' } as Body;
    for (const e of logged([started('tc_9'), failed])) socket.receive(e);
    await settled(el);
    expect(texts(talk)).to.deep.equal(['Getting quotes: failed']);

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
    const agent = document.createElement('div');
    agent.id = 'bob-agent';
    document.body.append(agent);
    const messages: string[] = [];
    agent.addEventListener('elevenlabs-agent:user-message', (e) => messages.push((e as CustomEvent<{ message: string }>).detail.message));
    try {
      const { el } = await connected(html`<shipvox-companion voice-agent="#bob-agent" endpoint="http://bff.test" publishable-key="pk_test"></shipvox-companion>`);
      const talk = await talkOf(el);
      expect(talk.shadowRoot!.querySelector('input')).to.not.equal(null);
      // Before the element's call there is no one to hear it: nothing is sent or logged.
      await el.say('hello?');
      expect(messages).to.deep.equal([]);
      // The element's call (attach.ts's voice call, as the widget gets it from shipvox-attach.js).
      const logged: string[] = [];
      const call = attachCall(el, agent, (line) => logged.push(line));
      call.send!('2 pounds from 10001 to 94105');
      expect(messages).to.deep.equal(['2 pounds from 10001 to 94105']);
      expect(logged).to.deep.equal(['2 pounds from 10001 to 94105']);
      await animationsDone();
      await expect(el).to.be.accessible();
    } finally {
      agent.remove();
    }
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
