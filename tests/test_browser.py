"""End to end in a real browser: search, language switching, clean page loads, charts, tooltips.

Playwright for Python drives Debian's Chromium (no browser download). The site is built once
(the session fixture `built_site` in conftest.py, --strict) and served by a threaded
http.server on 127.0.0.1 under the path of `site_url` (e.g. /qwen-atlas/), as on GitHub Pages.
Without Chromium the tests are skipped, except in CI (CI=true), where that is a failure.

The pages come from one template each, so the tests visit one page of each kind in each
language (the fixture `samples`, chosen from the content folder, the data and the built site),
not every page.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import sys
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from atlas.markers import find_markers
from atlas.selections import plotted_models
from atlas.stubs import STUB_DIR, is_stub
from atlas.workspace import CONTENT_DIR

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
HAN = re.compile(r"[\u3400-\u9fff]")
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

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


# ---------------------------------------------------------------------------
# Fixtures: browser, server
# ---------------------------------------------------------------------------


def _chromium() -> str:
    """Path of the system Chromium; skip (locally) or fail (CI) without it or without Playwright."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    problem = None
    if path is None:
        problem = "no Chromium found (apt-get install chromium; .ci/run does this)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "Playwright for Python is not installed (pip install -r requirements.lock)"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run in CI: {problem}")
        pytest.skip(f"browser tests skipped: {problem}")
    return path


@dataclass
class Served:
    """The running server: its base URL (site_url's path on 127.0.0.1) and a log of responses."""

    root: str                      # e.g. http://127.0.0.1:41234/qwen-atlas/
    site_dir: Path
    log: list[tuple[str, int]] = field(default_factory=list)

    def url(self, path: str = "") -> str:
        """Absolute URL of a path below the site root."""
        return self.root + path.lstrip("/")

    def errors_since(self, mark: int) -> list[tuple[str, int]]:
        """Responses with status >= 400 since log position `mark`."""
        return [(path, status) for path, status in self.log[mark:] if status >= 400]


def _site_path(site_dir: Path) -> str:
    """The path part of site_url, read from the built sitemap (its shortest <loc> is the home page)."""
    locs = [e.text for e in ET.parse(site_dir / "sitemap.xml").getroot().findall("s:url/s:loc", SITEMAP_NS)]
    path = urlsplit(min(locs, key=len)).path if locs else "/"
    return path if path.endswith("/") else path + "/"


@pytest.fixture(scope="module")
def server(built_site: Path) -> Iterator[Served]:
    """Serve the built site at http://127.0.0.1:<free port><site_url path> in a thread."""
    prefix = _site_path(built_site)
    served = Served(root="", site_dir=built_site)
    lock = threading.Lock()

    class Handler(http.server.SimpleHTTPRequestHandler):
        """Static files below `prefix`; everything else is 404; every response is logged."""

        def translate_path(self, path):
            """Map <prefix>/x to site_dir/x; paths outside the prefix to a missing file."""
            path = unquote(urlsplit(path).path)
            if not path.startswith(prefix):
                return str(built_site / "__outside_site_url__")
            return super().translate_path("/" + path[len(prefix):])

        def log_request(self, code="-", size="-"):
            """Record instead of printing."""
            with lock:
                served.log.append((self.path, int(code) if str(code).isdigit() else 0))

        def log_message(self, format, *args):
            """Silence the default stderr log."""

    handler = lambda *a, **k: Handler(*a, directory=str(built_site), **k)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    default_handle_error = httpd.handle_error

    def handle_error(request, client_address):
        """A browser that navigates away mid-download closes the socket: not an error worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            default_handle_error(request, client_address)

    httpd.handle_error = handle_error
    served.root = f"http://127.0.0.1:{httpd.server_address[1]}{prefix}"
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield served
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module."""
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@dataclass
class Watch:
    """Everything a page did that a clean page must not do."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def reset(self) -> None:
        """Forget what was recorded so far."""
        self.requests.clear()
        self.console_errors.clear()
        self.failed.clear()

    def foreign(self) -> list[str]:
        """Requests that went anywhere but the local server (data: and blob: URLs are local)."""
        bad = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.scheme not in ("http", "https") or parts.hostname != "127.0.0.1":
                bad.append(url)
        return bad


@pytest.fixture
def page(browser, server):
    """A fresh desktop-sized page that records requests, console errors and failed requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  service_workers="block")
    watch = Watch()
    context.on("request", lambda request: watch.requests.append(request.url))
    # A request the browser cancels because the reader moved on (net::ERR_ABORTED) is no failure;
    # a missing file still shows up as a 4xx response and in the server's log.
    context.on("requestfailed", lambda request: "ERR_ABORTED" not in (request.failure or "")
               and watch.failed.append(f"{request.url} ({request.failure})"))
    context.on("response", lambda response: response.status >= 400 and watch.failed.append(
        f"{response.url} ({response.status})"))
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and watch.console_errors.append(
        f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: watch.console_errors.append(f"{page.url}: {error}"))
    page.watch = watch  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


# ---------------------------------------------------------------------------
# One page of each kind
# ---------------------------------------------------------------------------

LANGS = ("zh", "en")
# The kinds of page the site is made of (one template or page type each); `samples` finds a page of each.
KINDS = ("home", "prose", "chart", "table", "model", "glossary", "data", "404")
# kind -> the block marker that makes a page of that kind (the first page holding it, by name, is used).
MARKER_KINDS = {"chart": "chart", "table": "model-index", "glossary": "glossary", "data": "downloads"}
TERM = re.compile(r'<a class="atlas-term"[^>]* title="[^"]+"')
TABLE_OR_CHART = re.compile(r"<table|atlas-chart__plot")


def html_file(site_dir: Path, path: str) -> Path:
    """The built file of a page path below the root ("" and "x/" are directories, "404.html" a file)."""
    return site_dir / (path + "index.html" if path.endswith("/") or not path else path)


def in_lang(path: str, lang: str) -> str:
    """A (Chinese) page path in a language: the English page lives below en/."""
    return path if lang == "zh" else "en/" + path


def content_pages() -> dict[str, list[str]]:
    """Page path below the root -> the marker kinds of its Chinese Markdown, for the hand-written
    pages of the content folder (the generated model stubs are left out)."""
    pages = {}
    for source in sorted(CONTENT_DIR.rglob("*.md")):
        text = source.read_text("utf-8")
        if source.name.endswith(".en.md") or is_stub(text):
            continue
        name = source.relative_to(CONTENT_DIR).as_posix()
        path = name[: -len("index.md")] if source.name == "index.md" else name[: -len(".md")] + "/"
        pages[path] = [marker.kind for marker in find_markers(text, name)]
    return pages


@pytest.fixture(scope="module")
def samples(built_site: Path, catalog) -> dict[str, str]:
    """kind -> the Chinese path of one page of that kind (its English page is below en/).

    home: the home page. prose: the page without tables and charts that has the most glossary
    annotations. chart / table / glossary / data: the first page holding a chart, the model index,
    the glossary, the downloads. model: the generated page of the model drawn in the most charts.
    404: 404.html.
    """
    pages = content_pages()
    found = {"home": "", "404": "404.html"}
    for kind, marker in MARKER_KINDS.items():
        holders = [path for path, kinds in pages.items() if marker in kinds]
        assert holders, f"no content page holds an atlas:{marker} marker (the {kind} page)"
        found[kind] = holders[0]
    plain = {path: len(TERM.findall(html)) for path in pages if path
             for html in [html_file(built_site, path).read_text("utf-8")] if not TABLE_OR_CHART.search(html)}
    assert plain and max(plain.values()) > 0, f"no prose page with glossary annotations: {plain}"
    found["prose"] = max(plain, key=lambda path: (plain[path], path))
    charts_of = Counter(model for ids in plotted_models(catalog).values() for model in ids)
    assert charts_of, "no chart plots any model"
    model = min(charts_of, key=lambda model: (-charts_of[model], model))
    found["model"] = f"{STUB_DIR}/{model}/"
    assert set(found) == set(KINDS)
    for kind, path in found.items():
        for lang in LANGS:
            assert html_file(built_site, in_lang(path, lang)).is_file(), f"{kind} page {in_lang(path, lang)} not built"
    return found


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def open_search(page) -> None:
    """Open the search the way a reader does, which is when the page fetches the search index."""
    page.locator("input.md-search__input").click()


def wait_until_search_ready(page) -> None:
    """Wait until Material's search worker has loaded the index (the placeholder replaces 'initializing')."""
    page.wait_for_function("""() => {
        const meta = document.querySelector('.md-search-result__meta');
        const config = JSON.parse(document.getElementById('__config').textContent);
        return meta && meta.textContent.trim() === config.translations['search.result.placeholder'];
    }""", timeout=15_000)


def wait_until_charts_drawn(page) -> int:
    """Wait until every chart of the page has drawn an SVG; the number of charts (fails naming the others)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    undrawn = """() => [...document.querySelectorAll('.atlas-chart__plot')]
        .filter(plot => !(plot.hasAttribute('data-rendered') && plot.querySelector('svg')))
        .map(plot => plot.getAttribute('data-chart'))"""
    assert page.locator(".atlas-chart__plot").count(), f"no chart (.atlas-chart__plot) on {page.url}"
    try:
        page.wait_for_function(f"() => ({undrawn})().length === 0", timeout=20_000)
    except PlaywrightTimeout:
        pytest.fail(f"charts not drawn on {page.url} within 20 s: {page.evaluate(undrawn)}; "
                    f"console: {page.watch.console_errors}")
    return page.locator(".atlas-chart__plot").count()


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


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", KINDS)
def test_page_loads_cleanly(page, server, samples, kind, lang):
    """One page of each kind in each language: its <html lang>, a language switcher to the same page
    in the other language, only local requests, no console error, no failed request.

    The page may not fetch the search index until the search is opened (it is hundreds of KB); on
    the home page the test opens the search and waits until its worker is ready, on a chart page
    until every chart is drawn. Any sitemap request is made while the page loads.
    """
    path = in_lang(samples[kind], lang)
    mark = len(server.log)
    page.goto(server.url(path), wait_until="load")
    page.wait_for_load_state("networkidle")
    if any(url.endswith("/search_index.json") for url in page.watch.requests):
        problems_on_load = [f"{path}: the search index was fetched before the search was opened"]
    else:
        problems_on_load = []
    if kind == "home":
        open_search(page)
        wait_until_search_ready(page)
    if kind == "chart":
        wait_until_charts_drawn(page)
    problems = problems_on_load
    if page.get_attribute("html", "lang") != lang:
        problems.append(f"{path}: <html lang> is {page.get_attribute('html', 'lang')!r}, not {lang!r}")
    if kind != "404":
        other = "en" if lang == "zh" else "zh"
        href = page.eval_on_selector(f".md-select__link[hreflang={other}]", "a => a.href")
        if href != server.url(in_lang(samples[kind], other)):
            problems.append(f"{path}: language switcher goes to {href}")
    problems += [f"{path}: request to another host: {url}" for url in page.watch.foreign()]
    problems += [f"{path}: console error: {text}" for text in page.watch.console_errors]
    problems += [f"{path}: failed request: {text}" for text in page.watch.failed]
    problems += [f"server answered {status} for {served}" for served, status in server.errors_since(mark)]
    assert not problems, "\n".join(problems)


def test_404_pages_are_in_their_language(page, server, samples):
    """A missing page gets the 404 status; /404.html is Chinese and /en/404.html English, both styled."""
    response = page.goto(server.url("no-such-page/"))
    assert response.status == 404
    for lang in LANGS:
        page.goto(server.url(in_lang(samples["404"], lang)))
        assert page.get_attribute("html", "lang") == lang
        assert page.locator("h1").first.inner_text().strip() == "404 - Not found"
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"


# ---------------------------------------------------------------------------
# Charts and glossary
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_charts_render_and_follow_the_palette(page, server, samples, lang):
    """Every chart of a chart page draws an SVG in .atlas-chart__plot, in the page's language (no Chinese
    on the English page), and restyles when the palette toggle is clicked."""
    page.goto(server.url(in_lang(samples["chart"], lang)))
    wait_until_charts_drawn(page)
    plot = ".atlas-chart__plot[data-rendered]"
    text = " ".join(page.eval_on_selector_all(f"{plot} svg text", "els => els.map(e => e.textContent)"))
    assert bool(HAN.search(text)) == (lang == "zh"), f"chart text not in {lang}: {text[:300]}"
    colour = f"""() => {{
        const text = document.querySelector('{plot} svg text');
        return text ? getComputedStyle(text).fill : null;
    }}"""
    before = page.evaluate(colour)
    scheme = page.get_attribute("body", "data-md-color-scheme")
    page.click("form[data-md-component=palette] label:not([hidden])")
    page.wait_for_function(f"() => document.body.getAttribute('data-md-color-scheme') !== '{scheme}'")
    page.wait_for_function(f"before => ({colour})() !== before", arg=before, timeout=5_000)
    assert not page.watch.console_errors, page.watch.console_errors


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_terms_have_tooltips_in_running_text(page, server, samples, lang):
    """Running text of the prose page carries glossary links with a definition in the page's language
    as title; hovering one shows the definition."""
    page.goto(server.url(in_lang(samples["prose"], lang)))
    # Material moves `title` into its own tooltip element, so read the served HTML for the attribute.
    terms = page.evaluate("""async () => {
        const html = await (await fetch(location.href)).text();
        const doc = new DOMParser().parseFromString(html, 'text/html');
        return [...doc.querySelectorAll('.md-content a.atlas-term[title]')].map(a => ({
            text: a.textContent, title: a.getAttribute('title'), context: a.parentElement.textContent}));
    }""")
    chinese = lang == "zh"
    found = [t for t in terms if all(bool(HAN.search(t[key])) == chinese for key in ("text", "title", "context"))
             and t["title"].strip()]
    assert found, f"no glossary term with a {lang} title in {lang} text: {terms[:5]}"
    term = page.locator(".md-content a.atlas-term", has_text=found[0]["text"]).first
    term.scroll_into_view_if_needed()
    term.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(timeout=5_000)
    assert found[0]["title"].strip()[:10] in tooltip.inner_text()


# ---------------------------------------------------------------------------
# Fact-check ledger
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_ledger_filter_hides_rows_by_verdict_and_topic(page, server, catalog, lang):
    """The verdict and topic selects show only matching rows; 'all' shows every row again."""
    page.goto(server.url(in_lang("fact-check/", lang)))
    rows = page.locator(".atlas-factcheck tbody tr")
    assert rows.count() == len(catalog.claims)
    page.select_option("select[data-filter=verdict]", "unverifiable")
    unverifiable = {c.id for c in catalog.claims.values() if c.verdict == "unverifiable"}
    assert page.locator(".atlas-factcheck tbody tr:visible").count() == len(unverifiable)
    topic = next(c.topic for c in catalog.claims.values() if c.verdict == "unverifiable")
    page.select_option("select[data-filter=topic]", topic)
    both = {c.id for c in catalog.claims.values() if c.verdict == "unverifiable" and c.topic == topic}
    visible = page.locator(".atlas-factcheck tbody tr:visible")
    assert {visible.nth(i).get_attribute("id") for i in range(visible.count())} == {f"claim-{i}" for i in both}
    page.select_option("select[data-filter=verdict]", "")
    page.select_option("select[data-filter=topic]", "")
    assert page.locator(".atlas-factcheck tbody tr:visible").count() == len(catalog.claims)
    assert page.watch.console_errors == []


def test_ledger_shows_every_row_without_javascript(browser, server, catalog):
    """Without JavaScript the filter stays hidden and every claim is visible."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url("fact-check/"))
        assert page.locator(".atlas-factcheck tbody tr:visible").count() == len(catalog.claims)
        assert not page.locator(".atlas-factcheck-filter").is_visible()
    finally:
        context.close()
