"""The last check on a page's HTML: every link and source is http(s), relative, or an anchor.

Data URLs are validated as http(s) when loaded, and renderers escape what they write; this catches
what slips past both, e.g. a `[x](javascript:...)` that Markdown turned into a link, wherever it
came from.
"""

from __future__ import annotations

import html
import re

URL_ATTRIBUTE = re.compile(r"""\s(?:href|src|action|formaction|poster|cite|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
ALLOWED_SCHEMES = {"http", "https", "mailto"}
SAFE_STARTS = ("https://", "http://", "#", "../", "./")
# Browsers ignore these inside a scheme name ("java\tscript:" runs), so they are removed before looking.
IGNORED = re.compile(r"[\x00-\x20\x7f]+")


def unsafe_urls(page_html: str) -> list[str]:
    """The URLs in `page_html` with a scheme other than http, https or mailto, as written."""
    found = []
    for match in URL_ATTRIBUTE.finditer(page_html):
        url = next(group for group in match.groups() if group is not None)
        if url.startswith(SAFE_STARTS):  # most links: no scheme could hide before these
            continue
        scheme = SCHEME.match(IGNORED.sub("", html.unescape(url)))
        if scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES:
            found.append(url)
    return found
