"""MkDocs hook entry point, registered as `hooks: [hooks/main.py]`: it only wires MkDocs events.

The work is done by the pure functions in `atlas/` (see docs/architecture.md): `atlas.workspace`
reads the data and pages and writes files, `atlas.registry` expands the markers of a page, and
`Context.annotate` links glossary terms. static-i18n runs one whole build per language with the
same config (Chinese first, then English nested inside the Chinese build's on_post_build), so
every global event here runs once per language.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files

sys.path.insert(0, str(Path(__file__).resolve().parent))  # let tests and MkDocs import `atlas` alike

import timing  # noqa: E402
from atlas import workspace  # noqa: E402
from atlas.context import Context, Site  # noqa: E402
from atlas.errors import DataError, error_page  # noqa: E402
from atlas.markers import MarkerError  # noqa: E402
from atlas.registry import expand_page  # noqa: E402
from atlas.safety import unsafe_urls  # noqa: E402
from atlas.stubs import is_stub, stub_pages, walk_order  # noqa: E402

log = get_plugin_logger(__name__)
# What the current build knows: its Site (reused while data and pages are unchanged, e.g. by the
# nested English build), the Markdown of the model pages and the 404 page each language build wrote.
_state: dict[str, object] = {"pages_404": {}, "model_pages": {}}


def on_startup(command, **kwargs) -> None:
    """Remember whether this is `mkdocs serve`: there a failed build shows its problems on every page
    instead of leaving the browser waiting for a build that never comes."""
    _state["serving"] = command == "serve"


def _failed(report: str, config) -> str:
    """Stop the build with `report`; under `mkdocs serve`, log it and return the page that shows it.

    That build must then finish even with `strict: true` (MkDocs' server answers no request until a
    build finishes), so the links into the pages it replaces are no longer warned about.
    """
    if not _state.get("serving"):
        raise PluginError(report)
    log.info("the site shows these problems until they are fixed:\n%s", report)
    config.validation.links.anchors = logging.INFO  # links into the replaced pages: no warning
    return error_page(report)


def _project(config) -> Path:
    """The folder of the project being built: the one holding its mkdocs.yml (not this file's, which
    may belong to another copy of the project when the hooks are imported once and reused)."""
    return Path(config.config_file_path).resolve().parent


def _site() -> Site:
    """The Site of the build in progress."""
    return _state["site"]  # type: ignore[return-value]


def _context(page) -> Context:
    """The render context of a page, in the language of its content (static-i18n sets `file.locale`)."""
    return _site().context(getattr(page.file, "locale", None) or "zh", page.file.src_uri)


def _build_language(config) -> str:
    """The language of the build in progress."""
    i18n = config.plugins.get("i18n")
    if i18n is not None:
        return i18n.current_language or i18n.default_language
    return config.theme.get("language", "zh")


@event_priority(100)  # before the search plugin's on_config reads its jieba dictionary
def on_config(config, **kwargs) -> None:
    """Build into a staging folder, and give Chinese search a jieba user dictionary made from the
    glossary."""
    _stage(config)
    search = config.plugins.get("material/search")
    if search is not None:  # the same file for both language builds, so this is idempotent
        with timing.phase(timing.CONFIG):
            glossary = _project(config) / "data" / "glossary.yaml"
            search.config.jieba_dict_user = str(workspace.jieba_user_dictionary(glossary))


def on_pre_build(config, **kwargs) -> None:
    """Load and check the data (hook modules outlive `serve` rebuilds, so this runs every build and
    reuses the Site while nothing it is made from has changed)."""
    data_dir, docs_dir = _project(config) / "data", Path(config.docs_dir)
    templates_dir = Path(config.theme.custom_dir) / "atlas"
    signature = workspace.signature(data_dir, docs_dir, templates_dir)
    _state.pop("error", None)
    if _state.get("signature") != signature:
        try:
            with timing.phase(timing.LOAD):
                catalog = workspace.load(data_dir)
                site = workspace.new_site(catalog, docs_dir, templates_dir)
        except DataError as error:
            _state.pop("signature", None)
            _state["error"] = _failed(error.report(), config)  # every page of this build shows it
            return
        # a failed build keeps the last model pages, so that they show its problems too
        _state.update(site=site, signature=signature, model_pages=stub_pages(catalog))


def _add_model_pages(files, config, **kwargs):
    """Add every model's page, in both languages, as a file that exists only in memory.

    Nothing is written into docs_dir, so `mkdocs serve` sees no change of the build's own making:
    one save, one rebuild. They are added before static-i18n (-100) sorts the files by language,
    as if they were in docs_dir; a page an earlier version of the build wrote there gives way.
    """
    for src_uri in _state["model_pages"]:  # type: ignore[union-attr]
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            if not is_stub(existing.content_string):
                _state["error"] = _failed(f"content/{src_uri} is not a generated page; a model id may not "
                                          f"collide with it (rename the model id in data/models.yaml)", config)
                continue
            files.remove(existing)
        files.append(File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls))
    # in the order MkDocs lists the content folder, as if they were there (theme files after them)
    return Files(sorted(files, key=lambda file: (0, *walk_order(file.src_uri)) if file.src_dir == config.docs_dir else (1,)))


@event_priority(-110)  # after static-i18n has replaced the files with its own copies
def _fill_model_pages(files, config, **kwargs):
    """Give the model pages of this language build their generated Markdown."""
    pages = _state["model_pages"]
    for file in files.documentation_pages():
        if file.src_uri in pages:  # type: ignore[operator]
            file.content_string = pages[file.src_uri]  # type: ignore[index]
    return files


on_files = CombinedEvent(_add_model_pages, _fill_model_pages)


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    """Expand the page's atlas markers in the page's language (or, when the build failed under
    `mkdocs serve`, show its problems instead)."""
    if "error" in _state:
        return _state["error"]  # type: ignore[return-value]
    try:
        with timing.phase(timing.EXPAND):
            expanded = expand_page(markdown, _context(page), timing.marker)
    except MarkerError as error:
        return _failed(f"content/{error}", config)  # this page shows it
    page.meta["atlas_charts"] = expanded.has_charts
    page.meta["atlas_feed_title"] = _context(page).t("feed-link-title")  # main.html advertises the feed
    return expanded.markdown


def on_page_content(html: str, page, config, files, **kwargs) -> str:
    """Link glossary terms, before the search plugin indexes the page; refuse a page with a link
    that is not http(s), relative or an anchor."""
    if "error" in _state:
        return html
    with timing.phase(timing.ANNOTATE):
        html = _context(page).annotate(html)
    unsafe = unsafe_urls(html)
    if unsafe:
        raise PluginError(f"content/{page.file.src_uri}: links must be http(s), relative or anchors; "
                          f"found {', '.join(repr(url) for url in unsafe[:3])}")
    return html


def _stage(config) -> None:
    """Point the build at a new staging folder; the finished build replaces site_dir in `_finish`.

    static-i18n builds the other languages with the same config, so a build already staged keeps
    its folder. A `--dirty` build only writes the pages that changed, so it writes in place.
    """
    staging = _state.get("staging")
    if staging is not None and config.site_dir == str(staging[1]):
        return
    if "--dirty" in sys.argv or "--dirtyreload" in sys.argv:
        return
    site_dir = Path(config.site_dir)
    _state["staging"] = (site_dir, workspace.staging_for(site_dir))
    config.site_dir = str(_state["staging"][1])


def on_build_error(error, **kwargs) -> None:
    """A failed build leaves the site it would have replaced as it was."""
    staging = _state.pop("staging", None)
    if staging is not None:
        workspace.discard(staging[1])


@event_priority(50)
def _keep_404(config, **kwargs) -> None:
    """Keep the 404 page the language build has just written (the next build overwrites it)."""
    page = Path(config.site_dir) / "404.html"
    if page.exists():
        _state["pages_404"][_build_language(config)] = page.read_bytes()  # type: ignore[index]


@event_priority(-200)  # after static-i18n (-100) has built the other languages
def _finish(config, **kwargs) -> None:
    """After the last language: both 404 pages, per-language search, the downloads."""
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # still inside the nested English build
    with timing.phase(timing.FINISH):
        if "error" not in _state:  # a failed `serve` build publishes its error pages, and nothing else
            workspace.finish_site(Path(config.site_dir), _site(), _state["pages_404"])  # type: ignore[arg-type]
        staging = _state.pop("staging", None)
        if staging is not None:
            workspace.publish(staging[1], staging[0])
            config.site_dir = str(staging[0])
    _state["pages_404"] = {}


on_post_build = CombinedEvent(_keep_404, _finish)
