"""Table markers: `<!-- atlas:table dataset=... columns=... filter=... sort=... -->`, `atlas:compare`
and `atlas:filter`, the reader's filter over the models and scores tables of a page."""

from __future__ import annotations

from . import i18n
from .context import Context, sort_key
from .datasets import FACETS, SIZE_RANGE_BOUNDS, dataset_named, model_facets, model_name_cell, parse_filters, table_view
from .errors import unknown
from .markers import Marker, require, split_list
from .schema import MODES


def render_table(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:table`."""
    args = require(marker, {"dataset", "columns", "filter", "sort", "caption"}, {"dataset"})
    dataset = args["dataset"]
    filters = parse_filters(args.get("filter", ""), set(dataset_named(dataset).filter_names))
    view = table_view(dataset, ctx, split_list(args["columns"]) if "columns" in args else None,
                      filters, args.get("sort"))
    if not view["rows"]:
        raise ValueError(f"the filter {args.get('filter')!r} matches no row of dataset {dataset}")
    return ctx.render("table.html", table=view, caption=None)


def compare_view(ctx: Context, model_ids: list[str], bench_ids: list[str], mode: str | None) -> dict:
    """A model x benchmark pivot: each cell is a score with its own source."""
    catalog = ctx.catalog
    for model_id in model_ids:
        if model_id not in catalog.models:
            raise ValueError(unknown("model", model_id, catalog.models, "expected an id from data/models.yaml"))
    for bench_id in bench_ids:
        if bench_id not in catalog.benchmarks:
            raise ValueError(unknown("benchmark", bench_id, catalog.benchmarks,
                                     "expected an id from data/benchmarks.yaml"))
    rows = []
    found = 0
    for model_id in model_ids:
        cells = []
        for bench_id in bench_ids:
            matches = [s for s in catalog.scores_of(model_id, bench_id) if mode is None or s.setting.mode == mode]
            if matches:
                score = matches[0]
                found += 1
                mode_label = ctx.t(f"mode-{score.setting.mode}")
                cells.append({"text": i18n.fmt_score(score.value, ctx.lang), "key": sort_key(score.value),
                              "source": ctx.source(score.source),
                              "note": mode_label + (f" · {score.locator}" if score.locator else "")})
            else:
                cells.append({"text": "", "key": "", "source": None, "note": ctx.t("no-score")})
        model = catalog.models[model_id]
        rows.append({"model": model_name_cell(model, ctx), "cells": cells, "facets": model_facets(model)})
    if not found:
        raise ValueError("no score matches these models and benchmarks")
    return {"benchmarks": [catalog.benchmarks[b].name for b in bench_ids], "rows": rows,
            "model_label": ctx.t("col-model"), "missing": ctx.t("no-score"), "empty": ctx.t("table-empty"),
            "hint": ctx.t("table-scroll-hint")}


def render_compare(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:compare`."""
    args = require(marker, {"models", "benchmarks", "mode"}, {"models", "benchmarks"})
    mode = args.get("mode")
    if mode is not None and mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of: {', '.join(MODES)}")
    view = compare_view(ctx, split_list(args["models"]), split_list(args["benchmarks"]), mode)
    return ctx.render("compare.html", table=view)


def _size_label(low: float | None, high: float | None, ctx: Context) -> str:
    """'< 10B', '10B–40B', '≥ 100B' (in Chinese '< 100 亿', ...), from the bounds of a size range."""
    if low is None:
        return f"< {i18n.fmt_params(float(high), ctx.lang)}"
    if high is None:
        return f"≥ {i18n.fmt_params(float(low), ctx.lang)}"
    return f"{i18n.fmt_params(float(low), ctx.lang)}–{i18n.fmt_params(float(high), ctx.lang)}"


def filter_view(ctx: Context) -> dict:
    """The reader's filter: a search box and one select per facet, with every value the catalog's
    models have (tables.js drops the values no row of the page has)."""
    catalog = ctx.catalog
    present = {name: {model_facets(m).get(name) for m in catalog.models.values()} for name in FACETS}
    families = sorted((f for f in catalog.families.values() if f.id in present["family"]), key=lambda f: (f.order, f.id))
    licences = sorted((l for l in catalog.licenses.values() if l.id in present["license"]),
                      key=lambda l: (ctx.pick(l.name).casefold(), l.id))
    options = {
        "family": [(f.id, ctx.pick(f.name)) for f in families],
        "weights": [(w, ctx.t(f"weights-{w}")) for w in ("open", "api") if w in present["weights"]],
        "license": [(l.id, ctx.pick(l.name)) for l in licences],
        "size": [(size, _size_label(low, high, ctx)) for size, low, high in SIZE_RANGE_BOUNDS
                 if size in present["size"]],
        "arch": [(arch, ctx.t(f"filter-arch-{arch}")) for arch in ("dense", "moe")],
    }
    labels = {"family": ctx.t("col-family"), "weights": ctx.t("col-weights"), "license": ctx.t("col-license"),
              "size": ctx.t("filter-size"), "arch": ctx.t("filter-arch")}
    return {
        "facets": [{"name": name, "label": labels[name],
                    "options": [{"value": value, "label": label} for value, label in options[name]]}
                   for name in FACETS],
        "labels": {key: ctx.t(f"filter-{key}") for key in (
            "legend", "search", "search-placeholder", "all", "shown", "none", "clear")},
    }


def render_filter(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:filter`: the filter box and facets over the page's models and scores tables."""
    require(marker, set())
    return ctx.render("table-filter.html", filter=filter_view(ctx))
