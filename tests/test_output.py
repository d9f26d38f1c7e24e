"""The build's output is whole or untouched: a build writes to a staging folder and replaces the
site folder only when it succeeds, never writing through what the old site folder holds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_build import copy_project, run_build

from atlas import workspace

pytestmark = pytest.mark.slow


def _old_site(project: Path, outside: Path) -> dict[str, bytes]:
    """A previous site in project/out: a page, and a folder that is a symbolic link to `outside`."""
    site = project / "out"
    (site / "moe").mkdir(parents=True)
    (site / "moe" / "index.html").write_text("the last good build", "utf-8")
    outside.mkdir()
    (outside / "keep.txt").write_text("not the site's", "utf-8")
    os.symlink(outside, site / "assets")
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_failed_build_leaves_the_last_site_whole(tmp_path: Path):
    """A bad marker in an English page fails the build after the Chinese pages were written; the
    site folder is exactly as before and no staging folder is left behind."""
    copy_project(tmp_path)
    before = _old_site(tmp_path, tmp_path / "elsewhere")
    page = tmp_path / "content" / "moe.en.md"
    page.write_text(page.read_text("utf-8") + "\n<!-- atlas:tabel dataset=models -->\n", "utf-8")
    result = run_build(tmp_path)
    assert result.returncode == 1 and "content/moe.en.md" in result.stderr and "atlas:tabel" in result.stderr
    after = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in sorted((tmp_path / "out").rglob("*"))
             if p.is_file()}
    assert after == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_a_good_build_replaces_the_site_and_writes_nothing_through_a_link(tmp_path: Path):
    """The new site replaces the old one as a whole; the folder a link in the old site pointed to
    is untouched."""
    copy_project(tmp_path)
    _old_site(tmp_path, tmp_path / "elsewhere")
    result = run_build(tmp_path, BUILD_ONLY_LOCALE="zh")
    assert result.returncode == 0, result.stderr[-2000:]
    site = tmp_path / "out"
    assert "the last good build" not in (site / "moe" / "index.html").read_text("utf-8")
    assert not (site / "assets").is_symlink() and (site / "assets" / "stylesheets").is_dir()
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == ["keep.txt"]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_publish_swaps_whole_folders(tmp_path: Path):
    """publish() replaces a folder by another; the staging folder is gone afterwards."""
    site, staging = tmp_path / "site", workspace.staging_for(tmp_path / "site")
    site.mkdir()
    (site / "old.html").write_text("old", "utf-8")
    (staging / "new.html").write_text("new", "utf-8")
    workspace.publish(staging, site)
    assert sorted(p.name for p in site.iterdir()) == ["new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
