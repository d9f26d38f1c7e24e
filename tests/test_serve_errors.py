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


def test_problems_show_on_the_pages_and_the_site_comes_back(tmp_path, monkeypatch):
    """A broken marker shows on its own page (page:line), other pages build as usual; bad data shows its
    file:line problem on every page; once fixed, the pages are normal again."""
    monkeypatch.setenv("BUILD_ONLY_LOCALE", "zh")  # one language is enough to see every state
    copy_project(tmp_path)
    site = tmp_path / "out"
    page = tmp_path / "content" / "moe.md"
    page_text = page.read_text(encoding="utf-8")
    page.write_text(page_text + "\n<!-- atlas:tabel dataset=models -->\n", encoding="utf-8")
    _serve_build(tmp_path, site)
    moe = (site / "moe" / "index.html").read_text(encoding="utf-8")
    assert "Build failed" in moe and "content/moe.md:" in moe and "atlas:tabel" in moe
    assert "Build failed" not in (site / "licenses" / "index.html").read_text(encoding="utf-8")

    page.write_text(page_text, encoding="utf-8")
    glossary = tmp_path / "data" / "glossary.yaml"
    good = glossary.read_text(encoding="utf-8")
    glossary.write_text(good + "  - id: [broken\n", encoding="utf-8")
    _serve_build(tmp_path, site)
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 20
    for built in pages:
        text = built.read_text(encoding="utf-8")
        assert "Build failed" in text and "data/glossary.yaml:" in text and "YAML syntax error" in text, built

    glossary.write_text(good, encoding="utf-8")
    _serve_build(tmp_path, site)
    assert "Build failed" not in (site / "moe" / "index.html").read_text(encoding="utf-8")
