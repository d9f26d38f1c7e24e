"""Search and moving between languages, in Chromium: each language searches its own pages, the
language switcher keeps the page, and both languages have the same navigation.

The browser, the server and the sample pages come from browser_fixtures.py, as for test_browser.py;
pytest-xdist runs the two modules side by side.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from browser_fixtures import HAN, Served, open_search, wait_until_search_ready

pytest_plugins = ["browser_fixtures"]
pytestmark = pytest.mark.browser

# query -> (a page that must be among the first three results or None, pages that may come first).
ZH_QUERIES = {
    "混合专家": ("moe/", set()),
    "强化学习": (None, {"training/", "qwq/"}),
    "许可证": ("licenses/", set()),
    "上下文长度": ("architecture/", {"training/"}),
}
EN_QUERIES = {
    "mixture of experts": ("moe/", set()),
    "reinforcement learning": (None, {"training/", "qwq/"}),
    "Apache 2.0": ("licenses/", set()),
    "context length": ("architecture/", {"training/"}),
    "shared experts": ("moe/", set()),  # P29: with the stemmer, "shared" found nothing
}


@pytest.fixture(scope="module")
def search_page(browser, server):
    """`search_page(lang_root)`: one page per language on its home page with the search index loaded,
    reused by every query (typing a new query replaces the results)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", service_workers="block")
    opened = {}

    def open_page(lang_root: str):
        """The home page of a language, ready to search."""
        if lang_root not in opened:
            page = context.new_page()
            page.goto(server.url(lang_root))
            open_search(page)
            wait_until_search_ready(page)
            opened[lang_root] = page
        return opened[lang_root]

    try:
        yield open_page
    finally:
        context.close()


def search(page, query: str) -> list[str]:
    """Type a query into the search box of a page; the result article links, in order."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press("End")  # fill() sends no key events; Material searches on keyup
    page.wait_for_function("() => !document.querySelector('.md-search-result__item')", timeout=10_000)
    box.fill(query)
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    links = page.eval_on_selector_all(
        ".md-search-result__list > .md-search-result__item > a.md-search-result__link:first-child",
        "els => els.map(a => a.href)")
    return links


def below(root: str, href: str) -> str:
    """The path of an absolute URL below a root URL, without query and fragment."""
    parts = urlsplit(href)
    path = f"{parts.scheme}://{parts.netloc}{parts.path}"
    assert path.startswith(root), (href, root)
    return path[len(root):]


# ---------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------


def check_results(server: Served, lang_root: str, query: str, links: list[str], expected) -> None:
    """Results are pages of the language that exist, with a relevant page first."""
    assert links, f"no results for {query}"
    paths = [below(server.root, href) for href in links]
    other = [p for p in paths if p.startswith("en/") != (lang_root == "en/")]
    assert not other, f"{query}: pages of the other language in the results: {other}"
    missing = [p for p in paths if not (server.site_dir / p / "index.html").is_file()]
    assert not missing, f"{query}: results that are not pages: {missing}"
    local = [p[len(lang_root):] for p in paths]
    canonical, also = expected
    assert local[0] in {canonical, *also} - {None}, f"{query}: first result {local[0]}, all: {local}"
    assert canonical is None or canonical in local[:3], f"{query}: {canonical} not in the first three: {local}"


@pytest.mark.parametrize("query", list(ZH_QUERIES))
def test_chinese_search_lists_chinese_pages_only(search_page, server, query):
    """A Chinese query on the Chinese site: a relevant Chinese page first, no English page at all."""
    check_results(server, "", query, search(search_page(""), query), ZH_QUERIES[query])


def test_chinese_search_matches_part_of_a_term(search_page, server):
    """专家 alone still finds the MoE page (the jieba user dictionary must not glue 混合专家)."""
    paths = [below(server.root, href) for href in search(search_page(""), "专家")]
    assert "moe/" in paths[:3], paths


def test_chinese_query_keeps_its_last_word(search_page):
    """混合专家 searches 混合 and 专家 (Material's worker dropped a query's last word; ours is patched)."""
    page = search_page("")
    search(page, "混合专家")
    marked = page.eval_on_selector_all(".md-search-result__list mark", "els => els.map(e => e.textContent)")
    assert "专家" in marked and "混合" in marked, sorted(set(marked))
    assert page.evaluate("JSON.parse(document.getElementById('__config').textContent).search").endswith(
        "/workers/search-atlas.a7633da7.min.js")


@pytest.mark.parametrize("query", list(EN_QUERIES))
def test_english_search_lists_english_pages_only(search_page, server, query):
    """An English query on the English site: a relevant English page first, only English pages."""
    check_results(server, "en/", query, search(search_page("en/"), query), EN_QUERIES[query])


@pytest.mark.parametrize("lang_root", ["", "en/"])
def test_search_knows_other_spellings(search_page, server, lang_root):
    """千问 and 通义千问 find Qwen (on the Chinese site the home page, which names both, comes first);
    千问3 finds what Qwen3 finds; "license" and "licence" put the licence page first."""
    page = search_page(lang_root)
    paths = {query: [below(server.root, href)[len(lang_root):] for href in search(page, query)]
             for query in ("千问", "通义千问", "千问3", "Qwen", "Qwen3", "license", "licence")}
    for query in ("千问", "通义千问"):
        if lang_root:  # English pages do not say 千问: the best page for Qwen comes first
            assert paths[query][0] == paths["Qwen"][0], (query, paths[query], paths["Qwen"])
        else:
            assert paths[query][0] == "", (query, paths[query])
    for query in ("license", "licence"):
        assert paths[query][0] == "licenses/", (query, paths[query])
    assert paths["千问3"] == paths["Qwen3"]
    search(page, "千问3")
    marked = page.eval_on_selector_all(".md-search-result__item:first-child mark", "els => els.map(e => e.textContent)")
    assert any(word.lower().startswith("qwen3") for word in marked), marked  # the best match shows Qwen3


def test_search_result_titles_have_no_zero_width_characters(search_page):
    """Result titles show no U+200B left over from jieba segmentation."""
    page = search_page("")
    search(page, "混合专家")
    titles = page.eval_on_selector_all(".md-search-result__article h1, .md-search-result__article h2",
                                       "els => els.map(e => e.textContent)")
    assert titles and not [t for t in titles if "\u200b" in t], titles


# ---------------------------------------------------------------------------
# Navigation and clean page loads
# ---------------------------------------------------------------------------


def nav_entries(page) -> list[tuple[str, str]]:
    """(link path, title) of every page link in the primary navigation, in order."""
    return page.eval_on_selector_all(
        "nav.md-nav--primary a.md-nav__link[href]",
        "els => els.map(a => [new URL(a.href).pathname, a.textContent.trim()])")


def switch_language(page, lang: str) -> None:
    """Open the header's language menu and pick a language."""
    page.hover(".md-header__option .md-select")
    with page.expect_navigation():
        page.click(f".md-select__link[hreflang='{lang}']")


@pytest.mark.parametrize("kind", ["home", "model"])  # the other kinds' switcher links: test_page_loads_cleanly
def test_language_switcher_keeps_the_page(page, server, samples, kind):
    """Clicking the header's language menu goes zh -> en -> zh on the same page (the switcher links
    of every kind of page are checked by test_page_loads_cleanly)."""
    path = samples[kind]
    page.goto(server.url(path))
    switch_language(page, "en")
    assert below(server.root, page.url) == "en/" + path
    assert page.get_attribute("html", "lang") == "en"
    switch_language(page, "zh")
    assert below(server.root, page.url) == path
    assert page.get_attribute("html", "lang") == "zh"
    assert not page.watch.failed, page.watch.failed
    assert not page.watch.console_errors, page.watch.console_errors


def test_navigation_matches_across_languages(page, server):
    """Both languages list the same pages in the same order; English titles are English."""
    prefix = urlsplit(server.root).path
    page.goto(server.url())
    zh = nav_entries(page)
    page.goto(server.url("en/"))
    en = nav_entries(page)
    assert [p[len(prefix):] for p, _ in zh] == [p[len(prefix):][len("en/"):] for p, _ in en]
    assert not [t for _, t in en if HAN.search(t)], f"untranslated English nav titles: {en}"
    assert [t for _, t in zh if HAN.search(t)], "Chinese nav has no Chinese titles"
