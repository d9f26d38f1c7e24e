"""The plotly figure of each chart, built from its selection (selections.py) in one language.

A figure is written as the JSON plotly.js reads (traces, layout, config), without plotly.py's
graph_objects: their property validation cost most of the chart time (make bench), and a test
validates every figure against plotly.py's schema instead. Output is deterministic: every value
is a plain list (no numpy, no uuid, no timestamps). Plotly renders a subset of HTML in labels,
so every data text is escaped here.
"""

from __future__ import annotations

import html
import math
import unicodedata
from collections import defaultdict
from typing import Any, Callable

from . import i18n
from .context import Context
from .selections import (ExpertLayouts, FamilyPeaks, LicenceCounts, ReleasePoints, ScoreGrid, Selection,
                         family_rank, is_qwen)

# Colours that read on both Material palettes (white and slate); symbols tell families apart too.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")
# Bars of models that are not Qwen's: one neutral grey, readable on both palettes (3:1 or more).
PEER_GREY = "#8c8c8c"
# Score panels: px per bar row, and px above each panel for its benchmark's name.
SCORE_ROW = 26
SCORE_PANEL_GAP = 30
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "triangle-down", "hexagon", "star")
# Axis date labels (d3-time-format); the hover text uses i18n.fmt_date instead.
DATE_TICKS = {"zh": "%Y年%-m月", "en": "%b %Y"}
MIB = 1024
# The figure a family-peaks chart plots -> (ui key of its value, how a value is written)
PEAK_VALUES: dict[str, tuple[str, Callable[[Any, str], str]]] = {
    "training_tokens_t": ("chart-tokens", i18n.fmt_tokens),
    "context_tokens": ("chart-context", i18n.fmt_context),
}


def esc(text: str) -> str:
    """Plotly renders a subset of HTML in labels: data text must not become markup there."""
    return html.escape(str(text), quote=False)


def _join(names: list[str], lang: str, per_line: int = 3) -> str:
    """'A、B、C' / 'A, B, C', wrapped every few names for hover labels (already escaped)."""
    sep = i18n.list_separator(lang)
    lines = [sep.join(esc(n) for n in names[i:i + per_line]) for i in range(0, len(names), per_line)]
    return (sep.rstrip() + "<br>").join(lines)


def _label(ctx: Context, key: str) -> str:
    """An escaped ui string followed by the language's colon, for hover templates."""
    return esc(ctx.t(key)) + i18n.colon(ctx.lang)


def family_name(ctx: Context, family_id: str) -> str:
    """A family's name in the page's language."""
    return ctx.pick(ctx.catalog.families[family_id].name)


def _log_ticks(low: float, high: float) -> list[float]:
    """1-2-5 ticks from the last one at or below `low` to the first one at or above `high`."""
    values = [step * 10.0 ** exponent for exponent in range(math.floor(math.log10(low)) - 1,
                                                              math.ceil(math.log10(high)) + 2)
              for step in (1, 2, 5)]
    below = max(v for v in values if v <= low * 1.0001)
    above = min(v for v in values if v >= high / 1.0001)
    return [round(v, 6) for v in values if below <= v <= above]


def _linear_step(high: float, target: int = 6) -> float:
    """A 1-2-5 step giving at most `target` intervals up to `high`."""
    exponent = math.floor(math.log10(high / target)) if high > 0 else 0
    for base in (1, 2, 5, 10):
        step = base * 10 ** exponent
        if high / step <= target:
            return step
    return 10 ** (exponent + 1)


def short_context(tokens: int) -> str:
    """Context lengths as model cards write them: 32K, 128K, 1M (1K = 1,024 tokens)."""
    if tokens >= MIB * MIB and tokens % (MIB * MIB) == 0:
        return f"{tokens // (MIB * MIB)}M"
    value = tokens / MIB
    return f"{value:.1f}".rstrip("0").rstrip(".") + "K" if tokens >= MIB else str(tokens)


def _base_layout(title: str, height: int, **extra: Any) -> dict:
    """Layout shared by every chart. Colours are left to charts.js, which follows the palette."""
    layout = {
        # plotly.py's "none" template written out: no theme, and plotly.js draws the same
        "template": {"data": {"scatter": [{"type": "scatter"}]}},
        "title": {"text": esc(title), "x": 0, "xanchor": "left", "xref": "paper",
                  "font": {"size": 15}},
        "separators": ".,",
        "height": height,
        "margin": {"l": 8, "r": 16, "t": 48, "b": 8, "pad": 2},
        "font": {"size": 12},
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "bottom",
                   "yref": "container", "traceorder": "normal"},
        "hoverlabel": {"align": "left"},
        "hovermode": "closest",
        "dragmode": False,
        "showlegend": True,
    }
    layout.update(extra)
    return layout


def _trace(kind: str, **properties: Any) -> dict:
    """A plotly trace as plain JSON data."""
    return {"type": kind, **properties}


def _axis(title: str, **extra: Any) -> dict:
    """A fixed (non-zoomable) axis with an escaped title that grows the margin to fit its labels."""
    return {"title": {"text": esc(title)}, "automargin": True, "fixedrange": True, **extra}


def _params_axis(ctx: Context, title: str, values: list[float]) -> dict:
    """A log axis of parameter counts (billions) labelled '5 亿' / '0.5B'."""
    ticks = _log_ticks(min(values), max(values))
    return _axis(title, type="log", tickmode="array", tickvals=ticks,
                 ticktext=[esc(i18n.fmt_params(t, ctx.lang)) for t in ticks], showgrid=True)


def _family_axis(ctx: Context) -> dict:
    """The category axis of horizontal bars, one per family, the earliest on top."""
    return _axis(ctx.t("chart-family"), type="category", autorange="reversed", showgrid=False, ticksuffix=" ")


# ---------------------------------------------------------------------------
# Figures by kind of selection
# ---------------------------------------------------------------------------


def _peaks_axis(selection: FamilyPeaks, ctx: Context) -> tuple[str, dict, Callable[[Any], str]]:
    """The value axis of a family-peaks chart, and how a bar's own label is written."""
    top = max(v for _, v, _ in selection.groups)
    if selection.figure == "context_tokens":
        step = 4 * MIB
        while top / step > 5:
            step *= 2
        ticks = [step * i for i in range(int(top // step) + 2)]
        ticktext = [short_context(t) if t else "0" for t in ticks]
        return ctx.t("chart-context-axis"), {"ticks": ticks, "text": ticktext, "top": top}, short_context
    step = _linear_step(top, 5)
    ticks = [round(step * i, 6) for i in range(int(top // step) + 2)]
    ticktext = [esc(i18n.fmt_tokens(t, ctx.lang) if t else "0") for t in ticks]
    return (ctx.t("chart-tokens-axis"), {"ticks": ticks, "text": ticktext, "top": top},
            lambda v: i18n.fmt_tokens(v, ctx.lang))


def family_peaks_figure(selection: FamilyPeaks, ctx: Context, title: str) -> tuple[list, dict]:
    """Horizontal bars, one per family (the family's largest value), earliest family on top."""
    groups = selection.groups
    value_key, fmt = PEAK_VALUES[selection.figure]
    axis_title, axis, bar_text = _peaks_axis(selection, ctx)
    names = [esc(family_name(ctx, fid)) for fid, _, _ in groups]
    rank = family_rank(ctx.catalog)
    template = ("<b>%{y}</b><br>" + _label(ctx, value_key) + "%{customdata[0]}<br>"
                + _label(ctx, "chart-models") + "%{customdata[1]}<extra></extra>")
    trace = _trace(
        "bar", orientation="h", y=names, x=[v for _, v, _ in groups],
        marker={"color": [PALETTE[rank[fid] % len(PALETTE)] for fid, _, _ in groups], "line": {"width": 0}},
        text=[esc(bar_text(v)) for _, v, _ in groups], textposition="outside", cliponaxis=False,
        customdata=[[esc(fmt(v, ctx.lang)), _join([m.name for m in ms], ctx.lang)] for _, v, ms in groups],
        hovertemplate=template, showlegend=False, name=esc(ctx.t(value_key)))
    value_axis = {"type": "linear", "tickmode": "array", "tickvals": axis["ticks"], "ticktext": axis["text"],
                  "range": [0, axis["top"] * 1.18], "showgrid": True}
    layout = _base_layout(title, 120 + 34 * len(groups), showlegend=False, bargap=0.25,
                          xaxis={**_axis(axis_title), **value_axis}, yaxis=_family_axis(ctx))
    return [trace], layout


def timeline_figure(selection: ReleasePoints, ctx: Context, title: str) -> tuple[list, dict]:
    """Qwen open-weight models by release date and total size (log scale), one trace per family."""
    models = selection.models
    rank = family_rank(ctx.catalog)
    by_family: dict[str, list] = defaultdict(list)
    for model in models:
        by_family[model.family].append(model)
    template = ("<b>%{customdata[0]}</b><br>" + _label(ctx, "chart-released") + "%{customdata[1]}<br>"
                + _label(ctx, "chart-total") + "%{customdata[2]}%{customdata[3]}<extra>%{fullData.name}</extra>")
    traces = []
    for family_id in sorted(by_family, key=rank.__getitem__):
        group = by_family[family_id]
        traces.append(_trace(
            "scatter", x=[m.released.isoformat() for m in group], y=[m.params_b for m in group], mode="markers",
            name=esc(family_name(ctx, family_id)), hovertemplate=template,
            marker={"size": 10, "color": PALETTE[rank[family_id] % len(PALETTE)],
                    "symbol": SYMBOLS[rank[family_id] % len(SYMBOLS)], "line": {"width": 1, "color": "rgba(0,0,0,0.35)"}},
            customdata=[[esc(m.name), esc(i18n.fmt_date(m.released, m.date_precision, ctx.lang)),
                         esc(i18n.fmt_params(m.params_b, ctx.lang)),
                         ("<br>" + _label(ctx, "chart-active") + esc(i18n.fmt_params(m.active_params_b, ctx.lang)))
                         if m.active_params_b else ""] for m in group]))
    layout = _base_layout(
        title, 520,
        xaxis=_axis(ctx.t("chart-released-axis"), type="date", tickformat=DATE_TICKS[ctx.lang],
                    showgrid=True, hoverformat="%Y-%m-%d"),
        yaxis=_params_axis(ctx, ctx.t("chart-params-axis"), [m.params_b for m in models]))
    return traces, layout


def moe_figure(selection: ExpertLayouts, ctx: Context, title: str) -> tuple[list, dict]:
    """Total vs active parameters of Qwen MoE models (grouped bars, log scale)."""
    models = selection.models
    names = [esc(m.name) for m in models]
    customdata = [[esc(m.name), esc(i18n.fmt_params(m.params_b, ctx.lang)),
                   esc(i18n.fmt_params(m.active_params_b, ctx.lang)), m.moe.routed_experts,
                   m.moe.activated_experts, m.moe.shared_experts] for m in models]
    template = ("<b>%{customdata[0]}</b><br>" + _label(ctx, "chart-total") + "%{customdata[1]}<br>"
                + _label(ctx, "chart-active") + "%{customdata[2]}<br>"
                + _label(ctx, "chart-routed") + "%{customdata[3]}<br>"
                + _label(ctx, "chart-activated") + "%{customdata[4]}<br>"
                + _label(ctx, "chart-shared") + "%{customdata[5]}<extra></extra>")
    traces = [
        _trace("bar",
               x=names, y=[m.params_b for m in models], name=esc(ctx.t("chart-total")),
               marker={"color": PALETTE[0], "line": {"width": 0}}, customdata=customdata,
               hovertemplate=template, text=[esc(i18n.fmt_params(m.params_b, ctx.lang)) for m in models],
               textposition="outside", cliponaxis=False),
        _trace("bar",
               x=names, y=[m.active_params_b for m in models], name=esc(ctx.t("chart-active")),
               marker={"color": PALETTE[1], "line": {"width": 0}}, customdata=customdata,
               hovertemplate=template, text=[esc(i18n.fmt_params(m.active_params_b, ctx.lang)) for m in models],
               textposition="outside", cliponaxis=False),
    ]
    values = [m.params_b for m in models] + [m.active_params_b for m in models]
    layout = _base_layout(
        title, 480, barmode="group", bargap=0.2, uniformtext={"mode": "hide", "minsize": 9},
        xaxis=_axis(ctx.t("chart-model"), type="category", showgrid=False),
        yaxis=_params_axis(ctx, ctx.t("chart-params-axis"), values))
    layout["yaxis"]["range"] = [math.log10(min(values)) - 0.15, math.log10(max(values)) + 0.25]
    return traces, layout


def scores_figure(selection: ScoreGrid, ctx: Context, title: str) -> tuple[list, dict]:
    """Small multiples: one panel per benchmark, named above it, with a labelled horizontal bar per
    model that has a sourced score there, highest on top; Qwen models in colour, others in grey.

    Grouped vertical bars left a slot for every model in every group, so a benchmark that only the
    flagship reports showed one thin bar among gaps; here a panel holds only the scores it has.
    """
    catalog = ctx.catalog
    qwen = [model.id for model, _ in selection.rows if is_qwen(catalog, model)]
    template = ("<b>%{customdata[0]}</b><br>%{customdata[1]}" + i18n.colon(ctx.lang) + "%{customdata[2]}<br>"
                + _label(ctx, "chart-setting") + "%{customdata[3]}<extra></extra>")
    panels = []
    for index, bench_id in enumerate(selection.benchmarks):
        scored = [(model, scores[index]) for model, scores in selection.rows if scores[index] is not None]
        if scored:
            panels.append((bench_id, sorted(scored, key=lambda pair: -pair[1].value)))
    rows = sum(len(scored) for _, scored in panels)
    plot_height = rows * SCORE_ROW + len(panels) * SCORE_PANEL_GAP
    top = max(score.value for _, scored in panels for _, score in scored)
    traces, layout_axes, annotations = [], {}, []
    offset = 0
    for number, (bench_id, scored) in enumerate(panels, start=1):
        bench_name = esc(catalog.benchmarks[bench_id].name)
        high = 1 - (offset + SCORE_PANEL_GAP) / plot_height
        offset += SCORE_PANEL_GAP + len(scored) * SCORE_ROW
        low = max(0.0, 1 - offset / plot_height)
        suffix = "" if number == 1 else str(number)
        traces.append(_trace(
            "bar", orientation="h", x=[score.value for _, score in scored], y=[esc(m.name) for m, _ in scored],
            yaxis=f"y{suffix}", name=bench_name, showlegend=False,
            marker={"color": [PALETTE[qwen.index(m.id) % len(PALETTE)] if m.id in qwen else PEER_GREY
                              for m, _ in scored], "line": {"width": 0}},
            text=[esc(i18n.fmt_score(score.value, ctx.lang)) for _, score in scored], textposition="outside",
            cliponaxis=False, hovertemplate=template,
            customdata=[[esc(m.name), bench_name, esc(i18n.fmt_score(score.value, ctx.lang)),
                         esc(ctx.t(f"mode-{score.setting.mode}"))] for m, score in scored]))
        layout_axes[f"yaxis{suffix}"] = {
            "type": "category", "autorange": "reversed", "domain": [round(low, 4), round(high, 4)],
            "anchor": "x", "automargin": True, "fixedrange": True, "showgrid": False, "ticksuffix": " "}
        annotations.append({"text": f"<b>{bench_name}</b>", "xref": "paper", "yref": "paper", "x": 0,
                            "xanchor": "left", "y": round(high, 4), "yanchor": "bottom", "showarrow": False,
                            "font": {"size": 13}})
    bottom = f"y{len(panels)}" if len(panels) > 1 else "y"
    layout = _base_layout(
        title, 48 + plot_height + 56, showlegend=False, bargap=0.28, annotations=annotations,
        xaxis=_axis(ctx.t("chart-score-axis"), range=[0, max(100, top) * 1.12], showgrid=True, anchor=bottom,
                    dtick=20),
        **layout_axes)
    return traces, layout


def licence_figure(selection: LicenceCounts, ctx: Context, title: str) -> tuple[list, dict]:
    """Open-weight models per licence per family (stacked horizontal bars)."""
    groups, families, licences = selection.groups, selection.families, selection.licences
    licence_order = {lic: i for i, lic in enumerate(ctx.catalog.licenses)}
    family_names = [esc(family_name(ctx, f)) for f in families]
    template = ("<b>%{y}</b><br>%{fullData.name}<br>" + _label(ctx, "chart-count") + "%{x}<br>"
                + "%{customdata}<extra></extra>")
    traces = []
    for lic in licences:
        counts = [len(groups.get((f, lic), [])) for f in families]
        traces.append(_trace(
            "bar", orientation="h", y=family_names, x=[c or None for c in counts],
            name=esc(ctx.pick(ctx.catalog.licenses[lic].name)),
            marker={"color": PALETTE[licence_order[lic] % len(PALETTE)], "line": {"width": 0}},
            customdata=[_join([m.name for m in groups.get((f, lic), [])], ctx.lang) for f in families],
            hovertemplate=template, text=[str(c) if c else "" for c in counts], textposition="inside",
            insidetextanchor="middle"))
    top = max(sum(len(groups.get((f, lic), [])) for lic in licences) for f in families)
    layout = _base_layout(
        title, 160 + 34 * len(families), barmode="stack", bargap=0.25,
        uniformtext={"mode": "hide", "minsize": 9},
        xaxis=_axis(ctx.t("chart-count-axis"), range=[0, top * 1.05], dtick=_linear_step(top, 8),
                    showgrid=True),
        yaxis=_family_axis(ctx))
    return traces, layout


# kind of selection -> its figure
FIGURES: dict[type, Callable[[Any, Context, str], tuple[list, dict]]] = {
    FamilyPeaks: family_peaks_figure,
    ReleasePoints: timeline_figure,
    ExpertLayouts: moe_figure,
    ScoreGrid: scores_figure,
    LicenceCounts: licence_figure,
}


def figure(chart_id: str, selection: Selection, ctx: Context, title: str) -> dict:
    """The figure JSON (data, layout, config) of a chart in the page's language."""
    traces, layout = FIGURES[type(selection)](selection, ctx, title)
    # The mode bar keeps only what works offline and is translated: the PNG download. No plotly
    # logo link and no "share chart" (it uploads to Plotly's cloud, and is English on zh pages).
    config = {"displaylogo": False, "responsive": True, "showSendToCloud": False,
              "modeBarButtonsToRemove": ["zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d",
                                         "zoomOut2d", "autoScale2d", "resetScale2d", "sendChartToCloud"],
              "toImageButtonOptions": {"filename": f"{chart_id}-{ctx.lang}", "format": "png"}}
    if ctx.lang == "zh":
        config["locale"] = "zh-CN"
    return {"data": traces, "layout": layout, "config": config}


# Narrow charts (under NARROW_WIDTH px, a phone) put the legend below the plot in equal columns; the
# page reserves the chart's height before it is drawn, so the rows are counted here, for a
# reference phone column, and charts.js only adds rows if the names do not fit after all.
NARROW_WIDTH = 600
NARROW_REFERENCE = 358  # px: the content column of a 390-px phone (narrower phones may get fewer columns)
NARROW_FONT = 10.5      # px: legend font size when narrow (charts.js)
LEGEND_ROW = 19         # px per legend row
LEGEND_ENTRY_EXTRA = 50  # px: symbol and gaps that plotly adds to each entry


def _text_width(text: str, size: float) -> float:
    """A generous estimate of a label's width: Han and other wide characters 1 em, others 0.62 em."""
    return sum(size if unicodedata.east_asian_width(char) in "WF" else 0.62 * size
               for char in html.unescape(text))


def narrow_legend(payload: dict) -> dict:
    """Legend columns and chart height when narrow: {"columns", "height"} (no legend: height only)."""
    layout = payload["layout"]
    names = [] if layout.get("showlegend") is False else [
        str(trace.get("name", "")) for trace in payload["data"] if trace.get("showlegend") is not False]
    if not names:
        return {"columns": 0, "height": layout["height"]}
    widest = max(_text_width(name, NARROW_FONT) for name in names) + LEGEND_ENTRY_EXTRA
    columns = max(1, min(3, int((NARROW_REFERENCE - 12) // widest)))
    return {"columns": columns, "height": layout["height"] + math.ceil(len(names) / columns) * LEGEND_ROW}
