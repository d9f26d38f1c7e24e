"""Table markers: `<!-- atlas:table dataset=... columns=... filter=... sort=... -->` and `atlas:compare`."""

from __future__ import annotations

from . import i18n
from .context import Context
from .datasets import dataset_named, model_name_cell, parse_filters, table_view
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
                cells.append({"text": i18n.fmt_score(score.value, ctx.lang), "source": ctx.source(score.source),
                              "note": mode_label + (f" · {score.locator}" if score.locator else "")})
            else:
                cells.append({"text": "", "source": None, "note": ctx.t("no-score")})
        rows.append({"model": model_name_cell(catalog.models[model_id], ctx), "cells": cells})
    if not found:
        raise ValueError("no score matches these models and benchmarks")
    return {"benchmarks": [catalog.benchmarks[b].name for b in bench_ids], "rows": rows,
            "model_label": ctx.t("col-model"), "missing": ctx.t("no-score")}


def render_compare(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:compare`."""
    args = require(marker, {"models", "benchmarks", "mode"}, {"models", "benchmarks"})
    mode = args.get("mode")
    if mode is not None and mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of: {', '.join(MODES)}")
    view = compare_view(ctx, split_list(args["models"]), split_list(args["benchmarks"]), mode)
    return ctx.render("compare.html", table=view)
