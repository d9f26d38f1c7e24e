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

from .templates import tooltip

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


# One pass over the HTML with a regex tokenizer: an order of magnitude faster than html.parser on
# every page of the site (make bench), and it copies every byte it does not annotate. Attribute
# lists use possessive quantifiers (Python 3.11+): each part of one starts with a different kind
# of character, so backtracking into it could never reach a '>' that ends the tag; not keeping
# backtracking state makes tokenizing about a third faster.
TOKEN = re.compile(r"""
    <!--.*?-->                                                   # comment
  | <(?P<raw>script|style|textarea)\b(?:[^>"']++|"[^"]*+"|'[^']*+')*+>.*?</(?P=raw)\s*>  # raw text, copied whole
  | <[!?][^>]*>                                                  # declaration, processing instruction
  | </(?P<end>[A-Za-z][A-Za-z0-9-]*)\s*>                          # end tag
  | <(?P<start>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>(?:[^>"']++|"[^"]*+"|'[^']*+')*+)>  # start tag
""", re.S | re.I | re.X)
CLASS_ATTR = re.compile(r"""(?:^|\s)class\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
ENTITY = re.compile(r"(&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);)")


def _skips(tag: str, attrs: str) -> bool:
    """True for elements whose text is never annotated."""
    if tag in SKIP:
        return True
    if "atlas-no-terms" not in attrs and "highlight" not in attrs:  # no regex for most tags
        return False
    found = CLASS_ATTR.search(attrs)
    classes = next((group for group in found.groups() if group is not None), "").split() if found else []
    return "atlas-no-terms" in classes or "highlight" in classes


class _Annotator:
    """Re-emits HTML unchanged except for text outside skipped elements."""

    def __init__(self, pattern: re.Pattern[str], lookup: dict[str, Annotation], first_only: bool):
        """Start with no open skipped elements and no term used yet."""
        self.pattern = pattern
        self.lookup = lookup
        self.first_only = first_only
        self.used: set[str] = set()

    def run(self, content: str) -> str:
        """Annotate the text nodes of `content` that are outside skipped elements.

        This loop runs once per tag of every page, so it is written for speed (make bench): the
        output is spliced together only where a text changed, and a text is annotated only if
        the pattern finds something in it.
        """
        pieces: list[str] = []  # unchanged stretches of `content` and annotated texts, in order
        copied = 0  # content[:copied] is already in pieces
        stack: list[str] = []
        skip_depth = 0
        position = 0
        search = self.pattern.search
        for token in TOKEN.finditer(content):
            start, end = token.span()
            if not skip_depth and start > position and search(content, position, start):
                pieces += (content[copied:position], self._annotate(content[position:start]))
                copied = start
            position = end
            kind = token.lastgroup
            if kind == "attrs":  # a start tag
                tag = token.group("start").lower()
                attrs = token.group("attrs")
                if tag in VOID or attrs.rstrip().endswith("/"):
                    continue
                stack.append(tag)
                if skip_depth or _skips(tag, attrs):
                    skip_depth += 1
            elif kind == "end":
                tag = token.group("end").lower()
                if tag in VOID or tag not in stack:
                    continue
                while stack:  # close elements left open inside this one, as browsers do
                    open_tag = stack.pop()
                    if skip_depth:
                        skip_depth -= 1
                    if open_tag == tag:
                        break
        if not skip_depth and search(content, position):
            pieces += (content[copied:position], self._annotate(content[position:]))
            copied = len(content)
        if not pieces:
            return content
        pieces.append(content[copied:])
        return "".join(pieces)

    def _annotate(self, text: str) -> str:
        """Wrap matches (the first per term when first_only) in a tooltip link; entities stay whole."""
        def replace(match: re.Match[str]) -> str:
            """Link the match unless its term was already linked on this page."""
            item = self.lookup[match.group(0)]
            if self.first_only and item.term_id in self.used:
                return match.group(0)
            self.used.add(item.term_id)
            return (f'<a class="atlas-term" href="{html.escape(item.href)}" '
                    f'title="{tooltip(item.definition)}">{match.group(0)}</a>')
        if "&" not in text:
            return self.pattern.sub(replace, text)
        return "".join(part if index % 2 else self.pattern.sub(replace, part)
                       for index, part in enumerate(ENTITY.split(text)))


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
    return _Annotator(pattern, lookup, first_only).run(content)


def annotations_for(terms, lang: str, glossary_href) -> list[Annotation]:
    """Every spelling (term + aliases) of every term in `lang`; `glossary_href(id)` gives the link."""
    found = []
    for term in terms:
        definition = getattr(term.definition, lang)
        for spelling in [getattr(term.term, lang), *getattr(term.aliases, lang)]:
            found.append(Annotation(spelling, term.id, glossary_href(term.id), definition))
    return found
