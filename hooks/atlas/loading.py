"""From the bytes of the files in `data/` to a checked `Catalog`: parse, validate, inherit, cross-check.

Every problem found is collected with its file, line and field; `load_catalog` raises one
`DataError` listing them all, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import re
import string
from contextlib import contextmanager
from typing import Any, Iterator

from .catalog import Catalog, Model, used_sources
from .documents import Located, format_path, read_all
from .errors import DataError, Problem
from .i18n import LANGS, UI_PLACEHOLDERS
from .datafiles import (FILES, BenchmarksFile, ChartsFile, ChangelogFile, CorrectionsFile, FactcheckFile,
                        GlossaryFile, LicensesFile, ModelsFile, ReleasesFile, SourcesFile, UiFile)
from .schema import ModelEntry

# Fields a variant inherits from its base model when it leaves them out.
INHERITED = ("family", "developer", "variant", "released", "date_precision", "params_b",
             "active_params_b", "context_tokens", "training_tokens_t", "license", "weights",
             "architecture", "moe", "source")
# Fields that must be known once inheritance is applied.
REQUIRED = ("family", "developer", "variant", "weights", "source")
# Fields that carry a figure and may name their own source in `field_sources`.
FIGURES = ("released", "params_b", "active_params_b", "context_tokens", "training_tokens_t",
           "license", "moe")


def _by_id(items, stem: str, key: str, located: Located | None, problems: list[Problem]) -> dict[str, Any]:
    """Index a list by id; a repeated id is a problem on the repeating line."""
    index: dict[str, Any] = {}
    for position, item in enumerate(items):
        if item.id in index:
            line = located.line((key, position, "id")) if located else 0
            problems.append(Problem(f"data/{stem}.yaml", line, f"{key}[{position}].id",
                                    f"duplicate id {item.id!r}: ids must be unique"))
        else:
            index[item.id] = item
    return index


class _Checker:
    """Collects reference and plausibility problems with the line of the offending field."""

    def __init__(self, located: dict[str, Located], problems: list[Problem]):
        """Keep the line maps and the shared problem list."""
        self.located = located
        self.problems = problems

    def add(self, stem: str, path: tuple, message: str) -> None:
        """Record a problem at `path` in data/<stem>.yaml."""
        where = self.located.get(stem)
        line = where.line(path) if where else 0
        self.problems.append(Problem(f"data/{stem}.yaml", line, format_path(path), message))

    def ref(self, stem: str, path: tuple, value: str | None, index: dict[str, Any], what: str) -> None:
        """Check that `value` names an existing entry of `index`."""
        if value is not None and value not in index:
            self.add(stem, path, f"unknown {what} {value!r}; expected one of the ids in data/{what}s.yaml"
                     if what != "source" else f"unknown source {value!r}; add it to data/sources.yaml")


def _resolve_models(entries: list[ModelEntry], check: _Checker) -> dict[str, Model]:
    """Apply base_model inheritance, detecting unknown bases and cycles."""
    raw = {entry.id: (position, entry) for position, entry in enumerate(entries)}
    resolved: dict[str, Model] = {}

    def resolve(model_id: str, chain: tuple[str, ...]) -> dict[str, Any] | None:
        """The model's values with its base chain applied, or None after reporting a problem."""
        position, entry = raw[model_id]
        values = {name: getattr(entry, name) for name in ModelEntry.model_fields}
        if entry.base_model is None:
            return values
        if entry.base_model not in raw:
            check.add("models", ("models", position, "base_model"),
                      f"unknown model {entry.base_model!r}; expected the id of another model")
            return None
        if entry.base_model in chain:
            check.add("models", ("models", position, "base_model"),
                      "base_model forms a cycle: " + " -> ".join((*chain, entry.base_model)))
            return None
        parent = resolve(entry.base_model, (*chain, entry.base_model))
        if parent is None:
            return None
        for name in INHERITED:
            if values[name] is None:
                values[name] = parent[name]
        if "field_sources" not in entry.model_fields_set:
            values["field_sources"] = dict(parent["field_sources"])
        return values

    for model_id, (position, entry) in raw.items():
        values = resolve(model_id, (model_id,))
        if values is None:
            continue
        missing = [name for name in REQUIRED if values[name] is None]
        for name in missing:
            check.add("models", ("models", position),
                      f"{name}: required (not set here and not inherited from a base_model)")
        if missing:
            continue
        values["date_precision"] = values["date_precision"] or "day"
        values["related"] = tuple(values["related"])
        resolved[model_id] = Model(**values)
    return resolved


def _check_models(models: dict[str, Model], entries: list[ModelEntry], catalog_parts: dict[str, Any],
                  check: _Checker) -> None:
    """Plausibility and reference checks on resolved models."""
    positions = {entry.id: index for index, entry in enumerate(entries)}
    for model in models.values():
        at = ("models", positions[model.id])
        check.ref("models", (*at, "family"), model.family, catalog_parts["families"], "family")
        family = catalog_parts["families"].get(model.family)
        # An API-only model may have no primary text that dates it; an open release always has one.
        if family is not None and family.qwen and model.released is None and model.weights != "api":
            check.add("models", at, "released: required for open-weight Qwen models (not set here and not inherited)")
        check.ref("models", (*at, "license"), model.license, catalog_parts["licenses"], "license")
        check.ref("models", (*at, "source"), model.source, catalog_parts["sources"], "source")
        for figure, source in model.field_sources.items():
            if figure not in FIGURES:
                check.add("models", (*at, "field_sources", figure),
                          f"unknown figure {figure!r}; expected one of: {', '.join(FIGURES)}")
            check.ref("models", (*at, "field_sources", figure), source, catalog_parts["sources"], "source")
        for position, other in enumerate(model.related):
            if other not in models:
                check.add("models", (*at, "related", position), f"unknown model {other!r}")
        if model.active_params_b is not None:
            if model.params_b is None:
                check.add("models", (*at, "active_params_b"), "active parameters need params_b (the total)")
            elif model.active_params_b > model.params_b:
                check.add("models", (*at, "active_params_b"),
                          f"expected at most params_b ({model.params_b:g}), got {model.active_params_b:g}")
        if model.moe is not None:
            if model.moe.activated_experts > model.moe.routed_experts:
                check.add("models", (*at, "moe", "activated_experts"),
                          f"expected at most routed_experts ({model.moe.routed_experts}), "
                          f"got {model.moe.activated_experts}")
            if model.active_params_b is None:
                check.add("models", (*at, "moe"), "a MoE model needs active_params_b")
        if model.weights == "open" and model.license is None:
            check.add("models", (*at, "license"), "open-weight models need a license id")


def build_catalog(documents: dict[str, Any], located: dict[str, Located]) -> tuple[Catalog | None, list[Problem]]:
    """Cross-check the validated documents and assemble the catalog."""
    problems: list[Problem] = []
    check = _Checker(located, problems)
    sources_file: SourcesFile = documents["sources"]
    licenses_file: LicensesFile = documents["licenses"]
    models_file: ModelsFile = documents["models"]
    releases_file: ReleasesFile = documents["releases"]
    bench_file: BenchmarksFile = documents["benchmarks"]
    glossary_file: GlossaryFile = documents["glossary"]
    corrections_file: CorrectionsFile = documents["corrections"]
    charts_file: ChartsFile = documents["charts"]
    changelog_file: ChangelogFile = documents["changelog"]
    ui_file: UiFile = documents["ui"]

    sources = _by_id(sources_file.sources, "sources", "sources", located.get("sources"), problems)
    licenses = _by_id(licenses_file.licenses, "licenses", "licenses", located.get("licenses"), problems)
    families = _by_id(models_file.families, "models", "families", located.get("models"), problems)
    _by_id(models_file.models, "models", "models", located.get("models"), problems)
    benchmarks = _by_id(bench_file.benchmarks, "benchmarks", "benchmarks", located.get("benchmarks"), problems)
    terms = _by_id(glossary_file.terms, "glossary", "terms", located.get("glossary"), problems)
    corrections = _by_id(corrections_file.corrections, "corrections", "corrections",
                         located.get("corrections"), problems)
    charts = _by_id(charts_file.charts, "charts", "charts", located.get("charts"), problems)
    _by_id(releases_file.releases, "releases", "releases", located.get("releases"), problems)
    parts = {"sources": sources, "licenses": licenses, "families": families}

    for position, lic in enumerate(licenses_file.licenses):
        check.ref("licenses", ("licenses", position, "source"), lic.source, sources, "source")
    models = _resolve_models(models_file.models, check)
    _check_models(models, models_file.models, parts, check)

    for position, release in enumerate(releases_file.releases):
        at = ("releases", position)
        check.ref("releases", (*at, "source"), release.source, sources, "source")
        for index, extra in enumerate(release.extra_sources):
            check.ref("releases", (*at, "extra_sources", index), extra, sources, "source")
        for index, model_id in enumerate(release.models):
            if model_id not in models:
                check.add("releases", (*at, "models", index), f"unknown model {model_id!r}")

    seen_scores: dict[tuple, int] = {}
    for position, score in enumerate(bench_file.scores):
        at = ("scores", position)
        if score.model not in models:
            check.add("benchmarks", (*at, "model"), f"unknown model {score.model!r}; add it to data/models.yaml")
        if score.benchmark not in benchmarks:
            check.add("benchmarks", (*at, "benchmark"), f"unknown benchmark {score.benchmark!r}")
        check.ref("benchmarks", (*at, "source"), score.source, sources, "source")
        bench = benchmarks.get(score.benchmark)
        if bench is not None and bench.unit == "percent" and score.value > 100:
            check.add("benchmarks", (*at, "value"), f"expected a percentage (0-100), got {score.value:g}")
        key = (score.model, score.benchmark, score.setting.mode, score.setting.shots, score.setting.tools)
        if key in seen_scores:
            check.add("benchmarks", at, f"duplicate score: scores[{seen_scores[key]}] has the same model, "
                      "benchmark and setting")
        else:
            seen_scores[key] = position

    for position, term in enumerate(glossary_file.terms):
        for index, source in enumerate(term.sources):
            check.ref("glossary", ("terms", position, "sources", index), source, sources, "source")
        for index, other in enumerate(term.see_also):
            if other not in terms:
                check.add("glossary", ("terms", position, "see_also", index), f"unknown term {other!r}")
    for position, correction in enumerate(corrections_file.corrections):
        for index, source in enumerate(correction.sources):
            check.ref("corrections", ("corrections", position, "sources", index), source, sources, "source")
    for position, chart in enumerate(charts_file.charts):
        for index, source in enumerate(chart.sources):
            check.ref("charts", ("charts", position, "sources", index), source, sources, "source")
    factcheck_file: FactcheckFile = documents["factcheck"]
    claims = _by_id(factcheck_file.claims, "factcheck", "claims", located.get("factcheck"), problems)
    _check_claims(factcheck_file, sources, corrections, check)

    model_ids = {entry.id for entry in models_file.models}
    for position, change in enumerate(changelog_file.changes):
        for index, ref in enumerate(change.refs):
            if not any(ref in ids for ids in (model_ids, sources, corrections, terms)):
                check.add("changelog", ("changes", position, "refs", index),
                          f"unknown id {ref!r}; expected the id of a model, source, correction or glossary term")
    _check_placeholders(ui_file, check)

    reviewed = {stem: document.reviewed for stem, document in documents.items()}
    catalog = Catalog(sources=sources, licenses=licenses, families=families, models=models,
                      releases=sorted(releases_file.releases, key=lambda r: (r.date, r.id)),
                      benchmarks=benchmarks, scores=list(bench_file.scores), terms=terms,
                      corrections=corrections, charts=charts,
                      changes=sorted(changelog_file.changes, key=lambda c: c.date, reverse=True),
                      ui=dict(ui_file.strings), reviewed=reviewed, claims=claims, located=located)
    if not problems:
        _check_sources_used(catalog, check)
    return (None if problems else catalog), problems


def _check_claims(factcheck_file: FactcheckFile, sources: dict[str, Any], corrections: dict[str, Any],
                  check: _Checker) -> None:
    """The ledger's references, and that no claim reads as fact on a secondary source."""
    noted: set[str] = set()
    for position, claim in enumerate(factcheck_file.claims):
        at = ("claims", position)
        for index, source in enumerate(claim.sources):
            check.ref("factcheck", (*at, "sources", index), source, sources, "source")
            if source in sources and sources[source].kind == "press" and claim.verdict != "unverifiable":
                check.add("factcheck", (*at, "sources", index), f"press source {source!r} cannot confirm a "
                          f"claim: only 'unverifiable' claims may cite press reports")
        if claim.verdict != "unverifiable" and not claim.sources:
            check.add("factcheck", (*at, "sources"), f"a {claim.verdict} claim needs at least one primary source")
        if claim.correction is not None:
            noted.add(claim.correction)
            if claim.correction not in corrections:
                check.add("factcheck", (*at, "correction"),
                          f"unknown correction {claim.correction!r}; expected an id in data/corrections.yaml")
    # every correction note links to its ledger entry, so each needs one
    for position, correction_id in enumerate(corrections):
        if correction_id not in noted:
            check.add("corrections", ("corrections", position, "id"), f"correction {correction_id!r} has no "
                      "entry in data/factcheck.yaml; add one with `correction: " + correction_id + "`")


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _check_placeholders(ui_file: UiFile, check: _Checker) -> None:
    """A formatted interface string uses only the placeholders the code passes, as plain `{name}`
    (no position, attribute, index, conversion or format spec: `{0.__class__}` would reach into
    objects, `{models:>99999999}` would make a huge page); the other strings have none at all."""
    formatter = string.Formatter()
    for key, text in ui_file.strings.items():
        allowed = UI_PLACEHOLDERS.get(key, ())
        expected = (f"only the placeholders {', '.join('{' + name + '}' for name in allowed)}" if allowed
                    else "no {placeholders} (the code does not format this string)")
        for lang in LANGS:
            value = getattr(text, lang)
            at = ("strings", key, lang)
            if not allowed:
                found = _PLACEHOLDER.search(value)
                if found:
                    check.add("ui", at, f"expected {expected}, got {found.group()}")
                continue
            try:
                parts = list(formatter.parse(value))
            except ValueError as error:
                check.add("ui", at, f"expected {expected}, and '{{{{' or '}}}}' for a brace ({error})")
                continue
            for _, name, spec, conversion in parts:
                if name is None:
                    continue
                if name not in allowed or spec or conversion:
                    shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
                    check.add("ui", at, f"expected {expected}, got {shown}")


def _check_sources_used(catalog: Catalog, check: _Checker) -> None:
    """A source nobody cites is probably a typo elsewhere: report it."""
    used = used_sources(catalog)
    for position, source_id in enumerate(catalog.sources):
        if source_id not in used:
            check.add("sources", ("sources", position, "id"),
                      f"source {source_id!r} is not used by any entry; cite it or remove it")


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, then restore it as it was.

    Loading makes many objects and frees almost none, so every collection while it runs is wasted
    work, repeated over a heap that keeps growing: with the data ×100, loading took 3x as long with
    the collector on (make bench). The loader makes no reference cycles worth collecting early.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _stray(name: str, display_prefix: str) -> Problem:
    """A file in the data folder that is not one of the schema's, named with the nearest one."""
    known = [f"{stem}.yaml" for stem in FILES]
    nearest = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"; did you mean {nearest[0]}?" if nearest else f"; the data files are: {', '.join(known)}"
    return Problem(f"{display_prefix}/{name}", 0, "", f"not a data file of the site, so it would be ignored{hint}")


def load_catalog(contents: dict[str, bytes | None], today: dt.date, display_prefix: str = "data") -> Catalog:
    """Load, validate and cross-check all data (file stem -> bytes, None when missing); raise
    DataError listing every problem. Dates after `today` are refused."""
    strays = [_stray(name, display_prefix) for name in contents if name not in FILES]
    with _collector_paused():
        documents, located, problems = read_all(contents, today, display_prefix)
        if problems:
            raise DataError(strays + problems)
        catalog, problems = build_catalog(documents, located)
    if strays or problems or catalog is None:
        raise DataError(strays + problems)
    return catalog


REVIEW_DAYS = 90  # a family not checked against its sources for longer may have missed releases


def stale_families(catalog: Catalog, today: dt.date, max_days: int = REVIEW_DAYS) -> list[Problem]:
    """Families last reviewed more than `max_days` before `today`, as warnings with file:line."""
    where = catalog.located.get("models")
    warnings = []
    for position, family in enumerate(catalog.families.values()):
        age = (today - family.reviewed).days
        if age > max_days:
            path = ("families", position, "reviewed")
            warnings.append(Problem("data/models.yaml", where.line(path) if where else 0, format_path(path),
                                    f"family {family.id!r} last reviewed {family.reviewed.isoformat()}, "
                                    f"{age} days ago: check its sources for new releases, then update the date"))
    return warnings
