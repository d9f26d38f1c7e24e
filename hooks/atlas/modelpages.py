"""Per-model pages: generated stub files that hold one marker, the page body they expand to, and the index.

Every model in data/models.yaml gets `content/models/<id>.md` and `<id>.en.md`, each holding a title
and `<!-- atlas:model id=... -->`. The stubs are written at build time (and gitignored), so adding
a model to the YAML is all it takes to get its page in both languages.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from markupsafe import Markup

from . import i18n, tables
from .catalog import Catalog, Model
from .markers import Marker, MarkerError, find_markers, require
from .render import Context, render

STUB_DIR = "models"
STUB_HEADER = "<!-- generated from data/models.yaml by hooks/atlas/modelpages.py; do not edit -->\n"
CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
# Benchmark categories in the order the model page lists them.
CATEGORY_ORDER = ("knowledge", "reasoning", "math", "code", "alignment", "agent", "multilingual")
MODE_ORDER = ("base", "instruct", "non-thinking", "thinking")


# ---------------------------------------------------------------------------
# Stub pages
# ---------------------------------------------------------------------------


def md_text(text: str) -> str:
    """Escape what Markdown would read as formatting in a heading (HTML escaping is left to Jinja).

    Line breaks of every kind become spaces: a heading is one line, and text on the next line
    would be read as Markdown blocks (lists, headings, code).
    """
    one_line = " ".join(part.strip() for part in text.splitlines() if part.strip())  # \r, \x85, \u2028 ...
    return re.sub(r"([\\`*_\[\]{}#])", r"\\\1", one_line)


def stub_pages(catalog: Catalog) -> dict[str, str]:
    """The generated Markdown files: `models/<id>.md` and `models/<id>.en.md`, one marker each."""
    pages = {}
    for model in catalog.models.values():
        for suffix in ("", ".en"):
            # the H1 comes first: MkDocs takes a page's title only from a leading H1
            pages[f"{STUB_DIR}/{model.id}{suffix}.md"] = (
                f"# {md_text(html.escape(model.name, quote=False))}\n\n{STUB_HEADER}\n"
                f"<!-- atlas:model id={model.id} -->\n")
    return pages


def sync_stub_pages(docs_dir: Path, catalog: Catalog) -> int:
    """Write stubs that changed and delete stale ones; returns how many files changed.

    Writing only on change matters: `mkdocs serve` watches docs_dir and would otherwise loop.
    A file that is not a generated stub (it lacks STUB_HEADER, e.g. models/index.md) is never
    deleted or overwritten; a model id that would collide with one is an error.
    """
    wanted = stub_pages(catalog)
    changed = 0
    folder = docs_dir / STUB_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for existing in sorted(folder.glob("*.md")):
        relative = f"{STUB_DIR}/{existing.name}"
        if relative not in wanted and _is_stub(existing):
            existing.unlink()
            changed += 1
    for relative, text in wanted.items():
        target = docs_dir / relative
        if target.exists():
            if not _is_stub(target):
                raise ValueError(f"content/{relative} is not a generated page; a model id may not collide "
                                 f"with it (rename the model id in data/models.yaml)")
            if target.read_text(encoding="utf-8") == text:
                continue
        target.write_bytes(text.encode("utf-8"))
        changed += 1
    return changed


def _is_stub(path: Path) -> bool:
    """True if the file was written by sync_stub_pages."""
    with path.open(encoding="utf-8") as handle:
        return STUB_HEADER in handle.read(4096)


# ---------------------------------------------------------------------------
# Which charts show a model
# ---------------------------------------------------------------------------


def chart_models(chart_id: str, catalog: Catalog) -> set[str]:
    """The ids of the models a chart plots (computed once per catalog and chart)."""
    from . import charts  # imported late: the chart module is another renderer of the same pages

    key = id(catalog)
    if key not in _chart_models_cache:
        _chart_models_cache.clear()  # one catalog per build: keep only the current one
        _chart_models_cache[key] = (catalog, {})
    cached = _chart_models_cache[key][1]
    if chart_id not in cached:
        cached[chart_id] = charts.plotted_model_ids(chart_id, catalog)
    return cached[chart_id]


_chart_models_cache: dict[int, tuple[Catalog, dict[str, set[str]]]] = {}


_marker_pages_cache: dict[str, dict[tuple[str, str], str]] = {}


def forget_marker_pages() -> None:
    """Drop the scanned markers: called before each build, as pages may have changed since."""
    _marker_pages_cache.clear()


def marker_pages(kind: str, content_dir: Path = CONTENT_DIR) -> dict[str, str]:
    """id -> the (Chinese) page that holds `<!-- atlas:KIND id=... -->`, e.g. where a chart is shown.

    The pages are scanned once until `forget_marker_pages()` (checking them for changes on every
    call cost a directory listing per model page).
    """
    key = str(content_dir)
    if key not in _marker_pages_cache:
        found: dict[tuple[str, str], str] = {}
        for path in sorted(content_dir.glob("*.md")):
            if path.name.endswith(".en.md"):
                continue
            try:
                markers = find_markers(path.read_text(encoding="utf-8"), path.name)
            except MarkerError:
                continue  # that page's own build reports the broken marker, naming its line
            for marker in markers:
                if "id" in marker.args:
                    found.setdefault((marker.kind, marker.args["id"]), path.name)
        _marker_pages_cache[key] = found
    return {item: page for (marker_kind, item), page in _marker_pages_cache[key].items() if marker_kind == kind}


def charts_of(model_id: str, ctx: Context) -> list[dict[str, str]]:
    """The charts that plot this model, each linked to the page that shows it."""
    pages = marker_pages("chart")
    found = []
    for chart in ctx.catalog.charts.values():
        if chart.id in pages and model_id in chart_models(chart.id, ctx.catalog):
            found.append({"title": ctx.pick(chart.title), "href": ctx.href(pages[chart.id], f"chart-{chart.id}")})
    return found


# ---------------------------------------------------------------------------
# The model page
# ---------------------------------------------------------------------------


def iso(value, precision: str = "day") -> str:
    """A machine-readable date for <time datetime>: 'YYYY-MM' when only the month is sourced."""
    if value is None:
        return ""
    return value.isoformat()[:7] if precision == "month" else value.isoformat()


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
              cite("released"), datetime=iso(model.released, model.date_precision)),
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


def _benchmark_href(benchmark, ctx: Context) -> str | None:
    """A benchmark's glossary entry if it has one, else its own web page."""
    if benchmark.id in ctx.catalog.terms:
        return ctx.term_href(benchmark.id)
    return benchmark.url


def _scores(model: Model, ctx: Context) -> list[dict[str, Any]]:
    """Every score of the model, grouped by benchmark category, with its setting and source."""
    catalog = ctx.catalog
    scores = catalog.scores_of(model.id)

    def order(score):
        """Sort scores by benchmark category, then benchmark, then setting."""
        bench = catalog.benchmarks[score.benchmark]
        category = CATEGORY_ORDER.index(bench.category) if bench.category in CATEGORY_ORDER else 99
        mode = MODE_ORDER.index(score.setting.mode) if score.setting.mode in MODE_ORDER else 99
        return (category, bench.name.lower(), mode, score.setting.shots or 0, score.setting.tools)

    rows = []
    for score in sorted(scores, key=order):
        bench = catalog.benchmarks[score.benchmark]
        setting = score.setting
        rows.append({
            "benchmark": bench.name, "href": _benchmark_href(bench, ctx),
            "category": ctx.t(f"bench-category-{bench.category}"),
            "value": i18n.fmt_score(score.value, ctx.lang),
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
            "datetime": iso(model.released, model.date_precision)}


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
             "datetime": iso(r.date, r.date_precision), "approximate": ctx.t("approximate") if r.approximate else "",
             "sources": [ctx.source(s) for s in (r.source, *r.extra_sources)]}
            for r in ctx.catalog.releases_of(model.id)]


def model_view(model: Model, ctx: Context) -> dict[str, Any]:
    """Everything model.html shows, already localized."""
    labels = {key: ctx.t(f"model-{key}") for key in (
        "specs", "item", "value", "no-value", "architecture", "notes", "moe", "benchmarks", "related",
        "releases", "charts", "data", "generated", "edit", "data-page", "source")}
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
        "links": {"json": root_href(ctx, "data/models.json"), "csv": root_href(ctx, "data/models.csv"),
                  "data": ctx.href("data.md"), "contributing": ctx.href("contributing.md")},
    }


def root_href(ctx: Context, path: str) -> str:
    """A relative link from the page to a file at the site root: downloads exist only at /data/.

    From /data/ (content/data.md) that is '../data/x'; from /en/data/ it is '../../data/x'.
    """
    depth = i18n.page_url(ctx.page).count("/") + (0 if ctx.lang == i18n.DEFAULT_LANG else 1)
    return "../" * depth + path


def render_model(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:model id=ID`: the whole body of a model's own page."""
    args = require(marker, {"id"}, {"id"})
    if args["id"] not in ctx.catalog.models:
        raise ValueError(f"unknown model {args['id']!r}; expected an id from data/models.yaml")
    return render("model.html", **model_view(ctx.catalog.models[args["id"]], ctx))


# ---------------------------------------------------------------------------
# The model index
# ---------------------------------------------------------------------------


def _family_table(family_id: str, models: list[Model], ctx: Context) -> Markup:
    """The models table of one family, from the shared table model and template."""
    columns = ["name", "variant", "released", "params"]
    if any(m.active_params_b is not None for m in models):
        columns.append("active")
    columns += ["context", "license"]
    table = tables.table_model("models", ctx, columns, {"family": {family_id}}, "released")
    return Markup(render("table.html", table=table, caption=None))


def render_model_index(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:model-index`: every model by family (families in order), then by release date."""
    require(marker, set())
    catalog = ctx.catalog
    by_family: dict[str, list[Model]] = defaultdict(list)
    for model in catalog.models.values():
        by_family[model.family].append(model)
    families = sorted((f for f in catalog.families.values() if by_family.get(f.id)), key=lambda f: (f.order, f.id))
    groups = {"qwen": [], "peers": []}
    for family in families:
        groups["qwen" if family.qwen else "peers"].append({
            "id": family.id, "name": md_text(ctx.pick(family.name)), "description": ctx.pick(family.description),
            "count": len(by_family[family.id]), "table": _family_table(family.id, by_family[family.id], ctx)})
    years: dict[str, list[dict]] = defaultdict(list)
    for model in sorted(catalog.models.values(), key=lambda m: (str(m.released or ""), m.id), reverse=True):
        family = catalog.families[model.family]
        years[str(model.released.year) if model.released else ""].append(
            {**_link(model, ctx), "family": ctx.pick(family.name)})
    dated = [{"year": year, "id": f"released-{year}", "models": items} for year, items in years.items() if year]
    qwen_count = sum(len(by_family[f["id"]]) for f in groups["qwen"])
    summary = ctx.t("index-summary").format(models=len(catalog.models), qwen=qwen_count,
                                            families=len(groups["qwen"]))
    labels = {key: ctx.t(f"index-{key}") for key in ("by-family", "peers", "peers-note", "by-date", "undated")}
    return render("model-index.html", summary=summary, labels=labels, qwen=groups["qwen"], peers=groups["peers"],
                  years=dated, undated=years.get("", []))
