"""The fact-check ledger (`<!-- atlas:factcheck -->`): every claim of the seed article, checked.

Each row gives the claim in short, the verdict, the value the site publishes and its sources, a
link to the correction note about it (if the site shows one) and to the pages that use the
figure. Rows carry their verdict and topic as data attributes; a small script (factcheck.js)
filters them, and without JavaScript every row shows.
"""

from __future__ import annotations

from collections import Counter

from .context import Context, claim_anchor
from .markers import Marker, require
from .schema import TOPICS, VERDICTS, Claim


def _page_label(ctx: Context, page: str, named: bool = True) -> str:
    """The name of a content page for a 'used on' link: its nav title, or the model's name.

    A page named in used_on must have a title (a misspelt page name fails the build); the page a
    correction note is found on may be any page, and without a title it is named by its path.
    """
    stem = page[: -len(".md")]
    if stem.startswith("models/") and stem[len("models/"):] in ctx.catalog.models:
        return ctx.catalog.models[stem[len("models/"):]].name
    key = "page-" + stem.replace("/", "-")
    if key not in ctx.catalog.ui:
        if not named:
            return stem
        raise ValueError(f"used_on names page {page!r}, which has no title {key!r} in data/ui.yaml "
                         f"(is the page name right?)")
    return ctx.t(key)


def _used_on(ctx: Context, claim: Claim) -> list[dict[str, str]]:
    """Links to where the site uses the claim's figure: its correction note first, then used_on."""
    links = []
    page = ctx.site.shown_on.get(("correction", claim.correction)) if claim.correction else None
    if page is not None:
        links.append({"href": ctx.href(page, f"correction-{claim.correction}"),
                      "text": f"{_page_label(ctx, page, named=False)} · {ctx.t('factcheck-note')}"})
    for target in claim.used_on:
        page, _, anchor = target.partition("#")
        links.append({"href": ctx.href(page, anchor), "text": _page_label(ctx, page)})
    return links


def ledger_view(ctx: Context) -> dict:
    """The template input of the ledger: counts, filter options and one row per claim."""
    claims = list(ctx.catalog.claims.values())
    verdicts = Counter(claim.verdict for claim in claims)
    topics = Counter(claim.topic for claim in claims)
    rows = [{
        "id": claim.id, "anchor": claim_anchor(claim.id), "topic": claim.topic,
        "topic_label": ctx.t(f"factcheck-topic-{claim.topic}"), "verdict": claim.verdict,
        "verdict_label": ctx.t(f"factcheck-verdict-{claim.verdict}"), "claim": ctx.pick(claim.claim),
        "published": ctx.pick(claim.published), "sources": [ctx.source(s) for s in claim.sources],
        "used_on": _used_on(ctx, claim)} for claim in claims]
    return {
        "rows": rows, "total": len(claims),
        "verdicts": [{"id": v, "label": ctx.t(f"factcheck-verdict-{v}"), "count": verdicts[v]}
                     for v in VERDICTS if verdicts[v]],
        "topics": [{"id": t, "label": ctx.t(f"factcheck-topic-{t}"), "count": topics[t]}
                   for t in TOPICS if topics[t]],
        "labels": {key: ctx.t(f"factcheck-{key}") for key in (
            "filter-verdict", "filter-topic", "all", "shown", "col-claim", "col-verdict", "col-published",
            "col-sources", "col-used", "unverified-claim", "not-published", "press", "total")},
    }


def render_factcheck(marker: Marker, ctx: Context) -> str:
    """Expand `atlas:factcheck`: the whole ledger with its verdict and topic filter."""
    require(marker, set())
    return ctx.render("factcheck.html", **ledger_view(ctx))
