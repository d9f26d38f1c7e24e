/*
 * Qwen Atlas charts. Draws each `.atlas-chart__plot` from the figure JSON that
 * hooks/atlas/charts.py embeds next to it, with the vendored plotly.js basic bundle, when the
 * chart scrolls into view (half of it): until then its data table stands in a frame of the
 * chart's final height (CSS, from the template); plotly is downloaded when the first chart nears
 * the viewport and run when the first chart is seen, so a page costs no plotly parsing until a
 * reader looks at a chart. Once drawn,
 * the table moves into the caption's "data table" toggle. Makes no request to another host.
 * Colours follow Material's palette (CSS variables), hover labels included, and change live
 * when the reader toggles light/dark; one ResizeObserver keeps every chart as wide as its
 * container, and narrow containers (phones) get smaller fonts and the legend below the plot.
 */
(function () {
  "use strict";

  var NARROW = 600; // px: below this a chart gets its compact layout (figures.NARROW_WIDTH)
  var LEGEND_ROW = 19; // px per legend row (figures.LEGEND_ROW)
  var LEGEND_ENTRY_EXTRA = 50; // legend symbol and gaps, which plotly adds to entrywidth
  var NEAR = "400px 0px"; // start downloading plotly when a chart is this close to the viewport
  /* A chart is drawn once half of it (or half the screen, for a chart taller than that) is in
     view: a chart that only peeks in at the bottom edge leaves its data table there until the
     reader scrolls, and plotly is run (its parse and first draw are the page's longest tasks)
     only for a chart the reader is looking at. */
  var SEEN = 0.5;
  var STEPS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
  var script = document.currentScript;
  var sources = {
    plotly: script && script.getAttribute("data-plotly"),
    locale: script && script.getAttribute("data-plotly-locale")
  };
  var drawn = [];
  var probe = null;
  var plotlyReady = null;
  var resizer = typeof ResizeObserver === "function" ? new ResizeObserver(onResize) : null;
  var hasObserver = typeof IntersectionObserver === "function";
  var nearby = hasObserver ? new IntersectionObserver(onNear, { rootMargin: NEAR }) : null;
  var watcher = hasObserver ? new IntersectionObserver(onIntersect, { threshold: STEPS }) : null;
  var preloaded = false;

  /* Load a script of the site once; resolves when it has run. */
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(tag);
    });
  }

  /* plotly, then (on zh pages) its locale, fetched once, the first time a chart needs them. */
  function plotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyReady) {
      plotlyReady = loadScript(sources.plotly).then(function () {
        return sources.locale ? loadScript(sources.locale) : null;
      }).then(function () { return window.Plotly; });
    }
    return plotlyReady;
  }

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

  /* Theme values as a Plotly.relayout update (dotted keys). Hover labels take the page's own
     background and text colours: plotly's default (the trace colour behind text in the layout's
     font colour) is light on light in the dark palette. */
  function themeUpdate(layout) {
    var fg = cssColour("--md-default-fg-color", "rgba(0, 0, 0, 0.87)");
    var bg = cssColour("--md-default-bg-color", "rgb(255, 255, 255)");
    var grid = cssColour("--md-default-fg-color--lightest", "rgba(0, 0, 0, 0.07)");
    var line = cssColour("--md-default-fg-color--lighter", "rgba(0, 0, 0, 0.32)");
    var update = {
      paper_bgcolor: "rgba(0, 0, 0, 0)",
      plot_bgcolor: "rgba(0, 0, 0, 0)",
      "font.color": fg,
      "font.family": getComputedStyle(document.body).fontFamily,
      "hoverlabel.bgcolor": bg,
      "hoverlabel.bordercolor": line,
      "hoverlabel.font.color": fg
    };
    axisKeys(layout).forEach(function (key) {
      update[key + ".gridcolor"] = grid;
      update[key + ".linecolor"] = line;
      update[key + ".zerolinecolor"] = line;
      update[key + ".tickcolor"] = line;
    });
    return update;
  }

  /* Widest legend name in px, measured with the page font. */
  function widestName(names, fontSize) {
    if (!names.length) return 0;
    var canvas = widestName.canvas || (widestName.canvas = document.createElement("canvas"));
    var context = canvas.getContext("2d");
    context.font = fontSize + "px " + getComputedStyle(document.body).fontFamily;
    return Math.max.apply(null, names.map(function (name) {
      var text = name.replace(/<[^>]*>/g, "");
      return context.measureText(text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")).width;
    }));
  }

  /* Font sizes, margins, legend and height for the container width. Wide: the figure's own
     values. Narrow: smaller type and margins and the legend below the plot in the columns the
     build chose (fewer if the names do not fit). The height is the frame's, which CSS reserved
     before the chart was drawn; it grows only when the legend needs more rows than reserved.
     `key` changes only when the layout must change. */
  function sizeUpdate(el, figure, width) {
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
    var planned = parseInt(el.getAttribute("data-legend-columns"), 10) || 1;
    var columns = planned;
    if (narrow && names.length) {
      var widest = widestName(names, fontSize) + LEGEND_ENTRY_EXTRA;
      while (columns > 1 && widest > (width - 12) / columns) columns -= 1;
    }
    var frame = el.parentNode;
    var reserved = frame ? parseFloat(getComputedStyle(frame).height) : 0;
    var height = reserved || layout.height;
    if (narrow && names.length && columns < planned) {
      height += (Math.ceil(names.length / columns) - Math.ceil(names.length / planned)) * LEGEND_ROW;
    }
    var update = {
      height: Math.round(height),
      "font.size": fontSize,
      "title.font.size": narrow ? Math.min(title.size || 15, 13) : title.size || 15,
      /* narrow: the title starts at the chart's left edge, not the plot's, so it is not cut off */
      "title.xref": narrow ? "container" : (layout.title && layout.title.xref) || "paper",
      "legend.entrywidthmode": narrow ? "pixels" : legend.entrywidthmode || null,
      "legend.entrywidth": narrow && names.length ? Math.floor((width - 12) / columns) - LEGEND_ENTRY_EXTRA
                                                  : legend.entrywidth || null,
      "legend.xref": narrow ? "container" : legend.xref || "paper",
      "margin.l": narrow ? 0 : margin.l,
      "margin.r": narrow ? 4 : margin.r,
      "margin.t": narrow ? 40 : margin.t
    };
    /* Category axes under vertical bars when narrow: labels run straight down, so rotated
       labels neither overlap nor push the right margin in and squeeze the plot; the names speak
       for themselves, so the axis title (which would crowd them) is left out. */
    ["xaxis", "yaxis"].forEach(function (key) {
      var axis = layout[key] || {};
      if (axis.type !== "category") return;
      if (key === "xaxis") update["xaxis.tickangle"] = narrow ? 90 : axis.tickangle || "auto";
      update[key + ".title.text"] = narrow ? "" : (axis.title && axis.title.text) || "";
    });
    return { key: (narrow ? "narrow-" + columns : "wide") + "-" + update.height, update: update };
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

  /* The frame keeps the height plotly drew at (it differs from the reserved one only when a
     narrow legend needed more rows). */
  function fitFrame(el, height) {
    var frame = el.parentNode;
    if (frame && Math.abs(parseFloat(getComputedStyle(frame).height) - height) > 0.5) {
      frame.style.height = height + "px";
    }
  }

  /* Name the drawing for assistive technology: the first SVG layer is the image, named by the
     chart's title and described by its text alternative; the other layers (hover labels) are
     decoration. The mode bar's buttons stay outside the image, so nothing interactive nests. */
  function label(el) {
    var box = el.closest(".atlas-chart");
    var layers = el.querySelectorAll("svg.main-svg");
    Array.prototype.forEach.call(layers, function (svg, index) {
      if (index === 0) {
        svg.setAttribute("role", "img");
        if (box) svg.setAttribute("aria-labelledby", box.id + "-title");
        if (el.getAttribute("data-alt")) svg.setAttribute("aria-describedby", el.getAttribute("data-alt"));
      } else {
        svg.setAttribute("aria-hidden", "true");
      }
    });
  }

  /* The data table leaves the frame for the caption's toggle, which it keeps for readers who
     want the numbers (and screen readers). */
  function retireStandin(el) {
    var box = el.closest(".atlas-chart");
    if (!box) return;
    var standin = box.querySelector(".atlas-chart__standin");
    var toggle = box.querySelector(".atlas-chart__data");
    var table = standin && standin.querySelector(".atlas-table");
    if (table && toggle) {
      toggle.appendChild(table);
      toggle.hidden = false;
    }
    if (standin) standin.remove();
    box.setAttribute("data-rendered", "");
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
    el.atlasPending = true;
    plotly().then(function (Plotly) {
      var config = Object.assign({ displaylogo: false, responsive: true }, figure.config || {});
      var size = sizeUpdate(el, figure, el.getBoundingClientRect().width);
      var layout = apply(apply(JSON.parse(JSON.stringify(figure.layout)), themeUpdate(figure.layout)),
                         size.update);
      el.atlasFigure = figure;
      el.atlasSize = size.key;
      fitFrame(el, size.update.height);
      return Plotly.newPlot(el, figure.data, layout, config);
    }).then(function () {
      el.atlasPending = false;
      el.setAttribute("data-rendered", "");
      label(el);
      retireStandin(el);
      drawn.push(el);
      if (resizer) resizer.observe(el);
    }, function (error) {
      el.atlasPending = false;
      console.warn("atlas chart: plotly could not draw", el.getAttribute("data-chart"), error);
    });
  }

  /* A chart nears the viewport: download plotly (and its locale) without running it yet. */
  function onNear(entries) {
    if (preloaded || !entries.some(function (entry) { return entry.isIntersecting; })) return;
    preloaded = true;
    nearby.disconnect();
    [sources.plotly, sources.locale].forEach(function (src) {
      if (!src) return;
      var link = document.createElement("link");
      link.rel = "preload";
      link.as = "script";
      link.href = src;
      document.head.appendChild(link);
    });
  }

  /* A chart is seen (see SEEN): draw it. */
  function onIntersect(entries) {
    var screen = window.innerHeight || document.documentElement.clientHeight;
    entries.forEach(function (entry) {
      var needed = Math.min(entry.boundingClientRect.height, screen) * SEEN;
      if (!entry.isIntersecting || entry.intersectionRect.height < needed - 1) return;
      watcher.unobserve(entry.target);
      draw(entry.target.querySelector(".atlas-chart__plot"));
    });
  }

  function onResize(entries) {
    entries.forEach(function (entry) {
      var el = entry.target;
      var width = entry.contentRect.width;
      if (!el.isConnected || !el.atlasFigure || !width || !window.Plotly) return;
      el.parentNode.style.height = ""; // back to the reserved height, which may change with the width
      var size = sizeUpdate(el, el.atlasFigure, width);
      fitFrame(el, size.update.height);
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

  /* Watch every chart of the page (again after an instant navigation); forget charts that left. */
  function watchAll() {
    drawn = drawn.filter(function (el) {
      if (el.isConnected) return true;
      if (resizer) resizer.unobserve(el);
      if (window.Plotly) window.Plotly.purge(el);
      return false;
    });
    document.querySelectorAll(".atlas-chart__plot[data-chart]").forEach(function (el) {
      if (el.hasAttribute("data-rendered")) return;
      if (!watcher) return draw(el);
      watcher.observe(el.parentNode); // the frame: the plot itself is empty until drawn
      nearby.observe(el.parentNode);
    });
  }

  new MutationObserver(restyleAll).observe(document.body, {
    attributes: true,
    attributeFilter: ["data-md-color-scheme"]
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(watchAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchAll);
  } else {
    watchAll();
  }
})();
