"""Downloads and the Data page: /data/*.json and *.csv validate against the published schemas and
are byte-stable; the downloads, field-reference and changelog blocks."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import posixpath
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from markupsafe import escape
from referencing import Registry, Resource

from conftest import SITE_URL, make_site, read_catalog
from atlas import datapage, downloads, i18n, schemagen, workspace
from atlas.schema import INHERITED
from atlas.markers import Marker
from atlas.schema import MoE

ROOT = Path(__file__).resolve().parents[1]
DATASETS = tuple(downloads.ITEMS)


@pytest.fixture(scope="module")
def written(tmp_path_factory, catalog) -> Path:
    """A site folder holding only what finish_site writes: the downloads and schemas (no MkDocs build)."""
    folder = tmp_path_factory.mktemp("downloads")
    workspace.finish_site(folder, make_site(catalog), {})
    return folder


def validator(folder: Path, dataset: str) -> Draft202012Validator:
    """A validator for one download, using the schema as published next to it."""
    schema = json.loads((folder / "data" / "schemas" / f"download-{dataset}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    registry = Registry().with_resource(schema["$id"], Resource.from_contents(schema))
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("dataset", DATASETS)
def test_json_validates_against_its_published_schema(written, catalog, dataset):
    """Each JSON file is {as_of, license, items} and validates, formats included."""
    document = json.loads((written / "data" / f"{dataset}.json").read_text(encoding="utf-8"))
    errors = sorted(validator(written, dataset).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert document["as_of"] == catalog.as_of.isoformat()
    assert document["license"] == "CC-BY-4.0"
    assert len(document["items"]) == len(downloads.ITEMS[dataset](catalog)) > 0


def test_models_are_resolved_records(written, catalog):
    """models.json holds every model by id with inheritance applied: a variant lacks no figure its base has."""
    items = {m["id"]: m for m in json.loads((written / "data" / "models.json").read_text(encoding="utf-8"))["items"]}
    assert set(items) == set(catalog.models)
    assert list(items) == sorted(items)
    variants = [m for m in items.values() if m["base_model"]]
    assert variants
    for variant in variants:
        base = items[variant["base_model"]]
        missing = [name for name in INHERITED if base[name] is not None and variant[name] is None]
        assert not missing, (variant["id"], missing)


def test_variant_record_of_the_fixture(fixture_catalog):
    """Qwen3-235B-A22B-Instruct-2507 sets only its date, context and variant; the rest comes from its base."""
    items = {m["id"]: m for m in downloads.document("models", fixture_catalog)["items"]}
    assert list(items) == ["deepseek-r1", "qwen2.5-72b", "qwen2.5-7b", "qwen3-235b-a22b",
                           "qwen3-235b-a22b-instruct-2507", "qwq-32b"]
    variant = items["qwen3-235b-a22b-instruct-2507"]
    assert {key: variant[key] for key in ("family", "variant", "released", "params_b", "active_params_b",
                                          "context_tokens", "training_tokens_t", "license", "weights", "source",
                                          "moe", "base_model", "date_precision")} == {
        "family": "qwen3", "variant": "instruct", "released": "2025-07-21", "params_b": 235,
        "active_params_b": 22, "context_tokens": 262144, "training_tokens_t": 36, "license": "apache-2.0",
        "weights": "open", "source": "qwen3-report",
        "moe": {"routed_experts": 128, "activated_experts": 8, "shared_experts": 0},
        "base_model": "qwen3-235b-a22b", "date_precision": "day"}
    assert variant["developer"] == {"zh": "通义千问团队", "en": "Qwen Team"}


def test_every_schema_is_published(written):
    """The data-file schemas and the download schemas are both copied to /data/schemas/."""
    published = sorted(p.name for p in (written / "data" / "schemas").glob("*.schema.json"))
    assert published == sorted(schemagen.expected_files())


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def _resolve(node: dict, defs: dict) -> dict:
    """Follow $ref and take the non-null branch of an optional field."""
    if "$ref" in node:
        return _resolve(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    options = [o for o in node.get("anyOf", ()) if o.get("type") != "null"]
    return _resolve(options[0], defs) if len(options) == 1 and "anyOf" in node else node


def _scalar(text: str, node: dict):
    """Convert one CSV cell back to the JSON type its schema asks for."""
    kind = node.get("type")
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        assert text in ("true", "false"), text
        return text == "true"
    return text


def unflatten(row: dict[str, str], item_schema: dict, defs: dict) -> dict:
    """Rebuild one record from its dotted CSV columns, guided by the item schema."""

    def build(node: dict, prefix: str):
        """The nested record value of `node` from the flat CSV row."""
        node_resolved = _resolve(node, defs)
        nullable = "anyOf" in node and any(o.get("type") == "null" for o in node["anyOf"])
        if node_resolved.get("type") == "object" and "properties" in node_resolved:
            if nullable and all(text == "" for column, text in row.items() if column.startswith(prefix)):
                return None  # every column of an optional object is empty: it was null
            return {name: build(child, f"{prefix}{name}.") for name, child in node_resolved["properties"].items()}
        if node_resolved.get("type") == "object":  # a map such as field_sources
            keys = [c[len(prefix):] for c in row if c.startswith(prefix) and row[c] != ""]
            return {key: row[prefix + key] for key in keys}
        text = row[prefix[:-1]]
        if node_resolved.get("type") == "array":
            item = _resolve(node_resolved.get("items", {}), defs)
            return [] if text == "" else [_scalar(part, item) for part in text.split(";")]
        if text == "":
            return None if nullable or "default" in node else text
        return _scalar(text, node_resolved)

    record = build(item_schema, "")
    return record


@pytest.mark.parametrize("dataset", DATASETS)
def test_csv_rows_validate_once_unflattened(written, dataset):
    """Every CSV row, with dotted columns nested again and numbers converted, is a valid record."""
    schema = json.loads((written / "data" / "schemas" / f"download-{dataset}.schema.json").read_text(encoding="utf-8"))
    defs = schema["$defs"]
    item_schema = schema["properties"]["items"]["items"]
    text = (written / "data" / f"{dataset}.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    document = json.loads((written / "data" / f"{dataset}.json").read_text(encoding="utf-8"))
    assert len(rows) == len(document["items"])
    items = [unflatten(row, item_schema, defs) for row in rows]
    check = validator(written, dataset)
    wrapped = {"as_of": document["as_of"], "license": document["license"], "items": items}
    errors = list(check.iter_errors(wrapped))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    for rebuilt, original in zip(items, document["items"]):  # same records as the JSON, row by row
        for key, value in original.items():
            if value not in (None, [], {}):
                assert rebuilt[key] == value, (dataset, key)


def test_csv_flattening_rules(written):
    """Nested objects become dotted columns, lists are joined with ';', null is an empty cell."""
    header = (written / "data" / "models.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    for column in ("id", "developer.zh", "developer.en", "moe.routed_experts", "moe.shared_experts", "related"):
        assert column in header
    releases = list(csv.DictReader(io.StringIO((written / "data" / "releases.csv").read_text(encoding="utf-8"))))
    multi = next(r for r in releases if ";" in r["models"])
    assert all(part for part in multi["models"].split(";"))
    assert downloads.csv_cell(None) == "" and downloads.csv_cell(True) == "true" and downloads.csv_cell([1, 2]) == "1;2"


# ---------------------------------------------------------------------------
# Determinism
# ---------------------------------------------------------------------------


def test_downloads_are_byte_identical_across_runs(tmp_path, written):
    """A fresh catalog (another day, another site address) written to a new folder gives the same bytes."""
    other = tmp_path / "again"
    fresh = make_site(read_catalog(ROOT / "data", today=dt.date(2100, 1, 1)))
    workspace.finish_site(other, dataclasses.replace(fresh, site_url="https://fork.example.org/atlas/"), {})
    first = {p.relative_to(written): p.read_bytes() for p in sorted((written / "data").rglob("*")) if p.is_file()}
    second = {p.relative_to(other): p.read_bytes() for p in sorted((other / "data").rglob("*")) if p.is_file()}
    assert first and first == second
    assert len(first) == 2 * len(DATASETS) + len(schemagen.expected_files())


def test_files_are_utf8_with_unix_line_ends_and_sorted_keys(written, catalog):
    """UTF-8 without BOM, '\\n' only, keys sorted, no date other than the data's own as-of date."""
    dates = re.compile(r"\b(20\d\d-\d\d-\d\d)")
    known = {catalog.as_of.isoformat()}
    for dataset in DATASETS:
        raw = (written / "data" / f"{dataset}.json").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and raw.endswith(b"\n")
        document = json.loads(raw.decode("utf-8"))
        assert raw.decode("utf-8") == json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
        data_dates = set(dates.findall(json.dumps(document["items"], ensure_ascii=False)))
        assert set(dates.findall(raw.decode("utf-8"))) <= known | data_dates
        csv_raw = (written / "data" / f"{dataset}.csv").read_bytes()
        assert b"\r" not in csv_raw and not csv_raw.startswith(b"\xef\xbb\xbf")
        csv_raw.decode("utf-8")


# ---------------------------------------------------------------------------
# The Data, field-reference and changelog blocks
# ---------------------------------------------------------------------------


def _expand(kind: str, ctx, lang: str, page: str) -> str:
    """Render one Data page marker kind for a page (`ctx`: a context factory)."""
    handler = {"downloads": datapage.render_downloads, "fields": datapage.render_fields,
               "changelog": datapage.render_changelog}[kind]
    return handler(Marker(kind, {}, page, 5), ctx(lang, page))


@pytest.mark.parametrize(("lang", "page", "prefix"), [("zh", "data.md", "data/"), ("en", "data.en.md", "en/data/")])
def test_download_links_resolve_to_the_files(written, catalog, ctx, lang, page, prefix):
    """From /data/ and /en/data/ every file link lands on a file written at the site root."""
    html = _expand("downloads", ctx, lang, page)
    links = re.findall(r'href="([^"#]+\.(?:json|csv))"', html)
    assert len(links) >= 3 * len(DATASETS)
    for link in links:
        target = posixpath.normpath(posixpath.join(prefix, link))
        assert not target.startswith(".."), link
        assert (written / target).is_file(), (lang, link)
    assert ("../../data/models.json" if lang == "en" else "../data/models.json") in links
    assert "CC BY 4.0" in html and "creativecommons.org/licenses/by/4.0/" in html
    assert catalog.as_of.isoformat() in html
    assert "@misc{" in html and f"Data as of {catalog.as_of.isoformat()}" in html


def test_citation_uses_the_deploy_address(catalog, ctx, monkeypatch):
    """A fork that sets SITE_URL cites its own address; otherwise the canonical one; the Data page
    cites the address of its build."""
    monkeypatch.delenv("SITE_URL", raising=False)
    assert workspace.site_url() == schemagen.CANONICAL_URL
    assert schemagen.CANONICAL_URL + "data/" in downloads.bibtex(catalog, workspace.site_url())
    monkeypatch.setenv("SITE_URL", "https://fork.example.org/atlas")
    assert workspace.site_url() == "https://fork.example.org/atlas/"
    assert "https://fork.example.org/atlas/data/" in downloads.bibtex(catalog, workspace.site_url())
    assert f"\\url{{{SITE_URL}data/}}" in _expand("downloads", ctx, "en", "data.en.md")
    mkdocs_yml = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert f'site_url: !ENV [SITE_URL, "{schemagen.CANONICAL_URL}"]' in mkdocs_yml


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_field_reference_documents_every_field(ctx, lang):
    """Every field of every data file appears in its section, translated, with required marked."""
    page = "data.md" if lang == "zh" else "data.en.md"
    html = _expand("fields", ctx, lang, page)
    common, files = schemagen.field_reference()
    records = [*common, *(record for f in files for record in f.records)]
    assert records
    for record in records:
        section = html.split(f'id="{record.anchor}"', 1)[1].split("</table>", 1)[0]
        for field in record.fields:
            assert f"<code>{field.name}</code>" in section, (record.name, field.name)
    for stem in schemagen.FILES:
        assert f"{{ #fields-{stem} }}" in html
    assert 'lang="en"' not in html  # nothing falls back to untranslated English
    type_links = set(re.findall(r'href="#(fields-[a-z0-9.-]+)"', html))
    anchors = set(re.findall(r'id="(fields-[a-z0-9.-]+)"', html))
    assert type_links <= anchors


def test_field_reference_falls_back_to_english_when_untranslated(catalog):
    """A description without a Chinese translation is shown in English and marked lang=en."""
    ui = {key: text for key, text in catalog.ui.items() if key != "schema-field-moe-routed-experts"}
    untranslated = make_site(dataclasses.replace(catalog, ui=ui))
    html = datapage.render_fields(Marker("fields", {}, "data.md", 5), untranslated.context("zh", "data.md"))
    english = MoE.model_fields["routed_experts"].description
    assert 'lang="en"' in html and str(escape(english)) in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_changelog_lists_entries_newest_first_and_review_dates(catalog, ctx, lang):
    """Entries in date order, newest first, and each data file with its reviewed date."""
    page = "changelog.md" if lang == "zh" else "changelog.en.md"
    html = _expand("changelog", ctx, lang, page)
    entries = re.findall(r'<li class="atlas-change[^"]*"><time datetime="([0-9-]+)"', html)
    assert len(entries) == len(catalog.changes)
    assert entries == sorted(entries, reverse=True)
    for stem, date in catalog.reviewed.items():
        assert re.search(rf"<code>data/{re.escape(stem)}\.yaml</code></th><td data-sort=\"{date.isoformat()}\"><time datetime=\"{date.isoformat()}\"", html)
    for change in catalog.changes:
        assert str(escape(i18n.pick(change.summary, lang))) in html


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe(text):
    """A text cell that a spreadsheet would run as a formula is written with a leading apostrophe."""
    from atlas.downloads import csv_cell

    assert csv_cell(text) == "'" + text
    assert csv_cell([text, "plain"]) == "'" + text + ";plain"


def test_numbers_and_plain_text_are_written_as_they_are():
    """Numbers (even negative ones) and ordinary text are not prefixed."""
    from atlas.downloads import csv_cell

    assert [csv_cell(-1.5), csv_cell(7), csv_cell("Qwen3"), csv_cell("a=b")] == ["-1.5", "7", "Qwen3", "a=b"]


def test_the_data_page_says_how_formula_cells_are_written(ctx):
    """Both languages of the Data page explain the apostrophe."""
    from atlas.registry import expand_page

    for lang, page in (("zh", "data.md"), ("en", "data.en.md")):
        html = expand_page("<!-- atlas:downloads -->\n", ctx(lang, page)).markdown
        assert ctx(lang, page).t("dl-csv-formulas").split("=")[0][:10] in html
