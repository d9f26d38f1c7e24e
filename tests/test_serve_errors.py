"""Under `mkdocs serve`, a build that fails shows its problems on the pages instead of leaving every
request waiting (MkDocs' server holds requests until a build succeeds), and comes back by itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_build import copy_project

pytestmark = pytest.mark.slow


def _serve_build(project: Path, site: Path) -> None:
    """Build `project` into `site` in this process, started as `mkdocs serve` starts its builds."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)


def test_broken_data_shows_its_problems_on_every_page_then_the_site_comes_back(tmp_path, monkeypatch):
    """Bad data: every page of both languages shows the file:line problem; fixed: normal pages again."""
    monkeypatch.setenv("BUILD_ONLY_LOCALE", "zh")  # one language is enough to see both states
    copy_project(tmp_path)
    glossary = tmp_path / "data" / "glossary.yaml"
    good = glossary.read_text(encoding="utf-8")
    glossary.write_text(good + "  - id: [broken\n", encoding="utf-8")
    site = tmp_path / "out"
    _serve_build(tmp_path, site)
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "Build failed" in text and "data/glossary.yaml:" in text and "YAML syntax error" in text, page
    glossary.write_text(good, encoding="utf-8")
    _serve_build(tmp_path, site)
    assert "Build failed" not in (site / "moe" / "index.html").read_text(encoding="utf-8")


def test_a_broken_marker_shows_on_its_page_only(tmp_path, monkeypatch):
    """A marker error shows on the page that has it, with page and line; other pages build as usual."""
    monkeypatch.setenv("BUILD_ONLY_LOCALE", "zh")
    copy_project(tmp_path)
    page = tmp_path / "content" / "moe.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<!-- atlas:tabel dataset=models -->\n", encoding="utf-8")
    site = tmp_path / "out"
    _serve_build(tmp_path, site)
    moe = (site / "moe" / "index.html").read_text(encoding="utf-8")
    assert "Build failed" in moe and "content/moe.md:" in moe and "atlas:tabel" in moe
    assert "Build failed" not in (site / "licenses" / "index.html").read_text(encoding="utf-8")
