"""Data from a stranger can never run script in a reader's browser.

A copy of the project gets one payload in every kind of display string (names, definitions,
aliases, source fields, notes, locators, chart texts, interface strings), is built with --strict,
and its pages are loaded in Chromium: every element with a tooltip is hovered and focused (Material
inserts tooltips as HTML), and no script may run and no `javascript:` link may exist. Slow (a whole
build) and a browser test.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from browser_fixtures import CHROMIUM_ARGS, _chromium
from conftest import made_once

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
# Each part attacks a different place: the page <title> (Material decodes entities there), HTML
# inserted from a title attribute (Material's tooltips), and Markdown's inline links.
PAYLOAD = ('Q</title><script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
           '[x](javascript:window.__pwned=1)')
UNSAFE_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*(?:javascript|data|vbscript):""", re.I)


def _poison(text: dict | str) -> dict | str:
    """A {zh, en} text (or a plain string) with the payload appended."""
    if isinstance(text, dict):
        return {lang: f"{value} {PAYLOAD}" for lang, value in text.items()}
    return f"{text} {PAYLOAD}"


def _edit(path: Path, change) -> None:
    """Load a data file, change it in place, write it back (comments are lost: this is a copy)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _poison_data(data_dir: Path) -> dict[str, str]:
    """Put the payload in every kind of display string; the ids of what was poisoned."""
    chosen: dict[str, str] = {}

    def models(data):
        """A model's name, notes and architecture; a family's name and description."""
        model = next(m for m in data["models"] if m.get("notes") and m.get("base_model") is None)
        chosen["model"] = model["id"]
        model["name"] = _poison(model["name"])
        model["notes"] = _poison(model["notes"])
        model["architecture"] = _poison(model.get("architecture") or {"zh": "架构", "en": "architecture"})
        family = next(f for f in data["families"] if f["id"] == model["family"])
        family["name"], family["description"] = _poison(family["name"]), _poison(family["description"])

    def glossary(data):
        """Every term's name, aliases and definition."""
        for term in data["terms"]:
            term["term"], term["definition"] = _poison(term["term"]), _poison(term["definition"])
            aliases = term.setdefault("aliases", {"zh": [], "en": []})
            for lang in ("zh", "en"):
                aliases[lang] = [*aliases.get(lang, []), f"{PAYLOAD} {term['id']} {lang}"]

    def sources(data):
        """Every source's title and publisher."""
        for source in data["sources"]:
            source["title"], source["publisher"] = _poison(source["title"]), _poison(source["publisher"])

    def benchmarks(data):
        """Benchmark names and descriptions, score locators and setting notes."""
        for bench in data["benchmarks"]:
            bench["name"], bench["description"] = _poison(bench["name"]), _poison(bench["description"])
        for score in data["scores"]:
            score["locator"] = _poison(score.get("locator") or "Table")
            score["setting"]["note"] = _poison({"zh": "注", "en": "note"})

    def texts(key, fields):
        """Every entry of a list: these {zh, en} fields poisoned."""
        def change(data):
            """Poison the fields of every entry."""
            for item in data[key]:
                for name in fields:
                    item[name] = _poison(item[name])
        return change

    def ui(data):
        """Every interface string, placeholders kept."""
        data["strings"] = {key: _poison(value) for key, value in data["strings"].items()}

    for stem, change in (("models", models), ("glossary", glossary), ("sources", sources),
                         ("benchmarks", benchmarks), ("releases", texts("releases", ("title", "summary"))),
                         ("corrections", texts("corrections", ("claim", "verified"))),
                         ("charts", texts("charts", ("title", "caption", "alt"))),
                         ("licenses", texts("licenses", ("name", "summary"))), ("ui", ui)):
        _edit(data_dir / f"{stem}.yaml", change)
    return chosen


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, request) -> tuple[Path, dict[str, str]]:
    """The project, poisoned and built with --strict in a fresh interpreter (once per test run)."""
    def make(project: Path) -> None:
        """Copy, poison and build the project in `project`; note what was poisoned."""
        for part in ("mkdocs.yml", "content", "data", "hooks", "overrides"):
            copy = shutil.copytree if (ROOT / part).is_dir() else shutil.copy
            copy(ROOT / part, project / part)
        shutil.rmtree(project / "content" / "models", ignore_errors=True)
        shutil.copytree(ROOT / "content" / "models", project / "content" / "models",
                        ignore=lambda folder, names: [n for n in names if n not in ("index.md", "index.en.md")])
        (project / "chosen.json").write_text(json.dumps(_poison_data(project / "data")), encoding="utf-8")
        env = {**os.environ, "SITE_URL": "http://127.0.0.1/", "PYTHONPATH": str(project / "hooks")}
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(project / "site")],
                                cwd=project, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"the poisoned data must still build:\n{result.stderr[-3000:]}"

    project = made_once(request, tmp_path_factory, "hostile-site", make)
    return project / "site", json.loads((project / "chosen.json").read_text(encoding="utf-8"))


def test_no_page_links_to_script(hostile_site):
    """No built page has a javascript:, data: or vbscript: URL in a link, image or form."""
    site, _ = hostile_site
    found = [f"{page.relative_to(site)}: {match.group(0)}" for page in sorted(site.rglob("*.html"))
             for match in UNSAFE_URL.finditer(page.read_text(encoding="utf-8"))]
    assert not found, "\n".join(found[:20])


def _pages(site: Path, model: str) -> list[str]:
    """One page of every kind that shows poisoned text, the languages taking turns (the templates and
    the payload are the same in both)."""
    # source titles and licence names are on every page and in every table; interface strings too
    kinds = [f"models/{model}/", "models/", "glossary/", "timeline/", "benchmarks/", "architecture/", "data/", "moe/"]
    pages = [kind if index % 2 == 0 else f"en/{kind}" for index, kind in enumerate(kinds)]
    missing = [path for path in pages if not (site / path / "index.html").is_file()]
    assert not missing, f"pages not built: {missing}"
    return pages


def test_no_script_runs_on_load_hover_or_focus(hostile_site):
    """Loading each kind of page and hovering and focusing every element with a tooltip runs no script."""
    site, chosen = hostile_site
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    from playwright.sync_api import sync_playwright

    ran: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=_chromium(), headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.on("dialog", lambda dialog: (ran.append(f"dialog {dialog.message}"), dialog.dismiss()))
            for path in _pages(site, chosen["model"]):
                page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{path}", wait_until="load")
                hovered = page.evaluate("""() => {
                    // every kind of element with a tooltip (tag and class), a few of each
                    const seen = new Map();
                    const targets = [...document.querySelectorAll('[title], .atlas-term')].filter(el => {
                        const kind = el.tagName + '.' + el.className;
                        seen.set(kind, (seen.get(kind) || 0) + 1);
                        return seen.get(kind) <= 3;
                    });
                    for (const el of targets) {
                        for (const type of ['mouseenter', 'mouseover', 'focus', 'focusin'])
                            el.dispatchEvent(new Event(type, {bubbles: type !== 'mouseenter'}));
                    }
                    return targets.length;
                }""")
                terms = page.locator("a.atlas-term")
                for index in range(min(terms.count(), 1)):  # a real pointer hover too
                    terms.nth(index).hover()
                page.wait_for_timeout(300)  # tooltips appear after a short delay
                state = page.evaluate("""() => ({
                    pwned: window.__pwned || 0,
                    links: [...document.querySelectorAll('[href], [src], [action]')]
                        .map(el => el.getAttribute('href') || el.getAttribute('src') || el.getAttribute('action'))
                        .filter(url => /^\\s*(javascript|data|vbscript):/i.test(url)),
                    title: document.title,
                })""")
                if state["pwned"] or state["links"]:
                    ran.append(f"/{path}: script ran={state['pwned']} links={state['links'][:3]} "
                               f"(hovered {hovered} elements)")
                assert "<script" not in state["title"] or PAYLOAD[:1] in state["title"]
            browser.close()
    finally:
        httpd.shutdown()
    assert not ran, "\n".join(ran)
