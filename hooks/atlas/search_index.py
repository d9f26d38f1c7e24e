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

What is indexed: Material indexes the text of every page section. Walls of citation tags, source
lists, table cells and boilerplate would make most of the index and crowd the results (a query
for a licence name ranked the licence page below pages that merely cite a licence file). Before the
search plugin reads a page, `mark_unindexed` gives the elements that are not prose Material's own
`data-search-exclude` attribute (the plugin skips them, then strips the attribute from the page, so
the published HTML is unchanged); on a model page only the sections in `MODEL_SECTIONS_INDEXED` are
kept, with the page title (the model's name). The split drops the zero-width spaces that separate
nothing (next to punctuation, spaces and tags): three bytes each.

Synonyms: readers type 千问, 通义千问 or "license" where the pages say Qwen or "licence".
`SYNONYMS` goes into each index's config, and the patched worker searches for the query as typed
and, when it holds one of those words, also for the query with the word replaced.

Loading: Material fetches the whole index (hundreds of KB) on every page view and builds it in the
worker, before the reader has asked for anything. `patch_bundle` makes its main script wait until
the search is opened, as it already does for pages read from `file:`; the patched copy sits beside
the worker (same command) and the scripts block of overrides/main.html loads it. The same copy
carries the other changes to Material's main script (BUNDLE_PATCHES): tooltips set up when the
pointer or focus first reaches them, and no request to another host.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

# Other spellings a query may use: lower-case word -> what the pages say instead (written into
# each index's config). The patched worker searches for the query as typed and, when it contains
# one of these words, also for the query with the word replaced: 千问3 finds what Qwen3 finds, and
# "license" finds the licence page, which Chinese pages call 许可证.
SYNONYMS = {
    "通义千问": "Qwen", "千问": "Qwen", "tongyi qianwen": "Qwen", "qianwen": "Qwen",
    "license": "licence 许可证", "licenses": "licences 许可证",
    "licence": "license 许可证", "licences": "licenses 许可证", "许可证": "licence",
}
# The worker's query rewriting (longest word first, case-insensitive; a plain function so that
# the minified names around it stay untouched).
SYNONYM_FUNCTION = (
    "function atlasSynonyms(t,e){let r=Object.keys(e).sort((a,b)=>b.length-a.length)"
    ".map(a=>a.replace(/[.*+?^${}()|[\\]\\\\]/g,\"\\\\$&\"));if(!r.length)return t;"
    "let n=t.replace(new RegExp(r.join(\"|\"),\"giu\"),s=>e[s.toLowerCase()]??s);"
    "return n===t?t:t+\" \"+n}"
)
# Material 9.8.2's worker (the hash in its file name is the version the patch was written for)
WORKER = "search.a7633da7.min.js"
PATCHED_WORKER = "search-atlas.a7633da7.min.js"
WORKER_PATCHES = (
    # segment(): let a word end at the last character of the query (was `o<t.length`)
    ("for(let o=s+1;o<t.length;o++)t.slice(s,o)in e", "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"),
    # ... and go on segmenting when only the last character is left (was `a<t.length-1`)
    ("n[a]&&a<t.length-1&&(i[s++]=a)", "n[a]&&a<t.length&&(i[s++]=a)"),
    # synonyms: keep the index's `config.synonyms` (see SYNONYMS) ...
    ("var U=class{constructor({config:e,docs:r,options:n}){let i=Oe(",
     SYNONYM_FUNCTION + "var U=class{constructor({config:e,docs:r,options:n}){this.synonyms=e.synonyms||{};let i=Oe("),
    # ... and search for the query and, when it holds a synonym, the query with its other spelling
    (r'search(e){if(e=e.replace(new RegExp("\\p{sc=Han}+","gu")',
     r'search(e){if(e=atlasSynonyms(e,this.synonyms),e=e.replace(new RegExp("\\p{sc=Han}+","gu")'),
)
# Material 9.8.2's main script and the changes to it; the first: the search index is fetched when
# the reader opens the search (Material's own condition for `file:` pages), not on every page view.
BUNDLE = "bundle.a5f9d56c.min.js"
PATCHED_BUNDLE = "bundle-atlas.a5f9d56c.min.js"
BUNDLE_PATCHES = (
    # the search: set up the worker with the index when the search is first opened
    ('L($(location.protocol!=="file:"),Je("search"))', 'L($(location.protocol==="file:"),Je("search"))'),
    # the highlighting of search terms on a result page: only on pages opened from a result (?h=)
    ('V("search.highlight")?Ai(', 'V("search.highlight")&&new URL(location.href).searchParams.has("h")?Ai('),
    # The site makes no request to another host, so none of the script's own fetches from one
    # ({address} is whatever absolute address the script names there, see ADDRESS):
    # a browser without ResizeObserver gets a stand-in that observes nothing (not a polyfill fetched);
    ('typeof ResizeObserver=="undefined"?_t("{address}"):$(void 0)',
     'typeof ResizeObserver=="undefined"?$(window.ResizeObserver=class{observe(){}unobserve(){}disconnect(){}})'
     ':$(void 0)'),
    # Mermaid diagrams (the site has none) fail instead of loading Mermaid from another host;
    ('mermaid instanceof Element?_t("{address}")',
     'mermaid instanceof Element?Nr(()=>new ReferenceError("Mermaid is not part of this site"))'),
    # no repository statistics from the GitHub or GitLab API (the site sets no repo_url), and the
    # addresses of those dead requests are left without a host;
    ('function Hi(e){let t=e.match(', 'function Hi(e){return y;let t=e.match('),
    ('`{address}/repos/${e}/${t}`', '`/repos/${e}/${t}`'),
    ('`{address}/users/${e}`', '`/users/${e}`'),
    ('`{address}/api/v4/projects/', '`/${e}/api/v4/projects/'),
    # and clipboard.js's licence header names its home page without the address.
    ('clipboard.js v2.0.11\n * {address}\n', 'clipboard.js v2.0.11\n * clipboardjs.com\n'),
    # "Stay on page" fetches <href>/sitemap.xml for every <link rel=alternate> in the head; the
    # hreflang links name the page's twins by absolute address (overrides/main.html), where there
    # is no sitemap (and, previewed locally, another host). The header's language links already go
    # to the same page, so the script looks only at the other alternates (the releases feed).
    ('M("link[rel=alternate]")', 'M("link[rel=alternate]:not([hreflang])")'),
    # Tooltips: Material sets up a tooltip for every element with a title as the page loads, about
    # ten subscriptions each; with a citation tag per sentence that was most of a chart page's
    # blocking time. One pair of listeners on the content sets up an element's tooltip when the
    # pointer or the focus first reaches it; Material's own watchers then start from the element's
    # current :hover and focus, so that first hover or focus shows the tooltip as before.
    ('...M("[title]:not([data-preview])",e).filter(()=>V("content.tooltips")).map(i=>Xe(i,{viewport$:r}))',
     '...(V("content.tooltips")?[new F(s=>{let d=new WeakSet,u=[],g=a=>{let i=a.target instanceof Element'
     '?a.target.closest("[title]:not([data-preview])"):null;if(!i||d.has(i)||!e.contains(i))return;d.add(i);'
     'u.push(Xe(i,{viewport$:r}).subscribe({next:c=>s.next(c),error:c=>s.error(c)}))};'
     'e.addEventListener("mouseover",g);e.addEventListener("focusin",g);'
     'return()=>{e.removeEventListener("mouseover",g);e.removeEventListener("focusin",g);'
     'u.forEach(c=>c.unsubscribe())}})]:[])'),
)
# An absolute http(s) address inside a string or template literal of a minified script.
ADDRESS = r"https?://[^\"`\s]*"
ZWSP_RUN = re.compile("\u200b+")
WBR = "<wbr/>"  # self-closing: Material's markup scanner then treats it as a pure boundary
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
DEFAULT_LANGUAGE = "zh"
OTHER_LANGUAGES = ("en",)  # built under /<locale>/ (mkdocs.yml, plugins.i18n.languages)


# What the search leaves out (module docstring): tables, code blocks and forms, and the elements
# with these classes or ids.
UNINDEXED_TAGS = frozenset({"table", "pre", "form"})
UNINDEXED_CLASSES = frozenset({
    "atlas-ref", "atlas-cite",                     # citation tags and source links in prose
    "atlas-correction-sources", "atlas-term-sources", "atlas-sources",  # "Sources: ..." lines
    "atlas-correction",                            # correction boxes (the ledger and the prose say it)
    "atlas-chart__meta", "atlas-chart__data", "atlas-chart__alt",  # a chart's sources and data
    "atlas-concepts",                              # glossary definitions repeated under sections
    "atlas-definition", "atlas-see-also",          # the glossary: its terms and aliases are indexed
    "atlas-by-date",                               # the models index by date (the model pages have the names)
    "atlas-changelog",                             # the data changelog, which grows with every change
    "atlas-yaml-schemas", "atlas-as-of",
})
UNINDEXED_ID_PREFIXES = ("source-",)               # the entries of the sources page
# A model page's sections that are indexed besides its title (the model's name): its own notes.
# The others are data (specs, scores, releases, links) or its family's text (architecture).
MODEL_SECTIONS_INDEXED = frozenset({"notes"})
EXCLUDE_ATTRIBUTE = ' data-search-exclude="atlas"'
OPENING_TAG = re.compile(
    r"""<(?P<tag>[a-zA-Z][a-zA-Z0-9]*)(?P<attrs>(?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>'"]+))?)*)"""
    r"\s*(?P<end>/?>)")
ATTRIBUTE = re.compile(r"""([^\s=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>'"]+)))?""")
HEADING = re.compile(r"h[2-6]")


def _attributes(text: str) -> dict[str, str]:
    """The attributes of an opening tag's attribute text (names lowercased)."""
    return {match[1].lower(): next((v for v in match.groups()[1:] if v is not None), "")
            for match in ATTRIBUTE.finditer(text)}


def mark_unindexed(html: str, model_page: bool = False) -> str:
    """The page HTML with `data-search-exclude` on each element that the search should skip.

    The tags, classes and ids above everywhere; on a model page also every section heading not in
    MODEL_SECTIONS_INDEXED (Material then skips the whole section).
    """
    def mark(match: re.Match) -> str:
        """The tag, marked if it opens an element to skip."""
        tag = match["tag"].lower()
        if not (tag in UNINDEXED_TAGS or "atlas-" in match["attrs"]  # every class of UNINDEXED_CLASSES
                or any(prefix in match["attrs"] for prefix in UNINDEXED_ID_PREFIXES)
                or (model_page and HEADING.fullmatch(tag))):
            return match[0]  # most tags: no attribute can make them skipped
        attributes = _attributes(match["attrs"])
        skip = (tag in UNINDEXED_TAGS
                or not UNINDEXED_CLASSES.isdisjoint(attributes.get("class", "").split())
                or attributes.get("id", "").startswith(UNINDEXED_ID_PREFIXES)
                or (model_page and HEADING.fullmatch(tag) is not None
                    and attributes.get("id") not in MODEL_SECTIONS_INDEXED))
        if not skip or "data-search-exclude" in attributes:
            return match[0]
        return f"<{match['tag']}{match['attrs']}{EXCLUDE_ATTRIBUTE}{match['end']}"

    return OPENING_TAG.sub(mark, html)


def clean_title(title: str) -> str:
    """Replace the zero-width spaces of jieba segmentation with invisible word-break markup."""
    return ZWSP_RUN.sub(WBR, title.strip("\u200b"))


def drop_needless_breaks(text: str, separator: re.Pattern[str] | None) -> str:
    """The text without the zero-width spaces that sit next to a separator, a tag or an end of
    the text: there a word ends anyway, and each one costs three bytes of the index."""
    def keep(match: re.Match) -> str:
        """The run of zero-width spaces, or nothing where it separates nothing."""
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        needless = any(char == "" or char in "<>" or (separator is not None and separator.fullmatch(char))
                       for char in (before, after))
        return "" if needless else match[0]

    return ZWSP_RUN.sub(keep, text)


def _clean(entry: dict[str, Any], location: str, separator: re.Pattern[str] | None) -> dict[str, Any]:
    """A copy of an index entry with a new location, a clean title and a compact text."""
    entry = dict(entry)
    entry["location"] = location
    if isinstance(entry.get("title"), str):
        entry["title"] = clean_title(entry["title"])
    if isinstance(entry.get("text"), str):
        entry["text"] = drop_needless_breaks(entry["text"], separator)
    return entry


def split_index(index: dict[str, Any], default: str = DEFAULT_LANGUAGE,
                others: Iterable[str] = OTHER_LANGUAGES) -> dict[str, dict[str, Any]]:
    """Split a combined Material search index into one index per language.

    An entry whose location starts with `<locale>/` (or is exactly `<locale>`) belongs to that
    language and loses the prefix; every other entry belongs to the default language. Titles get
    word breaks instead of zero-width spaces, texts lose the zero-width spaces they do not need.
    Every index keeps the combined index's `config`, with the SYNONYMS added. Pure: the input is
    not modified.
    """
    prefixes = {locale: f"{locale.strip('/')}/" for locale in others}
    pattern = (index.get("config") or {}).get("separator")
    separator = re.compile(pattern) if isinstance(pattern, str) else None
    docs: dict[str, list[dict[str, Any]]] = {default: [], **{locale: [] for locale in prefixes}}
    for entry in index.get("docs", []):
        location = str(entry.get("location", ""))
        for locale, prefix in prefixes.items():
            if location.startswith(prefix) or location == prefix.rstrip("/"):
                docs[locale].append(_clean(entry, location[len(prefix):], separator))
                break
        else:
            docs[default].append(_clean(entry, location, separator))
    rest = {key: value for key, value in index.items() if key != "docs"}
    if isinstance(rest.get("config"), dict):
        rest["config"] = {**rest["config"], "synonyms": SYNONYMS}
    return {locale: {**rest, "docs": entries} for locale, entries in docs.items()}


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


def patch_pattern(old: str) -> re.Pattern[str]:
    """The text a patch replaces, as a pattern: literal, but `{address}` matches any absolute address."""
    return re.compile(re.escape(old).replace(re.escape("{address}"), ADDRESS))


def _patched(source: str, patches: tuple[tuple[str, str], ...], what: str) -> str:
    """`source` with each (old, new) replacement made; each `old` must occur exactly once.

    `{address}` in an `old` stands for any absolute http(s) address (ADDRESS), so that the patches
    which take another host's address out of Material's scripts need not name that host themselves.
    """
    for old, new in patches:
        pattern = patch_pattern(old)
        if len(pattern.findall(source)) != 1:
            raise ValueError(f"Material's {what} changed: {old!r} not found exactly once")
        source = pattern.sub(lambda _: new, source)
    return source


def patch_worker(source: str) -> str:
    """Material's minified search worker with the query segmentation fixed (module docstring)."""
    return _patched(source, WORKER_PATCHES, "search worker")


def patch_bundle(source: str) -> str:
    """Material's minified main script with BUNDLE_PATCHES made (the search index fetched when the
    search opens, tooltips set up when first reached, no request to another host)."""
    return _patched(source, BUNDLE_PATCHES, "main script")
