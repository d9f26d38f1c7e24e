"""Charts: localized labels, plotted series equal to the data, deterministic and safe HTML.

Pure tests (no MkDocs): they call hooks/atlas/charts.py with the real catalog. Every selection is
recomputed here independently from the catalog, so a builder that drifts from its documented
rule fails even if the figure still looks plausible.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections import defaultdict
from pathlib import Path

import markupsafe
import plotly.graph_objects
import plotly.offline
import pytest

from atlas import charts
from atlas.markers import Marker, MarkerError
from atlas.pages import expand_page
from atlas.render import Context

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "overrides" / "assets" / "vendor" / "plotly"
CHART_IDS = sorted(charts.BUILDERS)
LANGS = ("zh", "en")
SCRIPT = re.compile(r'<script type="application/json" id="chart-(?P<id>[a-z0-9.-]+)-data">(?P<json>.*?)</script>', re.S)


def _ctx(catalog, lang: str, page: str = "page.md") -> Context:
    """The rendering context of a page in one language."""
    return Context(catalog, lang, page if lang == "zh" else page.replace(".md", ".en.md"))


def _render(catalog, chart_id: str, lang: str) -> str:
    """The chart's HTML as a page would get it."""
    return charts.render_chart(Marker("chart", {"id": chart_id}, "page.md", 1), _ctx(catalog, lang))


def _figure(catalog, chart_id: str, lang: str) -> dict:
    """The chart's plotly figure (data and layout)."""
    return charts.chart_figure(chart_id, _ctx(catalog, lang))[0]


def _embedded(markup: str) -> dict:
    """The figure JSON exactly as the browser will read it from the page."""
    [match] = SCRIPT.finditer(markup)
    return json.loads(match.group("json"))


def _is_qwen(catalog, model) -> bool:
    """True for models of Qwen families."""
    return catalog.families[model.family].qwen


def _family_name(catalog, family_id: str, lang: str) -> str:
    """A family's name in one language."""
    return getattr(catalog.families[family_id].name, lang)


def _points(figure: dict, value_axis: str, label_axis: str) -> list[tuple]:
    """(trace name, label, value) for every plotted, non-empty value."""
    return [(trace.get("name"), label, value) for trace in figure["data"]
            for label, value in zip(trace[label_axis], trace[value_axis]) if value is not None]


# ---------------------------------------------------------------------------
# Versions and registry
# ---------------------------------------------------------------------------


def test_vendored_plotly_matches_python_package():
    """The shipped plotly.js is the version plotly.py builds its figure JSON for."""
    [bundle] = VENDOR.glob("plotly-basic-*.min.js")
    version = re.fullmatch(r"plotly-basic-(\d+\.\d+\.\d+)\.min\.js", bundle.name).group(1)
    assert plotly.offline.get_plotlyjs_version() == version
    assert f"v{version}" in bundle.read_text(encoding="utf-8")[:300]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_figure_is_exactly_what_plotly_py_validates(catalog, chart_id, lang):
    """The builders write plain JSON (no graph_objects at build time, for speed), so plotly.py's
    schema checks them here: every property must exist and keep its value through validation,
    and every trace type must be one the shipped basic bundle draws."""
    figure = _figure(catalog, chart_id, lang)
    validated = plotly.graph_objects.Figure(data=figure["data"], layout=figure["layout"]).to_plotly_json()
    dump = lambda value: json.dumps(value, sort_keys=True, ensure_ascii=False)  # noqa: E731
    assert dump(validated["data"]) == dump(figure["data"])
    assert dump(validated["layout"]) == dump(figure["layout"])
    assert {trace["type"] for trace in figure["data"]} <= {"bar", "scatter", "pie"}


def test_plotly_validation_would_catch_a_misspelt_property(catalog):
    """The check above can fail: a property plotly.js does not know is rejected."""
    figure = _figure(catalog, "moe-params", "en")
    figure["data"][0]["hovertemplat"] = "%{y}"
    with pytest.raises(ValueError, match="hovertemplat"):
        plotly.graph_objects.Figure(data=figure["data"], layout=figure["layout"])


def test_every_chart_has_texts_and_a_builder(catalog):
    """data/charts.yaml and the builders name the same charts."""
    assert set(catalog.charts) == set(charts.BUILDERS)
    assert {"tokens-by-generation", "release-timeline", "moe-params", "qwq-reasoning", "qwen3-flagship",
            "context-by-generation", "license-by-generation"} <= set(CHART_IDS)


def test_unknown_chart_id_is_a_clear_error(catalog):
    """A typo in a page names the chart, the known ids, the page and the line."""
    with pytest.raises(charts.ChartError, match=r"unknown chart 'moe-param'; expected one of: .*moe-params"):
        _render(catalog, "moe-param", "zh")
    with pytest.raises(MarkerError, match=r"^guide\.md:3: atlas:chart: unknown chart 'nope'"):
        expand_page("# T\n\n<!-- atlas:chart id=nope -->\n", "guide.md", "zh", catalog)
    with pytest.raises(MarkerError, match=r"missing argument\(s\): id"):
        expand_page("<!-- atlas:chart -->\n", "guide.md", "zh", catalog)


def test_chart_without_texts_is_a_clear_error(catalog):
    """A builder whose chart has no entry in data/charts.yaml says what to add."""
    trimmed = dataclasses.replace(catalog, charts={k: v for k, v in catalog.charts.items() if k != "moe-params"})
    with pytest.raises(charts.ChartError, match=r"'moe-params' has no entry in data/charts\.yaml"):
        _render(trimmed, "moe-params", "en")


# ---------------------------------------------------------------------------
# Localization
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_labels_are_localized_from_data(catalog, chart_id):
    """Title, axis titles and ui-derived trace names come from charts.yaml / ui.yaml per language."""
    figures = {lang: _figure(catalog, chart_id, lang) for lang in LANGS}
    chart_ui = {lang: {catalog.text(key, lang) for key in catalog.ui if key.startswith("chart-")} for lang in LANGS}
    for lang, figure in figures.items():
        layout = figure["layout"]
        assert layout["title"]["text"] == html.escape(getattr(catalog.charts[chart_id].title, lang), quote=False)
        for axis in ("xaxis", "yaxis"):
            assert html.unescape(layout[axis]["title"]["text"]) in chart_ui[lang], (lang, axis)
        assert layout["separators"] == ".,"
        assert layout["template"] == {"data": {"scatter": [{"type": "scatter"}]}}  # template="none"
        assert figure["config"]["toImageButtonOptions"] == {"filename": f"{chart_id}-{lang}", "format": "png"}
        assert figure["config"]["displaylogo"] is False and figure["config"]["responsive"] is True
    assert figures["zh"]["config"]["locale"] == "zh-CN"
    assert "locale" not in figures["en"]["config"]
    assert figures["zh"]["layout"]["title"] != figures["en"]["layout"]["title"]
    assert figures["zh"]["layout"]["yaxis"]["title"] != figures["en"]["layout"]["yaxis"]["title"]
    for zh_trace, en_trace in zip(figures["zh"]["data"], figures["en"]["data"]):
        assert zh_trace["hovertemplate"] != en_trace["hovertemplate"]


def test_hover_and_ticks_use_localized_number_formats(catalog):
    """zh: '总参数量：2350 亿'; en: 'Total: 235B'; dates and ticks follow the language."""
    zh, en = (_figure(catalog, "moe-params", lang) for lang in LANGS)
    assert "总参数量：%{customdata[1]}" in zh["data"][0]["hovertemplate"]
    assert "Total: %{customdata[1]}" in en["data"][0]["hovertemplate"]
    row = {"zh": None, "en": None}
    for lang, figure in (("zh", zh), ("en", en)):
        row[lang] = next(c for c in figure["data"][0]["customdata"] if c[0] == "Qwen3-235B-A22B")
    assert row["zh"][1:3] == ["2350 亿", "220 亿"] and row["en"][1:3] == ["235B", "22B"]
    assert "100 亿" in zh["layout"]["yaxis"]["ticktext"] and "10B" in en["layout"]["yaxis"]["ticktext"]
    assert zh["layout"]["yaxis"]["tickvals"] == en["layout"]["yaxis"]["tickvals"]  # same values, own labels
    timeline = {lang: _figure(catalog, "release-timeline", lang) for lang in LANGS}
    first = {lang: next(c for t in timeline[lang]["data"] for c in t["customdata"] if c[0] == "Qwen-7B")
             for lang in LANGS}
    assert first["zh"][1] == "2023年8月3日" and first["en"][1] == "3 Aug 2023"
    assert timeline["zh"]["layout"]["xaxis"]["tickformat"] != timeline["en"]["layout"]["xaxis"]["tickformat"]


# ---------------------------------------------------------------------------
# Plotted series equal the data selection (recomputed here)
# ---------------------------------------------------------------------------


def _max_per_family(catalog, models, value, lang):
    """The largest value per family, recomputed independently of charts.py."""
    groups = defaultdict(list)
    for model in models:
        groups[model.family].append(value(model))
    order = sorted(groups, key=lambda f: (catalog.families[f].order, f))
    return [(_family_name(catalog, f, lang), max(groups[f])) for f in order]


@pytest.mark.parametrize("lang", LANGS)
def test_tokens_by_generation_series(catalog, lang):
    """The bars are each Qwen family's largest pre-training corpus."""
    models = [m for m in catalog.models.values() if _is_qwen(catalog, m) and m.weights == "open"
              and m.base_model is None and m.training_tokens_t]
    expected = _max_per_family(catalog, models, lambda m: m.training_tokens_t, lang)
    [trace] = _figure(catalog, "tokens-by-generation", lang)["data"]
    assert [html.unescape(y) for y in trace["y"]] == [name for name, _ in expected]
    assert trace["x"] == [value for _, value in expected]
    assert trace["orientation"] == "h"
    qwen3 = _family_name(catalog, "qwen3", lang)
    assert dict(expected)[qwen3] == 36


@pytest.mark.parametrize("lang", LANGS)
def test_context_by_generation_series(catalog, lang):
    """The bars are each Qwen family's longest context."""
    models = [m for m in catalog.models.values() if _is_qwen(catalog, m) and m.weights == "open"
              and m.context_tokens]
    expected = _max_per_family(catalog, models, lambda m: m.context_tokens, lang)
    [trace] = _figure(catalog, "context-by-generation", lang)["data"]
    assert list(zip([html.unescape(y) for y in trace["y"]], trace["x"])) == expected
    # Qwen2's 128K comes from an instruct variant, which must therefore be included
    assert dict(expected)[_family_name(catalog, "qwen2", lang)] == 131072


def test_release_timeline_series(catalog):
    """Every open-weight Qwen model with a size is a point at its release date."""
    models = catalog.models
    expected = set()
    for m in models.values():
        if not (_is_qwen(catalog, m) and m.weights == "open" and m.released and m.params_b):
            continue
        base = models.get(m.base_model) if m.base_model else None
        if base and (base.released, base.params_b) == (m.released, m.params_b):
            continue
        expected.add((_family_name(catalog, m.family, "en"), m.released.isoformat(), m.params_b, m.name))
    figure = _figure(catalog, "release-timeline", "en")
    plotted = {(html.unescape(t["name"]), x, y, html.unescape(c[0])) for t in figure["data"]
               for x, y, c in zip(t["x"], t["y"], t["customdata"])}
    assert plotted == expected
    assert sum(len(t["x"]) for t in figure["data"]) == len(expected)  # no duplicates
    assert figure["layout"]["yaxis"]["type"] == "log" and figure["layout"]["xaxis"]["type"] == "date"
    assert "Qwen2-7B-Instruct" not in {p[3] for p in plotted}  # same day and size as Qwen2-7B


def test_moe_params_series(catalog):
    """Every distinct Qwen MoE configuration is plotted with its total and active parameters."""
    seen, expected = set(), []
    for m in sorted(catalog.models.values(), key=lambda m: (m.released.isoformat() if m.released else "9999", m.id)):
        if _is_qwen(catalog, m) and m.moe:
            key = (m.params_b, m.active_params_b, m.moe.routed_experts, m.moe.activated_experts, m.moe.shared_experts)
            if key not in seen:
                seen.add(key)
                expected.append(m)
    total, active = _figure(catalog, "moe-params", "en")["data"]
    assert total["x"] == active["x"] == [m.name for m in expected]
    assert total["y"] == [m.params_b for m in expected]
    assert active["y"] == [m.active_params_b for m in expected]
    assert [c[3:] for c in total["customdata"]] == [
        [m.moe.routed_experts, m.moe.activated_experts, m.moe.shared_experts] for m in expected]
    q3 = next(c for c in total["customdata"] if c[0] == "Qwen3-235B-A22B")
    assert q3[3:] == [128, 8, 0]  # the corrected expert layout (facts.md §3)


def _score_values(catalog, model_id, bench_id):
    """Every sourced value of a model on a benchmark."""
    return {s.value for s in catalog.scores if s.model == model_id and s.benchmark == bench_id}


def test_qwq_reasoning_series(catalog):
    """QwQ and peer bars equal the sourced scores."""
    benches = ["math-500", "aime24", "livecodebench", "livecodebench-2408-2502"]
    names = {b: catalog.benchmarks[b].name for b in benches}
    subjects = [m for m in catalog.models.values() if m.family == "qwq"
                and any(_score_values(catalog, m.id, b) for b in benches)]
    peers = [m for m in catalog.models.values() if not _is_qwen(catalog, m)
             and sum(bool(_score_values(catalog, m.id, b)) for b in benches) >= 3]
    figure = _figure(catalog, "qwq-reasoning", "en")
    by_name = {m.name: m for m in catalog.models.values()}
    plotted = [html.unescape(t["name"]) for t in figure["data"]]
    assert set(plotted) == {m.name for m in subjects + peers}
    assert plotted[:2] == ["QwQ-32B-Preview", "QwQ-32B"]
    for trace in figure["data"]:
        model = by_name[html.unescape(trace["name"])]
        assert trace["x"] == [names[b] for b in benches]
        for bench_id, value in zip(benches, trace["y"]):
            sourced = _score_values(catalog, model.id, bench_id)
            if value is None:
                assert not sourced, (model.id, bench_id)  # a bar is left out only when no score exists
            else:
                assert value in sourced, (model.id, bench_id)  # only sourced scores are drawn
    values = {(html.unescape(t["name"]), x): y for t in figure["data"] for x, y in zip(t["x"], t["y"])}
    assert values[("QwQ-32B-Preview", "MATH-500")] == 90.6 and values[("QwQ-32B", "AIME 2024")] == 79.5


def test_qwen3_flagship_series(catalog):
    """The flagship's bars equal its sourced thinking-mode scores."""
    benches = ["arena-hard", "aime24", "aime25", "livecodebench-v5"]
    own = {}
    for s in catalog.scores:
        if s.model == "qwen3-235b-a22b" and s.benchmark in benches and s.setting.mode == "thinking":
            own[s.benchmark] = s
    expected = {("Qwen3-235B-A22B", catalog.benchmarks[b].name): own[b].value for b in own}
    for s in catalog.scores:
        model = catalog.models[s.model]
        if (not _is_qwen(catalog, model) and s.benchmark in own
                and (s.source, s.locator) == (own[s.benchmark].source, own[s.benchmark].locator)):
            expected[(model.name, catalog.benchmarks[s.benchmark].name)] = s.value
    figure = _figure(catalog, "qwen3-flagship", "en")
    plotted = {(html.unescape(name), label): value for name, label, value in _points(figure, "y", "x")}
    assert plotted == expected
    assert plotted[("Qwen3-235B-A22B", "Arena-Hard")] == 95.6  # thinking mode, not 96.1 or 91.0


def test_license_by_generation_series(catalog):
    """The stacked counts equal the open-weight models per licence and family."""
    counts = defaultdict(int)
    for m in catalog.models.values():
        if _is_qwen(catalog, m) and m.weights == "open" and m.license:
            counts[(_family_name(catalog, m.family, "en"), catalog.licenses[m.license].name.en)] += 1
    figure = _figure(catalog, "license-by-generation", "en")
    plotted = {(html.unescape(label), html.unescape(name)): value for name, label, value in _points(figure, "x", "y")}
    assert plotted == dict(counts)
    assert figure["layout"]["barmode"] == "stack"
    assert all(t["orientation"] == "h" for t in figure["data"])


# ---------------------------------------------------------------------------
# HTML: complete, deterministic, safe
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_chart_html_is_complete(catalog, chart_id, lang):
    """Caption, sources, as-of date, text alternative and a data table of exactly the plotted values."""
    markup = _render(catalog, chart_id, lang)
    chart = catalog.charts[chart_id]
    pick = lambda text: str(markupsafe.escape(getattr(text, lang)))  # noqa: E731
    assert markup.startswith(f'<figure class="atlas-chart atlas-no-terms" id="chart-{chart_id}">')
    plot = (f'<div class="atlas-chart__plot" data-chart="chart-{chart_id}-data" role="img" '
            f'aria-label="{pick(chart.alt)}">')
    assert plot in markup
    caption = markup[markup.index("<figcaption>"):markup.index("</figcaption>")]
    assert pick(chart.caption) in caption and pick(chart.alt) in caption
    assert f'<time datetime="{chart.as_of.isoformat()}">' in caption
    assert 'class="atlas-cite atlas-chart__cite"' in caption[:caption.index("<details")]
    assert "<details" in caption and "<table>" in caption
    assert ("数据表" if lang == "zh" else "Data table") in caption
    assert "\n\n" not in markup and not any(not line.strip() for line in markup.splitlines())
    figure = _embedded(markup)
    assert "bdata" not in json.dumps(figure)
    rows = re.findall(rf'<tr id="chart-{re.escape(chart_id)}-', markup)
    if chart_id == "moe-params":
        plotted = len(figure["data"][0]["x"])  # one row per model (total and active bars)
    else:
        plotted = sum(v is not None for t in figure["data"]
                      for v in (t["x"] if t.get("orientation") == "h" else t["y"]))
    assert len(rows) == plotted


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_sources_cover_every_plotted_row(catalog, chart_id):
    """The caption cites every row's sources plus chart.sources, once each, grouped and sorted."""
    ctx = _ctx(catalog, "en")
    model = charts.chart_model(chart_id, ctx)
    row_sources = {s["id"] for row in model["table"]["rows"] for s in row["sources"]}
    cited = [s["id"] for group in model["sources"] for s in group["sources"]]
    assert len(cited) == len(set(cited))
    assert set(cited) == row_sources | set(catalog.charts[chart_id].sources)
    assert all(row["sources"] for row in model["table"]["rows"])
    publishers = [group["publisher"] for group in model["sources"]]
    assert publishers == sorted(publishers, key=lambda p: (p.casefold(), p))
    for group in model["sources"]:
        assert {catalog.sources[s["id"]].publisher.en for s in group["sources"]} == {group["publisher"]}
        keys = [s["key"] for s in group["sources"]]
        assert keys == sorted(keys)
    markup = _render(catalog, chart_id, "en")
    caption = markup[markup.index("<figcaption>"):markup.index("<details")]
    for source_id in cited:
        assert f'href="{html.escape(catalog.sources[source_id].url)}"' in caption


def test_output_is_byte_identical_across_renders(catalog):
    """No uuids, timestamps or dict-order noise: two renders give the same bytes."""
    for lang in LANGS:
        for chart_id in CHART_IDS:
            first, second = _render(catalog, chart_id, lang), _render(catalog, chart_id, lang)
            assert first == second
            [match] = SCRIPT.finditer(first)
            assert match.group("json") == json.dumps(json.loads(match.group("json")), ensure_ascii=False,
                                                     sort_keys=True, separators=(",", ":")) \
                .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", first)


def test_json_cannot_close_the_script_tag(catalog):
    """A model name with </script> stays inside the JSON and inside escaped HTML text."""
    evil = 'Qwen3-235B</script><script>alert("x")</script><!--'
    models = dict(catalog.models)
    models["qwen3-235b-a22b"] = dataclasses.replace(models["qwen3-235b-a22b"], name=evil)
    tampered = dataclasses.replace(catalog, models=models)
    for chart_id in ("moe-params", "release-timeline", "qwen3-flagship", "license-by-generation"):
        markup = _render(tampered, chart_id, "en")
        assert "<script>alert" not in markup and "<!--" not in markup
        assert markup.count("</script>") == 1
        figure = _embedded(markup)
        text = json.dumps(figure, ensure_ascii=False)
        # plotly renders a subset of HTML in labels, so the name is entity-escaped inside the figure
        assert html.escape(evil, quote=False).replace('"', '\\"') in text
        assert str(markupsafe.escape(evil)) in markup  # the data table shows it as text


def test_charts_flag_the_page(catalog):
    """A page with a chart marker asks the template for plotly; other pages do not."""
    with_chart = expand_page("# T\n\n<!-- atlas:chart id=moe-params -->\n", "moe.md", "zh", catalog)
    without = expand_page("# T\n\ntext\n", "index.md", "zh", catalog)
    assert with_chart.has_charts and not without.has_charts
    assert '<figure class="atlas-chart' in with_chart.markdown


def test_scripts_block_loads_plotly_only_for_chart_pages():
    """overrides/main.html: bundle, zh locale (zh pages only) and charts.js behind page.meta.atlas_charts."""
    import jinja2

    template = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    block = template[template.index("{% block scripts %}"):]
    block = block[:block.index("{% endblock %}") + len("{% endblock %}")]
    env = jinja2.Environment()
    env.filters["url"] = lambda path: "/base/" + path
    source = block.replace("{% block scripts %}", "").replace("{% endblock %}", "").replace("{{ super() }}", "")
    render = env.from_string(source).render
    config = {"theme": {"language": "zh"}}

    class Page:
        def __init__(self, charts_flag):
            """A page whose meta says whether it has charts."""
            self.meta = {"atlas_charts": charts_flag}

    zh = render(page=Page(True), config=config, i18n_page_locale="zh")
    en = render(page=Page(True), config=config, i18n_page_locale="en")
    none = render(page=Page(False), config=config, i18n_page_locale="zh")
    assert "/base/assets/vendor/plotly/plotly-basic-4.1.1.min.js" in zh
    assert "plotly-locale-zh-cn.js" in zh and "plotly-locale-zh-cn.js" not in en
    assert zh.index("plotly-basic") < zh.index("plotly-locale") < zh.index("charts.js")
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
