// Points every <shipvox-companion data-same-origin> at the origin that served this page, so the
// demo works as http://localhost:8787/demo/ and as http://127.0.0.1:8787/demo/ alike (the
// publishable key allows both). A classic script placed before the widget bundle: the endpoint
// is set before the element is defined.
(function () {
  var widgets = document.querySelectorAll('shipvox-companion[data-same-origin]');
  for (var i = 0; i < widgets.length; i++) widgets[i].setAttribute('endpoint', location.origin);
})();
