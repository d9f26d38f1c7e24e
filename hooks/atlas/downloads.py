"""The downloads for data users: `/data/<dataset>.json` and `.csv` at the site root.

`download_files` makes every file's bytes (the workspace writes them, with the JSON Schemas
under `/data/schemas/`, after the last language build). The bytes depend only on the data: keys
are sorted, orders are stable, lines end in "\\n", text is UTF-8, and the only date is the data's
own as-of date. JSON: {"as_of", "license", "items"}; each item validates against
`schemas/download-<dataset>.schema.json`. CSV: one row per item; nested objects become dotted
columns (`moe.routed_experts`, `title.zh`), lists are joined with ";", null is an empty cell.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Callable

from . import schemagen
from .catalog import Catalog, Model
from .schema import ModelEntry


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


def _dump(item) -> dict[str, Any]:
    """A validated data entry as plain JSON values (dates as ISO strings)."""
    return item.model_dump(mode="json")


def _score_key(score) -> tuple:
    """Scores in a stable order: model, benchmark, then the setting."""
    setting = score.setting
    return (score.model, score.benchmark, setting.mode, -1 if setting.shots is None else setting.shots,
            setting.tools, score.source)


def model_record(model: Model) -> dict[str, Any]:
    """A model with inheritance applied, as a plain dict in the shape of models.yaml."""
    record: dict[str, Any] = {}
    for name in ModelEntry.model_fields:
        value = getattr(model, name)
        if hasattr(value, "model_dump"):
            value = value.model_dump(mode="json")
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        record[name] = value
    return record


ITEMS: dict[str, Callable[[Catalog], list[dict[str, Any]]]] = {
    "models": lambda c: [model_record(m) for m in sorted(c.models.values(), key=lambda m: m.id)],
    "families": lambda c: [_dump(f) for f in sorted(c.families.values(), key=lambda f: (f.order, f.id))],
    "releases": lambda c: [_dump(r) for r in sorted(c.releases, key=lambda r: (r.date, r.id))],
    "benchmarks": lambda c: [_dump(b) for b in sorted(c.benchmarks.values(), key=lambda b: b.id)],
    "scores": lambda c: [_dump(s) for s in sorted(c.scores, key=_score_key)],
    "terms": lambda c: [_dump(t) for t in sorted(c.terms.values(), key=lambda t: t.id)],
    "sources": lambda c: [_dump(s) for s in sorted(c.sources.values(), key=lambda s: s.id)],
    "licenses": lambda c: [_dump(item) for item in sorted(c.licenses.values(), key=lambda item: item.id)],
    "corrections": lambda c: [_dump(item) for item in sorted(c.corrections.values(), key=lambda item: item.id)],
    # newest first, as on the changelog page; entries of one day keep their order in the file
    "changes": lambda c: [_dump(change) for change in c.changes],
}
assert tuple(ITEMS) == tuple(schemagen.DOWNLOADS), "every published dataset needs a schema and records"


def document(dataset: str, catalog: Catalog) -> dict[str, Any]:
    """One download document, checked against its published record type before it is written."""
    doc = {"as_of": catalog.as_of.isoformat(), "license": schemagen.DATA_LICENSE, "items": ITEMS[dataset](catalog)}
    schemagen.download_record_type(dataset).model_validate(doc, context={"today": catalog.as_of})
    return doc


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """Follow a $ref, and take the non-null branch of an optional field."""
    if "$ref" in schema:
        return _resolve(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    options = [option for option in schema.get("anyOf", ()) if option.get("type") != "null"]
    if len(options) == 1:
        return _resolve(options[0], defs)
    return schema


def csv_columns(dataset: str, items: list[dict[str, Any]]) -> list[str]:
    """Flattened column names in the schema's field order; map keys (field_sources.*) from the data."""
    schema = schemagen.download_schema(dataset)
    defs = schema.get("$defs", {})
    item_schema = _resolve(schema["properties"]["items"]["items"], defs)
    columns: list[str] = []

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> None:
        """Collect the dotted column names below `node`."""
        node = _resolve(node, defs)
        if node.get("type") == "object" and "properties" in node:
            for name, child in node["properties"].items():
                walk(child, (*path, name))
        elif node.get("type") == "object":
            keys = set()
            for item in items:
                value = _get(item, path)
                keys.update(value or {})
            columns.extend(".".join((*path, key)) for key in sorted(keys))
        else:
            columns.append(".".join(path))

    walk(item_schema, ())
    return columns


def _get(item: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value at a dotted path, or None where a parent is missing or null."""
    value: Any = item
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


# Spreadsheets run a cell that starts with one of these as a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """One CSV cell: null is empty, booleans are true/false, lists are joined with ';'.

    A text cell that a spreadsheet would run as a formula gets a leading `'`, which spreadsheets
    show as text and do not display (the Data page says so). Numbers are never text here.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, list):
        text = ";".join(csv_cell(item) for item in value)
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(dataset: str, items: list[dict[str, Any]]) -> str:
    """The CSV text of a dataset: a header row, then one row per item."""
    columns = csv_columns(dataset, items)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for item in items:
        writer.writerow([csv_cell(_get(item, tuple(column.split(".")))) for column in columns])
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Writing the files
# ---------------------------------------------------------------------------


def download_files(catalog: Catalog) -> dict[str, bytes]:
    """Every download file (path under the site root) and its exact bytes."""
    files: dict[str, bytes] = {}
    for dataset in ITEMS:
        doc = document(dataset, catalog)
        files[f"data/{dataset}.json"] = schemagen.dumps(doc).encode("utf-8")
        files[f"data/{dataset}.csv"] = to_csv(dataset, doc["items"]).encode("utf-8")
    return files


def bibtex(catalog: Catalog, site_url: str) -> str:
    """A BibTeX entry for the data published at `site_url`, dated by its as-of date."""
    as_of = catalog.as_of
    return "\n".join([
        f"@misc{{qwen_atlas_{as_of:%Y%m%d},",
        "  title        = {{Qwen Atlas (千问全景): a bilingual, sourced dataset of the Qwen model family}},",
        "  author       = {{Qwen Atlas contributors}},",
        f"  year         = {{{as_of.year}}},",
        f"  howpublished = {{\\url{{{site_url}data/}}}},",
        f"  note         = {{Data as of {as_of.isoformat()}. Licensed under CC BY 4.0}},",
        "}",
    ])
