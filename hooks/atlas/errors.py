"""Data errors that point at a file, a line and a field."""

from __future__ import annotations

import html
from dataclasses import dataclass


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


class DataError(Exception):
    """Raised with every problem found; its message lists them one per line."""

    def __init__(self, problems: list[Problem]):
        """Keep the problems sorted by file and line so the report reads top to bottom."""
        self.problems = sorted(set(problems))
        super().__init__(self.report())

    def report(self) -> str:
        """The human-readable list of problems."""
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the data:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def error_page(report: str) -> str:
    """The Markdown of a page that shows a failed build's problems in place of its content (make serve)."""
    return ("# 构建失败 · Build failed\n\n"
            "<p>修正下列问题并保存后，页面会自动刷新。Fix these problems and save: the page reloads by itself.</p>\n\n"
            f'<pre class="atlas-build-error">{html.escape(report)}</pre>\n')
