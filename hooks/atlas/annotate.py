"""Glossary annotations: wrap the first mention of each term in rendered HTML with a tooltip link.

Python-Markdown's `abbr` cannot match a Chinese term inside a Chinese sentence (its regex uses
`\\b`, and there is no word boundary between two Han characters). This works on the rendered
HTML instead: a word-boundary check applies only at an ASCII end of a term, Chinese ends match
anywhere. Headings, links, code, preformatted text, tables' header cells and existing
annotations are never touched.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

SKIP = {"a", "abbr", "code", "pre", "kbd", "samp", "script", "style", "h1", "h2", "h3", "h4", "h5",
        "h6", "th", "button", "textarea", "select", "option", "svg", "time", "dt", "summary", "sup"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ASCII_WORD = re.compile(r"[A-Za-z0-9_]")


@dataclass(frozen=True)
class Annotation:
    """One matchable spelling of a term and what to show for it."""

    text: str
    term_id: str
    href: str
    definition: str


# a hyphen counts as part of a Latin word, so "MoE" is not found inside "Qwen1.5-MoE-A2.7B"
LEFT_GUARD = r"(?<![A-Za-z0-9_-].)"  # after the first character: the one before it is no word character
RIGHT_GUARD = r"(?![A-Za-z0-9_-])"


def build_pattern(annotations: list[Annotation]) -> re.Pattern[str] | None:
    """One regex for all spellings, longest first; ASCII ends get word-boundary guards.

    The spellings form a trie (shared prefixes written once, every branch starting with a literal
    character), so the regex engine skips positions no spelling can start at and compares each
    character once: matching costs about the same for 60 terms or 6,000, where a plain
    alternation tries every spelling at every position (make bench, bench/REPORT.md). At each
    position the longest spelling that matches, guards included, wins, as with an alternation
    sorted longest first. The compiled pattern is cached per set of spellings.
    """
    spellings = tuple(sorted({a.text for a in annotations if a.text}))
    return _compile_trie(spellings) if spellings else None


@lru_cache(maxsize=16)
def _compile_trie(spellings: tuple[str, ...]) -> re.Pattern[str]:
    """The trie regex of a set of spellings."""
    trie: dict = {}
    for spelling in spellings:
        node = trie
        for char in spelling:
            node = node.setdefault(char, {})
        node[""] = {}  # a spelling ends here
    return re.compile(_trie_regex(trie, None))


def _trie_regex(node: dict, previous: str | None) -> str:
    """Alternatives below a trie node: longer continuations first, the spelling ending here last."""
    parts = []
    for char in sorted(key for key in node if key):
        text, child, last = re.escape(char), node[char], char
        if previous is None and ASCII_WORD.match(char):
            text += LEFT_GUARD
        while len(child) == 1 and "" not in child:  # a chain without branches: no group needed
            (char, child), = child.items()
            text, last = text + re.escape(char), char
        parts.append(text + _trie_regex(child, last))
    if "" in node:
        parts.append(RIGHT_GUARD if ASCII_WORD.match(previous) else "")
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


class _Annotator(HTMLParser):
    """Re-emits HTML unchanged except for text nodes outside skipped elements."""

    def __init__(self, pattern: re.Pattern[str], lookup: dict[str, Annotation], first_only: bool):
        """Start with no open skipped elements and no term used yet."""
        super().__init__(convert_charrefs=False)
        self.pattern = pattern
        self.lookup = lookup
        self.first_only = first_only
        self.out: list[str] = []
        self.stack: list[str] = []
        self.skip_depth = 0
        self.used: set[str] = set()

    def handle_starttag(self, tag, attrs):
        """Copy the tag; note when we enter an element whose text must stay as it is."""
        self.out.append(self.get_starttag_text())
        if tag in VOID:
            return
        classes = dict(attrs).get("class") or ""
        skip = tag in SKIP or "atlas-no-terms" in classes.split() or "highlight" in classes.split()
        self.stack.append(tag)
        if skip or self.skip_depth:
            self.skip_depth += 1

    def handle_startendtag(self, tag, attrs):
        """Copy self-closing tags."""
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        """Copy the end tag and pop back to the matching start tag."""
        self.out.append(f"</{tag}>")
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            if self.skip_depth:
                self.skip_depth -= 1
            if open_tag == tag:
                break

    def handle_data(self, data):
        """Annotate text outside skipped elements."""
        self.out.append(data if self.skip_depth else self._annotate(data))

    def handle_entityref(self, name):
        """Keep entities exactly."""
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        """Keep character references exactly."""
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        """Keep comments."""
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        """Keep declarations."""
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        """Keep processing instructions."""
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        """Keep CDATA and the like."""
        self.out.append(f"<![{data}]>")

    def _annotate(self, text: str) -> str:
        """Wrap matches (the first per term when first_only) in a tooltip link."""
        def replace(match: re.Match[str]) -> str:
            item = self.lookup[match.group(0)]
            if self.first_only and item.term_id in self.used:
                return match.group(0)
            self.used.add(item.term_id)
            return (f'<a class="atlas-term" href="{html.escape(item.href)}" '
                    f'title="{html.escape(item.definition)}">{match.group(0)}</a>')
        return self.pattern.sub(replace, text)


@dataclass(frozen=True)
class Prepared:
    """The regex and the spelling lookup of a list of annotations, to reuse across pages."""

    pattern: re.Pattern[str] | None
    lookup: dict[str, Annotation]


def prepare(annotations: list[Annotation]) -> Prepared:
    """Build the regex and lookup once (the first annotation of a spelling wins)."""
    lookup: dict[str, Annotation] = {}
    for item in annotations:
        lookup.setdefault(item.text, item)
    return Prepared(build_pattern(annotations), lookup)


def annotate_html(content: str, annotations: list[Annotation] | Prepared, first_only: bool = True) -> str:
    """Annotate glossary terms in an HTML fragment; everything else is kept byte for byte."""
    prepared = annotations if isinstance(annotations, Prepared) else prepare(annotations)
    pattern, lookup = prepared.pattern, prepared.lookup
    if pattern is None:
        return content
    parser = _Annotator(pattern, lookup, first_only)
    parser.feed(content)
    parser.close()
    return "".join(parser.out)


def annotations_for(terms, lang: str, glossary_href) -> list[Annotation]:
    """Every spelling (term + aliases) of every term in `lang`; `glossary_href(id)` gives the link."""
    found = []
    for term in terms:
        definition = getattr(term.definition, lang)
        for spelling in [getattr(term.term, lang), *getattr(term.aliases, lang)]:
            found.append(Annotation(spelling, term.id, glossary_href(term.id), definition))
    return found
