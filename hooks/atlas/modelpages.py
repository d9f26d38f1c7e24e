"""Model markers: `atlas:model id=...`, the body of a model's own page, and `atlas:model-index`.

Every model's page is a generated stub (stubs.py) that holds one `atlas:model` marker.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from markupsafe import Markup

from . import i18n
from .catalog import Catalog, Model
from .context import Context, sort_key
from .datasets import model_facets, table_view
from .errors import unknown
from .markers import Marker, require
from .schema import BENCHMARK_CATEGORIES, MODES
from .selections import models_by_family
from .stubs import STUB_DIR


def charts_of(model_id: str, ctx: Context) -> list[dict[str, str]]:
    """The charts that plot this model, each linked to the page that shows it."""
    found = []
    for chart in ctx.catalog.charts.values():
        href = ctx.shown_on("chart", chart.id, f"chart-{chart.id}")
        if href is not None and model_id in ctx.site.plotted.get(chart.id, ()):
            found.append({"title": ctx.pick(chart.title), "href": href})
    return found


# ---------------------------------------------------------------------------
# The model page
# ---------------------------------------------------------------------------


def _spec(key: str, label: str, text: str, source: dict | None, **extra: Any) -> dict[str, Any]:
    """One row of the specification table; an empty text means 'no sourced figure'."""
    return {"key": key, "label": label, "text": text, "source": source if text else None,
            "missing": not text, **extra}


def _specs(model: Model, ctx: Context) -> list[dict[str, Any]]:
    """Family, developer, type, date, sizes, context, data, licence and weights, each with its source."""
    catalog = ctx.catalog
    cite = lambda figure: ctx.source(model.source_of(figure))  # noqa: E731
    family = catalog.families[model.family]
    rows = [
        _spec("family", ctx.t("col-family"), ctx.pick(family.name), None,
              href=ctx.href(f"{STUB_DIR}/index.md", f"family-{family.id}")),
        _spec("developer", ctx.t("model-developer"), ctx.pick(model.developer), ctx.source(model.source)),
        _spec("variant", ctx.t("col-variant"), ctx.t(f"variant-{model.variant}"), ctx.source(model.source)),
        _spec("released", ctx.t("col-released"), i18n.fmt_date(model.released, model.date_precision, ctx.lang),
              cite("released"), datetime=i18n.iso_date(model.released, model.date_precision)),
        _spec("params", ctx.t("col-params"), i18n.fmt_params(model.params_b, ctx.lang), cite("params_b")),
    ]
    if model.active_params_b is not None or model.moe is not None:
        rows.append(_spec("active", ctx.t("col-active"), i18n.fmt_params(model.active_params_b, ctx.lang),
                          cite("active_params_b")))
    rows += [
        _spec("context", ctx.t("col-context"), i18n.fmt_context(model.context_tokens, ctx.lang),
              cite("context_tokens")),
        _spec("tokens", ctx.t("col-tokens"), i18n.fmt_tokens(model.training_tokens_t, ctx.lang),
              cite("training_tokens_t")),
    ]
    if model.license is not None:
        licence = catalog.licenses[model.license]
        rows.append(_spec("license", ctx.t("col-license"), ctx.pick(licence.name), cite("license"),
                          href=ctx.href("licenses.md")))
    else:
        rows.append(_spec("license", ctx.t("col-license"), ctx.t("weights-api"), ctx.source(model.source)))
    rows.append(_spec("weights", ctx.t("col-weights"), ctx.t(f"weights-{model.weights}"), ctx.source(model.source)))
    return rows


def _moe(model: Model, ctx: Context) -> dict[str, Any] | None:
    """The expert configuration, with its source."""
    if model.moe is None:
        return None
    return {"rows": [{"label": ctx.t("col-routed"), "value": i18n.fmt_int(model.moe.routed_experts, ctx.lang)},
                     {"label": ctx.t("col-activated"), "value": i18n.fmt_int(model.moe.activated_experts, ctx.lang)},
                     {"label": ctx.t("col-shared"), "value": i18n.fmt_int(model.moe.shared_experts, ctx.lang)}],
            "source": ctx.source(model.source_of("moe"))}


def _scores(model: Model, ctx: Context) -> list[dict[str, Any]]:
    """Every score of the model, grouped by benchmark category, with its setting and source."""
    catalog = ctx.catalog
    scores = catalog.scores_of(model.id)

    def order(score):
        """Sort scores by benchmark category, then benchmark, then setting."""
        bench = catalog.benchmarks[score.benchmark]
        category = BENCHMARK_CATEGORIES.index(bench.category)
        mode = MODES.index(score.setting.mode)
        return (category, bench.name.lower(), mode, score.setting.shots or 0, score.setting.tools)

    rows = []
    for score in sorted(scores, key=order):
        bench = catalog.benchmarks[score.benchmark]
        setting = score.setting
        rows.append({
            "benchmark": bench.name, "href": ctx.benchmark_href(bench),
            "category": ctx.t(f"bench-category-{bench.category}"),
            "value": i18n.fmt_score(score.value, ctx.lang), "value_key": sort_key(score.value),
            "mode": ctx.t(f"mode-{setting.mode}"),
            "shots": "" if setting.shots is None else str(setting.shots),
            "tools": ctx.t("yes") if setting.tools else ctx.t("no"),
            "note": ctx.pick(setting.note) if setting.note else "",
            "source": ctx.source(score.source), "locator": score.locator or "",
        })
    return rows


def _link(model: Model, ctx: Context) -> dict[str, Any]:
    """A link to another model's page, with what kind of model it is and when it came out."""
    return {"name": model.name, "href": ctx.model_href(model.id), "variant": ctx.t(f"variant-{model.variant}"),
            "released": i18n.fmt_date(model.released, model.date_precision, ctx.lang),
            "datetime": i18n.iso_date(model.released, model.date_precision)}


def related_models(model: Model, catalog: Catalog) -> dict[str, list[Model]]:
    """Base model, variants, and other related models (the `related` lists, read both ways)."""
    base = [catalog.models[model.base_model]] if model.base_model in catalog.models else []
    variants = catalog.variants_of(model.id)
    taken = {model.id, *(m.id for m in base), *(m.id for m in variants)}
    others = [catalog.models[i] for i in model.related if i in catalog.models]
    others += catalog.referrers_of(model.id)
    unique = {m.id: m for m in others if m.id not in taken}
    return {"base": base, "variants": variants,
            "related": sorted(unique.values(), key=lambda m: (str(m.released or ""), m.id))}


def _related(model: Model, ctx: Context) -> list[dict[str, Any]]:
    """The related-model groups that are not empty, labelled."""
    groups = related_models(model, ctx.catalog)
    return [{"label": ctx.t(f"model-rel-{kind}"), "models": [_link(m, ctx) for m in members]}
            for kind, members in groups.items() if members]


def _releases(model: Model, ctx: Context) -> list[dict[str, Any]]:
    """The timeline events that include this model."""
    return [{"id": r.id, "title": ctx.pick(r.title), "date": i18n.fmt_date(r.date, r.date_precision, ctx.lang),
             "datetime": i18n.iso_date(r.date, r.date_precision), "approximate": ctx.t("approximate") if r.approximate else "",
             "sources": [ctx.source(s) for s in (r.source, *r.extra_sources)]}
            for r in ctx.catalog.releases_of(model.id)]


def model_view(model: Model, ctx: Context) -> dict[str, Any]:
    """Everything model.html shows, already localized."""
    labels = {key: ctx.t(f"model-{key}") for key in (
        "specs", "item", "value", "no-value", "architecture", "notes", "moe", "benchmarks", "related",
        "releases", "charts", "data", "generated", "edit", "data-page", "source", "compare")}
    labels.update({key: ctx.t(key) for key in (
        "col-source", "col-benchmark", "col-score", "col-mode", "col-shots", "col-tools", "col-summary")})
    return {
        "model": {"id": model.id, "name": model.name},
        "labels": labels,
        "specs": _specs(model, ctx),
        "architecture": ctx.pick(model.architecture) if model.architecture else "",
        "notes": ctx.pick(model.notes) if model.notes else "",
        "moe": _moe(model, ctx),
        "scores": _scores(model, ctx),
        "related": _related(model, ctx),
        "releases": _releases(model, ctx),
        "charts": charts_of(model.id, ctx),
        "links": {"json": ctx.root_href("data/models.json"), "csv": ctx.root_href("data/models.csv"),
                  "data": ctx.href("data.md"), "contributing": ctx.href("contributing.md"),
                  "compare": ctx.compare_href(model.id)},
    }


def render_model(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:model id=ID`: the whole body of a model's own page."""
    args = require(marker, {"id"}, {"id"})
    if args["id"] not in ctx.catalog.models:
        raise ValueError(unknown("model", args["id"], ctx.catalog.models, "expected an id from data/models.yaml"))
    return ctx.render("model.html", **model_view(ctx.catalog.models[args["id"]], ctx))


# ---------------------------------------------------------------------------
# The model index
# ---------------------------------------------------------------------------


def _family_table(family_id: str, models: list[Model], ctx: Context) -> Markup:
    """The models table of one family, from the shared table model and template."""
    columns = ["name", "variant", "released", "params"]
    if any(m.active_params_b is not None for m in models):
        columns.append("active")
    columns += ["context", "license"]
    table = table_view("models", ctx, columns, {"family": {family_id}}, "released")
    return Markup(ctx.render("table.html", table=table, caption=None))


def render_model_index(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:model-index`: every model by family (families in order), then by release date."""
    require(marker, set())
    catalog = ctx.catalog
    groups = {"qwen": [], "peers": []}
    for family, members in models_by_family(catalog):
        groups["qwen" if family.qwen else "peers"].append({
            "id": family.id, "name": ctx.pick(family.name), "description": ctx.pick(family.description),
            "count": len(members), "table": _family_table(family.id, members, ctx)})
    years: dict[str, list[dict]] = defaultdict(list)
    for model in sorted(catalog.models.values(), key=lambda m: (str(m.released or ""), m.id), reverse=True):
        family = catalog.families[model.family]
        years[str(model.released.year) if model.released else ""].append(
            {**_link(model, ctx), "family": ctx.pick(family.name), "facets": model_facets(model)})
    dated = [{"year": year, "id": f"released-{year}", "models": items} for year, items in years.items() if year]
    qwen_count = sum(group["count"] for group in groups["qwen"])
    summary = i18n.fill("index-summary", ctx.t("index-summary"), models=len(catalog.models), qwen=qwen_count,
                        families=len(groups["qwen"]))
    labels = {key: ctx.t(f"index-{key}") for key in ("by-family", "peers", "peers-note", "by-date", "undated")}
    return ctx.render("model-index.html", summary=summary, labels=labels, qwen=groups["qwen"], peers=groups["peers"],
                  years=dated, undated=years.get("", []))
