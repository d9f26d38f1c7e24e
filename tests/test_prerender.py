"""The background worker (atlas/prerender.py): same results as in the build process, or none.

Pure tests with the real catalog and a few pages in a temporary folder. The whole-site check is
tests/test_reproducible.py: a `mkdocs build` with the worker gives the same bytes as the
in-process build without it.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from atlas import prerender, timing
from atlas.pages import annotate_page, expand_page

pytestmark = pytest.mark.skipif(not prerender.available(), reason="the worker needs fork (Linux)")

PAGES = {
    "moe.md": ("zh", "# 混合专家\n\n<!-- atlas:table dataset=moe -->\n\nMoE 与 GQA。\n"),
    "moe.en.md": ("en", "# MoE\n\n<!-- atlas:table dataset=moe -->\n\nMoE and GQA.\n"),
    "broken.md": ("zh", "# 坏\n\n<!-- atlas:nonsense -->\n"),
    "plain.en.md": ("en", "# Plain\n\nNo markers.\n"),
}


@pytest.fixture
def pages(tmp_path):
    """The test pages written to disk, as jobs."""
    jobs = []
    for name, (lang, text) in PAGES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        jobs.append(prerender.Job(name, str(tmp_path / name), lang))
    return jobs


def _read(path: str) -> str:
    """Read a page as the build would (no front matter here)."""
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def test_results_equal_the_build_process_own(catalog, pages):
    """Expanded pages and annotated HTML are exactly what the build process would make."""
    worker = prerender.Prerenderer(pages, catalog, _read, make_downloads=lambda c: sorted(c.models)[:3])
    try:
        for job in pages:
            markdown = PAGES[job.src_uri][1]
            got = worker.take(job.src_uri, markdown)
            if job.src_uri == "broken.md":
                assert got is None  # the build process expands it again and reports page:line
                continue
            assert got == expand_page(markdown, job.src_uri, job.lang, catalog)
        html = '<p>MoE 与 GQA，<a href="x">MoE</a></p><table><tr><td>GQA</td></tr></table>'
        worker.annotate_later("moe.md", "zh", html)
        worker.annotate_later("moe.en.md", "en", html)
        worker.close_requests()
        assert worker.annotated("moe.md", html) == annotate_page(html, "moe.md", "zh", catalog)
        assert "atlas-term" in worker.annotated("moe.en.md", html)
    finally:
        worker.close()
    assert worker.used == {"markers": 3, "annotations": 2}
    assert worker.downloads == sorted(catalog.models)[:3]
    assert {timing.EXPAND, timing.ANNOTATE} <= set(worker.worker_timing)
    assert not worker._process.is_alive()


def test_a_result_made_from_other_text_is_not_used(catalog, pages):
    """If another plugin changed the Markdown or the HTML, the worker's result is refused."""
    worker = prerender.Prerenderer(pages, catalog, _read)
    try:
        assert worker.take("moe.md", PAGES["moe.md"][1] + "\nchanged\n") is None
        assert worker.take("never-sent.md", "# x\n") is None
        worker.annotate_later("moe.md", "zh", "<p>MoE</p>")
        worker.close_requests()
        assert worker.annotated("moe.md", "<p>MoE, changed</p>") is None
        assert worker.annotated("not-asked.md", "<p>MoE</p>") is None
    finally:
        worker.close()
    assert worker.used == {"markers": 0, "annotations": 0}


def test_a_dead_worker_gives_no_results_and_no_hang(catalog, pages):
    """A worker killed mid-build: every later request answers None promptly."""
    slow = [*pages, *[prerender.Job(f"p{i}.md", pages[0].path, "zh") for i in range(200)]]
    worker = prerender.Prerenderer(slow, catalog, _read)
    os.kill(worker._process.pid, signal.SIGKILL)
    started = time.monotonic()
    assert worker.take("p199.md", PAGES["moe.md"][1]) is None
    worker.annotate_later("moe.md", "zh", "<p>MoE</p>")
    assert worker.annotated("moe.md", "<p>MoE</p>") is None
    worker.close()
    assert time.monotonic() - started < 10 * prerender.POLL_SECONDS


def test_kill_stops_a_busy_worker(catalog, pages):
    """A failed build does not wait for the worker."""
    many = [prerender.Job(f"p{i}.md", pages[0].path, "zh") for i in range(500)]
    worker = prerender.Prerenderer(many, catalog, _read)
    worker.kill()
    assert not worker._process.is_alive()
