"""The compare page: `<!-- atlas:model-compare -->`, every model's figures for a side-by-side view.

The reader picks two to four models in the browser (assets/javascripts/compare.js), so the page
carries the figures of all models as JSON, each already formatted for the page's language (the
script formats nothing) and each with its source. The same block lists every model by family with
a link to its page, which is what a reader without JavaScript gets.
"""

from __future__ import annotations

from typing import Any

from . import i18n
from .catalog import Model
from .context import Context
from .datasets import MODEL_COLUMNS, MOE_COLUMNS
from .markers import Marker, require
from .schema import BENCHMARK_CATEGORIES
from .selections import models_by_family, pick_score

# How many models the reader may put side by side.
MAX_CHOSEN = 4
# The model table columns shown as rows, in this order; then the expert counts and the architecture.
SPEC_COLUMNS = ("family", "variant", "released", "params", "active", "context", "tokens", "license", "weights")
MOE_SPEC_COLUMNS = ("routed", "activated", "shared")
# Interface strings the script shows, by the name it uses (data/ui.yaml keys).
SCRIPT_LABELS = {
    "specs": "model-specs", "benchmarks": "model-benchmarks", "field": "model-item",
    "no-value": "model-no-value", "no-score": "no-score", "chosen": "compare-chosen",
    "few": "compare-few", "full": "compare-full", "none-shared": "compare-none-shared",
    "shared-note": "compare-shared-note", "unknown": "compare-unknown", "remove": "compare-remove",
    "details": "compare-details", "filter": "compare-filter", "no-match": "compare-no-match",
}


def _checked_url(url: str, what: str) -> str:
    """An external link for the script, refused unless it is http(s).

    The schema already demands http(s) URLs; this check guards the JSON, which the page's link
    check (safety.unsafe_urls) cannot see inside its script element.
    """
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"{what}: only http(s) links can be shown, not {url!r}")
    return url


def _checked_source(source_id: str, ctx: Context, sources: dict[str, dict]) -> str:
    """Add a source to the page's table of sources (its link checked) and return its id."""
    if source_id not in sources:
        source = ctx.source(source_id)
        sources[source_id] = {"url": _checked_url(source["url"], f"source {source_id!r}"),
                              "label": source["label"], "title": source["title"]}
    return source_id


def _spec_rows(ctx: Context) -> list[dict[str, str]]:
    """The rows of the specification table: key and label."""
    rows = [{"key": key, "label": ctx.t(MODEL_COLUMNS[key].label)} for key in SPEC_COLUMNS]
    rows += [{"key": key, "label": ctx.t(MOE_COLUMNS[key].label)} for key in MOE_SPEC_COLUMNS]
    return rows + [{"key": "architecture", "label": ctx.t("model-architecture")}]


def _specs(model: Model, ctx: Context, sources: dict[str, dict]) -> dict[str, dict[str, str]]:
    """The model's figures by row key, as the model tables write them, each with its source id.

    A figure the data does not give is left out (the script shows 'no sourced figure').
    """
    specs: dict[str, dict[str, str]] = {}

    def put(key: str, text: str, figure: str | None) -> None:
        """Record one figure; `figure` names the model field whose source it cites (None: the main one)."""
        if text:
            source = model.source_of(figure) if figure else model.source
            specs[key] = {"text": text, "source": _checked_source(source, ctx, sources)}

    for key in SPEC_COLUMNS:
        column = MODEL_COLUMNS[key]
        put(key, column.cell(model, ctx)["text"], column.figure)
    if model.moe is not None:
        for key in MOE_SPEC_COLUMNS:
            column = MOE_COLUMNS[key]
            put(key, column.cell(model, ctx)["text"], column.figure)
    if model.architecture is not None:
        put("architecture", ctx.pick(model.architecture), "architecture")
    return specs


def _setting(score, ctx: Context) -> str:
    """The setting a score was measured in: mode, then shots, tools and the note when given."""
    setting = score.setting
    colon = i18n.colon(ctx.lang)
    parts = [ctx.t(f"mode-{setting.mode}")]
    if setting.shots is not None:
        parts.append(f"{ctx.t('col-shots')}{colon}{setting.shots}")
    if setting.tools:
        parts.append(f"{ctx.t('col-tools')}{colon}{ctx.t('yes')}")
    if setting.note:
        parts.append(ctx.pick(setting.note))
    return " · ".join(parts)


def _scores(model: Model, ctx: Context, sources: dict[str, dict]) -> dict[str, dict[str, str]]:
    """The one score the site shows for each benchmark the model has (selections.pick_score)."""
    scores = {}
    for bench_id in dict.fromkeys(score.benchmark for score in ctx.catalog.scores_of(model.id)):
        score = pick_score(ctx.catalog, model.id, bench_id)
        if score is not None:
            scores[bench_id] = {"text": i18n.fmt_score(score.value, ctx.lang), "setting": _setting(score, ctx),
                                "source": _checked_source(score.source, ctx, sources),
                                "locator": score.locator or ""}
    return scores


def _benchmarks(ctx: Context) -> list[dict[str, Any]]:
    """Every benchmark, by category and then name (the order of the model pages)."""
    benches = sorted(ctx.catalog.benchmarks.values(),
                     key=lambda b: (BENCHMARK_CATEGORIES.index(b.category), b.name.lower(), b.id))
    rows = []
    for bench in benches:
        href = ctx.benchmark_href(bench) or ""
        if bench.id not in ctx.catalog.terms and href:  # not the glossary: the benchmark's own site
            href = _checked_url(href, f"benchmark {bench.id!r}")
        rows.append({"id": bench.id, "name": bench.name, "href": href,
                     "category": ctx.t(f"bench-category-{bench.category}")})
    return rows


def compare_data(ctx: Context, grouped: list[tuple[Any, list[Model]]]) -> dict[str, Any]:
    """What the script needs, in the page's language: labels, rows, every model's figures and the
    sources; `grouped` is selections.models_by_family of the catalog."""
    sources: dict[str, dict] = {}
    models = []
    for family, members in grouped:
        for model in members:
            models.append({"id": model.id, "name": model.name, "href": ctx.model_href(model.id),
                           "family": ctx.pick(family.name), "specs": _specs(model, ctx, sources),
                           "scores": _scores(model, ctx, sources)})
    return {"max": MAX_CHOSEN, "colon": i18n.colon(ctx.lang), "separator": i18n.list_separator(ctx.lang),
            "labels": {name: ctx.t(key) for name, key in SCRIPT_LABELS.items()},
            "specs": _spec_rows(ctx), "benchmarks": _benchmarks(ctx), "models": models, "sources": sources}


def compare_view(ctx: Context) -> dict[str, Any]:
    """Everything model-compare.html shows: the static list of models, the labels and the script's data."""
    grouped = models_by_family(ctx.catalog)
    families = [{"id": family.id, "name": ctx.pick(family.name),
                 "models": [{"id": m.id, "name": m.name, "href": ctx.model_href(m.id)} for m in members]}
                for family, members in grouped]
    labels = {key: ctx.t(f"compare-{key}") for key in ("nojs", "models", "filter", "results")}
    return {"families": families, "labels": labels, "data": compare_data(ctx, grouped),
            "script": ctx.root_href("assets/javascripts/compare.js")}


def render_model_compare(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:model-compare`: the picker, the side-by-side tables and the list of all models."""
    require(marker, set())
    return ctx.render("model-compare.html", **compare_view(ctx))
