"""Data errors that point at a file, a line and a field."""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in the data or in a page, with its location."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        """Render as 'file:line: field: message', the format editors and CI understand."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


def nearest(value: str, known: Iterable[str]) -> str | None:
    """The known id most like `value` (a likely typo of it), or None when none is close."""
    found = difflib.get_close_matches(str(value).lower(), list(known), n=1, cutoff=0.6)
    return found[0] if found else None


def unknown(what: str, value: str, known: Iterable[str], hint: str = "") -> str:
    """The message for an id that names nothing: "unknown model 'x'; did you mean `y`?", with `hint`
    (what to do otherwise) after the guess, or alone when no known id is close."""
    guess = nearest(value, known)
    text = f"unknown {what} {value!r}"
    if guess is not None:
        return f"{text}; did you mean `{guess}`?" + (f" ({hint})" if hint else "")
    return f"{text}; {hint}" if hint else text


def count(number: int, noun: str) -> str:
    """'1 problem', '3 problems'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


class DataError(Exception):
    """Raised with every problem found; its message lists them one per line, then the checks that
    could not run (`skipped`), since a file that did not load leaves the checks that need it out."""

    def __init__(self, problems: list[Problem], skipped: Iterable[str] = ()):
        """Keep the problems sorted by file and line so the report reads top to bottom."""
        self.problems = sorted(set(problems))
        self.skipped = sorted(set(skipped))
        super().__init__(self.report())

    def report(self) -> str:
        """The human-readable list of problems, and of the checks that could not run."""
        head = f"{count(len(self.problems), 'problem')} in the data:"
        lines = [head, *(f"  {p}" for p in self.problems)]
        if self.skipped:
            lines.append("not checked (fix the problems above, then check again):")
            lines.extend(f"  {text}" for text in self.skipped)
        return "\n".join(lines)


def error_page(report: str) -> str:
    """The Markdown of a page that shows a failed build's problems in place of its content (make serve)."""
    return ("# 构建失败 · Build failed\n\n"
            "<p>修正下列问题并保存后，页面会自动刷新。Fix these problems and save: the page reloads by itself.</p>\n\n"
            f'<pre class="atlas-build-error">{html.escape(report)}</pre>\n')
