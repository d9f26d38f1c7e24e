"""Localized formats and relative links."""

from __future__ import annotations

import datetime as dt
import posixpath

from hypothesis import given, settings
from hypothesis import strategies as st

from atlas import i18n


def test_parameter_formats():
    """Chinese uses 亿 / 万亿, English B / T."""
    assert i18n.fmt_params(235, "zh") == "2350 亿"
    assert i18n.fmt_params(0.6, "zh") == "6 亿"
    assert i18n.fmt_params(14.3, "en") == "14.3B"
    assert i18n.fmt_params(1000, "en") == "1T"
    assert i18n.fmt_params(1000, "zh") == "1 万亿"


def test_token_context_score_and_dates():
    """Tokens, context lengths, scores and dates in both languages."""
    assert i18n.fmt_tokens(36, "zh") == "36 万亿" and i18n.fmt_tokens(2.2, "en") == "2.2T"
    assert i18n.fmt_context(131072, "en") == "131,072 (128K)"
    assert i18n.fmt_context(32768, "zh") == "32,768（32K）"
    assert i18n.fmt_score(95.6, "en") == "95.6" and i18n.fmt_score(2056.0, "zh") == "2056"
    day = dt.date(2025, 4, 29)
    assert i18n.fmt_date(day, "day", "zh") == "2025年4月29日"
    assert i18n.fmt_date(day, "day", "en") == "29 Apr 2025"
    assert i18n.fmt_date(day, "month", "en") == "Apr 2025"


def test_separators_and_machine_readable_dates():
    """Label colons and list separators per language; ISO dates keep only the sourced precision."""
    assert i18n.colon("zh") == "：" and i18n.colon("en") == ": "
    assert i18n.list_separator("zh") == "、" and i18n.list_separator("en") == ", "
    day = dt.date(2025, 4, 9)
    assert i18n.iso_date(day) == "2025-04-09"
    assert i18n.iso_date(day, "month") == "2025-04"
    assert i18n.iso_date(None) == ""


def test_relative_links_are_the_same_in_both_languages():
    """Both language trees mirror each other, so links only depend on the unsuffixed paths."""
    assert i18n.href("moe.md", "glossary.md", "term-moe") == "../glossary/#term-moe"
    assert i18n.href("moe.en.md", "glossary.md", "term-moe") == "../glossary/#term-moe"
    assert i18n.href("index.md", "models/qwq-32b.md") == "models/qwq-32b/"
    assert i18n.href("models/qwq-32b.en.md", "models/index.md") == "../"
    assert i18n.href("glossary.md", "glossary.md", "x") == "./#x"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "models", "qwen3", "."]), max_size=4),
       st.lists(st.sampled_from(["a", "b", "models", "qwen3", "."]), max_size=4),
       st.booleans(), st.booleans())
def test_relative_path_agrees_with_posixpath(target, start, target_slash, start_slash):
    """The getcwd-free relative path is posixpath.relpath for site URL paths."""
    target_path = "/".join(target) + ("/" if target_slash and target else "")
    start_path = "/".join(start) + ("/" if start_slash and start else "")
    expected = posixpath.relpath(target_path or ".", start_path or ".")
    assert i18n._relative(target_path, start_path) == expected
