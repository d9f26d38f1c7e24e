"""The generated page of every model: `models/<id>.md` and `models/<id>.en.md`, one marker each.

The build adds them to its files in memory (hooks/main.py, on_files), as if they were in the content
folder, so adding a model to data/models.yaml is all it takes to get its page in both languages, and
nothing is written where `mkdocs serve` watches. This module says what the pages contain.
"""

from __future__ import annotations

import html
import posixpath

from .catalog import Catalog
from .templates import md_text

STUB_DIR = "models"
STUB_HEADER = "<!-- generated from data/models.yaml; do not edit -->\n"
# What every generated page carries, in this version and earlier ones (which wrote them into the
# content folder): a file there without it was written by hand (e.g. models/index.md) and is never
# replaced.
STUB_MARK = "<!-- generated from data/models.yaml"


def stub_pages(catalog: Catalog) -> dict[str, str]:
    """The generated Markdown files by path under the content folder."""
    pages = {}
    for model in catalog.models.values():
        for suffix in ("", ".en"):
            # the H1 comes first: MkDocs takes a page's title only from a leading H1; its id is the
            # model's, the same in both languages (as every heading's: the language switch keeps #anchor)
            pages[f"{STUB_DIR}/{model.id}{suffix}.md"] = (
                f"# {md_text(html.escape(model.name, quote=False))} {{ #{model.id} }}\n\n{STUB_HEADER}\n"
                f"<!-- atlas:model id={model.id} -->\n")
    return pages


def is_stub(text: str) -> bool:
    """True if a page's text was written from stub_pages (its first lines carry the mark)."""
    return STUB_MARK in text[:4096]


def walk_order(src_uri: str) -> tuple:
    """Sort key of a page in the order MkDocs lists the content folder (a folder's files before its
    subfolders, `index` first, then by name), so that pages added in memory take their usual place."""
    folder, name = posixpath.split(src_uri)
    return (*((1, part) for part in folder.split("/") if part), (0, posixpath.splitext(name)[0] != "index", name))
