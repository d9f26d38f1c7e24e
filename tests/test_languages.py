"""Staying in place across languages: every heading has the same id in both languages (generated
pages and template headings included), every page names its twins in <head> by absolute address,
and the sitemap lists both languages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from atlas.stubs import stub_pages
from atlas.workspace import TEMPLATES_DIR, site_url

ROOT = Path(__file__).resolve().parents[1]
HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.S)
ID = re.compile(r'\bid="([^"]*)"')
ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
ARTICLE = re.compile(r"<article\b.*?</article>", re.S)
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
# Headings a template writes: Markdown ones need `{ #id }`, HTML ones an id attribute.
TEMPLATE_MD_HEADING = re.compile(r"^#{1,6} (.*)$", re.M)
TEMPLATE_HTML_HEADING = re.compile(r"<h[1-6]\b[^>]*>")


def chinese_pages(site: Path) -> list[Path]:
    """Every built Chinese page (the English ones are their twins below en/)."""
    return sorted(page for page in site.rglob("index.html")
                  if page.relative_to(site).parts[0] not in ("en", "assets", "search"))


def heading_ids(page: Path) -> list[str | None]:
    """The id of every heading in the page's article, in order (None for a heading without one)."""
    article = ARTICLE.search(page.read_text("utf-8"))
    return [found.group(1) if (found := ID.search(attrs)) else None
            for _, attrs, _ in HEADING.findall(article.group(0) if article else "")]


def test_templates_give_every_heading_an_explicit_id():
    """A heading written by a template carries its id, so it does not depend on the language's text."""
    problems = []
    for template in sorted(TEMPLATES_DIR.glob("*.html")):
        text = template.read_text("utf-8")
        problems += [f"{template.name}: {line}" for line in TEMPLATE_MD_HEADING.findall(text)
                     if not re.search(r"\{ #.+\}\s*$", line)]
        problems += [f"{template.name}: {tag}" for tag in TEMPLATE_HTML_HEADING.findall(text) if " id=" not in tag]
    assert not problems, problems


def test_model_pages_give_their_title_an_explicit_id(catalog):
    """The generated model pages title themselves with the model's id as anchor, in both languages."""
    for name, text in stub_pages(catalog).items():
        model_id = name.split("/")[-1].removesuffix(".md").removesuffix(".en")
        assert text.split("\n", 1)[0].endswith(f" {{ #{model_id} }}"), name


def test_twins_have_the_same_heading_ids(built_site: Path):
    """Every heading of every built page has an id, unique on its page, and a page's English twin has
    the same ids in the same order: the language switch can keep #anchor."""
    pages = chinese_pages(built_site)
    assert len(pages) > 50, "the model pages are missing"
    problems = []
    for zh in pages:
        name = zh.relative_to(built_site).as_posix()
        zh_ids, en_ids = heading_ids(zh), heading_ids(built_site / "en" / zh.relative_to(built_site))
        if None in zh_ids or None in en_ids:
            problems.append(f"{name}: a heading without id")
        if len(set(zh_ids)) != len(zh_ids):
            problems.append(f"{name}: repeated heading ids {zh_ids}")
        if zh_ids != en_ids:
            problems.append(f"{name}: zh {zh_ids} != en {en_ids}")
    assert not problems, "\n".join(problems)


def test_every_page_names_its_twins_by_absolute_address(built_site: Path):
    """<head> has rel=alternate hreflang zh, en and x-default (the Chinese page), built from site_url,
    each pointing at a page that exists."""
    address = site_url()
    for zh in chinese_pages(built_site):
        path = zh.relative_to(built_site).as_posix()[: -len("index.html")]
        expected = {"zh": address + path, "en": address + "en/" + path, "x-default": address + path}
        for page in (zh, built_site / "en" / path / "index.html"):
            head = page.read_text("utf-8").split("</head>", 1)[0]
            links = ALTERNATE.findall(head)
            assert dict(links) == expected and len(links) == 3, (page, links)


def test_sitemap_lists_both_languages(built_site: Path):
    """The sitemap has every page of both languages, each naming its twin."""
    address = site_url()
    root = ET.parse(built_site / "sitemap.xml").getroot()
    locs = {url.findtext("s:loc", namespaces=SITEMAP): {link.get("hreflang"): link.get("href")
                                                        for link in url.findall("x:link", SITEMAP)}
            for url in root.findall("s:url", SITEMAP)}
    for zh in chinese_pages(built_site):
        path = zh.relative_to(built_site).as_posix()[: -len("index.html")]
        twins = {"zh": address + path, "en": address + "en/" + path}
        for loc in twins.values():
            assert locs.get(loc) == twins, (loc, locs.get(loc))
