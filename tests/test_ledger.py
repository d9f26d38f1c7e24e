"""The fact-check ledger: every claim in both languages, verdicts, sources, links both ways; review dates."""

from __future__ import annotations

import datetime as dt
import html
import re
import pytest

from atlas import blocks, ledger, workspace
from atlas.completeness import stale_families
from atlas.markers import Marker
from conftest import TODAY, read_catalog
from test_validation import edit, line_of, problems

LEDGER = {"zh": "fact-check.md", "en": "fact-check.en.md"}
CONTENT = workspace.CONTENT_DIR


def _ledger(ctx, lang: str) -> str:
    """The ledger as rendered on its own page in `lang`."""
    return ledger.render_factcheck(Marker("factcheck", {}, LEDGER[lang], 1), ctx(lang, LEDGER[lang]))


def _rows(page_html: str) -> dict[str, str]:
    """Each ledger row's HTML by claim id."""
    rows = re.findall(r'<tr id="claim-([^"]+)"(.*?)</tr>', page_html, re.S)
    return dict(rows)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_claim_is_rendered_with_its_verdict_text_and_sources(catalog, ctx, lang):
    """Each claim has one row with its claim, verdict, published value and a link to every source."""
    rows = _rows(_ledger(ctx, lang))
    assert set(rows) == set(catalog.claims)
    assert len(rows) >= 105  # the claim tables of the fact-check reference have 105 rows
    page = ctx(lang, LEDGER[lang])
    for claim in catalog.claims.values():
        row = html.unescape(rows[claim.id])
        assert f'data-verdict="{claim.verdict}"' in row
        assert page.t(f"factcheck-verdict-{claim.verdict}") in row
        assert page.pick(claim.claim) in row and page.pick(claim.published) in row
        for source in claim.sources:
            assert f'href="{catalog.sources[source].url}"' in row, (claim.id, source)


def test_anchors_are_the_same_in_both_languages(ctx):
    """A ledger entry has the same anchor in Chinese and English, in the same order."""
    zh = re.findall(r'<tr id="(claim-[^"]+)"', _ledger(ctx, "zh"))
    en = re.findall(r'<tr id="(claim-[^"]+)"', _ledger(ctx, "en"))
    assert zh == en and len(zh) == len(set(zh))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unverifiable_rows_read_as_the_articles_unverified_claim(catalog, ctx, lang):
    """Unverifiable rows carry the 'unverified claim' and 'not published as fact' labels; no other row does."""
    page = ctx(lang, LEDGER[lang])
    marks = (page.t("factcheck-unverified-claim"), page.t("factcheck-not-published"))
    rows = _rows(_ledger(ctx, lang))
    verdicts = {claim.verdict for claim in catalog.claims.values()}
    assert verdicts == {"confirmed", "corrected", "unverifiable"}
    for claim in catalog.claims.values():
        row = html.unescape(rows[claim.id])
        assert all((mark in row) == (claim.verdict == "unverifiable") for mark in marks), claim.id


def test_press_reports_support_only_unverifiable_claims(catalog, ctx):
    """No confirmed or corrected claim rests on a press report, and the ledger labels press links."""
    rows = _rows(_ledger(ctx, "en"))
    press = ctx("en", LEDGER["en"]).t("factcheck-press")
    cited = False
    for claim in catalog.claims.values():
        kinds = {catalog.sources[s].kind for s in claim.sources}
        if "press" in kinds:
            cited = True
            assert claim.verdict == "unverifiable", claim.id
            assert press in html.unescape(rows[claim.id])
        if claim.verdict != "unverifiable":
            assert claim.sources, claim.id
    assert cited


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_correction_notes_link_to_an_existing_ledger_entry(catalog, site, ctx, lang):
    """Every correction note links to the ledger entry of its claim, at an anchor the ledger has."""
    anchors = {f"claim-{claim_id}" for claim_id in _rows(_ledger(ctx, lang))}
    assert catalog.corrections
    for correction_id in catalog.corrections:
        page = site.shown_on.get(("correction", correction_id), "index.md")
        page = page if lang == "zh" else page.replace(".md", ".en.md")
        note = blocks.render_correction(Marker("correction", {"id": correction_id}, page, 1), ctx(lang, page))
        [href] = re.findall(r'class="atlas-ledger-link" href="([^"]+)"', note)
        target, anchor = href.split("#")
        assert anchor in anchors, correction_id
        assert catalog.claims[anchor[len("claim-"):]].correction == correction_id
        assert ctx(lang, page).href("fact-check.md") == target


def test_ledger_entries_link_back_to_their_correction_note(catalog, site, ctx):
    """A claim with a correction note shown on a page links to that note."""
    rows = _rows(_ledger(ctx, "zh"))
    checked = 0
    for claim in catalog.claims.values():
        page = site.shown_on.get(("correction", claim.correction)) if claim.correction else None
        if page is not None:
            assert f'href="{ctx("zh", LEDGER["zh"]).href(page, "correction-" + claim.correction)}"' in rows[claim.id]
            checked += 1
    assert checked


def _has_anchor(text: str, anchor: str) -> bool:
    """Whether a page's Markdown defines `anchor` (a heading attribute) or shows that correction."""
    return f"{{ #{anchor} }}" in text or f"atlas:correction id={anchor.removeprefix('correction-')} " in text


def test_used_on_names_existing_pages_and_anchors_in_both_languages(catalog):
    """Every used_on target exists as a page (or a generated model page) with its anchor, in zh and en."""
    for claim in catalog.claims.values():
        for target in claim.used_on:
            page, _, anchor = target.partition("#")
            if page.startswith("models/") and page != "models/index.md":
                assert page[len("models/"):-len(".md")] in catalog.models, (claim.id, target)
                assert not anchor, (claim.id, target)
                continue
            for name in (page, page.replace(".md", ".en.md")):
                text = (CONTENT / name).read_text(encoding="utf-8")
                assert not anchor or _has_anchor(text, anchor), (claim.id, name, anchor)


def test_every_claim_is_linked_to_where_the_site_uses_it_or_is_unverifiable(catalog, site):
    """A published figure links to a page using it; only unverifiable claims may have nowhere to point."""
    for claim in catalog.claims.values():
        shown = claim.correction is not None and ("correction", claim.correction) in site.shown_on
        assert shown or claim.used_on or claim.verdict == "unverifiable", claim.id


# --- validation ---------------------------------------------------------------


def test_press_source_cannot_confirm_a_claim(fixture_data):
    """A confirmed claim citing a press report is an error at its line."""
    edit(fixture_data, "sources", "    kind: paper", "    kind: press")
    line = line_of(fixture_data, "factcheck", "sources: [qwen3-report]")
    assert f"data/factcheck.yaml:{line}: claims[0].sources[0]: press source 'qwen3-report' cannot confirm " \
           "a claim: only 'unverifiable' claims may cite press reports" in problems(fixture_data)


def test_correction_without_ledger_entry_is_reported(fixture_data):
    """Every correction note needs a ledger entry to link to."""
    edit(fixture_data, "factcheck", "    correction: moe-qwen3-activated\n", "")
    line = line_of(fixture_data, "corrections", "- id: moe-qwen3-activated")
    assert problems(fixture_data) == [
        f"data/corrections.yaml:{line}: corrections[0].id: correction 'moe-qwen3-activated' has no entry in "
        "data/factcheck.yaml; add one with `correction: moe-qwen3-activated`"]


def test_confirmed_claim_needs_a_source(fixture_data):
    """A claim presented as confirmed without any source is refused."""
    edit(fixture_data, "factcheck", "    sources: [qwen3-report]\n", "")
    edit(fixture_data, "factcheck", "verdict: corrected", "verdict: confirmed")
    assert any("factcheck.yaml" in p and "a confirmed claim needs at least one primary source" in p
               for p in problems(fixture_data))


# --- review dates ---------------------------------------------------------------


def test_families_reviewed_within_90_days_give_no_warning(fixture_data):
    """A family reviewed a month ago is not reported."""
    catalog = read_catalog(fixture_data)
    assert catalog.families and stale_families(catalog, TODAY) == []


def test_family_not_reviewed_for_90_days_is_a_warning_with_its_line(fixture_data):
    """Past 90 days, each family gets one warning pointing at its `reviewed` line."""
    catalog = read_catalog(fixture_data)
    first = next(iter(catalog.families.values()))
    due = first.reviewed.toordinal() + 91
    warnings = [str(w) for w in stale_families(catalog, dt.date.fromordinal(due))]
    line = line_of(fixture_data, "models", f'reviewed: "{first.reviewed.isoformat()}"', nth=2)
    assert len(warnings) == len(catalog.families)
    assert warnings[0].startswith(f"data/models.yaml:{line}: families[0].reviewed: family '{first.id}' last reviewed")
    assert stale_families(catalog, dt.date.fromordinal(due - 1)) == []


def test_make_check_prints_review_warnings_but_passes(fixture_data, capsys):
    """`make check` lists an overdue family as a warning line and still exits 0."""
    edit(fixture_data, "models", '    reviewed: "2026-11-01"', '    reviewed: "2025-01-01"')
    line = line_of(fixture_data, "models", 'reviewed: "2025-01-01"')
    assert workspace.check(fixture_data) == 0
    err = capsys.readouterr().err
    assert f"warning: data/models.yaml:{line}: families[0].reviewed: family " in err
    assert "2025-01-01" in err
