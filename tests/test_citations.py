"""Citation tags in running text: one per source and sentence, glued to the word before them."""

from __future__ import annotations

from atlas.citations import NO_BREAK_SPACE, WORD_JOINER, glue, merge_repeated, tidy


def tag(source: str) -> str:
    """A citation tag as cite-inline.html and fact.html write it (a title holding '。' and '>')."""
    return (f'<sup class="atlas-ref"><a href="https://example.org/{source}" title="{source} 。 a &gt; b" '
            f'rel="noopener">&#91;{source}&#93;</a></sup>')


def fact(value: str, source: str) -> str:
    """An inline fact with its citation."""
    return f'<span class="atlas-fact">{value}{tag(source)}</span>'


def test_a_source_cited_twice_in_a_sentence_is_one_tag_at_the_last_place():
    """Repeated tags of one source in a sentence become the last one; its facts keep their values."""
    text = f"总参数 {fact('235B', 'a')}、激活 {fact('22B', 'a')} 的模型 {tag('a')}。"
    assert merge_repeated(text) == (f'总参数 <span class="atlas-fact">235B</span>、激活 '
                                    f'<span class="atlas-fact">22B</span> 的模型 {tag("a")}。')


def test_each_sentence_keeps_its_own_tag():
    """Sentence ends, paragraphs, table cells and new lines separate citations."""
    for text in (f"一 {tag('a')}。二 {tag('a')}。", f"One {tag('a')}. Two {tag('a')}.",
                 f"<p>x {tag('a')}</p>\n<p>y {tag('a')}</p>", f"| x {tag('a')} | y {tag('a')} |",
                 f"x {tag('a')}\ny {tag('a')}", f"<td>x {tag('a')}</td><td>y {tag('a')}</td>"):
        assert merge_repeated(text) == text, text


def test_a_different_source_between_keeps_both():
    """Only a run of the same source is merged."""
    text = f"A {tag('a')}, B {tag('b')}, C {tag('a')}."
    assert merge_repeated(text) == text


def test_full_stops_inside_attributes_and_numbers_do_not_end_a_sentence():
    """Attribute values and decimal points are no sentence ends."""
    text = f'Qwen2.5 <a href="x" title="a. b。">link</a> {tag("a")} and 3.5 {tag("a")}.'
    assert merge_repeated(text) == f'Qwen2.5 <a href="x" title="a. b。">link</a> and 3.5 {tag("a")}.'


def test_a_fact_value_never_ends_a_sentence():
    """The value is data: a full stop or new line in it must not change the markup."""
    for value in ("1.", "x\n# heading\n1. item", "一。二"):
        assert merge_repeated(f"x {fact(value, 'a')} y {tag('a')}") == (
            f'x <span class="atlas-fact">{value}</span> y {tag("a")}')


def test_tags_are_glued_to_the_word_before():
    """Spaces before a tag become one no-break space; a tag after a word gets a word joiner; indentation stays."""
    assert glue(f"思路  {tag('a')}。") == f"思路{NO_BREAK_SPACE}{tag('a')}。"
    assert glue(fact("60", "a")) == f'<span class="atlas-fact">60{WORD_JOINER}{tag("a")}</span>'
    assert glue(f"{tag('a')} starts a line\n    {tag('b')}") == f"{tag('a')} starts a line\n    {tag('b')}"
    assert glue(f"word {tag('a')} {tag('b')}") == f"word{NO_BREAK_SPACE}{tag('a')} {tag('b')}"  # tag after tag


def test_tidy_is_idempotent_and_leaves_text_without_tags_alone():
    """Tidying twice changes nothing more; text without tags is untouched."""
    text = f"总参数 {fact('235B', 'a')}、激活 {fact('22B', 'a')}。Next {tag('b')} and {tag('b')}."
    once = tidy(text)
    assert tidy(once) == once
    assert once.count("<sup") == 2
    plain = "No citation here. 这里没有引用。"
    assert tidy(plain) == plain
