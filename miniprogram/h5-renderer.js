// The H5 build only (copied beside index.html, loaded before the app): what WeChat's renderer does
// for a mini-program's page and a browser does not do for Taro's H5 components.
// - `aria-role` is how a mini-program names an element's role (WeChat's accessibility attributes,
//   aria-component, developers.weixin.qq.com/miniprogram/dev/component/aria-component.html, base library 2.7.1); a browser reads `role`.
// - A label given to a component (aria-label on <image>, <input>, <switch>) is the component's; Taro's
//   H5 components draw an inner <img> or <input>, which gets it (an image's alt).
// - A page scrolls in its own element (Taro's .taro_page): it takes the keyboard's focus so that it
//   can be scrolled without a pointer.
// - WeChat's <button> is a button to assistive technology and the keyboard; Taro's H5
//   <taro-button-core> is a plain custom element: it gets role=button (unless the page gave it a
//   role with aria-role, as a radio or checkbox button), a place in the tab order,
//   Enter and Space, and aria-disabled while disabled (React writes disabled="false" when enabled).
(function () {
  function fix(el) {
    if (el.hasAttribute('aria-role')) {
      el.setAttribute('role', el.getAttribute('aria-role'));
      el.removeAttribute('aria-role');
      // a heading without a level is level 2 (WAI-ARIA 1.2, heading: aria-level's implicit value)
      if (el.getAttribute('role') === 'heading' && !el.hasAttribute('aria-level')) el.setAttribute('aria-level', '2');
    }
    var label = el.getAttribute('aria-label');
    if (label && /^TARO-(IMAGE|INPUT|SWITCH|TEXTAREA)-CORE$/.test(el.tagName)) {
      var inner = el.querySelector('img, input, textarea');
      if (inner && inner.tagName === 'IMG' && inner.getAttribute('alt') !== label) inner.setAttribute('alt', label);
      if (inner && inner.tagName !== 'IMG' && inner.getAttribute('aria-label') !== label) inner.setAttribute('aria-label', label);
    }
    if (el.classList.contains('taro_page') && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '0');
    if (el.tagName === 'TARO-BUTTON-CORE') {
      var d = el.getAttribute('disabled');
      var disabled = d !== null && d !== 'false';
      // a button the page gave a role of its own (aria-role: radio, checkbox) keeps it, as WeChat's does
      if (!el.hasAttribute('role')) el.setAttribute('role', 'button');
      if (el.getAttribute('tabindex') !== (disabled ? '-1' : '0')) el.setAttribute('tabindex', disabled ? '-1' : '0');
      if (el.getAttribute('aria-disabled') !== String(disabled)) el.setAttribute('aria-disabled', String(disabled));
    }
  }
  function sweep(root) {
    if (root.nodeType !== 1) return;
    fix(root);
    var all = root.querySelectorAll('[aria-role], [aria-label], taro-button-core, .taro_page');
    for (var i = 0; i < all.length; i++) fix(all[i]);
  }
  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var r = records[i];
      if (r.type === 'attributes') fix(r.target);
      else {
        for (var j = 0; j < r.addedNodes.length; j++) sweep(r.addedNodes[j]);
        // a component's inner element arrives after its host's label
        for (var p = r.target; p && p.nodeType === 1; p = p.parentNode) if (p.hasAttribute('aria-label')) fix(p);
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-role', 'aria-label', 'disabled'] });
  document.addEventListener('keydown', function (e) {
    var el = e.target;
    if (el && el.tagName === 'TARO-BUTTON-CORE' && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      el.click();
    }
  });
})();
