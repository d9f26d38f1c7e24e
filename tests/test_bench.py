"""The parts of `make bench` that decide what is measured: the gzip server it measures through and
the pages it picks. (The measuring itself, Lighthouse included, runs only in `make bench`.)"""

from __future__ import annotations

import gzip
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from atlas.workspace import CONTENT_DIR

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import serve  # noqa: E402
import visit  # noqa: E402

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://example.org/atlas/</loc></url><url><loc>https://example.org/atlas/moe/</loc></url>
</urlset>"""


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    """A site of a page, a script, an image, a 404 page and a sitemap under /atlas/."""
    (tmp_path / "moe").mkdir()
    (tmp_path / "index.html").write_text("<p>home</p>" * 100, encoding="utf-8")
    (tmp_path / "moe" / "index.html").write_text("<p>moe</p>", encoding="utf-8")
    (tmp_path / "app.js").write_text("let x = 1;\n" * 100, encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG" + bytes(200))
    (tmp_path / "404.html").write_text("<p>not here</p>", encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text(SITEMAP, encoding="utf-8")
    return tmp_path


def fetch(url: str, gzip_ok: bool = True):
    """(status, headers, body as sent) of a GET, without following redirects."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        """Report a redirect instead of following it."""

        def redirect_request(self, *args, **kwargs):
            """Do not follow."""
            return None

    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_server_compresses_text_like_github_pages(small_site):
    """Pages and scripts come gzip-compressed to a client that accepts it, images as they are;
    a client without gzip gets the plain file."""
    with serve.serving(small_site) as root:
        assert root.endswith("/atlas/")
        status, headers, body = fetch(root)
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == (small_site / "index.html").read_bytes()
        assert int(headers["Content-Length"]) == len(body) < (small_site / "index.html").stat().st_size
        status, headers, body = fetch(root + "app.js")
        assert headers["Content-Encoding"] == "gzip" and headers["Content-Type"].startswith("application/javascript")
        status, headers, body = fetch(root + "logo.png")
        assert status == 200 and headers["Content-Encoding"] is None and body == (small_site / "logo.png").read_bytes()
        status, headers, body = fetch(root + "moe/", gzip_ok=False)
        assert headers["Content-Encoding"] is None and body == b"<p>moe</p>"


def test_server_serves_only_the_site_path(small_site):
    """A folder without its slash is redirected; anything outside the site or missing is the
    site's 404 page with status 404, and no path leaves the site folder."""
    with serve.serving(small_site) as root:
        status, headers, _ = fetch(root + "moe")
        assert status == 301 and headers["Location"].endswith("/atlas/moe/")
        origin = root[: -len("atlas/")]
        for url in (root + "missing/", origin, origin + "other/", root + "../../etc/passwd", root + "%2e%2e/x"):
            status, _, body = fetch(url, gzip_ok=False)
            assert status == 404 and body == b"<p>not here</p>", url


def test_bench_measures_every_page_kind_in_both_languages(catalog):
    """The pages picked: home, every page with a chart, the model index, a model page, the
    glossary, the fact-check ledger and the data page."""
    kinds = visit.page_kinds(CONTENT_DIR, catalog)
    assert [kind for kind in visit.KIND_ORDER if kind in {k for k, _ in kinds}] == list(visit.KIND_ORDER)
    paths = dict((kind, path) for kind, path in reversed(kinds))
    assert paths["home"] == "" and paths["models index"] == "models/" and paths["model"].startswith("models/")
    charts = [path for kind, path in kinds if kind == "chart"]
    assert len(charts) == len(set(charts)) >= 2
    assert visit.LANGS == ("zh", "en")


@pytest.mark.parametrize("resource_type, url, content_type, expected", [
    ("document", "http://h/", "text/html", "html"),
    ("script", "http://h/a.js", "application/javascript", "js"),
    ("stylesheet", "http://h/a.css", "text/css", "css"),
    ("font", "http://h/a.woff2", "font/woff2", "fonts"),
    ("image", "http://h/a.svg", "image/svg+xml", "images"),
    ("other", "http://h/favicon.png", "image/png", "images"),
    ("fetch", "http://h/search/search_index.json", "application/json", "json"),
    ("fetch", "http://h/sitemap.xml", "application/xml", "other"),
])
def test_bytes_are_counted_by_kind(resource_type, url, content_type, expected):
    """Each response counts under one kind of the report's columns."""
    assert visit._byte_kind(resource_type, url, content_type) == expected


def _lighthouse_report(selector: str) -> dict:
    """A Lighthouse result holding only the largest-paint element audit, as Lighthouse 12 writes it."""
    return {"audits": {"largest-contentful-paint-element": {"details": {"type": "list", "items": [
        {"type": "table", "items": [{"node": {"type": "node", "selector": selector}}]},
        {"type": "table", "items": [{"phase": "TTFB", "timing": 10}]}]}}}}


@pytest.mark.parametrize("selector, text", [
    ("div.md-content > article.md-content__inner > p", True),
    ("article.md-content__inner > h1#qwen3-32b", True),
    ("article > figure.atlas-chart > div.atlas-chart__plot > div", False),
    ("div.md-content > article > p > img.logo", False),
    ("figure > svg.main-svg", False),
])
def test_the_bench_tells_a_text_paint_from_a_picture(selector, text):
    """The largest paint's element is read from Lighthouse's result and judged text or not."""
    assert visit.largest_paint_element(_lighthouse_report(selector)) == selector
    assert visit.is_text(selector) is text


def test_no_largest_paint_element_is_not_text():
    """A result without the audit gives no element, which is not counted as text."""
    assert visit.largest_paint_element({"audits": {}}) == ""
    assert visit.is_text("") is False
