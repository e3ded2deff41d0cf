// The portal's one script (the CSP allows no inline script): the expiry countdown of an issued code.
(function () {
  var el = document.getElementById('countdown');
  if (!el) return;
  var expires = Number(el.getAttribute('data-expires'));
  var offset = Number(el.getAttribute('data-now')) - Date.now() / 1000; // the server's clock, not the PC's
  function tick() {
    var left = Math.max(0, Math.round(expires - (Date.now() / 1000 + offset)));
    if (left === 0) {
      el.textContent = el.getAttribute('data-expired');
      return;
    }
    var m = Math.floor(left / 60);
    var s = left % 60;
    el.textContent = m + ':' + (s < 10 ? '0' : '') + s;
    setTimeout(tick, 1000);
  }
  tick();
})();
