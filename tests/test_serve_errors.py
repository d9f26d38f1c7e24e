"""Under `mkdocs serve`, a build that fails shows its problems on the pages instead of leaving every
request waiting (MkDocs' server holds requests until a build succeeds), and comes back by itself;
one save makes one rebuild."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
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


NEW_MODEL = """
  - id: qwen-serve-probe
    name: Qwen-Serve-Probe
    family: qwen3
    developer: {zh: 阿里巴巴 Qwen 团队, en: "Qwen Team, Alibaba"}
    variant: instruct
    released: "2025-04-29"
    params_b: 8.2
    license: apache-2.0
    weights: open
    source: qwen3-report
"""


def _free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(log: Path, text: str, count: int, timeout: float = 300) -> None:
    """Wait until `text` has appeared `count` times in the server's log."""
    deadline = time.monotonic() + timeout
    while log.read_text(encoding="utf-8").count(text) < count:
        assert time.monotonic() < deadline, f"no {count}x {text!r} in time:\n{log.read_text(encoding='utf-8')[-3000:]}"
        time.sleep(0.2)


def test_one_save_makes_one_rebuild(tmp_path):
    """`mkdocs serve --livereload` on a copy: saving a data file (a new model, whose page the build
    generates) and then a page each make exactly one rebuild, and the new model's page is served."""
    copy_project(tmp_path)
    port, log = _free_port(), tmp_path / "serve.log"
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "hooks"), "BUILD_ONLY_LOCALE": "zh",
           "SITE_URL": f"http://127.0.0.1:{port}/", "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    with open(log, "w", encoding="utf-8") as output:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=tmp_path, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_for(log, "Serving on", 1)
        saves = [(tmp_path / "data" / "models.yaml", NEW_MODEL), (tmp_path / "content" / "moe.md", "\nOne more line.\n")]
        for done, (path, addition) in enumerate(saves, start=1):
            path.write_text(path.read_text(encoding="utf-8") + addition, encoding="utf-8")
            _wait_for(log, "Reloading browsers", done)
            time.sleep(3)  # a change the build made itself would start the next build at once
            assert log.read_text(encoding="utf-8").count("Building documentation") == 1 + done, path.name
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/models/qwen-serve-probe/", timeout=60) as page:
            assert "Qwen-Serve-Probe" in page.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert sorted(path.name for path in (tmp_path / "content" / "models").iterdir()) == ["index.en.md", "index.md"]
