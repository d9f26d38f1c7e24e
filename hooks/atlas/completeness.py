"""The steps of an addition that the build cannot derive from the entry itself, and that an editor
may have left out: `make check` names each one still missing, with its file and line, as a warning.

A model's page, its rows in the tables, the downloads, the timeline's links and the benchmark
listings all follow from the entry. What does not: saying in the changelog that the model was
added, and re-checking its family against the sources once a model newer than the family's last
review is on the site. The site builds without them, so they are warnings, not errors. Nor does
time: a family not checked against its sources for REVIEW_DAYS may have missed releases.
"""

from __future__ import annotations

import datetime as dt

from .catalog import Catalog
from .documents import format_path
from .errors import Problem


REVIEW_DAYS = 90  # a family not checked against its sources for longer may have missed releases


def stale_families(catalog: Catalog, today: dt.date, max_days: int = REVIEW_DAYS) -> list[Problem]:
    """Families last reviewed more than `max_days` before `today`, as warnings with file:line."""
    positions = _positions(catalog, "models", "families")
    return [_problem(catalog, "models", ("families", positions.get(family.id, 0), "reviewed"),
                     f"family {family.id!r} last reviewed {family.reviewed.isoformat()}, "
                     f"{(today - family.reviewed).days} days ago: check its sources for new releases, "
                     f"then update the date")
            for family in catalog.families.values() if (today - family.reviewed).days > max_days]


def missing_steps(catalog: Catalog) -> list[Problem]:
    """Every step of an addition still missing from the data, in file order."""
    return sorted([*_models_without_changelog_entry(catalog), *_families_reviewed_before_newest_model(catalog)])


def _problem(catalog: Catalog, stem: str, path: tuple, message: str) -> Problem:
    """A warning at `path` of data/<stem>.yaml."""
    where = catalog.located.get(stem)
    return Problem(f"data/{stem}.yaml", where.line(path) if where else 0, format_path(path), message)


def _positions(catalog: Catalog, stem: str, key: str) -> dict[str, int]:
    """Id -> position in the list `key` of data/<stem>.yaml as written."""
    where = catalog.located.get(stem)
    items = where.data.get(key, []) if where is not None and isinstance(where.data, dict) else []
    return {item["id"]: position for position, item in enumerate(items) if isinstance(item, dict) and "id" in item}


def _models_without_changelog_entry(catalog: Catalog) -> list[Problem]:
    """Models that no changelog entry names in its refs."""
    named = {ref for change in catalog.changes for ref in change.refs}
    positions = _positions(catalog, "models", "models")
    return [_problem(catalog, "models", ("models", positions.get(model_id, 0), "id"),
                     f"{model_id}: no changelog entry names this model; add one to data/changelog.yaml "
                     f"with `{model_id}` in its refs")
            for model_id in catalog.models if model_id not in named]


def _families_reviewed_before_newest_model(catalog: Catalog) -> list[Problem]:
    """Families whose `reviewed` date is older than the release of their newest model."""
    newest: dict[str, tuple] = {}
    for model in catalog.models.values():
        if model.released is not None and (model.family not in newest or model.released > newest[model.family][0]):
            newest[model.family] = (model.released, model.id)
    positions = _positions(catalog, "models", "families")
    problems = []
    for family in catalog.families.values():
        if family.id in newest and family.reviewed < newest[family.id][0]:
            released, model_id = newest[family.id]
            problems.append(_problem(
                catalog, "models", ("families", positions.get(family.id, 0), "reviewed"),
                f"family {family.id} reviewed {family.reviewed.isoformat()} is older than its newest model "
                f"{model_id} (released {released.isoformat()}); check the family against its sources, "
                f"then bump `reviewed`"))
    return problems
