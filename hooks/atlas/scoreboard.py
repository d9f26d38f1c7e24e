"""`<!-- atlas:benchmarks -->`: every benchmark by category, with its description, its link and all
its scores, so that a new benchmark or score is shown without anyone editing a page."""

from __future__ import annotations

from .context import Context
from .datasets import table_view
from .markers import Marker, require
from .schema import BENCHMARK_CATEGORIES

SCORE_COLUMNS = ["model", "value", "mode", "shots", "tools"]


def render_benchmarks(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:benchmarks`: a heading per category and per benchmark, then its scores table."""
    require(marker, set())
    scored = {score.benchmark for score in ctx.catalog.scores}
    groups = []
    for category in BENCHMARK_CATEGORIES:
        benchmarks = []
        for bench in (b for b in ctx.catalog.benchmarks.values() if b.category == category):
            table = None
            if bench.id in scored:
                table = table_view("scores", ctx, SCORE_COLUMNS, {"benchmark": {bench.id}}, "-value")
                for row in table["rows"]:  # the page may show the same score in another table too
                    row["id"] = f"all-{row['id']}"
            benchmarks.append({"id": bench.id, "name": bench.name, "description": ctx.pick(bench.description),
                               "url": None if bench.url is None else str(bench.url), "table": table})
        if benchmarks:
            title = ctx.t(f"bench-category-{category}")
            groups.append({"id": category, "title": title[:1].upper() + title[1:], "benchmarks": benchmarks})
    return ctx.render("benchmarks.html", groups=groups,
                      labels={"home": ctx.t("benchmark-home"), "none": ctx.t("benchmark-no-scores")})
