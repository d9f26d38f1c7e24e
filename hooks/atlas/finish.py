"""Work after the last language build: 404 pages, per-language search indexes, downloads."""

from __future__ import annotations

from pathlib import Path

from . import exports, search_index
from .catalog import Catalog

_saved_404: dict[str, bytes] = {}


def remember_404(site_dir: Path, lang: str) -> None:
    """Keep the 404 page that the build of `lang` has just written to the site root."""
    page = site_dir / "404.html"
    if page.exists():
        _saved_404[lang] = page.read_bytes()


def restore_404(site_dir: Path) -> None:
    """Write the Chinese 404 to /404.html and the English one to /en/404.html (static-i18n #284)."""
    if "zh" in _saved_404:
        (site_dir / "404.html").write_bytes(_saved_404["zh"])
    if "en" in _saved_404 and (site_dir / "en").is_dir():
        (site_dir / "en" / "404.html").write_bytes(_saved_404["en"])
    _saved_404.clear()


def finish_site(site_dir: Path, catalog: Catalog, downloads: dict[str, bytes] | None = None) -> None:
    """Everything that needs the whole site written first (`downloads`: made ahead, if they were)."""
    restore_404(site_dir)
    search_index.split_by_language(site_dir)
    exports.write_downloads(site_dir, catalog, files=downloads)
