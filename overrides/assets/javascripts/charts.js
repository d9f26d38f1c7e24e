/*
 * Qwen Atlas charts. Draws every `.atlas-chart__plot` from the figure JSON that
 * hooks/atlas/charts.py embeds next to it, with the vendored plotly.js basic bundle.
 * Makes no network requests. Colours follow Material's palette (CSS variables) and
 * change live when the reader toggles light/dark; one ResizeObserver keeps every chart
 * as wide as its container (also inside <details> and tabs), and narrow containers get
 * smaller fonts and margins.
 */
(function () {
  "use strict";

  var NARROW = 600; // px: below this a chart gets its compact layout
  var drawn = [];
  var probe = null;
  var resizer = typeof ResizeObserver === "function" ? new ResizeObserver(onResize) : null;

  /* A Material colour variable as rgb()/rgba(): the browser normalises hsla(225deg, ...) etc. */
  function cssColour(name, fallback) {
    var value = getComputedStyle(document.body).getPropertyValue(name).trim();
    if (!value) return fallback;
    if (!probe) {
      probe = document.createElement("span");
      probe.hidden = true;
      document.body.appendChild(probe);
    }
    probe.style.color = "";
    probe.style.color = value;
    return probe.style.color ? getComputedStyle(probe).color : fallback;
  }

  function axisKeys(layout) {
    return Object.keys(layout).filter(function (key) { return /^[xy]axis\d*$/.test(key); });
  }

  /* Theme values as a Plotly.relayout update (dotted keys). */
  function themeUpdate(layout) {
    var fg = cssColour("--md-default-fg-color", "rgba(0, 0, 0, 0.87)");
    var grid = cssColour("--md-default-fg-color--lightest", "rgba(0, 0, 0, 0.07)");
    var line = cssColour("--md-default-fg-color--lighter", "rgba(0, 0, 0, 0.32)");
    var update = {
      paper_bgcolor: "rgba(0, 0, 0, 0)",
      plot_bgcolor: "rgba(0, 0, 0, 0)",
      "font.color": fg,
      "font.family": getComputedStyle(document.body).fontFamily
    };
    axisKeys(layout).forEach(function (key) {
      update[key + ".gridcolor"] = grid;
      update[key + ".linecolor"] = line;
      update[key + ".zerolinecolor"] = line;
      update[key + ".tickcolor"] = line;
    });
    return update;
  }

  /* How many legend columns fit in `width` px (plotly wraps a horizontal legend at the width
     of the plot area): measured with the page font, 1 to 3. */
  function legendColumns(names, width, fontSize) {
    if (!names.length) return 1;
    var canvas = legendColumns.canvas || (legendColumns.canvas = document.createElement("canvas"));
    var context = canvas.getContext("2d");
    context.font = fontSize + "px " + getComputedStyle(document.body).fontFamily;
    var widest = Math.max.apply(null, names.map(function (name) {
      return context.measureText(name.replace(/<[^>]*>/g, "")).width;
    })) + 50; // legend symbol and gaps, which plotly adds to entrywidth
    return Math.max(1, Math.min(3, Math.floor((width - 12) / widest)));
  }

  /* Font sizes, margins and legend for the container width. Wide: the figure's own values.
     Narrow: smaller type and margins, the legend below the plot in as many equal columns as
     its longest name allows, and the chart grows by the legend's rows so the plot keeps its
     height. `key` changes only when the layout must change. */
  function sizeUpdate(figure, width, plotWidth) {
    var layout = figure.layout;
    var narrow = width > 0 && width < NARROW;
    var margin = layout.margin || {};
    var font = layout.font || {};
    var title = (layout.title && layout.title.font) || {};
    var legend = layout.legend || {};
    var fontSize = narrow ? Math.min(font.size || 12, 10.5) : font.size || 12;
    var names = layout.showlegend === false ? [] : figure.data.filter(function (trace) {
      return trace.showlegend !== false;
    }).map(function (trace) { return String(trace.name || ""); });
    var available = plotWidth || width * 0.8;
    var columns = narrow ? legendColumns(names, available, fontSize) : 0;
    var update = {
      height: narrow ? layout.height + Math.ceil(names.length / columns) * 19 : layout.height,
      "font.size": fontSize,
      "title.font.size": narrow ? Math.min(title.size || 15, 13) : title.size || 15,
      "legend.entrywidthmode": narrow ? "pixels" : legend.entrywidthmode || null,
      "legend.entrywidth": narrow ? Math.floor((available - 12) / columns) - 50 : legend.entrywidth || null,
      "legend.xref": narrow ? "container" : legend.xref || "paper",
      "margin.l": narrow ? 0 : margin.l,
      "margin.r": narrow ? 4 : margin.r,
      "margin.t": narrow ? 40 : margin.t
    };
    /* Category axes when narrow: labels under vertical bars run straight down, so rotated
       labels do not push the right margin in and squeeze the plot; the names speak for
       themselves, so the axis title (which would crowd them) is left out. */
    ["xaxis", "yaxis"].forEach(function (key) {
      var axis = layout[key] || {};
      if (axis.type !== "category") return;
      if (key === "xaxis") update["xaxis.tickangle"] = narrow ? 90 : axis.tickangle || "auto";
      update[key + ".title.text"] = narrow ? "" : (axis.title && axis.title.text) || "";
    });
    return { key: narrow ? "narrow-" + columns : "wide", update: update };
  }

  /* Apply a dotted-key update to a plain layout object (before the first draw). */
  function apply(target, update) {
    Object.keys(update).forEach(function (path) {
      if (update[path] === null || update[path] === undefined) return;
      var parts = path.split(".");
      var node = target;
      for (var i = 0; i < parts.length - 1; i++) {
        if (typeof node[parts[i]] !== "object" || node[parts[i]] === null) node[parts[i]] = {};
        node = node[parts[i]];
      }
      node[parts[parts.length - 1]] = update[path];
    });
    return target;
  }

  function draw(el) {
    if (el.hasAttribute("data-rendered") || el.atlasPending) return;
    var script = document.getElementById(el.getAttribute("data-chart"));
    if (!script) return;
    var figure;
    try {
      figure = JSON.parse(script.textContent);
    } catch (error) {
      console.warn("atlas chart: unreadable figure JSON", el.getAttribute("data-chart"), error);
      return;
    }
    var config = Object.assign({ displaylogo: false, responsive: true }, figure.config || {});
    var size = sizeUpdate(figure, el.getBoundingClientRect().width);
    var layout = apply(apply(JSON.parse(JSON.stringify(figure.layout)), themeUpdate(figure.layout)),
                       size.update);
    el.atlasFigure = figure;
    el.atlasSize = size.key;
    el.atlasPending = true;
    window.Plotly.newPlot(el, figure.data, layout, config).then(function () {
      var exact = sizeUpdate(figure, el.getBoundingClientRect().width, plotWidth(el));
      if (exact.key !== el.atlasSize) {
        el.atlasSize = exact.key;
        return window.Plotly.relayout(el, exact.update);
      }
    }).then(function () {
      el.atlasPending = false;
      el.setAttribute("data-rendered", "");
      var box = el.closest(".atlas-chart");
      if (box) box.setAttribute("data-rendered", "");
      drawn.push(el);
      if (resizer) resizer.observe(el);
    }, function (error) {
      el.atlasPending = false;
      console.warn("atlas chart: plotly could not draw", el.getAttribute("data-chart"), error);
    });
  }

  /* Width of the plot area (without axis labels) once drawn, scaled to a new container width. */
  function plotWidth(el, width) {
    var full = el._fullLayout;
    if (!full || !full._size || !full.width) return 0;
    return full._size.w * (width ? width / full.width : 1);
  }

  function onResize(entries) {
    entries.forEach(function (entry) {
      var el = entry.target;
      var width = entry.contentRect.width;
      if (!el.isConnected || !el.atlasFigure || !width) return;
      var size = sizeUpdate(el.atlasFigure, width, plotWidth(el, width));
      if (size.key !== el.atlasSize) {
        el.atlasSize = size.key;
        window.Plotly.relayout(el, size.update);
      }
      window.Plotly.Plots.resize(el);
    });
  }

  function restyleAll() {
    drawn.forEach(function (el) {
      if (el.isConnected) window.Plotly.relayout(el, themeUpdate(el.atlasFigure.layout));
    });
  }

  function renderAll() {
    if (!window.Plotly) return;
    drawn = drawn.filter(function (el) {
      if (el.isConnected) return true;
      if (resizer) resizer.unobserve(el);
      window.Plotly.purge(el);
      return false;
    });
    document.querySelectorAll(".atlas-chart__plot[data-chart]").forEach(draw);
  }

  new MutationObserver(restyleAll).observe(document.body, {
    attributes: true,
    attributeFilter: ["data-md-color-scheme"]
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(renderAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
