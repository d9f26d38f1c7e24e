"""MkDocs hook entry point, registered as `hooks: [hooks/main.py]`.

This module only wires MkDocs events to the pure functions in `atlas/`. static-i18n runs one
full build per language with the same config, so every global event here runs once per language
(stack-notes §2.2): nothing below may accumulate state across those runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority, get_plugin_logger

sys.path.insert(0, str(Path(__file__).resolve().parent))  # let tests and MkDocs import `atlas` alike

from atlas import finish, jieba_dict, modelpages, timing  # noqa: E402
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
    return getattr(page.file, "locale", None) or "zh"


# ---------------------------------------------------------------------------
# Hooks
# ---------------------------------------------------------------------------


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


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    """Expand the page's atlas markers in the page's language."""
    try:
        with timing.phase(timing.EXPAND):
            expanded = expand_page(markdown, page.file.src_uri, _lang(page), _catalog())
    except MarkerError as error:
        raise PluginError(f"content/{error}") from None
    page.meta["atlas_charts"] = expanded.has_charts
    return expanded.markdown


def on_page_content(html: str, page, config, files, **kwargs) -> str:
    """Annotate glossary terms (before search indexes the page, stack-notes P25)."""
    with timing.phase(timing.ANNOTATE):
        return annotate_page(html, page.file.src_uri, _lang(page), _catalog())


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
        finish.finish_site(Path(config.site_dir), _catalog())


on_post_build = CombinedEvent(_keep_404, _finish)


def _current_language(config) -> str:
    """The language of the build in progress (stack-notes §2.4)."""
    i18n = config.plugins.get("i18n")
    if i18n is not None:
        return i18n.current_language or i18n.default_language
    return config.theme.get("language", "zh")
