"""Charts: plotly figures built from the catalog at build time (`<!-- atlas:chart id=... -->`).

Each chart in data/charts.yaml has a builder here that selects its rows from the other datasets
(models, benchmarks, licences), so adding a model to the data updates every chart it belongs to.
A builder returns plotly traces, a layout, the rows of a data table showing exactly the plotted
values, and the source ids of those rows. `render_chart` turns that into overrides/atlas/chart.html:
the figure JSON in a `<script type="application/json">`, drawn in the browser by
overrides/assets/javascripts/charts.js, and a caption, sources and data table that need no
JavaScript. Output is deterministic: ids come from the chart id, JSON keys are sorted, and every
value is a plain list (no numpy, no uuid, no timestamps).
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable

from . import i18n
from .markers import Marker, require
from .render import Context, render
from .tables import cell

# Colours that read on both Material palettes (white and slate); symbols tell families apart too.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "triangle-down", "hexagon", "star")
# Axis date labels (d3-time-format); the hover text uses i18n.fmt_date instead.
DATE_TICKS = {"zh": "%Y年%-m月", "en": "%b %Y"}
# Mode preference when a model has several scores on one benchmark (first match wins).
MODE_ORDER = ("thinking", "instruct", "non-thinking", "base")
# Benchmarks of the two score charts. The models are chosen from the data (see the builders).
QWQ_BENCHMARKS = ("math-500", "aime24", "livecodebench", "livecodebench-2408-2502")
QWEN3_BENCHMARKS = ("arena-hard", "aime24", "aime25", "livecodebench-v5")
MIB = 1024


class ChartError(ValueError):
    """A chart that cannot be built; the marker machinery adds the page and line."""


@dataclass
class Built:
    """What a chart builder returns: the figure parts, its data table and the rows' sources."""

    traces: list
    layout: dict
    columns: list[tuple[str, bool]]  # (ui key of the header, numeric?)
    rows: list[dict]  # {"id", "cells", "sources": [source ids]}
    sources: set[str] = field(default_factory=set)


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def _esc(text: str) -> str:
    """Plotly renders a subset of HTML in labels: data text must not become markup there."""
    return html.escape(str(text), quote=False)


def _colon(ctx: Context) -> str:
    """The label separator of the page's language."""
    return "：" if ctx.lang == "zh" else ": "


def _join(names: list[str], ctx: Context, per_line: int = 3) -> str:
    """'A、B、C' / 'A, B, C', wrapped every few names for hover labels (already escaped)."""
    sep = "、" if ctx.lang == "zh" else ", "
    lines = [sep.join(_esc(n) for n in names[i:i + per_line]) for i in range(0, len(names), per_line)]
    return (sep.rstrip() + "<br>").join(lines)


def _label(ctx: Context, key: str) -> str:
    """An escaped ui string followed by the language's colon, for hover templates."""
    return _esc(ctx.t(key)) + _colon(ctx)


def _qwen(ctx: Context, model) -> bool:
    """True for models of Qwen families."""
    return ctx.catalog.families[model.family].qwen


def _family_rank(ctx: Context) -> dict[str, int]:
    """Position of every family by (order, id); colours and symbols follow it across charts."""
    families = sorted(ctx.catalog.families.values(), key=lambda f: (f.order, f.id))
    return {family.id: index for index, family in enumerate(families)}


def _family_colour(ctx: Context, family_id: str) -> str:
    """The colour of a family, the same in every chart."""
    return PALETTE[_family_rank(ctx)[family_id] % len(PALETTE)]


def _family_symbol(ctx: Context, family_id: str) -> str:
    """The marker symbol of a family."""
    return SYMBOLS[_family_rank(ctx)[family_id] % len(SYMBOLS)]


def _family_name(ctx: Context, family_id: str) -> str:
    """A family's name in the page's language."""
    return ctx.pick(ctx.catalog.families[family_id].name)


def _release_key(model) -> tuple:
    """Sort models by release date, then id."""
    return (model.released.isoformat() if model.released else "9999", model.id)


def _model_cell(ctx: Context, model) -> dict:
    """A model name linked to its page."""
    return cell(model.name, href=ctx.model_href(model.id))


def _models_cell(ctx: Context, models: list) -> dict:
    """Several model names, each linked."""
    sep = "、" if ctx.lang == "zh" else ", "
    return cell(sep.join(m.name for m in models),
                links=[{"text": m.name, "href": ctx.model_href(m.id)} for m in models])


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


def _short_context(tokens: int) -> str:
    """Context lengths as model cards write them: 32K, 128K, 1M (1K = 1,024 tokens)."""
    if tokens >= MIB * MIB and tokens % (MIB * MIB) == 0:
        return f"{tokens // (MIB * MIB)}M"
    value = tokens / MIB
    return f"{value:.1f}".rstrip("0").rstrip(".") + "K" if tokens >= MIB else str(tokens)


def _base_layout(ctx: Context, title: str, height: int, **extra: Any) -> dict:
    """Layout shared by every chart. Colours are left to charts.js, which follows the palette."""
    layout = {
        # plotly.py's "none" template written out: no theme, and plotly.js draws the same
        "template": {"data": {"scatter": [{"type": "scatter"}]}},
        "title": {"text": _esc(title), "x": 0, "xanchor": "left", "xref": "paper",
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
    """A plotly trace as plain JSON data.

    The figure is written as the JSON plotly.js reads, without plotly.py's graph_objects: their
    property validation cost most of the chart build time (bench/REPORT.md), and
    tests/test_charts.py validates every chart's figure against plotly.py's schema instead.
    """
    return {"type": kind, **properties}


def _axis(title: str, **extra: Any) -> dict:
    """A fixed (non-zoomable) axis with an escaped title that grows the margin to fit its labels."""
    return {"title": {"text": _esc(title)}, "automargin": True, "fixedrange": True, **extra}


def _params_axis(ctx: Context, title: str, values: list[float]) -> dict:
    """A log axis of parameter counts (billions) labelled '5 亿' / '0.5B'."""
    ticks = _log_ticks(min(values), max(values))
    return _axis(title, type="log", tickmode="array", tickvals=ticks,
                 ticktext=[_esc(i18n.fmt_params(t, ctx.lang)) for t in ticks], showgrid=True)


# ---------------------------------------------------------------------------
# Chart builders
# ---------------------------------------------------------------------------


def _max_by_family(ctx: Context, models: list, value: Callable[[Any], Any]) -> list[tuple[str, Any, list]]:
    """(family id, the family's largest value, the models that have it), families in order."""
    groups: dict[str, list] = defaultdict(list)
    for model in models:
        groups[model.family].append(model)
    rank = _family_rank(ctx)
    result = []
    for family_id in sorted(groups, key=rank.__getitem__):
        top = max(value(m) for m in groups[family_id])
        result.append((family_id, top, sorted((m for m in groups[family_id] if value(m) == top),
                                              key=lambda m: (m.params_b or 0, m.id))))
    return result


def tokens_selection(ctx: Context) -> list:
    """Open-weight models of Qwen families that report pre-training tokens.

    Variants (base_model set) inherit the corpus of the model they were post-trained from, so only
    models without a base_model count.
    """
    return [m for m in ctx.catalog.models.values() if _qwen(ctx, m) and m.weights == "open"
            and m.base_model is None and m.training_tokens_t is not None]


def _family_bars(ctx: Context, title: str, groups: list[tuple[str, Any, list]], value_key: str,
                 axis_title: str, text: Callable[[Any], str], hover_value: Callable[[Any], str],
                 figure: str, value_axis: dict) -> Built:
    """Horizontal bars, one per family (the family's largest value), earliest family on top."""
    names = [_esc(_family_name(ctx, fid)) for fid, _, _ in groups]
    template = ("<b>%{y}</b><br>" + _label(ctx, value_key) + "%{customdata[0]}<br>"
                + _label(ctx, "chart-models") + "%{customdata[1]}<extra></extra>")
    trace = _trace(
        "bar", orientation="h", y=names, x=[v for _, v, _ in groups],
        marker={"color": [_family_colour(ctx, fid) for fid, _, _ in groups], "line": {"width": 0}},
        text=[_esc(text(v)) for _, v, _ in groups], textposition="outside", cliponaxis=False,
        customdata=[[_esc(hover_value(v)), _join([m.name for m in ms], ctx)] for _, v, ms in groups],
        hovertemplate=template, showlegend=False, name=_esc(ctx.t(value_key)))
    layout = _base_layout(
        ctx, title, 120 + 34 * len(groups), showlegend=False, bargap=0.25,
        xaxis={**_axis(axis_title), **value_axis},
        yaxis=_axis(ctx.t("chart-family"), type="category", autorange="reversed", showgrid=False,
                    ticksuffix=" "))
    rows, sources = [], set()
    for fid, v, ms in groups:
        row_sources = list(dict.fromkeys(m.source_of(figure) for m in ms))
        sources.update(row_sources)
        rows.append({"id": fid, "cells": [cell(_family_name(ctx, fid)), cell(hover_value(v), sort=v),
                                          _models_cell(ctx, ms)], "sources": row_sources})
    columns = [("chart-family", False), (value_key, True), ("chart-models", False)]
    return Built([trace], layout, columns, rows, sources)


def build_tokens_by_generation(ctx: Context, title: str) -> Built:
    """Largest pre-training corpus per Qwen family (horizontal bars)."""
    groups = _max_by_family(ctx, tokens_selection(ctx), lambda m: m.training_tokens_t)
    if not groups:
        raise ChartError("no open-weight Qwen model has training_tokens_t")
    top = max(v for _, v, _ in groups)
    step = _linear_step(top, 5)
    ticks = [round(step * i, 6) for i in range(int(top // step) + 2)]
    axis = {"type": "linear", "tickmode": "array", "tickvals": ticks,
            "ticktext": [_esc(i18n.fmt_tokens(t, ctx.lang) if t else "0") for t in ticks],
            "range": [0, top * 1.18], "showgrid": True}
    return _family_bars(ctx, title, groups, "chart-tokens", ctx.t("chart-tokens-axis"),
                        lambda v: i18n.fmt_tokens(v, ctx.lang), lambda v: i18n.fmt_tokens(v, ctx.lang),
                        "training_tokens_t", axis)


def context_selection(ctx: Context) -> list:
    """Open-weight models of Qwen families with a context length (variants included: instruct
    models sometimes support a longer context than their base)."""
    return [m for m in ctx.catalog.models.values() if _qwen(ctx, m) and m.weights == "open"
            and m.context_tokens is not None]


def build_context_by_generation(ctx: Context, title: str) -> Built:
    """Longest context length per Qwen family (horizontal bars)."""
    groups = _max_by_family(ctx, context_selection(ctx), lambda m: m.context_tokens)
    if not groups:
        raise ChartError("no open-weight Qwen model has context_tokens")
    top = max(v for _, v, _ in groups)
    step = 4 * MIB
    while top / step > 5:
        step *= 2
    ticks = [step * i for i in range(int(top // step) + 2)]
    axis = {"type": "linear", "tickmode": "array", "tickvals": ticks,
            "ticktext": [_short_context(t) if t else "0" for t in ticks], "range": [0, top * 1.18],
            "showgrid": True}
    return _family_bars(ctx, title, groups, "chart-context", ctx.t("chart-context-axis"),
                        _short_context, lambda v: i18n.fmt_context(v, ctx.lang), "context_tokens", axis)


def timeline_selection(ctx: Context) -> list:
    """Open-weight Qwen models with a release date and a size, one point per distinct release.

    A variant released the same day with the same size as its base (e.g. the Instruct model of a
    base model) would sit on the same point, so it is left out.
    """
    models = ctx.catalog.models
    chosen = []
    for model in models.values():
        if not (_qwen(ctx, model) and model.weights == "open" and model.released and model.params_b):
            continue
        base = models.get(model.base_model) if model.base_model else None
        if base is not None and (base.released, base.params_b) == (model.released, model.params_b):
            continue
        chosen.append(model)
    return sorted(chosen, key=_release_key)


def build_release_timeline(ctx: Context, title: str) -> Built:
    """Qwen open-weight models by release date and total size (log scale), one trace per family."""
    models = timeline_selection(ctx)
    if not models:
        raise ChartError("no open-weight Qwen model has both released and params_b")
    rank = _family_rank(ctx)
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
            name=_esc(_family_name(ctx, family_id)), hovertemplate=template,
            marker={"size": 10, "color": _family_colour(ctx, family_id),
                    "symbol": _family_symbol(ctx, family_id), "line": {"width": 1, "color": "rgba(0,0,0,0.35)"}},
            customdata=[[_esc(m.name), _esc(i18n.fmt_date(m.released, m.date_precision, ctx.lang)),
                         _esc(i18n.fmt_params(m.params_b, ctx.lang)),
                         ("<br>" + _label(ctx, "chart-active") + _esc(i18n.fmt_params(m.active_params_b, ctx.lang)))
                         if m.active_params_b else ""] for m in group]))
    layout = _base_layout(
        ctx, title, 520,
        xaxis=_axis(ctx.t("chart-released-axis"), type="date", tickformat=DATE_TICKS[ctx.lang],
                    showgrid=True, hoverformat="%Y-%m-%d"),
        yaxis=_params_axis(ctx, ctx.t("chart-params-axis"), [m.params_b for m in models]))
    rows, sources = [], set()
    for model in models:
        row_sources = list(dict.fromkeys([model.source_of("released"), model.source_of("params_b")]))
        sources.update(row_sources)
        rows.append({"id": model.id, "sources": row_sources, "cells": [
            _model_cell(ctx, model), cell(_family_name(ctx, model.family)),
            cell(i18n.fmt_date(model.released, model.date_precision, ctx.lang),
                 sort=model.released.isoformat(), datetime=model.released.isoformat()),
            cell(i18n.fmt_params(model.params_b, ctx.lang), sort=model.params_b),
            cell(i18n.fmt_params(model.active_params_b, ctx.lang), sort=model.active_params_b or 0)]})
    columns = [("chart-model", False), ("chart-family", False), ("chart-released", False),
               ("chart-total", True), ("chart-active", True)]
    return Built(traces, layout, columns, rows, sources)


def moe_selection(ctx: Context) -> list:
    """Qwen MoE models with a known expert layout, one per distinct configuration.

    Models with the same total, active and expert counts (e.g. the 2507 updates of a model) share
    one bar: the earliest release keeps it.
    """
    seen: set[tuple] = set()
    chosen = []
    for model in sorted(ctx.catalog.models.values(), key=_release_key):
        if not (_qwen(ctx, model) and model.moe and model.params_b and model.active_params_b):
            continue
        key = (model.params_b, model.active_params_b, model.moe.routed_experts,
               model.moe.activated_experts, model.moe.shared_experts)
        if key not in seen:
            seen.add(key)
            chosen.append(model)
    return chosen


def build_moe_params(ctx: Context, title: str) -> Built:
    """Total vs active parameters of Qwen MoE models (grouped bars, log scale)."""
    models = moe_selection(ctx)
    if not models:
        raise ChartError("no Qwen model has a moe configuration")
    names = [_esc(m.name) for m in models]
    customdata = [[_esc(m.name), _esc(i18n.fmt_params(m.params_b, ctx.lang)),
                   _esc(i18n.fmt_params(m.active_params_b, ctx.lang)), m.moe.routed_experts,
                   m.moe.activated_experts, m.moe.shared_experts] for m in models]
    template = ("<b>%{customdata[0]}</b><br>" + _label(ctx, "chart-total") + "%{customdata[1]}<br>"
                + _label(ctx, "chart-active") + "%{customdata[2]}<br>"
                + _label(ctx, "chart-routed") + "%{customdata[3]}<br>"
                + _label(ctx, "chart-activated") + "%{customdata[4]}<br>"
                + _label(ctx, "chart-shared") + "%{customdata[5]}<extra></extra>")
    traces = [
        _trace("bar",
               x=names, y=[m.params_b for m in models], name=_esc(ctx.t("chart-total")),
               marker={"color": PALETTE[0], "line": {"width": 0}}, customdata=customdata,
               hovertemplate=template, text=[_esc(i18n.fmt_params(m.params_b, ctx.lang)) for m in models],
               textposition="outside", cliponaxis=False),
        _trace("bar",
               x=names, y=[m.active_params_b for m in models], name=_esc(ctx.t("chart-active")),
               marker={"color": PALETTE[1], "line": {"width": 0}}, customdata=customdata,
               hovertemplate=template, text=[_esc(i18n.fmt_params(m.active_params_b, ctx.lang)) for m in models],
               textposition="outside", cliponaxis=False),
    ]
    values = [m.params_b for m in models] + [m.active_params_b for m in models]
    layout = _base_layout(
        ctx, title, 480, barmode="group", bargap=0.2, uniformtext={"mode": "hide", "minsize": 9},
        xaxis=_axis(ctx.t("chart-model"), type="category", showgrid=False),
        yaxis=_params_axis(ctx, ctx.t("chart-params-axis"), values))
    layout["yaxis"]["range"] = [math.log10(min(values)) - 0.15, math.log10(max(values)) + 0.25]
    rows, sources = [], set()
    for model in models:
        row_sources = list(dict.fromkeys(model.source_of(f) for f in ("params_b", "active_params_b", "moe")))
        sources.update(row_sources)
        rows.append({"id": model.id, "sources": row_sources, "cells": [
            _model_cell(ctx, model),
            cell(i18n.fmt_params(model.params_b, ctx.lang), sort=model.params_b),
            cell(i18n.fmt_params(model.active_params_b, ctx.lang), sort=model.active_params_b),
            cell(str(model.moe.routed_experts), sort=model.moe.routed_experts),
            cell(str(model.moe.activated_experts), sort=model.moe.activated_experts),
            cell(str(model.moe.shared_experts), sort=model.moe.shared_experts)]})
    columns = [("chart-model", False), ("chart-total", True), ("chart-active", True),
               ("chart-routed", True), ("chart-activated", True), ("chart-shared", True)]
    return Built(traces, layout, columns, rows, sources)


def pick_score(ctx: Context, model_id: str, bench_id: str, modes: tuple[str, ...] = MODE_ORDER):
    """The score of a model on a benchmark in the first available mode of `modes` (no tools first)."""
    matches = [s for s in ctx.catalog.scores_of(model_id, bench_id) if s.setting.mode in modes]
    if not matches:
        return None
    order = {mode: i for i, mode in enumerate(modes)}
    return min(matches, key=lambda s: (order[s.setting.mode], s.setting.tools,
                                       -1 if s.setting.shots is None else s.setting.shots))


def qwq_selection(ctx: Context) -> tuple[list[str], list[str]]:
    """QwQ models and peers on MATH-500 / AIME24 / LiveCodeBench (only scores in the data).

    Subjects: the models of the QwQ family with a score on these benchmarks, by release date.
    Peers: models of other developers (non-Qwen families) with scores on at least three of them
    (the comparison table that sources them covers all three), by release date.
    """
    models = ctx.catalog.models
    benches = [b for b in QWQ_BENCHMARKS if b in ctx.catalog.benchmarks]
    subjects = [m for m in models.values() if m.family == "qwq"
                and any(pick_score(ctx, m.id, b) for b in benches)]
    peers = [m for m in models.values() if not _qwen(ctx, m)
             and sum(1 for b in benches if pick_score(ctx, m.id, b)) >= 3]
    return ([m.id for m in sorted(subjects, key=_release_key)],
            [m.id for m in sorted(peers, key=_release_key)])


def qwen3_selection(ctx: Context) -> tuple[list[str], list[str]]:
    """Qwen3-235B-A22B in thinking mode and the models its own comparison table sets beside it.

    Peers: non-Qwen models with at least one score on Arena-Hard, AIME24, AIME25 or
    LiveCodeBench v5 taken from the same source and table (locator) as the flagship's score on
    that benchmark, so every bar comes from one evaluation.
    """
    flagship = "qwen3-235b-a22b"
    if flagship not in ctx.catalog.models:
        return [], []
    same = _same_table(ctx, flagship)
    peers = [m for m in ctx.catalog.models.values() if not _qwen(ctx, m)
             and any(_peer_score(ctx, m.id, b, same) for b in same)]
    return [flagship], [m.id for m in sorted(peers, key=_release_key)]


def _same_table(ctx: Context, model_id: str) -> dict[str, tuple]:
    """benchmark -> (source, locator) of the model's thinking-mode score on QWEN3_BENCHMARKS."""
    found = {}
    for bench_id in QWEN3_BENCHMARKS:
        score = pick_score(ctx, model_id, bench_id, ("thinking",))
        if score is not None:
            found[bench_id] = (score.source, score.locator)
    return found


def _peer_score(ctx: Context, model_id: str, bench_id: str, same: dict[str, tuple]):
    """A peer's score on a benchmark if it comes from the flagship's source and table."""
    matches = [s for s in ctx.catalog.scores_of(model_id, bench_id) if (s.source, s.locator) == same.get(bench_id)]
    order = {mode: i for i, mode in enumerate(MODE_ORDER)}
    return min(matches, key=lambda s: (order[s.setting.mode], s.setting.tools)) if matches else None


def _score_bars(ctx: Context, title: str, subjects: list[str], peers: list[str], benches: list[str],
                subject_modes: tuple[str, ...], peer_pick: Callable | None = None) -> Built:
    """Grouped bars: one group per benchmark, one bar per model with a sourced score."""
    catalog = ctx.catalog
    bench_names = [_esc(catalog.benchmarks[b].name) for b in benches]
    traces, rows, sources = [], [], set()
    template = ("<b>%{customdata[0]}</b><br>%{customdata[1]}" + _colon(ctx) + "%{customdata[2]}<br>"
                + _label(ctx, "chart-setting") + "%{customdata[3]}<extra></extra>")
    for index, model_id in enumerate([*subjects, *peers]):
        model = catalog.models[model_id]
        if model_id in subjects or peer_pick is None:
            modes = subject_modes if model_id in subjects else MODE_ORDER
            scores = [pick_score(ctx, model_id, bench_id, modes) for bench_id in benches]
        else:
            scores = [peer_pick(model_id, bench_id) for bench_id in benches]
        if not any(scores):
            continue
        traces.append(_trace(
            "bar", x=bench_names, y=[s.value if s else None for s in scores], name=_esc(model.name),
            marker={"color": PALETTE[index % len(PALETTE)], "line": {"width": 0}},
            text=[_esc(i18n.fmt_score(s.value, ctx.lang)) if s else "" for s in scores],
            textposition="outside", cliponaxis=False, hovertemplate=template,
            customdata=[[_esc(model.name), bench_names[i], _esc(i18n.fmt_score(s.value, ctx.lang)) if s else "",
                         _esc(ctx.t(f"mode-{s.setting.mode}")) if s else ""] for i, s in enumerate(scores)]))
        for bench_id, score in zip(benches, scores):
            if score is None:
                continue
            sources.add(score.source)
            rows.append({"id": f"{model_id}-{bench_id}", "sources": [score.source], "cells": [
                _model_cell(ctx, model), cell(catalog.benchmarks[bench_id].name),
                cell(i18n.fmt_score(score.value, ctx.lang), sort=score.value),
                cell(ctx.t(f"mode-{score.setting.mode}"))
                | ({"note": score.locator} if score.locator else {})]})
    if not traces:
        raise ChartError("no sourced score matches this chart's models and benchmarks")
    top = max(s for t in traces for s in t["y"] if s is not None)
    layout = _base_layout(
        ctx, title, 500, barmode="group", bargap=0.18, bargroupgap=0.04,
        uniformtext={"mode": "hide", "minsize": 8},
        xaxis=_axis(ctx.t("chart-benchmark"), type="category", showgrid=False),
        yaxis=_axis(ctx.t("chart-score-axis"), range=[0, max(100, top) * 1.1], showgrid=True))
    columns = [("chart-model", False), ("chart-benchmark", False), ("chart-score", True),
               ("chart-setting", False)]
    return Built(traces, layout, columns, rows, sources)


def build_qwq_reasoning(ctx: Context, title: str) -> Built:
    """QwQ-32B-Preview and QwQ-32B against peers (grouped bars)."""
    subjects, peers = qwq_selection(ctx)
    benches = [b for b in QWQ_BENCHMARKS if b in ctx.catalog.benchmarks]
    return _score_bars(ctx, title, subjects, peers, benches, MODE_ORDER)


def build_qwen3_flagship(ctx: Context, title: str) -> Built:
    """Qwen3-235B-A22B (thinking mode) against peers from the same report (grouped bars)."""
    subjects, peers = qwen3_selection(ctx)
    benches = [b for b in QWEN3_BENCHMARKS if b in ctx.catalog.benchmarks]
    if not subjects:
        raise ChartError("model 'qwen3-235b-a22b' is not in data/models.yaml")
    same = _same_table(ctx, subjects[0])
    return _score_bars(ctx, title, subjects, peers, benches, ("thinking",),
                       lambda model_id, bench_id: _peer_score(ctx, model_id, bench_id, same))


def license_selection(ctx: Context) -> dict[tuple[str, str], list]:
    """Open-weight models of Qwen families grouped by (family, licence); each variant counts."""
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for model in ctx.catalog.models.values():
        if _qwen(ctx, model) and model.weights == "open" and model.license:
            groups[(model.family, model.license)].append(model)
    return {key: sorted(ms, key=lambda m: (m.params_b or 0, m.id)) for key, ms in groups.items()}


def build_license_by_generation(ctx: Context, title: str) -> Built:
    """Open-weight models per licence per family (stacked horizontal bars)."""
    groups = license_selection(ctx)
    if not groups:
        raise ChartError("no open-weight Qwen model has a license")
    rank = _family_rank(ctx)
    licence_order = {lic: i for i, lic in enumerate(ctx.catalog.licenses)}
    families = sorted({f for f, _ in groups}, key=rank.__getitem__)
    licences = sorted({lic for _, lic in groups}, key=licence_order.__getitem__)
    family_names = [_esc(_family_name(ctx, f)) for f in families]
    template = ("<b>%{y}</b><br>%{fullData.name}<br>" + _label(ctx, "chart-count") + "%{x}<br>"
                + "%{customdata}<extra></extra>")
    traces = []
    for lic in licences:
        counts = [len(groups.get((f, lic), [])) for f in families]
        traces.append(_trace(
            "bar", orientation="h", y=family_names, x=[c or None for c in counts],
            name=_esc(ctx.pick(ctx.catalog.licenses[lic].name)),
            marker={"color": PALETTE[licence_order[lic] % len(PALETTE)], "line": {"width": 0}},
            customdata=[_join([m.name for m in groups.get((f, lic), [])], ctx) for f in families],
            hovertemplate=template, text=[str(c) if c else "" for c in counts], textposition="inside",
            insidetextanchor="middle"))
    top = max(sum(len(groups.get((f, lic), [])) for lic in licences) for f in families)
    layout = _base_layout(
        ctx, title, 160 + 34 * len(families), barmode="stack", bargap=0.25,
        uniformtext={"mode": "hide", "minsize": 9},
        xaxis=_axis(ctx.t("chart-count-axis"), range=[0, top * 1.05], dtick=_linear_step(top, 8),
                    showgrid=True),
        yaxis=_axis(ctx.t("chart-family"), type="category", autorange="reversed", showgrid=False,
                    ticksuffix=" "))
    rows, sources = [], set()
    for f in families:
        for lic in licences:
            members = groups.get((f, lic))
            if not members:
                continue
            row_sources = list(dict.fromkeys([*(m.source_of("license") for m in members),
                                              ctx.catalog.licenses[lic].source]))
            sources.update(row_sources)
            rows.append({"id": f"{f}-{lic}", "sources": row_sources, "cells": [
                cell(_family_name(ctx, f)), cell(ctx.pick(ctx.catalog.licenses[lic].name)),
                cell(str(len(members)), sort=len(members)), _models_cell(ctx, members)]})
    columns = [("chart-family", False), ("chart-license", False), ("chart-count", True),
               ("chart-models", False)]
    return Built(traces, layout, columns, rows, sources)


BUILDERS: dict[str, Callable[[Context, str], Built]] = {
    "tokens-by-generation": build_tokens_by_generation,
    "release-timeline": build_release_timeline,
    "moe-params": build_moe_params,
    "qwq-reasoning": build_qwq_reasoning,
    "qwen3-flagship": build_qwen3_flagship,
    "context-by-generation": build_context_by_generation,
    "license-by-generation": build_license_by_generation,
}


# ---------------------------------------------------------------------------
# Figure, page model and marker
# ---------------------------------------------------------------------------


def _chart(ctx: Context, chart_id: str):
    """The chart's texts from data/charts.yaml, or a clear error naming the known ids."""
    if chart_id not in BUILDERS:
        raise ChartError(f"unknown chart {chart_id!r}; expected one of: {', '.join(sorted(BUILDERS))}")
    if chart_id not in ctx.catalog.charts:
        raise ChartError(f"chart {chart_id!r} has no entry in data/charts.yaml (title, caption, alt, as_of)")
    return ctx.catalog.charts[chart_id]


def chart_figure(chart_id: str, ctx: Context) -> tuple[dict, Built]:
    """The figure JSON (data, layout, config) of a chart, and what it was built from."""
    chart = _chart(ctx, chart_id)
    built = BUILDERS[chart_id](ctx, ctx.pick(chart.title))
    config = {"displaylogo": False, "responsive": True,
              "modeBarButtonsToRemove": ["zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d",
                                         "zoomOut2d", "autoScale2d", "resetScale2d"],
              "toImageButtonOptions": {"filename": f"{chart_id}-{ctx.lang}", "format": "png"}}
    if ctx.lang == "zh":
        config["locale"] = "zh-CN"
    return {"data": built.traces, "layout": built.layout, "config": config}, built


def chart_model(chart_id: str, ctx: Context) -> dict:
    """Everything chart.html needs."""
    chart = _chart(ctx, chart_id)
    payload, built = chart_figure(chart_id, ctx)
    groups: dict[str, list] = defaultdict(list)
    for source_id in set(built.sources) | set(chart.sources):
        source = ctx.catalog.sources[source_id]
        groups[ctx.pick(source.publisher)].append(
            {**ctx.source(source_id), "name": ctx.pick(source.title),
             "key": (source.date.isoformat() if source.date else "", ctx.pick(source.title), source_id)})
    cited = [{"publisher": publisher, "sources": sorted(groups[publisher], key=lambda s: s["key"])}
             for publisher in sorted(groups, key=lambda p: (p.casefold(), p))]
    table = {
        "dataset": f"chart-{chart_id}",
        "columns": [{"label": ctx.t(key), "numeric": numeric} for key, numeric in built.columns],
        "rows": [{"id": row["id"], "cells": row["cells"], "sources": [ctx.source(s) for s in row["sources"]]}
                 for row in built.rows],
        "source_label": ctx.t("col-source"),
        "empty": ctx.t("table-empty"),
    }
    return {
        "id": chart_id,
        "title": ctx.pick(chart.title),
        "caption": ctx.pick(chart.caption),
        "alt": ctx.pick(chart.alt),
        "as_of": i18n.fmt_date(chart.as_of, "day", ctx.lang),
        "as_of_iso": chart.as_of.isoformat(),
        "sources": cited,
        "payload": payload,
        "table": table,
        "labels": {"sources": ctx.t("chart-sources"), "as_of": ctx.t("chart-as-of"),
                   "alt": ctx.t("chart-alt"), "data": ctx.t("chart-data-table"),
                   "colon": _colon(ctx), "group_end": "；" if ctx.lang == "zh" else ";"},
    }


def plotted_model_ids(chart_id: str, catalog) -> set[str]:
    """Models linked from a chart's data table, which shows exactly the plotted rows."""
    # only the builder runs (no figure validation); a chart that cannot be built lists nothing
    # here, and its own page reports the problem with page and line
    if chart_id not in BUILDERS or chart_id not in catalog.charts:
        return set()
    ctx = Context(catalog, "en", "index.md")
    try:
        built = BUILDERS[chart_id](ctx, "")
    except (KeyError, ValueError, LookupError):
        return set()
    by_href = {ctx.model_href(model_id): model_id for model_id in catalog.models}
    return {by_href[link["href"]] for row in built.rows for item in row.get("cells", ())
            for link in (item, *item.get("links", ())) if link.get("href") in by_href}


def render_chart(marker: Marker, ctx: Context) -> str:
    """Expand `<!-- atlas:chart id=ID -->`."""
    args = require(marker, {"id"}, {"id"})
    model = chart_model(args["id"], ctx)
    return render("chart.html", chart=model, table=model["table"])
