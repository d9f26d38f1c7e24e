"""Every kind of bad data stops with a file:line message naming the field and what was expected."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from atlas.errors import DataError
from conftest import read_catalog


def edit(folder: Path, stem: str, old: str, new: str) -> None:
    """Replace one exact snippet in a fixture file (fails loudly if the snippet is not there)."""
    path = folder / f"{stem}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture snippet not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(folder: Path, stem: str, snippet: str, nth: int = 1) -> int:
    """1-based line number of the nth line containing `snippet`."""
    lines = (folder / f"{stem}.yaml").read_text(encoding="utf-8").splitlines()
    hits = [number for number, text in enumerate(lines, 1) if snippet in text]
    assert len(hits) >= nth, f"{snippet!r} found {len(hits)} times in {stem}.yaml"
    return hits[nth - 1]


def problems(folder: Path) -> list[str]:
    """The problem lines reported for a data folder (the load must fail)."""
    with pytest.raises(DataError) as raised:
        read_catalog(folder)
    return [str(p) for p in raised.value.problems]


def test_fixture_is_valid(fixture_data):
    """The fixture data set itself loads without problems."""
    catalog = read_catalog(fixture_data)
    assert set(catalog.models) == {"qwen3-235b-a22b", "qwen3-235b-a22b-instruct-2507"}


def test_inheritance_fills_variant_fields(fixture_data):
    """A variant inherits what it leaves out and keeps what it overrides."""
    variant = read_catalog(fixture_data).models["qwen3-235b-a22b-instruct-2507"]
    assert variant.params_b == 235 and variant.moe.routed_experts == 128
    assert variant.context_tokens == 262144 and variant.variant == "instruct"


def test_yaml_syntax_error_names_line(fixture_data):
    """A broken YAML file reports the line of the syntax error, not a traceback."""
    edit(fixture_data, "models", "    params_b: 235", "    params_b: [235")
    found = problems(fixture_data)
    assert len(found) == 1 and found[0].startswith("data/models.yaml:")
    assert "YAML syntax error" in found[0]


def test_missing_field(fixture_data):
    """A required field that is absent is named, at its entry's line."""
    edit(fixture_data, "sources", "    kind: license\n", "")
    line = line_of(fixture_data, "sources", "- id: apache")
    assert f"data/sources.yaml:{line}: sources[1].kind: required field is missing" in problems(fixture_data)


def test_mistyped_field(fixture_data):
    """A string where a number belongs says what was expected and what was found."""
    edit(fixture_data, "models", "    params_b: 235", "    params_b: lots")
    line = line_of(fixture_data, "models", "params_b: lots")
    [message] = problems(fixture_data)
    assert message.startswith(f"data/models.yaml:{line}: models[0].params_b: expected a valid number")
    assert "'lots'" in message


def test_unknown_key(fixture_data):
    """A misspelt key is rejected at its own line."""
    edit(fixture_data, "models", "    params_b: 235", "    params_b: 235\n    paramz_b: 235")
    line = line_of(fixture_data, "models", "paramz_b")
    assert problems(fixture_data) == [f"data/models.yaml:{line}: models[0].paramz_b: unknown key "
                                      "(check the spelling; see the field list on the Data page)"]


def test_duplicate_key(fixture_data):
    """The same key twice in one mapping is an error (PyYAML would silently keep the last)."""
    edit(fixture_data, "models", "    params_b: 235", "    params_b: 235\n    params_b: 236")
    line = line_of(fixture_data, "models", "params_b: 236")
    assert f"data/models.yaml:{line}: models[0].params_b: duplicate key" in problems(fixture_data)[0]


def test_duplicate_id(fixture_data):
    """Two entries with one id: the second is reported."""
    edit(fixture_data, "sources", "  - id: apache", "  - id: qwen3-report")
    line = line_of(fixture_data, "sources", "- id: qwen3-report", nth=2)
    found = problems(fixture_data)
    assert any(f"data/sources.yaml:{line}: sources[1].id: duplicate id 'qwen3-report'" in p for p in found)


def test_dangling_model_reference(fixture_data):
    """A score naming an unknown model points at the score's model field."""
    edit(fixture_data, "benchmarks", "  - model: qwen3-235b-a22b", "  - model: qwen9-1t")
    line = line_of(fixture_data, "benchmarks", "model: qwen9-1t")
    found = problems(fixture_data)
    assert any(p.startswith(f"data/benchmarks.yaml:{line}: scores[0].model: unknown model 'qwen9-1t'")
               for p in found)


def test_dangling_source_reference(fixture_data):
    """A figure citing an unknown source is an error naming the source file to fix."""
    edit(fixture_data, "releases", "    source: qwen3-report", "    source: nowhere")
    line = line_of(fixture_data, "releases", "source: nowhere")
    assert (f"data/releases.yaml:{line}: releases[0].source: unknown source 'nowhere'; "
            "add it to data/sources.yaml") in problems(fixture_data)


def test_negative_size(fixture_data):
    """Sizes must be positive."""
    edit(fixture_data, "models", "    params_b: 235", "    params_b: -5")
    line = line_of(fixture_data, "models", "params_b: -5")
    assert problems(fixture_data) == [f"data/models.yaml:{line}: models[0].params_b: "
                                      "expected greater than 0, got -5"]


def test_active_above_total(fixture_data):
    """Active parameters cannot exceed the total."""
    edit(fixture_data, "models", "    active_params_b: 22", "    active_params_b: 300")
    line = line_of(fixture_data, "models", "active_params_b: 300")
    assert f"data/models.yaml:{line}: models[0].active_params_b: expected at most params_b (235), got 300" \
        in problems(fixture_data)


def test_activated_above_routed(fixture_data):
    """A token cannot activate more routed experts than exist."""
    edit(fixture_data, "models", "activated_experts: 8,", "activated_experts: 256,")
    line = line_of(fixture_data, "models", "activated_experts: 256")
    assert (f"data/models.yaml:{line}: models[0].moe.activated_experts: expected at most routed_experts "
            "(128), got 256") in problems(fixture_data)


def test_future_means_after_the_given_today(fixture_data):
    """A date counts as in the future relative to the `today` given to loading, not the clock."""
    edit(fixture_data, "models", 'released: "2025-04-29"', 'released: "2026-11-30"')
    line = line_of(fixture_data, "models", "2026-11-30")
    assert read_catalog(fixture_data, today=dt.date(2026, 11, 30)).models["qwen3-235b-a22b"].released == \
        dt.date(2026, 11, 30)  # on the day itself: accepted
    with pytest.raises(DataError) as raised:
        read_catalog(fixture_data, today=dt.date(2026, 11, 29))
    [message] = [str(p) for p in raised.value.problems]
    assert message.startswith(f"data/models.yaml:{line}: models[0].released: expected a date that is not in "
                              "the future (today is 2026-11-29)")


def test_impossible_date(fixture_data):
    """February 30th does not exist."""
    edit(fixture_data, "releases", 'date: "2025-04-29"', 'date: "2025-02-30"')
    line = line_of(fixture_data, "releases", "2025-02-30")
    [message] = problems(fixture_data)
    assert message.startswith(f"data/releases.yaml:{line}: releases[0].date: expected a valid date")


def test_future_date(fixture_data):
    """The data records the past: a future release date is rejected."""
    edit(fixture_data, "models", 'released: "2025-04-29"', 'released: "2999-01-01"')
    line = line_of(fixture_data, "models", "2999-01-01")
    [message] = problems(fixture_data)
    assert message.startswith(f"data/models.yaml:{line}: models[0].released: expected a date that is not in the future")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.com/x", "//example.com/x", "example.com"])
def test_only_http_urls(fixture_data, url):
    """Only absolute http(s) URLs are accepted for sources."""
    edit(fixture_data, "sources", "url: https://arxiv.org/abs/2505.09388", f'url: "{url}"')
    line = line_of(fixture_data, "sources", url)
    [message] = problems(fixture_data)
    assert message.startswith(f"data/sources.yaml:{line}: sources[0].url: expected an absolute http:// or https:// URL")


def test_missing_translation(fixture_data):
    """Every human-readable string needs both languages."""
    edit(fixture_data, "glossary", "definition: {zh: 每个 token 只激活部分专家的架构。, en: An architecture that activates only some experts per token.}",
         "definition: {zh: 每个 token 只激活部分专家的架构。}")
    line = line_of(fixture_data, "glossary", "definition:")
    assert problems(fixture_data) == [f"data/glossary.yaml:{line}: terms[0].definition.en: required field is missing"]


def test_unused_source(fixture_data):
    """A source nobody cites is reported (likely a typo elsewhere)."""
    edit(fixture_data, "licenses", "    source: apache", "    source: qwen3-report")
    line = line_of(fixture_data, "sources", "- id: apache")
    assert problems(fixture_data) == [f"data/sources.yaml:{line}: sources[1].id: source 'apache' is not used "
                                      "by any entry; cite it or remove it"]


def test_all_problems_are_reported(fixture_data):
    """Editors see every problem at once, not only the first."""
    edit(fixture_data, "models", "    params_b: 235", "    params_b: -1")
    edit(fixture_data, "models", "    context_tokens: 131072", "    context_tokens: many")
    edit(fixture_data, "releases", "    source: qwen3-report", "    sauce: qwen3-report")
    assert len(problems(fixture_data)) >= 3


def test_inheritance_cycle(fixture_data):
    """A base_model chain that loops is an error, not an endless recursion."""
    edit(fixture_data, "models", "    name: Qwen3-235B-A22B\n", "    name: Qwen3-235B-A22B\n    base_model: qwen3-235b-a22b-instruct-2507\n")
    assert any("base_model forms a cycle" in p for p in problems(fixture_data))


def test_empty_file(fixture_data):
    """An empty data file says so."""
    (fixture_data / "charts.yaml").write_text("", encoding="utf-8")
    assert problems(fixture_data) == ["data/charts.yaml:1: the file is empty"]


def test_missing_file(fixture_data):
    """A data file that does not exist is named (and is the only problem reported for it)."""
    (fixture_data / "charts.yaml").unlink()
    assert problems(fixture_data) == ["data/charts.yaml: file is missing"]


def test_file_that_is_not_utf8(fixture_data):
    """Bytes that are not UTF-8 are reported on the file, not as a traceback."""
    (fixture_data / "charts.yaml").write_bytes(b"reviewed: \"2025-01-01\"\ncharts: []\n\xff\xfe\n")
    [message] = problems(fixture_data)
    assert message.startswith("data/charts.yaml:1: not valid UTF-8")


def test_folded_chinese_lines_join_without_spaces():
    """YAML folding (`>-`) joins lines with a space; Chinese text must not keep it."""
    from atlas.schema import Text
    assert Text(zh="专家大小为 2,560）； 28 层，采用 Qwen3 的 设计 。", en="x").zh == "专家大小为 2,560）；28 层，采用 Qwen3 的设计。"


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_leaves_the_garbage_collector_as_it_was(fixture_data, enabled):
    """Loading pauses the collector (make bench) and restores it, after an error too."""
    import gc

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        read_catalog(fixture_data)
        assert gc.isenabled() is enabled
        (fixture_data / "models.yaml").write_text("models: [\n", encoding="utf-8")
        with pytest.raises(DataError):
            read_catalog(fixture_data)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_glossary_term_must_cite_a_known_source(fixture_data):
    """A term without sources, or citing an unknown one, is named with its line and field."""
    edit(fixture_data, "glossary", "    sources: [qwen3-report]\n", "")
    assert problems(fixture_data) == ["data/glossary.yaml:3: terms[0].sources: required field is missing"]
    edit(fixture_data, "glossary", "    category: moe\n", "    category: moe\n    sources: []\n")
    [found] = problems(fixture_data)
    assert found.startswith("data/glossary.yaml:8: terms[0].sources: ") and "at least 1" in found
    edit(fixture_data, "glossary", "    sources: []\n", "    sources: [qwen3-report, nowhere]\n")
    assert problems(fixture_data) == [
        "data/glossary.yaml:8: terms[0].sources[1]: unknown source 'nowhere'; add it to data/sources.yaml"]


def test_a_misspelled_data_file_is_named_not_skipped(fixture_data):
    """A YAML file in data/ that is not one of the site's is an error naming it and the nearest name."""
    (fixture_data / "modles.yaml").write_text("models: []\n", encoding="utf-8")
    (fixture_data / "notes.yml").write_text("x: 1\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        read_catalog(fixture_data)
    report = error.value.report()
    assert "data/modles.yaml: not a data file of the site, so it would be ignored; did you mean models.yaml?" in report
    assert "data/notes.yml: not a data file of the site" in report


# ---------------------------------------------------------------------------
# Strict types and plausible values
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("old, new, field, expected", [
    ("    params_b: 235", "    params_b: true", "models[0].params_b", "expected a valid number, got True"),
    ("    context_tokens: 131072", "    context_tokens: true", "models[0].context_tokens",
     "expected a valid integer, got True"),
    ("    qwen: true", "    qwen: 1", "families[0].qwen", "expected a valid boolean, got 1"),
    ("    order: 6", "    order: 6.0", "families[0].order", "expected a valid integer, got 6.0"),
    ("    params_b: 235", '    params_b: "235"', "models[0].params_b", "expected a valid number, got '235'"),
    ("    qwen: true", '    qwen: "true"', "families[0].qwen", "expected a valid boolean, got 'true'"),
])
def test_values_are_not_coerced(fixture_data, old, new, field, expected):
    """`true` is not a number, 1 is not a boolean, 6.0 is not an integer, and text is not a number or
    a boolean: each is a problem at its line instead of being silently converted."""
    edit(fixture_data, "models", old, new)
    line = line_of(fixture_data, "models", new.strip())
    assert problems(fixture_data) == [f"data/models.yaml:{line}: {field}: {expected}"]


@pytest.mark.parametrize("written", ["1700000000", "2025-04-29", '"2025-04-29T00:00:00"', '"20250429"'])
def test_dates_only_from_quoted_iso_strings(fixture_data, written):
    """A date is a quoted "YYYY-MM-DD": not a Unix time, not an unquoted YAML date, not a date and time."""
    edit(fixture_data, "models", 'released: "2025-04-29"', f"released: {written}")
    line = line_of(fixture_data, "models", f"released: {written}")
    [message] = problems(fixture_data)
    assert message.startswith(f'data/models.yaml:{line}: models[0].released: expected a valid date, quoted: "YYYY-MM-DD"')


@pytest.mark.parametrize("stem, old, new, field, bound", [
    ("models", "    params_b: 235", "    params_b: 100001", "models[0].params_b", "100000"),
    ("models", "    active_params_b: 22", "    active_params_b: 100001", "models[0].active_params_b", "100000"),
    ("models", "    context_tokens: 131072", "    context_tokens: 100000001", "models[0].context_tokens", "100000000"),
    ("models", "    training_tokens_t: 36", "    training_tokens_t: 1001", "models[0].training_tokens_t", "1000"),
    ("models", "routed_experts: 128", "routed_experts: 100001", "models[0].moe.routed_experts", "100000"),
    ("benchmarks", "    value: 95.6", "    value: 100001", "scores[0].value", "100000"),
])
def test_figures_have_upper_bounds(fixture_data, stem, old, new, field, bound):
    """Parameter, token, context, expert counts and scores beyond what any real model comes near are
    refused (they reached the charts, where a huge number overflowed)."""
    edit(fixture_data, stem, old, new)
    line = line_of(fixture_data, stem, new.strip())
    assert any(p.startswith(f"data/{stem}.yaml:{line}: {field}: expected less than or equal to {bound}")
               for p in problems(fixture_data))


@pytest.mark.parametrize("model_id, expected", [
    ("index", "expected an id that is not the name of a page under content/models/ (index)"),
    ("qwen3.en", "expected an id that does not end in a language suffix (.zh, .en)"),
    ("qwen3--a", "expected an id: lower-case words of letters and digits joined by single '-' or '.', got 'qwen3--a'"),
    ("qwen3.", "expected an id: lower-case words of letters and digits joined by single '-' or '.', got 'qwen3.'"),
])
def test_model_ids_follow_the_pattern_and_leave_page_names_free(fixture_data, model_id, expected):
    """A model id becomes content/models/<id>.md: `index` (a hand-written page, which crashed
    modelpages.py), a language suffix or a malformed id is refused at validation, at the id's line."""
    edit(fixture_data, "models", "  - id: qwen3-235b-a22b-instruct-2507", f"  - id: {model_id}")
    line = line_of(fixture_data, "models", f"- id: {model_id}")
    assert any(p.startswith(f"data/models.yaml:{line}: models[1].id: {expected}") for p in problems(fixture_data))


def test_model_page_names_are_the_hand_written_pages():
    """MODEL_PAGE_NAMES is exactly the set of pages under content/models/ that are not generated."""
    from atlas.schema import MODEL_PAGE_NAMES
    from atlas.stubs import is_stub

    folder = Path(__file__).resolve().parents[1] / "content" / "models"
    written = {path.name.removesuffix(".md").removesuffix(".en") for path in folder.glob("*.md")
               if not is_stub(path.read_text(encoding="utf-8"))}
    assert written and written == set(MODEL_PAGE_NAMES)


@pytest.mark.parametrize("old, new, field", [
    ("aliases: {zh: [MoE, 混合专家], en: [MoE]}", "aliases: {zh: [MoE, 混合专家], en: [MoE, a]}", "terms[0].aliases.en[1]"),
    ("aliases: {zh: [MoE, 混合专家], en: [MoE]}", "aliases: {zh: [MoE, 的], en: [MoE]}", "terms[0].aliases.zh[1]"),
    ("aliases: {zh: [MoE, 混合专家], en: [MoE]}", "aliases: {zh: [MoE, 混合专家], en: [MoE, The]}", "terms[0].aliases.en[1]"),
    ("aliases: {zh: [MoE, 混合专家], en: [MoE]}", "aliases: {zh: [MoE, 模型], en: [MoE]}", "terms[0].aliases.zh[1]"),
    ("term: {zh: 混合专家模型, en: Mixture of Experts}", "term: {zh: 混合专家模型, en: X}", "terms[0].term"),
])
def test_glossary_spellings_are_specific(fixture_data, old, new, field):
    """A one-letter or common-word spelling (`a`, `的`, `The`, `模型`) would link every occurrence in the
    text: it is refused at its line."""
    edit(fixture_data, "glossary", old, new)
    line = line_of(fixture_data, "glossary", new.split(":")[0] + ":")
    [message] = problems(fixture_data)
    assert message.startswith(f"data/glossary.yaml:{line}: {field}: expected ")
    assert "at least two characters that is not a common word" in message


def test_changelog_refs_name_existing_entries(fixture_data):
    """Each changelog ref names a model, source, correction or term; an unknown one is a problem (it was
    shown as an unlinked id); known ones of every kind are accepted."""
    edit(fixture_data, "changelog", "    summary: {zh: 初始数据, en: Initial data}",
         "    summary: {zh: 初始数据, en: Initial data}\n    refs: [qwen3-235b-a22b, qwen3-report, moe, qwen9]")
    line = line_of(fixture_data, "changelog", "refs:")
    assert problems(fixture_data) == [
        f"data/changelog.yaml:{line}: changes[0].refs[3]: unknown id 'qwen9'; expected the id of a model, "
        "source, correction or glossary term"]


@pytest.mark.parametrize("key, text, got", [
    ("index-summary", "{0.__class__}", "{0.__class__}"),
    ("index-summary", "{models.__class__.__init__}", "{models.__class__.__init__}"),
    ("index-summary", "{qwen[0]} of {models}", "{qwen[0]}"),
    ("index-summary", "{} models", "{}"),
    ("index-summary", "{models:>99999999} models", "{models:>99999999}"),
    ("index-summary", "{models!r} models", "{models!r}"),
    ("index-summary", "{count} models", "{count}"),
    ("index-summary", "{models} models {", None),
    ("schema-field-modelentry-name", "{models} rows", "{models}"),
])
def test_ui_placeholders_are_the_ones_the_code_passes(fixture_data, key, text, got):
    """A formatted interface string uses only `{name}` placeholders the code passes (no position,
    attribute, index, conversion or format spec); the other strings have none."""
    path = fixture_data / "ui.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index(f"  {key}:") + 2
    assert lines[at].startswith("    en: ")
    lines[at] = f"    en: {json.dumps(text)}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [message] = problems(fixture_data)
    assert message.startswith(f"data/ui.yaml:{at + 1}: strings.{key}.en: expected ")
    assert got is None or message.endswith(f"got {got}")
