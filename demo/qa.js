// The QA console: plays Bob through the webhook tools (what the ElevenLabs agent would call), shows
// and optionally speaks what Bob would say, and shows the session's log from the admin route; the
// shopper's side can be typed too (through the widget, to the conversation service: the local Bob or
// the ElevenLabs agent), and the transcript shows the session's own conversation lines.
// Dev secrets come from /demo/qa-config.json, which the BFF serves only while they are the
// published development defaults; otherwise the page asks for them.

const $ = (id) => document.getElementById(id);
const widget = $('companion');
const ui = {
  sessionId: $('session-id'),
  speak: $('speak'),
  secrets: $('secrets'),
  agentSecret: $('agent-secret'),
  adminToken: $('admin-token'),
  quoteDefault: $('quote-default'),
  state: $('state'),
  script: $('script'),
  quoteForm: $('quote-form'),
  quoteCustom: $('quote-custom'),
  fromZip: $('from-zip'),
  toZip: $('to-zip'),
  weight: $('weight'),
  unit: $('unit'),
  buy: $('buy-buttons'),
  sayForm: $('say-form'),
  sayText: $('say-text'),
  error: $('qa-error'),
  transcript: $('transcript'),
  log: $('log'),
  logStatus: $('log-status'),
};

const SECRETS_KEY = 'shipvox-qa-secrets';
let secrets = null; // { agent_tool_secret, admin_token }
let sessionId = null;
let lastOptions = [];
let busy = false;

// ---------- secrets ----------

async function loadSecrets() {
  try {
    const res = await fetch('/demo/qa-config.json', { cache: 'no-store' });
    if (res.ok) {
      const json = await res.json();
      if (json && json.agent_tool_secret && json.admin_token) return json;
    }
  } catch {
    /* fall through to the form */
  }
  try {
    const stored = JSON.parse(sessionStorage.getItem(SECRETS_KEY) ?? 'null');
    if (stored && stored.agent_tool_secret && stored.admin_token) return stored;
  } catch {
    /* ignore */
  }
  return null;
}

ui.secrets.addEventListener('submit', (event) => {
  event.preventDefault();
  const agent = ui.agentSecret.value.trim();
  const admin = ui.adminToken.value.trim();
  if (!agent || !admin) {
    showError('Both secrets are needed.');
    return;
  }
  secrets = { agent_tool_secret: agent, admin_token: admin };
  try {
    sessionStorage.setItem(SECRETS_KEY, JSON.stringify(secrets));
  } catch {
    /* private mode: keep them in memory */
  }
  ui.secrets.hidden = true;
  showError('');
  refresh();
  void refreshLog();
});

// ---------- transcript and speech ----------

/** The session's own conversation lines (transcript_line, by line_id) as the transcript shows them. */
const sessionLines = new Map();

/** Shows the session's transcript lines: what the shopper typed or said, and what the conversation's Bob answered. */
function showSessionLines(events) {
  for (const e of events) {
    if (e.type !== 'transcript_line') continue;
    const shown = sessionLines.get(e.line_id);
    // A correction (Bob interrupted) replaces the line's words.
    if (shown) shown.lastChild.textContent = e.text;
    else sessionLines.set(e.line_id, line(e.role === 'user' ? 'Shipper' : 'Bob', e.text));
  }
}

function line(who, text, kind = who.toLowerCase()) {
  const li = document.createElement('li');
  li.className = kind;
  if (kind !== 'note') {
    const label = document.createElement('span');
    label.className = 'who';
    label.textContent = who;
    li.append(label);
  }
  li.append(document.createTextNode(text));
  ui.transcript.append(li);
  li.scrollIntoView({ block: 'nearest' });
  return li;
}

/** Speaks when the toggle is on; resolves when done (or at once when silent). */
function speak(text) {
  if (!ui.speak.checked || !('speechSynthesis' in window)) return Promise.resolve();
  return new Promise((resolve) => {
    const u = new SpeechSynthesisUtterance(text);
    u.rate = 1.05;
    const done = () => resolve();
    u.addEventListener('end', done);
    u.addEventListener('error', done);
    // Some engines never fire `end`; do not hang the scripted conversation on them.
    setTimeout(done, 2000 + text.length * 90);
    speechSynthesis.speak(u);
  });
}

async function bob(text, kind = 'bob') {
  line('Bob', text, kind);
  await speak(text);
}

function showError(text) {
  ui.error.textContent = text;
}

// ---------- webhook tools ----------

async function tool(name, params = {}) {
  if (!sessionId || !secrets) throw new Error('Not connected yet.');
  const res = await fetch(`/v1/agent/tools/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.agent_tool_secret}` },
    body: JSON.stringify({ session_id: sessionId, ...params }),
  });
  const json = await res.json().catch(() => null);
  if (res.status === 401) {
    askForSecrets('The agent tool secret was refused.');
    throw new Error('The agent tool secret was refused.');
  }
  if (!res.ok || !json) throw new Error(json?.error?.message ?? `${name} failed (${res.status})`);
  if (Array.isArray(json.options)) {
    lastOptions = json.options;
    renderBuyButtons();
  }
  return json;
}

/** Runs a tool and says its answer; returns the answer. */
async function toolAndSay(name, params) {
  const answer = await tool(name, params);
  await bob(answer.result, answer.error ? 'error' : 'bob');
  return answer;
}

/** The QA recipient: a business address in the quoted destination's ZIP (the quotes stand). */
let lastToZip = '94105';
const qaRecipient = () => ({ name: 'Ada Lovelace', company: 'Analytical Engines Inc', street: '500 Howard St', zip: lastToZip });

/**
 * Buys as the product does: Bob takes the recipient (unless the session has one), reads the
 * summary create_label answers, the shipper says yes, and create_label with confirmed: true buys.
 */
async function buyConfirmed(quoteId) {
  // The screen's mirror of the session says whether a recipient is set (no extra tool call in the log).
  if (!document.querySelector('shipvox-companion')?.state?.recipient) {
    const to = qaRecipient();
    line('Shipper', `It goes to ${to.name}, ${to.company}, ${to.street}, ${to.zip}.`);
    const set = await toolAndSay('set_recipient_address', to);
    if (set.error) return set;
  }
  const summary = await toolAndSay('create_label', { quote_id: quoteId });
  if (!summary.needs_confirmation) return summary;
  line('Shipper', 'Yes.');
  return toolAndSay('create_label', { quote_id: quoteId, confirmed: true });
}

function renderBuyButtons() {
  ui.buy.replaceChildren();
  for (const o of lastOptions) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset.quoteId = o.quote_id;
    b.textContent = `Buy option ${o.option} (${o.carrier} ${o.service}, ${o.price})`;
    b.addEventListener('click', () => step(`Option ${o.option}, please.`, () => buyConfirmed(o.quote_id)));
    ui.buy.append(b);
  }
  refresh();
}

/** One user-visible step: optional shipper line, the action, then the log. */
async function step(shipperSays, action) {
  if (busy) return;
  busy = true;
  refresh();
  showError('');
  try {
    if (shipperSays) line('Shipper', shipperSays);
    await action();
  } catch (error) {
    showError(error instanceof Error ? error.message : String(error));
  } finally {
    busy = false;
    refresh();
    await refreshLog();
  }
}

function quoteParams() {
  return {
    from_zip: ui.fromZip.value.trim(),
    to_zip: ui.toZip.value.trim(),
    weight: Number(ui.weight.value),
    weight_unit: ui.unit.value,
  };
}

ui.quoteDefault.addEventListener('click', () => {
  lastToZip = '94105';
  step('From 10001 to 94105, two pounds.', () => toolAndSay('get_shipping_quotes', { from_zip: '10001', to_zip: '94105', weight: 2, weight_unit: 'lb' }));
});

ui.quoteForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const p = quoteParams();
  lastToZip = p.to_zip;
  step(`From ${p.from_zip} to ${p.to_zip}, ${p.weight} ${p.weight_unit}.`, () => toolAndSay('get_shipping_quotes', p));
});

ui.state.addEventListener('click', () => step('Sorry, where are we?', () => toolAndSay('get_session_state')));

ui.script.addEventListener('click', () =>
  step(null, async () => {
    line('', '— scripted conversation —', 'note');
    await bob("Hi, I'm Bob from ShipVox. Where is the package going, and how heavy is it?");
    line('Shipper', 'From New York, 10001, to San Francisco, 94105. About two pounds.');
    await bob('One moment while I compare carriers.');
    const quotes = await toolAndSay('get_shipping_quotes', { from_zip: '10001', to_zip: '94105', weight: 2, weight_unit: 'lb' });
    const first = quotes.options?.[0];
    if (!first) throw new Error('No options came back, so the script stops here.');
    line('Shipper', 'Option 1, please.');
    lastToZip = '94105';
    await bob(`Option 1, ${first.carrier} ${first.service} for ${first.price}. Who is it going to?`);
    await buyConfirmed(first.quote_id);
    line('Shipper', 'Great. So where are we?');
    await toolAndSay('get_session_state');
    line('', '— end of script —', 'note');
  }),
);

// ---------- session log ----------

function clip(text, n = 140) {
  const s = String(text ?? '');
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function summary(e) {
  switch (e.type) {
    case 'tool_call_started':
      return `${e.tool_name} via ${e.source} ${clip(JSON.stringify(e.parameters ?? {}), 90)}`;
    case 'tool_call_progress':
      return `${e.tool_name}: answered ${(e.answered ?? []).join(', ') || '—'}${e.slow?.length ? `; slow ${e.slow.join(', ')}` : ''}`;
    case 'client_tool_result':
      return `${e.tool_name}${e.is_error ? ' ERROR' : ''}: “${clip(e.result)}”`;
    case 'quotes_ready': {
      const s = e.shipment ?? {};
      return `${e.quotes?.length ?? 0} quotes ${s.from_zip} → ${s.to_zip}, ${s.weight} ${s.weight_unit}${e.superseded ? ' (superseded)' : ''}${e.missing_carriers?.length ? `; missing ${e.missing_carriers.join(', ')}` : ''}`;
    }
    case 'quote_selected':
      return `${e.quote_id} by ${e.by}`;
    case 'label_created':
      return `${e.label?.carrier} ${e.label?.service} · ${e.label?.tracking_number}`;
    case 'label_emailed':
      return `${e.label_id} to ${e.to}`;
    case 'contextual_update':
      return `${e.source}: ${clip(e.text)}`;
    case 'transcript_line':
      return `${e.role === 'user' ? 'shopper' : 'Bob'}: ${clip(e.text)}`;
    default:
      return clip(JSON.stringify(e), 120);
  }
}

let logInFlight = null;
let logAgain = false;

/** Fetches the admin log; calls that arrive while one runs coalesce into one more fetch. */
function refreshLog() {
  if (logInFlight) {
    logAgain = true;
    return logInFlight;
  }
  logInFlight = (async () => {
    try {
      do {
        logAgain = false;
        await fetchLog();
      } while (logAgain);
    } finally {
      logInFlight = null;
    }
  })();
  return logInFlight;
}

async function fetchLog() {
  if (!sessionId || !secrets) return;
  const res = await fetch(`/v1/admin/sessions/${encodeURIComponent(sessionId)}/log`, {
    headers: { authorization: `Bearer ${secrets.admin_token}` },
    cache: 'no-store',
  }).catch(() => null);
  if (!res) {
    ui.logStatus.textContent = 'Could not reach the BFF.';
    return;
  }
  if (res.status === 401) {
    askForSecrets('The admin token was refused.');
    return;
  }
  if (!res.ok) {
    ui.logStatus.textContent = `Log unavailable (${res.status}).`;
    return;
  }
  const body = await res.json();
  const events = body.events ?? [];
  showSessionLines(events);
  ui.logStatus.textContent = `${events.length} event${events.length === 1 ? '' : 's'}${body.complete === false ? ' (older events trimmed)' : ''}`;
  ui.log.replaceChildren(
    ...events.map((e) => {
      const li = document.createElement('li');
      li.dataset.seq = String(e.seq);
      li.dataset.type = e.type;
      for (const [cls, text] of [['seq', e.seq], ['type', e.type], ['summary', summary(e)]]) {
        const span = document.createElement('span');
        span.className = cls;
        span.textContent = String(text);
        li.append(span);
      }
      return li;
    }),
  );
  ui.log.lastElementChild?.scrollIntoView({ block: 'nearest' });
}

// ---------- the shopper, by text ----------

// The same conversation the widget's text box holds (the local Bob, or the ElevenLabs agent): sent through the widget.
ui.sayForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = ui.sayText.value.trim();
  if (!text) return;
  ui.sayText.value = '';
  showError('');
  try {
    if (!(await widget.say(text))) {
      ui.sayText.value = text;
      showError('The widget has no conversation to send this to (is a conversation service configured?).');
    }
  } catch (error) {
    showError(error.message);
  }
  void refreshLog();
});

// ---------- wiring ----------

function askForSecrets(message) {
  secrets = null;
  ui.secrets.hidden = false;
  if (message) showError(message);
  refresh();
}

function refresh() {
  const ready = Boolean(sessionId && secrets) && !busy;
  for (const b of [ui.quoteDefault, ui.state, ui.script, ui.quoteCustom]) b.disabled = !ready;
  for (const b of ui.buy.querySelectorAll('button')) b.disabled = !ready;
  document.body.dataset.ready = ready ? 'true' : 'false';
}

function adoptSession(id) {
  if (!id || id === sessionId) return;
  sessionId = id;
  ui.sessionId.textContent = id;
  refresh();
  void refreshLog();
}

widget.addEventListener('shipvox-connection-change', (event) => {
  if (event.detail?.session_id) adoptSession(event.detail.session_id);
  else if (widget.sessionId) adoptSession(widget.sessionId);
});
for (const name of ['shipvox-quotes-ready', 'shipvox-label-created']) {
  widget.addEventListener(name, () => void refreshLog());
}
widget.addEventListener('shipvox-error', (event) => {
  if (event.detail?.message) line('', `widget: ${event.detail.message}`, 'note');
  void refreshLog();
});
// Selections and emails made on the widget produce no host event: poll the log gently too.
setInterval(() => {
  if (!document.hidden && !busy) void refreshLog();
}, 3000);

if (!('speechSynthesis' in window)) {
  ui.speak.disabled = true;
  ui.speak.parentElement?.setAttribute('title', 'speechSynthesis is not available in this browser');
}

secrets = await loadSecrets();
if (!secrets) askForSecrets('');
if (widget.sessionId) adoptSession(widget.sessionId);
refresh();
