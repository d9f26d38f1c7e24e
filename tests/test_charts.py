"""Charts: what each chart plots, localized labels, figures plotly.py accepts, complete and safe HTML.

What a chart selects is tested on the small fixture catalog (tests/fixtures/catalog) against model
ids and values worked out by hand from its YAML. The real data is tested for properties only:
every chart of data/charts.yaml builds in both languages, validates against plotly.py's schema,
and its data table shows exactly the models and values it plots.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path

import markupsafe
import plotly.graph_objects
import plotly.offline
import pytest
import yaml

from conftest import make_site
from atlas import charts, selections
from atlas.figures import narrow_legend
from atlas.markers import Marker, MarkerError
from atlas.registry import expand_page
from atlas.selections import SELECTORS, SelectionError

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "overrides" / "assets" / "vendor" / "plotly"
# The charts of the real data, read from data/charts.yaml (parametrization happens before fixtures).
CHART_IDS = [chart["id"] for chart in yaml.safe_load((ROOT / "data" / "charts.yaml").read_text("utf-8"))["charts"]]
LANGS = ("zh", "en")
SCRIPT = re.compile(r'<script type="application/json" id="chart-(?P<id>[a-z0-9.-]+)-data">(?P<json>.*?)</script>', re.S)
TABLE_MODEL_LINK = re.compile(r'<a href="(?:\.\./)*models/([^/"]+)/">')


def _context(catalog, lang: str, page: str = "page.md"):
    """A rendering context of `page` in one language for any catalog (charts shown on the real pages)."""
    return make_site(catalog).context(lang, page if lang == "zh" else page.replace(".md", ".en.md"))


def _render(ctx, chart_id: str) -> str:
    """The chart's HTML as a page would get it."""
    return charts.render_chart(Marker("chart", {"id": chart_id}, ctx.page, 1), ctx)


def _figure(ctx, chart_id: str) -> dict:
    """The chart's plotly figure (data, layout and config)."""
    return charts.chart_view(chart_id, ctx)["payload"]


def _embedded(markup: str) -> dict:
    """The figure JSON exactly as the browser will read it from the page."""
    [match] = SCRIPT.finditer(markup)
    return json.loads(match.group("json"))


def _ids(models) -> list[str]:
    """The ids of a list of models."""
    return [m.id for m in models]


@pytest.fixture(scope="module")
def fx(fixture_catalog):
    """`fx(lang)`: a context of the fixture catalog (English by default)."""
    site = make_site(fixture_catalog)
    return lambda lang="en": site.context(lang, "page.md" if lang == "zh" else "page.en.md")


# ---------------------------------------------------------------------------
# Versions and registry
# ---------------------------------------------------------------------------


def test_vendored_plotly_matches_python_package():
    """The shipped plotly.js is the version plotly.py builds its figure JSON for."""
    [bundle] = VENDOR.glob("plotly-basic-*.min.js")
    version = re.fullmatch(r"plotly-basic-(\d+\.\d+\.\d+)\.min\.js", bundle.name).group(1)
    assert plotly.offline.get_plotlyjs_version() == version
    assert f"v{version}" in bundle.read_text(encoding="utf-8")[:300]


def test_every_chart_has_texts_and_a_selector(catalog, fixture_catalog):
    """data/charts.yaml and selections.SELECTORS name the same charts; the fixture covers every one."""
    assert CHART_IDS and set(CHART_IDS) == set(catalog.charts) == set(SELECTORS)
    assert set(fixture_catalog.charts) == set(SELECTORS)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_figure_is_exactly_what_plotly_py_validates(ctx, chart_id, lang):
    """The figures are plain JSON (no graph_objects at build time, for speed), so plotly.py's
    schema checks them here: every property must exist and keep its value through validation,
    and every trace type must be one the shipped basic bundle draws."""
    figure = _figure(ctx(lang), chart_id)
    validated = plotly.graph_objects.Figure(data=figure["data"], layout=figure["layout"]).to_plotly_json()
    dump = lambda value: json.dumps(value, sort_keys=True, ensure_ascii=False)  # noqa: E731
    assert dump(validated["data"]) == dump(figure["data"])
    assert dump(validated["layout"]) == dump(figure["layout"])
    assert {trace["type"] for trace in figure["data"]} <= {"bar", "scatter", "pie"}


def test_plotly_validation_would_catch_a_misspelt_property(ctx):
    """The check above can fail: a property plotly.js does not know is rejected."""
    figure = _figure(ctx("en"), "moe-params")
    figure["data"][0]["hovertemplat"] = "%{y}"
    with pytest.raises(ValueError, match="hovertemplat"):
        plotly.graph_objects.Figure(data=figure["data"], layout=figure["layout"])


def test_unknown_chart_id_is_a_clear_error(ctx):
    """A typo in a page names the chart, the known ids, the page and the line."""
    with pytest.raises(ValueError, match=r"unknown chart 'moe-param'; did you mean `moe-params`\? \(expected one of: .*moe-params"):
        _render(ctx("zh"), "moe-param")
    with pytest.raises(MarkerError, match=r"^guide\.md:3: atlas:chart: unknown chart 'nope'"):
        expand_page("# T\n\n<!-- atlas:chart id=nope -->\n", ctx("zh", "guide.md"))
    with pytest.raises(MarkerError, match=r"missing argument\(s\): id"):
        expand_page("<!-- atlas:chart -->\n", ctx("zh", "guide.md"))


def test_chart_without_texts_is_a_clear_error(catalog):
    """A chart with a selector but no entry in data/charts.yaml says what to add."""
    trimmed = dataclasses.replace(catalog, charts={k: v for k, v in catalog.charts.items() if k != "moe-params"})
    with pytest.raises(ValueError, match=r"'moe-params' has no entry in data/charts\.yaml"):
        _render(_context(trimmed, "en"), "moe-params")


def test_chart_with_nothing_to_plot_is_a_clear_error(fixture_catalog):
    """Without any Qwen MoE model the MoE chart names what is missing, and plots no model elsewhere."""
    models = {k: dataclasses.replace(m, moe=None) for k, m in fixture_catalog.models.items()}
    flat = dataclasses.replace(fixture_catalog, models=models)
    with pytest.raises(SelectionError, match="no Qwen model has a moe configuration"):
        selections.moe_params(flat)
    with pytest.raises(MarkerError, match=r"^page\.md:1: atlas:chart: no Qwen model has a moe configuration"):
        expand_page("<!-- atlas:chart id=moe-params -->\n", _context(flat, "zh"))
    assert selections.plotted_models(flat)["moe-params"] == frozenset()


# ---------------------------------------------------------------------------
# Selections on the fixture catalog (expected ids worked out from tests/fixtures/catalog)
# ---------------------------------------------------------------------------


def test_tokens_by_generation_selects_each_familys_largest_corpus(fixture_catalog):
    """Qwen2.5: 18T (both sizes); Qwen3: 36T; QwQ has no figure and the 2507 variant inherits its base's."""
    groups = selections.tokens_by_generation(fixture_catalog).groups
    assert [(family, value, _ids(models)) for family, value, models in groups] == [
        ("qwen2.5", 18, ["qwen2.5-7b", "qwen2.5-72b"]),
        ("qwen3", 36, ["qwen3-235b-a22b"]),
    ]


def test_context_by_generation_counts_variants(fixture_catalog):
    """Qwen3's longest context is the 256K of its Instruct-2507 variant, not the base's 128K."""
    groups = selections.context_by_generation(fixture_catalog).groups
    assert [(family, value, _ids(models)) for family, value, models in groups] == [
        ("qwen2.5", 131072, ["qwen2.5-7b", "qwen2.5-72b"]),
        ("qwq", 131072, ["qwq-32b"]),
        ("qwen3", 262144, ["qwen3-235b-a22b-instruct-2507"]),
    ]


def test_release_timeline_selects_open_qwen_models_by_date(fixture_catalog):
    """Every open Qwen model with a date and size, by date then id; the peer DeepSeek-R1 is left out."""
    assert _ids(selections.release_timeline(fixture_catalog).models) == [
        "qwen2.5-72b", "qwen2.5-7b", "qwq-32b", "qwen3-235b-a22b", "qwen3-235b-a22b-instruct-2507"]


def test_release_timeline_drops_a_variant_on_its_bases_point(fixture_catalog):
    """A variant released the same day with the same size as its base would hide under it."""
    models = dict(fixture_catalog.models)
    variant = models["qwen3-235b-a22b-instruct-2507"]
    models[variant.id] = dataclasses.replace(variant, released=models["qwen3-235b-a22b"].released)
    same_day = dataclasses.replace(fixture_catalog, models=models)
    assert _ids(selections.release_timeline(same_day).models) == [
        "qwen2.5-72b", "qwen2.5-7b", "qwq-32b", "qwen3-235b-a22b"]


def test_moe_params_keeps_one_bar_per_expert_layout(fixture_catalog):
    """The 2507 update repeats its base's layout (235B/22B, 128 routed, 8 active): one bar, the earliest."""
    [model] = selections.moe_params(fixture_catalog).models
    assert model.id == "qwen3-235b-a22b"
    assert (model.moe.routed_experts, model.moe.activated_experts, model.moe.shared_experts) == (128, 8, 0)


def test_qwq_reasoning_selects_sourced_scores_of_qwq_and_peers(fixture_catalog):
    """QwQ-32B, then DeepSeek-R1 (a peer with three scores); benchmarks missing from the data are dropped."""
    grid = selections.qwq_reasoning(fixture_catalog)
    assert grid.benchmarks == ["math-500", "aime24", "livecodebench"]
    values = [(model.id, [s.value if s else None for s in scores]) for model, scores in grid.rows]
    assert values == [("qwq-32b", [None, 79.5, 63.4]), ("deepseek-r1", [97.3, 79.8, 65.9])]


def test_qwen3_flagship_uses_thinking_mode_and_its_own_table(fixture_catalog):
    """Arena-Hard is 95.6 (thinking, Table 11), not 96.1 (non-thinking); DeepSeek-R1 only where Table 11 has it."""
    grid = selections.qwen3_flagship(fixture_catalog)
    assert grid.benchmarks == ["arena-hard", "aime24"]
    values = [(model.id, [s.value if s else None for s in scores]) for model, scores in grid.rows]
    assert values == [("qwen3-235b-a22b", [95.6, 85.7]), ("deepseek-r1", [None, 79.8])]


def test_license_by_generation_counts_every_open_variant(fixture_catalog):
    """Models per (family, licence): the Qwen Licence covers only Qwen2.5-72B; the peer is not counted."""
    counts = selections.license_by_generation(fixture_catalog)
    assert counts.families == ["qwen2.5", "qwq", "qwen3"]
    assert counts.licences == ["apache-2.0", "qwen"]
    assert {key: _ids(models) for key, models in counts.groups.items()} == {
        ("qwen2.5", "apache-2.0"): ["qwen2.5-7b"],
        ("qwen2.5", "qwen"): ["qwen2.5-72b"],
        ("qwq", "apache-2.0"): ["qwq-32b"],
        ("qwen3", "apache-2.0"): ["qwen3-235b-a22b", "qwen3-235b-a22b-instruct-2507"],
    }


def test_plotted_models_of_the_fixture(fixture_catalog):
    """plotted_models (what model pages link) gives every chart's models."""
    qwen3 = {"qwen3-235b-a22b", "qwen3-235b-a22b-instruct-2507"}
    assert selections.plotted_models(fixture_catalog) == {
        "tokens-by-generation": {"qwen2.5-7b", "qwen2.5-72b", "qwen3-235b-a22b"},
        "context-by-generation": {"qwen2.5-7b", "qwen2.5-72b", "qwq-32b", "qwen3-235b-a22b-instruct-2507"},
        "release-timeline": {"qwen2.5-7b", "qwen2.5-72b", "qwq-32b", *qwen3},
        "moe-params": {"qwen3-235b-a22b"},
        "qwq-reasoning": {"qwq-32b", "deepseek-r1"},
        "qwen3-flagship": {"qwen3-235b-a22b", "deepseek-r1"},
        "license-by-generation": {"qwen2.5-7b", "qwen2.5-72b", "qwq-32b", *qwen3},
    }


# ---------------------------------------------------------------------------
# Figures of the fixture: the traces carry exactly the selected values
# ---------------------------------------------------------------------------


def test_family_bars_of_the_fixture(fx):
    """One bar per family, earliest on top, with its largest value and a short label."""
    tokens = _figure(fx("en"), "tokens-by-generation")
    [bar] = tokens["data"]
    assert (bar["y"], bar["x"], bar["orientation"]) == (["Qwen2.5", "Qwen3"], [18, 36], "h")
    [bar] = _figure(fx("en"), "context-by-generation")["data"]
    assert (bar["y"], bar["x"], bar["text"]) == (["Qwen2.5", "QwQ", "Qwen3"], [131072] * 2 + [262144],
                                                 ["128K", "128K", "256K"])
    assert tokens["layout"]["yaxis"]["autorange"] == "reversed"


def test_timeline_of_the_fixture(fx):
    """One scatter trace per family, in family order, on a date axis and a log size axis."""
    figure = _figure(fx("en"), "release-timeline")
    points = [(t["name"], list(zip(t["x"], t["y"]))) for t in figure["data"]]
    assert points == [
        ("Qwen2.5", [("2024-09-19", 72.7), ("2024-09-19", 7.61)]),
        ("QwQ", [("2025-03-06", 32.5)]),
        ("Qwen3", [("2025-04-29", 235), ("2025-07-21", 235)]),
    ]
    assert figure["layout"]["xaxis"]["type"] == "date" and figure["layout"]["yaxis"]["type"] == "log"


def test_score_bars_of_the_fixture(fx):
    """One panel (trace and y axis) per benchmark with the models that have a score there, highest
    first, named above the panel; a missing score leaves no bar and no slot; Qwen in colour."""
    figure = _figure(fx("en"), "qwq-reasoning")
    assert [(t["name"], t["y"], t["x"], t["yaxis"]) for t in figure["data"]] == [
        ("MATH-500", ["DeepSeek-R1"], [97.3], "y"),
        ("AIME'24", ["DeepSeek-R1", "QwQ-32B"], [79.8, 79.5], "y2"),
        ("LiveCodeBench", ["DeepSeek-R1", "QwQ-32B"], [65.9, 63.4], "y3"),
    ], [(t["name"], t["y"], t["x"]) for t in figure["data"]]
    layout = figure["layout"]
    assert [a["text"] for a in layout["annotations"]] == [f"<b>{t['name']}</b>" for t in figure["data"]]
    domains = [layout[key]["domain"] for key in ("yaxis", "yaxis2", "yaxis3")]
    assert domains == sorted(domains, reverse=True) and all(low < high for low, high in domains)
    assert layout["xaxis"]["anchor"] == "y3" and layout["showlegend"] is False
    flagship = _figure(fx("en"), "qwen3-flagship")
    assert [(t["y"], t["x"]) for t in flagship["data"]] == [(["Qwen3-235B-A22B"], [95.6]),
                                                         (["Qwen3-235B-A22B", "DeepSeek-R1"], [85.7, 79.8])], \
        [(t["y"], t["x"]) for t in flagship["data"]]
    colours = flagship["data"][1]["marker"]["color"]
    assert colours[0] == flagship["data"][0]["marker"]["color"][0] != colours[1]


def test_licence_bars_of_the_fixture(fx):
    """Stacked horizontal bars: one trace per licence, a count per family (None where there is none)."""
    figure = _figure(fx("en"), "license-by-generation")
    assert [(t["name"], t["y"], t["x"]) for t in figure["data"]] == [
        ("Apache 2.0", ["Qwen2.5", "QwQ", "Qwen3"], [1, 1, 2]),
        ("Qwen License", ["Qwen2.5", "QwQ", "Qwen3"], [1, None, None]),
    ]
    assert figure["layout"]["barmode"] == "stack"


def test_moe_bars_of_the_fixture(fx):
    """Total and active parameters side by side, with the expert layout in the hover data."""
    total, active = _figure(fx("en"), "moe-params")["data"]
    assert (total["x"], total["y"], active["y"]) == (["Qwen3-235B-A22B"], [235], [22])
    assert total["customdata"] == [["Qwen3-235B-A22B", "235B", "22B", 128, 8, 0]]


# ---------------------------------------------------------------------------
# Localization
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_labels_are_localized_from_data(catalog, ctx, chart_id):
    """Title, axis titles and ui-derived trace names come from charts.yaml / ui.yaml per language."""
    figures = {lang: _figure(ctx(lang), chart_id) for lang in LANGS}
    chart_ui = {lang: {catalog.text(key, lang) for key in catalog.ui if key.startswith("chart-")} for lang in LANGS}
    for lang, figure in figures.items():
        layout = figure["layout"]
        assert layout["title"]["text"] == html.escape(getattr(catalog.charts[chart_id].title, lang), quote=False)
        titled = [axis for axis in layout if axis.startswith(("xaxis", "yaxis")) and "title" in layout[axis]]
        assert titled, "no axis has a title"
        for axis in titled:
            assert html.unescape(layout[axis]["title"]["text"]) in chart_ui[lang], (lang, axis)
        assert layout["separators"] == ".,"
        assert layout["template"] == {"data": {"scatter": [{"type": "scatter"}]}}  # template="none"
        assert figure["config"]["toImageButtonOptions"] == {"filename": f"{chart_id}-{lang}", "format": "png"}
        assert figure["config"]["displaylogo"] is False and figure["config"]["responsive"] is True
    assert figures["zh"]["config"]["locale"] == "zh-CN"
    assert "locale" not in figures["en"]["config"]
    assert figures["zh"]["layout"]["title"] != figures["en"]["layout"]["title"]
    assert all(figures["zh"]["layout"][axis]["title"] != figures["en"]["layout"][axis]["title"]
               for axis in ("xaxis", "yaxis") if "title" in figures["en"]["layout"][axis])
    for zh_trace, en_trace in zip(figures["zh"]["data"], figures["en"]["data"]):
        assert zh_trace["hovertemplate"] != en_trace["hovertemplate"]


def test_hover_and_ticks_use_localized_number_formats(fx):
    """zh: '总参数量：2350 亿'; en: 'Total: 235B'; dates and ticks follow the language."""
    zh, en = (_figure(fx(lang), "moe-params") for lang in LANGS)
    assert "总参数量：%{customdata[1]}" in zh["data"][0]["hovertemplate"]
    assert "Total: %{customdata[1]}" in en["data"][0]["hovertemplate"]
    assert zh["data"][0]["customdata"][0][1:3] == ["2350 亿", "220 亿"]
    assert en["data"][0]["customdata"][0][1:3] == ["235B", "22B"]
    assert "200 亿" in zh["layout"]["yaxis"]["ticktext"] and "20B" in en["layout"]["yaxis"]["ticktext"]
    assert zh["layout"]["yaxis"]["tickvals"] == en["layout"]["yaxis"]["tickvals"]  # same values, own labels
    timeline = {lang: _figure(fx(lang), "release-timeline") for lang in LANGS}
    first = {lang: timeline[lang]["data"][0]["customdata"][1] for lang in LANGS}  # Qwen2.5-7B
    assert first["zh"][:2] == ["Qwen2.5-7B", "2024年9月19日"] and first["en"][:2] == ["Qwen2.5-7B", "19 Sep 2024"]
    assert timeline["zh"]["layout"]["xaxis"]["tickformat"] != timeline["en"]["layout"]["xaxis"]["tickformat"]


# ---------------------------------------------------------------------------
# The real data: every chart builds, and its table shows what it plots
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_chart_html_is_complete(catalog, ctx, chart_id, lang):
    """Caption, sources, as-of date, text alternative and a data table of exactly the plotted values,
    standing in a frame of the chart's height (a taller one for a legend below the plot on a phone)
    until the chart is drawn, with an empty data-table toggle for it afterwards."""
    markup = _render(ctx(lang), chart_id)
    chart = catalog.charts[chart_id]
    pick = lambda text: str(markupsafe.escape(getattr(text, lang)))  # noqa: E731
    figure = _embedded(markup)
    height = figure["layout"]["height"]
    narrow = narrow_legend(figure)
    assert narrow["height"] >= height
    assert markup.startswith(f'<figure class="atlas-chart atlas-no-terms" id="chart-{chart_id}" '
                             f'style="--atlas-chart-height: {height}px; --atlas-chart-height-narrow: '
                             f'{narrow["height"]}px">')
    plot = (f'<div class="atlas-chart__plot" data-chart="chart-{chart_id}-data" '
            f'data-legend-columns="{narrow["columns"]}" data-alt="chart-{chart_id}-alt"></div>')
    assert plot in markup
    frame = markup[markup.index('<div class="atlas-chart__frame">'):markup.index("<script")]
    assert f'id="chart-{chart_id}-title">{pick(chart.title)}</div>' in frame
    assert 'class="atlas-chart__standin"' in frame and "<table>" in frame
    caption = markup[markup.index("<figcaption>"):markup.index("</figcaption>")]
    assert pick(chart.caption) in caption and pick(chart.alt) in caption
    assert f'<p class="atlas-chart__alt" id="chart-{chart_id}-alt">' in caption
    assert f'<time datetime="{chart.as_of.isoformat()}">' in caption
    assert 'class="atlas-cite atlas-chart__cite"' in caption[:caption.index("<details")]
    toggle = caption[caption.index("<details"):]
    assert toggle.startswith('<details class="atlas-chart__data" hidden>') and "<table>" not in toggle
    assert ("数据表" if lang == "zh" else "Data table") in toggle
    assert "\n\n" not in markup and not any(not line.strip() for line in markup.splitlines())
    figure = _embedded(markup)
    assert "bdata" not in json.dumps(figure)
    rows = re.findall(rf'<tr id="chart-{re.escape(chart_id)}-', markup)
    if chart_id == "moe-params":
        plotted = len(figure["data"][0]["x"])  # one row per model (total and active bars)
    else:
        plotted = sum(v is not None for t in figure["data"]
                      for v in (t["x"] if t.get("orientation") == "h" else t["y"]))
    assert len(rows) == plotted > 0


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_plotted_models_are_the_models_linked_in_the_data_table(site, ctx, chart_id):
    """The models a chart plots (what model pages list) are exactly the models its data table links."""
    markup = _render(ctx("en", "page.en.md"), chart_id)
    table = markup[markup.index('class="atlas-chart__standin"'):markup.index("<script")]
    linked = set(TABLE_MODEL_LINK.findall(table))
    assert linked and linked == site.plotted[chart_id]


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_plotted_values_are_figures_of_the_data(catalog, chart_id):
    """Every plotted score is a sourced score of that model and benchmark; a family bar's models
    all have the bar's value; every counted model carries the licence it is counted under."""
    selection = SELECTORS[chart_id](catalog)
    if isinstance(selection, selections.ScoreGrid):
        for model, scores in selection.rows:
            for bench_id, score in zip(selection.benchmarks, scores):
                assert score is None or score in catalog.scores_of(model.id, bench_id), (model.id, bench_id)
            assert any(scores), model.id
    elif isinstance(selection, selections.FamilyPeaks):
        for family_id, value, models in selection.groups:
            assert models and all(m.family == family_id and getattr(m, selection.figure) == value for m in models)
    elif isinstance(selection, selections.LicenceCounts):
        for (family_id, licence_id), models in selection.groups.items():
            assert models and all((m.family, m.license) == (family_id, licence_id) for m in models)
    else:
        models = selection.models
        assert models and len({m.id for m in models}) == len(models)
        assert all(catalog.families[m.family].qwen for m in models)


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_sources_cover_every_plotted_row(catalog, ctx, chart_id):
    """The caption cites every row's sources plus chart.sources, once each, grouped and sorted."""
    view = charts.chart_view(chart_id, ctx("en", "page.en.md"))
    row_sources = {s["id"] for row in view["table"]["rows"] for s in row["sources"]}
    cited = [s["id"] for group in view["sources"] for s in group["sources"]]
    assert len(cited) == len(set(cited))
    assert set(cited) == row_sources | set(catalog.charts[chart_id].sources)
    assert all(row["sources"] for row in view["table"]["rows"])
    publishers = [group["publisher"] for group in view["sources"]]
    assert publishers == sorted(publishers, key=lambda p: (p.casefold(), p))
    for group in view["sources"]:
        assert {catalog.sources[s["id"]].publisher.en for s in group["sources"]} == {group["publisher"]}
        keys = [s["key"] for s in group["sources"]]
        assert keys == sorted(keys)
    markup = _render(ctx("en", "page.en.md"), chart_id)
    caption = markup[markup.index("<figcaption>"):markup.index("<details")]
    for source_id in cited:
        assert f'href="{html.escape(catalog.sources[source_id].url)}"' in caption


# ---------------------------------------------------------------------------
# HTML: deterministic and safe
# ---------------------------------------------------------------------------


def test_output_is_byte_identical_across_renders(ctx):
    """No uuids, timestamps or dict-order noise: two renders give the same bytes."""
    for lang in LANGS:
        for chart_id in CHART_IDS:
            first, second = _render(ctx(lang), chart_id), _render(ctx(lang), chart_id)
            assert first == second
            [match] = SCRIPT.finditer(first)
            assert match.group("json") == json.dumps(json.loads(match.group("json")), ensure_ascii=False,
                                                     sort_keys=True, separators=(",", ":")) \
                .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", first)


def test_labels_are_escaped_and_json_cannot_close_the_script_tag(fixture_catalog):
    """A model name with markup is entity-escaped in every chart that plots it, and </script>
    stays inside the JSON and inside escaped HTML text."""
    evil = 'Qwen3-235B</script><script>alert("x")</script><!--'
    models = dict(fixture_catalog.models)
    models["qwen3-235b-a22b"] = dataclasses.replace(models["qwen3-235b-a22b"], name=evil)
    tampered = dataclasses.replace(fixture_catalog, models=models)
    showing = [chart_id for chart_id, ids in selections.plotted_models(tampered).items() if "qwen3-235b-a22b" in ids]
    assert len(showing) >= 4
    for chart_id in showing:
        markup = _render(_context(tampered, "en"), chart_id)
        assert "<script>alert" not in markup and "<!--" not in markup
        assert markup.count("</script>") == 1
        text = json.dumps(_embedded(markup), ensure_ascii=False)
        # plotly renders a subset of HTML in labels, so the name is entity-escaped inside the figure
        assert html.escape(evil, quote=False).replace('"', '\\"') in text, chart_id
        assert evil.replace('"', '\\"') not in text, chart_id
        assert str(markupsafe.escape(evil)) in markup  # the data table shows it as text


def test_charts_flag_the_page(ctx):
    """A page with a chart marker asks the template for plotly; other pages do not."""
    with_chart = expand_page("# T\n\n<!-- atlas:chart id=moe-params -->\n", ctx("zh", "moe.md"))
    without = expand_page("# T\n\ntext\n", ctx("zh", "index.md"))
    assert with_chart.has_charts and not without.has_charts
    assert '<figure class="atlas-chart' in with_chart.markdown


def test_scripts_block_loads_plotly_only_for_chart_pages():
    """overrides/main.html: charts.js behind page.meta.atlas_charts, deferred, naming plotly and (zh pages
    only) its locale for charts.js to fetch when a chart nears the viewport, not as scripts of the page."""
    import jinja2

    template = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    block = template[template.index("{% block scripts %}"):]
    block = block[:block.index("{% endblock %}") + len("{% endblock %}")]
    env = jinja2.Environment()
    env.filters["url"] = lambda path: "/base/" + path
    source = block.replace("{% block scripts %}", "").replace("{% endblock %}", "")
    source = re.sub(r"\{\{ super\(\)[^}]*\}\}", "", source)
    render = env.from_string(source).render
    config = {"theme": {"language": "zh"}}

    class Page:
        def __init__(self, charts_flag):
            """A page whose meta says whether it has charts."""
            self.meta = {"atlas_charts": charts_flag}

    zh = render(page=Page(True), config=config, i18n_page_locale="zh")
    en = render(page=Page(True), config=config, i18n_page_locale="en")
    none = render(page=Page(False), config=config, i18n_page_locale="zh")
    [tag] = re.findall(r"<script [^>]*>", zh)
    assert tag.startswith('<script src="/base/assets/javascripts/charts.js"') and tag.endswith(" defer>")
    assert 'data-plotly="/base/assets/vendor/plotly/plotly-basic-4.1.1.min.js"' in tag
    assert 'data-plotly-locale="/base/assets/javascripts/plotly-locale-zh-cn.js"' in tag
    assert "plotly-locale-zh-cn.js" not in en and 'data-plotly="' in en
    assert "charts.js" in en and "script" not in none
    assert (ROOT / "overrides" / "assets" / "javascripts" / "charts.js").exists()


def test_zh_locale_script_registers_the_dictionary():
    """The converted locale keeps its MIT header and registers zh-CN with Plotly."""
    text = (ROOT / "overrides" / "assets" / "javascripts" / "plotly-locale-zh-cn.js").read_text(encoding="utf-8")
    assert "MIT License" in text and "Copyright (c) 2016-2024 Plotly Technologies Inc." in text
    assert "name: 'zh-CN'" in text and "moduleType: 'locale'" in text and "Plotly.register(locale)" in text
    assert "module.exports" not in text and "'Download plot as a PNG': '下载图表为PNG格式'" in text


def test_vendored_bundle_is_upstream_but_names_no_other_host():
    """The shipped plotly.js is the upstream basic bundle with only its CDN default made site-relative."""
    import hashlib
    import re
    from pathlib import Path

    vendor = Path(__file__).resolve().parents[1] / "overrides" / "assets" / "vendor" / "plotly"
    text = (vendor / "plotly-basic-4.1.1.min.js").read_text("utf-8")
    expected = re.search(r"upstream sha256: ([0-9a-f]{64})", (vendor / "README.md").read_text("utf-8")).group(1)
    upstream = text.replace('dflt:"topojson-not-bundled/"', 'dflt:"https://cdn.plot.ly/un/"')
    assert hashlib.sha256(upstream.encode("utf-8")).hexdigest() == expected
    assert not re.search(r"https?://(cdn\.|fonts\.googleapis|fonts\.gstatic|unpkg\.com|cdnjs|jsdelivr)", text)
