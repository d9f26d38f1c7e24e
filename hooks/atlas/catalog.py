"""The validated, cross-referenced data: one `Catalog` of all files in `data/` (built by loading.py).

A `Model` here is a Qwen (or peer) model with inheritance applied; the pydantic classes of
schema.py are the *records* as written in the YAML.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .schema import Benchmark, Chart, Claim, Correction, Family, License, Release, Score, Source, Term, Text


@dataclass(frozen=True)
class Model:
    """A model with inheritance applied: every field is final."""

    id: str
    name: str
    family: str
    developer: Text
    variant: str
    released: Any
    date_precision: str
    params_b: float | None
    active_params_b: float | None
    context_tokens: int | None
    training_tokens_t: float | None
    license: str | None
    weights: str
    architecture: Text | None
    moe: Any
    notes: Text | None
    source: str
    field_sources: dict[str, str]
    related: tuple[str, ...]
    base_model: str | None

    def source_of(self, figure: str) -> str:
        """The source id for one figure of this model."""
        return self.field_sources.get(figure, self.source)


@dataclass
class Catalog:
    """Everything in `data/`, indexed by id, with the line of every entry for later errors."""

    sources: dict[str, Source]
    licenses: dict[str, License]
    families: dict[str, Family]
    models: dict[str, Model]
    releases: list[Release]
    benchmarks: dict[str, Benchmark]
    scores: list[Score]
    terms: dict[str, Term]
    corrections: dict[str, Correction]
    charts: dict[str, Chart]
    changes: list[Any]
    ui: dict[str, Text]
    reviewed: dict[str, Any]
    claims: dict[str, Claim] = field(default_factory=dict)  # the fact-check ledger, in data order
    located: dict[str, Any] = field(repr=False, default_factory=dict)  # file stem -> documents.Located

    def text(self, key: str, lang: str) -> str:
        """An interface string from ui.yaml in `lang`; an unknown key is a programming error."""
        return getattr(self.ui[key], lang)

    # Indexes by model id, built once per catalog: model pages and inline facts look things up
    # per model, and scanning every list for each of them made the build quadratic (make bench).

    @cached_property
    def _by_model(self) -> dict[str, dict[str, list]]:
        """Scores, releases, variants and referring models of every model."""
        index: dict[str, dict[str, list]] = defaultdict(lambda: {"scores": [], "releases": [], "variants": [],
                                                                  "referrers": []})
        for score in self.scores:
            index[score.model]["scores"].append(score)
        for release in self.releases:
            for model_id in release.models:
                index[model_id]["releases"].append(release)
        for model in sorted(self.models.values(), key=lambda m: (str(m.released or ""), m.id)):
            if model.base_model is not None:
                index[model.base_model]["variants"].append(model)
            for other in model.related:
                index[other]["referrers"].append(model)
        return index

    def _lookup(self, model_id: str, kind: str) -> list:
        """One list of the model index (empty when the model has none)."""
        entry = self._by_model.get(model_id)
        return list(entry[kind]) if entry else []

    def scores_of(self, model_id: str, benchmark: str | None = None) -> list[Score]:
        """The model's scores in data order, optionally for one benchmark."""
        return [s for s in self._lookup(model_id, "scores") if benchmark is None or s.benchmark == benchmark]

    def releases_of(self, model_id: str) -> list[Release]:
        """The releases that include the model, by date."""
        return self._lookup(model_id, "releases")

    def variants_of(self, model_id: str) -> list[Model]:
        """Models whose base_model is `model_id`, by release date."""
        return self._lookup(model_id, "variants")

    def referrers_of(self, model_id: str) -> list[Model]:
        """Models that list `model_id` in their `related` field, by release date."""
        return self._lookup(model_id, "referrers")

    @cached_property
    def _ledger_entries(self) -> dict[str, str]:
        """Correction id -> the first ledger entry that refers to it."""
        entries: dict[str, str] = {}
        for claim in self.claims.values():
            if claim.correction is not None:
                entries.setdefault(claim.correction, claim.id)
        return entries

    def ledger_entry_of(self, correction_id: str) -> str | None:
        """The id of the fact-check ledger entry of a correction note, or None if it has none."""
        return self._ledger_entries.get(correction_id)

    @property
    def as_of(self):
        """The data's as-of date: the latest review of a file or a family, or change in the changelog
        (so that adding an entry and its changelog entry is enough to move it)."""
        return max([*self.reviewed.values(), *(family.reviewed for family in self.families.values()),
                    *(change.date for change in self.changes)])


def used_sources(catalog: Catalog) -> set[str]:
    """Every source id that some entry of the data points to."""
    used = {lic.source for lic in catalog.licenses.values()}
    for model in catalog.models.values():
        used.add(model.source)
        used.update(model.field_sources.values())
    for release in catalog.releases:
        used.add(release.source)
        used.update(release.extra_sources)
    used.update(score.source for score in catalog.scores)
    for term in catalog.terms.values():
        used.update(term.sources)
    for correction in catalog.corrections.values():
        used.update(correction.sources)
    for chart in catalog.charts.values():
        used.update(chart.sources)
    for claim in catalog.claims.values():
        used.update(claim.sources)
    return used
