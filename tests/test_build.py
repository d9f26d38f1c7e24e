"""End to end: the whole site builds with --strict, in both languages, with every data row shown."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from atlas import i18n, search_index
from atlas.context import sort_key

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"


def nav_pages() -> list[str]:
    """Source paths of all pages in the nav."""
    config = yaml.safe_load(re.sub(r"!ENV \[[^\]]*\]", "x", (ROOT / "mkdocs.yml").read_text("utf-8")))
    found: list[str] = []

    def walk(items):
        """Collect the nav's files, depth first."""
        for item in items:
            for value in item.values():
                walk(value) if isinstance(value, list) else found.append(value)
    walk(config["nav"])
    return found


def output_of(src: str, lang: str) -> str:
    """The built file for a source page in a language."""
    stem = src[: -len(".md")]
    rel = "index.html" if stem == "index" else (stem[: -len("index")] if stem.endswith("/index") else stem + "/") + "index.html"
    return (f"en/{rel}" if lang == "en" else rel).replace("//", "/")


def test_every_page_in_both_languages(built_site: Path):
    """Each nav page exists under / (Chinese) and /en/ (English) with the right lang attribute."""
    for src in nav_pages():
        for lang in ("zh", "en"):
            html = (built_site / output_of(src, lang)).read_text("utf-8")
            assert f'<html lang="{lang}"' in html, (src, lang)


def test_no_marker_survives(built_site: Path):
    """Every marker was expanded."""
    for page in built_site.rglob("*.html"):
        assert "<!-- atlas:" not in page.read_text("utf-8"), page


def test_404_in_both_languages(built_site: Path):
    """The root 404 is Chinese, /en/404.html English (static-i18n would leave the last language)."""
    assert '<html lang="zh"' in (built_site / "404.html").read_text("utf-8")
    assert '<html lang="en"' in (built_site / "en" / "404.html").read_text("utf-8")


def test_every_model_has_a_page(built_site: Path, catalog):
    """Every model of data/models.yaml has its own page in both languages, with a source link."""
    for model in catalog.models.values():
        for prefix in ("", "en/"):
            html = (built_site / f"{prefix}models/{model.id}/index.html").read_text("utf-8")
            assert model.name in html
            assert catalog.sources[model.source].url in html


def test_every_release_appears_on_the_timeline(built_site: Path, catalog):
    """Each release row is in the timeline table of both languages, with its source."""
    for prefix in ("", "en/"):
        html = (built_site / f"{prefix}timeline/index.html").read_text("utf-8")
        for release in catalog.releases:
            assert f'id="releases-{release.id}"' in html, release.id
            assert catalog.sources[release.source].url in html


def test_every_moe_model_in_the_moe_table(built_site: Path, catalog):
    """The MoE page lists every MoE configuration in the data."""
    for prefix in ("", "en/"):
        html = (built_site / f"{prefix}moe/index.html").read_text("utf-8")
        for model in catalog.models.values():
            if model.moe is not None and model.base_model is None:
                assert f'id="moe-{model.id}"' in html, model.id


def test_every_score_is_published(built_site: Path, catalog):
    """Every benchmark score appears as a row of its model's score table, with its value and source."""
    for model_id in catalog.models:
        scores = catalog.scores_of(model_id)
        page = (built_site / f"models/{model_id}/index.html").read_text("utf-8")
        if not scores:
            assert "atlas-model-scores" not in page, model_id
            continue
        table = page.split('class="atlas-table atlas-model-scores', 1)[1].split("</table>", 1)[0]
        body = table.split("<tbody>", 1)[1]
        assert body.count("<tr>") == len(scores), model_id
        for score in scores:
            assert f'<td class="atlas-num" data-sort="{sort_key(score.value)}">{i18n.fmt_score(score.value, "zh")}</td>' \
                in body, (model_id, score)
            assert html.escape(catalog.sources[score.source].url) in body, (model_id, score.source)


def test_every_glossary_term_and_source_listed(built_site: Path, catalog):
    """The glossary and sources pages list every entry in both languages."""
    for prefix in ("", "en/"):
        glossary = (built_site / f"{prefix}glossary/index.html").read_text("utf-8")
        sources = (built_site / f"{prefix}sources/index.html").read_text("utf-8")
        assert all(f'id="term-{term}"' in glossary for term in catalog.terms)
        assert all(f'id="source-{source}"' in sources for source in catalog.sources)


def test_every_glossary_definition_links_its_sources(built_site: Path, catalog):
    """Each term's definition on the glossary page is followed by a link to each of its sources."""
    for prefix in ("", "en/"):
        glossary = (built_site / f"{prefix}glossary/index.html").read_text("utf-8")
        for term in catalog.terms.values():
            block = glossary.split(f'id="term-{term.id}"', 1)[1].split("</dd>", 1)[0]
            for source_id in term.sources:
                assert f'href="{html.escape(catalog.sources[source_id].url)}"' in block, (prefix, term.id, source_id)


def copy_project(target: Path) -> None:
    """Copy what a build needs into `target` (caches excluded)."""
    for name in ("content", "data", "hooks", "overrides"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")


def run_build(cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` in a subprocess, as a user would run it."""
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(cwd / "out")],
                          cwd=cwd, capture_output=True, text=True, timeout=600, env={**os.environ, **env})


def test_bad_data_fails_the_build_without_traceback(tmp_path: Path):
    """`mkdocs build` on broken data exits 1 with file:line and no Python traceback."""
    copy_project(tmp_path)
    models = tmp_path / "data" / "models.yaml"
    text = models.read_text("utf-8")
    match = re.search(r"^(\s+)params_b: [0-9.]+$", text, re.M)
    line = text[: match.start()].count("\n") + 1
    models.write_text(text[: match.start()] + f"{match.group(1)}params_b: -7" + text[match.end():], "utf-8")
    result = run_build(tmp_path)
    assert result.returncode == 1
    assert f"data/models.yaml:{line}:" in result.stderr and "params_b: expected greater than 0, got -7" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_unknown_marker_fails_the_build_naming_page_and_line(tmp_path: Path):
    """A typo in a marker stops the build with the page and line."""
    copy_project(tmp_path)
    page = tmp_path / "content" / "moe.md"
    lines = page.read_text("utf-8").splitlines()
    lines.insert(2, "<!-- atlas:tabel dataset=models -->")
    page.write_text("\n".join(lines) + "\n", "utf-8")
    result = run_build(tmp_path, BUILD_ONLY_LOCALE="zh")
    assert result.returncode == 1
    assert "content/moe.md:3: unknown marker 'atlas:tabel'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_script_link_in_a_page_fails_the_build(tmp_path: Path):
    """A Markdown link to `javascript:` in a page stops the build naming the page, before any file
    of the build is written where a reader could load it."""
    copy_project(tmp_path)
    page = tmp_path / "content" / "moe.md"
    page.write_text(page.read_text("utf-8") + "\n[click](javascript:alert(1))\n", "utf-8")
    result = run_build(tmp_path, BUILD_ONLY_LOCALE="zh")
    assert result.returncode == 1
    assert "content/moe.md: links must be http(s), relative or anchors; found 'javascript:alert(1)'" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_duplicate_ids(built_site: Path):
    """Generated anchors are unique on every page (links and the link checker rely on it)."""
    for page in built_site.rglob("*.html"):
        ids = re.findall(r'\sid="([^"]+)"', page.read_text("utf-8"))
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        assert not duplicates, f"{page.relative_to(built_site)}: {duplicates[:5]}"


def test_every_correction_is_shown(built_site: Path, catalog):
    """Every correction of the seed article is visible on some page, in both languages."""
    for prefix in ("", "en/"):
        pages = " ".join(p.read_text("utf-8") for p in (built_site / prefix).glob("*/index.html"))
        missing = [c for c in catalog.corrections if f'id="correction-{c}"' not in pages]
        assert missing == [], prefix


def test_every_page_defers_its_scripts_and_loads_the_patched_main_script(built_site: Path):
    """No page's first paint waits for a script: every external script is deferred (plotly is fetched
    by charts.js), and Material's main script is our patched copy (search_index.BUNDLE_PATCHES)."""
    script = re.compile(r"<script\b[^>]*\bsrc=\"([^\"]+)\"[^>]*>")
    problems = []
    for page in sorted(built_site.rglob("*.html")):
        text = page.read_text("utf-8")
        tags = [(match[0], match[1]) for match in script.finditer(text)]
        if search_index.BUNDLE in text or not any(src.endswith(search_index.PATCHED_BUNDLE) for _, src in tags):
            problems.append(f"{page.relative_to(built_site)}: not the patched main script")
        problems += [f"{page.relative_to(built_site)}: {tag}" for tag, _ in tags
                     if not re.search(r"\s(defer|async)[\s>=]", tag)]
    assert not problems, "\n".join(problems[:20])
