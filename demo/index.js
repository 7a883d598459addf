// The host page listens to the widget's DOM events, the way a ShipVox page would.
const widget = document.getElementById('companion');
const status = document.getElementById('host-status');
const toZip = document.getElementById('to');
const weight = document.getElementById('weight');

function say(text) {
  if (status) status.textContent = text;
}

widget?.addEventListener('shipvox-connection-change', (event) => {
  const s = event.detail?.status;
  if (s === 'online') say('Bob is listening. Ask him for a quote.');
  else if (s === 'offline') say('Connection lost — reconnecting…');
  else if (s === 'connecting') say('Connecting to Bob…');
  else if (s === 'stopped') say('The assistant is unavailable on this page.');
});

widget?.addEventListener('shipvox-quotes-ready', (event) => {
  const set = event.detail?.quotes;
  const shipment = set?.shipment;
  if (shipment) {
    if (toZip) toZip.value = shipment.to_zip;
    if (weight) weight.value = `${shipment.weight} ${shipment.weight_unit}`;
  }
  const n = set?.quotes?.length ?? 0;
  say(`${n} option${n === 1 ? '' : 's'} ready — pick one on the right or tell Bob.`);
});

widget?.addEventListener('shipvox-label-created', (event) => {
  const label = event.detail?.label;
  if (label) say(`Label bought: ${label.carrier} ${label.service}, tracking ${label.tracking_number}.`);
});

widget?.addEventListener('shipvox-error', (event) => {
  if (event.detail?.fatal) say(event.detail.message);
});
