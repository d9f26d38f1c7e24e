"""Page assembly: which handler expands which marker, and the glossary pass over rendered HTML."""

from __future__ import annotations

from dataclasses import dataclass

from . import blocks, charts, exports, modelpages, tables, timing
from .annotate import Prepared, annotate_html, annotations_for, prepare
from .catalog import Catalog
from .markers import expand, find_markers
from .render import Context

BLOCK_KINDS = {
    "table": tables.render_table,
    "compare": tables.render_compare,
    "chart": charts.render_chart,
    "correction": blocks.render_correction,
    "concepts": blocks.render_concepts,
    "glossary": blocks.render_glossary,
    "sources": blocks.render_sources,
    "model": modelpages.render_model,
    "model-index": modelpages.render_model_index,
    "downloads": exports.render_downloads,
    "fields": exports.render_fields,
    "changelog": exports.render_changelog,
}
INLINE_KINDS = {
    "fact": blocks.render_fact,
    "score": blocks.render_score,
    "src": blocks.render_src,
}
# Pages whose text is the glossary itself: annotating it would link every term to itself.
NO_ANNOTATION = {"glossary.md"}


@dataclass(frozen=True)
class Expanded:
    """A page's Markdown with markers expanded, and what the page needs at runtime."""

    markdown: str
    has_charts: bool


def expand_page(markdown: str, page: str, lang: str, catalog: Catalog) -> Expanded:
    """Expand every marker of one page for one language (raises MarkerError with page:line)."""
    ctx = Context(catalog, lang, page)
    bound_block = {kind: _timed(f, ctx) for kind, f in BLOCK_KINDS.items()}
    bound_inline = {kind: _timed(f, ctx) for kind, f in INLINE_KINDS.items()}
    has_charts = "atlas:chart" in markdown and any(marker.kind == "chart" for marker in find_markers(markdown, page))
    return Expanded(expand(markdown, page, bound_block, bound_inline), has_charts)


def _timed(handler, ctx: Context):
    """Bind a handler to the page's context, counting its time under its kind (make bench)."""
    def call(marker):
        """Run the handler for this page, timed under its marker kind."""
        with timing.phase(timing.marker_phase(marker.kind)):
            return handler(marker, ctx)
    return call


def annotate_page(html: str, page: str, lang: str, catalog: Catalog) -> str:
    """Link the first mention of every glossary term on the page to its definition."""
    if page.replace(f".{lang}.md", ".md") in NO_ANNOTATION:
        return html
    return annotate_html(html, _prepared(catalog, lang, Context(catalog, lang, page).href("glossary.md")))


_PREPARED: dict[tuple, tuple[Catalog, Prepared]] = {}


def _prepared(catalog: Catalog, lang: str, glossary: str) -> Prepared:
    """The glossary's annotations for pages whose link to the glossary is `glossary`, built once
    per catalog, language and page depth instead of once per page (make bench, bench/REPORT.md)."""
    key = (id(catalog), lang, glossary)
    if key not in _PREPARED or _PREPARED[key][0] is not catalog:
        if len(_PREPARED) > 16:
            _PREPARED.clear()
        _PREPARED[key] = (catalog, prepare(annotations_for(catalog.terms.values(), lang,
                                                           lambda term: f"{glossary}#term-{term}")))
    return _PREPARED[key][1]
