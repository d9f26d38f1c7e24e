"""Languages, localized number and date formats, and relative links between pages."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
# The interface strings (data/ui.yaml) that the code formats, with the only placeholders it passes:
# `make check` refuses any other placeholder in them, and any placeholder in the other strings.
UI_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "index-summary": ("models", "qwen", "families"),
    "factcheck-shown": ("shown", "total"),  # filled in the reader's browser (factcheck.js), as text
    "filter-shown": ("shown", "total"),  # filled in the reader's browser (tables.js), as text
}
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def pick(text, lang: str) -> str:
    """The `lang` side of a {zh, en} text (an unknown language is a programming error)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    return getattr(text, lang)


def fill(key: str, template: str, **values) -> str:
    """Format the interface string `key` (its text is `template`) with exactly its declared placeholders."""
    if set(values) != set(UI_PLACEHOLDERS[key]):  # a programming error: declare what the code passes
        raise ValueError(f"{key} takes {UI_PLACEHOLDERS[key]}, got {tuple(values)}")
    return template.format_map(values)


def _trim(number: float) -> str:
    """1.0 -> '1', 14.30 -> '14.3', 0.55 -> '0.55' (no float noise)."""
    return f"{number:.2f}".rstrip("0").rstrip(".")


def fmt_params(billions: float | None, lang: str) -> str:
    """Parameter counts: '235B' in English, '2350 亿' in Chinese."""
    if billions is None:
        return ""
    if lang == "zh":
        yi = billions * 10  # 1B = 10 亿
        return f"{_trim(yi / 10000)} 万亿" if yi >= 10000 else f"{_trim(yi)} 亿"
    return f"{_trim(billions / 1000)}T" if billions >= 1000 else f"{_trim(billions)}B"


def fmt_tokens(trillions: float | None, lang: str) -> str:
    """Training tokens: '36T' in English, '36 万亿' in Chinese."""
    if trillions is None:
        return ""
    return f"{_trim(trillions)} 万亿" if lang == "zh" else f"{_trim(trillions)}T"


def fmt_int(value: int | None, lang: str) -> str:
    """Integers with thousands separators (both languages use commas in technical text)."""
    return "" if value is None else f"{value:,}"


def fmt_context(tokens: int | None, lang: str) -> str:
    """Context lengths: '131,072 (128K)'; the K form uses 1K = 1,024 tokens as model cards do."""
    if tokens is None:
        return ""
    short = f"{_trim(tokens / 1024)}K" if tokens >= 1024 else str(tokens)
    return f"{tokens:,}（{short}）" if lang == "zh" else f"{tokens:,} ({short})"


def fmt_score(value: float | None, lang: str) -> str:
    """Benchmark scores as published (no trailing zeros invented)."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() and value >= 100 else f"{value:g}"


def fmt_date(value: dt.date | None, precision: str, lang: str) -> str:
    """'2025年4月29日' / '29 Apr 2025', or month only when that is all that is sourced."""
    if value is None:
        return ""
    if lang == "zh":
        return f"{value.year}年{value.month}月" + ("" if precision == "month" else f"{value.day}日")
    month = f"{EN_MONTHS[value.month - 1]} {value.year}"
    return month if precision == "month" else f"{value.day} {month}"


def page_url(src_uri: str) -> str:
    """The site-relative URL of a source file with directory URLs, ignoring the language suffix."""
    path = src_uri.replace("\\", "/")
    for lang in LANGS:
        path = path.replace(f".{lang}.md", ".md")
    stem = path[: -len(".md")] if path.endswith(".md") else path
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    elif stem:
        stem += "/"
    return stem


@lru_cache(maxsize=1 << 16)  # pages link to the same few targets thousands of times per build
def href(from_src: str, to_src: str, anchor: str = "") -> str:
    """A relative link from one page to another; the same in both languages (mirrored trees)."""
    rel = _relative(page_url(to_src), page_url(from_src))
    rel = "./" if rel == "." else rel.rstrip("/") + "/"
    return rel + (f"#{anchor}" if anchor else "")


def _relative(target: str, start: str) -> str:
    """posixpath.relpath for two site-relative URL paths, without its calls to os.getcwd()."""
    target_parts = [part for part in target.split("/") if part not in ("", ".")]
    start_parts = [part for part in start.split("/") if part not in ("", ".")]
    common = 0
    for a, b in zip(target_parts, start_parts):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + target_parts[common:]) or "."


def colon(lang: str) -> str:
    """The label separator of a language: '：' or ': '."""
    return "：" if lang == "zh" else ": "


def list_separator(lang: str) -> str:
    """The separator between the items of a list in running text: '、' or ', '."""
    return "、" if lang == "zh" else ", "


def iso_date(value: dt.date | None, precision: str = "day") -> str:
    """A machine-readable date for <time datetime>: 'YYYY-MM' when only the month is sourced."""
    if value is None:
        return ""
    return value.isoformat()[:7] if precision == "month" else value.isoformat()
