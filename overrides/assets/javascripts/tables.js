// Data tables a reader can use (overrides/atlas/table.html, compare.html, table-filter.html):
// - sort: every header of a `.atlas-sortable` table becomes a button (click, Enter or Space) that
//   sorts by the cells' machine keys (`data-sort`, written at build time) with the vendored
//   tablesort; tablesort sets aria-sort on the header. A missing figure ("—") stays last.
// - scroll cue: a table wider than its frame marks the frame `atlas-table--overflows`, and the
//   stylesheet shows the hint above it (the shadows are CSS). A table the browser is not rendering
//   yet (content-visibility: auto, far from the screen) is measured when it starts rendering:
//   measuring it earlier would lay out what the browser skips.
// - filter: the `atlas:filter` form narrows the rows that carry facets (data-facet-*) on the page;
//   its state lives in the query string (?family=qwen3&weights=open&text=coder; not `q`, for which
//   Material opens its search), so a filtered view can be shared and survives a reload. Without
//   JavaScript the form stays hidden and every row shows.
(function () {
  "use strict";

  var lang = document.documentElement.lang || "en";
  var collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });

  // tablesort calls a sort method for descending order and reverses the result for ascending.
  if (window.Tablesort) {
    Tablesort.extend("atlas-number", function () { return false; }, function (a, b) {
      return (parseFloat(b) || 0) - (parseFloat(a) || 0);
    });
    Tablesort.extend("atlas-text", function () { return false; }, function (a, b) {
      return collator.compare(b.trim(), a.trim());
    });
  }

  function missingLast(table, column) {
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.slice.call(body.rows).forEach(function (row) {
        var cell = row.cells[column];
        if (cell && cell.classList.contains("atlas-missing")) { body.appendChild(row); }
      });
    });
  }

  function makeSortable(table) {
    var headers = table.tHead ? table.tHead.rows[table.tHead.rows.length - 1].cells : [];
    Array.prototype.forEach.call(headers, function (header) {
      if (header.getAttribute("data-sort-method") === "none") { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "atlas-sort";
      while (header.firstChild) { button.appendChild(header.firstChild); }
      header.appendChild(button);
    });
    var sorter = new Tablesort(table);
    Array.prototype.forEach.call(headers, function (header) {
      header.removeAttribute("tabindex");  // the button inside takes the focus, once per header
      if (!header.querySelector(".atlas-sort")) { header.removeAttribute("role"); }  // no sort arrow
      if (header.hasAttribute("aria-sort")) { sorter.current = header; }  // sorted at build time
    });
    table.addEventListener("afterSort", function () { missingLast(table, sorter.col); });
  }

  function watchOverflow(frame) {
    var table = frame.querySelector("table");
    function update() {
      if (table && table.checkVisibility && !table.checkVisibility({ contentVisibilityAuto: true })) { return; }
      frame.classList.toggle("atlas-table--overflows", frame.scrollWidth > frame.clientWidth + 1);
    }
    frame.addEventListener("contentvisibilityautostatechange", update);
    if (window.ResizeObserver) { new ResizeObserver(update).observe(frame); }
    window.addEventListener("resize", update);
    update();
  }

  // ---- the filter -------------------------------------------------------------------------

  function setUpFilter(form, scope) {
    var rows = Array.prototype.slice.call(scope.querySelectorAll("[data-facet-model]"));
    if (!rows.length) { return; }
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var search = form.querySelector("input[name=text]");
    var output = form.querySelector("output");
    var none = form.querySelector(".atlas-filter__none");
    var groups = Array.prototype.slice.call(scope.querySelectorAll("[data-filter-group]"));
    var tables = Array.prototype.slice.call(scope.querySelectorAll(".atlas-table"));
    var texts = rows.map(function (row) {
      return (row.textContent + " " + row.getAttribute("data-facet-model")).toLowerCase();
    });
    var total = {};
    rows.forEach(function (row) { total[row.getAttribute("data-facet-model")] = true; });

    // offer only the values some row of this page has
    selects.forEach(function (select) {
      var facet = "data-facet-" + select.name;
      Array.prototype.slice.call(select.options).forEach(function (option) {
        if (option.value && !rows.some(function (row) { return row.getAttribute(facet) === option.value; })) {
          option.remove();
        }
      });
    });

    function fromUrl() {
      var params = new URLSearchParams(window.location.search);
      search.value = params.get("text") || "";
      selects.forEach(function (select) {
        var wanted = params.get(select.name) || "";
        var known = Array.prototype.some.call(select.options, function (o) { return o.value === wanted; });
        select.value = known ? wanted : "";
      });
    }

    function toUrl() {
      var params = new URLSearchParams(window.location.search);
      if (search.value.trim()) { params.set("text", search.value.trim()); } else { params.delete("text"); }
      selects.forEach(function (select) {
        if (select.value) { params.set(select.name, select.value); } else { params.delete(select.name); }
      });
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      window.history.replaceState(window.history.state, "", url);
    }

    function apply() {
      var terms = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = {};
      rows.forEach(function (row, index) {
        var match = selects.every(function (select) {
          return !select.value || row.getAttribute("data-facet-" + select.name) === select.value;
        }) && terms.every(function (term) { return texts[index].indexOf(term) !== -1; });
        row.hidden = !match;
        if (match) { shown[row.getAttribute("data-facet-model")] = true; }
      });
      groups.forEach(function (group) {  // a section: its heading (the group's id) goes with it
        var name = group.getAttribute("data-filter-group");
        var visible = groups.some(function (member) {
          return member.getAttribute("data-filter-group") === name &&
            member.querySelector("[data-facet-model]:not([hidden])");
        });
        group.hidden = !visible;
        var heading = document.getElementById(name);
        if (heading) { heading.hidden = !visible; }
      });
      tables.forEach(function (table) {
        var empty = table.querySelector(".atlas-table__empty");
        if (empty) { empty.hidden = !!table.querySelector("tbody [data-facet-model]:not([hidden])"); }
      });
      var count = Object.keys(shown).length;
      output.textContent = output.getAttribute("data-template")
        .replace("{shown}", count).replace("{total}", Object.keys(total).length);
      none.hidden = count > 0;
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", function () { apply(); toUrl(); });
    form.addEventListener("change", function () { apply(); toUrl(); });
    form.addEventListener("reset", function () {
      window.setTimeout(function () { apply(); toUrl(); }, 0);  // after the fields are cleared
    });
    fromUrl();
    apply();
    form.setAttribute("data-atlas-ready", "");
  }

  function init() {
    var scope = document.querySelector(".md-content") || document.body;
    if (window.Tablesort) {
      scope.querySelectorAll(".atlas-sortable table").forEach(function (table) {
        if (!table.hasAttribute("data-atlas-sortable")) {
          table.setAttribute("data-atlas-sortable", "");
          makeSortable(table);
        }
      });
    }
    scope.querySelectorAll(".atlas-table:not([data-atlas-watched])").forEach(function (frame) {
      frame.setAttribute("data-atlas-watched", "");
      watchOverflow(frame);
    });
    scope.querySelectorAll("form.atlas-filter:not([data-atlas-ready])").forEach(function (form) { setUpFilter(form, scope); });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    init();
  }
})();
