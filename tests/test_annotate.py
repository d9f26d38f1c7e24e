"""Glossary annotations: CJK text without spaces, ASCII word boundaries, untouched code/headings/links."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from atlas import annotate
from atlas.annotate import Annotation, annotate_html, build_pattern
from conftest import make_site

TERMS = [
    Annotation("混合专家模型", "moe", "../glossary/#term-moe", "每个 token 只激活部分专家。"),
    Annotation("MoE", "moe", "../glossary/#term-moe", "每个 token 只激活部分专家。"),
    Annotation("分组查询注意力", "gqa", "../glossary/#term-gqa", "多个查询头共享键值头 <KV> & \"引号\""),
    Annotation("GQA", "gqa", "../glossary/#term-gqa", "Grouped-query attention"),
]


def test_chinese_term_inside_a_chinese_sentence():
    """The case stock `abbr` misses: a Chinese term with Han characters on both sides."""
    out = annotate_html("<p>本文介绍混合专家模型的原理。</p>", TERMS)
    assert out == ('<p>本文介绍<a class="atlas-term" href="../glossary/#term-moe" '
                   'title="每个 token 只激活部分专家。">混合专家模型</a>的原理。</p>')


def test_ascii_term_next_to_han_characters():
    """`MoE模型`: an ASCII term directly followed by Chinese still matches."""
    out = annotate_html("<p>MoE模型很大。</p>", TERMS)
    assert '>MoE</a>模型很大' in out


def test_ascii_word_boundaries():
    """An ASCII term never matches inside a longer ASCII word."""
    assert annotate_html("<p>MoEs and GQAx and xGQA</p>", TERMS) == "<p>MoEs and GQAx and xGQA</p>"
    assert annotate_html("<p>Qwen1.5-MoE-A2.7B</p>", TERMS) == "<p>Qwen1.5-MoE-A2.7B</p>"


def test_first_mention_only():
    """Only the first mention of a term (under any spelling) is linked."""
    out = annotate_html("<p>MoE 与混合专家模型，再说 MoE。</p>", TERMS)
    assert out.count("atlas-term") == 1


def test_definition_is_escaped_in_title():
    """Definitions come from data: quotes are escaped in the attribute, and `<` twice, because
    Material's tooltips insert the decoded attribute as HTML."""
    out = annotate_html("<p>使用分组查询注意力。</p>", TERMS)
    assert 'title="多个查询头共享键值头 &amp;lt;KV&gt; &amp; &#34;引号&#34;"' in out


def test_code_headings_and_links_untouched():
    """Code, preformatted blocks, headings, links and existing annotations are left exactly as they are."""
    html = ('<h2 id="moe">混合专家模型</h2><p><a href="x">MoE</a> <code>GQA</code></p>'
            '<pre><code>MoE = 1  # 混合专家模型</code></pre><div class="highlight"><span>GQA</span></div>'
            '<div class="atlas-no-terms"><p>MoE</p></div>')
    assert annotate_html(html, TERMS) == html


def test_markup_is_preserved_byte_for_byte():
    """Entities, comments, attributes and void elements survive unchanged."""
    html = '<p class="a" data-x=\'1\'>A &amp; B &#x27; <br> <img src="i.png" alt="MoE"/> <!-- MoE --></p>'
    assert annotate_html(html, []) == html
    assert annotate_html(html, TERMS) == html  # "MoE" is only in an attribute and a comment


def test_term_after_skipped_element_is_annotated():
    """Leaving a skipped element restores annotation for following text."""
    out = annotate_html("<p><code>x</code> 采用 GQA 结构</p>", TERMS)
    assert '<code>x</code> 采用 <a class="atlas-term"' in out


def test_longest_spelling_wins():
    """Longer terms are tried first so a short alias cannot split a long term."""
    pattern = build_pattern([Annotation("专家模型", "a", "#", ""), Annotation("混合专家模型", "b", "#", "")])
    assert pattern.search("混合专家模型").group(0) == "混合专家模型"


def test_page_annotation_links_to_the_glossary_from_the_page(fixture_catalog):
    """Context.annotate links a page's first mention to the glossary, relative to the page and in its language."""
    site = make_site(fixture_catalog, pages={})
    zh = site.context("zh", "moe.md").annotate("<p>混合专家模型，也叫 MoE。</p>")
    assert zh == ('<p><a class="atlas-term" href="../glossary/#term-moe" title="每个 token 只激活部分专家的架构。">'
                  '混合专家模型</a>，也叫 MoE。</p>')
    deep = site.context("en", "models/qwq-32b.en.md").annotate("<p>A Mixture of Experts model.</p>")
    assert ('<a class="atlas-term" href="../../glossary/#term-moe" '
            'title="An architecture that activates only some experts per token.">Mixture of Experts</a>') in deep
    assert site.context("en", "moe.en.md").annotate("<p>混合专家模型</p>") == "<p>混合专家模型</p>"


def test_the_glossary_page_is_not_annotated(fixture_catalog):
    """The glossary's own text is not linked to itself, in either language."""
    site = make_site(fixture_catalog, pages={})
    for lang, page in (("zh", "glossary.md"), ("en", "glossary.en.md")):
        assert site.context(lang, page).annotate("<p>MoE</p>") == "<p>MoE</p>"
    assert "atlas-term" in site.context("zh", "moe.md").annotate("<p>MoE</p>")  # elsewhere it is


_BACKTRACKING_TOKEN = re.compile(
    annotate.TOKEN.pattern.replace("""(?:[^>"']++|"[^"]*+"|'[^']*+')*+""", """(?:[^>"']|"[^"]*"|'[^']*')*"""),
    annotate.TOKEN.flags)


def test_backtracking_tokenizer_differs_in_pattern_only():
    """The reference below really is the plain-quantifier version of the tokenizer."""
    assert _BACKTRACKING_TOKEN.pattern != annotate.TOKEN.pattern
    assert "++" not in _BACKTRACKING_TOKEN.pattern


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["<", ">", '"', "'", "a", "p", "/", "!", "-", "=", " ", "\n", "?", "<!--", "-->",
                                 "script", "</script>", "textarea", "<a href=", "</a>"]), max_size=16))
def test_possessive_tokenizer_matches_the_backtracking_one(parts):
    """Possessive attribute matching finds exactly the tokens plain backtracking would."""
    text = "".join(parts)
    assert [(m.span(), m.groupdict()) for m in annotate.TOKEN.finditer(text)] == \
        [(m.span(), m.groupdict()) for m in _BACKTRACKING_TOKEN.finditer(text)]
