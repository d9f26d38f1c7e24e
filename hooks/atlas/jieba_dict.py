"""A jieba user dictionary for Chinese search, generated from the glossary.

Material's search plugin segments every run of Han characters with `jieba.cut` at build
time. jieba's default dictionary splits some glossary terms badly, leaving a
bound single character on its own: 预训练 → 预/训练, 参数量 → 参/数量, 智能体 → 智能/体,
多模态 → 多/模态. Such a term is added as a user word so that it is indexed as one token.

The trade-off: a whole-term token no longer matches a search for a part of
it. So only short terms (at most `MAX_CHARS` Han characters) that jieba would split badly are
added, shortest first, and a term is skipped when the words added before it already fix it
(after 参数量 is added, 模型参数量 is cut 模型/参数量). Terms that jieba cuts into whole words,
such as 混合专家 (混合/专家), are left alone, so both 混合专家 and 专家 still find them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Protocol

HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")
MAX_CHARS = 3  # longer compounds are left to jieba (and to the shorter words added here)


class Segmenter(Protocol):
    """The part of `jieba.Tokenizer` used here (tests pass a fake)."""

    def cut(self, sentence: str) -> Iterable[str]:
        """Segment a string into words."""

    def add_word(self, word: str) -> None:
        """Add a word to the dictionary."""


def han_runs(terms: Iterable[str]) -> list[str]:
    """The distinct runs of Han characters in the terms, in first-seen order."""
    seen: dict[str, None] = {}
    for term in terms:
        for run in HAN_RUN.findall(term):
            seen.setdefault(run, None)
    return list(seen)


def splits_badly(pieces: Iterable[str]) -> bool:
    """True when a segmentation of a multi-character run leaves a single character alone."""
    pieces = [piece for piece in pieces if piece]
    return len(pieces) > 1 and any(len(piece) == 1 for piece in pieces)


def user_words(terms: Iterable[str], segmenter: Segmenter | None = None,
               max_chars: int = MAX_CHARS) -> list[str]:
    """The glossary terms (Han runs) that jieba would split badly, shortest first.

    `segmenter` defaults to a fresh `jieba.Tokenizer` (about 0.7 s to load), not jieba's global
    one: the search plugin loads user words into that, and within one process (`mkdocs serve`)
    the result would then depend on what earlier builds had loaded.
    """
    if segmenter is None:
        import jieba  # imported lazily: only the build needs it

        segmenter = jieba.Tokenizer()
    words = []
    for run in sorted(han_runs(terms), key=lambda run: (len(run), run)):
        if not 2 <= len(run) <= max_chars:
            continue
        if splits_badly(segmenter.cut(run)):
            segmenter.add_word(run)
            words.append(run)
    return words


def dictionary_text(words: Iterable[str]) -> str:
    """jieba user-dictionary text: one word a line (jieba then suggests a frequency that keeps it whole)."""
    return "".join(f"{word}\n" for word in words)


def glossary_terms(glossary: dict[str, Any]) -> list[str]:
    """The Chinese headwords and aliases of a parsed data/glossary.yaml."""
    terms: list[str] = []
    for term in glossary.get("terms") or []:
        if not isinstance(term, dict):
            continue
        headword = (term.get("term") or {}).get("zh")
        aliases = (term.get("aliases") or {}).get("zh") or []
        terms.extend(text for text in [headword, *aliases] if isinstance(text, str))
    return terms
