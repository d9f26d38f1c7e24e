"""Per-phase wall-clock totals of the hooks, read by `make bench` (bench/run.py).

It lives beside main.py, outside atlas/, because it reads the clock. Always on: entering a phase costs two `perf_counter` calls, far below a millisecond per
build. Totals accumulate across both language builds of one process until `reset()`.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator

# Phase names used by the hooks (bench/run.py reports them in this order).
CONFIG = "search dictionary"  # on_config: the jieba user dictionary from the glossary
LOAD = "load/validate"  # includes the build's Site: pages scanned, charts' models chosen
TABLES = "markers: tables"
CHARTS = "markers: charts"
OTHER = "markers: other"
EXPAND = "markers: total"  # the whole expand_page call, including scanning and argument parsing
ANNOTATE = "glossary annotation"
SEARCH = "search marks"  # on_page_content: what the search index leaves out of each page
FINISH = "finish"  # after the last language: 404 pages, search indexes, downloads
PHASES = (CONFIG, LOAD, TABLES, CHARTS, OTHER, EXPAND, ANNOTATE, SEARCH, FINISH)

_seconds: dict[str, float] = {}
_calls: dict[str, int] = {}


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Add the time spent inside the `with` block to the total of `name`."""
    start = time.perf_counter()
    try:
        yield
    finally:
        _seconds[name] = _seconds.get(name, 0.0) + time.perf_counter() - start
        _calls[name] = _calls.get(name, 0) + 1


def marker_phase(kind: str) -> str:
    """The phase a marker kind is counted under: tables, charts or other."""
    if kind in ("table", "compare"):
        return TABLES
    if kind == "chart":
        return CHARTS
    return OTHER


def marker(kind: str):
    """Time one marker renderer under its kind's phase (registry.expand_page's `measure`)."""
    return phase(marker_phase(kind))


def snapshot() -> dict[str, dict[str, float]]:
    """{phase: {"seconds": total, "calls": count}} for every phase entered since the last reset."""
    return {name: {"seconds": _seconds[name], "calls": _calls[name]} for name in _seconds}


def reset() -> None:
    """Forget all totals."""
    _seconds.clear()
    _calls.clear()
