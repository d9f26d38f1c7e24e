"""Shared test set-up: import path for `atlas`, the real catalog, and a small valid fixture data set."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

from atlas.catalog import load_catalog  # noqa: E402

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"


@pytest.fixture(scope="session")
def catalog():
    """The catalog built from the real data/ folder."""
    return load_catalog(ROOT / "data")


@pytest.fixture
def fixture_data(tmp_path) -> Path:
    """A writable copy of the small valid data set in tests/fixtures/data."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    shutil.copy(ROOT / "data" / "ui.yaml", target / "ui.yaml")  # interface strings are shared
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The whole site built once with --strict into a temporary folder (shared by all e2e tests)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site_dir = tmp_path_factory.mktemp("site")
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    build(config)
    return site_dir


def pytest_configure(config):
    """Register the markers used by the suite (`-m "not browser"` skips the Chromium tests)."""
    config.addinivalue_line("markers", "browser: end-to-end tests in headless Chromium (tests/test_browser.py)")
