"""`make check` reports every problem in one run: data and pages, with file:line, nearest-id hints,
the checks that could not run, and a count that matches what it printed. And the 15 mistakes a new
editor typically makes: each is reported at its line, and the JSON Schema flags each one a schema
can express."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

from atlas import workspace
from atlas.documents import parse_yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
PROBLEM = re.compile(r"^(?P<file>[^\s:]+)(?::(?P<line>\d+))?: (?P<rest>.*)$")  # no line: the file as a whole


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the real data/ folder."""
    target = tmp_path / "data"
    target.mkdir()
    for path in DATA.glob("*.yaml"):
        shutil.copy(path, target / path.name)
    return target


@pytest.fixture
def no_pages(tmp_path) -> Path:
    """An empty content folder: the data checks alone."""
    folder = tmp_path / "content"
    folder.mkdir()
    return folder


def edit(folder: Path, stem: str, old: str, new: str) -> int:
    """Replace the first occurrence of `old` in data/<stem>.yaml by `new` (an empty `old` appends);
    return the line where `new` starts."""
    path = folder / f"{stem}.yaml"
    text = path.read_text(encoding="utf-8")
    if old:
        assert old in text, old
        start = text.index(old)
        text = text[:start] + new + text[start + len(old):]
    else:
        start = len(text)
        text += new
    path.write_text(text, encoding="utf-8")
    return text.count("\n", 0, start) + 1


@dataclass
class Report:
    """What `make check` printed: problem lines, notes, the closing count, the exit status."""

    status: int
    problems: list[str]
    notes: list[str]
    last: str


def run_check(data_dir: Path, content_dir: Path, capsys) -> Report:
    """`python -m atlas.workspace check DATA CONTENT`, in this process."""
    status = workspace.main(["check", str(data_dir), str(content_dir)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    lines = captured.err.splitlines()
    notes = [line.removeprefix("note: ") for line in lines if line.startswith("note: ")]
    problems = [line for line in lines[:-1] if not line.startswith(("note: ", "warning: "))]
    assert all(PROBLEM.match(line) for line in problems), problems
    return Report(status, problems, notes, lines[-1] if lines else captured.out)


def assert_count(report: Report) -> None:
    """The report ends with the count of the problems it printed, and fails."""
    assert report.status == 1
    noun = "problem" if len(report.problems) == 1 else "problems"
    assert report.last.startswith(f"{len(report.problems)} {noun}"), report.last
    if report.notes:
        assert f"{len(report.notes)} check" in report.last


# ---------------------------------------------------------------------------
# Everything in one run
# ---------------------------------------------------------------------------


def test_the_real_data_and_pages_pass(capsys):
    """The committed data and pages have no problem."""
    assert workspace.main(["check"]) == 0
    assert "pages OK" in capsys.readouterr().out


def test_a_file_that_does_not_parse_hides_no_other_problem(data_copy, no_pages, capsys):
    """A syntax error in sources.yaml: the other files are still checked (a typo in a score, an
    unknown family), references to sources are noted as not checked instead of reported unknown."""
    broken = edit(data_copy, "sources", "  - id: qwen-report\n", '  - id: "qwen-report\n')
    bench = edit(data_copy, "benchmarks", "benchmark: mmlu-pro\n", "benchmark: mmlu-pr\n")
    family = edit(data_copy, "models", "    family: qwen1\n", "    family: qwen-1\n")
    report = run_check(data_copy, no_pages, capsys)
    assert len(report.problems) == 3, report.problems
    assert report.problems[0].startswith(f"data/benchmarks.yaml:{bench}: scores[")
    assert report.problems[0].endswith("unknown benchmark 'mmlu-pr'; did you mean `mmlu-pro`? "
                                       "(expected an id from data/benchmarks.yaml)")
    assert report.problems[1].startswith(f"data/models.yaml:{family}: models[0].family: unknown family 'qwen-1'; "
                                         "did you mean `qwen1`?")
    assert report.problems[2].startswith(f"data/sources.yaml:{broken}: YAML syntax error: unclosed quote")
    assert "references to sources not checked: data/sources.yaml did not load" in report.notes
    assert not any("unknown source" in line for line in report.problems)
    assert_count(report)


def test_an_entry_with_problems_leaves_the_others_checked_at_their_lines(data_copy, no_pages, capsys):
    """An invalid model is left out of the cross-checks: the releases and scores that name it are
    not reported (its own problem is), its variants are noted, and later entries keep their lines."""
    bad = edit(data_copy, "models", "    params_b: 30.5\n", "    params_b: 30.5B\n")  # qwen3-30b-a3b
    later = edit(data_copy, "models", "    family: qwen3.5\n", "    family: qwen35\n")
    report = run_check(data_copy, no_pages, capsys)
    assert [line.split(": ")[0] for line in report.problems] == [f"data/models.yaml:{bad}", f"data/models.yaml:{later}"]
    assert "params_b: expected a valid number" in report.problems[0]
    assert "unknown family 'qwen35'; did you mean `qwen3.5`?" in report.problems[1]
    assert any(note.startswith("model 'qwen3-30b-a3b-instruct-2507' not checked: its base_model 'qwen3-30b-a3b'")
               for note in report.notes), report.notes
    assert not any("unknown model" in line for line in report.problems)
    assert_count(report)


def test_pages_are_checked_with_every_problem_and_a_suggestion(tmp_path, capsys):
    """Markers are checked as the build expands them, every problem of a page at its line."""
    content = tmp_path / "content"
    (content / "sub").mkdir(parents=True)
    (content / "ok.md").write_text("# OK\n\n<!-- atlas:table dataset=models -->\n", encoding="utf-8")
    (content / "sub" / "bad.en.md").write_text(
        "# Bad\n\nText <!-- atlas:fact model=qwen3-32 field=params --> here.\n\n"
        "<!-- atlas:tabel dataset=models -->\n\n<!-- atlas:table dataset=modles -->\n"
        "<!-- atlas:score model=qwq-32b benchmark=aime24x mode=thinking -->\n\n"
        "```\n<!-- atlas:nothing -->\n```\n", encoding="utf-8")
    report = run_check(DATA, content, capsys)
    page = f"{content}/sub/bad.en.md"
    expected = [f"{page}:3: atlas:fact: unknown model 'qwen3-32'; did you mean `qwen3-32b`? "
                "(expected an id from data/models.yaml)",
                f"{page}:5: unknown marker 'atlas:tabel'; did you mean `atlas:table`? (expected one of: ",
                f"{page}:7: atlas:table: unknown dataset 'modles'; did you mean `models`? (expected one of: ",
                f"{page}:8: atlas:score: unknown benchmark 'aime24x'"]
    assert len(report.problems) == len(expected), report.problems
    assert all(line.startswith(start) for line, start in zip(report.problems, expected)), report.problems
    assert all(line.startswith(f"{page}:") for line in report.problems)
    assert_count(report)


def test_pages_without_data_still_get_their_syntax_checked(data_copy, tmp_path, capsys):
    """When the data does not load, markers' kinds and syntax are still checked, and the report says
    which checks could not run."""
    edit(data_copy, "glossary", "terms:\n", "terms:\n\t- x\n")
    content = tmp_path / "content"
    content.mkdir()
    (content / "p.md").write_text("# P\n\n<!-- atlas:tabel dataset=models -->\n<!-- atlas:table dataset=nope -->\n",
                                  encoding="utf-8")
    report = run_check(data_copy, content, capsys)
    pages = [line for line in report.problems if line.startswith(f"{content}/")]
    assert len(pages) == 1 and pages[0].startswith(f"{content}/p.md:3: unknown marker 'atlas:tabel'")
    assert f"marker arguments and the ids they name in {content}/ not checked: the data did not load" in report.notes
    assert_count(report)


# ---------------------------------------------------------------------------
# PyYAML's errors in plain words
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, line, words", [
    ("a:\n  - id: x\n\t  name: y\n", 3, "a tab is not allowed for indentation"),
    ("a:\n  - id: x\n    name: y\n      kind: z\n", 4, "this line is indented more than expected"),
    ("a:\n  - id: x\n    name: y\n   kind: z\n", 4, "this line is indented less than expected"),
    ("a:\n  - id: x\n  kind: z\n", 3, "this line is indented less than expected"),
    ("a:\n  - id: x\n    title: Qwen3: the next one\n", 3, "a `:` inside an unquoted value: put the value in quotes"),
    ("a:\n  - id: x\n    title: \"Qwen3\n    kind: z\n  - id: y\n", 3, "unclosed quote"),
    ("a:\n  - id: x\n    title: \"Qwen3\" is good\n", 3, "text after a closing quote"),
    ("a:\n  - id: x\n    models: [a, b\n    kind: z\n", 3, "the `[` that opens here is not closed with `]`"),
    ("a:\n  - id: x\n    title: *bold*\n", 3, "a value that starts with `*` is read as an alias"),
    ("a:\n  - id: x\n    just some words\n    kind: z\n", 3, "expected `key: value` on this line"),
])
def test_yaml_syntax_errors_in_plain_words(text, line, words):
    """Each common syntax mistake is told in plain words, at the line where it is."""
    located, problems = parse_yaml(text, "data/x.yaml")
    assert located is None and len(problems) == 1
    assert str(problems[0]).startswith(f"data/x.yaml:{line}: YAML syntax error: {words}"), str(problems[0])


# ---------------------------------------------------------------------------
# The 15 typical mistakes of a new editor
# ---------------------------------------------------------------------------

NEW_MODEL = """  - id: qwen9-8b
    name: Qwen9-8B
    family: qwen3
    released: "2025-04-29"
    params_b: 8
    weights: open
    license: apache-2.0
    source: qwen3-report
"""
COPIED_SOURCE = """  - id: qwen-report
    url: https://arxiv.org/abs/2309.16609
    title: {zh: Qwen 技术报告, en: Qwen Technical Report}
    publisher: {zh: 阿里巴巴 Qwen 团队（arXiv）, en: "Qwen Team, Alibaba Group (arXiv)"}
    kind: paper
"""
# Why a JSON Schema cannot flag some mistakes (the schema describes one file, not today's date,
# not the other files, not other fields' values, and sees nothing of a file that does not parse).
NOT_IN_A_SCHEMA = {
    "syntax": "the YAML does not parse, so no schema ever sees it",
    "cross-file": "whether an id exists is a fact about another file",
    "other field": "JSON Schema cannot compare one field's value with another's",
    "unique": "JSON Schema has no uniqueness of one property across list items (uniqueItems compares whole items)",
    "today": "a schema does not know today's date",
}


@dataclass(frozen=True)
class Mistake:
    """One mistake: the edit, what `make check` says at the edited line, and what the schema does."""

    stem: str
    old: str  # "" appends `new` to the file
    new: str
    field: str  # the field make check names (a prefix), "" for a syntax error
    message: str  # a part of its message
    schema_path: tuple | None = None  # where the JSON Schema flags it, or None when it cannot:
    cannot: str = ""  # ... then the key of NOT_IN_A_SCHEMA that says why


MISTAKES = {
    # YAML 1.1 (PyYAML, make check) reads an unquoted date as a date, which the schema's string type
    # refuses; an editor's YAML 1.2 reads it as text, which passes: there only make check reports it
    "unquoted date": Mistake("models", '    released: "2023-08-03"\n', "    released: 2023-08-03\n",
                             "models[0].released", 'expected a valid date, quoted: "YYYY-MM-DD"',
                             ("models", 0, "released")),
    "number as text": Mistake("models", "    context_tokens: 32768\n", "    context_tokens: 32K\n",
                              "models[0].context_tokens", "expected a valid integer, got '32K'",
                              ("models", 0, "context_tokens")),
    "missing translation": Mistake("releases", "{zh: 开源 Qwen-7B 与 Qwen-7B-Chat, en: Qwen-7B and Qwen-7B-Chat open-sourced}",
                                   "{zh: 开源 Qwen-7B 与 Qwen-7B-Chat}", "releases[0].title.en",
                                   "required field is missing", ("releases", 0, "title")),
    "misspelt field": Mistake("models", "    params_b: 7\n", "    param_b: 7\n", "models[0].param_b",
                              "unknown key (check the spelling", ("models", 0)),
    "javascript: link": Mistake("sources", "    url: https://arxiv.org/abs/2309.16609\n",
                                "    url: javascript:alert(1)\n", "sources[0].url",
                                "expected an absolute http:// or https:// URL", ("sources", 0, "url")),
    "wrong enum value": Mistake("models", "    variant: base\n", "    variant: instruction\n", "models[0].variant",
                                "expected 'base', 'instruct',", ("models", 0, "variant")),
    "new model without required fields": Mistake("models", "", NEW_MODEL, "models[84]",
                                                 "developer: required (not set here and not inherited",
                                                 ("models", 84)),
    "zero size": Mistake("models", "    params_b: 7\n", "    params_b: 0\n", "models[0].params_b",
                         "expected greater than 0, got 0", ("models", 0, "params_b")),
    "active above total": Mistake("models", "    active_params_b: 3.3\n", "    active_params_b: 33\n",
                                  "models[", "active_params_b: expected at most params_b (30.5), got 33",
                                  cannot="other field"),
    "unknown family": Mistake("models", "    family: qwen1\n", "    family: qwen-1\n", "models[0].family",
                              "unknown family 'qwen-1'; did you mean `qwen1`?", cannot="cross-file"),
    "duplicate id": Mistake("sources", "", COPIED_SOURCE, "sources[", "duplicate id 'qwen-report'", cannot="unique"),
    "tab indentation": Mistake("models", "    name: Qwen-7B\n", "\tname: Qwen-7B\n", "",
                               "a tab is not allowed for indentation", cannot="syntax"),
    "unclosed quote": Mistake("models", '    released: "2023-08-03"\n', '    released: "2023-08-03\n', "",
                              "unclosed quote", cannot="syntax"),
    "text instead of a list": Mistake("releases", "    models: [qwen-7b]\n", "    models: qwen-7b\n",
                                      "releases[0].models", "expected a valid list", ("releases", 0, "models")),
    "future date": Mistake("releases", '    date: "2023-08-03"\n', '    date: "2099-08-03"\n', "releases[0].date",
                           "expected a date that is not in the future", cannot="today"),
}


def test_there_are_fifteen_mistakes():
    """The set is the one the editors' loop was tried with."""
    assert len(MISTAKES) == 15
    assert all((m.schema_path is None) == bool(m.cannot) for m in MISTAKES.values())


@pytest.mark.parametrize("name", list(MISTAKES))
def test_each_typical_mistake_is_reported_at_its_line(name, data_copy, no_pages, capsys):
    """`make check` names the file, the line and the field of the mistake, and nothing else (no
    cascade); the count matches."""
    mistake = MISTAKES[name]
    line = edit(data_copy, mistake.stem, mistake.old, mistake.new)
    report = run_check(data_copy, no_pages, capsys)
    expected = f"data/{mistake.stem}.yaml:{line}: {mistake.field}"
    found = [problem for problem in report.problems if problem.startswith(expected) and mistake.message in problem]
    assert found, (expected, mistake.message, report.problems)
    if name != "new model without required fields":  # a new model may also miss other steps
        assert report.problems == found
    assert_count(report)


@pytest.mark.parametrize("name", list(MISTAKES))
def test_the_json_schema_flags_each_mistake_a_schema_can_express(name, data_copy):
    """A standard validator with the committed schema flags the mistake where it is; the mistakes a
    schema cannot express pass it (NOT_IN_A_SCHEMA says why), and `make check` reports them."""
    mistake = MISTAKES[name]
    edit(data_copy, mistake.stem, mistake.old, mistake.new)
    text = (data_copy / f"{mistake.stem}.yaml").read_text(encoding="utf-8")
    if mistake.cannot == "syntax":
        with pytest.raises(yaml.YAMLError):
            yaml.safe_load(text)
        return
    schema = json.loads((DATA / "schemas" / f"{mistake.stem}.schema.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(yaml.safe_load(text)))
    if mistake.cannot:
        assert mistake.cannot in NOT_IN_A_SCHEMA and not errors, [e.message for e in errors]
        return
    where = [tuple(error.absolute_path) for error in errors]
    assert any(path[:len(mistake.schema_path)] == mistake.schema_path for path in where), where


def test_a_page_that_is_not_text_is_a_problem_not_a_traceback(tmp_path, capsys):
    """A page that is not UTF-8 is named; the other pages are still checked."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "bad.md").write_bytes(b"\xff\xfe# x\n")
    (content / "good.md").write_text("# G\n\n<!-- atlas:chart id=moe-param -->\n", encoding="utf-8")
    report = run_check(DATA, content, capsys)
    assert report.problems[0] == f"{content}/bad.md: not valid UTF-8 (invalid start byte)"
    assert report.problems[1].startswith(f"{content}/good.md:3: atlas:chart: unknown chart 'moe-param'; "
                                         "did you mean `moe-params`?")
    assert_count(report)
