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
from typing import Any, Iterator, get_origin

from .catalog import Catalog, Model, used_sources
from .documents import LeftOut, Located, format_path, read_all
from .errors import DataError, Problem, unknown
from .i18n import LANGS, UI_PLACEHOLDERS
from .datafiles import (FILES, BenchmarksFile, ChartsFile, ChangelogFile, CorrectionsFile, FactcheckFile,
                        GlossaryFile, LicensesFile, ModelsFile, ReleasesFile, SourcesFile, UiFile)
from .schema import FIGURES, INHERITED, REQUIRED, ModelEntry




# What a reference may name: kind -> (file, list key, what to do when it names nothing).
KINDS = {
    "source": ("sources", "sources", "add it to data/sources.yaml"),
    "license": ("licenses", "licenses", "expected an id from data/licenses.yaml"),
    "family": ("models", "families", "expected an id from the families of data/models.yaml"),
    "model": ("models", "models", "expected an id from data/models.yaml"),
    "benchmark": ("benchmarks", "benchmarks", "expected an id from data/benchmarks.yaml"),
    "term": ("glossary", "terms", "expected an id from data/glossary.yaml"),
    "correction": ("corrections", "corrections", "expected an id from data/corrections.yaml"),
}


class _Checker:
    """Collects reference and plausibility problems with the line of the offending field, and the
    checks that could not run because a file, or part of one, did not load."""

    def __init__(self, located: dict[str, Located], problems: list[Problem], left_out: dict[str, LeftOut],
                 loaded: set[str]):
        """Keep the line maps, the shared problem list, what each file left out and which files loaded."""
        self.located = located
        self.problems = problems
        self.left_out = left_out
        self.loaded = loaded
        self.skipped: set[str] = set()

    def add(self, stem: str, path: tuple, message: str) -> None:
        """Record a problem at `path` in data/<stem>.yaml (a position in a list that lost entries with
        problems is turned back into the entry's position in the file)."""
        kept = self.left_out[stem].kept.get(path[0]) if stem in self.left_out and path else None
        if kept is not None and len(path) > 1 and isinstance(path[1], int):
            path = (path[0], kept[path[1]], *path[2:])
        where = self.located.get(stem)
        line = where.line(path) if where else 0
        self.problems.append(Problem(f"data/{stem}.yaml", line, format_path(path), message))

    def unavailable(self, kind: str) -> str | None:
        """Why references to `kind` cannot be checked, or None when they can."""
        stem, key, _ = KINDS[kind]
        if stem not in self.loaded:
            return f"data/{stem}.yaml did not load"
        if key in self.left_out.get(stem, LeftOut()).unread:
            return f"the {key} list of data/{stem}.yaml did not load"
        return None

    def complete(self) -> str | None:
        """Why some data is not in the checks (a file or an entry left out), or None when all of it is."""
        for stem in FILES:
            if stem not in self.loaded:
                return f"data/{stem}.yaml did not load"
            if stem in self.left_out:
                return f"entries of data/{stem}.yaml with problems were left out"
        return None

    def exists(self, kind: str, value: str) -> bool | None:
        """Whether an entry with problems, left out of the checks, had the id `value`: such a
        reference is not reported (the entry's own problem is); None if references to `kind`
        cannot be checked at all (noted in `skipped`)."""
        reason = self.unavailable(kind)
        if reason is not None:
            self.skipped.add(f"references to {KINDS[kind][1]} not checked: {reason}")
            return None
        stem, key, _ = KINDS[kind]
        return value in self.left_out.get(stem, LeftOut()).ids.get(key, set())

    def ref(self, stem: str, path: tuple, value: str | None, index, kind: str) -> None:
        """Check that `value` names an existing entry of `index` (the ids of `kind`)."""
        if value is None or value in index or self.exists(kind, value) is not False:
            return
        self.add(stem, path, unknown(kind, value, index, KINDS[kind][2]))


def _by_id(items, stem: str, key: str, check: _Checker) -> dict[str, Any]:
    """Index a list by id; a repeated id is a problem on the repeating line."""
    index: dict[str, Any] = {}
    for position, item in enumerate(items):
        if item.id in index:
            check.add(stem, (key, position, "id"), f"duplicate id {item.id!r}: ids must be unique")
        else:
            index[item.id] = item
    return index


def _resolve_models(entries: list[ModelEntry], check: _Checker) -> dict[str, Model]:
    """Apply base_model inheritance, detecting unknown bases and cycles (a variant of a model left
    out for its problems is left out too, and noted)."""
    raw = {entry.id: (position, entry) for position, entry in enumerate(entries)}
    resolved: dict[str, Model] = {}

    def resolve(model_id: str, chain: tuple[str, ...]) -> dict[str, Any] | None:
        """The model's values with its base chain applied, or None after reporting a problem."""
        position, entry = raw[model_id]
        values = {name: getattr(entry, name) for name in ModelEntry.model_fields}
        if entry.base_model is None:
            return values
        if entry.base_model not in raw:
            if check.exists("model", entry.base_model):
                check.skipped.add(f"model {model_id!r} not checked: its base_model {entry.base_model!r} "
                                  "has problems")
            else:
                check.ref("models", ("models", position, "base_model"), entry.base_model, raw, "model")
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
    """Plausibility and reference checks on resolved models. A check of values that a variant only
    inherits is left to its base model, where they are written: one mistake, one problem."""
    positions = {entry.id: index for index, entry in enumerate(entries)}
    written = {entry.id: entry for entry in entries}
    for model in models.values():
        at = ("models", positions[model.id])
        entry = written[model.id]

        def here(*names: str) -> bool:
            """Whether this entry writes any of these fields itself (rather than inheriting them)."""
            return any(name in entry.model_fields_set for name in names)

        if here("family"):
            check.ref("models", (*at, "family"), model.family, catalog_parts["families"], "family")
        family = catalog_parts["families"].get(model.family)
        # An API-only model may have no primary text that dates it; an open release always has one.
        if family is not None and family.qwen and model.released is None and model.weights != "api":
            check.add("models", at, "released: required for open-weight Qwen models (not set here and not inherited)")
        if here("license"):
            check.ref("models", (*at, "license"), model.license, catalog_parts["licenses"], "license")
        if here("source"):
            check.ref("models", (*at, "source"), model.source, catalog_parts["sources"], "source")
        for figure, source in model.field_sources.items() if here("field_sources") else ():
            if figure not in FIGURES:
                check.add("models", (*at, "field_sources", figure),
                          f"unknown figure {figure!r}; expected one of: {', '.join(FIGURES)}")
            check.ref("models", (*at, "field_sources", figure), source, catalog_parts["sources"], "source")
        for position, other in enumerate(model.related):
            check.ref("models", (*at, "related", position), other, written, "model")
        if model.active_params_b is not None and here("active_params_b", "params_b"):
            if model.params_b is None:
                check.add("models", (*at, "active_params_b"), "active parameters need params_b (the total)")
            elif model.active_params_b > model.params_b:
                check.add("models", (*at, "active_params_b"),
                          f"expected at most params_b ({model.params_b:g}), got {model.active_params_b:g}")
        if model.moe is not None and here("moe", "active_params_b"):
            if model.moe.activated_experts > model.moe.routed_experts and here("moe"):
                check.add("models", (*at, "moe", "activated_experts"),
                          f"expected at most routed_experts ({model.moe.routed_experts}), "
                          f"got {model.moe.activated_experts}")
            if model.active_params_b is None:
                check.add("models", (*at, "moe"), "a MoE model needs active_params_b")
        if model.weights == "open" and model.license is None:
            check.add("models", (*at, "license"), "open-weight models need a license id")


def _empty(stem: str, today: dt.date) -> Any:
    """The stand-in of a file that did not load: no entries, so the checks that need it find none."""
    record_type = FILES[stem]
    return record_type.model_construct(**{name: today if name == "reviewed" else
                                          ({} if get_origin(field.annotation) is dict else [])
                                          for name, field in record_type.model_fields.items()})


def build_catalog(documents: dict[str, Any], located: dict[str, Located], left_out: dict[str, LeftOut] | None = None,
                  today: dt.date | None = None) -> tuple[Catalog | None, list[Problem], set[str]]:
    """Cross-check the validated documents and assemble the catalog; return it (None when there are
    problems), the problems and the checks that could not run.

    Documents may be missing (a file that did not load) or partial (`left_out`: entries with
    problems removed): every check that can still run does, references into what is missing are
    noted as not checked instead of reported as unknown ids.
    """
    problems: list[Problem] = []
    left_out = left_out or {}
    check = _Checker(located, problems, left_out, set(documents))
    documents = {stem: documents.get(stem) or _empty(stem, today or dt.date.today()) for stem in FILES}
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

    sources = _by_id(sources_file.sources, "sources", "sources", check)
    licenses = _by_id(licenses_file.licenses, "licenses", "licenses", check)
    families = _by_id(models_file.families, "models", "families", check)
    written = _by_id(models_file.models, "models", "models", check)  # as written: inheritance not applied
    benchmarks = _by_id(bench_file.benchmarks, "benchmarks", "benchmarks", check)
    terms = _by_id(glossary_file.terms, "glossary", "terms", check)
    corrections = _by_id(corrections_file.corrections, "corrections", "corrections", check)
    charts = _by_id(charts_file.charts, "charts", "charts", check)
    _by_id(releases_file.releases, "releases", "releases", check)
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
            check.ref("releases", (*at, "models", index), model_id, written, "model")

    seen_scores: dict[tuple, int] = {}
    for position, score in enumerate(bench_file.scores):
        at = ("scores", position)
        check.ref("benchmarks", (*at, "model"), score.model, written, "model")
        check.ref("benchmarks", (*at, "benchmark"), score.benchmark, benchmarks, "benchmark")
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
            check.ref("glossary", ("terms", position, "see_also", index), other, terms, "term")
    for position, correction in enumerate(corrections_file.corrections):
        for index, source in enumerate(correction.sources):
            check.ref("corrections", ("corrections", position, "sources", index), source, sources, "source")
    for position, chart in enumerate(charts_file.charts):
        for index, source in enumerate(chart.sources):
            check.ref("charts", ("charts", position, "sources", index), source, sources, "source")
    factcheck_file: FactcheckFile = documents["factcheck"]
    claims = _by_id(factcheck_file.claims, "factcheck", "claims", check)
    _check_claims(factcheck_file, sources, corrections, check)

    referable = {"model": written, "source": sources, "correction": corrections, "term": terms}
    for position, change in enumerate(changelog_file.changes):
        for index, ref in enumerate(change.refs):
            if any(ref in ids for ids in referable.values()):
                continue
            known = [check.exists(kind, ref) for kind in referable]
            if None in known:
                continue  # noted by `exists`: some of the ids it may name did not load
            if not any(known):
                check.add("changelog", ("changes", position, "refs", index),
                          unknown("id", ref, [i for ids in referable.values() for i in ids],
                                  "expected the id of a model, source, correction or glossary term"))
    _check_placeholders(ui_file, check)

    reviewed = {stem: document.reviewed for stem, document in documents.items()}
    catalog = Catalog(sources=sources, licenses=licenses, families=families, models=models,
                      releases=sorted(releases_file.releases, key=lambda r: (r.date, r.id)),
                      benchmarks=benchmarks, scores=list(bench_file.scores), terms=terms,
                      corrections=corrections, charts=charts,
                      changes=sorted(changelog_file.changes, key=lambda c: c.date, reverse=True),
                      ui=dict(ui_file.strings), reviewed=reviewed, claims=claims, located=located)
    for stem, left in left_out.items():
        places = [format_path((key, position)) for key, positions in left.entries.items()
                  for position in sorted(positions, key=str)]
        if places:
            shown = ", ".join(places[:5]) + (f" and {len(places) - 5} more" if len(places) > 5 else "")
            check.skipped.add(f"cross-checks of {shown} in data/{stem}.yaml not run: fix the problems above first")
    incomplete = check.complete()
    if incomplete is not None:
        check.skipped.add(f"sources that no entry cites not looked for: {incomplete}")
    elif any(problem.message.startswith("unknown source") for problem in problems):
        check.skipped.add("sources that no entry cites not looked for: fix the unknown sources first")
    else:
        _check_sources_used(catalog, check)
    return (None if problems or check.skipped else catalog), problems, check.skipped


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
            check.ref("factcheck", (*at, "correction"), claim.correction, corrections, "correction")
    # every correction note links to its ledger entry, so each needs one
    reason = ("data/factcheck.yaml did not load" if "factcheck" not in check.loaded else
              "entries of data/factcheck.yaml with problems were left out" if "factcheck" in check.left_out else None)
    if reason is not None:
        if corrections:
            check.skipped.add(f"ledger entries of the corrections not looked for: {reason}")
        return
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


def check_data(contents: dict[str, bytes | None], today: dt.date,
               display_prefix: str = "data") -> tuple[Catalog | None, list[Problem], set[str]]:
    """Load, validate and cross-check all data (file stem -> bytes, None when missing): the catalog
    (None when there is any problem), every problem found, and the checks that could not run
    because what they need did not load. Dates after `today` are refused."""
    strays = [_stray(name, display_prefix) for name in contents if name not in FILES]
    with _collector_paused():
        documents, located, problems, left_out = read_all(contents, today, display_prefix)
        catalog, found, skipped = build_catalog(documents, located, left_out, today)
    problems = strays + problems + found
    return (None if problems else catalog), problems, skipped


def load_catalog(contents: dict[str, bytes | None], today: dt.date, display_prefix: str = "data") -> Catalog:
    """The checked catalog of `contents` (see check_data); raise DataError listing every problem."""
    catalog, problems, skipped = check_data(contents, today, display_prefix)
    if catalog is None:
        raise DataError(problems, skipped)
    return catalog

