// The partner embed. A real partner pastes one tag pointing at ShipVox; here the ShipVox host is
// derived from this page's hostname (localhost or 127.0.0.1, BFF on port 8787), so both spellings
// of the demo work. `?endpoint=` and `?key=` override them (the end-to-end tests use a BFF on a
// free port, and the wrong-key case).
(function () {
  var params = new URLSearchParams(location.search);
  var endpoint = (params.get('endpoint') || location.protocol + '//' + location.hostname + ':8787').replace(/\/+$/, '');
  var key = params.get('key') || 'pk_dev_partner_demo';

  var widget = document.getElementById('companion');
  widget.setAttribute('endpoint', endpoint);
  widget.setAttribute('publishable-key', key);

  document.getElementById('page-origin').textContent = location.origin;
  document.getElementById('bff-origin').textContent = endpoint;
  document.getElementById('partner-key').textContent = key;

  var status = document.getElementById('partner-status');
  widget.addEventListener('shipvox-connection-change', function (event) {
    var s = event.detail && event.detail.status;
    if (s === 'online') status.textContent = 'Connected to ShipVox from ' + location.origin + '.';
    if (s === 'offline') status.textContent = 'Reconnecting…';
  });
  widget.addEventListener('shipvox-error', function (event) {
    if (event.detail && event.detail.fatal) {
      status.textContent = 'ShipVox refused this page: ' + event.detail.message;
      status.className = 'acme-status error';
    }
  });

  // Loaded from ShipVox, as a partner would, after the attributes are in place.
  var script = document.createElement('script');
  script.src = endpoint + '/widget/shipvox-companion.js';
  script.onerror = function () {
    status.textContent = 'Could not load the ShipVox widget from ' + endpoint + '.';
    status.className = 'acme-status error';
  };
  document.body.appendChild(script);
})();
