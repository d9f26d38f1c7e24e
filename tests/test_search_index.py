"""The per-language search index split, the jieba user dictionary and the patched search worker."""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from atlas import jieba_dict, search_index, stubs, workspace

ZW = "\u200b"
CONFIG = {"lang": ["zh", "en"], "separator": "[\\s\\u200b]+", "pipeline": ["trimmer"], "fields": {}}


def combined_index() -> dict:
    """A small combined index in the shape static-i18n writes."""
    return {
        "config": CONFIG,
        "docs": [
            {"location": "", "title": "概览", "text": f"{ZW}通义{ZW}千问{ZW}"},
            {"location": "moe/", "title": f"{ZW}混合{ZW}专家{ZW}", "text": f"{ZW}混合{ZW}专家{ZW}模型"},
            {"location": "moe/#routing", "title": f"路由{ZW}{ZW}专家 (MoE)", "text": "x"},
            {"location": "engine/", "title": "Engine", "text": "not English"},
            {"location": "en/", "title": "Overview", "text": "Qwen"},
            {"location": "en/moe/", "title": "Mixture of Experts", "text": "experts", "boost": 2},
            {"location": "en/moe/#routing", "title": "Routing", "text": "router"},
        ],
    }


# ---------------------------------------------------------------------------
# split_index
# ---------------------------------------------------------------------------


def test_split_puts_each_entry_in_its_language():
    """Entries under en/ go to the English index, all others to the Chinese one."""
    parts = search_index.split_index(combined_index())
    assert [d["location"] for d in parts["zh"]["docs"]] == ["", "moe/", "moe/#routing", "engine/"]
    assert [d["location"] for d in parts["en"]["docs"]] == ["", "moe/", "moe/#routing"]


def test_split_keeps_config_and_extra_fields_and_does_not_mutate():
    """Each index keeps the config; entry fields (e.g. boost) survive; the input is untouched."""
    index = combined_index()
    before = json.dumps(index, sort_keys=True)
    parts = search_index.split_index(index)
    assert json.dumps(index, sort_keys=True) == before
    assert parts["zh"]["config"] == parts["en"]["config"] == {**CONFIG, "synonyms": search_index.SYNONYMS}
    assert parts["en"]["docs"][1]["boost"] == 2


def test_split_titles_have_no_zero_width_spaces_but_text_keeps_them():
    """Titles get <wbr/> between Chinese words; the text field keeps U+200B for the separator."""
    parts = search_index.split_index(combined_index())
    titles = [d["title"] for part in parts.values() for d in part["docs"]]
    assert not any(ZW in title for title in titles)
    moe = parts["zh"]["docs"][1]
    assert moe["title"] == "混合<wbr/>专家"
    assert parts["zh"]["docs"][2]["title"] == "路由<wbr/>专家 (MoE)"
    assert ZW in moe["text"]


def test_split_of_a_single_language_index_is_identity_apart_from_titles():
    """An index without en/ entries (BUILD_ONLY_LOCALE, or a second call) stays Chinese."""
    index = {"config": CONFIG, "docs": [{"location": "a/", "title": "A", "text": ""}]}
    parts = search_index.split_index(index)
    assert parts["zh"]["docs"] == index["docs"]
    assert parts["en"]["docs"] == []


def test_split_drops_only_the_zero_width_spaces_that_separate_nothing():
    """A zero-width space next to a separator, a tag or an end of the text goes; one between two
    Chinese words stays (it is what splits them)."""
    index = {"config": {**CONFIG, "separator": "[\\s\\u200b\\u3000\\-、。，．？！；]+"}, "docs": [
        {"location": "a/", "title": "A", "text": f"<p>{ZW}混合{ZW}专家{ZW}，{ZW}模型{ZW} MoE {ZW}路由{ZW}</p>"}]}
    text = search_index.split_index(index)["zh"]["docs"][0]["text"]
    assert text == f"<p>混合{ZW}专家，模型 MoE 路由</p>"
    assert search_index.split_index(search_index.split_index(index)["zh"])["zh"]["docs"][0]["text"] == text


def test_clean_title():
    """Leading and trailing zero-width spaces vanish; inner runs become one <wbr/>."""
    assert search_index.clean_title(f"{ZW}开源{ZW}与{ZW}{ZW}许可证{ZW}") == "开源<wbr/>与<wbr/>许可证"
    assert search_index.clean_title("Plain title") == "Plain title"


SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
    <url><loc>https://example.org/atlas/</loc>
        <xhtml:link rel="alternate" hreflang="en" href="https://example.org/atlas/en/"/></url>
    <url><loc>https://example.org/atlas/moe/</loc></url>
    <url><loc>https://example.org/atlas/en/</loc>
        <xhtml:link rel="alternate" hreflang="zh" href="https://example.org/atlas/"/></url>
    <url><loc>https://example.org/atlas/en/moe/</loc></url>
</urlset>
"""


def test_language_sitemap_keeps_only_that_language():
    """The English sitemap lists /en/ pages only, with their hreflang alternates."""
    out = search_index.language_sitemap(SITEMAP, "en")
    root = ET.fromstring(out)
    ns = {"s": search_index.SITEMAP_NS, "x": search_index.XHTML_NS}
    assert [e.text for e in root.findall("s:url/s:loc", ns)] == [
        "https://example.org/atlas/en/", "https://example.org/atlas/en/moe/"]
    assert root.find("s:url/x:link", ns).get("hreflang") == "zh"
    assert search_index.language_sitemap(b"not xml", "en") is None
    assert search_index.language_sitemap(SITEMAP, "fr") is None


def test_split_search_index_writes_both_indexes_and_is_idempotent(tmp_path):
    """The files on disk: zh at the root, en under en/, plus en/sitemap.xml; a 2nd call changes nothing."""
    (tmp_path / "search").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(combined_index()))
    (tmp_path / "sitemap.xml").write_bytes(SITEMAP)
    workspace.split_search_index(tmp_path)
    zh = json.loads((tmp_path / "search" / "search_index.json").read_text(encoding="utf-8"))
    en = json.loads((tmp_path / "en" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert len(zh["docs"]) == 4 and len(en["docs"]) == 3
    assert "混合".encode("utf-8") in (tmp_path / "search" / "search_index.json").read_bytes()  # not \\u escapes
    assert (tmp_path / "en" / "sitemap.xml").is_file()
    snapshot = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    workspace.split_search_index(tmp_path)
    assert snapshot == {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}


def test_split_search_index_without_an_index_does_nothing(tmp_path):
    """No search index (search disabled): nothing is written."""
    workspace.split_search_index(tmp_path)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------
# What is indexed
# ---------------------------------------------------------------------------

PAGE = """<h1 id="qwen3">Qwen3</h1>
<p>Prose about Qwen3<sup class="atlas-ref"><a href="https://example.org" title="t">[Qwen blog]</a></sup>.</p>
<div class="atlas-table atlas-no-terms"><table><tr><td>cell-value</td></tr></table></div>
<p class="atlas-correction-sources">Sources: <a class="atlas-cite" href="https://example.org">Report</a></p>
<div class="highlight"><pre><code>code-block</code></pre></div>
<dl><dt>MoE <span>混合专家</span></dt><dd><p class="atlas-definition">definition-text</p>
<p class="atlas-aliases">Also: mixture of experts</p></dd></dl>
<h2 id="specs">Key facts</h2><p>spec-text</p>
<h2 id="notes">Notes</h2><p>note-text</p>
"""


def indexed(html: str) -> list[tuple[str, str]]:
    """(title, text) of each section Material's own search parser would index."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(html)
    parser.close()
    return [("".join(section.title), "".join(section.text)) for section in parser.data if not section.is_excluded()]


def test_marked_page_keeps_prose_headings_and_terms_but_not_tables_citations_or_code():
    """Material's parser, given a marked page, indexes the prose, the headings, the glossary
    term and its aliases, and none of the table cells, citation tags, source lines, code blocks
    and definitions."""
    pytest.importorskip("material")
    text = " ".join(f"{title} {body}" for title, body in indexed(search_index.mark_unindexed(PAGE)))
    for kept in ("Qwen3", "Prose about Qwen3", "MoE", "混合专家", "mixture of experts", "Key facts", "spec-text"):
        assert kept in text
    for left_out in ("cell-value", "[Qwen blog]", "Report", "code-block", "definition-text"):
        assert left_out not in text


def test_a_model_page_keeps_its_name_and_notes_only():
    """On a model page the sections other than its notes are left out; the title stays."""
    pytest.importorskip("material")
    sections = indexed(search_index.mark_unindexed(PAGE, model_page=True))
    assert [title for title, _ in sections] == ["Qwen3", "Notes"]
    assert "spec-text" not in " ".join(text for _, text in sections)


def test_marks_are_material_s_attribute_and_only_added_once():
    """The mark is the attribute the search plugin strips from the page after reading it (so the
    published HTML is unchanged), and marking twice changes nothing."""
    marked = search_index.mark_unindexed(PAGE)
    assert marked.count("data-search-exclude") == 6  # sup, table, p, a, pre, p
    assert all(name.startswith("atlas-") for name in search_index.UNINDEXED_CLASSES)  # mark_unindexed's shortcut
    assert search_index.mark_unindexed(marked) == marked
    assert re.sub(r'\s?data-search-\w+="[^"]+"', "", marked) == PAGE  # the plugin's own pattern


def test_is_stub_page():
    """Generated model pages are models/<id>.md in either language, not the hand-written index."""
    assert stubs.is_stub_page("models/qwen3-32b.md") and stubs.is_stub_page("models/qwen3-32b.en.md")
    assert not stubs.is_stub_page("models/index.md") and not stubs.is_stub_page("models/index.en.md")
    assert not stubs.is_stub_page("moe.md") and not stubs.is_stub_page("x/models/a.md")


# ---------------------------------------------------------------------------
# The built indexes
# ---------------------------------------------------------------------------

INDEX_GZIP_LIMIT = 60_000  # bytes per language (gzip, as a browser fetches it)
LANGUAGE_INDEXES = {"zh": Path("search/search_index.json"), "en": Path("en/search/search_index.json")}


@pytest.mark.parametrize("lang", list(LANGUAGE_INDEXES))
def test_built_index_is_small(built_site, lang):
    """Each language's index is at most 60 KB gzip (it was 113-138 KB with every table and citation)."""
    data = (built_site / LANGUAGE_INDEXES[lang]).read_bytes()
    size = len(gzip.compress(data, compresslevel=6, mtime=0))
    assert size <= INDEX_GZIP_LIMIT, f"{lang} search index: {size:,} bytes gzip"


@pytest.mark.parametrize("lang", list(LANGUAGE_INDEXES))
def test_built_index_holds_prose_not_tables_or_citations(built_site, catalog, lang):
    """The index has every page and model name but no citation tag, no licence-table summary and
    no spec section of a model page; and no published page keeps a search mark."""
    index = json.loads((built_site / LANGUAGE_INDEXES[lang]).read_text(encoding="utf-8"))
    text = "\n".join(entry["text"] for entry in index["docs"])
    titles = {entry["location"]: entry["title"] for entry in index["docs"]}
    assert "<sup>" not in text
    for licence in catalog.licenses.values():
        assert getattr(licence.summary, lang).replace(" ", "")[:40] not in text.replace("\u200b", "").replace(" ", "")
    for model in catalog.models.values():
        assert titles.get(f"models/{model.id}/") == search_index.clean_title(model.name), model.id
        assert f"models/{model.id}/#specs" not in titles
    glossary = "".join(entry["text"] for entry in index["docs"] if entry["location"].startswith("glossary/#"))
    glossary = glossary.replace("\u200b", "")
    for term in catalog.terms.values():
        assert getattr(term.term, lang) in glossary, term.id
        assert getattr(term.definition, lang) not in glossary, term.id  # the definition is not indexed
    assert index["config"]["synonyms"] == search_index.SYNONYMS
    marked = [page for page in (built_site / ("" if lang == "zh" else "en")).rglob("*.html")
              if "data-search-exclude" in page.read_text(encoding="utf-8")]
    assert not marked


# ---------------------------------------------------------------------------
# jieba user dictionary
# ---------------------------------------------------------------------------


class FakeSegmenter:
    """Cuts by a fixed table and learns added words, like jieba.Tokenizer."""

    def __init__(self, table: dict[str, list[str]]):
        """`table` maps a run to its default segmentation."""
        self.table = table
        self.added: list[str] = []

    def cut(self, sentence):
        """Added words stay whole; known runs use the table; other runs are one word."""
        for word in sorted(self.added, key=len, reverse=True):
            if word in sentence:
                head, _, tail = sentence.partition(word)
                return [*(self.cut(head) if head else []), word, *(self.cut(tail) if tail else [])]
        return self.table.get(sentence, [sentence])

    def add_word(self, word):
        """Remember a word."""
        self.added.append(word)


def test_han_runs_are_distinct_and_skip_latin():
    """Latin parts of terms are ignored; each Chinese run appears once."""
    assert jieba_dict.han_runs(["MoE 模型", "Apache 2.0 许可证", "模型", "Qwen"]) == ["模型", "许可证"]


def test_splits_badly():
    """Only a single-character piece of a multi-piece cut counts as bad."""
    assert jieba_dict.splits_badly(["预", "训练"])
    assert not jieba_dict.splits_badly(["混合", "专家"])
    assert not jieba_dict.splits_badly(["库"])


def test_user_words_adds_only_short_badly_split_terms_shortest_first():
    """预训练 is added; 混合专家 (split into words) is not; 模型参数量 is fixed by 参数量; long terms are left."""
    fake = FakeSegmenter({"预训练": ["预", "训练"], "参数量": ["参", "数量"], "混合专家": ["混合", "专家"],
                          "模型参数量": ["模型", "参", "数量"], "长思维链冷启动": ["长", "思维", "链", "冷启动"]})
    words = jieba_dict.user_words(["模型参数量", "混合专家", "预训练", "参数量", "长思维链冷启动", "库"], fake)
    assert words == ["参数量", "预训练"]
    assert "混合专家" not in words


def test_user_words_with_real_jieba_keeps_moe_terms_splittable():
    """With jieba itself: the glossary fixes 预训练 but leaves 混合专家 as 混合/专家, so 专家 still matches."""
    jieba = pytest.importorskip("jieba")
    words = jieba_dict.user_words(["混合专家", "混合专家模型", "预训练", "强化学习", "上下文长度", "许可证"],
                                  jieba.Tokenizer())
    assert "预训练" in words
    assert not {"混合专家", "混合专家模型", "强化学习", "上下文长度"} & set(words)


def test_dictionary_text_and_glossary_terms():
    """One word a line; headwords and aliases in Chinese only, tolerant of odd entries."""
    assert jieba_dict.dictionary_text(["预训练", "参数量"]) == "预训练\n参数量\n"
    assert jieba_dict.dictionary_text([]) == ""
    glossary = {"terms": [
        {"term": {"zh": "预训练", "en": "pre-training"}, "aliases": {"zh": ["预训练阶段"], "en": ["pretraining"]}},
        {"term": {"zh": "词元", "en": "token"}},
        "not a term",
    ]}
    assert jieba_dict.glossary_terms(glossary) == ["预训练", "预训练阶段", "词元"]


def test_jieba_user_dictionary_is_content_addressed_and_idempotent(tmp_path, monkeypatch):
    """The same glossary gives the same file; it is not rewritten; a missing glossary gives an empty one."""
    monkeypatch.setattr(workspace, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(workspace, "_dictionaries", {})
    monkeypatch.setattr(jieba_dict, "user_words", lambda terms: [t for t in terms if t == "预训练"])
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text('terms:\n  - term: {zh: "预训练", en: "pre-training"}\n  - term: {zh: "模型", en: "model"}\n',
                        encoding="utf-8")
    first = workspace.jieba_user_dictionary(glossary)
    mtime = first.stat().st_mtime_ns
    second = workspace.jieba_user_dictionary(glossary)
    assert first == second and first.read_text(encoding="utf-8") == "预训练\n"
    assert first.parent == tmp_path / "cache" and second.stat().st_mtime_ns == mtime
    empty = workspace.jieba_user_dictionary(tmp_path / "missing.yaml")
    assert empty.read_text(encoding="utf-8") == "" and empty != first


def test_jieba_user_dictionary_of_an_unreadable_glossary_is_empty(tmp_path, monkeypatch):
    """Broken YAML gives an empty dictionary (the data check reports the glossary's problems)."""
    monkeypatch.setattr(workspace, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(workspace, "_dictionaries", {})
    monkeypatch.setattr(jieba_dict, "user_words", lambda terms: list(terms))
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text("terms: [unclosed\n", encoding="utf-8")
    assert workspace.jieba_user_dictionary(glossary).read_text(encoding="utf-8") == ""


# ---------------------------------------------------------------------------
# The patched search worker
# ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("original_name, patched_name, patches, folder", [
    (search_index.WORKER, search_index.PATCHED_WORKER, search_index.WORKER_PATCHES, "workers"),
    (search_index.BUNDLE, search_index.PATCHED_BUNDLE, search_index.BUNDLE_PATCHES, ""),
])
def test_patched_scripts_are_materials_with_only_the_patches(tmp_path, monkeypatch, original_name, patched_name,
                                                            patches, folder):
    """The vendored search worker and main script are exactly what `python -m atlas.workspace worker`
    writes from the installed Material, differ from Material's only by the patches, and are the ones
    overrides/main.html loads.

    If this fails after a Material upgrade, update the names in search_index.py and overrides/main.html,
    check that each patch still applies, then run `PYTHONPATH=hooks python -m atlas.workspace worker`.
    """
    material = pytest.importorskip("material")
    installed = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / folder / original_name
    assert installed.is_file(), f"Material no longer ships {installed.name}"
    monkeypatch.setattr(workspace, "WORKER_DIR", tmp_path / "workers")
    written = {path.name: path for path in workspace.write_worker()}
    vendored = ROOT / "overrides" / "assets" / "javascripts" / folder / patched_name
    assert vendored.read_bytes() == written[patched_name].read_bytes()
    original = installed.read_text(encoding="utf-8")
    patched = vendored.read_text(encoding="utf-8")
    replaced = []  # the text each patch replaced in Material's script
    for old, new in patches:
        pattern = search_index.patch_pattern(old)
        assert len(pattern.findall(original)) == 1 and not pattern.search(patched) and patched.count(new) == 1
        replaced.append(pattern.search(original).group(0))
    assert len(patched) - len(original) == sum(len(new) - len(old) for old, (_, new) in zip(replaced, patches))
    template = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    assert f"{original_name}" in template and f"{patched_name}" in template


def test_patch_worker_refuses_an_unknown_worker():
    """A worker without the expected loop is an error, not a silent no-op."""
    with pytest.raises(ValueError, match="changed"):
        search_index.patch_worker("function fe(t,e){}")


def test_the_patched_main_script_names_no_other_host():
    """Material's main script, as the site ships it, holds no http(s) address: it can fetch nothing
    from another host (a polyfill, Mermaid, repository statistics), whatever the browser or page."""
    bundle = (ROOT / "overrides" / "assets" / "javascripts" / search_index.PATCHED_BUNDLE).read_text(encoding="utf-8")
    assert re.findall(r"https?://[^\s\"'`)]*", bundle) == []
