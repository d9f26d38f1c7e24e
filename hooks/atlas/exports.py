"""Downloads for data users, and the Data, field-reference and changelog blocks.

`write_downloads` writes `/data/<dataset>.json` and `.csv` at the site root after the last language
build, and copies the JSON Schemas to `/data/schemas/`. The bytes depend only on the data: keys
are sorted, orders are stable, lines end in "\\n", text is UTF-8, and the only date is the data's
own as-of date. JSON: {"as_of", "license", "items"}; each item validates against
`schemas/download-<dataset>.schema.json`. CSV: one row per item; nested objects become dotted
columns (`moe.routed_experts`, `title.zh`), lists are joined with ";", null is an empty cell.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any, Callable

from . import i18n, schemagen
from .catalog import Catalog
from .markers import Marker, require
from .modelpages import marker_pages, md_text, root_href
from .render import Context, render

SCHEMA_SOURCE = schemagen.SCHEMA_DIR
LICENSE_URL = {"zh": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans",
               "en": "https://creativecommons.org/licenses/by/4.0/deed.en"}
# The data file each reviewed date belongs to, in the order the changelog lists them.
DATA_FILES = tuple(f"data/{stem}.yaml" for stem in schemagen.FILES)


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


ITEMS: dict[str, Callable[[Catalog], list[dict[str, Any]]]] = {
    "models": lambda c: [m.as_record() for m in sorted(c.models.values(), key=lambda m: m.id)],
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
    """One download document, checked against its published model before it is written."""
    doc = {"as_of": catalog.as_of.isoformat(), "license": schemagen.DATA_LICENSE, "items": ITEMS[dataset](catalog)}
    schemagen.download_model(dataset).model_validate(doc)
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


def csv_cell(value: Any) -> str:
    """One CSV cell: null is empty, booleans are true/false, lists are joined with ';'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, list):
        return ";".join(csv_cell(item) for item in value)
    return str(value)


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


def write_downloads(site_dir: Path, catalog: Catalog, schema_dir: Path = SCHEMA_SOURCE,
                    files: dict[str, bytes] | None = None) -> list[str]:
    """Write /data/*.json, /data/*.csv and /data/schemas/*.schema.json; return the paths written.

    `files` is download_files(catalog) when it was already made (in the prerender worker).
    """
    site_dir = Path(site_dir)
    written = []
    for relative, content in (files if files is not None else download_files(catalog)).items():
        target = site_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(relative)
    schemas = site_dir / "data" / "schemas"
    schemas.mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(schema_dir).glob("*.schema.json")):
        shutil.copyfile(path, schemas / path.name)
        written.append(f"data/schemas/{path.name}")
    return written


# ---------------------------------------------------------------------------
# Blocks for the Data and changelog pages
# ---------------------------------------------------------------------------


def site_url() -> str:
    """The published address for citations: SITE_URL when set (forks, previews), else the canonical one."""
    url = os.environ.get("SITE_URL") or schemagen.CANONICAL_URL
    return url if url.endswith("/") else url + "/"


def bibtex(catalog: Catalog) -> str:
    """A BibTeX entry for the data, dated by its as-of date."""
    as_of = catalog.as_of
    return "\n".join([
        f"@misc{{qwen_atlas_{as_of:%Y%m%d},",
        "  title        = {{Qwen Atlas (千问全景): a bilingual, sourced dataset of the Qwen model family}},",
        "  author       = {{Qwen Atlas contributors}},",
        f"  year         = {{{as_of.year}}},",
        f"  howpublished = {{\\url{{{site_url()}data/}}}},",
        f"  note         = {{Data as of {as_of.isoformat()}. Licensed under CC BY 4.0}},",
        "}",
    ])


def render_downloads(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:downloads`: every file with its link, the licence, the as-of date and a citation."""
    require(marker, set())
    catalog = ctx.catalog
    rows = []
    for dataset in ITEMS:
        rows.append({"id": dataset, "name": ctx.t(f"dataset-{dataset}"), "description": ctx.t(f"dataset-{dataset}-desc"),
                     "count": len(ITEMS[dataset](catalog)),
                     "json": root_href(ctx, f"data/{dataset}.json"), "csv": root_href(ctx, f"data/{dataset}.csv"),
                     "schema": root_href(ctx, f"data/schemas/download-{dataset}.schema.json"),
                     "fields": ctx.href("data.md", _fields_anchor(dataset))})
    labels = {key: ctx.t(f"dl-{key}") for key in (
        "as-of", "dataset", "items", "files", "schema", "license", "license-text", "license-sources",
        "cite", "cite-text", "yaml-schemas", "sources-link")}
    yaml_schemas = [{"name": f"{stem}.schema.json", "href": root_href(ctx, f"data/schemas/{stem}.schema.json")}
                    for stem in schemagen.FILES]
    as_of = catalog.as_of
    return render("downloads.html", rows=rows, labels={k: md_text(v) if k in ("license", "cite") else v
                                                        for k, v in labels.items()},
                  as_of={"text": i18n.fmt_date(as_of, "day", ctx.lang), "datetime": as_of.isoformat()},
                  license_url=LICENSE_URL[ctx.lang], bibtex=bibtex(catalog), yaml_schemas=yaml_schemas,
                  sources_href=ctx.href("sources.md"))


def _fields_anchor(dataset: str) -> str:
    """The field-reference anchor that documents a dataset's records."""
    item, stem = schemagen.DOWNLOADS[dataset]
    name = "ModelEntry" if dataset == "models" else item.__name__
    return schemagen.model_anchor(name, stem)


def _describe(ctx: Context, key: str | None, english: str | None) -> dict[str, str] | None:
    """A schema description in the page's language (English is the text in schema.py itself)."""
    if not english:
        return None
    if ctx.lang == "en" or key is None:
        return {"text": english, "lang": ""}
    if key in ctx.catalog.ui:
        return {"text": ctx.t(key), "lang": ""}
    return {"text": english, "lang": "en"}  # not translated yet: shown in English, marked as such


def _model_view(model: schemagen.ModelDoc, ctx: Context) -> dict[str, Any]:
    """One documented object type, localized."""
    return {"name": model.name, "anchor": model.anchor,
            "description": _describe(ctx, model.description_key, model.description),
            "fields": [{"name": f.name, "type": [{"text": p.text, "href": f"#{p.ref}" if p.ref else None} for p in f.type],
                        "required": ctx.t("yes") if f.required else ctx.t("no"), "is_required": f.required,
                        "default": f.default or "", "description": _describe(ctx, f.description_key, f.description)}
                       for f in model.fields]}


def render_fields(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:fields`: every field of every data file and download, generated from schema.py."""
    require(marker, set())
    common, files = schemagen.field_reference()
    sections = []
    for doc in files:
        title = f"data/{doc.stem}.yaml"
        sections.append({"title": md_text(title), "anchor": doc.anchor,
                         "schema": root_href(ctx, f"data/schemas/{doc.schema}"), "schema_name": doc.schema,
                         "models": [_model_view(m, ctx) for m in doc.models]})
    labels = {key: ctx.t(f"fields-{key}") for key in (
        "common", "download", "name", "type", "required", "default", "description", "untranslated", "schema")}
    labels = {k: md_text(v) if k in ("common", "download") else v for k, v in labels.items()}
    return render("fields.html", sections=sections, common=[_model_view(m, ctx) for m in common],
                  download=_model_view(schemagen.download_reference(), ctx), labels=labels)


def render_changelog(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:changelog`: data changes, newest first, and when each file was last reviewed."""
    require(marker, set())
    catalog = ctx.catalog
    corrections = marker_pages("correction")
    entries = []
    for change in catalog.changes:
        refs = []
        for ref in change.refs:
            if ref in catalog.models:
                refs.append({"text": catalog.models[ref].name, "href": ctx.model_href(ref)})
            elif ref in catalog.sources:
                refs.append({"text": ref, "href": catalog.sources[ref].url})
            elif ref in catalog.corrections and ref in corrections:
                refs.append({"text": ref, "href": ctx.href(corrections[ref], f"correction-{ref}")})
            elif ref in catalog.terms:
                refs.append({"text": ctx.pick(catalog.terms[ref].term), "href": ctx.term_href(ref)})
            else:
                refs.append({"text": ref, "href": None})
        entries.append({"date": i18n.fmt_date(change.date, "day", ctx.lang), "datetime": change.date.isoformat(),
                        "kind": change.kind, "kind_label": ctx.t(f"change-{change.kind}"),
                        "summary": ctx.pick(change.summary), "refs": refs})
    reviewed = [{"file": f"data/{stem}.yaml", "date": i18n.fmt_date(date, "day", ctx.lang),
                 "datetime": date.isoformat()} for stem, date in catalog.reviewed.items()]
    labels = {key: ctx.t(f"changelog-{key}") for key in ("changes", "reviewed", "file", "date", "refs", "empty")}
    return render("changelog.html", entries=entries, reviewed=reviewed,
                  labels={k: md_text(v) if k in ("changes", "reviewed") else v for k, v in labels.items()},
                  as_of={"text": i18n.fmt_date(catalog.as_of, "day", ctx.lang), "datetime": catalog.as_of.isoformat()},
                  as_of_label=ctx.t("dl-as-of"))
