"""JSON Schemas are generated from schema.py and current; editors' tooling and CI config stay valid."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from yamllint import linter
from yamllint.config import YamlLintConfig

from atlas import loading, schemagen, workspace
from atlas.datafiles import FILES

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


# ---------------------------------------------------------------------------
# Generated schemas
# ---------------------------------------------------------------------------


def test_schemas_are_not_stale():
    """data/schemas/ matches schema.py exactly (run `make schemas` after changing the models)."""
    assert schemagen.stale_files(workspace.existing_schemas(DATA / "schemas")) == []


def test_stale_files_reports_stale_missing_and_leftover_files():
    """Every problem is listed: a changed file (with its diff), a missing one and one no longer generated."""
    expected = schemagen.expected_files()
    assert schemagen.stale_files(dict(expected)) == []
    existing = {**expected, "models.schema.json": "{}\n", "old.schema.json": "{}\n"}
    del existing["ui.schema.json"]
    problems = {name: (problem, diff) for name, problem, diff in schemagen.stale_files(existing)}
    assert set(problems) == {"models.schema.json", "ui.schema.json", "old.schema.json"}
    assert problems["models.schema.json"][0].startswith("stale")
    assert problems["models.schema.json"][1].startswith("--- models.schema.json (committed)\n+++ ")
    assert problems["ui.schema.json"] == ("missing", "")
    assert problems["old.schema.json"][0].startswith("not generated") and problems["old.schema.json"][1] == ""


def test_write_schemas_fixes_every_problem_and_touches_nothing_else(tmp_path):
    """`make schemas` rewrites the stale and missing files and deletes leftovers, and nothing on a second run."""
    assert sorted(workspace.write_schemas(tmp_path)) == sorted(schemagen.expected_files())
    (tmp_path / "models.schema.json").write_text("{}\n", encoding="utf-8")
    (tmp_path / "ui.schema.json").unlink()
    (tmp_path / "old.schema.json").write_text("{}\n", encoding="utf-8")
    assert workspace.write_schemas(tmp_path) == ["models.schema.json", "ui.schema.json", "old.schema.json"]
    assert schemagen.stale_files(workspace.existing_schemas(tmp_path)) == []
    assert workspace.write_schemas(tmp_path) == []


def test_check_schemas_prints_the_diff_of_a_stale_file(tmp_path, capsys):
    """`schemas --check` names a stale file, prints the unified diff to the generated text and fails."""
    workspace.write_schemas(tmp_path)
    target = tmp_path / "models.schema.json"
    current = target.read_text(encoding="utf-8")
    lines = current.splitlines(keepends=True)
    changed = next(i for i, line in enumerate(lines) if '"title": "Qwen Atlas data/models.yaml"' in line)
    lines[changed] = lines[changed].replace("Qwen Atlas", "Old Atlas")
    target.write_text("".join(lines), encoding="utf-8")
    assert workspace.check_schemas(tmp_path) == 1
    err = capsys.readouterr().err.splitlines()
    assert f"{tmp_path}/models.schema.json: stale (schema.py changed since it was generated)" in err
    assert "--- models.schema.json (committed)" in err
    assert "+++ models.schema.json (generated from schema.py)" in err
    assert any(line.startswith("@@ ") for line in err)
    assert "-" + lines[changed].rstrip("\n") in err and "+" + current.splitlines()[changed] in err
    assert f"run `make schemas` to regenerate {tmp_path}/" in err
    assert not any("ui.schema.json" in line for line in err)  # only the stale file is reported


def test_check_schemas_passes_on_a_fresh_folder(tmp_path, capsys):
    """A folder just written by write_schemas passes the check, silently on stderr."""
    workspace.write_schemas(tmp_path)
    assert workspace.check_schemas(tmp_path) == 0
    out = capsys.readouterr()
    assert out.err == "" and f"schemas OK: {len(schemagen.expected_files())} files" in out.out


def test_check_command_exits_zero_when_current():
    """`python -m atlas.workspace schemas --check` is what `make check` runs."""
    env = {"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "atlas.workspace", "schemas", "--check"], cwd=ROOT,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-m atlas.workspace check" in makefile and "-m atlas.workspace schemas --check" in makefile


@pytest.mark.parametrize("name", sorted(schemagen.expected_files()))
def test_schema_files_are_valid_and_deterministic(name):
    """Each file is a valid 2020-12 schema with $id and title, sorted keys, 2-space indent."""
    text = (DATA / "schemas" / name).read_text(encoding="utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == schemagen.SCHEMA_BASE + name
    assert schema["title"] and schema["$schema"].endswith("2020-12/schema")
    assert text == json.dumps(schema, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


# ---------------------------------------------------------------------------
# Data files and their schema comment
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("stem", list(FILES))
def test_every_data_file_names_its_schema_on_the_first_line(stem):
    """Editors find the schema through `# yaml-language-server: $schema=schemas/<stem>.schema.json`."""
    first = (DATA / f"{stem}.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=schemas/{stem}.schema.json"
    assert (DATA / "schemas" / f"{stem}.schema.json").is_file()


def test_no_stray_data_files():
    """Every YAML file in data/ is one the schema knows (and so has a schema)."""
    assert sorted(p.stem for p in DATA.glob("*.yaml")) == sorted(FILES)


@pytest.mark.parametrize("stem", list(FILES))
def test_data_files_validate_against_their_json_schema(stem):
    """What an editor checks with the JSON Schema agrees with what `make check` accepts."""
    schema = json.loads((DATA / "schemas" / f"{stem}.schema.json").read_text(encoding="utf-8"))
    document = yaml.safe_load((DATA / f"{stem}.yaml").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    errors = list(validator.iter_errors(document))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def _keys(value) -> set[str]:
    """Every object key anywhere in a JSON value."""
    if isinstance(value, dict):
        return set(value).union(*(_keys(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(item) for item in value))
    return set()


@pytest.mark.parametrize("stem", list(FILES))
def test_schemas_help_while_typing(stem):
    """What an editor shows: every property has one description and no generated title, URLs have
    the http(s) pattern, and no keyword is newer than draft-07 (all yaml-language-server knows)."""
    schema = json.loads((DATA / "schemas" / f"{stem}.schema.json").read_text(encoding="utf-8"))
    assert not _keys(schema) & schemagen.NEWER_THAN_DRAFT_07
    for record in [schema, *schema.get("$defs", {}).values()]:
        for name, prop in record.get("properties", {}).items():
            assert prop.get("description"), f"{stem}: {record.get('title')}.{name} has no description"
            assert "title" not in prop, f"{stem}: {record.get('title')}.{name}"
            assert all("description" not in option for option in prop.get("anyOf", ())), name
            if name == "url":
                url = next((o for o in prop.get("anyOf", ()) if o.get("type") == "string"), prop)
                assert url["pattern"] == "^https?://"
    assert schema.get("description") != f"data/{stem}.yaml"  # the title says it already


def test_a_model_without_base_model_needs_what_the_loader_requires():
    """The schema's if/then: the fields required once inheritance is applied, unless base_model is set."""
    schema = json.loads((DATA / "schemas" / "models.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    base = {"reviewed": "2026-01-01", "families": []}
    bare = {"id": "x-1b", "name": "X-1B"}
    errors = [e.message for e in validator.iter_errors({**base, "models": [bare]})]
    assert sorted(errors) == sorted(f"'{name}' is a required property" for name in loading.REQUIRED)
    assert not list(validator.iter_errors({**base, "models": [{**bare, "base_model": "x-2b"}]}))
    full = {**bare, "family": "x", "developer": {"zh": "某", "en": "X"}, "variant": "base", "source": "x-report"}
    assert not list(validator.iter_errors({**base, "models": [{**full, "weights": "api"}]}))
    for extra, missing in (({"weights": "open"}, "license"), ({"weights": "api", "active_params_b": 3}, "params_b"),
                           ({"weights": "api", "moe": {"routed_experts": 8, "activated_experts": 2,
                                                       "shared_experts": 0}}, "active_params_b")):
        errors = [e.message for e in validator.iter_errors({**base, "models": [{**full, **extra}]})]
        assert errors == [f"'{missing}' is a required property"], (extra, errors)
        assert not list(validator.iter_errors({**base, "models": [{**full, **extra, "base_model": "x-2b"}]}))


def test_field_descriptions_have_current_chinese_translations(catalog):
    """Every description in schema.py has a Chinese translation whose `en` is the current English."""
    missing, outdated = [], []
    for key, english in schemagen.translation_keys().items():
        if key not in catalog.ui:
            missing.append(key)
        elif catalog.ui[key].en != english:
            outdated.append(f"{key}: ui.yaml has {catalog.ui[key].en!r}, schema.py says {english!r}")
    assert not missing, f"add zh/en to data/ui.yaml for: {', '.join(missing)}"
    assert not outdated, "schema.py descriptions changed; update en and zh in data/ui.yaml:\n" + "\n".join(outdated)


def test_data_passes_yamllint():
    """The same lint the pre-commit hook runs."""
    config = YamlLintConfig(file=str(ROOT / ".yamllint.yml"))
    problems = []
    for path in sorted(DATA.glob("*.yaml")):
        for problem in linter.run(path.read_text(encoding="utf-8"), config, str(path)):
            problems.append(f"{path.name}:{problem.line}: {problem.message} ({problem.rule})")
    assert not problems, problems[:10]


def test_make_check_validation_is_fast_and_reports_every_problem(tmp_path):
    """`atlas.workspace check` validates in well under 2 s and prints each problem as file:line: field: message."""
    env = {"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    ok = subprocess.run([sys.executable, "-m", "atlas.workspace", "check"], cwd=ROOT, capture_output=True,
                        text=True, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert ok.returncode == 0, ok.stderr
    # CPU time of the whole command, interpreter start-up included: unlike wall time it does not
    # grow when other jobs share the machine (CI runners, parallel builds)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert cpu < 2.0, f"{cpu:.2f} s of CPU: {ok.stdout}"

    broken = tmp_path / "data"
    broken.mkdir()
    for path in DATA.glob("*.yaml"):
        broken.joinpath(path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    models = broken / "models.yaml"
    text = models.read_text(encoding="utf-8")
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("params_b:"))
    lines[index] = lines[index].split(":")[0] + ": 8B"
    weights = next(i for i, line in enumerate(lines) if line.strip().startswith("weights:"))
    lines[weights] = lines[weights].split(":")[0] + ": open-weights"
    models.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "atlas.workspace", "check", str(broken)], cwd=ROOT, capture_output=True,
                         text=True, env=env)
    assert bad.returncode == 1
    report = bad.stderr
    assert f"data/models.yaml:{index + 1}: models[" in report and "params_b: expected a valid number" in report
    assert f"data/models.yaml:{weights + 1}: models[" in report and "weights: expected 'open' or 'api'" in report
    assert "Traceback" not in report


# ---------------------------------------------------------------------------
# CI and editor tooling configuration
# ---------------------------------------------------------------------------


def _load(name: str) -> dict:
    """Parse one config file (YAML 1.1 reads the key `on` as True; accept both)."""
    data = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def test_test_workflow_runs_the_ci_entry_point():
    """CI runs on pushes and pull requests with Python 3.11 and `bash .ci/run`."""
    workflow = _load(".github/workflows/test.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(step.get("uses", "").startswith("actions/checkout@") for step in steps)
    assert any(step.get("uses", "").startswith("actions/setup-python@")
               and str(step["with"]["python-version"]) == "3.11" for step in steps)
    assert any(step.get("run", "").strip() == "bash .ci/run" for step in steps)
    assert (ROOT / ".ci" / "run").is_file()


def test_deploy_workflow_builds_and_publishes_to_pages():
    """main is built with `make build` and deployed with the official Pages actions."""
    workflow = _load(".github/workflows/deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    build = next(step for step in steps if step.get("run") == "make build")
    assert "vars.SITE_URL" in build["env"]["SITE_URL"] and "base_url" in build["env"]["SITE_URL"]
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in steps)
    assert "!ENV [SITE_URL," in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_pre_commit_runs_yamllint_and_make_check():
    """Local hooks: yamllint with the repository config on data/, then `make check`."""
    config = _load(".pre-commit-config.yaml")
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert "-c .yamllint.yml" in hooks["yamllint"]["entry"] and hooks["yamllint"]["files"].startswith("^data/")
    assert hooks["make-check"]["entry"] == "make check"
    assert isinstance(_load(".yamllint.yml")["rules"], dict)
