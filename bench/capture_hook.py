"""Bench-only MkDocs hook: records what the atlas hooks produced for every page.

bench/run.py copies this file into a temporary copy of the project and registers it after
hooks/main.py. It runs after the atlas hooks (lowest priority) and writes, under the folder named
by $BENCH_CAPTURE_DIR:

- `markdown/<src_uri>`: the page Markdown after `on_page_markdown` (markers expanded), with the
  page's front matter (including `atlas_charts`) put back on top, so the file can be used as the
  page's source in a build without hooks;
- `content/<src_uri>.html`: the page HTML after `on_page_content` (glossary annotations added);
- `config.json`: the search plugin's `jieba_dict_user` (the hooks generate it in on_config).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority

OUT = Path(os.environ["BENCH_CAPTURE_DIR"])


def _write(relative: str, text: str) -> None:
    """Write a captured text under $BENCH_CAPTURE_DIR."""
    target = OUT / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


@event_priority(-1000)
def on_page_markdown(markdown, page, config, files, **kwargs):
    """Save the expanded Markdown with its front matter."""
    meta = dict(page.meta)
    front = f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=True)}---\n\n" if meta else ""
    _write(f"markdown/{page.file.src_uri}", front + markdown)
    return markdown


@event_priority(-1000)
def on_page_content(html, page, config, files, **kwargs):
    """Save the annotated HTML content."""
    _write(f"content/{page.file.src_uri}.html", html)
    return html


@event_priority(-1000)
def on_post_build(config, **kwargs):
    """Record the generated search dictionary (the last call, after both languages, wins)."""
    search = config.plugins.get("material/search")
    user_dict = search.config.get("jieba_dict_user") if search is not None else None
    _write("config.json", json.dumps({"jieba_dict_user": user_dict}))
