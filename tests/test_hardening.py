"""Property-based hardening: arbitrary text in the data never becomes markup, script or a bad link.

Every data field that reaches a page, a tooltip, a chart or a download is fed arbitrary text
(HTML, `</script>`, quotes, Markdown syntax, RTL and zero-width marks, control characters) through
the real page pipeline: marker expansion (`atlas.registry.expand_page`), Python-Markdown configured
exactly as in mkdocs.yml, and the glossary pass (`Context.annotate`). The properties:

- structure: the multiset of elements and attribute names equals the one produced with a benign
  value, so no element or attribute comes from the data (glossary links are set aside: which
  mention is linked first legitimately depends on the text);
- links: every href/src is http(s) or relative (never javascript:, data: or protocol-relative);
- chart JSON: the `<script type="application/json">` cannot end early, parses back to exactly the
  figure the renderer built, and no plotly label carries markup from data;
- downloads: JSON and CSV give the value back unchanged;
- validation: arbitrary YAML text or values only ever produce `DataError` / `Problem`s, and a
  source URL is accepted only when it is an absolute http(s) URL.

Examples are kept modest so the module runs in about a minute on two cores: 40 per text field and
25 per chart (each example renders several pages), 100–200 for the cheap properties.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import string
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from atlas import selections, workspace
from atlas.annotate import Annotation, annotate_html
from atlas.catalog import Catalog
from atlas.charts import chart_view
from atlas.context import Site
from atlas.documents import parse_yaml, validate_document
from atlas.downloads import FORMULA_START, download_files
from atlas.errors import DataError, Problem
from atlas.loading import load_catalog
from atlas.registry import expand_page
from atlas.datafiles import FILES, SourcesFile
from atlas.schema import Source, Text, TextList
from conftest import FIXTURE_DATA, TODAY

ROOT = Path(__file__).resolve().parents[1]

# 15 generated texts per field, besides the explicit attack strings of each test: each example renders
# whole pages, so this is where the suite's time goes (make test stays within 15 builds).
SETTINGS = settings(max_examples=15, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# ---------------------------------------------------------------------------
# Arbitrary text
# ---------------------------------------------------------------------------

NASTY = [
    "</script><script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"'<>&", "</SCRIPT >",
    "<!-- x -->", "-->", "<![CDATA[x]]>", "\u202egnp.exe", "a\u200bb", "\u2028\u2029", "&amp;&lt;&#60;&#x3c;",
    "[x](javascript:alert(1))", "![i](https://example.com/i.png)", "<https://example.com>", "*em* _em_",
    "`code`", "``", "\\", "\\[x\\]", "{: onclick=alert(1) }", "{ #id .cls onclick=x }", "x\n# heading",
    "x\n\n<div>block</div>", "line  \nbreak", "x\n1. item", "x\n- item", "x\n---", "x\n    code",
    "| a | b |", "*[HTML]: Hyper", "[^1]", "{{ x }}", "{% raw %}", "%{x}", "%{customdata[0]}", "<b>b</b><br>",
    "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "<!-- atlas:src id=qwen3-report -->",
    "混合专家模型", "MoE", "Qwen3-235B-A22B", "\x01\x02\x1f\x7f", "\t tab", "'\"", ";", "=HYPERLINK(\"x\")",
]

# Any character but NUL and lone surrogates (they cannot be written as UTF-8).
CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
_raw = st.one_of(
    st.text(CHARS, min_size=1, max_size=24),
    st.sampled_from(NASTY),
    st.lists(st.one_of(st.sampled_from(NASTY), st.text(CHARS, min_size=1, max_size=8)),
             min_size=2, max_size=4).map("".join),
)
# What validation lets through: NonEmpty strips whitespace and needs one character.
TEXT = _raw.map(str.strip).filter(bool)
LANG = st.sampled_from(["zh", "en"])
BENIGN = "Benign"


# ---------------------------------------------------------------------------
# The page pipeline, as MkDocs runs it
# ---------------------------------------------------------------------------


class Pipeline:
    """The page pipeline of the real site, for any variant of its catalog."""

    def __init__(self, site: Site, convert):
        """Keep the real site (its templates and pages are reused) and the Markdown converter."""
        self.site = site
        self.convert = convert

    def context(self, catalog: Catalog, lang: str, page: str):
        """A render context for a changed catalog: the real site's templates and pages, the catalog's
        own chart selections and glossary annotations."""
        site = Site(catalog=catalog, site_url=self.site.site_url, today=self.site.today, env=self.site.env,
                    shown_on=self.site.shown_on, plotted=selections.plotted_models(catalog))
        return site.context(lang, page)

    def render(self, source: str, page: str, lang: str, catalog: Catalog) -> str:
        """Markers expanded, Markdown rendered, glossary annotated: the page's HTML content."""
        ctx = self.context(catalog, lang, page)
        return ctx.annotate(self.convert(expand_page(source, ctx).markdown))


@pytest.fixture(scope="module")
def pipeline(site) -> Pipeline:
    """The pipeline with Python-Markdown configured with the extensions and settings of mkdocs.yml."""
    from mkdocs.config import load_config

    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)

    def convert(text: str) -> str:
        """Render Markdown with a reset converter (as MkDocs does per page)."""
        return md.reset().convert(text)

    return Pipeline(site, convert)


class Shape(HTMLParser):
    """Elements and attribute names (not values) of an HTML fragment, plus every URL and script."""

    URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "cite", "data"}

    def __init__(self) -> None:
        """Start with an empty shape."""
        super().__init__(convert_charrefs=True)
        self.shape: Counter = Counter()
        self.urls: list[str] = []
        self.json_scripts: list[str] = []
        self.text: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        """Count the element with its attribute names; keep URLs; start collecting JSON scripts."""
        attributes = dict(attrs)
        if tag == "a" and attributes.get("class") == "atlas-term":
            self.urls.append(attributes.get("href") or "")
            return  # glossary links: which mention comes first depends on the text
        self.shape[(tag, tuple(sorted(name for name, _ in attrs)))] += 1
        self.urls.extend(value or "" for name, value in attrs if name in self.URL_ATTRS)
        if tag == "script" and attributes.get("type") == "application/json":
            self._script = []

    def handle_startendtag(self, tag, attrs):
        """Self-closing tags count like start tags."""
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        """Count the end tag; finish a JSON script."""
        self.shape[("/" + tag,)] += 1
        if tag == "script" and self._script is not None:
            self.json_scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data):
        """Collect text, or the JSON of the open script."""
        if self._script is not None:
            self._script.append(data)
        else:
            self.text.append(data)


def shape(html: str) -> Shape:
    """Parse an HTML fragment into its Shape."""
    parser = Shape()
    parser.feed(html)
    parser.close()
    return parser


def fix_atlas_term_ends(html: str) -> str:
    """Drop the `</a>` of glossary links so the end-tag count matches the start tags set aside."""
    return re.sub(r'(<a class="atlas-term" [^>]*>)(.*?)</a>', r"\1\2", html, flags=re.S)


def assert_safe_urls(urls: list[str]) -> None:
    """Every URL is http(s) or relative to the site."""
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme in ("", "http", "https"), f"unsafe URL scheme: {url!r}"
        assert parts.scheme or not parts.netloc, f"protocol-relative URL: {url!r}"


def assert_same_shape(benign_html: str, html: str, data: str) -> None:
    """Same elements and attribute names as with the benign value; only safe URLs."""
    expected, found = shape(fix_atlas_term_ends(benign_html)), shape(fix_atlas_term_ends(html))
    extra = found.shape - expected.shape
    missing = expected.shape - found.shape
    assert not extra and not missing, f"data {data!r} changed the markup: +{dict(extra)} -{dict(missing)}"
    assert_safe_urls(found.urls)


# ---------------------------------------------------------------------------
# Catalog variants
# ---------------------------------------------------------------------------


def both(text: str) -> Text:
    """The same text in both languages (model_construct: no stripping, as validation would allow)."""
    return Text.model_construct(zh=text, en=text)


def with_model(catalog: Catalog, model_id: str, **changes) -> Catalog:
    """The catalog with one model's fields changed."""
    model = dataclasses.replace(catalog.models[model_id], **changes)
    return dataclasses.replace(catalog, models={**catalog.models, model_id: model})


def with_item(catalog: Catalog, attribute: str, item_id: str, **changes) -> Catalog:
    """The catalog with one entry of an id-indexed collection changed (model_copy)."""
    items = getattr(catalog, attribute)
    return dataclasses.replace(catalog, **{attribute: {**items, item_id: items[item_id].model_copy(update=changes)}})


def with_release(catalog: Catalog, release_id: str, **changes) -> Catalog:
    """The catalog with one release changed."""
    releases = [r.model_copy(update=changes) if r.id == release_id else r for r in catalog.releases]
    return dataclasses.replace(catalog, releases=releases)


def with_score_note(catalog: Catalog, model_id: str, text: str) -> Catalog:
    """The catalog with the setting note and locator of a model's scores set to `text`."""
    scores = [s.model_copy(update={"setting": s.setting.model_copy(update={"note": both(text)}),
                                   "locator": text})
              if s.model == model_id else s for s in catalog.scores]
    return dataclasses.replace(catalog, scores=scores)


class _Quiet(Catalog):
    """The real catalog with a short repr, so hypothesis' failure reports stay readable."""

    def __repr__(self) -> str:
        """A short stand-in for the whole catalog."""
        return "<the real catalog>"

    def _repr_pretty_(self, printer, cycle) -> None:
        """The same stand-in for pretty printers."""
        printer.text("<the real catalog>")


@pytest.fixture(scope="module")
def real(catalog) -> Catalog:
    """The real catalog (session fixture from conftest.py)."""
    return _Quiet(**{f.name: getattr(catalog, f.name) for f in dataclasses.fields(catalog)})


def first(items, predicate):
    """The first item that satisfies the predicate."""
    return next(item for item in items if predicate(item))


# Pages that show a model in every way: tables, a comparison, release rows, inline facts.
def model_pages(model_id: str, catalog: Catalog) -> list[tuple[str, str]]:
    """Pages that show a model in every way: tables, its own page, the index, comparisons, releases."""
    scores = [s for s in catalog.scores if s.model == model_id]
    release = next((r for r in catalog.releases if model_id in r.models), None)
    pages = [
        ("benchmarks.md", f"# T\n\nIntro.\n\n<!-- atlas:table dataset=models filter=model:{model_id} "
                          "columns=name,family,variant,released,params,active,context,tokens,license,weights -->\n"),
        (f"models/{model_id}.md", f"# T\n\n<!-- atlas:model id={model_id} -->\n"),
        ("models/index.md", "# T\n\n<!-- atlas:model-index -->\n"),
    ]
    if scores:
        bench = scores[0].benchmark
        pages.append(("benchmarks.md", f"# T\n\n<!-- atlas:compare models={model_id} benchmarks={bench} -->\n\n"
                                       f"<!-- atlas:table dataset=scores filter=model:{model_id} -->\n\n"
                                       f"Score <!-- atlas:score model={model_id} benchmark={bench} "
                                       f"mode={scores[0].setting.mode} --> here.\n"))
    if release is not None:
        pages.append(("timeline.md", "# T\n\n<!-- atlas:table dataset=releases -->\n"))
    return pages


# ---------------------------------------------------------------------------
# Pages: every text field
# ---------------------------------------------------------------------------


def _source_id(catalog: Catalog) -> str:
    """A source that inline facts and citations on the QwQ page point to."""
    return catalog.models["qwq-32b"].source


def _text_fields(catalog: Catalog):
    """(name, function(catalog, text) -> catalog, [(page, markdown)]) for every text field on pages."""
    model_id = "qwq-32b"
    model = catalog.models[model_id]
    family = model.family
    licence = next(m.license for m in catalog.models.values() if m.license)
    release = first(catalog.releases, lambda r: bool(r.models))
    correction = next(iter(catalog.corrections))
    term = "moe" if "moe" in catalog.terms else next(iter(catalog.terms))
    bench = first(catalog.scores, lambda s: s.model == model_id).benchmark
    source = _source_id(catalog)
    fact_line = (f"Size <!-- atlas:fact model={model_id} field=params --> and licence "
                 f"<!-- atlas:fact model={model_id} field=license --> and "
                 f"<!-- atlas:fact model={model_id} field=released -->, see <!-- atlas:src id={source} -->.\n")
    return [
        ("model name", lambda c, t: with_model(c, model_id, name=t), model_pages(model_id, catalog)),
        ("model notes/architecture/developer",
         lambda c, t: with_model(c, model_id, notes=both(t), architecture=both(t), developer=both(t)),
         [(f"models/{model_id}.md", f"# T\n\n<!-- atlas:model id={model_id} -->\n")]),
        ("family name/description", lambda c, t: with_item(c, "families", family, name=both(t), description=both(t)),
         [("index.md", "# T\n\n<!-- atlas:table dataset=families -->\n"),
          ("models/index.md", "# T\n\n<!-- atlas:model-index -->\n"),
          (f"models/{model_id}.md", f"# T\n\n<!-- atlas:model id={model_id} -->\n")]),
        ("licence name/summary", lambda c, t: with_item(c, "licenses", licence, name=both(t), summary=both(t)),
         [("licenses.md", "# T\n\n<!-- atlas:table dataset=licenses -->\n\n"
                          "<!-- atlas:table dataset=models columns=name,license -->\n"),
          ("index.md", "# T\n\n" + "".join(f"<!-- atlas:fact model={m.id} field=license --> "
                                          for m in catalog.models.values() if m.license == licence) + "\n")]),
        ("release title/summary", lambda c, t: with_release(c, release.id, title=both(t), summary=both(t)),
         [("timeline.md", "# T\n\n<!-- atlas:table dataset=releases -->\n"),
          (f"models/{release.models[0]}.md", f"# T\n\n<!-- atlas:model id={release.models[0]} -->\n")]),
        ("correction claim/verified",
         lambda c, t: with_item(c, "corrections", correction, claim=both(t), verified=both(t)),
         [("moe.md", f"# T\n\nText about MoE.\n\n<!-- atlas:correction id={correction} -->\n\nMore 混合专家模型.\n")]),
        ("benchmark name/description", lambda c, t: with_item(c, "benchmarks", bench, name=t, description=both(t)),
         [("benchmarks.md", f"# T\n\n<!-- atlas:compare models={model_id} benchmarks={bench} -->\n\n"
                            f"<!-- atlas:table dataset=scores filter=model:{model_id} -->\n"),
          (f"models/{model_id}.md", f"# T\n\n<!-- atlas:model id={model_id} -->\n")]),
        ("score note/locator", lambda c, t: with_score_note(c, model_id, t),
         [("benchmarks.md", f"# T\n\n<!-- atlas:compare models={model_id} benchmarks={bench} -->\n"),
          (f"models/{model_id}.md", f"# T\n\n<!-- atlas:model id={model_id} -->\n")]),
        ("glossary term/aliases/definition",
         lambda c, t: with_item(c, "terms", term, term=both(t), definition=both(t),
                                aliases=TextList.model_construct(zh=[t, t + "2"], en=[t])),
         [("glossary.md", "# T\n\n<!-- atlas:glossary -->\n"),
          ("moe.md", f"# T\n\n<!-- atlas:concepts terms={term} -->\n\nMoE 与混合专家模型 and Mixture of Experts.\n")]),
        ("source title/publisher", lambda c, t: with_item(c, "sources", source, title=both(t), publisher=both(t)),
         [("sources.md", "# T\n\n<!-- atlas:sources -->\n"),
          ("qwq.md", "# T\n\n" + fact_line),
          ("qwq.md", f"# T\n\n<!-- atlas:table dataset=models filter=model:{model_id} -->\n"),
          (f"models/{model_id}.md", f"# T\n\n<!-- atlas:model id={model_id} -->\n")]),
    ]


FIELD_NAMES = ["model name", "model notes/architecture/developer", "family name/description",
               "licence name/summary", "release title/summary", "correction claim/verified",
               "benchmark name/description", "score note/locator", "glossary term/aliases/definition",
               "source title/publisher"]


@pytest.mark.parametrize("field", FIELD_NAMES)
@settings(SETTINGS, max_examples=10)  # each example renders and parses whole pages, the model index too
@given(text=TEXT, lang=LANG)
@example(text="[x](javascript:alert(1))", lang="zh")
@example(text="`x` *y* _z_ {: onclick=alert(1) }", lang="en")
@example(text="x\n# heading\n1. item", lang="en")
@example(text="</script><script>alert(1)</script>", lang="zh")
@example(text="x\r\r# heading\r\r[a](javascript:alert(1))\x1e\u2028- item", lang="en")
def test_text_fields_never_become_markup(real, pipeline, field, text, lang):
    """Arbitrary text in any field shown on a page yields the same markup as a benign value."""
    name, change, pages = next(item for item in _text_fields(real) if item[0] == field)
    variant = change(real, text)
    for page, source in pages:
        page = page.replace(".md", ".en.md") if lang == "en" else page
        key = (field, page, source)
        if key not in _BENIGN:
            _BENIGN[key] = pipeline.render(source, page, lang, change(real, BENIGN))
        found = pipeline.render(source, page, lang, variant)
        assert_same_shape(_BENIGN[key], found, text)


_BENIGN: dict[tuple, str] = {}


@SETTINGS
@given(suffix=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), max_size=30), lang=LANG)
@example(suffix="[a](javascript:alert(1))`x`", lang="zh")
@example(suffix='"><script>alert(1)</script>', lang="en")
def test_source_urls_stay_in_their_attribute(real, pipeline, suffix, lang):
    """A valid source URL with arbitrary path characters stays one href, exactly as written."""
    url = "https://example.com/" + suffix
    Source.model_validate({"id": "x", "url": url, "title": {"zh": "x", "en": "x"},
                           "publisher": {"zh": "x", "en": "x"}, "kind": "paper"})  # it is valid data
    source = _source_id(real)
    page = "qwq.en.md" if lang == "en" else "qwq.md"
    text = (f"# T\n\nA <!-- atlas:src id={source} --> and <!-- atlas:fact model=qwq-32b field=params -->.\n\n"
            "<!-- atlas:sources -->\n")
    expected = pipeline.render(text, page, lang, with_item(real, "sources", source, url="https://example.com/x"))
    found_html = pipeline.render(text, page, lang, with_item(real, "sources", source, url=url))
    assert_same_shape(expected, found_html, url)
    assert url in shape(found_html).urls, "the URL must come back unchanged from the href"


# ---------------------------------------------------------------------------
# Glossary annotation with arbitrary terms and definitions
# ---------------------------------------------------------------------------


def _visible_text(html: str) -> str:
    """The text content of an HTML fragment (character references decoded)."""
    return "".join(shape(html).text)


@SETTINGS
@given(term=TEXT, definition=TEXT, before=TEXT)
@example(term="<b>", definition="</a><script>alert(1)</script>", before="x")
@example(term="a&b", definition='" onmouseover="alert(1)', before="a&b")
@example(term="MoE", definition="\u202e\u200b'\"", before="MoE")
def test_annotation_of_arbitrary_terms(term, definition, before):
    """Any term text and definition: the text is unchanged, the tooltip is exactly the definition."""
    import html as htmllib

    body = (f"<h2 id=\"x\">{htmllib.escape(term)}</h2><p>{htmllib.escape(before)} {htmllib.escape(term)} "
            f"<code>{htmllib.escape(term)}</code> &amp; {htmllib.escape(term)}</p>")
    annotations = [Annotation(term, "t", "../glossary/#term-t", definition),
                   Annotation(term + "x", "u", "../glossary/#term-u", definition)]
    out = annotate_html(body, annotations)
    assert _visible_text(out) == _visible_text(body)
    assert shape(fix_atlas_term_ends(out)).shape == shape(body).shape  # only atlas-term links were added
    links = re.findall(r'<a class="atlas-term" href="([^"]*)" title="([^"]*)">', out)
    assert len(links) <= 2
    for href, title in links:
        assert htmllib.unescape(href) in ("../glossary/#term-t", "../glossary/#term-u")
        assert htmllib.unescape(title) == definition


def _reference_pattern(spellings) -> re.Pattern[str]:
    """The plain alternation the trie regex replaces: longest first, guards at ASCII ends."""
    parts = []
    for spelling in sorted(set(spellings), key=lambda s: (-len(s), s)):
        left = r"(?<![A-Za-z0-9_-])" if re.match(r"[A-Za-z0-9_]", spelling[0]) else ""
        right = r"(?![A-Za-z0-9_-])" if re.match(r"[A-Za-z0-9_]", spelling[-1]) else ""
        parts.append(left + re.escape(spelling) + right)
    return re.compile("|".join(parts))


SPELLING = st.text(st.sampled_from("aAbM-_ 1.混合专家模型\n*(?"), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(spellings=st.lists(SPELLING, min_size=1, max_size=8), text=st.text(st.sampled_from("aAbM-_ 1.混合专家模型x\n*(?"),
                                                                          max_size=40))
@example(spellings=["MoE", "MoE model", "Mo"], text="MoE modelx MoE-x xMoE MoE model")
def test_trie_pattern_matches_like_the_plain_alternation(spellings, text):
    """The glossary's trie regex finds exactly the matches of a longest-first alternation."""
    from atlas.annotate import build_pattern

    pattern = build_pattern([Annotation(s, s, "#", "") for s in spellings])
    expected = [(m.span(), m.group(0)) for m in _reference_pattern(spellings).finditer(text)]
    assert [(m.span(), m.group(0)) for m in pattern.finditer(text)] == expected


# ---------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------

ALLOWED_PLOTLY_TAGS = re.compile(r"</?(?:b|br|extra)>")


def _strings(value):
    """Every string (keys included) in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _chart_variants(catalog: Catalog):
    """(chart id, function(catalog, text) -> catalog) for data text that ends up in chart labels."""
    grid = selections.qwq_reasoning(catalog)
    qwq = grid.rows[0][0].id  # the first model the chart plots
    family = catalog.models[qwq].family
    licence = next(m.license for m in catalog.models.values() if m.license)
    bench = grid.benchmarks[0]
    chart_texts = lambda chart_id: (lambda c, t: with_item(c, "charts", chart_id, title=both(t),  # noqa: E731
                                                           caption=both(t), alt=both(t)))
    return [
        ("qwq-reasoning", lambda c, t: with_model(c, qwq, name=t)),
        ("qwq-reasoning", lambda c, t: with_item(c, "benchmarks", bench, name=t)),
        ("release-timeline", lambda c, t: with_item(c, "families", family, name=both(t))),
        ("release-timeline", lambda c, t: with_model(c, qwq, name=t)),
        ("license-by-generation", lambda c, t: with_item(c, "licenses", licence, name=both(t))),
        ("tokens-by-generation", chart_texts("tokens-by-generation")),
        ("moe-params", chart_texts("moe-params")),
    ]


@pytest.mark.parametrize("variant", range(7))
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=TEXT, lang=LANG)
@example(text="</script><!--<script>", lang="zh")
@example(text="<a href=\"javascript:alert(1)\">x</a> %{customdata[0]} \u2028", lang="en")
def test_chart_json_and_labels(real, pipeline, variant, text, lang):
    """Chart JSON cannot close its script, parses back to the figure, and labels carry no data markup."""
    chart_id, change = _chart_variants(real)[variant]
    assume(chart_id in real.charts)
    catalog = change(real, text)
    page = "moe.en.md" if lang == "en" else "moe.md"
    source = f"# T\n\n<!-- atlas:chart id={chart_id} -->\n"
    html = pipeline.render(source, page, lang, catalog)
    key = (variant, page)
    if key not in _BENIGN:
        _BENIGN[key] = pipeline.render(source, page, lang, change(real, BENIGN))
    assert_same_shape(_BENIGN[key], html, text)
    found = shape(html)
    assert len(found.json_scripts) == 1
    raw = found.json_scripts[0]
    assert "<" not in raw and "\u2028" not in raw and "\u2029" not in raw
    figure = json.loads(raw)
    payload = chart_view(chart_id, pipeline.context(catalog, lang, page))["payload"]
    assert figure == json.loads(json.dumps(payload))
    for value in _strings(figure):
        assert "<" not in ALLOWED_PLOTLY_TAGS.sub("", value), f"markup from data in a chart label: {value!r}"


# ---------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------


@SETTINGS
@given(text=TEXT)
@example(text='=HYPERLINK("http://x","y"),\r\n"x"')
@example(text="\u202e\u200b</script>")
def test_downloads_round_trip(real, text):
    """JSON gives back exactly what the data holds; CSV too, but for the apostrophe that keeps a
    spreadsheet from running a cell as a formula."""
    model_id = "qwq-32b"
    source = _source_id(real)
    catalog = with_item(with_model(real, model_id, name=text, notes=both(text)), "sources", source,
                        title=both(text))
    files = download_files(catalog)
    models = json.loads(files["data/models.json"].decode("utf-8"))
    item = first(models["items"], lambda m: m["id"] == model_id)
    assert item["name"] == text and item["notes"] == {"zh": text, "en": text}
    rows = list(csv.DictReader(io.StringIO(files["data/models.csv"].decode("utf-8"), newline="")))
    row = first(rows, lambda r: r["id"] == model_id)
    in_csv = "'" + text if text.startswith(FORMULA_START) else text
    assert row["name"] == in_csv and row["notes.zh"] == in_csv
    sources = json.loads(files["data/sources.json"].decode("utf-8"))
    assert first(sources["items"], lambda s: s["id"] == source)["title"]["en"] == text
    source_rows = list(csv.DictReader(io.StringIO(files["data/sources.csv"].decode("utf-8"), newline="")))
    assert first(source_rows, lambda r: r["id"] == source)["title.en"] == in_csv


# ---------------------------------------------------------------------------
# Validation: only DataError / Problems, never a crash
# ---------------------------------------------------------------------------


# Mostly characters PyYAML accepts, with YAML's own punctuation weighted in.
YAML_TEXT = st.text(st.one_of(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
                              st.sampled_from("\t\n\r\x85 :-[]{}&*!|>'\"%@`#,?")), max_size=200)


@SETTINGS
@given(text=st.one_of(YAML_TEXT, st.text(CHARS, max_size=80)))
@example(text="a: [1, 2")
@example(text="!!python/object/apply:os.system ['echo x']")
@example(text="? [a, b]\n: c\n")
@example(text="\ufeffa: 1\n\x85b: c")
@example(text="{" * 30)
@example(text="a: *nope\n")
@example(text="a: &x [*x]\n")
@example(text="a: 1\nb: \x07")
def test_parse_yaml_never_raises(text):
    """Any text: a parsed document or problems, never an exception."""
    located, problems = parse_yaml(text, "data/x.yaml")
    assert located is not None or problems
    assert all(isinstance(p, Problem) for p in problems)


@pytest.mark.parametrize("text, line", [("a: 1\nb: \x07\n", 2), ("a: \x1b[31m\n", 1)])
def test_parse_yaml_reports_unprintable_characters(text, line):
    """A control character in a data file is a problem on its line, not a traceback (found by the
    property test above: PyYAML raises ReaderError while the loader is being created)."""
    located, problems = parse_yaml(text, "data/x.yaml")
    assert located is None and [p.line for p in problems] == [line]
    assert "unacceptable character" in problems[0].message


def test_parse_yaml_reports_recursive_aliases():
    """`a: &x [*x]` is a problem, not a RecursionError."""
    located, problems = parse_yaml("a: &x [*x]\n", "data/x.yaml")
    assert located is None and len(problems) == 1 and "alias" in problems[0].message


YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT,
              st.dates().map(lambda d: d.isoformat())),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.text(string.ascii_lowercase + "_", min_size=1, max_size=8),
                                               children, max_size=3)),
    max_leaves=6)


@SETTINGS
@given(stem=st.sampled_from(sorted(FILES)), data=YAML_VALUES)
def test_validate_document_only_reports_problems(stem, data):
    """Any parsed value against any root model: a document or problems with a line."""
    located, problems = parse_yaml(yaml.safe_dump(data, allow_unicode=True), f"data/{stem}.yaml")
    assert located is not None and not problems
    document, problems = validate_document(located, FILES[stem], f"data/{stem}.yaml", TODAY)
    assert (document is None) == bool(problems)
    assert all(isinstance(p, Problem) and p.line >= 1 for p in problems)


def _paths(value, path=()):
    """Every (path to a leaf or container) in a loaded YAML document."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _set(document, path, value):
    """Set the value at a path of a loaded YAML document."""
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


@pytest.fixture(scope="module")
def fixture_documents():
    """The fixture data set as bytes and as plain YAML, with the paths of every value."""
    contents = workspace.read_data(FIXTURE_DATA)
    contents["ui"] = (ROOT / "data" / "ui.yaml").read_bytes()
    load_catalog(contents, TODAY)  # the fixture is valid to begin with
    documents = {stem: yaml.safe_load(content) for stem, content in contents.items() if content is not None}
    paths = [(stem, path) for stem in sorted(documents) if stem != "ui"
             for path in _paths(documents[stem]) if path]
    return contents, documents, paths


@SETTINGS
@given(choice=st.integers(min_value=0), value=YAML_VALUES, raw=st.booleans())
def test_load_catalog_only_raises_data_error(fixture_documents, choice, value, raw):
    """An arbitrary value anywhere in the data: the catalog loads, or DataError lists the problems."""
    contents, documents, paths = fixture_documents
    stem, path = paths[choice % len(paths)]
    document = json.loads(json.dumps(documents[stem]))
    _set(document, path, value)
    if raw and isinstance(value, str):  # the text itself as the whole file
        changed = value.encode("utf-8")
    else:
        changed = yaml.safe_dump(document, allow_unicode=True).encode("utf-8")
    try:
        load_catalog({**contents, stem: changed}, TODAY)
    except DataError as error:
        assert error.problems and all(isinstance(p, Problem) for p in error.problems)


URL_TEXT = st.one_of(
    st.text(CHARS, min_size=1, max_size=40),
    st.sampled_from(["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "vbscript:x", "ftp://a.b/x",
                     "//example.com/x", "https://", "https:/example.com", "http//example.com", "file:///etc/passwd",
                     "https://example", "mailto:a@b.c", " javascript:alert(1)", "java\tscript:alert(1)",
                     "\x01https://example.com", "https://example.com/ok", "HTTPS://EXAMPLE.COM"]),
    st.builds(lambda scheme, rest: scheme + rest, st.sampled_from(["http://", "https://", "javascript://", "ftp://"]),
              st.text(CHARS, min_size=1, max_size=30)),
)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(url=URL_TEXT)
def test_source_url_must_be_http(url):
    """Source.url accepts only absolute http(s) URLs with a host; everything else is a problem."""
    data = {"reviewed": "2025-01-01", "sources": [{"id": "x", "url": url, "title": {"zh": "x", "en": "x"},
                                                  "publisher": {"zh": "x", "en": "x"}, "kind": "paper"}]}
    located, problems = parse_yaml(json.dumps(data), "data/sources.yaml")
    document, problems = validate_document(located, SourcesFile, "data/sources.yaml", TODAY)
    if document is None:
        assert any(p.field == "sources[0].url" for p in problems)
        return
    accepted = document.sources[0].url
    parts = urlsplit(accepted)
    assert parts.scheme in ("http", "https") and parts.netloc and "." in parts.netloc
    assert accepted.startswith(("http://", "https://"))


@pytest.mark.parametrize("url", ["https://example.com/\x03", "https://example.com/\x1b[31m", "https://exa\x7fmple.com/",
                                 "https://example.com/a\x85b"])
def test_urls_with_control_characters_are_rejected(url):
    """A URL never holds control characters (Markdown drops \\x02/\\x03 from an href, browsers others)."""
    from atlas.schema import License

    data = {"id": "x", "name": {"zh": "x", "en": "x"}, "url": url, "summary": {"zh": "x", "en": "x"},
            "commercial_use": "yes", "source": "x"}
    with pytest.raises(ValueError):
        License.model_validate(data)


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_non_finite_numbers_are_rejected(value):
    """`.inf` as a parameter count would reach pages as 'inf' and chart JSON as `Infinity` (not JSON)."""
    from atlas.schema import ModelEntry

    with pytest.raises(ValueError):
        ModelEntry.model_validate({"id": "x", "name": "x", "params_b": value})
