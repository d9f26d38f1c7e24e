"""Shared test set-up: import path for `atlas`, the real and the fixture catalogs, build contexts."""

from __future__ import annotations

import datetime as dt
import fcntl
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytest.register_assert_rewrite("browser_fixtures")  # a plugin of the browser test modules
sys.path.insert(0, str(ROOT / "hooks"))

from atlas import workspace  # noqa: E402
from atlas.catalog import Catalog  # noqa: E402
from atlas.context import Context, Site  # noqa: E402
from atlas.loading import load_catalog  # noqa: E402
from atlas.markers import shown_on  # noqa: E402
from atlas.selections import plotted_models  # noqa: E402
from atlas.templates import environment  # noqa: E402

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"  # the smallest valid data set, for validation tests
FIXTURE_CATALOG = Path(__file__).parent / "fixtures" / "catalog"  # small, but every chart and marker has data
# A fixed "today" and address, so that fixture outputs do not depend on the day the tests run.
TODAY = dt.date(2026, 12, 1)
SITE_URL = "https://example.org/atlas/"


def pytest_addoption(parser):
    """`pytest --update-goldens` rewrites tests/golden/ from the current output (review the diff!)."""
    parser.addoption("--update-goldens", action="store_true", help="rewrite the golden files in tests/golden/")


def read_catalog(folder: Path, today: dt.date = TODAY) -> Catalog:
    """Load a data folder; interface strings come from the real data/ui.yaml when the folder has none."""
    contents = workspace.read_data(folder)
    if contents.get("ui") is None:
        contents["ui"] = (ROOT / "data" / "ui.yaml").read_bytes()
    return load_catalog(contents, today)


def make_site(catalog: Catalog, pages: dict[str, str] | None = None) -> Site:
    """A build context for `catalog`; `pages` (name -> Markdown) say where charts and corrections are shown
    (default: the real content pages)."""
    return Site(catalog=catalog, site_url=SITE_URL, today=TODAY, env=environment(workspace.TEMPLATES_DIR),
                shown_on=shown_on(workspace.read_pages() if pages is None else pages),
                plotted=plotted_models(catalog))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The catalog built from the real data/ folder."""
    return workspace.load()


@pytest.fixture(scope="session")
def site(catalog) -> Site:
    """The build context of the real data and pages."""
    return make_site(catalog)


@pytest.fixture
def ctx(site):
    """`ctx(lang, page)`: a render context of the real site (default: Chinese, index.md)."""
    def make(lang: str = "zh", page: str = "index.md") -> Context:
        """A context for one page in one language."""
        return site.context(lang, page)
    return make


@pytest.fixture(scope="session")
def fixture_catalog() -> Catalog:
    """The small fixture catalog of tests/fixtures/catalog."""
    return read_catalog(FIXTURE_CATALOG)


@pytest.fixture
def fixture_data(tmp_path) -> Path:
    """A writable copy of the smallest valid data set in tests/fixtures/data."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    shutil.copy(ROOT / "data" / "ui.yaml", target / "ui.yaml")  # interface strings are shared
    return target


def made_once(request, tmp_path_factory, name: str, make) -> Path:
    """`make(folder)` run once per test run, its folder shared by every process of the run.

    Under pytest-xdist (`make test`) the first worker to take the lock makes the folder in the run's
    temporary folder; the others wait for it and reuse it. In one process it is simply made.
    """
    if not hasattr(request.config, "workerinput"):
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent  # this run's folder, above each worker's own
    folder, done = shared / name, shared / f"{name}.done"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            folder.mkdir(exist_ok=True)
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, request) -> Path:
    """The whole site built once with --strict into a temporary folder (shared by all e2e tests)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def make(site_dir: Path) -> None:
        """Build the real project into `site_dir`."""
        build(load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), strict=True))

    return made_once(request, tmp_path_factory, "built-site", make)


def pytest_configure(config):
    """Register the markers used by the suite (`-m "not browser"` skips the Chromium tests)."""
    config.addinivalue_line("markers", "browser: end-to-end tests in headless Chromium (tests/test_browser.py)")
