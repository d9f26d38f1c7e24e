"""The marker registry: which renderer expands which `<!-- atlas:KIND ... -->` marker.

Renderers stand side by side (tables, charts, blocks, model pages, the Data page); none imports
another. Block kinds stand alone on their line and become a Markdown block; inline kinds sit
inside a sentence.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Callable

from . import blocks, charts, citations, comparepage, datapage, ledger, modelpages, scoreboard, tables
from .context import Context
from .markers import Marker, MarkerError, OnError, expand, stop_at_first

Renderer = Callable[[Marker, Context], str]

BLOCK_MARKERS: dict[str, Renderer] = {
    "table": tables.render_table,
    "compare": tables.render_compare,
    "benchmarks": scoreboard.render_benchmarks,
    "filter": tables.render_filter,
    "chart": charts.render_chart,
    "correction": blocks.render_correction,
    "concepts": blocks.render_concepts,
    "glossary": blocks.render_glossary,
    "sources": blocks.render_sources,
    "model": modelpages.render_model,
    "model-index": modelpages.render_model_index,
    "model-compare": comparepage.render_model_compare,
    "downloads": datapage.render_downloads,
    "fields": datapage.render_fields,
    "changelog": datapage.render_changelog,
    "factcheck": ledger.render_factcheck,
}
INLINE_MARKERS: dict[str, Renderer] = {
    "fact": blocks.render_fact,
    "score": blocks.render_score,
    "src": blocks.render_src,
}


@dataclass(frozen=True)
class Expanded:
    """A page's Markdown with markers expanded, and whether it needs the chart script."""

    markdown: str
    has_charts: bool


def _unmeasured(kind: str) -> AbstractContextManager:
    """No measurement around a renderer."""
    return nullcontext()


def expand_page(markdown: str, ctx: Context,
                measure: Callable[[str], AbstractContextManager] = _unmeasured,
                on_error: OnError = stop_at_first) -> Expanded:
    """Expand every marker of one page in its language (raises MarkerError with page:line, or
    passes each to `on_error` and goes on).

    `measure(kind)` is entered around each renderer call (the hooks time them for make bench).
    """
    has_charts = False

    def bind(kind: str, renderer: Renderer) -> Callable[[Marker], str]:
        """The renderer of one kind for this page, measured under its kind."""
        def call(marker: Marker) -> str:
            """Render one marker of the page."""
            nonlocal has_charts
            has_charts = has_charts or kind == "chart"
            with measure(kind):
                return renderer(marker, ctx)
        return call

    handlers = ({kind: bind(kind, f) for kind, f in BLOCK_MARKERS.items()},
                {kind: bind(kind, f) for kind, f in INLINE_MARKERS.items()})
    expanded = expand(markdown, ctx.page, *handlers, on_error=on_error)
    # the citation tags the markers wrote: one per source and sentence, none at a line's start
    return Expanded(citations.tidy(expanded), has_charts)


def _nothing(marker: Marker) -> str:
    """A stand-in renderer: the marker's kind and syntax are checked, not its arguments."""
    return ""


def page_problems(markdown: str, page: str, ctx: Context | None) -> list[MarkerError]:
    """Every marker problem of one page, found as its build would find them but without stopping at
    the first: the syntax, kinds and arguments of its markers and the ids they name. Without a
    context (the data did not load) only the syntax and kinds are checked."""
    found: list[MarkerError] = []
    if ctx is None:
        expand(markdown, page, dict.fromkeys(BLOCK_MARKERS, _nothing), dict.fromkeys(INLINE_MARKERS, _nothing),
               on_error=found.append)
    else:
        expand_page(markdown, ctx, on_error=found.append)
    return found
