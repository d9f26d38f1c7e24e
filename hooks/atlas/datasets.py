"""The datasets tables are made of: rows, columns, filters and sorting, and the table view.

The `atlas:table` marker (tables.py) and the model index's per-family tables (modelpages.py) both
build their tables here, so a column looks and sorts the same wherever it appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from . import i18n
from .context import Context, cell
from .errors import unknown
from .markers import split_list


@dataclass(frozen=True)
class Column:
    """A table column: its header string key, how to get a cell, and which figure it shows."""

    label: str
    cell: Callable[[Any, Context], dict]
    numeric: bool = False
    figure: str | None = None  # model figure name, to cite the right source


def _date_cell(value, precision: str, ctx: Context) -> dict:
    """A date cell with a machine-readable datetime."""
    if value is None:
        return cell("")
    return cell(i18n.fmt_date(value, precision, ctx.lang), sort=value.isoformat(), datetime=value.isoformat())


def model_name_cell(model, ctx: Context) -> dict:
    """The model's name, linked to its page."""
    return cell(model.name, sort=model.name, href=ctx.model_href(model.id))


def _license(license_id: str | None, ctx: Context) -> dict:
    """A licence name, or the 'API only' label."""
    if license_id is None:
        return cell(ctx.t("weights-api"))
    return cell(ctx.pick(ctx.catalog.licenses[license_id].name), href=ctx.href("licenses.md", "license-table"))


MODEL_COLUMNS: dict[str, Column] = {
    "name": Column("col-model", model_name_cell),
    "family": Column("col-family", lambda m, c: cell(c.pick(c.catalog.families[m.family].name),
                                                     sort=c.catalog.families[m.family].order)),
    "variant": Column("col-variant", lambda m, c: cell(c.t(f"variant-{m.variant}"))),
    "released": Column("col-released", lambda m, c: _date_cell(m.released, m.date_precision, c), figure="released"),
    "params": Column("col-params", lambda m, c: cell(i18n.fmt_params(m.params_b, c.lang), sort=m.params_b),
                     numeric=True, figure="params_b"),
    "active": Column("col-active", lambda m, c: cell(i18n.fmt_params(m.active_params_b, c.lang),
                                                     sort=m.active_params_b), numeric=True, figure="active_params_b"),
    "context": Column("col-context", lambda m, c: cell(i18n.fmt_context(m.context_tokens, c.lang),
                                                       sort=m.context_tokens), numeric=True, figure="context_tokens"),
    "tokens": Column("col-tokens", lambda m, c: cell(i18n.fmt_tokens(m.training_tokens_t, c.lang),
                                                     sort=m.training_tokens_t), numeric=True, figure="training_tokens_t"),
    "license": Column("col-license", lambda m, c: _license(m.license, c), figure="license"),
    "weights": Column("col-weights", lambda m, c: cell(c.t(f"weights-{m.weights}"))),
}

MOE_COLUMNS: dict[str, Column] = {
    "name": MODEL_COLUMNS["name"],
    "params": MODEL_COLUMNS["params"],
    "active": MODEL_COLUMNS["active"],
    "routed": Column("col-routed", lambda m, c: cell(str(m.moe.routed_experts), sort=m.moe.routed_experts),
                     numeric=True, figure="moe"),
    "activated": Column("col-activated", lambda m, c: cell(str(m.moe.activated_experts),
                                                           sort=m.moe.activated_experts), numeric=True, figure="moe"),
    "shared": Column("col-shared", lambda m, c: cell(str(m.moe.shared_experts), sort=m.moe.shared_experts),
                     numeric=True, figure="moe"),
    "released": MODEL_COLUMNS["released"],
}

RELEASE_COLUMNS: dict[str, Column] = {
    "date": Column("col-date", lambda r, c: _date_cell(r.date, r.date_precision, c)
                   | ({"note": c.t("approximate")} if r.approximate else {})),
    "title": Column("col-release", lambda r, c: cell(c.pick(r.title))),
    "summary": Column("col-summary", lambda r, c: cell(c.pick(r.summary))),
    "models": Column("col-models", lambda r, c: cell(", ".join(c.catalog.models[m].name for m in r.models),
                                                     links=[{"text": c.catalog.models[m].name,
                                                             "href": c.model_href(m)} for m in r.models])),
}

SCORE_COLUMNS: dict[str, Column] = {
    "model": Column("col-model", lambda s, c: model_name_cell(c.catalog.models[s.model], c)),
    "benchmark": Column("col-benchmark", lambda s, c: cell(c.catalog.benchmarks[s.benchmark].name)),
    "value": Column("col-score", lambda s, c: cell(i18n.fmt_score(s.value, c.lang), sort=s.value), numeric=True),
    "mode": Column("col-mode", lambda s, c: cell(c.t(f"mode-{s.setting.mode}"))),
    "shots": Column("col-shots", lambda s, c: cell("" if s.setting.shots is None else str(s.setting.shots),
                                                   sort=s.setting.shots),
                    numeric=True),
    "tools": Column("col-tools", lambda s, c: cell(c.t("yes") if s.setting.tools else c.t("no"))),
}

LICENSE_COLUMNS: dict[str, Column] = {
    "name": Column("col-license", lambda l, c: cell(c.pick(l.name), href=l.url)),
    "commercial": Column("col-commercial", lambda l, c: cell(c.t(f"commercial-{l.commercial_use}"))),
    "summary": Column("col-summary", lambda l, c: cell(c.pick(l.summary))),
}

FAMILY_COLUMNS: dict[str, Column] = {
    "name": Column("col-family", lambda f, c: cell(c.pick(f.name), sort=f.order)),
    "description": Column("col-summary", lambda f, c: cell(c.pick(f.description))),
}


MODEL_FILTERS = ("family", "variant", "weights", "license", "qwen", "moe", "model")

# The reader's filter (tables.render_filter, tables.js): the facets a row of models or scores carries,
# in the order the filter shows them; each is also the query-string key of a filtered view's URL.
FACETS = ("family", "weights", "license", "size", "arch")
# Size ranges by total parameters in billions: below 10, 10 to 40, 40 to 100, 100 and more.
SIZE_BOUNDS = (10, 40, 100)


# Each range as (id, lower bound, upper bound); None where it is open.
SIZE_RANGE_BOUNDS = ((f"lt{SIZE_BOUNDS[0]}", None, SIZE_BOUNDS[0]),
                     *((f"{low}-{high}", low, high) for low, high in zip(SIZE_BOUNDS, SIZE_BOUNDS[1:])),
                     (f"ge{SIZE_BOUNDS[-1]}", SIZE_BOUNDS[-1], None))
SIZE_RANGES = tuple(range_id for range_id, _, _ in SIZE_RANGE_BOUNDS)


def size_range(params_b: float | None) -> str:
    """The id of the size range of a total parameter count ('lt10', '10-40', '40-100', 'ge100'), or ''."""
    if params_b is None:
        return ""
    return SIZE_RANGES[sum(params_b >= bound for bound in SIZE_BOUNDS)]


def model_facets(model) -> dict[str, str]:
    """The facet values of a model, as its rows carry them (`data-facet-*`); unknown values are left out."""
    values = {"model": model.id, "family": model.family, "weights": model.weights or "",
              "license": model.license or "", "size": size_range(model.params_b),
              "arch": "moe" if model.moe is not None else "dense"}
    return {name: value for name, value in values.items() if value}


def score_id(score) -> str:
    """A stable id for a score row: unique because (model, benchmark, setting) is unique."""
    shots = "" if score.setting.shots is None else f"-{score.setting.shots}shot"
    tools = "-tools" if score.setting.tools else ""
    return f"{score.model}-{score.benchmark}-{score.setting.mode}{shots}{tools}"


def _model_filters(model, ctx: Context) -> dict[str, list[str]]:
    """The values a models/moe row can be filtered by."""
    family = ctx.catalog.families[model.family]
    return {"family": [model.family], "variant": [model.variant], "weights": [model.weights],
            "license": [model.license or "none"], "qwen": ["yes" if family.qwen else "no"],
            "moe": ["yes" if model.moe else "no"], "model": [model.id]}


@dataclass(frozen=True)
class Dataset:
    """A table-able dataset: its rows, columns, filters, default columns and row sources."""

    rows: Callable[[Context], list]
    columns: dict[str, Column]
    default: tuple[str, ...]
    filters: Callable[[Any, Context], dict[str, list[str]]]
    sources: Callable[[Any, Context, list[Column]], list[str]]
    row_id: Callable[[Any], str]
    default_sort: str
    filter_names: tuple[str, ...]
    facets: Callable[[Any, Context], dict[str, str]] = lambda row, ctx: {}  # for the reader's filter


def _model_sources(model, ctx: Context, columns: list[Column]) -> list[str]:
    """The distinct sources of the figures shown in this row."""
    figures = [column.figure for column in columns if column.figure] or ["params_b"]
    return list(dict.fromkeys(model.source_of(figure) for figure in figures))


DATASETS: dict[str, Dataset] = {
    "models": Dataset(
        rows=lambda c: list(c.catalog.models.values()), columns=MODEL_COLUMNS,
        default=("name", "released", "params", "active", "context", "tokens", "license"),
        filters=_model_filters, sources=_model_sources, row_id=lambda m: m.id, default_sort="released",
        filter_names=MODEL_FILTERS, facets=lambda m, c: model_facets(m)),
    "moe": Dataset(
        rows=lambda c: [m for m in c.catalog.models.values() if m.moe is not None and m.base_model is None],
        columns=MOE_COLUMNS, default=("name", "params", "active", "routed", "activated", "shared"),
        filters=_model_filters, sources=_model_sources, row_id=lambda m: m.id, default_sort="released",
        filter_names=MODEL_FILTERS, facets=lambda m, c: model_facets(m)),
    "releases": Dataset(
        rows=lambda c: list(c.catalog.releases), columns=RELEASE_COLUMNS,
        default=("date", "title", "summary", "models"),
        filters=lambda r, c: {"model": list(r.models), "year": [str(r.date.year)]},
        sources=lambda r, c, cols: [r.source, *r.extra_sources], row_id=lambda r: r.id, default_sort="date",
        filter_names=("model", "year")),
    "scores": Dataset(
        rows=lambda c: list(c.catalog.scores), columns=SCORE_COLUMNS,
        default=("model", "benchmark", "value", "mode", "shots", "tools"),
        filters=lambda s, c: {"model": [s.model], "benchmark": [s.benchmark], "mode": [s.setting.mode],
                              "family": [c.catalog.models[s.model].family],
                              "category": [c.catalog.benchmarks[s.benchmark].category]},
        sources=lambda s, c, cols: [s.source], row_id=score_id,
        default_sort="model", filter_names=("model", "benchmark", "mode", "family", "category"),
        facets=lambda s, c: model_facets(c.catalog.models[s.model])),
    "licenses": Dataset(
        rows=lambda c: list(c.catalog.licenses.values()), columns=LICENSE_COLUMNS,
        default=("name", "commercial", "summary"), filters=lambda l, c: {"commercial": [l.commercial_use]},
        sources=lambda l, c, cols: [l.source], row_id=lambda l: l.id, default_sort="name",
        filter_names=("commercial",)),
    "families": Dataset(
        rows=lambda c: list(c.catalog.families.values()), columns=FAMILY_COLUMNS,
        default=("name", "description"), filters=lambda f, c: {"qwen": ["yes" if f.qwen else "no"]},
        sources=lambda f, c, cols: [], row_id=lambda f: f.id, default_sort="name",
        filter_names=("qwen",)),
}


def parse_filters(text: str, allowed: set[str]) -> dict[str, set[str]]:
    """'family:qwen2|qwen2.5,weights:open' -> {'family': {...}, 'weights': {'open'}}."""
    filters: dict[str, set[str]] = {}
    for part in split_list(text):
        name, sep, values = part.partition(":")
        if not sep or not values:
            raise ValueError(f"filter {part!r}: expected field:value")
        if name not in allowed:
            raise ValueError(unknown("filter field", name, sorted(allowed), f"expected one of: {', '.join(sorted(allowed))}"))
        filters[name] = set(values.split("|"))
    return filters


def dataset_named(name: str) -> Dataset:
    """A dataset by name, or an error listing the known ones."""
    if name not in DATASETS:
        raise ValueError(unknown("dataset", name, sorted(DATASETS), f"expected one of: {', '.join(sorted(DATASETS))}"))
    return DATASETS[name]


def table_view(dataset_name: str, ctx: Context, columns: list[str] | None = None,
                filters: dict[str, set[str]] | None = None, sort: str | None = None) -> dict:
    """The rows and cells of a dataset table, ready for the template (validates every name)."""
    dataset = dataset_named(dataset_name)
    names = columns or list(dataset.default)
    for name in names:
        if name not in dataset.columns:
            raise ValueError(unknown("column", name, dataset.columns,
                                     f"dataset {dataset_name} has: {', '.join(dataset.columns)}"))
    chosen = [dataset.columns[name] for name in names]
    rows = dataset.rows(ctx)
    if filters:
        rows = [row for row in rows
                if all(set(dataset.filters(row, ctx).get(key, [])) & wanted for key, wanted in filters.items())]
    sort_key = sort or dataset.default_sort
    reverse = sort_key.startswith("-")
    sort_key = sort_key.lstrip("-")
    if sort_key not in dataset.columns:
        raise ValueError(f"cannot sort by {sort_key!r}; expected a column of dataset {dataset_name}")
    sorter = dataset.columns[sort_key]
    keyed = [(sorter.cell(row, ctx), row) for row in rows]
    present = sorted(((c, row) for c, row in keyed if not c["missing"]),
                     key=lambda pair: (_sortable(pair[0]["sort"]), dataset.row_id(pair[1])), reverse=reverse)
    absent = sorted(((c, row) for c, row in keyed if c["missing"]), key=lambda pair: dataset.row_id(pair[1]))
    rows = [row for _, row in present + absent]  # a missing figure sorts last either way, as in the browser
    order = "descending" if reverse else "ascending"
    has_sources = dataset_name != "families"
    return {
        "dataset": dataset_name,
        "columns": [{"label": ctx.t(col.label), "numeric": col.numeric, "sorted": order if col is sorter else None}
                    for col in chosen],
        "rows": [{"id": dataset.row_id(row), "cells": [col.cell(row, ctx) for col in chosen],
                  "sources": [ctx.source(s) for s in dataset.sources(row, ctx, chosen)],
                  "facets": dataset.facets(row, ctx)} for row in rows],
        "source_label": ctx.t("col-source") if has_sources else None,
        "empty": ctx.t("table-empty"),
        "hint": ctx.t("table-scroll-hint"),
    }


def _sortable(value: Any) -> tuple:
    """Make mixed values comparable: numbers before text (missing figures are set apart before)."""
    return (0, value, "") if isinstance(value, (int, float)) else (1, 0, str(value))
