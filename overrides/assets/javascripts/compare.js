// Compare page: the models chosen in the address (?models=a,b) side by side, built from the JSON the
// build put into the page (hooks/atlas/comparepage.py). Every figure arrives formatted for the
// page's language, so nothing is formatted here. The data is not trusted: text is set with
// textContent, never parsed as HTML, and a link is used only if it is http(s) or relative.
// Without JavaScript the page's list of models links to every model's page instead.
(function () {
  "use strict";
  var PARAM = "models";

  // An href that cannot run script: http(s), or relative without a scheme ("//host" is refused too).
  // Browsers drop tabs, newlines and leading spaces from URLs, so they are removed before the test.
  function safeHref(url) {
    if (typeof url !== "string" || url === "") { return null; }
    var bare = url.replace(/[\u0000-\u0020\u007f]/g, "");
    var scheme = /^([a-z][a-z0-9+.\-]*):/i.exec(bare);
    if (scheme) { return /^https?$/i.test(scheme[1]) ? url : null; }
    return /^[\/\\]{2}/.test(bare) ? null : url;
  }

  // A title attribute's text that stays text when Material's tooltips insert it as HTML (the same
  // rule as the `tooltip` filter of hooks/atlas/templates.py).
  function tooltipText(text) {
    return String(text).replace(/</g, "&lt;");
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  // A link, or plain text when the address is not safe.
  function link(url, text, className) {
    var href = safeHref(url);
    var node = element(href ? "a" : "span", text, className);
    if (href) { node.setAttribute("href", href); }
    return node;
  }

  function setUp(root) {
    var data = JSON.parse(root.querySelector(".atlas-comparer__data").textContent);
    var labels = data.labels;
    var models = {};
    data.models.forEach(function (model) { models[model.id] = model; });
    var known = function (id) { return Object.prototype.hasOwnProperty.call(models, id); };
    var status = root.querySelector(".atlas-comparer__status");
    var unknownNote = root.querySelector(".atlas-comparer__unknown");
    var results = root.querySelector(".atlas-comparer__results");
    var list = document.querySelector(".atlas-comparer__models");
    var boxes = {};
    var chosen = [];

    function readAddress() {
      var unknown = [];
      chosen = [];
      (new URLSearchParams(window.location.search).get(PARAM) || "").split(",").forEach(function (part) {
        var id = part.trim();
        if (!id) { return; }
        if (!known(id)) { unknown.push(id); return; }
        if (chosen.indexOf(id) < 0 && chosen.length < data.max) { chosen.push(id); }
      });
      unknownNote.textContent = unknown.length ? labels.unknown + data.colon + unknown.join(data.separator) : "";
      unknownNote.hidden = !unknown.length;
    }

    function writeAddress() {
      var params = new URLSearchParams(window.location.search);
      if (chosen.length) { params.set(PARAM, chosen.join(",")); } else { params.delete(PARAM); }
      var query = params.toString().replace(/%2C/gi, ",");
      window.history.replaceState(window.history.state, "",
        window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      unknownNote.hidden = true;
    }

    function choose(id, on) {
      var at = chosen.indexOf(id);
      if (on && at < 0 && chosen.length < data.max) { chosen.push(id); }
      if (!on && at >= 0) { chosen.splice(at, 1); }
      writeAddress();
      show();
    }

    function cite(sourceId) {
      var source = data.sources[sourceId];
      var node = link(source.url, source.label, "atlas-cite");
      node.setAttribute("title", tooltipText(source.title));
      if (node.tagName === "A") { node.setAttribute("rel", "noopener"); }
      return node;
    }

    function headerRow() {
      var row = element("tr");
      var corner = element("th", labels.field);
      corner.scope = "col";
      row.appendChild(corner);
      chosen.forEach(function (id) {
        var model = models[id];
        var cell = element("th", null, "atlas-comparer__model");
        cell.scope = "col";
        cell.setAttribute("data-model", id);
        cell.appendChild(link(model.href, model.name));
        var remove = element("button", "\u00d7", "atlas-comparer__remove");
        remove.type = "button";
        remove.setAttribute("aria-label", labels.remove + " " + model.name);
        remove.addEventListener("click", function () { choose(id, false); });
        cell.appendChild(document.createTextNode(" "));
        cell.appendChild(remove);
        cell.appendChild(element("small", model.family, "atlas-kind"));
        row.appendChild(cell);
      });
      return row;
    }

    function table(caption, className) {
      var frame = element("div", null, "atlas-table " + className);
      // A class keeps Material from wrapping the table once at load (and not after a change); the
      // stylesheet gives it the look of Material's tables.
      var node = element("table", null, "atlas-comparer__table");
      // equal model columns; on a narrow screen the frame scrolls rather than squeezing them
      node.style.minWidth = (8 + 9 * chosen.length) + "em";
      node.appendChild(element("caption", caption));
      var head = element("thead");
      head.appendChild(headerRow());
      node.appendChild(head);
      node.appendChild(element("tbody"));
      frame.appendChild(node);
      return frame;
    }

    function missing(text) {
      return element("td", text, "atlas-missing");
    }

    function specTable() {
      var frame = table(labels.specs, "atlas-comparer__specs");
      var body = frame.querySelector("tbody");
      data.specs.forEach(function (spec) {
        if (!chosen.some(function (id) { return models[id].specs[spec.key]; })) { return; }
        var row = element("tr");
        row.setAttribute("data-spec", spec.key);
        var head = element("th", spec.label);
        head.scope = "row";
        row.appendChild(head);
        chosen.forEach(function (id) {
          var figure = models[id].specs[spec.key];
          if (!figure) { row.appendChild(missing(labels["no-value"])); return; }
          var cell = element("td");
          cell.appendChild(element("span", figure.text));
          var where = element("span", null, "atlas-comparer__source");
          where.appendChild(cite(figure.source));
          cell.appendChild(where);
          row.appendChild(cell);
        });
        body.appendChild(row);
      });
      return frame;
    }

    function scoreTable() {
      var needed = Math.min(2, chosen.length);
      var shared = data.benchmarks.filter(function (bench) {
        return chosen.filter(function (id) { return models[id].scores[bench.id]; }).length >= needed;
      });
      var part = element("div", null, "atlas-comparer__scores");
      if (!shared.length) {
        part.appendChild(element("p", labels["none-shared"]));
        return part;
      }
      part.appendChild(element("p", labels["shared-note"], "atlas-comparer__note"));
      var frame = table(labels.benchmarks, "atlas-comparer__benchmarks");
      var body = frame.querySelector("tbody");
      shared.forEach(function (bench) {
        var row = element("tr");
        row.setAttribute("data-benchmark", bench.id);
        var head = element("th");
        head.scope = "row";
        head.appendChild(link(bench.href, bench.name));
        head.appendChild(document.createTextNode(" "));
        head.appendChild(element("small", bench.category, "atlas-kind"));
        row.appendChild(head);
        chosen.forEach(function (id) {
          var score = models[id].scores[bench.id];
          if (!score) { row.appendChild(missing(labels["no-score"])); return; }
          var cell = element("td");
          cell.appendChild(element("span", score.text, "atlas-comparer__value"));
          cell.appendChild(element("small", score.setting, "atlas-comparer__setting"));
          var where = element("span", null, "atlas-comparer__source");
          where.appendChild(cite(score.source));
          if (score.locator) {
            where.appendChild(document.createTextNode(" "));
            where.appendChild(element("small", score.locator));
          }
          cell.appendChild(where);
          row.appendChild(cell);
        });
        body.appendChild(row);
      });
      part.appendChild(frame);
      return part;
    }

    function show() {
      Object.keys(boxes).forEach(function (id) {
        boxes[id].checked = chosen.indexOf(id) >= 0;
        boxes[id].disabled = !boxes[id].checked && chosen.length >= data.max;
      });
      var count = labels.chosen + data.colon + chosen.length + " / " + data.max;
      var hint = chosen.length < 2 ? labels.few : (chosen.length >= data.max ? labels.full : "");
      status.textContent = hint ? count + " \u00b7 " + hint : count;
      results.textContent = "";
      if (chosen.length) {
        results.appendChild(specTable());
        results.appendChild(scoreTable());
      }
    }

    // The list of models becomes the picker: a checkbox and the name as its label, and a link to
    // the model's page.
    list.querySelectorAll("li[data-model]").forEach(function (item) {
      var id = item.getAttribute("data-model");
      if (!known(id)) { return; }
      var model = models[id];
      var box = element("input");
      box.type = "checkbox";
      box.id = "compare-pick-" + id;
      box.value = id;
      box.addEventListener("change", function () { choose(id, box.checked); });
      var label = element("label", model.name);
      label.htmlFor = box.id;
      var details = link(model.href, labels.details, "atlas-comparer__details");
      details.setAttribute("aria-label", model.name + " " + labels.details);
      item.textContent = "";
      item.appendChild(box);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(label);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(details);
      boxes[id] = box;
    });

    var filter = list.querySelector(".atlas-comparer__filter");
    var input = filter.querySelector("input");
    var noMatch = element("p", labels["no-match"], "atlas-comparer__no-match");
    noMatch.hidden = true;
    filter.insertAdjacentElement("afterend", noMatch);
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      var any = false;
      list.querySelectorAll(".atlas-comparer__family").forEach(function (group) {
        var heading = group.querySelector("h3");
        var familyMatch = heading && heading.textContent.toLowerCase().indexOf(query) >= 0;
        var shown = 0;
        group.querySelectorAll("li[data-model]").forEach(function (item) {
          var model = models[item.getAttribute("data-model")];
          var match = !query || familyMatch || (model && (model.name.toLowerCase().indexOf(query) >= 0 ||
            model.id.indexOf(query) >= 0));
          item.hidden = !match;
          if (match) { shown += 1; }
        });
        group.hidden = shown === 0;
        any = any || shown > 0;
      });
      noMatch.hidden = any;
    });
    filter.hidden = false;

    root.querySelector(".atlas-comparer__app").hidden = false;
    readAddress();
    show();
  }

  document.querySelectorAll("[data-compare]").forEach(setUp);
})();
