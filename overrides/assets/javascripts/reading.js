// Reading in either language: two independent parts, each in its own function.
//  1. The language switch keeps the reader's section (#anchor).
//  2. A tap on a glossary term shows its definition in place.

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

// Glossary terms on touch screens. Material's content.tooltips shows a term's definition (the
// title of its link, hooks/atlas/annotate.py) on hover and on keyboard focus, but a tap has no
// hover: it followed the link to the glossary. Here the first tap on a term shows its definition
// in place, with a link to the glossary entry; a second tap on the term, or that link, goes there.
// Esc or a tap elsewhere closes it; Esc also hides Material's tooltip of a focused term.
// The definition is data: it is only ever set as text (textContent), never parsed as HTML.
(function () {
  "use strict";
  var TERM = ".md-content a.atlas-term";
  var HIDDEN = "atlas-tooltips-hidden";  // on <html>: Material's tooltips are not shown
  var root = document.documentElement;
  var REFERENCES = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": "\"", "&#39;": "'", "&#x27;": "'"};

  // The title holds the text as Material's tooltip needs it: it inserts the title as HTML, so the
  // build writes "<" as "&lt;" in it (the tooltip filter, hooks/atlas/templates.py). The same text
  // here, with those references decoded in one pass and never parsed as HTML.
  function definitionText(title) {
    return title.replace(/&(?:lt|gt|amp|quot|#39|#x27);/g, function (reference) { return REFERENCES[reference]; });
  }

  // Material moves a title into its tooltip while that shows: read every definition up front.
  var definitions = new WeakMap();
  document.querySelectorAll(TERM).forEach(function (term) {
    definitions.set(term, definitionText(term.getAttribute("title") || ""));
  });
  var lastPointer = "";
  var popup = null;
  var openTerm = null;

  // The title of the page the term links to, from the site navigation (e.g. "Glossary").
  function pageTitle(href) {
    var path = new URL(href, location.href).pathname;
    var links = document.querySelectorAll(".md-nav--primary a.md-nav__link[href]");
    for (var i = 0; i < links.length; i += 1) {
      if (new URL(links[i].href, location.href).pathname === path) {
        return links[i].textContent.trim();
      }
    }
    return "";
  }

  // Remove the popup; Material's tooltips stay hidden only when asked (after Esc).
  function close(keepTooltipsHidden) {
    if (popup) { popup.remove(); }
    if (openTerm) { openTerm.removeAttribute("aria-expanded"); openTerm.removeAttribute("aria-controls"); }
    popup = null;
    openTerm = null;
    root.classList.toggle(HIDDEN, Boolean(keepTooltipsHidden));
  }

  // Under the term, inside the screen.
  function place(term) {
    var box = term.getBoundingClientRect();
    var width = popup.offsetWidth;
    var left = Math.min(Math.max(8, box.left), document.documentElement.clientWidth - width - 8);
    popup.style.left = Math.max(8, left) + window.scrollX + "px";
    popup.style.top = box.bottom + window.scrollY + 6 + "px";
  }

  // The popup of a term: its definition as text, and a link to its glossary entry.
  function open(term) {
    close(false);
    popup = document.createElement("div");
    popup.className = "atlas-term-popup";
    popup.id = "atlas-term-popup";
    popup.setAttribute("role", "dialog");
    popup.setAttribute("aria-label", term.textContent);
    var text = document.createElement("p");
    text.textContent = definitions.get(term);
    var more = document.createElement("a");
    more.href = term.href;
    var title = pageTitle(term.href);
    more.textContent = (title ? title + " › " : "") + term.textContent;
    popup.append(text, more);
    document.body.append(popup);
    place(term);
    openTerm = term;
    term.setAttribute("aria-expanded", "true");
    term.setAttribute("aria-controls", popup.id);
    root.classList.add(HIDDEN);  // Material's tooltip (from the tap's focus) would cover this one
  }

  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType;
    if (event.pointerType === "mouse") { root.classList.remove(HIDDEN); }
  }, true);

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (popup && target && popup.contains(target)) { return; }  // the link to the glossary
    var term = target ? target.closest(TERM) : null;
    if (term && lastPointer === "touch" && term !== openTerm && definitions.get(term)) {
      event.preventDefault();
      open(term);
      return;
    }
    if (popup) { close(false); }  // a tap elsewhere, or the second tap on the term (which follows it)
  });

  document.addEventListener("keydown", function (event) {
    lastPointer = "";  // Enter on a focused term follows it, whatever was tapped before
    if (event.key !== "Escape") { return; }
    var focused = document.activeElement;
    if (!popup && !(focused && focused.matches(TERM))) { return; }
    if (popup && openTerm && popup.contains(focused)) { openTerm.focus({preventScroll: true}); }
    close(true);
  });

  document.addEventListener("focusin", function (event) {
    if (popup && (event.target === openTerm || popup.contains(event.target))) { return; }
    if (popup) { close(false); } else { root.classList.remove(HIDDEN); }
  });

  window.addEventListener("resize", function () { if (popup && openTerm) { place(openTerm); } });
})();
