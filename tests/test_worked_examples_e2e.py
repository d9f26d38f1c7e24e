"""The worked examples of CONTRIBUTING.md, performed: one per kind of addition (a source, a model,
a release, a benchmark, a score, a glossary term, and the changelog entry that says so).

Each example is a fenced block titled with the file and the list it goes in, e.g.
```yaml title="data/models.yaml: models"```. The repository is copied once, every example is added
to its list exactly as the guide shows it, `make check` must then name no missing step, and one
`mkdocs build --strict` (both languages) must show each addition where the guide says it appears.
The blocks are read from the guide, so the guide and this test cannot drift apart.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import made_once, read_catalog

from atlas import completeness, workspace
from atlas.markers import find_markers

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "CONTRIBUTING.md"
EXAMPLE = re.compile(r'^```yaml title="data/([a-z]+)\.yaml: ([a-z_]+)"\n(.*?)^```$', re.M | re.S)
WARNING = re.compile(r"^warning: (.*)$", re.M)

MODEL_ID, MODEL_NAME = "qwen2.5-coder-7b-instruct", "Qwen2.5-Coder-7B-Instruct"
CARD_URL = "https://huggingface.co/Qwen/Qwen2.5-Coder-7B-Instruct"
PAPER_URL = "https://arxiv.org/abs/2406.15877"


def examples(text: str | None = None) -> list[tuple[str, str, str]]:
    """(file stem, list key, entry text) of every titled example block of the guide, in order."""
    return EXAMPLE.findall(GUIDE.read_text(encoding="utf-8") if text is None else text)


def add_entry(path: Path, key: str, entry: str) -> None:
    """Add `entry` at the end of the top-level list `key` of a data file, as an editor would."""
    text = path.read_text(encoding="utf-8")
    start = re.search(rf"^{key}:[ \t]*\n", text, re.M)
    assert start, f"{path.name} has no top-level {key}: list"
    following = re.compile(r"^\S", re.M).search(text, start.end())
    end = following.start() if following else len(text)
    body = text[:end].rstrip("\n") + "\n"
    path.write_text(body + entry + ("\n" + text[end:] if following else ""), encoding="utf-8")


def test_every_kind_of_addition_has_one_example_and_the_site_pages_show_the_same():
    """A source, a model, a release, a benchmark, a score, a term and a changelog entry; the Contributing
    pages of the site (both languages) carry the same blocks as CONTRIBUTING.md."""
    found = examples()
    kinds = {(stem, key) for stem, key, _ in found}
    assert kinds == {("sources", "sources"), ("models", "models"), ("changelog", "changes"),
                     ("releases", "releases"), ("benchmarks", "benchmarks"), ("benchmarks", "scores"),
                     ("glossary", "terms")}
    assert sum(1 for stem, _, _ in found if stem == "models") == 1
    for page in ("contributing.md", "contributing.en.md"):
        assert examples((ROOT / "content" / page).read_text(encoding="utf-8")) == found, page


def _copy_with_examples(repo: Path, leave_out: tuple[str, ...] = ()) -> None:
    """The project copied to `repo`, every example of the guide added (but those of `leave_out` lists)."""
    for name in ("content", "data", "hooks", "overrides"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    for stem, key, entry in examples():
        if key not in leave_out:
            add_entry(repo / "data" / f"{stem}.yaml", key, entry)


def _run(repo: Path, *command: str) -> subprocess.CompletedProcess:
    """A command in the copy, in a fresh interpreter that imports the copy's hooks (as an editor runs it)."""
    env = {**os.environ, "PYTHONPATH": str(repo / "hooks"), "NO_MKDOCS_2_WARNING": "1",
           "DISABLE_MKDOCS_2_WARNING": "true"}
    env.pop("BUILD_ONLY_LOCALE", None)
    return subprocess.run([sys.executable, *command], cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def _add_check_build(repo: Path) -> None:
    """Copy, add every example, run `make check` (its output kept in check.txt), build with --strict."""
    _copy_with_examples(repo)
    checked = _run(repo, "-m", "atlas.workspace", "check")
    (repo / "check.txt").write_text(checked.stdout + checked.stderr, encoding="utf-8")
    assert checked.returncode == 0, checked.stderr[-4000:]
    built = _run(repo, "-m", "mkdocs", "build", "--strict", "--site-dir", str(repo / "site"))
    assert built.returncode == 0, built.stderr[-4000:]


@pytest.fixture(scope="module")
def repo(tmp_path_factory, request) -> Path:
    """The copy with every example added, checked and built once for the whole run."""
    return made_once(request, tmp_path_factory, "worked-examples", _add_check_build)


def _page(repo: Path, lang: str, path: str) -> str:
    """The built HTML of a page (path below the language root, e.g. 'benchmarks/')."""
    return (repo / "site" / ("" if lang == "zh" else "en/") / path / "index.html").read_text(encoding="utf-8")


def test_the_examples_complete_every_step(repo):
    """With every example added, `make check` passes and names no step still missing."""
    output = (repo / "check.txt").read_text(encoding="utf-8")
    assert "data OK" in output and not WARNING.findall(output), output
    assert not (ROOT / "content" / "models" / f"{MODEL_ID}.md").exists()  # the real repo is untouched


def test_check_names_the_steps_left_out(tmp_path):
    """Without its changelog entry, and with its family's review older than its newest model, the check
    names both steps, in the words the guide shows (line numbers aside)."""
    _copy_with_examples(tmp_path, leave_out=("changes",))
    models = tmp_path / "data" / "models.yaml"
    text = models.read_text(encoding="utf-8")
    family = re.search(r"^  - id: qwen2\.5-coder\n(?:    .*\n)*?    reviewed: \"[0-9-]+\"", text, re.M)
    models.write_text(text[:family.start()] + re.sub(r'reviewed: "[0-9-]+"', 'reviewed: "2024-10-01"', family.group())
                      + text[family.end():], encoding="utf-8")
    found = [str(problem) for problem in completeness.missing_steps(read_catalog(tmp_path / "data", today=workspace.today()))]
    documented = WARNING.findall(GUIDE.read_text(encoding="utf-8"))
    assert len(documented) == 2

    def shape(line: str) -> str:
        """A warning without its line number and list position, which move as the data grows."""
        return re.sub(r"\[\d+\]", "[n]", re.sub(r"\.yaml:\d+:", ".yaml:n:", line))

    assert sorted(map(shape, found)) == sorted(map(shape, documented))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_model_has_its_page_and_is_listed(repo, lang):
    """Its page, titled with its name and citing its model card; the model index lists it."""
    page = _page(repo, lang, f"models/{MODEL_ID}")
    assert re.search(rf"<h1[^>]*>{re.escape(MODEL_NAME)}<", page) and f'href="{CARD_URL}"' in page
    assert 'id="specs"' in page and "atlas:model" not in page
    assert ("76.1 亿" if lang == "zh" else "7.61B") in page
    index = _page(repo, lang, "models")
    assert f'id="models-{MODEL_ID}"' in index and f'href="{MODEL_ID}/"' in index


# What the new model is, in the terms of table filters (`filter=family:...,weights:open`).
FILTER_VALUES = {"family": "qwen2.5-coder", "variant": "coder", "weights": "open", "license": "apache-2.0",
                 "qwen": "yes", "moe": "no", "model": MODEL_ID}


def _selects_the_model(filter_text: str) -> bool:
    """Whether a models-table filter selects the new model (no filter selects every model)."""
    for part in filter(None, (p.strip() for p in filter_text.split(","))):
        name, _, values = part.partition(":")
        if FILTER_VALUES.get(name) not in values.split("|"):
            return False
    return True


def test_the_model_is_in_every_models_table_that_selects_it(repo):
    """Every models table whose filter selects it lists it (both languages)."""
    checked = 0
    for path in sorted((ROOT / "content").glob("*.md")):
        markers = find_markers(path.read_text(encoding="utf-8"), path.name)
        if not any(m.kind == "table" and m.args.get("dataset") == "models" and _selects_the_model(m.args.get("filter", ""))
                   for m in markers):
            continue
        stem = path.name.removesuffix(".en.md").removesuffix(".md")
        lang = "en" if path.name.endswith(".en.md") else "zh"
        assert f'id="models-{MODEL_ID}"' in _page(repo, lang, "" if stem == "index" else stem), path.name
        checked += 1
    assert checked >= 2  # e.g. the open-weight licence table, in both languages


def test_the_downloads_carry_the_model_and_its_sources(repo):
    """models.json, models.csv and sources.json carry the new model and both new sources."""
    data = repo / "site" / "data"
    items = {item["id"]: item for item in json.loads((data / "models.json").read_text(encoding="utf-8"))["items"]}
    assert items[MODEL_ID]["params_b"] == 7.61 and items[MODEL_ID]["source"] == "hf-qwen2.5-coder-7b-instruct"
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO((data / "models.csv").read_text(encoding="utf-8")))}
    assert rows[MODEL_ID]["name"] == MODEL_NAME and rows[MODEL_ID]["context_tokens"] == "131072"
    urls = {source["url"] for source in json.loads((data / "sources.json").read_text(encoding="utf-8"))["items"]}
    assert {CARD_URL, PAPER_URL} <= urls


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_score_and_the_benchmark_are_on_the_benchmarks_page_and_the_model_page(repo, lang):
    """The new score appears under its benchmark in the list of all benchmarks and on the model's page;
    the new benchmark is listed with its description and link, though it has no score yet."""
    page = _page(repo, lang, "benchmarks")
    row = re.search(rf'<tr id="scores-all-{re.escape(MODEL_ID)}-humaneval-instruct"[^>]*>(.*?)</tr>', page, re.S)
    assert row and ">88.4<" in row.group(1) and f"models/{MODEL_ID}/" in row.group(1)
    listed = page[page.index('id="benchmark-bigcodebench"'):]
    assert ("139 个库" if lang == "zh" else "139 libraries") in listed[:2000]
    assert 'href="https://github.com/bigcode-project/bigcodebench"' in listed[:2000]
    assert ">88.4<" in _page(repo, lang, f"models/{MODEL_ID}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_term_is_on_the_glossary_and_annotated_where_mentioned(repo, lang):
    """The new term is on the glossary page, citing its new source, and the page that already mentions
    it (the benchmarks page) now links the mention to its definition."""
    glossary = _page(repo, lang, "glossary")
    entry = glossary[glossary.index('id="term-bigcodebench"'):]
    assert f'href="{PAPER_URL}"' in entry[:3000]
    assert "glossary/#term-bigcodebench" in _page(repo, lang, "benchmarks")
    assert f'href="{PAPER_URL}"' in _page(repo, lang, "sources")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_release_and_the_changelog_entry_are_shown(repo, lang):
    """The release is on the timeline and in the feed; the changelog entry is on the changelog page."""
    title = "Qwen2.5-Coder 技术报告发布" if lang == "zh" else "Qwen2.5-Coder technical report published"
    assert title in _page(repo, lang, "timeline")
    feed = repo / "site" / ("feed.xml" if lang == "zh" else "en/feed.xml")
    assert title in feed.read_text(encoding="utf-8")
    change = "新增 Qwen2.5-Coder-7B-Instruct" if lang == "zh" else "Qwen2.5-Coder-7B-Instruct added"
    changelog = _page(repo, lang, "changelog")
    assert change in changelog and f'href="../models/{MODEL_ID}/"' in changelog
