"""What each chart shows: the models, values and scores it plots, chosen from the catalog.

Pure functions of the catalog, in no language: the chart figures (figures.py), the charts' data
tables (charts.py) and the model pages ("charts that show this model") all read these
selections, so a model added to the data appears in every chart it belongs to, and each of
them agrees with the others on what a chart plots.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable

from .catalog import Catalog, Model
from .schema import MODES, Score

# When a model has several scores on one benchmark, charts show the most deliberate mode.
PREFERRED_MODES = tuple(reversed(MODES))
# Benchmarks of the two score charts. The models are chosen from the data (see below).
QWQ_BENCHMARKS = ("math-500", "aime24", "livecodebench", "livecodebench-2408-2502")
QWEN3_BENCHMARKS = ("arena-hard", "aime24", "aime25", "livecodebench-v5")
QWEN3_FLAGSHIP = "qwen3-235b-a22b"


class SelectionError(ValueError):
    """A chart with nothing to show; the marker machinery adds the page and line."""


@dataclass(frozen=True)
class FamilyPeaks:
    """One bar per family: the family's largest value of a figure, and the models that have it."""

    figure: str  # the model field plotted, whose source each row cites
    groups: list[tuple[str, Any, list[Model]]]  # (family id, value, models), families in order


@dataclass(frozen=True)
class ReleasePoints:
    """One point per release of a model: when it came out and how large it is."""

    models: list[Model]


@dataclass(frozen=True)
class ExpertLayouts:
    """One pair of bars (total and active parameters) per MoE configuration."""

    models: list[Model]


@dataclass(frozen=True)
class ScoreGrid:
    """Models by benchmarks: the one score each model shows on each benchmark (None: no score)."""

    benchmarks: list[str]
    rows: list[tuple[Model, list[Score | None]]]  # only models with at least one score


@dataclass(frozen=True)
class LicenceCounts:
    """Open-weight models per (family, licence), families and licences in their order."""

    families: list[str]
    licences: list[str]
    groups: dict[tuple[str, str], list[Model]]


Selection = FamilyPeaks | ReleasePoints | ExpertLayouts | ScoreGrid | LicenceCounts


def family_rank(catalog: Catalog) -> dict[str, int]:
    """Position of every family by (order, id); colours, symbols and bars follow it."""
    families = sorted(catalog.families.values(), key=lambda f: (f.order, f.id))
    return {family.id: index for index, family in enumerate(families)}


def is_qwen(catalog: Catalog, model: Model) -> bool:
    """True for models of Qwen families."""
    return catalog.families[model.family].qwen


def release_key(model: Model) -> tuple:
    """Sort models by release date, then id."""
    return (model.released.isoformat() if model.released else "9999", model.id)


def models_by_family(catalog: Catalog) -> list[tuple[Any, list[Model]]]:
    """Families in their order, each with its models by release date (families without models left out)."""
    members: dict[str, list[Model]] = defaultdict(list)
    for model in sorted(catalog.models.values(), key=release_key):
        members[model.family].append(model)
    families = sorted((f for f in catalog.families.values() if members.get(f.id)), key=lambda f: (f.order, f.id))
    return [(family, members[family.id]) for family in families]


def _by_size(model: Model) -> tuple:
    """Sort models by total parameters, then id."""
    return (model.params_b or 0, model.id)


def preferred(scores: list[Score], modes: tuple[str, ...] = PREFERRED_MODES) -> Score | None:
    """The one to show of several scores (one model, one benchmark): the first available mode of
    `modes`, then without tools, then the fewest shots."""
    matches = [s for s in scores if s.setting.mode in modes]
    if not matches:
        return None
    order = {mode: i for i, mode in enumerate(modes)}
    return min(matches, key=lambda s: (order[s.setting.mode], s.setting.tools,
                                       -1 if s.setting.shots is None else s.setting.shots))


def pick_score(catalog: Catalog, model_id: str, bench_id: str,
               modes: tuple[str, ...] = PREFERRED_MODES) -> Score | None:
    """The score of a model on a benchmark to show (`preferred`)."""
    return preferred(catalog.scores_of(model_id, bench_id), modes)


# ---------------------------------------------------------------------------
# One bar per family
# ---------------------------------------------------------------------------


def _peaks(catalog: Catalog, models: list[Model], figure: str) -> FamilyPeaks:
    """The largest value of `figure` in each family, with the models that have it."""
    groups: dict[str, list[Model]] = defaultdict(list)
    for model in models:
        groups[model.family].append(model)
    rank = family_rank(catalog)
    result = []
    for family_id in sorted(groups, key=rank.__getitem__):
        top = max(getattr(m, figure) for m in groups[family_id])
        result.append((family_id, top, sorted((m for m in groups[family_id] if getattr(m, figure) == top),
                                              key=_by_size)))
    return FamilyPeaks(figure, result)


def tokens_by_generation(catalog: Catalog) -> FamilyPeaks:
    """The largest pre-training corpus of each Qwen family.

    Only open-weight models without a base_model count: variants inherit the corpus of the model
    they were post-trained from.
    """
    models = [m for m in catalog.models.values() if is_qwen(catalog, m) and m.weights == "open"
              and m.base_model is None and m.training_tokens_t is not None]
    if not models:
        raise SelectionError("no open-weight Qwen model has training_tokens_t")
    return _peaks(catalog, models, "training_tokens_t")


def context_by_generation(catalog: Catalog) -> FamilyPeaks:
    """The longest context of each Qwen family (variants included: instruct models sometimes
    support a longer context than their base)."""
    models = [m for m in catalog.models.values() if is_qwen(catalog, m) and m.weights == "open"
              and m.context_tokens is not None]
    if not models:
        raise SelectionError("no open-weight Qwen model has context_tokens")
    return _peaks(catalog, models, "context_tokens")


# ---------------------------------------------------------------------------
# One mark per model
# ---------------------------------------------------------------------------


def release_timeline(catalog: Catalog) -> ReleasePoints:
    """Open-weight Qwen models with a release date and a size, one point per distinct release.

    A variant released the same day with the same size as its base (e.g. the Instruct model of a
    base model) would sit on the same point, so it is left out.
    """
    models = catalog.models
    chosen = []
    for model in models.values():
        if not (is_qwen(catalog, model) and model.weights == "open" and model.released and model.params_b):
            continue
        base = models.get(model.base_model) if model.base_model else None
        if base is not None and (base.released, base.params_b) == (model.released, model.params_b):
            continue
        chosen.append(model)
    if not chosen:
        raise SelectionError("no open-weight Qwen model has both released and params_b")
    return ReleasePoints(sorted(chosen, key=release_key))


def moe_params(catalog: Catalog) -> ExpertLayouts:
    """Qwen MoE models with a known expert layout, one per distinct configuration.

    Models with the same total, active and expert counts (e.g. the 2507 updates of a model) share
    one bar: the earliest release keeps it.
    """
    seen: set[tuple] = set()
    chosen = []
    for model in sorted(catalog.models.values(), key=release_key):
        if not (is_qwen(catalog, model) and model.moe and model.params_b and model.active_params_b):
            continue
        key = (model.params_b, model.active_params_b, model.moe.routed_experts,
               model.moe.activated_experts, model.moe.shared_experts)
        if key not in seen:
            seen.add(key)
            chosen.append(model)
    if not chosen:
        raise SelectionError("no Qwen model has a moe configuration")
    return ExpertLayouts(chosen)


# ---------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------


def _grid(catalog: Catalog, model_ids: list[str], benchmarks: list[str],
          score: Callable[[str, str], Score | None]) -> ScoreGrid:
    """The scores of these models on these benchmarks; models without any are left out."""
    rows = []
    for model_id in model_ids:
        scores = [score(model_id, bench_id) for bench_id in benchmarks]
        if any(scores):
            rows.append((catalog.models[model_id], scores))
    if not rows:
        raise SelectionError("no sourced score matches this chart's models and benchmarks")
    return ScoreGrid(benchmarks, rows)


def qwq_reasoning(catalog: Catalog) -> ScoreGrid:
    """QwQ models and peers on MATH-500 / AIME24 / LiveCodeBench (only scores in the data).

    Subjects: the models of the QwQ family with a score on these benchmarks, by release date.
    Peers: models of other developers (non-Qwen families) with scores on at least three of them
    (the comparison table that sources them covers all three), by release date.
    """
    models = catalog.models.values()
    benches = [b for b in QWQ_BENCHMARKS if b in catalog.benchmarks]
    subjects = [m for m in models if m.family == "qwq" and any(pick_score(catalog, m.id, b) for b in benches)]
    peers = [m for m in models if not is_qwen(catalog, m)
             and sum(1 for b in benches if pick_score(catalog, m.id, b)) >= 3]
    ordered = [m.id for m in sorted(subjects, key=release_key)] + [m.id for m in sorted(peers, key=release_key)]
    return _grid(catalog, ordered, benches, lambda model_id, bench_id: pick_score(catalog, model_id, bench_id))


def qwen3_flagship(catalog: Catalog) -> ScoreGrid:
    """Qwen3-235B-A22B in thinking mode and the models its own comparison table sets beside it.

    Peers: non-Qwen models with at least one score on Arena-Hard, AIME24, AIME25 or
    LiveCodeBench v5 taken from the same source and table (locator) as the flagship's score on
    that benchmark, so every bar comes from one evaluation.
    """
    if QWEN3_FLAGSHIP not in catalog.models:
        raise SelectionError(f"model {QWEN3_FLAGSHIP!r} is not in data/models.yaml")
    benches = [b for b in QWEN3_BENCHMARKS if b in catalog.benchmarks]
    tables = {}  # benchmark -> (source, locator) of the flagship's thinking-mode score
    for bench_id in QWEN3_BENCHMARKS:
        score = pick_score(catalog, QWEN3_FLAGSHIP, bench_id, ("thinking",))
        if score is not None:
            tables[bench_id] = (score.source, score.locator)

    def peer_score(model_id: str, bench_id: str) -> Score | None:
        """A peer's score on a benchmark if it comes from the flagship's source and table."""
        matches = [s for s in catalog.scores_of(model_id, bench_id) if (s.source, s.locator) == tables.get(bench_id)]
        return preferred(matches)

    peers = [m for m in catalog.models.values() if not is_qwen(catalog, m)
             and any(peer_score(m.id, b) for b in tables)]
    peer_ids = [m.id for m in sorted(peers, key=release_key)]
    return _grid(catalog, [QWEN3_FLAGSHIP, *peer_ids], benches,
                 lambda model_id, bench_id: (pick_score(catalog, model_id, bench_id, ("thinking",))
                                             if model_id == QWEN3_FLAGSHIP else peer_score(model_id, bench_id)))


# ---------------------------------------------------------------------------
# Licences
# ---------------------------------------------------------------------------


def license_by_generation(catalog: Catalog) -> LicenceCounts:
    """Open-weight models of Qwen families grouped by (family, licence); each variant counts."""
    groups: dict[tuple[str, str], list[Model]] = defaultdict(list)
    for model in catalog.models.values():
        if is_qwen(catalog, model) and model.weights == "open" and model.license:
            groups[(model.family, model.license)].append(model)
    if not groups:
        raise SelectionError("no open-weight Qwen model has a license")
    rank = family_rank(catalog)
    licence_order = {lic: i for i, lic in enumerate(catalog.licenses)}
    return LicenceCounts(
        families=sorted({f for f, _ in groups}, key=rank.__getitem__),
        licences=sorted({lic for _, lic in groups}, key=licence_order.__getitem__),
        groups={key: sorted(ms, key=_by_size) for key, ms in groups.items()})


# chart id (data/charts.yaml) -> what it plots
SELECTORS: dict[str, Callable[[Catalog], Selection]] = {
    "tokens-by-generation": tokens_by_generation,
    "release-timeline": release_timeline,
    "moe-params": moe_params,
    "qwq-reasoning": qwq_reasoning,
    "qwen3-flagship": qwen3_flagship,
    "context-by-generation": context_by_generation,
    "license-by-generation": license_by_generation,
}


def models_in(selection: Selection) -> frozenset[str]:
    """The ids of the models a selection plots."""
    if isinstance(selection, FamilyPeaks):
        return frozenset(m.id for _, _, models in selection.groups for m in models)
    if isinstance(selection, (ReleasePoints, ExpertLayouts)):
        return frozenset(m.id for m in selection.models)
    if isinstance(selection, ScoreGrid):
        return frozenset(model.id for model, _ in selection.rows)
    return frozenset(m.id for models in selection.groups.values() for m in models)


def plotted_models(catalog: Catalog) -> dict[str, frozenset[str]]:
    """chart id -> the models it plots, for every chart of data/charts.yaml that can be drawn.

    A chart that cannot be drawn plots nothing here; the page that shows it reports why.
    """
    plotted = {}
    for chart_id in catalog.charts:
        if chart_id in SELECTORS:
            try:
                plotted[chart_id] = models_in(SELECTORS[chart_id](catalog))
            except SelectionError:
                plotted[chart_id] = frozenset()
    return plotted

