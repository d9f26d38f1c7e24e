"""Content rules: both languages for every page, matching anchors and markers, nav parity, no copied text."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

import seedprint
from atlas.markers import find_markers
from atlas.stubs import is_stub

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
HEADING_ID = re.compile(r"^#{2,6} .*\{[^}]*#([A-Za-z0-9_-]+)[^}]*\}\s*$", re.M)
HEADING = re.compile(r"^#{2,6} ", re.M)


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
    """Every ## heading has an explicit id, and the ids match in order across languages."""
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


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml uses !ENV tags; read them as plain values."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)
