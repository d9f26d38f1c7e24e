"""An editor adds ONE model and its source to the YAML; the strict build does everything else.

The repository is copied to a temporary folder, one model and one source are appended, and the copy
is built once for the whole module with `mkdocs build --strict` in a fresh interpreter (the hooks
read the data next to the `atlas` package they import, so the copy builds from its own data).
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

from atlas import workspace

ROOT = Path(__file__).resolve().parents[1]
MODEL_ID = "qwen2.5-coder-7b-instruct"
MODEL_NAME = "Qwen2.5-Coder-7B-Instruct"
SOURCE_ID = "hf-qwen2.5-coder-7b-instruct"
SOURCE_URL = "https://huggingface.co/Qwen/Qwen2.5-Coder-7B-Instruct"

NEW_MODEL = f"""
  - id: {MODEL_ID}
    name: {MODEL_NAME}
    family: qwen2.5-coder
    developer: {{zh: 阿里巴巴 Qwen 团队, en: "Qwen Team, Alibaba"}}
    variant: coder
    released: "2024-09-19"
    params_b: 7.61
    context_tokens: 131072
    license: apache-2.0
    weights: open
    source: {SOURCE_ID}
"""
NEW_SOURCE = f"""
  - id: {SOURCE_ID}
    url: {SOURCE_URL}
    title: {{zh: Qwen2.5-Coder-7B-Instruct 模型卡, en: Qwen2.5-Coder-7B-Instruct model card}}
    publisher: {{zh: Qwen 团队（Hugging Face）, en: Qwen Team on Hugging Face}}
    kind: model-card
"""


def _append_to_list(path: Path, key: str, entry: str) -> None:
    """Append an entry to the top-level list `key`, which must be the last block of the file."""
    text = path.read_text(encoding="utf-8")
    assert re.search(rf"^{key}:\s*$", text, re.M), f"{path.name} has no top-level {key}: list"
    last_top_level = [m.group(1) for m in re.finditer(r"^([a-z_]+):", text, re.M)][-1]
    assert last_top_level == key, f"{key} is not the last block of {path.name}"
    path.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")


def _not_generated(folder: str, names: list[str]) -> list[str]:
    """copytree filter: skip generated model stubs and caches (the build writes its own)."""
    skipped = [n for n in names if n == "__pycache__"]
    if folder.endswith("/content/models"):
        skipped += [n for n in names if n.endswith(".md") and not n.startswith("index.")]
    return skipped


@pytest.fixture(scope="module")
def site(tmp_path_factory, request) -> Path:
    """Copy the repository, add one model with a new source, build it once with --strict."""
    return made_once(request, tmp_path_factory, "added-model", _build_with_new_model) / "site"


def _build_with_new_model(repo: Path) -> None:
    """The repository copied to `repo`, one model added with its source, built into repo/site."""
    for name in ("content", "data", "hooks", "overrides"):
        shutil.copytree(ROOT / name, repo / name, ignore=_not_generated)
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    _append_to_list(repo / "data" / "models.yaml", "models", NEW_MODEL)
    _append_to_list(repo / "data" / "sources.yaml", "sources", NEW_SOURCE)
    assert MODEL_ID in read_catalog(repo / "data", today=workspace.today()).models  # valid, cited data before building

    site_dir = repo / "site"
    # a fresh interpreter, as an editor runs it: this process has already imported `atlas` from the
    # real repository, whose workspace would read the real data/ rather than the copy's
    env = {**os.environ, "PYTHONPATH": str(repo / "hooks"), "NO_MKDOCS_2_WARNING": "1",
           "DISABLE_MKDOCS_2_WARNING": "true"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    assert not (ROOT / "content" / "models" / f"{MODEL_ID}.md").exists()  # the real repo is untouched


def test_the_model_has_its_own_page_in_both_languages(site):
    """/models/<id>/ and /en/models/<id>/ exist, titled with the name, citing the new source."""
    for prefix in ("", "en/"):
        html = (site / prefix / "models" / MODEL_ID / "index.html").read_text(encoding="utf-8")
        assert f">{MODEL_NAME}<" in html or f">{MODEL_NAME}</h1>" in html
        assert f'href="{SOURCE_URL}"' in html
        assert 'id="specs"' in html and "atlas:model" not in html
    assert "7.61B" in (site / "en" / "models" / MODEL_ID / "index.html").read_text(encoding="utf-8")
    assert "76.1 亿" in (site / "models" / MODEL_ID / "index.html").read_text(encoding="utf-8")


# What the new model is, in the terms of table filters (`filter=family:...,weights:open`).
NEW_MODEL_FILTER_VALUES = {"family": "qwen2.5-coder", "variant": "coder", "weights": "open", "license": "apache-2.0",
                           "qwen": "yes", "moe": "no", "model": MODEL_ID}


def _matches(filter_text: str) -> bool:
    """Whether a models-table filter selects the new model (no filter selects every model)."""
    for part in filter(None, (p.strip() for p in filter_text.split(","))):
        name, _, values = part.partition(":")
        if NEW_MODEL_FILTER_VALUES.get(name) not in values.split("|"):
            return False
    return True


def test_the_model_is_in_the_index_and_in_models_tables(site):
    """Listed in the model index, and in every models table whose filter selects it (both languages)."""
    from atlas.markers import find_markers

    for prefix in ("", "en/"):
        index = (site / prefix / "models" / "index.html").read_text(encoding="utf-8")
        assert f'id="models-{MODEL_ID}"' in index
        assert f'href="{MODEL_ID}/"' in index
    checked = 0
    for path in sorted((ROOT / "content").glob("*.md")):
        markers = find_markers(path.read_text(encoding="utf-8"), path.name)
        tables = [m for m in markers if m.kind == "table" and m.args.get("dataset") == "models"]
        if not any(_matches(m.args.get("filter", "")) for m in tables):
            continue
        stem = path.name.removesuffix(".en.md").removesuffix(".md")
        prefix = "en/" if path.name.endswith(".en.md") else ""
        page = site / prefix / ("" if stem == "index" else stem) / "index.html"
        assert f'id="models-{MODEL_ID}"' in page.read_text(encoding="utf-8"), page
        checked += 1
    assert checked >= 2  # e.g. the open-weight licence table, in both languages


def test_the_model_is_in_the_downloads(site):
    """models.json and models.csv carry the new model, with its figures and source."""
    items = {item["id"]: item for item in json.loads((site / "data" / "models.json").read_text(encoding="utf-8"))["items"]}
    assert items[MODEL_ID]["params_b"] == 7.61 and items[MODEL_ID]["source"] == SOURCE_ID
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO((site / "data" / "models.csv").read_text(encoding="utf-8")))}
    assert rows[MODEL_ID]["name"] == MODEL_NAME and rows[MODEL_ID]["context_tokens"] == "131072"
    sources = json.loads((site / "data" / "sources.json").read_text(encoding="utf-8"))["items"]
    assert any(source["id"] == SOURCE_ID and source["url"] == SOURCE_URL for source in sources)
