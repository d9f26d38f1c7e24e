"""Tables from data: unknown datasets, columns and filters name the page and line; rows carry sources."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest

from atlas.markers import MarkerError
from atlas.context import cell, sort_key
from atlas.datasets import DATASETS, FACETS, model_facets, size_range, table_view
from atlas.i18n import LANGS
from atlas.registry import expand_page


@pytest.mark.parametrize("marker, message", [
    ("<!-- atlas:table dataset=modles -->", "atlas:table: unknown dataset 'modles'; did you mean `models`? (expected one of: families, licenses"),
    ("<!-- atlas:table dataset=models columns=name,size -->", "atlas:table: unknown column 'size'; dataset models has: name,"),
    ("<!-- atlas:table dataset=models columns=name,parms -->", "atlas:table: unknown column 'parms'; did you mean `params`?"),
    ("<!-- atlas:table dataset=models filter=famly:qwen3 -->", "atlas:table: unknown filter field 'famly'; did you mean `family`?"),
    ("<!-- atlas:table dataset=models filter=family:qwen9 -->", "atlas:table: the filter 'family:qwen9' matches no row"),
    ("<!-- atlas:table dataset=models sort=size -->", "atlas:table: cannot sort by 'size'"),
    ("<!-- atlas:table dataset=models colour=red -->", "atlas:table: unknown argument(s) colour"),
    ("<!-- atlas:table datset=models -->", "atlas:table: unknown argument(s) datset (did you mean `dataset`?); expected:"),
    ("<!-- atlas:compare models=qwq-32b benchmarks=aime99 -->", "atlas:compare: unknown benchmark 'aime99'"),
    ("<!-- atlas:fact model=qwq-32b field=weight -->", "atlas:fact: unknown field 'weight'; expected one of:"),
    ("<!-- atlas:chart id=nope -->", "atlas:chart: unknown chart 'nope'; expected one of:"),
])
def test_bad_markers_name_page_and_line(ctx, marker, message):
    """Every kind of marker mistake stops with page:line, the marker kind and what was expected."""
    with pytest.raises(MarkerError) as raised:
        expand_page("# T\n\nText.\n\n" + marker + "\n", ctx("zh", "moe.md"))
    assert str(raised.value).startswith("moe.md:5: " + message)


def test_every_row_has_a_source_link(ctx, catalog):
    """A models table in English: localized header, one source link per row, every model present."""
    html = expand_page("<!-- atlas:table dataset=models columns=name,params,context -->\n",
                       ctx("en", "x.en.md")).markdown
    assert '<th scope="col" class="atlas-num" data-sort-method="atlas-number">Total params</th>' in html
    rows = html.count("<tr id=\"models-")
    assert rows == len(catalog.models)
    assert all(f'<tr id="models-{model_id}"' in html for model_id in catalog.models)
    assert html.count('class="atlas-cite"') >= rows


def test_headers_and_units_are_localized(ctx):
    """The same table in Chinese uses Chinese headers and 亿 for parameter counts."""
    html = expand_page("<!-- atlas:table dataset=models columns=name,params filter=model:qwen3-235b-a22b -->\n",
                       ctx("zh", "x.md")).markdown
    assert "总参数量" in html and "2350 亿" in html


PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?$")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?$")


def _page(lang: str) -> str:
    """A page of the language."""
    return "x.md" if lang == "zh" else "x.en.md"


@pytest.mark.parametrize("value, key", [
    (131072, "131072"), (131072.0, "131072"), (0.5, "0.5"), (72.7, "72.7"), (1e-7, "0.0000001"),
    (1e16, "10000000000000000"), (dt.date(2024, 9, 19), "2024-09-19"), ("Qwen3-32B", "Qwen3-32B"),
])
def test_sort_keys_are_plain_numbers_dates_or_text(value, key):
    """A sort key is a number in plain decimal notation (no exponent, no unit), an ISO date or the text."""
    assert sort_key(value) == key


def test_a_cell_without_text_is_a_missing_figure():
    """An empty cell is missing whatever sort value it was given; a cell of links is not empty."""
    assert cell("", sort=0) == {"text": "", "sort": None, "key": "", "missing": True}
    assert not cell("", links=[{"text": "A", "href": "a/"}])["missing"]
    assert cell("32K", sort=32768)["key"] == "32768"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_figure_and_date_carries_a_machine_sort_key(ctx, name, lang):
    """Every cell of a numeric column of every dataset (all its columns, both languages) carries a plain
    number, every date an ISO date, so the browser never parses "32K" or "2024年9月19日"; a missing
    figure carries an empty key."""
    view = table_view(name, ctx(lang, _page(lang)), list(DATASETS[name].columns))
    checked = 0
    for row in view["rows"]:
        for column, item in zip(view["columns"], row["cells"]):
            if item["missing"]:
                assert item["key"] == "" and item["text"] == ""
                continue
            if column["numeric"]:
                assert PLAIN_NUMBER.match(item["key"]), (name, column["label"], item)
                checked += 1
            if "datetime" in item:
                assert ISO_DATE.match(item["key"]), (name, column["label"], item)
                checked += 1
    assert checked or name in ("licenses", "families")


@pytest.mark.parametrize("order", ["context", "-context"])
def test_a_missing_figure_sorts_last_both_ways(ctx, catalog, order):
    """Sorted by context length, 32K comes before 128K (by value, not by text) and models without a
    sourced context length come last, ascending and descending; the header says the order."""
    view = table_view("models", ctx("en", "x.en.md"), ["name", "context"], None, order)
    keys = [row["cells"][1]["key"] for row in view["rows"]]
    present = [int(key) for key in keys if key]
    assert present == sorted(present, reverse=order.startswith("-"))
    assert keys[len(present):] == [""] * (len(keys) - len(present)) and len(present) < len(keys)
    assert view["columns"][1]["sorted"] == ("descending" if order.startswith("-") else "ascending")
    assert view["columns"][0]["sorted"] is None
    html = expand_page(f"<!-- atlas:table dataset=models columns=name,context sort={order} -->\n",
                       ctx("en", "x.en.md")).markdown
    assert html.index('data-sort="32768">32,768 (32K)') < html.index('data-sort="131072">131,072 (128K)') \
        or order.startswith("-")
    assert '<td class="atlas-missing atlas-num" data-sort="">—</td>' in html


def test_chart_data_tables_carry_sort_keys(ctx, catalog):
    """The data table under each chart (the same template) carries machine keys on its figures
    ("235B" sorts by 235, "2350 亿" too)."""
    for chart_id in sorted(catalog.charts):
        html = expand_page(f"<!-- atlas:chart id={chart_id} -->\n", ctx("en", "x.en.md")).markdown
        figures = re.findall(r'<td class="atlas-num"(?: data-sort="([^"]*)")?>([^<]*)<', html)
        assert figures, chart_id
        for key, text in figures:  # no data-sort when the text is the key (a count such as "3")
            assert PLAIN_NUMBER.match(key or text), (chart_id, key, text)


def test_compare_scores_carry_their_values(ctx):
    """A compare table's scores carry their values; a missing score shows a dash and sorts last."""
    html = expand_page("<!-- atlas:compare models=qwen3-235b-a22b,deepseek-r1 benchmarks=aime24,arena-hard "
                       "mode=thinking -->\n", ctx("en", "x.en.md")).markdown
    keys = re.findall(r'<td class="atlas-num" data-sort="([^"]*)">', html)
    assert keys and all(PLAIN_NUMBER.match(key) for key in keys)
    assert 'data-facet-model="qwen3-235b-a22b"' in html


@pytest.mark.parametrize("params, expected", [
    (None, ""), (0.6, "lt10"), (9.99, "lt10"), (10, "10-40"), (32.8, "10-40"), (40, "40-100"), (72.7, "40-100"),
    (100, "ge100"), (235, "ge100"),
])
def test_size_ranges(params, expected):
    """Total parameters fall into one size range of the filter; an unknown size into none."""
    assert size_range(params) == expected


def test_rows_of_models_and_scores_carry_their_model_facets(ctx, catalog):
    """A scores row carries the facets of its model, so the filter narrows scores like models."""
    model = catalog.models["qwen3-235b-a22b"]
    facets = model_facets(model)
    assert facets == {"model": "qwen3-235b-a22b", "family": "qwen3", "weights": "open", "license": "apache-2.0",
                      "size": "ge100", "arch": "moe"}
    html = expand_page("<!-- atlas:table dataset=scores filter=model:qwen3-235b-a22b -->\n",
                       ctx("en", "x.en.md")).markdown
    attributes = " ".join(f'data-facet-{name}="{value}"' for name, value in facets.items())
    assert html.count(attributes) == len(catalog.scores_of("qwen3-235b-a22b"))


@pytest.mark.parametrize("lang, family, small", [("zh", "系列", "&lt; 100 亿"), ("en", "Family", "&lt; 10B")])
def test_filter_form_is_hidden_until_the_script_runs(ctx, lang, family, small):
    """The filter marker renders a form that stays hidden without JavaScript (the stylesheet hides it
    under the root's no-js class, not a `hidden` attribute the script would lift after the first
    paint, moving the page): a text box and one select per facet, whose names are the query-string
    keys, labelled in the page's language."""
    html = expand_page("<!-- atlas:filter -->\n", ctx(lang, _page(lang))).markdown
    form = re.search(r'<form class="atlas-filter[^"]*"[^>]*>', html)
    assert form and " hidden" not in form.group(0)
    stylesheet = (Path(__file__).resolve().parents[1] / "overrides/assets/stylesheets/atlas.css").read_text(encoding="utf-8")
    assert ".no-js .md-typeset .atlas-filter" in stylesheet
    assert re.findall(r'<select name="([a-z]+)">', html) == list(FACETS)
    assert '<input type="search" name="text"' in html
    assert f"{family} <select" in html and small in html and '<option value="qwen3">' in html
    assert 'data-template="' in html and "{shown}" in html and "{total}" in html


def test_vendored_tablesort_is_the_upstream_file():
    """The sorter served from the site is byte for byte tablesort's published build (its README
    names the sha256), and mkdocs.yml loads it before the script that sets it up."""
    root = Path(__file__).resolve().parents[1]
    vendor = root / "overrides/assets/vendor/tablesort"
    recorded = re.search(r"upstream sha256: ([0-9a-f]{64})", (vendor / "README.md").read_text("utf-8")).group(1)
    assert hashlib.sha256((vendor / "tablesort-5.7.1.min.js").read_bytes()).hexdigest() == recorded
    assert (vendor / "LICENCE").read_text("utf-8").startswith("Copyright (c) Tristen Brown")
    config = (root / "mkdocs.yml").read_text("utf-8")
    assert config.index("assets/vendor/tablesort/tablesort-5.7.1.min.js") < config.index("assets/javascripts/tables.js")
