"""The chart marker `<!-- atlas:chart id=... -->`: a chart's figure, caption, sources and data table.

data/charts.yaml holds each chart's texts; selections.py chooses what it plots and figures.py
draws it. The output (overrides/atlas/chart.html) carries the figure JSON in a
`<script type="application/json">`, drawn in the browser by overrides/assets/javascripts/charts.js
when the chart scrolls into view, and a caption, the sources and a data table of exactly the
plotted values, which need no JavaScript: until the chart is drawn the table stands in its place,
in a frame of the chart's height, so nothing moves when the chart replaces it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from . import i18n
from .context import Context, cell
from .datasets import model_name_cell
from .errors import unknown
from .figures import PEAK_VALUES, family_name, figure, narrow_legend
from .markers import Marker, require
from .selections import SELECTORS, ExpertLayouts, FamilyPeaks, LicenceCounts, ReleasePoints, ScoreGrid


@dataclass
class DataTable:
    """The data table under a chart: its columns (ui key, numeric?) and rows with their sources."""

    columns: list[tuple[str, bool]]
    rows: list[dict] = field(default_factory=list)  # {"id", "cells", "sources": [source ids]}

    def add(self, row_id: str, cells: list[dict], sources: list[str]) -> None:
        """Add one row, citing each distinct source once, in order."""
        self.rows.append({"id": row_id, "cells": cells, "sources": list(dict.fromkeys(sources))})

    @property
    def sources(self) -> set[str]:
        """Every source cited by a row."""
        return {source for row in self.rows for source in row["sources"]}


def _models_cell(ctx: Context, models: list) -> dict:
    """Several model names, each linked."""
    return cell(i18n.list_separator(ctx.lang).join(m.name for m in models),
                links=[{"text": m.name, "href": ctx.model_href(m.id)} for m in models])


def _peaks_table(selection: FamilyPeaks, ctx: Context) -> DataTable:
    """One row per family: its largest value and the models that have it."""
    value_key, fmt = PEAK_VALUES[selection.figure]
    table = DataTable([("chart-family", False), (value_key, True), ("chart-models", False)])
    for family_id, value, models in selection.groups:
        table.add(family_id, [cell(family_name(ctx, family_id)), cell(fmt(value, ctx.lang), sort=value),
                              _models_cell(ctx, models)], [m.source_of(selection.figure) for m in models])
    return table


def _timeline_table(selection: ReleasePoints, ctx: Context) -> DataTable:
    """One row per plotted model: family, date and sizes."""
    table = DataTable([("chart-model", False), ("chart-family", False), ("chart-released", False),
                       ("chart-total", True), ("chart-active", True)])
    for model in selection.models:
        table.add(model.id, [
            model_name_cell(model, ctx), cell(family_name(ctx, model.family)),
            cell(i18n.fmt_date(model.released, model.date_precision, ctx.lang),
                 sort=model.released.isoformat(), datetime=model.released.isoformat()),
            cell(i18n.fmt_params(model.params_b, ctx.lang), sort=model.params_b),
            cell(i18n.fmt_params(model.active_params_b, ctx.lang), sort=model.active_params_b or 0),
        ], [model.source_of("released"), model.source_of("params_b")])
    return table


def _moe_table(selection: ExpertLayouts, ctx: Context) -> DataTable:
    """One row per expert configuration."""
    table = DataTable([("chart-model", False), ("chart-total", True), ("chart-active", True),
                       ("chart-routed", True), ("chart-activated", True), ("chart-shared", True)])
    for model in selection.models:
        moe = model.moe
        table.add(model.id, [
            model_name_cell(model, ctx),
            cell(i18n.fmt_params(model.params_b, ctx.lang), sort=model.params_b),
            cell(i18n.fmt_params(model.active_params_b, ctx.lang), sort=model.active_params_b),
            cell(str(moe.routed_experts), sort=moe.routed_experts),
            cell(str(moe.activated_experts), sort=moe.activated_experts),
            cell(str(moe.shared_experts), sort=moe.shared_experts),
        ], [model.source_of(f) for f in ("params_b", "active_params_b", "moe")])
    return table


def _scores_table(selection: ScoreGrid, ctx: Context) -> DataTable:
    """One row per plotted score, with its setting and the table of the source it comes from."""
    catalog = ctx.catalog
    table = DataTable([("chart-model", False), ("chart-benchmark", False), ("chart-score", True),
                       ("chart-setting", False)])
    for model, scores in selection.rows:
        for bench_id, score in zip(selection.benchmarks, scores):
            if score is None:
                continue
            setting = cell(ctx.t(f"mode-{score.setting.mode}")) | ({"note": score.locator} if score.locator else {})
            table.add(f"{model.id}-{bench_id}", [
                model_name_cell(model, ctx), cell(catalog.benchmarks[bench_id].name),
                cell(i18n.fmt_score(score.value, ctx.lang), sort=score.value), setting,
            ], [score.source])
    return table


def _licence_table(selection: LicenceCounts, ctx: Context) -> DataTable:
    """One row per family and licence: how many models, and which."""
    table = DataTable([("chart-family", False), ("chart-license", False), ("chart-count", True),
                       ("chart-models", False)])
    for family_id in selection.families:
        for licence_id in selection.licences:
            members = selection.groups.get((family_id, licence_id))
            if not members:
                continue
            licence = ctx.catalog.licenses[licence_id]
            table.add(f"{family_id}-{licence_id}", [
                cell(family_name(ctx, family_id)), cell(ctx.pick(licence.name)),
                cell(str(len(members)), sort=len(members)), _models_cell(ctx, members),
            ], [*(m.source_of("license") for m in members), licence.source])
    return table


# kind of selection -> its data table
TABLES = {
    FamilyPeaks: _peaks_table,
    ReleasePoints: _timeline_table,
    ExpertLayouts: _moe_table,
    ScoreGrid: _scores_table,
    LicenceCounts: _licence_table,
}


def _chart(ctx: Context, chart_id: str):
    """The chart's texts from data/charts.yaml, or a clear error naming the known ids."""
    if chart_id not in SELECTORS:
        raise ValueError(unknown("chart", chart_id, sorted(SELECTORS), f"expected one of: {', '.join(sorted(SELECTORS))}"))
    if chart_id not in ctx.catalog.charts:
        raise ValueError(f"chart {chart_id!r} has no entry in data/charts.yaml (title, caption, alt, as_of)")
    return ctx.catalog.charts[chart_id]


def _cited(ctx: Context, source_ids: set[str]) -> list[dict]:
    """The chart's sources grouped by publisher, publishers by name, sources by date and title."""
    groups: dict[str, list] = defaultdict(list)
    for source_id in source_ids:
        source = ctx.catalog.sources[source_id]
        groups[ctx.pick(source.publisher)].append(
            {**ctx.source(source_id), "name": ctx.pick(source.title),
             "key": (source.date.isoformat() if source.date else "", ctx.pick(source.title), source_id)})
    return [{"publisher": publisher, "sources": sorted(groups[publisher], key=lambda s: s["key"])}
            for publisher in sorted(groups, key=lambda p: (p.casefold(), p))]


def chart_view(chart_id: str, ctx: Context) -> dict:
    """Everything chart.html needs, in the page's language."""
    chart = _chart(ctx, chart_id)
    selection = SELECTORS[chart_id](ctx.catalog)
    title = ctx.pick(chart.title)
    data = TABLES[type(selection)](selection, ctx)
    table = {
        "dataset": f"chart-{chart_id}",
        "columns": [{"label": ctx.t(key), "numeric": numeric} for key, numeric in data.columns],
        "rows": [{"id": row["id"], "cells": row["cells"], "sources": [ctx.source(s) for s in row["sources"]]}
                 for row in data.rows],
        "source_label": ctx.t("col-source"),
        "empty": ctx.t("table-empty"),
    }
    payload = figure(chart_id, selection, ctx, title)
    narrow = narrow_legend(payload)
    return {
        "id": chart_id,
        "title": title,
        "height": payload["layout"]["height"],
        "narrow_height": narrow["height"],
        "legend_columns": narrow["columns"],
        "caption": ctx.pick(chart.caption),
        "alt": ctx.pick(chart.alt),
        "as_of": i18n.fmt_date(chart.as_of, "day", ctx.lang),
        "as_of_iso": chart.as_of.isoformat(),
        "sources": _cited(ctx, data.sources | set(chart.sources)),
        "payload": payload,
        "table": table,
        "labels": {"sources": ctx.t("chart-sources"), "as_of": ctx.t("chart-as-of"),
                   "alt": ctx.t("chart-alt"), "data": ctx.t("chart-data-table"),
                   "colon": i18n.colon(ctx.lang), "group_end": "；" if ctx.lang == "zh" else ";"},
    }


def render_chart(marker: Marker, ctx: Context) -> str:
    """Expand `<!-- atlas:chart id=ID -->`."""
    args = require(marker, {"id"}, {"id"})
    view = chart_view(args["id"], ctx)
    return ctx.render("chart.html", chart=view, table=view["table"])
