"""Content rules: both languages for every page, matching anchors and markers, nav parity, no copied
text, Chinese quotation marks in Chinese prose."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

import seedprint
from atlas.markers import FENCE, find_markers
from atlas.stubs import is_stub

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
HEADING_ID = re.compile(r"^#{1,6} .*\{[^}]*#([A-Za-z0-9_.-]+)[^}]*\}\s*$", re.M)
HEADING = re.compile(r"^#{1,6} ", re.M)


def authored_pages() -> list[Path]:
    """Chinese source pages written by people (generated model stubs excluded)."""
    return sorted(p for p in CONTENT.rglob("*.md")
                  if not p.name.endswith(".en.md") and not _generated(p))


def _generated(path: Path) -> bool:
    """Model page stubs are generated from data at build time."""
    return is_stub(path.read_text(encoding="utf-8"))


def english_of(page: Path) -> Path:
    """The English twin of a Chinese page."""
    return page.with_name(page.name[: -len(".md")] + ".en.md")


def strip_code(text: str) -> str:
    """Drop fenced code blocks (headings and markers inside them do not count)."""
    return re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.M | re.S)


def test_every_page_exists_in_both_languages():
    """A missing translation is a failing test, in both directions."""
    zh = {p.relative_to(CONTENT) for p in authored_pages()}
    en = {p.relative_to(CONTENT) for p in CONTENT.rglob("*.en.md") if not _generated(p)}
    assert zh, "no pages found"
    assert sorted(str(p) for p in zh if not (CONTENT / english_of(p)).exists()) == []
    assert sorted(str(p) for p in en if not (CONTENT / str(p).replace(".en.md", ".md")).exists()) == []


def test_headings_carry_the_same_ids_in_both_languages():
    """Every heading, the title included, has an explicit id, and the ids match in order across
    languages (the language switch keeps the reader's #section)."""
    for page in authored_pages():
        zh_text, en_text = strip_code(page.read_text("utf-8")), strip_code(english_of(page).read_text("utf-8"))
        for text, name in ((zh_text, page.name), (en_text, english_of(page).name)):
            headings = HEADING.findall(text)
            assert len(HEADING_ID.findall(text)) == len(headings), f"{name}: a heading lacks an explicit {{ #id }}"
        assert HEADING_ID.findall(zh_text) == HEADING_ID.findall(en_text), page.name


def test_markers_match_across_languages():
    """Both languages show the same generated tables, charts, corrections and facts."""
    for page in authored_pages():
        def kinds(path: Path):
            """The page's markers (citations excluded), comparable across languages."""
            return sorted((m.kind, tuple(sorted(m.args.items())))
                          for m in find_markers(path.read_text("utf-8"), path.name) if m.kind != "src")
        assert kinds(page) == kinds(english_of(page)), page.name


def test_nav_lists_every_page_and_is_translated():
    """Every authored page is in the nav, and every nav title has an English translation."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_IgnoreTags)
    titles, files = [], []

    def walk(items):
        """Collect nav titles and files, depth first."""
        for item in items:
            for title, value in item.items():
                titles.append(title)
                walk(value) if isinstance(value, list) else files.append(value)
    walk(config["nav"])
    assert sorted(files) == sorted(str(p.relative_to(CONTENT)) for p in authored_pages())
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    english = next(lang for lang in i18n["languages"] if lang["locale"] == "en")
    assert sorted(set(titles) - set(english["nav_translations"])) == []


def test_no_text_copied_from_the_seed_article():
    """No run of the seed article's Chinese text (a sentence or part of one) appears in any page."""
    prints = set(seedprint.FINGERPRINTS.read_text("utf-8").split())
    assert len(prints) > 1000
    for page in sorted(CONTENT.rglob("*.md")):
        shared = seedprint.windows(strip_code(page.read_text("utf-8"))) & prints
        assert not shared, f"{page.relative_to(ROOT)} repeats text of the seed article"


def test_the_seed_check_can_fail():
    """The fingerprint check does detect a copied sentence."""
    copied = "Qwen3的技术创新主要体现在混合思维模式的引入。"
    assert seedprint.windows(copied) & set(seedprint.FINGERPRINTS.read_text("utf-8").split())


# What is not Chinese prose on a line of a Chinese page: its ASCII quotes are syntax or code.
NOT_PROSE = re.compile(r"""
    (`+).*?\1                                      # code span
  | <!--.*?-->                                     # comment (atlas markers)
  | <(?:[^>"']|"[^"]*"|'[^']*')*>                  # HTML tag with its attributes
  | \]\([^)]*\)                                    # link target
  | https?://\S+                                   # bare address
  | ^\s*(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+"[^"]*")?   # admonition type and title
  | \{\s*[:#.][^}]*\}                              # attribute list
""", re.X)


def ascii_quotes_in_prose(text: str) -> list[tuple[int, str]]:
    """(line number, line) of every line of Markdown whose prose holds an ASCII double quote;
    fenced code, code spans, markers, HTML tags, link targets and attribute lists do not count."""
    found, fence = [], None
    for number, line in enumerate(text.split("\n"), 1):
        opener = FENCE.match(line)
        if opener:
            mark = opener.group(1)
            if fence is None:
                fence = mark
                continue
            if mark[0] == fence[0] and len(mark) >= len(fence):
                fence = None
                continue
        if fence is None and '"' in NOT_PROSE.sub("", line):
            found.append((number, line))
    return found


def chinese_strings(value, path: str = "") -> list[tuple[str, str]]:
    """(path, text) of every Chinese string of a data file (the value, or items, of a `zh` key)."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "zh":
                found += [(f"{path}.zh", text) for text in (item if isinstance(item, list) else [item])
                          if isinstance(text, str)]
            else:
                found += chinese_strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += chinese_strings(item, f"{path}[{index}]")
    return found


def test_chinese_prose_uses_chinese_quotation_marks():
    """Chinese pages and the Chinese strings of the data quote with “” or 「」, not ASCII '"'."""
    problems = [f"{page.relative_to(ROOT)}:{number}: {line.strip()[:80]}"
                for page in authored_pages() for number, line in ascii_quotes_in_prose(page.read_text("utf-8"))]
    for data_file in sorted((ROOT / "data").glob("*.yaml")):
        for path, text in chinese_strings(yaml.safe_load(data_file.read_text("utf-8"))):
            if ascii_quotes_in_prose(text):
                problems.append(f"data/{data_file.name}: {path}: {text[:80]}")
    assert not problems, "ASCII double quotes in Chinese prose:\n" + "\n".join(problems)


def test_the_quotation_check_can_fail_and_ignores_code_and_syntax():
    """An ASCII quote in prose is found; in code, markers, attributes, links or admonition syntax it is not."""
    assert ascii_quotes_in_prose('见"软开关"。') == [(1, '见"软开关"。')]
    assert ascii_quotes_in_prose('!!! note "日期"\n写成 `"2025-04-29"` <!-- atlas:src id=x -->'
                                 '<span title="a">[链接](a.md "t")</span>{ #id .c key="v" }\n'
                                 '```yaml\nzh: "思考"\n```\n') == []


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml uses !ENV tags; read them as plain values."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)
