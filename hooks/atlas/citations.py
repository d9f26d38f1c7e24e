"""Citation tags in running text (the `<sup class="atlas-ref">` of cite-inline.html and fact.html).

Each inline fact, score and `atlas:src` marker renders its own tag, so a sentence of several
figures from one source showed the same tag several times. After the markers of a page are
expanded, `tidy` keeps one tag per run of the same source within a sentence (the last, which
follows all it covers) and glues every tag to the word before it, so it cannot start a line:
the spaces before it become one no-break space, and a tag right after a word gets a word joiner
(U+2060) before it. The tag itself does not wrap inside (white-space: nowrap, atlas-text.css).
"""

from __future__ import annotations

import re

# The tag as the templates write it; equal tags cite the same source in the same words.
CITATION = re.compile(r'<sup class="atlas-ref">.*?</sup>', re.S)
# A tag, with quoted attribute values kept whole (a title may hold '>').
TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
# Tags that end a sentence's run of text: blocks, table cells, line breaks.
BLOCK_TAG = re.compile(r"</?(?:p|div|li|ul|ol|dl|dt|dd|td|th|tr|table|thead|tbody|br|h[1-6]|blockquote"
                       r"|details|summary|figure|figcaption|section|aside|hr)\b", re.I)
# Text that ends a sentence: Chinese full stops, an ASCII one before a space, a Markdown table
# cell or a new line.
SENTENCE_END = re.compile(r"[。！？]|[.!?](?=\s|$)|\||\n")
WORD_JOINER = "\u2060"
GLUABLE = re.compile(r"(?<=[^\s\u2060])([ \t]*)(" + CITATION.pattern + ")", re.S)
NO_BREAK_SPACE = "\u00a0"


# The value of an inline fact, up to its own tag: data, which never decides where a sentence ends
# (a value holding a full stop must not change the page's markup).
FACT_VALUE = re.compile(r'<span class="atlas-fact">.*\Z', re.S)


def same_sentence(between: str) -> bool:
    """True if the Markdown/HTML between two tags holds no sentence or block boundary."""
    between = FACT_VALUE.sub("", between)
    if BLOCK_TAG.search(between):
        return False
    return not SENTENCE_END.search(TAG.sub("", between))


def merge_repeated(text: str) -> str:
    """Drop a citation tag (and the spaces before it) when the next tag in the same sentence is
    the same; tags of different sources between them keep both."""
    tags = list(CITATION.finditer(text))
    dropped = [here for here, following in zip(tags, tags[1:])
               if here.group(0) == following.group(0) and same_sentence(text[here.end():following.start()])]
    if not dropped:
        return text
    pieces, copied = [], 0
    for tag in dropped:
        start = tag.start()
        while start > copied and text[start - 1] in " \t":
            start -= 1
        pieces.append(text[copied:start])
        copied = tag.end()
    pieces.append(text[copied:])
    return "".join(pieces)


def glue(text: str) -> str:
    """Keep every citation tag on the line of the word before it (after another tag, a line may
    still break: two long tags side by side need not fit on one line of a phone)."""
    def join(match: re.Match[str]) -> str:
        """The spaces before a tag as one no-break space, or a word joiner when there are none."""
        spaces, tag = match.group(1), match.group(2)
        if text.endswith("</sup>", 0, match.start()):
            return match.group(0)
        return (NO_BREAK_SPACE if spaces else WORD_JOINER) + tag
    # only after a character on the same line (spaces at a line's start are Markdown indentation)
    # that is not already a joiner, so tidying twice changes nothing
    return GLUABLE.sub(join, text)


def tidy(text: str) -> str:
    """One tag per source and sentence, each glued to the word before it (module docstring)."""
    return glue(merge_repeated(text))
