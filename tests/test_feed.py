"""The releases feeds: Atom per language, read back with feedparser as a feed reader would."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from atlas import feed, i18n
from conftest import SITE_URL


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_feed_lists_every_release_newest_first_with_its_links(catalog, lang):
    """Each release is one entry, newest first, with its title, date, summary and timeline, model and source links."""
    parsed = feedparser.parse(feed.atom_feed(catalog, lang, SITE_URL))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10" and parsed.feed.language == lang
    root = SITE_URL + ("" if lang == i18n.DEFAULT_LANG else f"{lang}/")
    assert parsed.feed.link == root + "timeline/"
    by_id = {release.id: release for release in catalog.releases}
    assert len(parsed.entries) == len(by_id)
    dates = [entry.published_parsed for entry in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    for entry in parsed.entries:
        release_id = entry.link.rsplit("#releases-", 1)[1]
        release = by_id.pop(release_id)
        assert entry.link == f"{root}timeline/#releases-{release.id}"
        assert entry.title == i18n.pick(release.title, lang)
        assert entry.summary == i18n.pick(release.summary, lang)
        assert entry.published.startswith(release.date.isoformat())
        links = {(link.rel, link.href) for link in entry.links}
        assert ("via", catalog.sources[release.source].url) in links
        for model_id in release.models:
            assert ("related", f"{root}models/{model_id}/") in links
    assert not by_id


def test_feed_bytes_depend_only_on_the_data(catalog):
    """The feed has no build time in it: entry and feed dates all come from the data."""
    zh = feed.atom_feed(catalog, "zh", SITE_URL)
    dates = set(re.findall(rb"<(?:updated|published)>([^<]+)<", zh))
    allowed = {f"{d.isoformat()}T00:00:00+08:00".encode() for d in
               [*(r.date for r in catalog.releases), catalog.reviewed["releases"]]}
    assert dates and dates <= allowed


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_built_site_publishes_and_advertises_each_languages_feed(built_site: Path, catalog, lang):
    """site/feed.xml and site/en/feed.xml exist and parse; every page's head links its language's feed."""
    path = built_site / feed.feed_path(lang)
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo and parsed.feed.language == lang and len(parsed.entries) == len(catalog.releases)
    timeline = (built_site / ("" if lang == "zh" else "en") / "timeline" / "index.html").read_text("utf-8")
    for entry in parsed.entries:  # each entry's link lands on a row of the release table
        assert f'id="{entry.link.rsplit("#", 1)[1]}"' in timeline
    pages = [p for p in built_site.rglob("index.html") if (p.relative_to(built_site).parts[:1] == ("en",)) == (lang == "en")]
    assert len(pages) > 20
    for page in pages:
        head = page.read_text("utf-8").split("</head>", 1)[0]
        [href] = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)"', head)
        assert (page.parent / href).resolve() == path.resolve(), page
