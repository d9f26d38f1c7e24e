"""Synthetic, valid data ×N for the scaling benchmark (written into a temporary copy, never the repo).

Every model, score, release and glossary term is replicated N−1 times with new ids (suffix
`-x<k>`); each copy cites its own copy of the sources it needs, so the sources page, the tables,
the model pages, the charts, the search index and the annotation patterns all grow ×N, and the
"every source is used" check still holds. Families, licences, benchmarks, corrections, charts and
interface strings stay as they are: pages reference them by id.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml


def _load(folder: Path, stem: str) -> dict[str, Any]:
    """One data file as plain YAML values."""
    return yaml.safe_load((folder / f"{stem}.yaml").read_text(encoding="utf-8"))


def _dump(folder: Path, stem: str, data: dict[str, Any]) -> None:
    """Write one data file back (valid YAML; comments are not kept)."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    (folder / f"{stem}.yaml").write_text(text, encoding="utf-8")


def _suffix(value: str, k: int) -> str:
    """The id or name of the k-th copy."""
    return f"{value}-x{k}"


def scale_data(data_dir: Path, factor: int) -> dict[str, int]:
    """Rewrite the YAML in `data_dir` with everything replicated `factor` times; returns counts."""
    sources = _load(data_dir, "sources")
    models = _load(data_dir, "models")
    releases = _load(data_dir, "releases")
    bench = _load(data_dir, "benchmarks")
    glossary = _load(data_dir, "glossary")
    by_id = {source["id"]: source for source in sources["sources"]}
    originals = {"models": list(models["models"]), "releases": list(releases["releases"]),
                 "scores": list(bench["scores"]), "terms": list(glossary["terms"])}

    for k in range(1, factor):
        cited: set[str] = set()

        def src(source_id: str) -> str:
            """The k-th copy of a source id, remembered so that the copy gets written."""
            cited.add(source_id)
            return _suffix(source_id, k)

        for entry in originals["models"]:
            new = copy.deepcopy(entry)
            new["id"] = _suffix(entry["id"], k)
            new["name"] = _suffix(entry["name"], k)
            if entry.get("base_model"):
                new["base_model"] = _suffix(entry["base_model"], k)
            if entry.get("source"):
                new["source"] = src(entry["source"])
            if entry.get("field_sources"):
                new["field_sources"] = {figure: src(s) for figure, s in entry["field_sources"].items()}
            if entry.get("related"):
                new["related"] = [_suffix(m, k) for m in entry["related"]]
            models["models"].append(new)
        for entry in originals["releases"]:
            new = copy.deepcopy(entry)
            new["id"] = _suffix(entry["id"], k)
            new["models"] = [_suffix(m, k) for m in entry.get("models", [])]
            new["source"] = src(entry["source"])
            new["extra_sources"] = [src(s) for s in entry.get("extra_sources", [])]
            releases["releases"].append(new)
        for entry in originals["scores"]:
            new = copy.deepcopy(entry)
            new["model"] = _suffix(entry["model"], k)
            new["source"] = src(entry["source"])
            bench["scores"].append(new)
        for entry in originals["terms"]:
            new = copy.deepcopy(entry)
            new["id"] = _suffix(entry["id"], k)
            new["term"] = {lang: _suffix(text, k) for lang, text in entry["term"].items()}
            aliases = entry.get("aliases") or {}
            new["aliases"] = {lang: [_suffix(text, k) for text in texts] for lang, texts in aliases.items()}
            new["see_also"] = [_suffix(other, k) for other in entry.get("see_also", [])]
            if entry.get("source"):
                new["source"] = src(entry["source"])
            glossary["terms"].append(new)
        for source_id in sorted(cited):
            new = copy.deepcopy(by_id[source_id])
            new["id"] = _suffix(source_id, k)
            new["url"] = f"{new['url']}{'&' if '?' in new['url'] else '?'}copy={k}"
            sources["sources"].append(new)

    for stem, data in (("sources", sources), ("models", models), ("releases", releases),
                       ("benchmarks", bench), ("glossary", glossary)):
        _dump(data_dir, stem, data)
    return {"models": len(models["models"]), "scores": len(bench["scores"]),
            "releases": len(releases["releases"]), "terms": len(glossary["terms"]),
            "sources": len(sources["sources"])}
