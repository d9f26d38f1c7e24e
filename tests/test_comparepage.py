"""The compare page's data (comparepage.py): every model, figures formatted as elsewhere, one score per
benchmark by the site's rule, every figure with an http(s) source, and nothing that escapes its place."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from conftest import make_site

from atlas import comparepage, i18n, modelpages
from atlas.markers import Marker
from atlas.selections import models_by_family, pick_score

LANGS = ("zh", "en")
PAGE = {"zh": "compare.md", "en": "compare.en.md"}
DATA = re.compile(r'<script type="application/json" class="atlas-comparer__data">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def fixture_site(fixture_catalog):
    """The fixture catalog's build context."""
    return make_site(fixture_catalog, {})


def render(site, lang: str) -> str:
    """The expanded compare marker of the compare page in one language."""
    return comparepage.render_model_compare(Marker("model-compare", {}, PAGE[lang], 7), site.context(lang, PAGE[lang]))


def embedded(html: str) -> dict:
    """The JSON the page hands its script."""
    match = DATA.search(html)
    assert match, "no compare data in the page"
    return json.loads(match.group(1))


@pytest.mark.parametrize("lang", LANGS)
def test_every_model_once_with_its_figures_formatted_and_sourced(fixture_site, fixture_catalog, lang):
    """All models, by family then release; spec texts are the site's formats; each cites its figure's source."""
    ctx = fixture_site.context(lang, PAGE[lang])
    data = embedded(render(fixture_site, lang))
    ids = [model["id"] for model in data["models"]]
    assert sorted(ids) == sorted(fixture_catalog.models)
    assert ids == [m.id for _, members in models_by_family(ctx.catalog) for m in members]
    for entry in data["models"]:
        model = fixture_catalog.models[entry["id"]]
        assert entry["href"] == ctx.model_href(model.id)
        assert entry["specs"]["params"] == {"text": i18n.fmt_params(model.params_b, lang),
                                            "source": model.source_of("params_b")}
        if model.context_tokens is None:
            assert "context" not in entry["specs"]  # no figure, no row: the script says "no sourced figure"
        else:
            assert entry["specs"]["context"]["text"] == i18n.fmt_context(model.context_tokens, lang)
        assert ("routed" in entry["specs"]) == (model.moe is not None)
        for figure in (*entry["specs"].values(), *entry["scores"].values()):
            assert data["sources"][figure["source"]]["url"].startswith(("https://", "http://"))
    assert set(data["labels"]) == set(comparepage.SCRIPT_LABELS)
    assert all(text for text in data["labels"].values())


@pytest.mark.parametrize("lang", LANGS)
def test_one_score_per_benchmark_by_the_site_rule_with_its_setting(fixture_site, fixture_catalog, lang):
    """Each model's score on a benchmark is selections.pick_score's, and names its setting."""
    ctx = fixture_site.context(lang, PAGE[lang])
    data = embedded(render(fixture_site, lang))
    doubled = 0
    for entry in data["models"]:
        benches = {s.benchmark for s in fixture_catalog.scores_of(entry["id"])}
        assert set(entry["scores"]) == benches
        for bench_id, shown in entry["scores"].items():
            score = pick_score(fixture_catalog, entry["id"], bench_id)
            assert shown["text"] == i18n.fmt_score(score.value, lang)
            assert shown["source"] == score.source
            assert shown["setting"].startswith(ctx.t(f"mode-{score.setting.mode}"))
            doubled += len(fixture_catalog.scores_of(entry["id"], bench_id)) > 1
    assert doubled, "the fixture has a model with two scores on one benchmark: the rule must pick one"
    order = [bench["id"] for bench in data["benchmarks"]]
    assert sorted(order) == sorted(fixture_catalog.benchmarks)


def test_without_javascript_the_page_lists_every_model_page(fixture_site, fixture_catalog):
    """The static part links every model's page, grouped by family, and says what the table needs."""
    for lang in LANGS:
        ctx = fixture_site.context(lang, PAGE[lang])
        html = render(fixture_site, lang)
        without_data = DATA.sub("", html)
        for model in fixture_catalog.models.values():
            assert f'<a href="{ctx.model_href(model.id)}">' in without_data
        assert ctx.t("compare-nojs").replace("'", "&#39;") in html
        assert f'<script src="{ctx.root_href("assets/javascripts/compare.js")}" defer>' in html
    assert '<script src="../../assets/javascripts/compare.js"' in render(fixture_site, "en")


def test_hostile_names_stay_text(fixture_catalog):
    """A model name holding markup is escaped in the list and cannot close the script element holding the JSON."""
    payload = '</script><script>window.__pwned=1</script><img src=x onerror=alert(1)>'
    model_id = next(iter(fixture_catalog.models))
    models = dict(fixture_catalog.models)
    models[model_id] = dataclasses.replace(models[model_id], name=payload)
    site = make_site(dataclasses.replace(fixture_catalog, models=models), {})
    html = render(site, "en")
    assert payload not in html and "<img" not in html
    assert html.count("</script>") == 2  # the JSON's and the script tag's own
    assert any(entry["name"] == payload for entry in embedded(html)["models"])


def test_a_source_that_is_not_http_stops_the_build(fixture_catalog):
    """A non-http(s) source URL (the schema refuses it; this guards the JSON) is an error naming the source."""
    source_id = fixture_catalog.models["deepseek-r1"].source
    sources = dict(fixture_catalog.sources)
    sources[source_id] = sources[source_id].model_copy(update={"url": "javascript:alert(1)"})
    site = make_site(dataclasses.replace(fixture_catalog, sources=sources), {})
    with pytest.raises(ValueError, match=rf"source '{re.escape(source_id)}': only http\(s\) links"):
        render(site, "zh")


def test_the_marker_takes_no_arguments(fixture_site):
    """An argument the marker does not know is an error."""
    with pytest.raises(ValueError, match="unknown argument"):
        comparepage.render_model_compare(Marker("model-compare", {"models": "x"}, "compare.md", 3),
                                         fixture_site.context("zh", "compare.md"))


@pytest.mark.parametrize("lang", LANGS)
def test_model_pages_link_to_the_compare_page_with_their_model(fixture_site, lang):
    """Every model page links to the compare page of its language with that model chosen."""
    page = "models/qwq-32b.md" if lang == "zh" else "models/qwq-32b.en.md"
    html = modelpages.render_model(Marker("model", {"id": "qwq-32b"}, page, 3), fixture_site.context(lang, page))
    assert '<a href="../../compare/?models=qwq-32b">' in html
