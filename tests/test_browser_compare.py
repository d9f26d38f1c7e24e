"""The compare page in Chromium: the choice in the address, side-by-side columns with sources, the
picker, the links from model pages, the page without JavaScript, and hostile data kept as text.

Uses the session-built site and the browser fixtures of browser_fixtures.py.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_fixtures import LANGS, in_lang

from atlas.selections import pick_score

pytestmark = pytest.mark.browser

pytest_plugins = ["browser_fixtures"]

EXAMPLE = ("qwen3-32b", "qwen2.5-72b-instruct")  # the address the issue and the page use as an example
COLUMNS = "thead th.atlas-comparer__model"


def box(model_id: str) -> str:
    """The picker's checkbox of a model (ids hold dots, so not an #id selector)."""
    return f".atlas-comparer__models input[type=checkbox][value='{model_id}']"


def chosen_in(url: str) -> list[str]:
    """The models chosen in a compare page address."""
    values = parse_qs(urlsplit(url).query).get("models", [""])
    return [part for part in values[0].split(",") if part]


def sharing_pair(catalog) -> tuple[str, str, str]:
    """Two models with a score on the same benchmark, and that benchmark (the first such, in data order)."""
    ids = list(catalog.models)
    for first_index, first in enumerate(ids):
        for second in ids[first_index + 1:]:
            for bench in catalog.benchmarks:
                if pick_score(catalog, first, bench) and pick_score(catalog, second, bench):
                    return first, second, bench
    pytest.fail("no two models share a benchmark in the data")


def columns(page) -> list[str]:
    """The models of the comparison table's columns, in order."""
    return page.eval_on_selector_all(f".atlas-comparer__specs {COLUMNS}", "cells => cells.map(c => c.dataset.model)")


@pytest.mark.parametrize("lang", LANGS)
def test_chosen_models_side_by_side_with_sources_and_the_choice_in_the_address(page, server, catalog, lang):
    """The address picks the columns; a shared benchmark row cites each score's source; ticking and
    removing models rewrites the address, which a reload keeps; a phone scrolls the table, not the page."""
    missing = [model for model in EXAMPLE if model not in catalog.models]
    assert not missing, f"the example models are gone from the data: {missing}"
    page.goto(server.url(in_lang(f"compare/?models={','.join(EXAMPLE)}", lang)))
    assert columns(page) == list(EXAMPLE)
    assert page.locator(".atlas-comparer__specs tbody tr[data-spec=params] td").count() == 2
    for model_id in EXAMPLE:
        assert page.is_checked(box(model_id))

    first, second, bench = sharing_pair(catalog)
    page.goto(server.url(in_lang(f"compare/?models={first},{second}", lang)))
    assert columns(page) == [first, second]
    row = page.locator(f".atlas-comparer__benchmarks tbody tr[data-benchmark='{bench}']")
    assert row.count() == 1, f"no row for the shared benchmark {bench}"
    cites = row.locator("td a.atlas-cite")
    expected = [catalog.sources[pick_score(catalog, model, bench).source].url for model in (first, second)]
    assert [cites.nth(i).get_attribute("href") for i in range(cites.count())] == expected

    third = next(model for model in catalog.models if model not in (first, second))
    page.check(box(third))
    assert chosen_in(page.url) == [first, second, third]
    assert columns(page) == [first, second, third]
    page.click(f".atlas-comparer__specs {COLUMNS}[data-model='{first}'] button.atlas-comparer__remove")
    assert chosen_in(page.url) == [second, third]
    page.reload()
    assert columns(page) == [second, third]
    assert not page.is_checked(box(first))

    others = [model for model in catalog.models if model not in (second, third)][:2]
    for model in others:
        page.check(box(model))
    assert len(chosen_in(page.url)) == 4
    unticked = next(model for model in catalog.models if model not in chosen_in(page.url))
    assert page.is_disabled(box(unticked)), "a fifth model could be ticked"
    frames = "[...document.querySelectorAll('.atlas-comparer .atlas-table')]"
    page.set_viewport_size({"width": 1366, "height": 900})
    assert page.evaluate(f"{frames}.every(frame => frame.scrollWidth <= frame.clientWidth)"), \
        "four models do not fit a 1366-px screen"
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    assert page.evaluate(f"{frames}.every(frame => getComputedStyle(frame).overflowX === 'auto')")
    assert page.watch.console_errors == [] and page.watch.failed == [] and page.watch.foreign() == []


@pytest.mark.parametrize("lang", LANGS)
def test_picker_finds_models_by_name(page, server, catalog, lang):
    """Typing in the filter box leaves only matching models; a query matching nothing says so."""
    page.goto(server.url(in_lang("compare/", lang)))
    target = catalog.models["deepseek-r1"]
    page.fill("#compare-filter", target.name.lower())
    visible = page.locator(".atlas-comparer__models li[data-model]:visible")
    assert target.id in [visible.nth(i).get_attribute("data-model") for i in range(visible.count())]
    assert visible.count() < len(catalog.models)
    page.fill("#compare-filter", "no-such-model-zzz")
    assert page.locator(".atlas-comparer__models li[data-model]:visible").count() == 0
    assert page.locator(".atlas-comparer__no-match").is_visible()


@pytest.mark.parametrize("lang", LANGS)
def test_model_page_link_opens_the_compare_page_with_its_model(page, server, samples, lang):
    """The compare link of a model page opens the compare page of its language with that model chosen."""
    model_id = samples["model"].rstrip("/").split("/")[-1]
    page.goto(server.url(in_lang(samples["model"], lang)))
    page.click(".atlas-model-compare a")
    page.wait_for_url(re.compile(r".*/compare/\?models="))
    assert page.url == server.url(in_lang(f"compare/?models={model_id}", lang))
    assert columns(page) == [model_id]
    assert page.is_checked(box(model_id))


def test_without_javascript_the_page_explains_itself_and_links_every_model(browser, server, catalog):
    """Without JavaScript: the notice shows, the picker stays hidden, every model's page is one link away."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        for lang in LANGS:
            page.goto(server.url(in_lang("compare/?models=qwq-32b,deepseek-r1", lang)))
            assert page.locator(".atlas-comparer__nojs").is_visible()
            assert not page.locator(".atlas-comparer__app").is_visible()
            assert not page.locator("#compare-filter").is_visible()
            links = page.eval_on_selector_all(".atlas-comparer__models li a", "links => links.map(a => a.href)")
            assert sorted(links) == sorted(server.url(in_lang(f"models/{m}/", lang)) for m in catalog.models)
    finally:
        context.close()


PAYLOAD = '<img src=x onerror="window.__pwned=1">'
BAD_URLS = ("javascript:window.__pwned=1", " java\tscript:window.__pwned=1", "//evil.example/", "data:text/html,x")


def _poisoned(html: str) -> str:
    """The compare page with every text of its data turned into markup and every link into script."""
    pattern = re.compile(r'(<script type="application/json" class="atlas-comparer__data">)(.*?)(</script>)', re.S)
    match = pattern.search(html)
    data = json.loads(match.group(2))
    data["labels"] = {key: f"{value} {PAYLOAD}" for key, value in data["labels"].items()}
    for index, model in enumerate(data["models"]):
        model["name"] += PAYLOAD
        model["family"] += PAYLOAD
        model["href"] = BAD_URLS[index % len(BAD_URLS)]
        for figure in (*model["specs"].values(), *model["scores"].values()):
            figure["text"] += PAYLOAD
            if "setting" in figure:
                figure["setting"] += PAYLOAD
                figure["locator"] += PAYLOAD
    for index, source in enumerate(data["sources"].values()):
        source.update(url=BAD_URLS[index % len(BAD_URLS)], label=source["label"] + PAYLOAD,
                      title=source["title"] + PAYLOAD)
    for bench in data["benchmarks"]:
        bench.update(name=bench["name"] + PAYLOAD, href=BAD_URLS[0])
    text = json.dumps(data).replace("<", "\\u003c")
    return html[:match.start(2)] + text + html[match.end(2):]


def test_hostile_data_stays_text_and_links_stay_safe(page, server, catalog):
    """Markup in every text of the data shows as text, even in tooltips; script links are not made links."""
    first, second, _ = sharing_pair(catalog)

    def poison(route):
        """Serve the compare page with its data poisoned."""
        response = route.fetch()
        route.fulfill(response=response, body=_poisoned(response.text()))

    page.route(re.compile(r".*/compare/(\?.*)?$"), poison)
    page.goto(server.url(f"en/compare/?models={first},{second}"))
    assert columns(page) == [first, second]
    page.check(box(next(m for m in catalog.models if m not in (first, second))))
    page.evaluate("""() => {
        for (const el of document.querySelectorAll('.atlas-comparer [title], .atlas-comparer a'))
            for (const type of ['mouseenter', 'mouseover', 'focus', 'focusin'])
                el.dispatchEvent(new Event(type, {bubbles: type !== 'mouseenter'}));
    }""")
    page.locator(".atlas-comparer a.atlas-cite, .atlas-comparer span.atlas-cite").first.hover()
    page.wait_for_timeout(300)
    state = page.evaluate("""() => ({
        pwned: window.__pwned || 0,
        images: document.querySelectorAll('img[src="x"]').length,
        links: [...document.querySelectorAll('.atlas-comparer [href], .atlas-comparer__models [href]')]
            .map(el => el.getAttribute('href')).filter(href => !/^(https?:|\\.\\.?\\/|[a-z0-9])/i.test(href)
                || /^\\s*(javascript|data):/i.test(href.replace(/\\s/g, ''))),
        shown: document.querySelector('.atlas-comparer__model').textContent,
    })""")
    assert state["pwned"] == 0 and state["images"] == 0, state
    assert state["links"] == [], state
    assert "<img" in state["shown"], "the payload should show as text"
