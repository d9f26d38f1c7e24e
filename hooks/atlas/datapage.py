"""Data page markers: `atlas:downloads`, `atlas:fields` (the field reference) and `atlas:changelog`."""

from __future__ import annotations

from typing import Any

from . import i18n, schemagen
from .context import Context
from .downloads import ITEMS, bibtex
from .markers import Marker, require

LICENSE_URL = {"zh": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans",
               "en": "https://creativecommons.org/licenses/by/4.0/deed.en"}


def render_downloads(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:downloads`: every file with its link, the licence, the as-of date and a citation."""
    require(marker, set())
    catalog = ctx.catalog
    rows = []
    for dataset in ITEMS:
        rows.append({"id": dataset, "name": ctx.t(f"dataset-{dataset}"), "description": ctx.t(f"dataset-{dataset}-desc"),
                     "count": len(ITEMS[dataset](catalog)),
                     "json": ctx.root_href(f"data/{dataset}.json"), "csv": ctx.root_href(f"data/{dataset}.csv"),
                     "schema": ctx.root_href(f"data/schemas/download-{dataset}.schema.json"),
                     "fields": ctx.href("data.md", _fields_anchor(dataset))})
    labels = {key: ctx.t(f"dl-{key}") for key in (
        "as-of", "dataset", "items", "files", "schema", "license", "license-text", "license-sources",
        "cite", "cite-text", "yaml-schemas", "sources-link", "csv-formulas")}
    yaml_schemas = [{"name": f"{stem}.schema.json", "href": ctx.root_href(f"data/schemas/{stem}.schema.json")}
                    for stem in schemagen.FILES]
    as_of = catalog.as_of
    return ctx.render("downloads.html", rows=rows, labels=labels,
                  as_of={"text": i18n.fmt_date(as_of, "day", ctx.lang), "datetime": as_of.isoformat()},
                  license_url=LICENSE_URL[ctx.lang], bibtex=bibtex(catalog, ctx.site.site_url), yaml_schemas=yaml_schemas,
                  sources_href=ctx.href("sources.md"))


def _fields_anchor(dataset: str) -> str:
    """The field-reference anchor that documents a dataset's records."""
    item, stem = schemagen.DOWNLOADS[dataset]
    name = "ModelEntry" if dataset == "models" else item.__name__
    return schemagen.record_anchor(name, stem)


def _describe(ctx: Context, key: str | None, english: str | None) -> dict[str, str] | None:
    """A schema description in the page's language (English is the text in schema.py itself)."""
    if not english:
        return None
    if ctx.lang == "en" or key is None:
        return {"text": english, "lang": ""}
    if key in ctx.catalog.ui:
        return {"text": ctx.t(key), "lang": ""}
    return {"text": english, "lang": "en"}  # not translated yet: shown in English, marked as such


def _record_view(model: schemagen.RecordDoc, ctx: Context) -> dict[str, Any]:
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
        sections.append({"title": title, "anchor": doc.anchor,
                         "schema": ctx.root_href(f"data/schemas/{doc.schema}"), "schema_name": doc.schema,
                         "records": [_record_view(m, ctx) for m in doc.records]})
    labels = {key: ctx.t(f"fields-{key}") for key in (
        "common", "download", "name", "type", "required", "default", "description", "untranslated", "schema")}
    return ctx.render("fields.html", sections=sections, common=[_record_view(m, ctx) for m in common],
                  download=_record_view(schemagen.download_reference(), ctx), labels=labels)


def render_changelog(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:changelog`: data changes, newest first, and when each file was last reviewed."""
    require(marker, set())
    catalog = ctx.catalog
    entries = []
    for change in catalog.changes:
        refs = []
        for ref in change.refs:
            if ref in catalog.models:
                refs.append({"text": catalog.models[ref].name, "href": ctx.model_href(ref)})
            elif ref in catalog.sources:
                refs.append({"text": ref, "href": catalog.sources[ref].url})
            elif ref in catalog.corrections and (shown := ctx.shown_on("correction", ref, f"correction-{ref}")):
                refs.append({"text": ref, "href": shown})
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
    return ctx.render("changelog.html", entries=entries, reviewed=reviewed,
                  labels=labels,
                  as_of={"text": i18n.fmt_date(catalog.as_of, "day", ctx.lang), "datetime": catalog.as_of.isoformat()},
                  as_of_label=ctx.t("dl-as-of"))
