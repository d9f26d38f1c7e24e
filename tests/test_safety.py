"""The last check on page HTML: only http(s), mailto, relative and anchor URLs pass."""

from __future__ import annotations

import pytest

from atlas.safety import unsafe_urls


@pytest.mark.parametrize("html", [
    '<a href="javascript:alert(1)">x</a>', "<a href='JavaScript:alert(1)'>x</a>", '<a href=javascript:x>x</a>',
    '<a href="java\tscript:alert(1)">x</a>', '<a href="&#106;avascript:alert(1)">x</a>',
    '<img src="data:text/html,x">', '<form action="vbscript:x">', '<a href=" javascript:x">x</a>',
])
def test_script_urls_are_found(html):
    """Script-running schemes are found however they are written (case, entities, whitespace)."""
    assert unsafe_urls(html)


@pytest.mark.parametrize("html", [
    '<a href="https://arxiv.org/abs/1">x</a>', '<a href="../models/">x</a>', '<a href="#x">x</a>',
    '<a href="mailto:a@b.c">x</a>', '<img src="../assets/x.png">', '<p>javascript: is text here</p>',
    '<a title="href=javascript:x" href="/x">x</a>',
])
def test_ordinary_urls_pass(html):
    """Web, relative, anchor and mail links pass; text that only mentions a scheme is not a URL."""
    assert unsafe_urls(html) == []
