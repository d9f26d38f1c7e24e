"""Browser test fixtures: Debian's Chromium through Playwright, the built site on a local server,
pages that record what they do, and one sample page of each kind (used as a pytest plugin by the
browser test modules: `pytest_plugins = ["browser_fixtures"]`).
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

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
HAN = re.compile(r"[\u3400-\u9fff]")
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

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
