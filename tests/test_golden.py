"""Golden outputs: every marker, the glossary annotation and the downloads of the small fixture catalog.

The fixture catalog (tests/fixtures/catalog) has data for every chart and every marker; the page
tests/fixtures/pages/every-marker.md uses each of them. Its expansion in both languages, its HTML
with glossary terms linked, and the download files are compared byte for byte with tests/golden/.
A change to any renderer shows up here as a diff to review: `pytest tests/test_golden.py
--update-goldens` rewrites the files, and `git diff tests/golden` is the review.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown as python_markdown
import pytest
from conftest import make_site

from atlas.downloads import download_files
from atlas.registry import BLOCK_MARKERS, INLINE_MARKERS, expand_page

PAGES = Path(__file__).parent / "fixtures" / "pages"
GOLDEN = Path(__file__).parent / "golden"
PAGE = "every-marker.md"


def _compare(request, name: str, actual: str) -> None:
    """Assert `actual` equals tests/golden/<name>, or rewrite it with --update-goldens."""
    path = GOLDEN / name
    if request.config.getoption("--update-goldens"):
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"tests/golden/{name} is missing: run pytest tests/test_golden.py --update-goldens"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"tests/golden/{name} differs: review with --update-goldens and git diff"


@pytest.fixture(scope="module")
def fixture_site(fixture_catalog):
    """The fixture catalog's build context; the fixture page shows its charts and corrections."""
    return make_site(fixture_catalog, {PAGE: (PAGES / PAGE).read_text(encoding="utf-8")})


def _source(lang: str) -> str:
    """The fixture page as the page of `lang` (the Chinese page has no language suffix)."""
    return PAGE if lang == "zh" else PAGE.replace(".md", f".{lang}.md")


def test_the_fixture_page_uses_every_marker():
    """The golden page covers every registered marker kind, so no renderer escapes the goldens."""
    text = (PAGES / PAGE).read_text(encoding="utf-8")
    missing = sorted(kind for kind in {*BLOCK_MARKERS, *INLINE_MARKERS}
                     if not re.search(rf"<!-- atlas:{re.escape(kind)}[ -]", text))
    assert not missing, f"add these markers to tests/fixtures/pages/{PAGE}: {missing}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_marker_expands_as_recorded(request, fixture_site, lang):
    """The expanded Markdown of the fixture page is byte for byte the recorded one."""
    expanded = expand_page((PAGES / PAGE).read_text(encoding="utf-8"), fixture_site.context(lang, _source(lang)))
    assert expanded.has_charts
    _compare(request, f"every-marker.{lang}.md", expanded.markdown)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_glossary_terms_are_linked_as_recorded(request, fixture_site, lang):
    """The page's prose, converted to HTML, gets its glossary links exactly as recorded."""
    ctx = fixture_site.context(lang, _source(lang))
    prose = (PAGES / PAGE).read_text(encoding="utf-8").split("<!-- atlas:table")[0]
    html = python_markdown.markdown(expand_page(prose, ctx).markdown, extensions=["attr_list", "md_in_html"])
    annotated = ctx.annotate(html)
    assert 'class="atlas-term"' in annotated
    _compare(request, f"every-marker.{lang}.html", annotated)


@pytest.mark.parametrize("name", ["models.json", "models.csv", "scores.csv", "sources.json"])
def test_downloads_are_as_recorded(request, fixture_catalog, name):
    """Download files of the fixture catalog are byte for byte the recorded ones."""
    files = download_files(fixture_catalog)
    _compare(request, f"download-{name}", files[f"data/{name}"].decode("utf-8"))
