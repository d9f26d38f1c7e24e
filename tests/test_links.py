"""Link check of the built site (both languages): every internal link and asset resolves.

Over every HTML page of the `built_site` fixture (built once per session with --strict):

- every internal `href`/`src` resolves to a file of the site (a directory URL to its index.html),
  including absolute links under the site_url path (404 pages use those) and links to site_url
  itself (canonical links);
- every `#fragment` exists as an `id` (or `<a name>`) in the target page;
- every external link is http(s): no javascript:, data:, mailto: or protocol-relative URLs.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


ROOT = Path(__file__).resolve().parents[1]
URL_ATTRS = {"href", "src", "action", "formaction", "poster", "cite", "data"}


def site_url() -> str:
    """site_url as the build used it (mkdocs.yml, where SITE_URL may override it)."""
    from mkdocs.config import load_config

    url = load_config(config_file=str(ROOT / "mkdocs.yml"))["site_url"]
    return url if url.endswith("/") else url + "/"


class _Page(HTMLParser):
    """The ids of a page and every URL it references (with the tag and attribute)."""

    def __init__(self) -> None:
        """Start with no ids and no links."""
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        """Record the element's id and every URL attribute."""
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value or "")
            elif name in URL_ATTRS and value is not None:
                self.links.append((tag, name, value))
            elif name == "srcset" and value:
                for candidate in value.split(","):
                    if candidate.strip():
                        self.links.append((tag, name, candidate.strip().split()[0]))

    handle_startendtag = handle_starttag


@lru_cache(maxsize=None)
def _parse(path: Path) -> _Page:
    """A page's ids and links, parsed once per file."""
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _pages(site: Path) -> list[Path]:
    """Every HTML file of a site, sorted."""
    return sorted(site.rglob("*.html"))


def _target(site: Path, page: Path, path: str, base_path: str) -> tuple[Path | None, str]:
    """The file a URL path points to from `page`, or (None, reason)."""
    if path.startswith("/"):
        if not path.startswith(base_path):
            return None, f"absolute path outside the site path {base_path!r}"
        relative = path[len(base_path):]
    else:
        folder = page.parent.relative_to(site).as_posix()
        relative = posixpath.join(folder, path) if folder != "." else path
    normal = posixpath.normpath(unquote(relative)) if relative else "."
    if normal == ".." or normal.startswith("../"):
        return None, "points above the site root"
    target = site / normal
    if target.is_dir() or path.endswith("/") or relative == "":
        target = target / "index.html"
    if not target.is_file():
        return None, f"no such file {target.relative_to(site).as_posix()}"
    return target, ""


def check_site(site: Path, base_url: str) -> list[str]:
    """Every broken link of a site, as 'page: tag[attr]=url: reason'."""
    base = urlsplit(base_url)
    base_path = base.path if base.path.endswith("/") else base.path + "/"
    problems = []
    for page in _pages(site):
        where = page.relative_to(site).as_posix()
        for tag, attr, url in _parse(page).links:
            parts = urlsplit(url.strip())
            own = parts.scheme in ("http", "https") and parts.netloc == base.netloc and \
                (parts.path + "/").startswith(base_path)
            if parts.scheme and not own:
                if parts.scheme not in ("http", "https") or not parts.netloc:
                    problems.append(f"{where}: {tag}[{attr}]={url!r}: external links must be http(s)")
                continue
            if parts.netloc and not own:
                problems.append(f"{where}: {tag}[{attr}]={url!r}: protocol-relative URL")
                continue
            path = parts.path
            if own:
                path = parts.path if parts.path.startswith(base_path) else base_path
            target = page if path == "" else None
            if target is None:
                target, reason = _target(site, page, path, base_path)
                if target is None:
                    problems.append(f"{where}: {tag}[{attr}]={url!r}: {reason}")
                    continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in _parse(target).ids:
                problems.append(f"{where}: {tag}[{attr}]={url!r}: no id {fragment!r} in "
                                f"{target.relative_to(site).as_posix()}")
    return problems


def test_site_has_both_languages(built_site):
    """The check covers both languages: Chinese at the root, English under /en/."""
    pages = [p.relative_to(built_site).as_posix() for p in _pages(built_site)]
    assert "index.html" in pages and "en/index.html" in pages
    assert sum(p.startswith("en/") for p in pages) >= 10
    assert sum(not p.startswith("en/") for p in pages) >= 10


def test_every_internal_link_resolves(built_site):
    """Every internal href/src resolves to a file, and every #fragment to an id in that page."""
    problems = check_site(built_site, site_url())
    assert not problems, f"{len(problems)} broken link(s):\n" + "\n".join(problems[:60])


def test_checker_catches_broken_links(tmp_path):
    """The checker itself: a missing file, a missing anchor and a javascript: link are reported."""
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<p id="top"><a href="a/">ok</a> <a href="#top">ok</a> '
                                         '<a href="b/">missing</a> <a href="a/#nope">anchor</a> '
                                         '<a href="javascript:alert(1)">js</a> <img src="//x.org/i.png">'
                                         '<a href="https://example.org/">ok</a> '
                                         '<a href="https://site.org/p/a/">own</a></p>', encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text('<a href="../index.html#top">back</a>', encoding="utf-8")
    problems = check_site(tmp_path, "https://site.org/p/")
    assert len(problems) == 4, problems
    assert any("b/" in p and "no such file" in p for p in problems)
    assert any("#nope" in p for p in problems)
    assert any("javascript" in p for p in problems)
    assert any("protocol-relative" in p for p in problems)


if __name__ == "__main__":  # pragma: no cover - handy for checking a site/ folder by hand
    import sys

    found = check_site(Path(sys.argv[1]), site_url())
    print("\n".join(found) or "no broken links")
    sys.exit(1 if found else 0)
