"""The marker syntax: expansion, code blocks, and errors that name the page and line."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas.markers import MarkerError, expand, find_markers, parse_args, require, shown_on

BLOCK = {"table": lambda m: f"<div>{m.args.get('dataset')}</div>"}
INLINE = {"fact": lambda m: f"[{m.args['model']}]"}


def test_block_and_inline_expansion():
    """Blocks become their own Markdown block; inline markers are replaced inside the sentence."""
    md = "Intro <!-- atlas:fact model=qwq-32b --> text.\n<!-- atlas:table dataset=models -->\nEnd\n"
    out = expand(md, "p.md", BLOCK, INLINE)
    assert "Intro [qwq-32b] text." in out
    assert "\n\n<div>models</div>\n\n" in out


def test_quoted_arguments():
    """Values with spaces can be quoted."""
    [marker] = find_markers('<!-- atlas:table dataset=models caption="two words" -->', "p.md")
    assert marker.args == {"dataset": "models", "caption": "two words"}


def test_markers_in_code_fences_are_left_alone():
    """Documentation can show markers inside fenced code."""
    md = "```md\n<!-- atlas:nonsense -->\n```\n~~~~\n<!-- atlas:table x=1 -->\n~~~~\n"
    assert expand(md, "p.md", BLOCK, INLINE) == md


def test_markers_in_inline_code_are_left_alone():
    """`<!-- atlas:... -->` inside backticks is documentation, not a marker."""
    md = "Write `<!-- atlas:fact model=x field=params -->` like this, or <!-- atlas:fact model=y -->.\n"
    assert expand(md, "p.md", BLOCK, INLINE) == md.replace("<!-- atlas:fact model=y -->", "[y]")
    assert [m.args["model"] for m in find_markers(md, "p.md")] == ["y"]


def test_unknown_marker_names_page_and_line():
    """An unknown kind stops the build with page:line and the known kinds."""
    with pytest.raises(MarkerError, match=r"^guide\.md:3: unknown marker 'atlas:tabel'; did you mean `atlas:table`\? \(expected one of: fact, table\)"):
        expand("a\n\n<!-- atlas:tabel dataset=models -->\n", "guide.md", BLOCK, INLINE)


def test_block_marker_must_stand_alone():
    """A block marker inside a sentence is an error."""
    with pytest.raises(MarkerError, match=r"p\.md:1: block marker 'atlas:table' must stand alone"):
        expand("see <!-- atlas:table dataset=models -->", "p.md", BLOCK, INLINE)


def test_malformed_arguments():
    """Bare words, repeated keys and unbalanced quotes are errors with the line."""
    for text, message in [("<!-- atlas:table models -->", "expected key=value"),
                          ("<!-- atlas:table a=1 a=2 -->", "given twice"),
                          ('<!-- atlas:table a="x -->', "cannot read marker arguments")]:
        with pytest.raises(MarkerError, match=rf"p\.md:2: .*{message}"):
            expand("x\n" + text + "\n", "p.md", BLOCK, INLINE)


def test_handler_errors_carry_location():
    """A handler's ValueError becomes a MarkerError naming page, line and marker kind."""
    def broken(marker):
        """A handler that rejects its marker."""
        raise ValueError("unknown column 'sizes'")
    with pytest.raises(MarkerError, match=r"^p\.md:1: atlas:table: unknown column 'sizes'$"):
        expand("<!-- atlas:table dataset=models -->", "p.md", {"table": broken}, {})


def test_require_rejects_unknown_and_missing_arguments():
    """Argument names are checked."""
    [marker] = find_markers("<!-- atlas:table dataset=models colums=a -->", "p.md")
    with pytest.raises(ValueError, match="unknown argument"):
        require(marker, {"dataset", "columns"})
    with pytest.raises(ValueError, match="missing argument"):
        require(marker, {"dataset", "colums", "id"}, {"id"})


def test_shown_on_names_the_first_page_by_name():
    """Each (kind, id) is shown on the first page by name that holds it; unreadable pages and markers
    without an id are skipped."""
    pages = {
        "b.md": "<!-- atlas:chart id=moe-params -->\n<!-- atlas:correction id=c1 -->\n",
        "a.md": "Text.\n\n<!-- atlas:chart id=moe-params -->\n<!-- atlas:glossary -->\n",
        "broken.md": "<!-- atlas:chart id=other -->\n<!-- atlas:table a=1 a=2 -->\n",
        "code.md": "```\n<!-- atlas:chart id=in-code -->\n```\n",
    }
    assert shown_on(pages) == {("chart", "moe-params"): "a.md", ("correction", "c1"): "b.md"}


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\r\n\u3000\x0b\x0cab=\"'\\#é")), max_size=20))
def test_arguments_split_exactly_as_shlex_would(text):
    """The fast path for unquoted arguments splits words exactly as shlex does (odd whitespace too)."""
    try:
        words = shlex.split(text)
    except ValueError:
        with pytest.raises(MarkerError, match="cannot read marker arguments"):
            parse_args(text, "p.md", 1)
        return
    pairs = [word.partition("=") for word in words]
    keys = [key for key, _, _ in pairs]
    if all(sep and key for key, sep, _ in pairs) and len(set(keys)) == len(keys):
        assert parse_args(text, "p.md", 1) == {key: value for key, _, value in pairs}
    else:
        with pytest.raises(MarkerError):
            parse_args(text, "p.md", 1)


HANDLERS = ({"table": lambda marker: "<table></table>"}, {"fact": lambda marker: "42"})


@pytest.mark.parametrize("markdown, line, message", [
    ("x\n\n<!-- altas:table dataset=models -->\n", 3, "did you mean '<!-- atlas:'"),
    ("<!-- ATLAS:table dataset=models -->\n", 1, "did you mean '<!-- atlas:'"),
    ("<!-- Atlas:fact model=x field=params -->\n", 1, "did you mean '<!-- atlas:'"),
    ("<!--atlass:table -->\n", 1, "did you mean '<!-- atlas:'"),
    ("a\n\n<!-- atlas:table dataset=models\n", 3, "must end on its own line with '-->'"),
    ("a\n\n<!--\natlas:table dataset=models -->\n", 3, "must be written on one line"),
])
def test_near_misses_stop_the_build_at_page_and_line(markdown, line, message):
    """A comment meant as a marker but spelled or written so that it would be ignored is an error."""
    with pytest.raises(MarkerError) as error:
        expand(markdown, "p.md", *HANDLERS)
    assert str(error.value).startswith(f"p.md:{line}: ") and message in str(error.value)


@pytest.mark.parametrize("markdown", [
    "<!-- note: not a marker -->\n", "<!-- TODO: later -->\n", "`<!-- altas:table -->` in code\n",
    "```\n<!-- ATLAS:table\n```\n", "text\n\n    <!-- altas:table\n",
])
def test_ordinary_comments_and_code_are_left_alone(markdown):
    """Other comments, and anything shown as code, are not mistaken for near-miss markers."""
    assert expand(markdown, "p.md", *HANDLERS) == markdown


def test_a_marker_in_an_indented_code_block_stays_literal():
    """Four spaces after a blank line make code: the marker is shown, not expanded."""
    markdown = "Write:\n\n    <!-- atlas:table dataset=models -->\n\nDone.\n"
    assert expand(markdown, "p.md", *HANDLERS) == markdown
    assert find_markers(markdown, "p.md") == []


def test_a_marker_inside_an_admonition_is_expanded_and_stays_inside():
    """In an admonition's indented body a block marker is live, and its output keeps the indent."""
    markdown = "!!! note\n\n    See the table:\n\n    <!-- atlas:table dataset=models -->\n\nAfter.\n"
    out = expand(markdown, "p.md", *HANDLERS)
    assert "\n    <table></table>\n" in out and "atlas:" not in out
    assert [m.kind for m in find_markers(markdown, "p.md")] == ["table"]


def test_a_marker_in_a_list_item_is_expanded():
    """An inline marker in a list item's continuation is live."""
    markdown = "- item\n\n    <!-- atlas:fact model=x field=params --> tokens\n"
    assert "42 tokens" in expand(markdown, "p.md", *HANDLERS)
