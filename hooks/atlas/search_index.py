"""Per-language search indexes.

static-i18n writes one combined `search/search_index.json` for all languages, by design:
a reader of the Chinese site would see English results and the other way round. After the last
language build this module splits it:

- `search/search_index.json` keeps only the Chinese entries;
- `en/search/search_index.json` gets the English entries, with the `en/` prefix removed from
  their locations, because English pages set Material's `config.base` to their `/en/` root
  (the `{% block config %}` override in overrides/main.html). Material resolves both the index
  URL and every result location against `config.base`.
- `en/sitemap.xml` lists the English pages: Material also fetches `<config.base>/sitemap.xml`
  (for link previews), and it must not be a 404.

Titles: Material's jieba segmentation puts U+200B between Chinese words. In the text field that
is what the search `separator` splits on; in titles, which the result list shows, the zero-width
characters are replaced by an empty `<wbr>` element. Material's tokenizer treats markup as a
boundary and indexes only the text around it, so the words stay separately searchable while the
result titles contain no stray characters.

Query segmentation: Material's search worker splits a Chinese query greedily into words found in
the index, but its loop never lets a word end at the query's last character, so the last word
of every query was lost (混合专家 was searched as 混合*, 上下文长度 as 上下文* 长*).
`patch_worker` fixes the two loop bounds; the patched copy of Material's worker is
overrides/assets/javascripts/workers/search-atlas.<hash>.min.js (regenerate it with
`python -m atlas.workspace worker`), and the config block in overrides/main.html points to it.

Loading: Material fetches the whole index (hundreds of KB) on every page view and builds it in the
worker, before the reader has asked for anything. `patch_bundle` makes its main script wait until
the search is opened, as it already does for pages read from `file:`; the patched copy sits beside
the worker (same command) and the scripts block of overrides/main.html loads it.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

# Material 9.8.2's worker (the hash in its file name is the version the patch was written for)
WORKER = "search.a7633da7.min.js"
PATCHED_WORKER = "search-atlas.a7633da7.min.js"
WORKER_PATCHES = (
    # segment(): let a word end at the last character of the query (was `o<t.length`)
    ("for(let o=s+1;o<t.length;o++)t.slice(s,o)in e", "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"),
    # ... and go on segmenting when only the last character is left (was `a<t.length-1`)
    ("n[a]&&a<t.length-1&&(i[s++]=a)", "n[a]&&a<t.length&&(i[s++]=a)"),
)
# Material 9.8.2's main script, and the one change to it: the search index is fetched when the
# reader opens the search (Material's own condition for `file:` pages), not on every page view.
BUNDLE = "bundle.a5f9d56c.min.js"
PATCHED_BUNDLE = "bundle-atlas.a5f9d56c.min.js"
BUNDLE_PATCHES = (
    # the search: set up the worker with the index when the search is first opened
    ('L($(location.protocol!=="file:"),Je("search"))', 'L($(location.protocol==="file:"),Je("search"))'),
    # the highlighting of search terms on a result page: only on pages opened from a result (?h=)
    ('V("search.highlight")?Ai(', 'V("search.highlight")&&new URL(location.href).searchParams.has("h")?Ai('),
    # The site makes no request to another host, so none of the script's own fetches from one:
    # a browser without ResizeObserver gets a stand-in that observes nothing (not unpkg's polyfill);
    ('typeof ResizeObserver=="undefined"?_t("https://unpkg.com/resize-observer-polyfill"):$(void 0)',
     'typeof ResizeObserver=="undefined"?$(window.ResizeObserver=class{observe(){}unobserve(){}disconnect(){}})'
     ':$(void 0)'),
    # Mermaid diagrams (the site has none) fail instead of loading Mermaid from unpkg;
    ('_t("https://unpkg.com/mermaid@11/dist/mermaid.min.js")',
     'Nr(()=>new ReferenceError("Mermaid is not part of this site"))'),
    # no repository statistics from the GitHub or GitLab API (the site sets no repo_url), and the
    # addresses of those dead requests are left without a host;
    ('function Hi(e){let t=e.match(', 'function Hi(e){return y;let t=e.match('),
    ('`https://api.github.com/repos/${e}/${t}`', '`/repos/${e}/${t}`'),
    ('`https://api.github.com/users/${e}`', '`/users/${e}`'),
    ('`https://${e}/api/v4/projects/', '`/${e}/api/v4/projects/'),
    # and clipboard.js's licence header names its home page without a link.
    (' * https://clipboardjs.com/', ' * clipboardjs.com'),
    # "Stay on page" fetches <href>/sitemap.xml for every <link rel=alternate> in the head; the
    # hreflang links name the page's twins by absolute address (overrides/main.html), where there
    # is no sitemap (and, previewed locally, another host). The header's language links already go
    # to the same page, so the script looks only at the other alternates (the releases feed).
    ('M("link[rel=alternate]")', 'M("link[rel=alternate]:not([hreflang])")'),
)
ZWSP_RUN = re.compile("\u200b+")
WBR = "<wbr/>"  # self-closing: Material's markup scanner then treats it as a pure boundary
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
DEFAULT_LANGUAGE = "zh"
OTHER_LANGUAGES = ("en",)  # built under /<locale>/ (mkdocs.yml, plugins.i18n.languages)


def clean_title(title: str) -> str:
    """Replace the zero-width spaces of jieba segmentation with invisible word-break markup."""
    return ZWSP_RUN.sub(WBR, title.strip("\u200b"))


def _clean(entry: dict[str, Any], location: str) -> dict[str, Any]:
    """A copy of an index entry with a new location and a clean title."""
    entry = dict(entry)
    entry["location"] = location
    if isinstance(entry.get("title"), str):
        entry["title"] = clean_title(entry["title"])
    return entry


def split_index(index: dict[str, Any], default: str = DEFAULT_LANGUAGE,
                others: Iterable[str] = OTHER_LANGUAGES) -> dict[str, dict[str, Any]]:
    """Split a combined Material search index into one index per language.

    An entry whose location starts with `<locale>/` (or is exactly `<locale>`) belongs to that
    language and loses the prefix; every other entry belongs to the default language. Every
    index keeps the combined index's `config`. Pure: the input is not modified.
    """
    prefixes = {locale: f"{locale.strip('/')}/" for locale in others}
    docs: dict[str, list[dict[str, Any]]] = {default: [], **{locale: [] for locale in prefixes}}
    for entry in index.get("docs", []):
        location = str(entry.get("location", ""))
        for locale, prefix in prefixes.items():
            if location.startswith(prefix) or location == prefix.rstrip("/"):
                docs[locale].append(_clean(entry, location[len(prefix):]))
                break
        else:
            docs[default].append(_clean(entry, location))
    return {locale: {**{k: v for k, v in index.items() if k != "docs"}, "docs": entries}
            for locale, entries in docs.items()}


def index_json(index: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON of an index (Chinese as UTF-8 is half the size of \\u escapes)."""
    return json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def language_sitemap(sitemap_xml: bytes, locale: str) -> bytes | None:
    """The sitemap entries of one non-default language (their `<loc>` is under `<root>/<locale>/`).

    The site root is the shortest `<loc>` (the home page). Returns None when the sitemap cannot
    be parsed or has no entry for the language.
    """
    try:
        root = ET.fromstring(sitemap_xml)
    except ET.ParseError:
        return None
    urls = root.findall(f"{{{SITEMAP_NS}}}url")
    locs = [(url, (url.findtext(f"{{{SITEMAP_NS}}}loc") or "").strip()) for url in urls]
    if not locs:
        return None
    site_root = min((loc for _, loc in locs), key=len)
    prefix = site_root.rstrip("/") + f"/{locale}/"
    keep = [url for url, loc in locs if loc.startswith(prefix)]
    if not keep:
        return None
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    out = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    out.extend(keep)
    ET.indent(out)
    return ET.tostring(out, encoding="utf-8", xml_declaration=True) + b"\n"


def _patched(source: str, patches: tuple[tuple[str, str], ...], what: str) -> str:
    """`source` with each (old, new) replacement made; each `old` must occur exactly once."""
    for old, new in patches:
        if source.count(old) != 1:
            raise ValueError(f"Material's {what} changed: {old!r} not found exactly once")
        source = source.replace(old, new)
    return source


def patch_worker(source: str) -> str:
    """Material's minified search worker with the query segmentation fixed (module docstring)."""
    return _patched(source, WORKER_PATCHES, "search worker")


def patch_bundle(source: str) -> str:
    """Material's minified main script, fetching the search index only once the search is opened."""
    return _patched(source, BUNDLE_PATCHES, "main script")
