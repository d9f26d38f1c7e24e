"""Where the build meets the outside world: the project's folders, the environment, the clock and files.

Everything else under atlas/ is a pure function of its arguments. This module reads the data and
the pages, decides the published address (SITE_URL) and today's date, writes the schema files and
what is written after the last language build, and is the command line
of `make check` and `make schemas`:

    python -m atlas.workspace check            # check data/ and the pages of content/
    python -m atlas.workspace schemas          # regenerate data/schemas/
    python -m atlas.workspace worker           # regenerate the patched search worker and main script
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import jinja2

from . import completeness, feed, i18n, jieba_dict, schemagen, search_index
from .catalog import Catalog
from .context import Site
from .datafiles import FILES
from .documents import parse_yaml
from .downloads import download_files
from .errors import Problem, count
from .loading import check_data, load_catalog
from .markers import shown_on
from .registry import page_problems
from .selections import plotted_models
from .stubs import is_stub
from .templates import environment

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
CONTENT_DIR = ROOT / "content"
TEMPLATES_DIR = ROOT / "overrides" / "atlas"
SCHEMA_DIR = DATA_DIR / "schemas"
WORKER_DIR = ROOT / "overrides" / "assets" / "javascripts" / "workers"
CACHE_DIR = Path(tempfile.gettempdir()) / "qwen-atlas"


def today() -> dt.date:
    """Today's date: dates in the data may not be later."""
    return dt.date.today()


def site_url() -> str:
    """The published address for citations: SITE_URL when set (forks, previews), else the canonical one."""
    url = os.environ.get("SITE_URL") or schemagen.CANONICAL_URL
    return url if url.endswith("/") else url + "/"


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def read_data(data_dir: Path = DATA_DIR) -> dict[str, bytes | None]:
    """The bytes of every data file of the schema (None for a missing one), and of every other YAML
    file in the folder, by file name, so that loading can name it instead of skipping it."""
    contents: dict[str, bytes | None] = {}
    for stem in FILES:
        path = Path(data_dir) / f"{stem}.yaml"
        contents[stem] = path.read_bytes() if path.is_file() else None
    for path in sorted(Path(data_dir).glob("*.y*ml")):
        if path.is_file() and path.suffix in (".yaml", ".yml") and path.name not in {f"{s}.yaml" for s in FILES}:
            contents[path.name] = path.read_bytes()
    return contents


def load(data_dir: Path = DATA_DIR) -> Catalog:
    """The checked catalog of `data_dir` (raises DataError listing every problem)."""
    return load_catalog(read_data(data_dir), today())


def top_pages(pages: dict[str, str]) -> dict[str, str]:
    """Of pages by path relative to the content folder, the Chinese ones at its top: they place the
    charts and corrections (markers.shown_on)."""
    return {name: text for name, text in pages.items() if "/" not in name and not name.endswith(".en.md")}


def read_pages(content_dir: Path = CONTENT_DIR) -> dict[str, str]:
    """The Chinese pages at the top of the content folder, by file name (top_pages)."""
    return top_pages({path.name: path.read_text(encoding="utf-8") for path in sorted(Path(content_dir).glob("*.md"))
                      if not path.name.endswith(".en.md")})


def read_all_pages(content_dir: Path = CONTENT_DIR) -> tuple[dict[str, str], list[Problem]]:
    """Every page written by hand in the content folder, both languages, by path relative to it
    (the generated model pages are left out: they are written from the data, and may be stale),
    and a problem for each page that is not UTF-8 text."""
    pages, problems = {}, []
    for path in sorted(Path(content_dir).rglob("*.md")):
        relative = path.relative_to(content_dir).as_posix()
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(Problem(f"{_shown(content_dir)}/{relative}", 0, "", f"not valid UTF-8 ({error.reason})"))
            continue
        if not is_stub(text):
            pages[relative] = text
    return pages, problems


def signature(*folders: Path) -> tuple:
    """Name, size and modification time of the data, page and template files at the top of `folders`:
    what the site is made from, so a build can tell whether it changed since the last one."""
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns)
                 for folder in folders for p in sorted(Path(folder).glob("*.*"))
                 if p.suffix in (".yaml", ".md", ".html"))


def _folder(path: Path) -> Path:
    """`path`, made if it does not exist yet."""
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_site(catalog: Catalog, content_dir: Path = CONTENT_DIR, templates_dir: Path = TEMPLATES_DIR,
             pages: dict[str, str] | None = None) -> Site:
    """Everything a build's renderers may use, computed once (`pages`: the Chinese pages at the top
    of the content folder, when they have been read already)."""
    cache = jinja2.FileSystemBytecodeCache(str(_folder(CACHE_DIR / "jinja")))
    return Site(catalog=catalog, site_url=site_url(), today=today(), env=environment(templates_dir, cache),
                shown_on=shown_on(read_pages(content_dir) if pages is None else pages),
                plotted=plotted_models(catalog))


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def _write_atomically(target: Path, content: bytes) -> None:
    """Write a file through a temporary one, so no reader sees half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(content)
    partial.replace(target)


_dictionaries: dict[bytes, str] = {}


def jieba_user_dictionary(glossary_path: Path = DATA_DIR / "glossary.yaml") -> Path:
    """A jieba user dictionary made from the glossary's Chinese terms, as a content-addressed file.

    The word list is remembered per glossary text (static-i18n configures search once per
    language) and on disk across builds: computing it loads a private jieba dictionary (about
    0.7 s, a tenth of a whole build). A glossary that cannot be read gives an empty dictionary:
    on_pre_build reports its problems with their lines.
    """
    try:
        content = Path(glossary_path).read_bytes()
    except OSError:
        content = b""
    key = hashlib.blake2b(content, digest_size=16).digest()
    if key not in _dictionaries:
        try:  # parsed within the loader's bounds: a hostile glossary must not hang or crash the
            # build here, in on_config, before on_pre_build reports its problems
            located, _ = parse_yaml(content.decode("utf-8"), "data/glossary.yaml")
        except UnicodeDecodeError:
            located = None
        data = located.data if located is not None else None
        terms = tuple(jieba_dict.glossary_terms(data)) if isinstance(data, dict) else ()
        _dictionaries.clear()
        _dictionaries[key] = _remembered_words(terms)
    text = _dictionaries[key]
    target = CACHE_DIR / f"jieba-user-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}.txt"
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        _write_atomically(target, text.encode("utf-8"))
    return target


def _remembered_words(terms: tuple[str, ...]) -> str:
    """The dictionary text for these terms, remembered on disk (it depends only on the terms,
    jieba_dict.MAX_CHARS and jieba's version)."""
    import jieba  # cheap: the dictionary itself loads lazily

    key = "\n".join((getattr(jieba, "__version__", ""), str(jieba_dict.MAX_CHARS), *terms))
    memo = CACHE_DIR / f"jieba-words-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}.txt"
    if memo.is_file():
        return memo.read_text(encoding="utf-8")
    text = jieba_dict.dictionary_text(jieba_dict.user_words(terms))
    _write_atomically(memo, text.encode("utf-8"))
    return text


def split_search_index(site_dir: Path) -> None:
    """Split the combined search index into one per language, and give each other language its
    own sitemap (search_index.py says why). Safe to call twice."""
    combined = site_dir / "search" / "search_index.json"
    if not combined.is_file():
        return
    indexes = search_index.split_index(json.loads(combined.read_text(encoding="utf-8")))
    combined.write_bytes(search_index.index_json(indexes.pop(search_index.DEFAULT_LANGUAGE)))
    sitemap = site_dir / "sitemap.xml"
    for locale, index in indexes.items():
        root = site_dir / locale
        if not index["docs"] or not root.is_dir():
            continue
        (root / "search").mkdir(parents=True, exist_ok=True)
        (root / "search" / "search_index.json").write_bytes(search_index.index_json(index))
        own = search_index.language_sitemap(sitemap.read_bytes(), locale) if sitemap.is_file() else None
        if own is not None:
            (root / "sitemap.xml").write_bytes(own)


def finish_site(site_dir: Path, site: Site, pages_404: dict[str, bytes]) -> None:
    """After the last language build: both 404 pages, per-language search, the downloads, schemas
    and each language's releases feed.

    static-i18n writes /404.html in every language build, so the last one would win; each
    language's own page (`pages_404`, kept as each build wrote it) goes back to its place.
    """
    site_dir = Path(site_dir)
    if "zh" in pages_404:
        (site_dir / "404.html").write_bytes(pages_404["zh"])
    if "en" in pages_404 and (site_dir / "en").is_dir():
        (site_dir / "en" / "404.html").write_bytes(pages_404["en"])
    split_search_index(site_dir)
    for relative, content in download_files(site.catalog).items():
        target = site_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    schemas = site_dir / "data" / "schemas"
    schemas.mkdir(parents=True, exist_ok=True)
    for name, text in existing_schemas().items():  # the committed files: make check keeps them current
        (schemas / name).write_bytes(text.encode("utf-8"))
    for lang in i18n.LANGS:
        if lang == i18n.DEFAULT_LANG or (site_dir / lang).is_dir():  # BUILD_ONLY_LOCALE builds one
            (site_dir / feed.feed_path(lang)).write_bytes(feed.atom_feed(site.catalog, lang, site.site_url))


def staging_for(site_dir: Path) -> Path:
    """A new empty folder beside `site_dir` for a build to write into (readable like a site folder)."""
    site_dir = Path(site_dir)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
    staging.chmod(0o755)
    return staging


def publish(staging: Path, site_dir: Path) -> None:
    """Put a finished build in place of `site_dir`, as a whole.

    Renames are atomic within a file system: the old site is renamed away, the new one renamed in,
    and the old one deleted. A reader or another build sees either the old site or the new one,
    never a mix; nothing is written through what the old site held (a symbolic link included).
    """
    site_dir = Path(site_dir)
    old = None
    if site_dir.exists() or site_dir.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.old-", dir=site_dir.parent)) / site_dir.name
        os.rename(site_dir, old)
    os.rename(staging, site_dir)
    if old is not None:
        shutil.rmtree(old.parent, ignore_errors=True)


def discard(staging: Path) -> None:
    """Delete the folder of a build that failed; the site it would have replaced is untouched."""
    shutil.rmtree(staging, ignore_errors=True)


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def existing_schemas(folder: Path = SCHEMA_DIR) -> dict[str, str]:
    """The schema files in `folder` by name."""
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(Path(folder).glob("*.schema.json"))}


def check_pages(pages: dict[str, str], site: Site | None, shown: str = "content") -> list[Problem]:
    """The problems of the markers of `pages` (path -> Markdown), as `shown/path:line: message`.
    Without a site (the data did not load) only the markers' syntax and kinds are checked."""
    problems = []
    for relative, text in pages.items():
        ctx = site.context("en" if relative.endswith(".en.md") else "zh", relative) if site else None
        try:
            found = page_problems(text, relative, ctx)
        except Exception as error:  # a renderer's bug must not hide the other pages' problems
            problems.append(Problem(f"{shown}/{relative}", 0, "", f"could not be checked ({type(error).__name__}: "
                                                                  f"{error}); the build fails on it too"))
            continue
        problems.extend(Problem(f"{shown}/{error.page}", error.line, "", error.message) for error in found)
    return problems


def check(data_dir: Path = DATA_DIR, content_dir: Path | None = None) -> int:
    """`make check`: check the data and the pages (by default the content folder beside the data
    folder), print every problem, the checks that could not run and why, and the count; exit
    status 1 on any problem."""
    started = time.perf_counter()
    content_dir = Path(data_dir).parent / "content" if content_dir is None else content_dir
    catalog, problems, skipped = check_data(read_data(data_dir), today())
    pages, unreadable = read_all_pages(content_dir)
    site = new_site(catalog, content_dir, pages=top_pages(pages)) if catalog is not None else None
    if site is None and pages:
        skipped.add(f"marker arguments and the ids they name in {_shown(content_dir)}/ not checked: "
                    "the data did not load")
    problems = sorted(set(problems)) + unreadable + check_pages(pages, site, _shown(content_dir))
    for problem in problems:
        print(problem, file=sys.stderr)
    for text in sorted(skipped):
        print(f"note: {text}", file=sys.stderr)
    if problems or skipped:
        not_run = f" ({count(len(skipped), 'check')} could not run: see the notes above)" if skipped else ""
        print(f"{count(len(problems), 'problem')}{not_run}", file=sys.stderr)
        return 1
    print(f"data OK: {len(catalog.models)} models, {len(catalog.releases)} releases, "
          f"{len(catalog.scores)} scores, {len(catalog.terms)} terms, {len(catalog.sources)} sources, "
          f"{len(catalog.claims)} checked claims; pages OK: {len(pages)} "
          f"({time.perf_counter() - started:.2f} s)")
    # a warning, not a failure: an old review date does not make the data wrong
    for warning in completeness.stale_families(catalog, today()) + completeness.missing_steps(catalog):
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def _shown(folder: Path) -> str:
    """A folder as messages name it: relative to the project when it is inside it."""
    try:
        return Path(folder).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(folder)


def check_schemas(folder: Path = SCHEMA_DIR) -> int:
    """`make check`: list stale, missing or leftover schema files with the diff; exit status 1 on any."""
    problems = schemagen.stale_files(existing_schemas(folder))
    shown = _shown(folder)
    for name, problem, diff in problems:
        print(f"{shown}/{name}: {problem}", file=sys.stderr)
        if diff:
            print(diff, file=sys.stderr, end="" if diff.endswith("\n") else "\n")
    if problems:
        print(f"run `make schemas` to regenerate {shown}/", file=sys.stderr)
        return 1
    print(f"schemas OK: {len(schemagen.expected_files())} files in {shown}/ are up to date")
    return 0


def write_schemas(folder: Path = SCHEMA_DIR) -> list[str]:
    """`make schemas`: write the schema files that changed and delete leftovers; return the names touched."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = schemagen.expected_files()
    existing = existing_schemas(folder)
    touched = []
    for name, text in expected.items():
        if existing.get(name) != text:
            (folder / name).write_bytes(text.encode("utf-8"))
            touched.append(name)
    for name in existing:
        if name not in expected:
            (folder / name).unlink()
            touched.append(name)
    return touched


def write_worker() -> list[Path]:
    """Material's search worker with the query segmentation fixed, and its main script fetching the
    search index only when the search is opened (search_index.patch_worker, patch_bundle)."""
    import material  # the theme package

    scripts = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
    written = []
    for original, target, patch in (
            (scripts / "workers" / search_index.WORKER, WORKER_DIR / search_index.PATCHED_WORKER,
             search_index.patch_worker),
            (scripts / search_index.BUNDLE, WORKER_DIR.parent / search_index.PATCHED_BUNDLE,
             search_index.patch_bundle)):
        _write_atomically(target, patch(original.read_text(encoding="utf-8")).encode("utf-8"))
        written.append(target)
    return written


USAGE = "usage: python -m atlas.workspace check [DATA_DIR [CONTENT_DIR]] | schemas [--check] | worker"


def main(argv: list[str]) -> int:
    """Run one command of the command line."""
    command, *args = argv or [""]
    if command == "check" and len(args) <= 2:
        return check(*(Path(arg) for arg in args))
    if command == "schemas" and args == ["--check"]:
        return check_schemas()
    if command == "schemas" and not args:
        touched = write_schemas()
        print("\n".join(f"wrote data/schemas/{name}" for name in touched) or "schemas already up to date")
        return 0
    if command == "worker" and not args:
        print("\n".join(f"wrote {path.relative_to(ROOT)}" for path in write_worker()))
        return 0
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
