// The voice demo's host page: mirrors the widget's connection and quotes into the status line.
const widget = document.getElementById('companion');
const status = document.getElementById('host-status');

function say(text) {
  if (status) status.textContent = text;
}

widget?.addEventListener('shipvox-connection-change', (event) => {
  const s = event.detail?.status;
  if (s === 'online') say('Ready. Press "Talk to Bob" to start a voice call.');
  else if (s === 'offline') say('Connection lost — reconnecting…');
  else if (s === 'stopped') say('The assistant is unavailable on this page.');
});

widget?.addEventListener('shipvox-quotes-ready', (event) => {
  const n = event.detail?.quotes?.quotes?.length ?? 0;
  say(`${n} option${n === 1 ? '' : 's'} ready — pick one on the right or tell Bob.`);
});

widget?.addEventListener('shipvox-error', (event) => {
  if (event.detail?.fatal) say(event.detail.message);
});
