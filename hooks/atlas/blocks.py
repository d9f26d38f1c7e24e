"""Inline facts and citations, corrections, key-concept boxes, and the glossary and sources pages."""

from __future__ import annotations

from collections import defaultdict

from . import i18n
from .errors import unknown
from .markers import Marker, require, split_list
from .context import Context

# fact field -> (model attribute, source figure, formatter)
FACT_FIELDS = {
    "params": ("params_b", "params_b", i18n.fmt_params),
    "active": ("active_params_b", "active_params_b", i18n.fmt_params),
    "context": ("context_tokens", "context_tokens", i18n.fmt_context),
    "tokens": ("training_tokens_t", "training_tokens_t", i18n.fmt_tokens),
    "routed": ("moe.routed_experts", "moe", i18n.fmt_int),
    "activated": ("moe.activated_experts", "moe", i18n.fmt_int),
    "shared": ("moe.shared_experts", "moe", i18n.fmt_int),
}


def _model(ctx: Context, model_id: str):
    """A model by id, or a clear error."""
    if model_id not in ctx.catalog.models:
        raise ValueError(unknown("model", model_id, ctx.catalog.models, "expected an id from data/models.yaml"))
    return ctx.catalog.models[model_id]


def render_fact(marker: Marker, ctx: Context) -> str:
    """Expand inline `atlas:fact model=ID field=FIELD`: the value with its source link."""
    args = require(marker, {"model", "field"}, {"model", "field"})
    model = _model(ctx, args["model"])
    field = args["field"]
    if field == "released":
        if model.released is None:
            raise ValueError(f"model {model.id!r} has no release date")
        return ctx.render("fact.html", text=i18n.fmt_date(model.released, model.date_precision, ctx.lang),
                      datetime=model.released.isoformat(), source=ctx.source(model.source_of("released")))
    if field == "license":
        if model.license is None:
            return ctx.render("fact.html", text=ctx.t("weights-api"), datetime=None, source=ctx.source(model.source))
        return ctx.render("fact.html", text=ctx.pick(ctx.catalog.licenses[model.license].name), datetime=None,
                      source=ctx.source(model.source_of("license")))
    if field not in FACT_FIELDS:
        raise ValueError(unknown("field", field, ("released", "license", *FACT_FIELDS),
                                 f"expected one of: released, license, {', '.join(FACT_FIELDS)}"))
    path, figure, formatter = FACT_FIELDS[field]
    value = model
    for part in path.split("."):
        value = getattr(value, part, None) if value is not None else None
    if value is None:
        raise ValueError(f"model {model.id!r} has no value for {field!r}")
    return ctx.render("fact.html", text=formatter(value, ctx.lang), datetime=None, source=ctx.source(model.source_of(figure)))


def render_score(marker: Marker, ctx: Context) -> str:
    """Expand inline `atlas:score model=ID benchmark=ID [mode=...]`."""
    args = require(marker, {"model", "benchmark", "mode"}, {"model", "benchmark"})
    _model(ctx, args["model"])
    if args["benchmark"] not in ctx.catalog.benchmarks:
        raise ValueError(unknown("benchmark", args["benchmark"], ctx.catalog.benchmarks,
                                 "expected an id from data/benchmarks.yaml"))
    matches = [s for s in ctx.catalog.scores_of(args["model"], args["benchmark"])
               if args.get("mode") in (None, s.setting.mode)]
    if not matches:
        raise ValueError(f"no score for model {args['model']!r} on {args['benchmark']!r}"
                         + (f" in mode {args['mode']!r}" if "mode" in args else ""))
    if len(matches) > 1:
        raise ValueError(f"{len(matches)} scores match; add mode=... to choose one")
    return ctx.render("fact.html", text=i18n.fmt_score(matches[0].value, ctx.lang), datetime=None,
                  source=ctx.source(matches[0].source))


def render_src(marker: Marker, ctx: Context) -> str:
    """Expand inline `atlas:src id=SOURCE`: a bracketed citation link."""
    args = require(marker, {"id"}, {"id"})
    if args["id"] not in ctx.catalog.sources:
        raise ValueError(unknown("source", args["id"], ctx.catalog.sources, "add it to data/sources.yaml"))
    source = ctx.source(args["id"])
    return ctx.render("cite-inline.html", source=source)


def render_correction(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:correction id=ID`: what the article said and what the source says."""
    args = require(marker, {"id"}, {"id"})
    if args["id"] not in ctx.catalog.corrections:
        raise ValueError(unknown("correction", args["id"], ctx.catalog.corrections,
                                 "expected an id from data/corrections.yaml"))
    item = ctx.catalog.corrections[args["id"]]
    entry = ctx.catalog.ledger_entry_of(item.id)
    return ctx.render("correction.html", id=item.id, status=item.status,
                  ledger_href=None if entry is None else ctx.ledger_href(entry), ledger_label=ctx.t("correction-ledger"),
                  heading=ctx.t(f"correction-{item.status}"), claim_label=ctx.t("correction-claim"),
                  claim=ctx.pick(item.claim), verified_label=ctx.t(f"correction-verified-{item.status}"),
                  verified=ctx.pick(item.verified), sources_label=ctx.t("correction-sources"),
                  sources=[ctx.source(s) for s in item.sources])


def render_concepts(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:concepts terms=a,b`: the key-concepts box from the glossary."""
    args = require(marker, {"terms"}, {"terms"})
    terms = []
    for term_id in split_list(args["terms"]):
        if term_id not in ctx.catalog.terms:
            raise ValueError(unknown("glossary term", term_id, ctx.catalog.terms, "expected an id from data/glossary.yaml"))
        term = ctx.catalog.terms[term_id]
        terms.append({"name": ctx.pick(term.term), "definition": ctx.pick(term.definition),
                      "href": ctx.term_href(term_id)})
    return ctx.render("concepts.html", heading=ctx.t("key-concepts"), terms=terms)


def render_glossary(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:glossary`: every term, grouped by category, with anchors term-<id>."""
    require(marker, set())
    groups: dict[str, list] = defaultdict(list)
    for term in ctx.catalog.terms.values():
        groups[term.category].append(term)
    order = ("architecture", "moe", "training", "benchmark", "license", "deployment", "general")
    sections = []
    # a category the schema gains later is listed too, last: every term is findable here
    for category in [*(c for c in order if c in groups), *sorted(set(groups) - set(order))]:
        items = sorted(groups[category], key=lambda t: ctx.pick(t.term).lower())
        sections.append({
            "id": f"glossary-{category}", "title": ctx.t(f"category-{category}"),
            "terms": [{"id": t.id, "name": ctx.pick(t.term),
                       "other": t.term.en if ctx.lang == "zh" else t.term.zh,
                       "aliases": getattr(t.aliases, ctx.lang), "definition": ctx.pick(t.definition),
                       "see_also": [{"name": ctx.pick(ctx.catalog.terms[o].term), "href": f"#term-{o}"}
                                    for o in t.see_also],
                       "sources": [{**ctx.source(s), "name": ctx.pick(ctx.catalog.sources[s].title)}
                                   for s in t.sources]} for t in items]})
    return ctx.render("glossary.html", sections=sections, aliases_label=ctx.t("aliases"),
                  see_also_label=ctx.t("see-also"), sources_label=ctx.t("term-sources"),
                  separator="；" if ctx.lang == "zh" else "; ")


def render_sources(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:sources`: all sources grouped by publisher, each with title, date and link."""
    require(marker, set())
    groups: dict[str, list] = defaultdict(list)
    for source in ctx.catalog.sources.values():
        groups[ctx.pick(source.publisher)].append(source)
    publishers = []
    for index, name in enumerate(sorted(groups, key=str.lower)):
        items = sorted(groups[name], key=lambda s: (s.date.isoformat() if s.date else "", s.id))
        publishers.append({"name": name, "id": f"publisher-{index + 1}", "sources": [
            {"id": s.id, "title": ctx.pick(s.title), "url": s.url, "kind": ctx.t(f"kind-{s.kind}"),
             "date": i18n.fmt_date(s.date, "day", ctx.lang) if s.date else "",
             "datetime": s.date.isoformat() if s.date else ""} for s in items]})
    return ctx.render("sources.html", publishers=publishers, count=len(ctx.catalog.sources))
