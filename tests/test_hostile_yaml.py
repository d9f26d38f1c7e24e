"""Hostile YAML is refused quickly with one `data/<file>.yaml:<line>: ...` problem, never a traceback,
a hang or a crash: alias bombs, deep nesting, huge numbers, oversized files.

Inputs that used to hang, exhaust memory or kill the interpreter are run in a subprocess with a
memory limit and a generous safety timeout, so that a regression fails the test instead of the suite.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from atlas import documents, workspace
from atlas.documents import parse_yaml, read_document
from atlas.errors import DataError, Problem
from atlas.loading import load_catalog
from atlas.datafiles import ModelsFile
from conftest import FIXTURE_DATA, ROOT, TODAY, read_catalog

SAFETY_TIMEOUT = 120  # seconds: not a speed criterion, only so that a hang cannot stall the suite
MEMORY_LIMIT = 2 * 1024**3  # bytes of address space for the subprocess; the old loader wanted 5.8 GB


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    """The classic alias bomb: each level is a list of `width` aliases of the level before."""
    text = "lol0: &lol0 [" + ", ".join(['"lol"'] * width) + "]\n"
    for level in range(1, levels):
        text += f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * width) + "]\n"
    return text


def _limit_memory() -> None:
    """Run in the child before exec: cap its address space."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_check(data_dir: Path) -> subprocess.CompletedProcess:
    """`make check`'s data step (`python -m atlas.workspace check DIR`) in a bounded subprocess."""
    return subprocess.run([sys.executable, "-m", "atlas.workspace", "check", str(data_dir)],
                          cwd=ROOT, capture_output=True, text=True, timeout=SAFETY_TIMEOUT,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")}, preexec_fn=_limit_memory)


def append_to(folder: Path, stem: str, text: str) -> int:
    """Append top-level YAML to a data file; returns the line number where it starts."""
    path = folder / f"{stem}.yaml"
    current = path.read_text(encoding="utf-8")
    if not current.endswith("\n"):
        current += "\n"
    path.write_text(current + text, encoding="utf-8")
    return current.count("\n") + 1


def refused(result: subprocess.CompletedProcess) -> list[str]:
    """The problem lines of a failed check (it must have failed cleanly, without a traceback)."""
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    found = [line for line in lines[:-1] if not line.startswith("note: ")]
    assert lines[-1].startswith(f"{len(found)} problem"), lines[-1]  # the count closes the report
    return found


def test_alias_bomb_is_refused_by_make_check(fixture_data):
    """A billion-laughs alias bomb (9^9 strings once expanded) is one problem at the alias that
    goes over the bound, not gigabytes of memory and a check that never ends; a modest use of
    aliases (as the real models.yaml makes) still loads."""
    located, problems = parse_yaml(billion_laughs(levels=4, width=9), "data/x.yaml")
    assert not problems and located.data["lol3"][8][8][8] == located.data["lol1"][0] == ["lol"] * 9
    start = append_to(fixture_data, "models", "x_" + billion_laughs().replace("\nlol", "\nx_lol"))
    found = refused(run_check(fixture_data))
    assert len(found) == 1 and found[0].startswith("data/models.yaml:")
    line = int(found[0].split(":")[1])
    assert start <= line < start + 9 and "aliases expand to more than" in found[0]


@pytest.mark.parametrize("text, what", [
    ("[" * 100_000 + "]" * 100_000, "flow brackets"),
    ("".join(" " * depth + "-\n" for depth in range(3000)), "block lists"),
    ("{a: " * 100_000 + "1" + "}" * 100_000, "flow mappings"),
])
def test_deep_nesting_is_refused_by_make_check(fixture_data, text, what):
    """100,000 nested brackets (or deep block lists) are a problem naming the depth, not a segfault
    of libyaml's recursive composer."""
    start = append_to(fixture_data, "glossary", "deep: " + text if what != "block lists" else "deep:\n" + text)
    [found] = refused(run_check(fixture_data))
    assert found.startswith("data/glossary.yaml:"), what
    assert int(found.split(":")[1]) >= start
    assert f"nests more than {documents.MAX_DEPTH} levels deep" in found


def test_hostile_glossary_does_not_stop_the_jieba_dictionary():
    """The build reads the glossary for the search dictionary before it validates the data; a bomb
    or deep nesting there must not hang or crash that step either."""
    code = ("import sys, pathlib; from atlas import workspace\n"
            "for text in sys.argv[1:]:\n"
            "    path = pathlib.Path(workspace.CACHE_DIR) / 'hostile-glossary.yaml'\n"
            "    path.parent.mkdir(parents=True, exist_ok=True); path.write_text(text, 'utf-8')\n"
            "    print(workspace.jieba_user_dictionary(path).is_file())\n")
    result = subprocess.run([sys.executable, "-c", code, billion_laughs(), "a: " + "[" * 100_000],
                            cwd=ROOT, capture_output=True, text=True, timeout=SAFETY_TIMEOUT,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")}, preexec_fn=_limit_memory)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["True", "True"]


def test_alias_bomb_fails_the_build_without_traceback(tmp_path: Path):
    """`mkdocs build` (and so `make serve`) with an alias bomb in the glossary stops with the
    file:line problem, like `make check`."""
    from test_build import copy_project

    copy_project(tmp_path)
    start = append_to(tmp_path / "data", "glossary", "x_" + billion_laughs().replace("\nlol", "\nx_lol"))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=SAFETY_TIMEOUT,
                            env={**os.environ, "BUILD_ONLY_LOCALE": "zh"}, preexec_fn=_limit_memory)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert any(line.strip().startswith("data/glossary.yaml:") and "aliases expand to more than" in line
               and start <= int(line.strip().split(":")[1]) < start + 9 for line in result.stderr.splitlines())


@pytest.mark.parametrize("digits", [20, 300, 5000])
def test_huge_integers_are_data_errors(fixture_data, digits):
    """A 20-, 300- or 5000-digit integer is a problem at its line and field: PyYAML raised on 5000
    digits (Python's int conversion limit), and smaller giants reached the charts as figures."""
    path = fixture_data / "models.yaml"
    path.write_text(path.read_text("utf-8").replace("    params_b: 235", "    params_b: " + "9" * digits, 1), "utf-8")
    line = next(number for number, text in enumerate(path.read_text("utf-8").splitlines(), 1) if "999" in text)
    with pytest.raises(DataError) as raised:
        read_catalog(fixture_data)
    [problem] = raised.value.problems
    assert (problem.file, problem.line, problem.field) == ("data/models.yaml", line, "models[0].params_b")


def test_invalid_unquoted_date_is_a_data_error():
    """An unquoted date that does not exist (2025-13-45) made PyYAML raise ValueError; now it is a
    problem at its line telling the editor to quote it."""
    located, problems = parse_yaml("reviewed: 2025-01-01\nx: 2025-13-45\n", "data/x.yaml")
    assert [(p.line, p.field) for p in problems] == [(2, "x")] and "quote it" in problems[0].message


def test_oversized_file_is_refused_before_parsing():
    """A data file beyond the size bound is one problem on the file, whatever it holds (and no real
    data file comes near the bound)."""
    assert max(path.stat().st_size for path in (ROOT / "data").glob("*.yaml")) * 100 < documents.MAX_FILE_BYTES
    content = b"# padding\n" * (documents.MAX_FILE_BYTES // 10 + 1)
    document, located, problems = read_document(content, ModelsFile, "data/models.yaml", TODAY)
    assert document is None and located is None
    assert [str(p) for p in problems] == [
        f"data/models.yaml:1: the file has {len(content):,} bytes; expected at most "
        f"{documents.MAX_FILE_BYTES:,} bytes (split the data, or check that this is the right file)"]


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!set", "!custom"])
def test_tags_on_collections_are_refused(tag):
    """A tag asking for an object, a set or anything but a plain mapping or list is refused (it was
    silently dropped, so `!!python/object/apply:os.system [x]` read as the list [x])."""
    located, problems = parse_yaml(f"a: {tag} ['echo x']\n", "data/x.yaml")
    assert located is None and len(problems) == 1
    assert str(problems[0]).startswith("data/x.yaml:1: unsupported tag")


# ---------------------------------------------------------------------------
# Fuzzing: random and mutated YAML through the whole loader
# ---------------------------------------------------------------------------

FIXTURE_CONTENTS = {**workspace.read_data(FIXTURE_DATA), "ui": (ROOT / "data" / "ui.yaml").read_bytes()}
# Pieces of YAML syntax and of the values the validation is about, spliced into valid files.
SNIPPETS = [
    "&a ", "*a", "*b", "[", "]", "{", "}", "- ", ": ", "? ", ", ", "!!binary ", "!!str ", "!!int ", "!!float ",
    "!!timestamp ", "!!python/object:os.system ", "!!set ", "!custom ", "9" * 400, "-" + "9" * 30, "1e400",
    "1.0e400", ".inf", "-.nan", "~", "null", "true", "yes", "2025-13-45", "2025-04-29", "2025-04-29 10:00:00",
    "1700000000", "0x1F", "0o17", "0b101", "190:20:30", "1_000", "-0", "\t", "\n", "  ", "'", '"', "#", "|", ">-",
    "---\n", "...\n", "<<: *a", "\ufeff", "\x85", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "@", "`", "index",
    "a", "的", "{0.__class__}", "{models:>9}", "{}", "<script>", "javascript:alert(1)", "混合专家",
]
PROBLEM_LINE = re.compile(r"data/[a-z]+\.yaml(:[0-9]+)?: [^\n]+")


@st.composite
def mutated_file(draw):
    """A fixture data file with one to four random edits: snippets inserted, slices deleted, values
    replaced, lines duplicated or swapped, bytes that are not UTF-8; or a file of random text."""
    stem = draw(st.sampled_from(sorted(FIXTURE_CONTENTS)))
    if draw(st.integers(0, 9)) == 0:  # now and then, a whole file of random YAML-ish text
        text = draw(st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=6)), max_size=30))
        return stem, "".join(text).encode("utf-8", "surrogatepass")
    text = FIXTURE_CONTENTS[stem].decode("utf-8")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "value", "duplicate", "swap", "bytes"]))
        at = draw(st.integers(0, len(text)))
        if kind == "insert":
            text = text[:at] + draw(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=8))) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif kind == "value":  # the value after the next ': '
            start = text.find(": ", at)
            if start >= 0:
                end = text.find("\n", start)
                end = len(text) if end < 0 else end
                value = draw(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=12)))
                text = text[:start + 2] + value + text[end:]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if kind == "duplicate":
                lines.insert(j, lines[i])
            elif kind == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines[i] += "\udcff" * draw(st.integers(1, 3))  # becomes the invalid byte 0xff
            text = "\n".join(lines)
    return stem, text.encode("utf-8", "surrogateescape" if "\udcff" in text else "strict")


class _Hang(Exception):
    """Raised by the safety alarm: the loader did not return."""


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated_file())
@example(case=("models", FIXTURE_CONTENTS["models"].replace(b"params_b: 235", b"params_b: " + b"9" * 5000)))
@example(case=("releases", FIXTURE_CONTENTS["releases"].replace(b'date: "2025-04-29"', b"date: 2025-13-45")))
@example(case=("models", FIXTURE_CONTENTS["models"].replace(b"order: 6", b"order: 1700000000000000000000")))
@example(case=("benchmarks", FIXTURE_CONTENTS["benchmarks"].replace(b'reviewed: "2026-11-01"', b"reviewed: !!int ")))
@example(case=("glossary", FIXTURE_CONTENTS["glossary"].replace(b"en: [MoE]", b"en: [MoE, a]")))
def test_loader_gives_a_catalog_or_one_line_problems(case):
    """Any mutation of a valid data file: the loader returns a catalog, or raises DataError whose
    problems are each one `data/<file>.yaml:<line>: ...` line; nothing else escapes, nothing hangs."""
    stem, content = case

    def alarm(*_):
        """The safety timeout: far beyond any real load, only so that a hang fails instead of stalling."""
        raise _Hang(f"loading a mutated {stem}.yaml did not finish")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(SAFETY_TIMEOUT)
    try:
        load_catalog({**FIXTURE_CONTENTS, stem: content}, TODAY)
    except DataError as error:
        assert error.problems
        for problem in error.problems:
            assert isinstance(problem, Problem) and PROBLEM_LINE.fullmatch(str(problem)), str(problem)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
