"""The data files: the root record of each YAML file in `data/`, and which file holds which records.

Every file has a `reviewed` date (when it was last checked against its sources) and one list of
entries, whose record classes are in schema.py.
"""

from __future__ import annotations

from pydantic import Field

from .schema import (Benchmark, Change, Chart, Claim, Correction, Family, Id, License, ModelEntry, PastDate, Release,
                     Score, Source, Strict, Term, Text)


class SourcesFile(Strict):
    """data/sources.yaml"""

    reviewed: PastDate = Field(description="When this file was last reviewed against its sources.")
    sources: list[Source]


class LicensesFile(Strict):
    """data/licenses.yaml"""

    reviewed: PastDate
    licenses: list[License]


class ModelsFile(Strict):
    """data/models.yaml"""

    reviewed: PastDate
    families: list[Family]
    models: list[ModelEntry]


class ReleasesFile(Strict):
    """data/releases.yaml"""

    reviewed: PastDate
    releases: list[Release]


class BenchmarksFile(Strict):
    """data/benchmarks.yaml"""

    reviewed: PastDate
    benchmarks: list[Benchmark]
    scores: list[Score]


class GlossaryFile(Strict):
    """data/glossary.yaml"""

    reviewed: PastDate
    terms: list[Term]


class CorrectionsFile(Strict):
    """data/corrections.yaml"""

    reviewed: PastDate
    corrections: list[Correction]


class FactcheckFile(Strict):
    """data/factcheck.yaml"""

    reviewed: PastDate
    claims: list[Claim]


class ChartsFile(Strict):
    """data/charts.yaml"""

    reviewed: PastDate
    charts: list[Chart]


class ChangelogFile(Strict):
    """data/changelog.yaml"""

    reviewed: PastDate
    changes: list[Change]


class UiFile(Strict):
    """data/ui.yaml: interface strings (table headers, units, captions)."""

    reviewed: PastDate
    strings: dict[Id, Text]


FILES: dict[str, type[Strict]] = {
    "sources": SourcesFile,
    "licenses": LicensesFile,
    "models": ModelsFile,
    "releases": ReleasesFile,
    "benchmarks": BenchmarksFile,
    "glossary": GlossaryFile,
    "corrections": CorrectionsFile,
    "factcheck": FactcheckFile,
    "charts": ChartsFile,
    "changelog": ChangelogFile,
    "ui": UiFile,
}
