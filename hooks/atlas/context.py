"""The build context: everything a renderer may use, passed in explicitly.

`Site` is what one build knows, the same for both languages: the catalog, the published
address, today's date, the Jinja environment, which page shows which chart or correction, and
the models each chart plots. `Context` is one page of one language within it. Renderers are
functions of a marker's arguments and a `Context`; they read nothing else (no files, no
environment, no clock), so they run the same under MkDocs, in tests and in any other generator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping

import jinja2

from . import i18n
from .annotate import Prepared, annotate_html, annotations_for, prepare
from .catalog import Catalog
from .templates import render

# The fact-check ledger's page; correction notes link to their entry on it.
LEDGER_PAGE = "fact-check.md"
# The compare page (comparepage.py); every model page links to it with its model chosen.
COMPARE_PAGE = "compare.md"


def claim_anchor(claim_id: str) -> str:
    """The anchor of a ledger entry, the same in both languages."""
    return f"claim-{claim_id}"


# Pages whose text is the glossary itself: annotating it would link every term to itself.
NO_ANNOTATION = frozenset({"glossary.md"})


@dataclass
class Site:
    """What one build knows, shared by every page and both languages."""

    catalog: Catalog
    site_url: str  # the published address, ending in "/" (for citations of the data)
    today: dt.date
    env: jinja2.Environment
    shown_on: Mapping[tuple[str, str], str]  # (marker kind, id) -> the Chinese page that shows it
    plotted: Mapping[str, frozenset[str]]  # chart id -> the models it plots (selections.plotted_models)
    _annotations: dict[tuple[str, str], Prepared] = field(default_factory=dict, repr=False)

    def context(self, lang: str, page: str) -> Context:
        """The context of one page (its source path, e.g. 'moe.md' or 'moe.en.md') in one language."""
        return Context(self, lang, page)

    def glossary_annotations(self, lang: str, glossary_href: str) -> Prepared:
        """The glossary's annotations for pages whose link to the glossary is `glossary_href`,
        prepared once per language and page depth instead of once per page."""
        key = (lang, glossary_href)
        if key not in self._annotations:
            self._annotations[key] = prepare(annotations_for(self.catalog.terms.values(), lang,
                                                             lambda term: f"{glossary_href}#term-{term}"))
        return self._annotations[key]


def sort_key(value: Any) -> str:
    """The machine sort key a table cell carries to the reader's browser (`data-sort`): a number in
    plain decimal notation, a date as ISO 8601, anything else as text; the browser never parses
    display text such as "32K" or "2024年9月19日"."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):  # the shortest exact decimal, never an exponent ("1e-07")
        text = format(Decimal(repr(value)), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def cell(text: str, sort: Any = None, **extra: Any) -> dict:
    """A table cell for table.html; `sort` is the raw value used for ordering.

    A cell without text and without links is a missing figure: table.html shows it as "—" and it
    sorts last in either direction, on the page and in the browser.
    """
    missing = text == "" and not extra.get("links")
    value = text if sort is None else sort
    return {"text": text, "sort": None if missing else value, "key": "" if missing else sort_key(value),
            "missing": missing, **extra}


@dataclass(frozen=True)
class Context:
    """One page in one language: what a renderer needs to know about where its output lands."""

    site: Site
    lang: str
    page: str  # the source path of the page, e.g. 'moe.md' or 'moe.en.md'

    @property
    def catalog(self) -> Catalog:
        """The build's data."""
        return self.site.catalog

    def t(self, key: str) -> str:
        """An interface string from data/ui.yaml."""
        if key not in self.catalog.ui:
            raise KeyError(f"missing interface string {key!r} in data/ui.yaml")
        return self.catalog.text(key, self.lang)

    def pick(self, text) -> str:
        """The current language's side of a {zh, en} text."""
        return i18n.pick(text, self.lang)

    def render(self, template: str, **values: Any) -> str:
        """Render one of the templates in overrides/atlas/ as a single HTML block."""
        return render(self.site.env, template, **values)

    def href(self, to_src: str, anchor: str = "") -> str:
        """A relative link from this page to another page."""
        return i18n.href(self.page, to_src, anchor)

    def root_href(self, path: str) -> str:
        """A relative link from the page to a file at the site root: downloads exist only at /data/.

        From /data/ (content/data.md) that is '../data/x'; from /en/data/ it is '../../data/x'.
        """
        depth = i18n.page_url(self.page).count("/") + (0 if self.lang == i18n.DEFAULT_LANG else 1)
        return "../" * depth + path

    def source(self, source_id: str) -> dict[str, str]:
        """A citation for a source: URL, label and tooltip text."""
        src = self.catalog.sources[source_id]
        date = i18n.fmt_date(src.date, "day", self.lang) if src.date else ""
        title = " · ".join(part for part in (self.pick(src.title), self.pick(src.publisher), date) if part)
        return {"id": src.id, "url": src.url, "label": self.pick(src.publisher), "title": title,
                "kind": src.kind}

    def model_href(self, model_id: str) -> str:
        """Link to a model's own page."""
        return self.href(f"models/{model_id}.md")

    def term_href(self, term_id: str) -> str:
        """Link to a term on the glossary page."""
        return self.href("glossary.md", f"term-{term_id}")

    def benchmark_href(self, benchmark) -> str | None:
        """A benchmark's glossary entry if it has one, else its own web page (or None)."""
        if benchmark.id in self.catalog.terms:
            return self.term_href(benchmark.id)
        return benchmark.url

    def compare_href(self, model_id: str) -> str:
        """Link to the compare page with one model already chosen."""
        return self.href(COMPARE_PAGE) + f"?models={model_id}"

    def ledger_href(self, claim_id: str) -> str:
        """Link to an entry of the fact-check ledger."""
        return self.href(LEDGER_PAGE, claim_anchor(claim_id))

    def shown_on(self, kind: str, item_id: str, anchor: str) -> str | None:
        """A link to the page that shows `<!-- atlas:KIND id=ITEM -->`, or None if no page does."""
        page = self.site.shown_on.get((kind, item_id))
        return None if page is None else self.href(page, anchor)

    def annotate(self, html: str) -> str:
        """Link the first mention of every glossary term in this page's HTML to its definition."""
        if self.page.replace(f".{self.lang}.md", ".md") in NO_ANNOTATION:
            return html
        return annotate_html(html, self.site.glossary_annotations(self.lang, self.href("glossary.md")))
