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
    sources: list[Source] = Field(description="The sources, one entry each; the other files cite them by id.")


class LicensesFile(Strict):
    """data/licenses.yaml"""

    reviewed: PastDate
    licenses: list[License] = Field(description="The licences of model weights, one entry each.")


class ModelsFile(Strict):
    """data/models.yaml"""

    reviewed: PastDate
    families: list[Family] = Field(description="The model families: generations and product lines.")
    models: list[ModelEntry] = Field(description="The models: Qwen models and the peers they are compared with.")


class ReleasesFile(Strict):
    """data/releases.yaml"""

    reviewed: PastDate
    releases: list[Release] = Field(description="The dated events of the timeline.")


class BenchmarksFile(Strict):
    """data/benchmarks.yaml"""

    reviewed: PastDate
    benchmarks: list[Benchmark] = Field(description="The benchmarks that scores refer to.")
    scores: list[Score] = Field(description="The benchmark results, each with its source.")


class GlossaryFile(Strict):
    """data/glossary.yaml"""

    reviewed: PastDate
    terms: list[Term] = Field(description="The glossary terms.")


class CorrectionsFile(Strict):
    """data/corrections.yaml"""

    reviewed: PastDate
    corrections: list[Correction] = Field(description="Claims of the seed article that a primary source contradicts.")


class FactcheckFile(Strict):
    """data/factcheck.yaml"""

    reviewed: PastDate
    claims: list[Claim] = Field(description="Every claim of the seed article and what checking it found.")


class ChartsFile(Strict):
    """data/charts.yaml"""

    reviewed: PastDate
    charts: list[Chart] = Field(description="The texts of the charts.")


class ChangelogFile(Strict):
    """data/changelog.yaml"""

    reviewed: PastDate
    changes: list[Change] = Field(description="The entries of the data changelog.")


class UiFile(Strict):
    """data/ui.yaml: interface strings (table headers, units, captions)."""

    reviewed: PastDate
    strings: dict[Id, Text] = Field(description="Interface strings by key, in both languages.")


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
