"""The data schema: the pydantic record classes of every YAML file in `data/`.

A *record* is an entry as an editor writes it; a `Model` (catalog.py) is a Qwen or peer model
with its base model's fields inherited. These classes are the single source of truth: the JSON
Schemas in `data/schemas/` and the field documentation on the Data page are generated from them
(`make schemas`), and `make check` fails when those are stale. The classes of the files
themselves, and which file holds which, are in datafiles.py.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationInfo

# One pattern for every id: lower-case words of letters and digits joined by single '-' or '.'
# (no leading, trailing or doubled separators: an id becomes a file name and a URL).
ID_PATTERN = r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80), Field(
    description=("A stable lower-case id: words of letters and digits joined by single '-' or '.', "
                 "used in URLs and references."))]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


def _http_url(value: str) -> str:
    """Accept only absolute http(s) URLs with a host and no whitespace."""
    # no whitespace or control characters anywhere: browsers and Markdown silently drop some of them
    if not re.fullmatch(r"https?://[^\x00-\x20\x7f-\x9f/?#]+\.[^\x00-\x20\x7f-\x9f/?#]+[^\x00-\x20\x7f-\x9f]*", value):
        raise ValueError("an absolute http:// or https:// URL")
    return value


# What an editor's schema checks of a URL while typing (javascript:, ftp: and relative links are
# refused); _http_url checks the rest (a host, no whitespace).
HTTP_URL_PATTERN = "^https?://"
HttpUrl = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_http_url), Field(
    description="An absolute http:// or https:// URL.", json_schema_extra={"pattern": HTTP_URL_PATTERN})]


def _not_future(value: dt.date, info: ValidationInfo) -> dt.date:
    """Reject dates after the build's today (passed as validation context): the data records what has happened."""
    today = (info.context or {}).get("today")
    if today is None:  # a programming error, not a data error: every loader passes the date
        raise RuntimeError("validate records with context={'today': <date>}")
    if value > today:
        raise ValueError(f"a date that is not in the future (today is {today.isoformat()})")
    return value


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _quoted_iso_date(value: object) -> dt.date:
    """A date only from a quoted "YYYY-MM-DD" string: not a number (1700000000), not an unquoted YAML
    date (read as a date or a timestamp by YAML's own rules), not a date and time."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError('a valid date, quoted: "YYYY-MM-DD"')
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError('a valid date, quoted: "YYYY-MM-DD" (this day does not exist)') from None


IsoDate = Annotated[dt.date, BeforeValidator(_quoted_iso_date)]
PastDate = Annotated[IsoDate, AfterValidator(_not_future), Field(
    description="A date in ISO form, quoted: \"YYYY-MM-DD\". Beijing time (UTC+8) for releases.")]


class Strict(BaseModel):
    """Base for every record class: unknown keys are errors, values are never coerced (strict: `true`
    is not a number, a number is not text or a date; an integer is accepted where a decimal is)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, strict=True,
                              allow_inf_nan=False)  # .inf / .nan are not figures, and not JSON


CJK_PUNCT = "\u3000-\u303f\uff00-\uffef"
CJK = "\u2e80-\u9fff" + CJK_PUNCT
# between two Chinese characters, or next to full-width punctuation, a space is never wanted
_FOLDED_SPACE = re.compile(f"(?<=[{CJK}])[ \t\n]+(?=[{CJK}])|(?<=[{CJK_PUNCT}])[ \t\n]+|[ \t\n]+(?=[{CJK_PUNCT}])")


def _join_chinese_lines(value: str) -> str:
    """Drop the spaces YAML folding puts between two Chinese characters (Chinese has none)."""
    return _FOLDED_SPACE.sub("", value)


ChineseText = Annotated[NonEmpty, AfterValidator(_join_chinese_lines)]


class Text(Strict):
    """A human-readable string in both languages."""

    zh: ChineseText = Field(description="Simplified Chinese.")
    en: NonEmpty = Field(description="English.")


# Words too common to be a glossary spelling: every spelling is linked wherever it occurs in the text.
COMMON_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or",
    "that", "the", "this", "to", "was", "with", "model", "models",
    "的", "了", "是", "在", "和", "与", "或", "及", "等", "也", "都", "而", "个", "这", "那", "有", "中", "一",
    "不", "我们", "一个", "这个", "以及", "或者", "可以", "模型",
})
_SPELLING_EXPECTED = ("a spelling of at least two characters that is not a common word "
                      "(it is linked wherever it occurs in the text)")


def _specific_spelling(value: str) -> str:
    """A glossary spelling must be specific: not one character, not a common word."""
    if len(value) < 2 or value.casefold() in COMMON_WORDS:
        raise ValueError(_SPELLING_EXPECTED)
    return value


def specific_headword(value: Text) -> Text:
    """Both headwords of a glossary term must be specific spellings."""
    for lang in ("zh", "en"):
        if len(getattr(value, lang)) < 2 or getattr(value, lang).casefold() in COMMON_WORDS:
            raise ValueError(f"{lang}: {_SPELLING_EXPECTED}")
    return value


Spelling = Annotated[NonEmpty, AfterValidator(_specific_spelling)]


class TextList(Strict):
    """Glossary spellings per language: at least two characters each, not a common word."""

    zh: list[Spelling] = Field(default_factory=list, description="Chinese strings.")
    en: list[Spelling] = Field(default_factory=list, description="English strings.")


# ---------------------------------------------------------------------------
# sources.yaml
# ---------------------------------------------------------------------------

SourceKind = Literal["blog", "repository", "paper", "model-card", "docs", "license", "press"]


class Source(Strict):
    """A primary (or clearly labelled secondary) source that figures point to."""

    id: Id
    url: HttpUrl
    title: Text = Field(description="The source's title, in both languages.")
    publisher: Text = Field(description="Who published it (e.g. Qwen Team, arXiv, Hugging Face).")
    date: PastDate | None = Field(default=None, description="Publication date, if the source has one.")
    kind: SourceKind = Field(description="What sort of source this is; 'press' marks a secondary source.")


# ---------------------------------------------------------------------------
# licenses.yaml
# ---------------------------------------------------------------------------


class License(Strict):
    """A licence under which model weights are published."""

    id: Id
    name: Text = Field(description="The licence's name.")
    url: HttpUrl
    summary: Text = Field(description="One or two sentences: what it allows and requires.")
    commercial_use: Literal["yes", "conditional", "no"] = Field(
        description="'conditional' when commercial use needs a separate licence above a threshold.")
    source: Id = Field(description="Source id for the licence terms.")


# ---------------------------------------------------------------------------
# models.yaml
# ---------------------------------------------------------------------------

Variant = Literal["base", "instruct", "chat", "thinking", "hybrid", "coder", "math", "vision",
                  "audio", "omni", "embedding", "proprietary"]


class MoE(Strict):
    """Mixture-of-experts configuration. 'activated_experts' counts routed experts only."""

    routed_experts: int = Field(ge=1, le=100_000, description=(
        "Routed (non-shared) experts per MoE layer (at most 100,000)."))
    activated_experts: int = Field(ge=1, le=100_000, description=(
        "Routed experts activated per token (at most 100,000)."))
    shared_experts: int = Field(ge=0, le=100_000, description=(
        "Shared experts that are always active (0 if none; at most 100,000)."))


class Family(Strict):
    """A generation or product line (Qwen 1.0, Qwen2.5, QwQ, DeepSeek ...)."""

    id: Id
    name: Text = Field(description="The family's name, e.g. Qwen2.5.")
    order: int = Field(ge=0, le=100_000, description="Sort key: generations in chronological order.")
    qwen: bool = Field(description="True for Qwen families; false for peers used in comparisons.")
    description: Text = Field(description="What sets the family apart, in a sentence or two.")
    reviewed: PastDate = Field(description=(
        "When the family's models and releases were last checked against their sources; "
        "`make check` warns after 90 days."))


# Pages written by hand under content/models/ (a model's page is content/models/<id>.md), and the
# language suffixes of static-i18n (content/models/<id>.en.md is the English page of <id>).
MODEL_PAGE_NAMES = frozenset({"index"})
PAGE_LANGUAGES = ("zh", "en")


def _model_page_id(value: str) -> str:
    """A model id becomes a file name under content/models/: it may not be a page's name there."""
    if value in MODEL_PAGE_NAMES:
        raise ValueError(f"an id that is not the name of a page under content/models/ "
                         f"({', '.join(sorted(MODEL_PAGE_NAMES))})")
    if value.rsplit(".", 1)[-1] in PAGE_LANGUAGES and "." in value:
        raise ValueError(f"an id that does not end in a language suffix ({', '.join('.' + lang for lang in PAGE_LANGUAGES)}): "
                         "its page would be taken for a translation")
    return value


class ModelEntry(Strict):
    """A model as written in models.yaml. Fields left out are inherited from `base_model`."""

    id: Annotated[Id, AfterValidator(_model_page_id), Field(description=(
        "The model's id; its page is models/<id>/, so it may not be 'index' or end in '.zh' or '.en'."))]
    name: NonEmpty = Field(description="The official model name, e.g. Qwen3-235B-A22B.")
    base_model: Id | None = Field(default=None, description=(
        "Id of the model this one is a variant of. Unset fields are inherited from it."))
    family: Id | None = None
    developer: Text | None = Field(default=None, description="Who made the model (e.g. Qwen Team, DeepSeek).")
    variant: Variant | None = Field(default=None, description="What kind of model: base, instruct, thinking, hybrid, coder, vision ...")
    released: PastDate | None = None
    date_precision: Literal["day", "month"] | None = Field(default=None, description=(
        "'month' when only the month is sourced."))
    params_b: float | None = Field(default=None, gt=0, le=100_000, description=(
        "Total parameters, in billions (at most 100,000, i.e. 100 trillion)."))
    active_params_b: float | None = Field(default=None, gt=0, le=100_000, description=(
        "Activated parameters per token, in billions (MoE models only; at most 100,000)."))
    context_tokens: int | None = Field(default=None, gt=0, le=100_000_000, description=(
        "Context length in tokens (at most 100,000,000)."))
    training_tokens_t: float | None = Field(default=None, gt=0, le=1000, description=(
        "Pre-training tokens, in trillions (at most 1,000)."))
    license: Id | None = Field(default=None, description="Licence id (open-weight models).")
    weights: Literal["open", "api"] | None = Field(default=None, description=(
        "'open' for downloadable weights, 'api' for API-only models."))
    architecture: Text | None = Field(default=None, description="Notes on the architecture (attention, layers, ...).")
    moe: MoE | None = Field(default=None, description="The mixture-of-experts configuration (MoE models only).")
    notes: Text | None = Field(default=None, description="Anything else a reader should know about the model.")
    source: Id | None = Field(default=None, description="Main source for this model's figures.")
    field_sources: dict[str, Id] = Field(default_factory=dict, description=(
        "Per-field source ids where a figure comes from a different source than `source`."))
    related: list[Id] = Field(default_factory=list, description=(
        "Other related models (e.g. preview -> final). Base and variants are linked automatically."))


# Fields a variant inherits from its base model when it leaves them out.
INHERITED = ("family", "developer", "variant", "released", "date_precision", "params_b",
             "active_params_b", "context_tokens", "training_tokens_t", "license", "weights",
             "architecture", "moe", "source")
# Fields that must be known once inheritance is applied: a model without base_model writes them.
REQUIRED = ("family", "developer", "variant", "weights", "source")
# Fields that carry a figure and may name their own source in `field_sources`.
FIGURES = ("released", "params_b", "active_params_b", "context_tokens", "training_tokens_t",
           "license", "moe")


# ---------------------------------------------------------------------------
# releases.yaml
# ---------------------------------------------------------------------------


class Release(Strict):
    """A dated event on the timeline."""

    id: Id
    date: PastDate
    date_precision: Literal["day", "month"] = Field(default="day", description="'month' when only the month is sourced.")
    approximate: bool = Field(default=False, description="True when the date is only approximate.")
    title: Text = Field(description="The event's title.")
    summary: Text = Field(description="What was released, in a sentence or two.")
    models: list[Id] = Field(default_factory=list, description="Models released in this event.")
    source: Id
    extra_sources: list[Id] = Field(default_factory=list, description="Further sources of the event (ids).")


# ---------------------------------------------------------------------------
# benchmarks.yaml
# ---------------------------------------------------------------------------


# Evaluation modes, from the plainest to the most deliberate. Pages list scores in this order;
# charts that show one score per model prefer the last mode available (selections.py).
Mode = Literal["base", "instruct", "non-thinking", "thinking"]
MODES: tuple[str, ...] = get_args(Mode)
# Benchmark categories, in the order model pages list them.
BenchmarkCategory = Literal["knowledge", "reasoning", "math", "code", "alignment", "agent", "multilingual"]
BENCHMARK_CATEGORIES: tuple[str, ...] = get_args(BenchmarkCategory)


class Benchmark(Strict):
    """A benchmark definition."""

    id: Id
    name: NonEmpty = Field(description="The benchmark's name, as its authors write it.")
    category: BenchmarkCategory = Field(description="What the benchmark measures: knowledge, reasoning, math, code, alignment, agent or multilingual.")
    description: Text = Field(description="What the benchmark tests, in a sentence or two.")
    unit: Literal["score", "percent", "rating", "problems"] = Field(default="score", description="The unit of its scores: score, percent (0-100), rating or problems (solved).")
    url: HttpUrl | None = None


class Setting(Strict):
    """How a score was obtained."""

    mode: Mode = Field(description=(
        "base = pre-trained model; instruct = chat model; thinking / non-thinking = hybrid modes."))
    shots: int | None = Field(default=None, ge=0, le=1000, description="Few-shot examples, if stated (at most 1,000).")
    tools: bool = Field(default=False, description="True if tools (e.g. a Python interpreter) were used.")
    note: Text | None = Field(default=None, description="Anything else about how the score was obtained.")


class Score(Strict):
    """One benchmark result of one model, with its source."""

    model: Id
    benchmark: Id
    value: float = Field(ge=0, le=100_000, description=(
        "The result, in the benchmark's unit: 0-100 for a percent benchmark, at most 100,000 for any."))
    setting: Setting = Field(description="How the score was obtained: mode, few-shot examples, tools.")
    source: Id
    locator: NonEmpty | None = Field(default=None, description="Where in the source, e.g. 'Table 11'.")


# ---------------------------------------------------------------------------
# glossary.yaml
# ---------------------------------------------------------------------------


class Term(Strict):
    """A glossary term, annotated in the running text of both languages."""

    id: Id
    term: Annotated[Text, AfterValidator(specific_headword)] = Field(description=(
        "The headword in each language: at least two characters, not a common word."))
    aliases: TextList = Field(default_factory=TextList, description=(
        "Other spellings matched in text (e.g. abbreviations): at least two characters, not a common word."))
    definition: Text = Field(description="The definition, in both languages.")
    category: Literal["architecture", "training", "moe", "benchmark", "license", "deployment", "general"] = Field(
        description="The subject: architecture, training, moe, benchmark, license, deployment or general.")
    see_also: list[Id] = Field(default_factory=list, description="Related glossary terms (ids).")
    sources: list[Id] = Field(min_length=1, description=(
        "The sources of the definition's facts (figures, dates, what Qwen models use): the concept's "
        "original paper or page first, then Qwen's own sources."))


# ---------------------------------------------------------------------------
# corrections.yaml, charts.yaml, changelog.yaml, ui.yaml
# ---------------------------------------------------------------------------


class Correction(Strict):
    """A claim of the seed article that a primary source contradicts."""

    id: Id
    status: Literal["corrected", "caveat", "unverifiable"] = Field(default="corrected", description=(
        "corrected: a primary source says otherwise; caveat: right only with a qualification; "
        "unverifiable: no primary source supports it (never shown as fact)."))
    claim: Text = Field(description="What the article said.")
    verified: Text = Field(description=(
        "What the primary source says (for 'unverifiable': what is and is not known)."))
    sources: list[Id] = Field(min_length=1, description=(
        "Primary sources; for 'unverifiable', the canonical page to check or the secondary reports."))


# The topics of the fact-check, in the order of its sections (and of the ledger's topic filter).
Topic = Literal["timeline", "specs", "moe", "architecture", "post-training", "qwq", "benchmarks",
                "ecosystem", "narrative"]
TOPICS: tuple[str, ...] = get_args(Topic)
Verdict = Literal["confirmed", "corrected", "unverifiable"]
VERDICTS: tuple[str, ...] = get_args(Verdict)
# A page of content/ (the Chinese file name), optionally with an anchor on it.
UsedOn = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._/-]*\.md(#[a-z0-9][a-z0-9._-]*)?$",
                                          max_length=200), Field(
    description="A page of content/ as its Chinese file name, optionally with an anchor: 'moe.md#moe-qwen3'.")]


class Claim(Strict):
    """One claim of the seed article and what checking it found: an entry of the fact-check ledger."""

    id: Id
    topic: Topic = Field(description=(
        "The subject: timeline, specs (sizes, context, tokens, licences), moe, architecture, "
        "post-training, qwq, benchmarks, ecosystem or narrative."))
    claim: Text = Field(description="The article's claim, in short.")
    verdict: Verdict = Field(description=(
        "confirmed: a primary source says so; corrected: a primary source says otherwise; "
        "unverifiable: no primary source supports it (shown only as the article's unverified claim)."))
    published: Text = Field(description=(
        "The value the site publishes; for 'unverifiable', what is and is not known (never a fact)."))
    sources: list[Id] = Field(default_factory=list, description=(
        "Primary sources of the published value; press reports (kind: press) only for 'unverifiable'."))
    correction: Id | None = Field(default=None, description=(
        "The correction note about this claim (an id in corrections.yaml), if the site shows one."))
    used_on: list[UsedOn] = Field(default_factory=list, description=(
        "Where the site uses the figure: pages of content/ with an optional anchor, e.g. 'moe.md#moe-qwen3'."))


class Chart(Strict):
    """Texts of a chart; the figure itself is built from the other datasets."""

    id: Id
    title: Text = Field(description="The chart's title.")
    caption: Text = Field(description="The caption under the chart.")
    alt: Text = Field(description="Text alternative describing what the chart shows.")
    as_of: PastDate
    sources: list[Id] = Field(default_factory=list, description=(
        "Extra sources; the sources of every plotted row are added automatically."))


class Change(Strict):
    """One entry of the data changelog."""

    date: PastDate
    kind: Literal["added", "corrected", "updated", "removed"] = Field(description="What sort of change: added, corrected, updated or removed.")
    summary: Text = Field(description="What changed, in a sentence.")
    refs: list[Id] = Field(default_factory=list, description=(
        "Ids of the models, sources, corrections or glossary terms concerned."))


# file stem -> root model; the order is the load order.
