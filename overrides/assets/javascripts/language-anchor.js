// The header's language links go to the same page in the other language (static-i18n). Headings
// carry the same ids in both languages, so the links also carry the section the reader is in
// (location.hash): kept up to date when the hash changes, and set again as a link is used, in case
// the address changed without a hashchange event.
(function () {
  "use strict";
  var LINKS = ".md-select__link[hreflang]";

  // One link, to the same section of the other page.
  function carryHash(link) {
    var target = new URL(link.href, location.href);
    if (target.hash !== location.hash) {
      target.hash = location.hash;
      link.href = target.href;
    }
  }

  // Every language link of the header.
  function carryAll() {
    document.querySelectorAll(LINKS).forEach(carryHash);
  }

  // A language link about to be followed (or opened in a new tab).
  function onUse(event) {
    var link = event.target instanceof Element ? event.target.closest(LINKS) : null;
    if (link) { carryHash(link); }
  }

  ["pointerdown", "click", "auxclick", "focusin"].forEach(function (type) {
    document.addEventListener(type, onUse, true);
  });
  window.addEventListener("hashchange", carryAll);
  carryAll();
})();
