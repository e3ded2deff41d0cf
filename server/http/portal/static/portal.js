// The portal's one script (the CSP allows no inline script): times in the reader's own time zone,
// and the expiry countdown of an issued code.
(function () {
  var times = document.querySelectorAll('time[datetime]');
  function pad(n) {
    return (n < 10 ? '0' : '') + n;
  }
  for (var i = 0; i < times.length; i++) {
    var d = new Date(times[i].getAttribute('datetime'));
    if (isNaN(d.getTime())) continue;
    times[i].textContent =
      d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes());
  }
})();
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
