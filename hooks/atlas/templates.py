"""The Jinja environment for the HTML snippets under overrides/atlas/, and escaping for Markdown."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jinja2


class _ViewEnvironment(jinja2.Environment):
    """A Jinja environment for templates that read plain dicts (the renderers' views).

    `{{ row.cells }}` on a dict makes Jinja try the attribute first, which raises and catches an
    AttributeError before it reads the key; with tens of thousands of lookups per build that was
    a good part of the rendering time (make bench). Dict keys are looked up first here. The
    templates call no dict methods, and a key that shadowed one would be read as the key, which
    is what a template that names it means.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`obj.attribute` in a template: a dict's key directly, anything else as Jinja does."""
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def environment(folder: Path, bytecode_cache: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """An autoescaping Jinja environment for `folder`; every value from data is escaped when it lands in HTML.

    `bytecode_cache` keeps compiled templates between builds (compiling them was a fifth of the hooks'
    time in a build); it is keyed by each template's source, so an edited template is compiled again.
    """
    env = _ViewEnvironment(loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=bytecode_cache,
                           autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                           keep_trailing_newline=False,
                           auto_reload=False)  # templates do not change during a build
    env.filters["json_script"] = json_for_script
    env.filters["md_attr"] = md_attr
    env.filters["md_inline"] = md_inline
    env.filters["md_heading"] = md_text
    env.filters["tooltip"] = tooltip
    return env


# Inline marker output (fact, score, src) lands inside a Markdown paragraph, and Python-Markdown
# runs its inline patterns over it - code spans, links and images even over attribute values,
# before raw tags are set aside. So data text there could open a link (`[x](javascript:...)`),
# break out of an attribute or add emphasis. The characters those patterns need are written as
# character references: Markdown leaves them alone, HTML reads them as the characters.
_MD_ATTR = {ord(c): f"&#{ord(c)};" for c in "\\`[]\n\r"}
_MD_TEXT = {**_MD_ATTR, **{ord(c): f"&#{ord(c)};" for c in "*_{}"}}


def md_attr(value: Any) -> str:
    """HTML-escape an attribute value of inline output and encode what Markdown would match."""
    return jinja2.utils.markupsafe.Markup(str(jinja2.utils.markupsafe.escape(value)).translate(_MD_ATTR))


def md_inline(value: Any) -> str:
    """HTML-escape text of inline output and encode every character Markdown reads as syntax."""
    return jinja2.utils.markupsafe.Markup(str(jinja2.utils.markupsafe.escape(value)).translate(_MD_TEXT))


def tooltip(value: Any) -> str:
    """A title attribute's value that stays text when Material's tooltips insert it as HTML.

    Material's `content.tooltips` copies the decoded attribute into the page with innerHTML, so a
    `<` in the text would open a tag there. Written as `&amp;lt;`, the attribute holds the
    characters `&lt;`, which innerHTML shows as `<`. (A browser's own tooltip, without JavaScript,
    then shows `&lt;`: a fair price for data text that contains `<`, which is rare.)
    """
    return jinja2.utils.markupsafe.Markup(str(jinja2.utils.markupsafe.escape(value)).replace("&lt;", "&amp;lt;"))


def json_for_script(value: Any) -> str:
    """JSON that is safe inside <script type="application/json">: it cannot close the tag."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return jinja2.utils.markupsafe.Markup(text)


def render(env: jinja2.Environment, template: str, **values: Any) -> str:
    """Render a template into a single HTML block (no blank lines, so Markdown keeps it whole)."""
    html = env.get_template(template).render(**values)
    # split on "\n" only: str.splitlines() also splits on \x1c-\x1e, \x85 and U+2028 inside data
    # text, turning them into line breaks that Markdown would read (e.g. after a heading)
    return "\n".join(line for line in html.split("\n") if line.strip())


def md_text(text: str) -> str:
    """Escape what Markdown would read as formatting in a heading (HTML escaping is left to Jinja).

    Line breaks of every kind become spaces: a heading is one line, and text on the next line
    would be read as Markdown blocks (lists, headings, code).
    """
    one_line = " ".join(part.strip() for part in text.splitlines() if part.strip())  # \r, \x85, \u2028 ...
    return re.sub(r"([\\`*_\[\]{}#])", r"\\\1", one_line)
