"""Page weight: the bytes a browser fetches for each built page (its HTML, scripts and stylesheets).

Each page's `<script src>` (with the plotly files charts.js fetches when a chart is seen, named in
its `data-plotly*` attributes) and `<link rel="stylesheet" href>` are resolved, relative to the
page's URL, to files in the site. Sizes are counted raw and gzip-compressed (level 6, what web
servers typically use), one file at a time, as a browser with an empty cache would fetch them.
Images, fonts and the search index (fetched lazily by the search worker) are not counted.
"""

from __future__ import annotations

import gzip
import posixpath
import re
import statistics
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

# A chart on the page: the element with class "atlas-chart" that holds the plot and its data.
CHART_MARK = re.compile(r"<[a-z]+\b[^>]*\bclass=\"(?:[^\"]*\s)?atlas-chart(?:\s[^\"]*)?\"")


class _Assets(HTMLParser):
    """Collects script and stylesheet URLs."""

    def __init__(self) -> None:
        """Start with no URLs."""
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag, attrs):
        """Note `<script src>` and `<link rel=stylesheet href>`."""
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.scripts.append(attributes["src"])
            # charts.js fetches plotly (and its locale) when a chart comes into view: counted as
            # the chart page's scripts, the cost of a visit that looks at a chart
            self.scripts += [attributes[key] for key in ("data-plotly", "data-plotly-locale") if attributes.get(key)]
        elif tag == "link" and "stylesheet" in (attributes.get("rel") or "").split() and attributes.get("href"):
            self.styles.append(attributes["href"])


@lru_cache(maxsize=None)
def _sizes(path: Path) -> tuple[int, int]:
    """Cached by resolved path: pages share the theme's assets."""
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, compresslevel=6, mtime=0))


def sizes(path: Path) -> tuple[int, int]:
    """(raw bytes, gzip bytes) of a file."""
    return _sizes(path.resolve())


@dataclass
class PageWeight:
    """What one page costs to load."""

    page: str  # path of the HTML file inside the site
    has_chart: bool
    html: tuple[int, int]
    js: tuple[int, int] = (0, 0)
    css: tuple[int, int] = (0, 0)
    scripts: list[str] = field(default_factory=list)  # site-relative paths
    styles: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # referenced but not in the site
    external: list[str] = field(default_factory=list)

    @property
    def total(self) -> tuple[int, int]:
        """(raw, gzip) bytes of the HTML, scripts and stylesheets together."""
        return tuple(a + b + c for a, b, c in zip(self.html, self.js, self.css))  # type: ignore[return-value]


def resolve(site: Path, page: str, url: str, base_path: str) -> tuple[str | None, bool]:
    """Site-relative path of an asset URL as seen from `page`; (None, True) for external URLs."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None, True
    if parts.path.startswith("/"):
        path = parts.path
        if base_path and path.startswith(base_path):
            path = "/" + path[len(base_path):]
        return posixpath.normpath(path.lstrip("/")), False
    folder = posixpath.dirname(page)
    return posixpath.normpath(posixpath.join(folder, parts.path)), False


def weigh_site(site: Path, base_path: str = "/") -> list[PageWeight]:
    """Weigh every HTML page of a built site."""
    base_path = base_path if base_path.endswith("/") else base_path + "/"
    pages = []
    for html_file in sorted(site.rglob("*.html")):
        page = html_file.relative_to(site).as_posix()
        text = html_file.read_text(encoding="utf-8")
        parser = _Assets()
        parser.feed(text)
        weight = PageWeight(page=page, has_chart=bool(CHART_MARK.search(text)), html=sizes(html_file))
        for urls, bucket, kind in ((parser.scripts, weight.scripts, "js"), (parser.styles, weight.styles, "css")):
            total = [0, 0]
            for url in urls:
                path, external = resolve(site, page, url, base_path)
                if external:
                    weight.external.append(url)
                    continue
                target = site / path
                if not target.is_file():
                    weight.missing.append(url)
                    continue
                bucket.append(path)
                raw, gz = sizes(target)
                total[0] += raw
                total[1] += gz
            setattr(weight, kind, tuple(total))
        pages.append(weight)
    return pages


def describe(values: list[int]) -> str:
    """'min / median / max' in KB."""
    if not values:
        return "–"
    return " / ".join(kb(v) for v in (min(values), int(statistics.median(values)), max(values)))


def kb(value: float) -> str:
    """Bytes as KB with one decimal."""
    return f"{value / 1000:.1f} KB"
