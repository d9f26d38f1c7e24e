"""End to end in a real browser: search, language switching, clean page loads, charts, tooltips.

Playwright for Python drives Debian's Chromium (no browser download). The site is built once
(the session fixture `built_site` in conftest.py, --strict) and served by a threaded
http.server on 127.0.0.1 under the path of `site_url` (e.g. /qwen-atlas/), as on GitHub Pages.
Without Chromium the tests are skipped, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

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
# Helpers
# ---------------------------------------------------------------------------


def site_pages(site_dir: Path) -> list[str]:
    """Every HTML page of the built site as a path below the root (pages as directories)."""
    pages = []
    for html in sorted(site_dir.rglob("*.html")):
        rel = html.relative_to(site_dir).as_posix()
        if rel.startswith("assets/"):
            continue
        pages.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return pages


def wait_until_search_ready(page) -> None:
    """Wait until Material's search worker has loaded the index (the placeholder replaces 'initializing')."""
    page.wait_for_function("""() => {
        const meta = document.querySelector('.md-search-result__meta');
        const config = JSON.parse(document.getElementById('__config').textContent);
        return meta && meta.textContent.trim() === config.translations['search.result.placeholder'];
    }""", timeout=15_000)


def search(page, server: Served, lang_root: str, query: str) -> list[str]:
    """Type a query into the search box of a language's home page; the result article links, in order."""
    page.goto(server.url(lang_root))
    wait_until_search_ready(page)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # fill() sends no key events; Material searches on keyup
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
def test_chinese_search_lists_chinese_pages_only(page, server, query):
    """A Chinese query on the Chinese site: a relevant Chinese page first, no English page at all."""
    check_results(server, "", query, search(page, server, "", query), ZH_QUERIES[query])


def test_chinese_search_matches_part_of_a_term(page, server):
    """专家 alone still finds the MoE page (the jieba user dictionary must not glue 混合专家)."""
    paths = [below(server.root, href) for href in search(page, server, "", "专家")]
    assert "moe/" in paths[:3], paths


def test_chinese_query_keeps_its_last_word(page, server):
    """混合专家 searches 混合 and 专家 (Material's worker dropped a query's last word; ours is patched)."""
    search(page, server, "", "混合专家")
    marked = page.eval_on_selector_all(".md-search-result__list mark", "els => els.map(e => e.textContent)")
    assert "专家" in marked and "混合" in marked, sorted(set(marked))
    assert page.evaluate("JSON.parse(document.getElementById('__config').textContent).search").endswith(
        "/workers/search-atlas.a7633da7.min.js")


@pytest.mark.parametrize("query", list(EN_QUERIES))
def test_english_search_lists_english_pages_only(page, server, query):
    """An English query on the English site: a relevant English page first, only English pages."""
    check_results(server, "en/", query, search(page, server, "en/", query), EN_QUERIES[query])


def test_search_result_titles_have_no_zero_width_characters(page, server):
    """Result titles show no U+200B left over from jieba segmentation."""
    search(page, server, "", "混合专家")
    titles = page.eval_on_selector_all(".md-search-result__article h1, .md-search-result__article h2",
                                       "els => els.map(e => e.textContent)")
    assert titles and not [t for t in titles if "\u200b" in t], titles


# ---------------------------------------------------------------------------
# Navigation
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


MODEL_PAGE = re.compile(r"^(en/)?models/[^/]+/$")
AFTER_LOAD_FETCHES = """() => {
    const done = performance.getEntriesByType('resource').map(entry => entry.name.split('?')[0]);
    return done.some(url => url.endsWith('/search/search_index.json'));
}"""


def test_language_switcher_keeps_the_page(page, server):
    """Clicking the header's language menu goes zh -> en -> zh on the same page (a sample of pages;
    test_every_page_loads_cleanly checks the switcher links of every page)."""
    models = [p for p in site_pages(server.site_dir) if MODEL_PAGE.match(p) and not p.startswith("en/")]
    for rel in ["", "moe/", "models/", *models[:1]]:
        page.goto(server.url(rel))
        switch_language(page, "en")
        assert below(server.root, page.url) == "en/" + rel
        assert page.get_attribute("html", "lang") == "en"
        switch_language(page, "zh")
        assert below(server.root, page.url) == rel
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


def test_every_page_loads_cleanly(page, server):
    """Every page of both languages: only local requests, no console error, no failed request,
    and a language switcher that points to the same page in the other language.

    After the load event each page is given time to finish fetching its search index; on the
    two home pages the test waits until the search worker is ready (worker and lunr scripts).
    Any sitemap request (the 404s of stack-notes P30) is made while the page loads.
    """
    pages = site_pages(server.site_dir)
    assert "404.html" in pages and "en/404.html" in pages and "en/" in pages
    problems = []
    mark = len(server.log)
    for path in pages:
        page.watch.reset()
        page.goto(server.url(path), wait_until="load")
        page.wait_for_function(AFTER_LOAD_FETCHES, timeout=15_000)
        if path in ("", "en/"):
            wait_until_search_ready(page)
        english = path.startswith("en/")
        if page.get_attribute("html", "lang") != ("en" if english else "zh"):
            problems.append(f"{path}: wrong html lang")
        if not path.endswith("404.html"):
            other = page.eval_on_selector(f".md-select__link[hreflang={'zh' if english else 'en'}]", "a => a.href")
            expected = path[len("en/"):] if english else "en/" + path
            if other != server.url(expected):
                problems.append(f"{path}: language switcher goes to {other}")
        problems += [f"{path}: request to another host: {url}" for url in page.watch.foreign()]
        problems += [f"{path}: console error: {text}" for text in page.watch.console_errors]
        problems += [f"{path}: failed request: {text}" for text in page.watch.failed]
    problems += [f"server answered {status} for {path}" for path, status in server.errors_since(mark)]
    assert not problems, "\n".join(problems)


def test_404_pages_are_in_their_language(page, server):
    """A missing page gets the 404 status; /404.html is Chinese and /en/404.html English, both styled."""
    response = page.goto(server.url("no-such-page/"))
    assert response.status == 404
    for path, lang in (("404.html", "zh"), ("en/404.html", "en")):
        page.goto(server.url(path))
        assert page.get_attribute("html", "lang") == lang
        assert page.locator("h1").first.inner_text().strip() == "404 - Not found"
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"


# ---------------------------------------------------------------------------
# Charts and glossary
# ---------------------------------------------------------------------------


def chart_pages(site_dir: Path) -> list[str]:
    """Pages (below the root) whose HTML contains a chart container."""
    return [path for path in site_pages(site_dir)
            if "atlas-chart__plot" in (site_dir / (path + "index.html" if path.endswith("/") or not path
                                                    else path)).read_text("utf-8")]


def test_charts_render_and_follow_the_palette(page, server):
    """A chart draws an SVG in .atlas-chart__plot and restyles when the palette toggle is clicked."""
    pages = chart_pages(server.site_dir)
    assert pages, "no page with a chart (.atlas-chart__plot) in the built site"
    page.goto(server.url(pages[0]))
    page.wait_for_selector(".atlas-chart__plot[data-rendered] svg", timeout=20_000)
    plot = ".atlas-chart__plot[data-rendered]"
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


def test_glossary_terms_have_tooltips_in_chinese_text(page, server):
    """Chinese running text carries glossary links with a title; hovering one shows the definition."""
    page.goto(server.url("moe/"))
    # Material moves `title` into its own tooltip element, so read the served HTML for the attribute.
    terms = page.evaluate("""async () => {
        const html = await (await fetch(location.href)).text();
        const doc = new DOMParser().parseFromString(html, 'text/html');
        return [...doc.querySelectorAll('.md-content a.atlas-term[title]')].map(a => ({
            text: a.textContent, title: a.getAttribute('title'), context: a.parentElement.textContent}));
    }""")
    chinese = [t for t in terms if HAN.search(t["text"]) and HAN.search(t["context"])]
    assert chinese, f"no glossary term with a title in Chinese text: {terms[:5]}"
    assert all(t["title"].strip() for t in chinese), chinese[:5]
    term = page.locator(".md-content a.atlas-term", has_text=chinese[0]["text"]).first
    term.scroll_into_view_if_needed()
    term.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(timeout=5_000)
    assert chinese[0]["title"].strip()[:10] in tooltip.inner_text()
