"""Per-model pages and the model index: every figure cited in both languages, stubs kept in sync."""

from __future__ import annotations

import re
from pathlib import Path
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from conftest import make_site
from atlas import charts, i18n, modelpages, stubs, workspace
from atlas.markers import Marker
from atlas.templates import md_text

LANGS = ("zh", "en")
# spec row key -> the model figure whose source it must cite (None: the model's main source)
SPEC_FIGURES = {"developer": None, "variant": None, "released": "released", "params": "params_b",
                "active": "active_params_b", "context": "context_tokens", "tokens": "training_tokens_t",
                "license": "license", "weights": None}
SCORE_ROW = re.compile(r'<th scope="row"[^>]*>(?:<a href="[^"]*">)?(?P<bench>[^<]*)(?:</a>)? <small class="atlas-kind">'
                       r'[^<]*</small></th>\n<td class="atlas-num"[^>]*>(?P<value>[^<]*)</td>\n<td>(?P<mode>[^<]*)'
                       r'(?: <small>[^<]*</small>)?</td>\n.*?<td class="atlas-sources"><a class="atlas-cite" '
                       r'href="(?P<url>[^"]*)"', re.S)


def page_of(model_id: str, lang: str) -> str:
    """The stub source path of a model page in one language."""
    return f"models/{model_id}.md" if lang == "zh" else f"models/{model_id}.en.md"


def model_ctx(site, model_id: str, lang: str):
    """The context of a model's own page."""
    return site.context(lang, page_of(model_id, lang))


def render_page(site, model_id: str, lang: str) -> str:
    """The expanded body of one model page."""
    return modelpages.render_model(Marker("model", {"id": model_id}, page_of(model_id, lang), 3),
                                   model_ctx(site, model_id, lang))


class Rows(HTMLParser):
    """Collects, per table row id, the hrefs of the row's citation links and its cell texts."""

    def __init__(self):
        """Start outside any row."""
        super().__init__()
        self.rows: dict[str, dict] = {}
        self.current: str | None = None

    def handle_starttag(self, tag, attrs):
        """Enter a row with an id; record citation links inside it."""
        attrs = dict(attrs)
        if tag == "tr":
            self.current = attrs.get("id")
            if self.current:
                self.rows[self.current] = {"cites": [], "text": "", "missing": False}
        elif self.current and tag == "a" and "atlas-cite" in (attrs.get("class") or ""):
            self.rows[self.current]["cites"].append(attrs["href"])
        elif self.current and tag == "td" and "atlas-missing" in (attrs.get("class") or ""):
            self.rows[self.current]["missing"] = True

    def handle_endtag(self, tag):
        """Leave the row."""
        if tag == "tr":
            self.current = None

    def handle_data(self, data):
        """Keep the row's text."""
        if self.current:
            self.rows[self.current]["text"] += data


def spec_rows(html: str) -> dict[str, dict]:
    """The specification rows of a rendered model page, by key."""
    parser = Rows()
    parser.feed(html)
    return {key.removeprefix("spec-"): row for key, row in parser.rows.items() if key.startswith("spec-")}


# ---------------------------------------------------------------------------
# The model page
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_figure_is_shown_with_its_own_source(catalog, site, lang):
    """For every model, each figure it has is on its page, linked to the source of that figure."""
    for model in catalog.models.values():
        rows = spec_rows(render_page(site, model.id, lang))
        expected_figures = {
            "released": i18n.fmt_date(model.released, model.date_precision, lang),
            "params": i18n.fmt_params(model.params_b, lang),
            "active": i18n.fmt_params(model.active_params_b, lang),
            "context": i18n.fmt_context(model.context_tokens, lang),
            "tokens": i18n.fmt_tokens(model.training_tokens_t, lang),
        }
        for key, text in expected_figures.items():
            if not text:
                assert key not in rows or rows[key]["missing"], (model.id, key)
                continue
            assert text in rows[key]["text"], (model.id, key, text)
        for key, figure in SPEC_FIGURES.items():
            if key not in rows or rows[key]["missing"]:
                continue
            source_id = model.source if figure is None or (figure == "license" and model.license is None) \
                else model.source_of(figure)
            assert rows[key]["cites"] == [catalog.sources[source_id].url], (model.id, key)
        assert rows["family"]["cites"] == []  # the family is structure, not a sourced figure


@pytest.mark.parametrize("lang", LANGS)
def test_moe_and_every_score_are_shown_with_their_sources(catalog, site, ctx, lang):
    """The expert configuration links its source; each score has its own row with the benchmark,
    the value, the mode and the link to that score's source."""
    for model in catalog.models.values():
        html = render_page(site, model.id, lang)
        if model.moe is not None:
            moe = html.split("{ #moe }", 1)[1].split("\n## ", 1)[0]
            assert catalog.sources[model.source_of("moe")].url in moe
            for value in (model.moe.routed_experts, model.moe.activated_experts, model.moe.shared_experts):
                assert f">{i18n.fmt_int(value, lang)}<" in moe
        scores = catalog.scores_of(model.id)
        if not scores:
            assert "{ #benchmarks }" not in html
            continue
        table = html.split("{ #benchmarks }", 1)[1].split("\n## ", 1)[0]
        shown = sorted(list(match.groupdict().values()) for match in SCORE_ROW.finditer(table))
        t = ctx(lang).t
        expected = sorted([str(escape(catalog.benchmarks[s.benchmark].name)), i18n.fmt_score(s.value, lang),
                           str(escape(t(f"mode-{s.setting.mode}"))), str(escape(catalog.sources[s.source].url))]
                          for s in scores)
        assert shown == expected, model.id


def test_headings_have_the_same_ids_in_both_languages(catalog, site):
    """Section anchors are language-neutral, so /models/x/#moe and /en/models/x/#moe both work."""
    for model_id in catalog.models:
        ids = [re.findall(r"\{ #([a-z0-9-]+) \}", render_page(site, model_id, lang)) for lang in LANGS]
        assert ids[0] == ids[1], model_id
        assert ids[0][0] == "specs" and "data" in ids[0]


def test_related_models_link_both_ways(catalog, site):
    """Base ↔ variants, and `related` (e.g. preview ↔ final) is shown on both pages."""
    for model in catalog.models.values():
        for lang in LANGS:
            html = render_page(site, model.id, lang)
            ctx = model_ctx(site, model.id, lang)
            others = {*(m.id for m in catalog.models.values() if m.base_model == model.id), *model.related,
                      *(m.id for m in catalog.models.values() if model.id in m.related)}
            if model.base_model:
                others.add(model.base_model)
            for other in others - {model.id}:
                assert f'href="{ctx.model_href(other)}"' in html, (model.id, other)
    preview = render_page(site, "qwq-32b-preview", "en")
    final = render_page(site, "qwq-32b", "en")
    assert 'href="../qwq-32b/"' in preview and 'href="../qwq-32b-preview/"' in final


def test_related_models_of_the_fixture(fixture_catalog):
    """The 2507 update's base is Qwen3-235B-A22B, which lists it as its variant; others have none."""
    related = modelpages.related_models(fixture_catalog.models["qwen3-235b-a22b"], fixture_catalog)
    assert {kind: [m.id for m in models] for kind, models in related.items()} == {
        "base": [], "variants": ["qwen3-235b-a22b-instruct-2507"], "related": []}
    variant = modelpages.related_models(fixture_catalog.models["qwen3-235b-a22b-instruct-2507"], fixture_catalog)
    assert [m.id for m in variant["base"]] == ["qwen3-235b-a22b"] and not variant["variants"]
    assert modelpages.related_models(fixture_catalog.models["qwq-32b"], fixture_catalog) == {
        "base": [], "variants": [], "related": []}


def test_releases_that_include_the_model_are_listed(catalog, site):
    """Every release event naming the model appears on its page."""
    for release in catalog.releases:
        for model_id in release.models:
            for lang in LANGS:
                html = render_page(site, model_id, lang)
                assert f'id="release-{release.id}"' in html
                assert str(escape(i18n.pick(release.title, lang))) in html


def _charts_section(html: str) -> str:
    """The 'charts that show this model' section of a model page ('' when there is none)."""
    return html.split("{ #charts }", 1)[1].split("\n## ", 1)[0] if "{ #charts }" in html else ""


def test_charts_that_plot_the_model_are_linked_on_the_fixture(fixture_catalog):
    """Only charts that plot the model *and* are shown on a page are listed, linked to that page."""
    site = make_site(fixture_catalog, pages={"moe.md": "<!-- atlas:chart id=moe-params -->\n",
                                            "qwq.md": "<!-- atlas:chart id=qwq-reasoning -->\n"})
    listed = {model_id: re.findall(r'<li><a href="([^"]+)">', _charts_section(render_page(site, model_id, "en")))
              for model_id in fixture_catalog.models}
    assert listed == {
        "qwen2.5-7b": [], "qwen2.5-72b": [], "qwen3-235b-a22b-instruct-2507": [],
        "qwen3-235b-a22b": ["../../moe/#chart-moe-params"],
        "qwq-32b": ["../../qwq/#chart-qwq-reasoning"],
        "deepseek-r1": ["../../qwq/#chart-qwq-reasoning"],
    }


def test_charts_listed_on_model_pages_are_the_charts_whose_table_links_the_model(catalog, site, ctx):
    """On the real pages: a model page lists a chart exactly when the chart is shown on a page and
    its data table (as rendered) links that model."""
    in_table = {}
    for chart_id in catalog.charts:
        markup = charts.render_chart(Marker("chart", {"id": chart_id}, "page.md", 1), ctx("zh", "page.md"))
        table = markup[markup.index('class="atlas-chart__standin"'):markup.index("<script")]
        in_table[chart_id] = set(re.findall(r'<a href="(?:\.\./)*models/([^/"]+)/">', table))
    shown = {chart_id for chart_id in catalog.charts if ("chart", chart_id) in site.shown_on}
    assert shown and any(in_table[c] for c in shown), "no shown chart plots any model: the lookup is broken"
    for model_id in catalog.models:
        section = _charts_section(render_page(site, model_id, "zh"))
        listed = set(re.findall(r"#chart-([a-z0-9.-]+)\"", section))
        assert listed == {c for c in shown if model_id in in_table[c]}, model_id


def test_unknown_model_stops_the_build(site):
    """A marker naming a model that does not exist is an error, not an empty page."""
    with pytest.raises(ValueError, match="unknown model"):
        modelpages.render_model(Marker("model", {"id": "no-such-model"}, "models/x.md", 3),
                                site.context("zh", "models/x.md"))


def test_links_to_site_root_files_climb_out_of_the_language_folder(ctx):
    """/data/ needs ../data/x; /en/data/ needs ../../data/x; a model page one level more."""
    assert ctx("zh", "data.md").root_href("data/models.json") == "../data/models.json"
    assert ctx("en", "data.en.md").root_href("data/models.json") == "../../data/models.json"
    assert ctx("en", "models/qwq-32b.en.md").root_href("data/x") == "../../../data/x"
    assert ctx("zh", "index.md").root_href("data/x") == "data/x"


# ---------------------------------------------------------------------------
# The model index
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_index_lists_every_model_by_family_and_by_date(catalog, ctx, lang):
    """Each model has one row in its family's table and one entry in the list by date."""
    page = "models/index.md" if lang == "zh" else "models/index.en.md"
    html = modelpages.render_model_index(Marker("model-index", {}, page, 3), ctx(lang, page))
    for model in catalog.models.values():
        assert html.count(f'id="models-{model.id}"') == 1, model.id
        assert html.count(f'href="{model.id}/"') == 2, model.id  # family table + list by date
    families = re.findall(r"\{ #family-([a-z0-9.-]+) \}", html)
    used = {m.family for m in catalog.models.values()}
    expected = sorted((f for f in catalog.families.values() if f.id in used), key=lambda f: (not f.qwen, f.order))
    assert families == [f.id for f in expected]
    years = re.findall(r"\{ #released-(\d{4}) \}", html)
    assert years == sorted(years, reverse=True)


def test_index_of_the_fixture(fixture_catalog):
    """Qwen families first in their order, then peers; years newest first."""
    site = make_site(fixture_catalog, pages={})
    html = modelpages.render_model_index(Marker("model-index", {}, "models/index.en.md", 3),
                                         site.context("en", "models/index.en.md"))
    assert re.findall(r"\{ #family-([a-z0-9.-]+) \}", html) == ["qwen2.5", "qwq", "qwen3", "deepseek"]
    assert re.findall(r"\{ #released-(\d{4}) \}", html) == ["2025", "2024"]


# ---------------------------------------------------------------------------
# Stub pages
# ---------------------------------------------------------------------------


def test_stubs_exist_for_every_model_in_both_languages(catalog):
    """Two stubs per model, each a title and the model marker."""
    pages = stubs.stub_pages(catalog)
    assert len(pages) == 2 * len(catalog.models)
    for model in catalog.models.values():
        for name in (f"models/{model.id}.md", f"models/{model.id}.en.md"):
            assert stubs.STUB_HEADER in pages[name] and pages[name].startswith("# ")
            assert f"<!-- atlas:model id={model.id} -->" in pages[name]
            assert stubs.is_stub(pages[name])


def test_pages_added_in_memory_take_the_place_mkdocs_gives_files_on_disk(tmp_path):
    """walk_order sorts pages as MkDocs lists the content folder (so a model page added in memory
    sits where a file on disk would, and the site's bytes do not depend on how it was added)."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import get_files

    names = ["z.md", "index.md", "a.en.md", "a.md", "models/index.md", "models/index.en.md",
             "models/qwen3-8b.md", "models/qwen3-8b.en.md", "models/deep/x.md", "b/index.md"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# x\n", encoding="utf-8")
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(tmp_path), "site_dir": str(tmp_path.parent / "out")})
    config.validate()
    listed = [file.src_uri for file in get_files(config) if file.src_uri.endswith(".md")]
    assert sorted(names, key=stubs.walk_order) == listed


@pytest.fixture
def hook(monkeypatch, tmp_path, catalog):
    """hooks/main.py with the model pages of the real catalog and a content folder in tmp_path."""
    import types

    import main

    monkeypatch.setitem(main._state, "model_pages", stubs.stub_pages(catalog))
    monkeypatch.delitem(main._state, "error", raising=False)
    (tmp_path / "models").mkdir()
    return main, types.SimpleNamespace(docs_dir=str(tmp_path), site_dir=str(tmp_path / "out"), use_directory_urls=True)


def test_model_pages_are_added_in_memory_and_a_leftover_on_disk_gives_way(hook, catalog):
    """Each model's page in both languages joins the files with its generated Markdown, none is
    written to disk; a stub an earlier build wrote into the content folder is replaced."""
    from mkdocs.structure.files import File, Files

    main, config = hook
    first = next(iter(catalog.models))
    leftover = f"models/{first}.md"
    (Path(config.docs_dir) / leftover).write_text(stubs.STUB_HEADER + "# Old\n", encoding="utf-8")
    on_disk = Files([File(leftover, config.docs_dir, config.site_dir, True)])
    files = main._fill_model_pages(main._add_model_pages(on_disk, config), config)
    pages = {file.src_uri: file.content_string for file in files}
    assert pages == stubs.stub_pages(catalog)
    assert sorted(path.name for path in (Path(config.docs_dir) / "models").iterdir()) == [f"{first}.md"]


def test_a_model_id_never_replaces_a_hand_written_page(hook, catalog):
    """If a model's page would take the place of a page written by hand, the build stops."""
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File, Files

    main, config = hook
    mine = f"models/{next(iter(catalog.models))}.md"
    (Path(config.docs_dir) / mine).write_text("# written by hand\n", encoding="utf-8")
    with pytest.raises(PluginError, match=f"content/{re.escape(mine)} is not a generated page"):
        main._add_model_pages(Files([File(mine, config.docs_dir, config.site_dir, True)]), config)


def test_stub_titles_escape_markdown():
    """A name with Markdown characters becomes a literal title."""
    assert md_text("A*B_[x]") == r"A\*B\_\[x\]"


def test_a_new_site_finds_a_chart_on_the_page_it_moved_to(tmp_path, catalog):
    """Each build reads the pages again, so a chart moved to another page is found there
    (English pages are mirrors and are not scanned)."""
    (tmp_path / "a.md").write_text("<!-- atlas:chart id=moe-params -->\n", encoding="utf-8")
    (tmp_path / "a.en.md").write_text("<!-- atlas:chart id=moe-params -->\n", encoding="utf-8")
    assert workspace.new_site(catalog, tmp_path).shown_on == {("chart", "moe-params"): "a.md"}
    (tmp_path / "a.md").write_text("no chart here\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("<!-- atlas:chart id=moe-params -->\n", encoding="utf-8")
    assert workspace.new_site(catalog, tmp_path).shown_on == {("chart", "moe-params"): "b.md"}
