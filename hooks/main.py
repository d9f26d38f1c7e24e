"""MkDocs hook entry point, registered as `hooks: [hooks/main.py]`.

This module only wires MkDocs events to the pure functions in `atlas/`. static-i18n runs one
full build per language with the same config, so every global event here runs once per language
(stack-notes §2.2): nothing below may accumulate state across those runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority, get_plugin_logger
from mkdocs.utils import meta

sys.path.insert(0, str(Path(__file__).resolve().parent))  # let tests and MkDocs import `atlas` alike

from atlas import exports, finish, jieba_dict, modelpages, prerender, timing  # noqa: E402
from atlas.catalog import Catalog, load_catalog  # noqa: E402
from atlas.errors import DataError  # noqa: E402
from atlas.markers import MarkerError  # noqa: E402
from atlas.pages import annotate_page, expand_page  # noqa: E402

log = get_plugin_logger(__name__)
ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
_state: dict[str, object] = {}


def _catalog() -> Catalog:
    """The catalog loaded for the build in progress."""
    return _state["catalog"]  # type: ignore[return-value]


def _data_signature() -> tuple:
    """Name, size and modification time of every data file: the catalog is reloaded when one changes."""
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(DATA_DIR.glob("*.yaml")))


def _lang(page) -> str:
    """The language of a page's content (static-i18n sets `file.locale`)."""
    return _file_lang(page.file)


def _file_lang(file) -> str:
    """The language of a file (static-i18n sets `file.locale`)."""
    return getattr(file, "locale", None) or "zh"


def _markdown_reader(config):
    """How a page's Markdown reaches on_page_markdown, for the background worker: read as
    File.content_string does, front matter removed, then static-i18n's own on_page_markdown
    (priority 50, before this hook: it rejoins the lines and translates admonition titles).
    A page where this differs from what MkDocs hands the hook is expanded in the build instead."""
    i18n = config.plugins.get("i18n")

    def read(path: str) -> str:
        """The Markdown of the page at `path`."""
        with open(path, encoding="utf-8-sig", errors="strict") as handle:
            markdown = meta.get_data(handle.read())[0]
        return i18n.on_page_markdown(markdown, page=None, config=config, files=None) if i18n else markdown
    return read


# ---------------------------------------------------------------------------
# Hooks
# ---------------------------------------------------------------------------


def on_startup(command, **kwargs) -> None:
    """Use the background worker for `mkdocs build` only: serve runs live-reload threads, and
    forking a process with other threads running is not safe."""
    _state["prerender"] = (command == "build" and os.environ.get("ATLAS_PRERENDER", "1") != "0"
                           and prerender.available())


@event_priority(100)
def on_config(config, **kwargs) -> None:
    """Give Chinese search a jieba user dictionary made from the glossary (before search's on_config)."""
    search = config.plugins.get("material/search")
    if search is not None:  # same file for both language builds, so this is idempotent
        with timing.phase(timing.CONFIG):
            search.config.jieba_dict_user = str(jieba_dict.write_user_dictionary(DATA_DIR / "glossary.yaml"))


def on_pre_build(config, **kwargs) -> None:
    """Load and validate all data; the nested language build and unchanged serve rebuilds reuse it."""
    signature = _data_signature()
    if _state.get("signature") != signature:  # the second language build reuses the catalog
        try:
            with timing.phase(timing.LOAD):
                catalog = load_catalog(DATA_DIR)
        except DataError as error:
            raise PluginError(error.report()) from None
        _state.update(catalog=catalog, signature=signature)
    catalog = _catalog()
    modelpages.forget_marker_pages()  # a page may have gained or lost a chart since the last build
    changed = modelpages.sync_stub_pages(Path(config.docs_dir), catalog)
    if changed:
        log.info("updated %d generated model page stubs", changed)


@event_priority(-150)  # after static-i18n (-100) has chosen this language's files
def on_files(files, config, **kwargs) -> None:
    """Start expanding this language build's pages in the background (atlas/prerender.py)."""
    _stop_prerender()
    if _state.get("prerender"):
        with timing.phase(timing.BUILD_MARKERS):
            jobs = [prerender.Job(file.src_uri, file.abs_src_path, _file_lang(file))
                    for file in files.documentation_pages()]
            # the downloads depend only on the catalog: made once, by the first build's worker
            made = _state.get("downloads", (None, None))[0] is _catalog()
            _state["worker"] = prerender.Prerenderer(jobs, _catalog(), _markdown_reader(config),
                                                     None if made else exports.download_files)


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    """Expand the page's atlas markers in the page's language."""
    with timing.phase(timing.BUILD_MARKERS):
        worker = _state.get("worker")
        expanded = worker.take(page.file.src_uri, markdown) if worker is not None else None
        if expanded is None:  # no worker, or no usable result: expand here (errors name page:line)
            try:
                with timing.phase(timing.EXPAND):
                    expanded = expand_page(markdown, page.file.src_uri, _lang(page), _catalog())
            except MarkerError as error:
                raise PluginError(f"content/{error}") from None
    page.meta["atlas_charts"] = expanded.has_charts
    return expanded.markdown


def on_page_content(html: str, page, config, files, **kwargs) -> str:
    """Annotate glossary terms, here or (with a worker) by `on_env`, before search indexes the
    page (stack-notes P25)."""
    with timing.phase(timing.BUILD_ANNOTATE):
        worker = _state.get("worker")
        if worker is not None:
            worker.annotate_later(page.file.src_uri, _lang(page), html)
            return html
        with timing.phase(timing.ANNOTATE):
            return annotate_page(html, page.file.src_uri, _lang(page), _catalog())


def on_env(env, config, files, **kwargs):
    """Every page is converted: swap in the annotated HTML before pages are indexed and written."""
    worker = _state.get("worker")
    if worker is None:
        return env
    with timing.phase(timing.BUILD_ANNOTATE):
        worker.close_requests()
        for file in files.documentation_pages():
            page = file.page
            if page is None or page.content is None:
                continue
            annotated = worker.annotated(file.src_uri, page.content)
            if annotated is None:
                with timing.phase(timing.ANNOTATE):
                    annotated = annotate_page(page.content, file.src_uri, _lang(page), _catalog())
            page.content = annotated
    return env


def _stop_prerender() -> None:
    """Collect the background worker of the build that ends (and its timing totals)."""
    worker = _state.pop("worker", None)
    if worker is not None:
        worker.close()
        timing.merge(worker.worker_timing)
        if worker.downloads is not None:
            _state["downloads"] = (_catalog(), worker.downloads)
        log.info("in a background process: markers of %d pages expanded, %d pages annotated",
                 worker.used["markers"], worker.used["annotations"])


@event_priority(100)
def _end_prerender(config, **kwargs) -> None:
    """Each language build: its pages are done, so is the worker."""
    _stop_prerender()


def on_build_error(error, **kwargs) -> None:
    """A failed build leaves no worker behind."""
    worker = _state.pop("worker", None)
    if worker is not None:
        worker.kill()


@event_priority(50)
def _keep_404(config, **kwargs) -> None:
    """Save the 404 page each language build has just written (static-i18n overwrites it)."""
    finish.remember_404(Path(config.site_dir), _current_language(config))


@event_priority(-200)
def _finish(config, **kwargs) -> None:
    """After the last language: restore both 404 pages, split search, write downloads."""
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # still inside the nested English build
    with timing.phase(timing.FINISH):
        made, downloads = _state.pop("downloads", (None, None))
        finish.finish_site(Path(config.site_dir), _catalog(), downloads if made is _catalog() else None)


on_post_build = CombinedEvent(_end_prerender, _keep_404, _finish)


def _current_language(config) -> str:
    """The language of the build in progress (stack-notes §2.4)."""
    i18n = config.plugins.get("i18n")
    if i18n is not None:
        return i18n.current_language or i18n.default_language
    return config.theme.get("language", "zh")
