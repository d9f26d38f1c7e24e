"""The generated page of every model: `models/<id>.md` and `models/<id>.en.md`, one marker each.

The stubs are written into the content folder at build time (and git-ignored), so adding a model
to data/models.yaml is all it takes to get its page in both languages. This module says what the
stubs contain; the workspace writes them.
"""

from __future__ import annotations

import html

from .catalog import Catalog
from .templates import md_text

STUB_DIR = "models"
STUB_HEADER = "<!-- generated from data/models.yaml; do not edit -->\n"
# What every generated page carries, in this version and earlier ones: a file without it was
# written by hand (e.g. models/index.md) and is never overwritten or deleted.
STUB_MARK = "<!-- generated from data/models.yaml"


def stub_pages(catalog: Catalog) -> dict[str, str]:
    """The generated Markdown files by path under the content folder."""
    pages = {}
    for model in catalog.models.values():
        for suffix in ("", ".en"):
            # the H1 comes first: MkDocs takes a page's title only from a leading H1
            pages[f"{STUB_DIR}/{model.id}{suffix}.md"] = (
                f"# {md_text(html.escape(model.name, quote=False))}\n\n{STUB_HEADER}\n"
                f"<!-- atlas:model id={model.id} -->\n")
    return pages


def is_stub_page(src_uri: str) -> bool:
    """True if a page source path (`models/<id>.md`, `models/<id>.en.md`) is a generated model page."""
    folder, _, name = src_uri.rpartition("/")
    return folder == STUB_DIR and name not in ("index.md", "index.en.md")


def is_stub(text: str) -> bool:
    """True if a page's text was written from stub_pages (its first lines carry the mark)."""
    return STUB_MARK in text[:4096]
