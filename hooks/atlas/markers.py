"""Find and expand `<!-- atlas:KIND key=value ... -->` markers in Markdown pages.

One syntax for everything generated. Block markers stand alone on a line; inline markers may sit
inside a sentence. Markers inside fenced code blocks are left alone (so docs can show them).
An unknown kind, a malformed marker or a handler error stops the build naming page and line.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Callable

from .errors import nearest, unknown

MARKER = re.compile(r"<!--\s*atlas:(?P<kind>[A-Za-z0-9_-]*)(?P<args>.*?)-->")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
# A line that opens a block whose body is indented: an admonition (!!! / ??? / ???+) or a list item.
CONTAINER = re.compile(r"^\s*(?:(?:!!!|\?\?\?\+?)\s|(?:[-*+]|\d+[.)])\s)")
# Comments that look meant as markers but are not: another spelling of "atlas" before a colon ...
NEAR_MISS = re.compile(r"<!--\s*(?P<word>[A-Za-z]{4,6})\s*:", re.I)
# ... or an opening "<!-- atlas:" whose comment does not close on the same line.
UNCLOSED = re.compile(r"<!--\s*atlas:(?!.*?-->)", re.I)
CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1")
# A word as shlex splits arguments that have no quotes or backslashes (its whitespace is " \t\r\n").
PLAIN_WORD = re.compile(r"[^ \t\r\n]+")


@dataclass(frozen=True)
class Marker:
    """One marker occurrence: its kind, arguments, and where it is."""

    kind: str
    args: dict[str, str]
    page: str
    line: int

    def where(self) -> str:
        """'page.md:12' for messages."""
        return f"{self.page}:{self.line}"


class MarkerError(Exception):
    """A marker that cannot be expanded; the message names the page and line."""

    def __init__(self, page: str, line: int, message: str):
        """Keep where the problem is apart from what it is (make check lists them as file:line)."""
        super().__init__(f"{page}:{line}: {message}")
        self.page, self.line, self.message = page, line, message


OnError = Callable[[MarkerError], None]


def stop_at_first(error: MarkerError) -> None:
    """The default reaction to a marker problem: stop (the build names the first one)."""
    raise error


Handler = Callable[[Marker], str]


def parse_args(text: str, page: str, line: int) -> dict[str, str]:
    """Parse `key=value key="quoted value"` pairs; repeated or bare words are errors."""
    try:
        # the usual case needs no shlex, which is several times slower
        plain = not any(quote in text for quote in "\"'\\")
        words = PLAIN_WORD.findall(text) if plain else shlex.split(text)
    except ValueError as error:
        raise MarkerError(page, line, f"cannot read marker arguments ({error})") from None
    args: dict[str, str] = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or not key:
            raise MarkerError(page, line, f"expected key=value in marker, got {word!r}")
        if key in args:
            raise MarkerError(page, line, f"argument {key!r} given twice")
        args[key] = value
    return args


def _indent(text: str) -> int:
    """The width of a line's leading whitespace (a tab counts as four spaces, as in Markdown)."""
    width = 0
    for char in text:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _scan(markdown: str):
    """Yield (line number, line, inside code?) for every line, keeping line ends.

    Code is a fenced block or an indented one: a line indented four more than its container (the
    page, an admonition or a list item) after a blank line. Inside an admonition or a list, four
    spaces only say that a line belongs to it, so a marker there is live.
    """
    fence: str | None = None
    containers: list[int] = []  # the body indent of each open admonition or list item
    indented_code = False
    blank_before = True
    for number, text in enumerate(markdown.splitlines(keepends=True), start=1):
        opener = FENCE.match(text)
        if fence is not None or opener:
            if opener:
                mark = opener.group(1)
                if fence is None:
                    fence = mark
                elif mark[0] == fence[0] and len(mark) >= len(fence):
                    fence = None
            yield number, text, True
            blank_before = False
            continue
        if not text.strip():
            blank_before = True
            yield number, text, indented_code
            continue
        indent = _indent(text)
        while containers and indent < containers[-1]:
            containers.pop()
        base = containers[-1] if containers else 0
        indented_code = indent >= base + 4 and (indented_code or blank_before)
        blank_before = False
        if not indented_code and CONTAINER.match(text):
            containers.append(indent + 4)
        yield number, text, indented_code


def _distance(a: str, b: str) -> int:
    """Levenshtein distance: the fewest single-character edits that turn `a` into `b`."""
    row = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, char_b in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (char_a != char_b))
    return row[-1]


def _checked_lines(markdown: str, page: str, on_error: OnError = stop_at_first):
    """`_scan`, refusing comments outside code that look meant as markers but would be ignored:
    another spelling of `atlas:`, a marker that does not close on its line, one split over lines
    (each passed to `on_error`, which stops by default)."""
    open_comment = 0  # the line of a comment opened with nothing after "<!--", 0 if none
    for number, text, in_code in _scan(markdown):
        if in_code or ("<!--" not in text and not open_comment):  # the checks below all need a comment
            yield number, text, in_code
            continue
        prose = CODE_SPAN.sub(lambda match: " " * len(match.group(0)), text)
        if open_comment and prose.strip():
            if prose.lstrip().lower().startswith("atlas:"):
                on_error(MarkerError(page, open_comment, "a marker must be written on one line: "
                                                         "<!-- atlas:KIND key=value ... -->"))
            open_comment = 0
        if prose.rstrip().endswith("<!--"):
            open_comment = number
        for match in NEAR_MISS.finditer(prose):
            word = match.group("word")
            if word != "atlas" and _distance(word.lower(), "atlas") <= 2:
                on_error(MarkerError(page, number, f"'{match.group(0)}' looks like a marker but is not one; "
                                                   "did you mean '<!-- atlas:'? (lower case)"))
        if UNCLOSED.search(prose):
            on_error(MarkerError(page, number, "a marker must end on its own line with '-->'"))
        yield number, text, in_code


def _live_matches(text: str) -> list[re.Match[str]]:
    """Markers on a line that are not inside an inline code span (docs may show markers as code)."""
    spans = [match.span() for match in CODE_SPAN.finditer(text)]
    return [match for match in MARKER.finditer(text)
            if not any(start <= match.start() < end for start, end in spans)]


def find_markers(markdown: str, page: str) -> list[Marker]:
    """All markers outside code, in order."""
    return [Marker(match.group("kind"), parse_args(match.group("args"), page, number), page, number)
            for number, text, in_code in _checked_lines(markdown, page) if not in_code
            for match in _live_matches(text)]


def expand(markdown: str, page: str, block: dict[str, Handler], inline: dict[str, Handler],
           on_error: OnError = stop_at_first) -> str:
    """Replace every marker by its handler's output; block kinds must stand alone on their line.

    A marker that cannot be expanded stops with a MarkerError, or, with `on_error`, is passed to
    it and left out, so that one pass finds every problem of the page (make check).
    """
    out: list[str] = []
    for number, text, in_code in _checked_lines(markdown, page, on_error):
        live = _live_matches(text) if not in_code and "atlas:" in text else []
        if not live:
            out.append(text)
            continue

        def replace(match: re.Match[str]) -> str:
            """Expand one marker on this line (markers inside code spans stay as they are)."""
            if not any(match.start() == item.start() for item in live):
                return match.group(0)
            try:
                return _expand_one(match, text, number)
            except MarkerError as error:
                on_error(error)
                return ""

        def _expand_one(match: re.Match[str], text: str, number: int) -> str:
            """The output of one live marker."""
            kind = match.group("kind")
            marker = Marker(kind, parse_args(match.group("args"), page, number), page, number)
            if kind in block:
                if text.strip() != match.group(0):
                    raise MarkerError(page, number, f"block marker 'atlas:{kind}' must stand alone on its line")
                return _run(block[kind], marker)
            if kind in inline:
                return _run(inline[kind], marker)
            known = sorted({*block, *inline})
            raise MarkerError(page, number, unknown("marker", f"atlas:{kind}", [f"atlas:{k}" for k in known],
                                                    f"expected one of: {', '.join(known)}"))

        replaced = MARKER.sub(replace, text)
        alone = MARKER.fullmatch(text.strip())
        if alone and alone.group("kind") in block:
            # a block's output is a Markdown block of its own: keep blank lines around it, and the
            # marker's indentation on every line, so that it stays inside an admonition or list
            margin = text[: len(text) - len(text.lstrip())]
            body = "\n".join(margin + line if line else line for line in replaced.strip().split("\n"))
            replaced = "\n" + body + "\n\n"
        out.append(replaced)
    return "".join(out)


def _run(handler: Handler, marker: Marker) -> str:
    """Call a handler; its KeyError/ValueError become a MarkerError naming the page and line."""
    try:
        return handler(marker)
    except MarkerError:
        raise
    except (KeyError, ValueError, LookupError) as error:
        message = error.args[0] if error.args else str(error)
        raise MarkerError(marker.page, marker.line, f"atlas:{marker.kind}: {message}") from None


def require(marker: Marker, allowed: set[str], required: set[str] = frozenset()) -> dict[str, str]:
    """Check a marker's argument names; unknown or missing ones are errors."""
    strange = sorted(set(marker.args) - allowed)
    if strange:
        guesses = [f"`{guess}`" for guess in (nearest(name, allowed) for name in strange) if guess]
        hint = f" (did you mean {', '.join(guesses)}?)" if guesses else ""
        raise ValueError(f"unknown argument(s) {', '.join(strange)}{hint}; "
                         f"expected: {', '.join(sorted(allowed)) or 'none'}")
    missing = required - set(marker.args)
    if missing:
        raise ValueError(f"missing argument(s): {', '.join(sorted(missing))}")
    return marker.args


def split_list(value: str) -> list[str]:
    """'a,b, c' -> ['a', 'b', 'c'] (empty items dropped)."""
    return [item.strip() for item in value.split(",") if item.strip()]


def shown_on(pages: dict[str, str]) -> dict[tuple[str, str], str]:
    """(kind, id) -> the first page (by name) that holds `<!-- atlas:KIND id=... -->`.

    A page whose markers cannot be read is skipped here: its own build reports the broken
    marker, naming its line.
    """
    found: dict[tuple[str, str], str] = {}
    for name in sorted(pages):
        try:
            markers = find_markers(pages[name], name)
        except MarkerError:
            continue
        for marker in markers:
            if "id" in marker.args:
                found.setdefault((marker.kind, marker.args["id"]), name)
    return found
