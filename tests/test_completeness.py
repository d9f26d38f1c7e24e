"""`make check` names the steps of an addition still missing (atlas.completeness), as warnings."""

from __future__ import annotations

import dataclasses
import datetime as dt

from conftest import read_catalog

from atlas import completeness


def test_the_committed_data_misses_no_step(catalog):
    """Every model is named by a changelog entry, and no family was reviewed before its newest model."""
    assert completeness.missing_steps(catalog) == []


def _edit(path, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in a data file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_models_no_changelog_entry_names_are_warned_about_at_their_line(fixture_data):
    """The fixture's changelog names no model: each model is named, at the line of its id."""
    found = completeness.missing_steps(read_catalog(fixture_data))
    lines = fixture_data.joinpath("models.yaml").read_text(encoding="utf-8").splitlines()
    assert found and all(p.file == "data/models.yaml" and p.field.endswith(".id") for p in found)
    for problem in found:
        model_id = problem.message.split(":")[0]
        assert lines[problem.line - 1] == f"  - id: {model_id}"
        assert problem.message == (f"{model_id}: no changelog entry names this model; add one to "
                                   f"data/changelog.yaml with `{model_id}` in its refs")

    _edit(fixture_data / "changelog.yaml", "summary: {zh: 初始数据, en: Initial data}",
          "summary: {zh: 初始数据, en: Initial data}\n    refs: [" + ", ".join(p.message.split(":")[0] for p in found) + "]")
    assert completeness.missing_steps(read_catalog(fixture_data)) == []


def test_a_family_reviewed_before_its_newest_model_is_warned_about(fixture_data):
    """Backdating the family's review before its models' release names the family and its newest model."""
    catalog = read_catalog(fixture_data)
    named = {p.message.split(":")[0] for p in completeness.missing_steps(catalog)}
    _edit(fixture_data / "changelog.yaml", "summary: {zh: 初始数据, en: Initial data}",
          "summary: {zh: 初始数据, en: Initial data}\n    refs: [" + ", ".join(sorted(named)) + "]")
    _edit(fixture_data / "models.yaml", '    reviewed: "2026-11-01"', '    reviewed: "2025-01-01"')
    newest = max((m for m in catalog.models.values() if m.family == "qwen3" and m.released),
                 key=lambda m: m.released)
    found = [str(p) for p in completeness.missing_steps(read_catalog(fixture_data))]
    assert len(found) == 1 and found[0].startswith("data/models.yaml:6: families[0].reviewed: family qwen3 reviewed 2025-01-01")
    assert f"older than its newest model {newest.id} (released {newest.released.isoformat()})" in found[0]


def test_a_changelog_entry_moves_the_as_of_date_without_a_reviewed_bump(catalog):
    """An addition and its changelog entry are enough: the data's as-of date follows the newest change."""
    later = catalog.as_of + dt.timedelta(days=3)
    moved = dataclasses.replace(catalog, changes=[catalog.changes[0].model_copy(update={"date": later}), *catalog.changes])
    assert moved.as_of == later
