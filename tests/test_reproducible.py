"""Reproducible builds: two builds of the same sources are identical, byte for byte.

The session's `built_site` (built in the pytest process) is compared with one more build made in a
fresh interpreter with a different PYTHONHASHSEED, so set or dict ordering that depends on string
hashing would show up as a difference. This is the suite's one second build of the real site; it is
marked `slow`, so `pytest -m "not slow"` skips it locally, while `make test` runs it.

Every file must be identical, with one documented exception that is MkDocs' behaviour, not ours:

- `sitemap.xml` and `sitemap.xml.gz` (and the per-language `en/sitemap.xml`, derived from it) carry
  the build *date*: every page's `<lastmod>` is the day of the build, and the gzip header's mtime
  is that day at midnight UTC (mkdocs.utils.get_build_timestamp). Two builds on the same day are
  identical; across midnight only those dates differ, so they are compared with the dates masked.
  Set SOURCE_DATE_EPOCH to pin the date (MkDocs honours it) for builds reproducible on any day.

Nothing else may differ: chart ids come from the data (no plotly uuids), JSON is written with
sorted keys, downloads carry only the data's own as-of date, and the search index keeps page order.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LASTMOD = re.compile(rb"<lastmod>\d{4}-\d{2}-\d{2}</lastmod>")
DATED = {"sitemap.xml", "sitemap.xml.gz"}


def _files(site: Path) -> dict[str, Path]:
    """Every file of a site by its path inside the site."""
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}


def _without_dates(name: str, data: bytes) -> bytes:
    """A sitemap with its build dates masked (gzip: the decompressed XML, header dropped)."""
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return LASTMOD.sub(b"<lastmod>DATE</lastmod>", data)


def differences(first: Path, second: Path) -> list[str]:
    """What differs between two built sites (dated sitemaps compared with their dates masked)."""
    a, b = _files(first), _files(second)
    found = [f"only in the first build: {name}" for name in sorted(a.keys() - b.keys())]
    found += [f"only in the second build: {name}" for name in sorted(b.keys() - a.keys())]
    for name in sorted(a.keys() & b.keys()):
        left, right = a[name].read_bytes(), b[name].read_bytes()
        if left == right:
            continue
        if Path(name).name in DATED and _without_dates(name, left) == _without_dates(name, right):
            continue
        found.append(f"differs: {name} ({len(left)} vs {len(right)} bytes)")
    return found


@pytest.mark.slow
def test_two_builds_are_identical(built_site, tmp_path):
    """A second build, in another interpreter with another hash seed, gives the same files."""
    second = tmp_path / "site"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks"), "NO_MKDOCS_2_WARNING": "1",
           "DISABLE_MKDOCS_2_WARNING": "true",
           "PYTHONHASHSEED": "1" if os.environ.get("PYTHONHASHSEED") == "0" else "0"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                           "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(second)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    assert (second / "index.html").is_file() and (second / "en" / "index.html").is_file()
    found = differences(built_site, second)
    assert not found, "the two builds differ:\n" + "\n".join(found[:40])


def test_differences_reports_changed_and_missing_files(tmp_path):
    """The comparison itself: a changed byte and a missing file are reported, sitemap dates are not."""
    first, second = tmp_path / "a", tmp_path / "b"
    for site, day, extra in ((first, b"2026-01-01", b"x"), (second, b"2026-01-02", b"y")):
        site.mkdir()
        xml = b"<urlset><url><loc>x</loc><lastmod>" + day + b"</lastmod></url></urlset>"
        (site / "sitemap.xml").write_bytes(xml)
        (site / "sitemap.xml.gz").write_bytes(gzip.compress(xml, mtime=int(day[-2:]) * 86400))
        (site / "page.html").write_bytes(b"<p>" + extra + b"</p>")
    (first / "only.txt").write_text("x")
    assert differences(first, second) == ["only in the first build: only.txt", "differs: page.html (8 vs 8 bytes)"]
