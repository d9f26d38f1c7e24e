"""The releases feed: one Atom document per language, generated from releases.yaml with feedgen.

A pure function of the catalog, the language and the site's address: every date comes from the
data (a release's date, the review date of releases.yaml), never from the clock, so the same
commit gives the same bytes. workspace.finish_site writes `feed.xml` and `en/feed.xml`.
"""

from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator
from lxml import etree

from . import i18n
from .catalog import Catalog
from .schemagen import CANONICAL_URL

FEED_FILE = "feed.xml"
# Release dates are Beijing dates (CONTRIBUTING.md); a feed needs a time, so midnight there.
BEIJING = dt.timezone(dt.timedelta(hours=8), "UTC+08:00")


def feed_path(lang: str) -> str:
    """Where a language's feed is published, relative to the site root."""
    return FEED_FILE if lang == i18n.DEFAULT_LANG else f"{lang}/{FEED_FILE}"


def _moment(day: dt.date) -> dt.datetime:
    """A date as midnight Beijing time."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=BEIJING)


def atom_feed(catalog: Catalog, lang: str, site_url: str) -> bytes:
    """The Atom feed of all releases in `lang`, newest first, each linking to the timeline, its
    models' pages and its source."""
    root = site_url + ("" if lang == i18n.DEFAULT_LANG else f"{lang}/")
    # ids use the canonical address, so a fork or preview publishing elsewhere keeps entry ids stable
    canonical_root = CANONICAL_URL + ("" if lang == i18n.DEFAULT_LANG else f"{lang}/")
    text = lambda key: catalog.text(key, lang)  # noqa: E731 - a local shorthand
    feed = FeedGenerator()
    feed.id(canonical_root + FEED_FILE)
    feed.title(text("feed-title"))
    feed.subtitle(text("feed-subtitle"))
    feed.language(lang)
    feed.link(href=root + "timeline/", rel="alternate", type="text/html")
    feed.link(href=root + FEED_FILE, rel="self", type="application/atom+xml")
    feed.author({"name": text("feed-author")})
    feed.rights(text("feed-rights"))
    releases = sorted(catalog.releases, key=lambda r: (r.date, r.id), reverse=True)
    newest = max([catalog.reviewed["releases"], *(r.date for r in releases)])
    feed.updated(_moment(newest))
    entry_links: list[list[dict[str, str]]] = []
    for release in releases:
        entry = feed.add_entry(order="append")
        entry.id(canonical_root + f"timeline/#releases-{release.id}")
        entry.title(i18n.pick(release.title, lang))
        entry.published(_moment(release.date))
        entry.updated(_moment(release.date))
        entry.summary(i18n.pick(release.summary, lang))
        source = catalog.sources[release.source]
        links = [{"href": root + f"timeline/#releases-{release.id}", "rel": "alternate", "type": "text/html"},
                 *({"href": root + f"models/{model_id}/", "rel": "related", "type": "text/html",
                    "title": catalog.models[model_id].name} for model_id in release.models),
                 {"href": source.url, "rel": "via", "title": i18n.pick(source.title, lang)}]
        entry.link(links)
        for model_id in release.models:
            entry.category(term=model_id, label=catalog.models[model_id].name)
        entry_links.append(links)
    return _with_link_attributes(feed.atom_str(pretty=True), entry_links)


def _with_link_attributes(atom: bytes, entry_links: list[list[dict[str, str]]]) -> bytes:
    """The feed with each entry's link attributes written out.

    feedgen 1.0.0 writes an entry's <link> with its href only: it reads rel, type and title back
    from the new XML element instead of from the link it was given, so they are lost (a feed
    reader would take the source's URL for the entry's own). They are set here, link by link, in
    the order they were given.
    """
    ns = "{http://www.w3.org/2005/Atom}"
    tree = etree.fromstring(atom)
    for element, links in zip(tree.iter(f"{ns}entry"), entry_links, strict=True):
        for link_element, link in zip(element.iter(f"{ns}link"), links, strict=True):
            for name, value in link.items():
                link_element.set(name, value)
    return etree.tostring(tree, pretty_print=True, xml_declaration=True, encoding="UTF-8")
