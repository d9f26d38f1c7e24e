"""JSON Schemas and the field reference, generated from the pydantic record classes in `schema.py`.

`expected_files()` is the text of `data/schemas/<stem>.schema.json` for every data file (editors
get completion through the `# yaml-language-server: $schema=...` line at the top of each file) and
of `data/schemas/download-<dataset>.schema.json` for every published download. `make schemas`
writes them and `make check` reports stale, missing or leftover files with a diff (workspace.py). The Data page's field reference is built by `field_reference()` from the same JSON
Schemas, so the schemas, the downloads and the documentation cannot drift apart.
"""

from __future__ import annotations

from functools import lru_cache

import difflib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model
from pydantic.fields import FieldInfo

from .datafiles import FILES
from .schema import (FIGURES, HTTP_URL_PATTERN, REQUIRED, Benchmark, Change, Correction, Family, HttpUrl, Id, IsoDate, License,
                     ModelEntry, PastDate, Release, Score, Source, Strict, Term, Text, Variant)

# The canonical address of the published site. Schema `$id`s use it so that they do not change
# with the deploy target (forks set SITE_URL; their schemas stay byte-identical).
CANONICAL_URL = "https://qwen-atlas.github.io/qwen-atlas/"
SCHEMA_BASE = CANONICAL_URL + "data/schemas/"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
DATA_LICENSE = "CC-BY-4.0"
# Types documented once in the "common types" section instead of under every file.
COMMON = ("Text", "TextList")


# ---------------------------------------------------------------------------
# Download item records
# ---------------------------------------------------------------------------


class ModelRecord(ModelEntry):
    """A model in the downloads: base_model inheritance is applied, so these fields are always set."""

    family: Id
    developer: Text
    variant: Variant
    date_precision: Literal["day", "month"] = Field(
        description=ModelEntry.model_fields["date_precision"].description)
    weights: Literal["open", "api"] = Field(description=ModelEntry.model_fields["weights"].description)
    source: Id = Field(description=ModelEntry.model_fields["source"].description)


# dataset name -> (item model, data file the items come from); the order is the order on the Data page.
DOWNLOADS: dict[str, tuple[type[BaseModel], str]] = {
    "models": (ModelRecord, "models"),
    "families": (Family, "models"),
    "releases": (Release, "releases"),
    "benchmarks": (Benchmark, "benchmarks"),
    "scores": (Score, "benchmarks"),
    "terms": (Term, "glossary"),
    "sources": (Source, "sources"),
    "licenses": (License, "licenses"),
    "corrections": (Correction, "corrections"),
    "changes": (Change, "changelog"),
}


@lru_cache(maxsize=None)  # a class per dataset name, made once: pydantic's create_model is slow
def download_record_type(dataset: str) -> type[Strict]:
    """The record class of one download document: {as_of, license, items}."""
    item, _ = DOWNLOADS[dataset]
    return create_model(
        f"{dataset.capitalize()}Download",
        __base__=Strict,
        __doc__=f"The published download data/{dataset}.json.",
        as_of=(IsoDate, Field(description="The data's as-of date: the latest review date of the data files.")),
        license=(Literal["CC-BY-4.0"], Field(description="The licence of the data (SPDX identifier).")),
        items=(list[item], Field(description=f"Every entry of the {dataset} dataset, in a stable order.")),
    )


# ---------------------------------------------------------------------------
# JSON Schema files
# ---------------------------------------------------------------------------


def _one_description(prop: dict[str, Any]) -> None:
    """Give a property one description, on itself: an editor's hover shows the property's title,
    its description and those of its types, so pydantic's title (the name, capitalised) and a type's
    description under the property's own would say things twice."""
    prop.pop("title", None)
    options = [option for option in prop.get("anyOf", ()) if option.get("type") != "null"]
    for option in options:
        text = option.pop("description", None)
        if text and not prop.get("description"):
            prop["description"] = text


# yaml-language-server checks a schema against draft-07 and understands draft-07's keywords only
# (it resolves "#/$defs/..." as any JSON pointer): the schemas declare 2020-12, for the standard
# validators, and use no keyword that draft-07 lacks (tests/test_schemas.py checks).
NEWER_THAN_DRAFT_07 = frozenset({"prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired",
                                 "dependentSchemas", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef",
                                 "minContains", "maxContains"})


def _editor_friendly(schema: dict[str, Any]) -> dict[str, Any]:
    """Shape pydantic's schema for editors (yaml-language-server) and standard validators: one
    description per property, and what the loader requires of a model without a base_model."""
    for record in [schema, *schema.get("$defs", {}).values()]:
        for prop in record.get("properties", {}).values():
            _one_description(prop)
    entry = schema.get("$defs", {}).get("ModelEntry")
    if entry is not None and "base_model" in entry.get("properties", {}):
        # a variant inherits what it leaves out (draft-07 if/then, which yaml-language-server supports);
        # a model without base_model needs what the loader requires once inheritance is applied
        entry["if"] = {"not": {"required": ["base_model"]}}
        entry["then"] = {"required": list(REQUIRED), "allOf": [
            {"if": {"required": ["weights"], "properties": {"weights": {"const": "open"}}},
             "then": {"required": ["license"]}},
            {"if": {"required": ["moe"]}, "then": {"required": ["active_params_b"]}},
            {"if": {"required": ["active_params_b"]}, "then": {"required": ["params_b"]}}]}
        entry["properties"]["field_sources"]["propertyNames"] = {"enum": list(FIGURES)}
    return schema


def _finish(schema: dict[str, Any], name: str, title: str) -> dict[str, Any]:
    """Add the dialect, a stable $id and a title to a generated schema (its root description, when it
    only names the file as the title does, is left out)."""
    schema = _editor_friendly(schema)
    if schema.get("description") and schema["description"] in title:
        schema.pop("description")
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": SCHEMA_BASE + name, **schema, "title": title}


def data_schema(stem: str) -> dict[str, Any]:
    """The JSON Schema of data/<stem>.yaml."""
    return _finish(FILES[stem].model_json_schema(), f"{stem}.schema.json", f"Qwen Atlas data/{stem}.yaml")


@lru_cache(maxsize=None)  # pydantic makes a JSON Schema slowly, and the CSV writer asks per dataset
def download_schema(dataset: str) -> dict[str, Any]:
    """The JSON Schema of the download data/<dataset>.json (its `items` are the dataset's records)."""
    return _finish(download_record_type(dataset).model_json_schema(), f"download-{dataset}.schema.json",
                   f"Qwen Atlas download data/{dataset}.json")


def dumps(value: Any) -> str:
    """Deterministic JSON text: sorted keys, 2-space indent, UTF-8 characters kept, final newline."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def expected_files() -> dict[str, str]:
    """Every generated schema file name and its exact text."""
    files = {f"{stem}.schema.json": dumps(data_schema(stem)) for stem in FILES}
    files.update({f"download-{dataset}.schema.json": dumps(download_schema(dataset)) for dataset in DOWNLOADS})
    return files


def stale_files(existing: dict[str, str]) -> list[tuple[str, str, str]]:
    """What differs between the schema files that exist (name -> text) and the generated ones:
    (file name, problem, unified diff from the existing text to the generated one)."""
    expected = expected_files()
    problems = []
    for name, text in expected.items():
        if name not in existing:
            problems.append((name, "missing", ""))
        elif existing[name] != text:
            diff = difflib.unified_diff(existing[name].splitlines(keepends=True), text.splitlines(keepends=True),
                                        f"{name} (committed)", f"{name} (generated from schema.py)")
            problems.append((name, "stale (schema.py changed since it was generated)", "".join(diff)))
    for name in sorted(existing):
        if name not in expected:
            problems.append((name, "not generated from schema.py any more; delete it", ""))
    return problems


# ---------------------------------------------------------------------------
# Field reference (the Data page)
# ---------------------------------------------------------------------------


def _type_description(annotated: Any) -> str:
    """The description attached to an Annotated type alias such as `Id`."""
    for meta in getattr(annotated, "__metadata__", ()):
        if isinstance(meta, FieldInfo) and meta.description:
            return meta.description
    raise ValueError(f"{annotated!r} has no description")


# Descriptions that belong to a shared type, not to one field: translated once.
TYPE_DESCRIPTIONS = {_type_description(Id): "id", _type_description(PastDate): "date",
                     _type_description(HttpUrl): "url"}


@dataclass(frozen=True)
class TypePart:
    """A piece of a field's type label; `ref` names a documented model the piece links to."""

    text: str
    ref: str | None = None


@dataclass(frozen=True)
class FieldDoc:
    """One field of a model: name, type, whether it is required, default, and description."""

    name: str
    type: tuple[TypePart, ...]
    required: bool
    default: str | None
    description: str | None
    description_key: str | None  # ui.yaml key of the Chinese description


@dataclass(frozen=True)
class RecordDoc:
    """One object type (a file's root, or an entry type) with its fields."""

    name: str
    anchor: str
    description: str | None
    description_key: str
    fields: tuple[FieldDoc, ...]


@dataclass
class FileDoc:
    """One data file and the object types it contains."""

    stem: str
    anchor: str
    schema: str
    records: list[RecordDoc] = field(default_factory=list)


def record_anchor(name: str, stem: str | None) -> str:
    """The HTML id of a documented model (the same in both languages)."""
    return f"fields-{name.lower()}" if stem is None else f"fields-{stem}-{name.lower()}"


def field_key(model: str, name: str) -> str:
    """The ui.yaml key holding the Chinese description of a field."""
    return f"schema-field-{model.lower()}-{name.replace('_', '-')}"


def record_key(model: str) -> str:
    """The ui.yaml key holding the Chinese description of an object type."""
    return f"schema-model-{model.lower()}"


def _number(schema: dict[str, Any], kind: str) -> str:
    """'integer ≥ 1', 'number > 0' ..."""
    for key, symbol in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<")):
        if key in schema:
            kind += f" {symbol} {schema[key]:g}"
    return kind


def type_parts(schema: dict[str, Any], anchors: dict[str, str]) -> list[TypePart]:
    """A compact, language-neutral type label for a JSON Schema fragment."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return [TypePart(name, anchors.get(name))]
    if "anyOf" in schema:
        parts: list[TypePart] = []
        for index, option in enumerate(schema["anyOf"]):
            if index:
                parts.append(TypePart(" | "))
            parts.extend(type_parts(option, anchors))
        return parts
    if "enum" in schema:
        return [TypePart(" | ".join(json.dumps(value, ensure_ascii=False) for value in schema["enum"]))]
    if "const" in schema:
        return [TypePart(json.dumps(schema["const"], ensure_ascii=False))]
    kind = schema.get("type")
    if kind == "array":
        return [TypePart("list["), *type_parts(schema.get("items", {}), anchors), TypePart("]")]
    if kind == "object":
        values = schema.get("additionalProperties")
        if isinstance(values, dict):
            return [TypePart("map[string → "), *type_parts(values, anchors), TypePart("]")]
        return [TypePart("object")]
    if kind == "string":
        if schema.get("pattern") == Id.__metadata__[0].pattern:
            return [TypePart("id")]
        if schema.get("format") == "date":
            return [TypePart("date")]
        if schema.get("pattern") == HTTP_URL_PATTERN:
            return [TypePart("URL")]
        return [TypePart("string")]
    if kind in ("integer", "number"):
        return [TypePart(_number(schema, kind))]
    if kind == "boolean":
        return [TypePart("boolean")]
    if kind == "null":
        return [TypePart("null")]
    return [TypePart("any")]


def _description(prop: dict[str, Any]) -> str | None:
    """A property's description, or that of its non-null type."""
    if prop.get("description"):
        return prop["description"]
    for option in prop.get("anyOf", ()):
        if option.get("description"):
            return option["description"]
    return None


def _refs(schema: Any) -> list[str]:
    """Names of the $defs a schema fragment points to, in order of appearance."""
    found: list[str] = []
    if isinstance(schema, dict):
        if "$ref" in schema:
            found.append(schema["$ref"].rsplit("/", 1)[-1])
        for value in schema.values():
            found.extend(_refs(value))
    elif isinstance(schema, list):
        for value in schema:
            found.extend(_refs(value))
    return found


def _record_doc(name: str, schema: dict[str, Any], stem: str | None, anchors: dict[str, str]) -> RecordDoc:
    """Document one object schema."""
    required = set(schema.get("required", ()))
    fields = []
    for prop_name, prop in schema.get("properties", {}).items():
        description = _description(prop)
        if description is None:
            key = None
        elif description in TYPE_DESCRIPTIONS:
            key = f"schema-type-{TYPE_DESCRIPTIONS[description]}"
        else:
            key = field_key(name, prop_name)
        default = json.dumps(prop["default"], ensure_ascii=False) if "default" in prop else None
        fields.append(FieldDoc(prop_name, tuple(type_parts(prop, anchors)), prop_name in required, default,
                               description, key))
    return RecordDoc(name, record_anchor(name, stem), schema.get("description"), record_key(name), tuple(fields))


@lru_cache(maxsize=1)  # depends only on the schema; the Data page asks for it once per language
def field_reference() -> tuple[list[RecordDoc], list[FileDoc]]:
    """The common types and, per data file, every object type with every field."""
    common: dict[str, RecordDoc] = {}
    files = []
    for stem, root in FILES.items():
        schema = data_schema(stem)
        defs = schema.get("$defs", {})
        # breadth-first from the root, so entry types come before the types they use
        queue, order = _refs(schema.get("properties", {})), []
        while queue:
            name = queue.pop(0)
            if name not in order and name in defs:
                order.append(name)
                queue.extend(_refs(defs[name].get("properties", {})))
        anchors = {name: record_anchor(name, None if name in COMMON else stem) for name in defs}
        doc = FileDoc(stem, f"fields-{stem}", f"{stem}.schema.json")
        root_name = root.__name__
        root_doc = _record_doc(root_name, schema, stem, anchors)
        if root_doc.description == f"data/{stem}.yaml":  # says nothing the section title does not
            root_doc = RecordDoc(root_doc.name, root_doc.anchor, None, root_doc.description_key, root_doc.fields)
        doc.records.append(root_doc)
        for name in order:
            if name in COMMON:
                common.setdefault(name, _record_doc(name, defs[name], None, anchors))
            else:
                doc.records.append(_record_doc(name, defs[name], stem, anchors))
        files.append(doc)
    return [common[name] for name in COMMON if name in common], files


def download_reference() -> RecordDoc:
    """The fields of a download document (the same wrapper for every dataset)."""
    schema = download_schema("models")
    doc = _record_doc("Download", schema, None, {"ModelRecord": None})
    wrapper_fields = tuple(
        FieldDoc(f.name, (TypePart("list[record]"),) if f.name == "items" else f.type, f.required, f.default,
                 "Every entry of the dataset, in a stable order." if f.name == "items" else f.description,
                 f.description_key) for f in doc.fields)
    return RecordDoc("Download", "fields-download", "A published download data/<dataset>.json.",
                    record_key("download"), wrapper_fields)


def translation_keys() -> dict[str, str]:
    """Every ui.yaml key the field reference needs, with the English text it translates."""
    common, files = field_reference()
    keys: dict[str, str] = {}
    for model in [*common, *(m for f in files for m in f.records), download_reference()]:
        if model.description:
            keys[model.description_key] = model.description
        for item in model.fields:
            if item.description_key and item.description:
                keys[item.description_key] = item.description
    return keys
