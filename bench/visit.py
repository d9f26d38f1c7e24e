"""What a reader's first visit costs: the bytes it downloads and the Lighthouse scores, per page kind.

The built site is served with gzip as GitHub Pages serves it (bench/serve.py). For each page:

- Bytes: the page is opened in Chromium (Playwright) with an empty cache on a phone-sized screen
  (Lighthouse's mobile one), and every response until the network is idle is summed as it came
  over the wire (compressed body plus headers), by kind: HTML, CSS, JS, fonts, images, JSON, other
  (Material's fetch of the sitemap).
  Only what the page requests on its own counts; the search index, for one, is fetched when the
  reader opens the search.
- Lighthouse 12 (bench/package.json, installed by `make bench` with `npm ci`), mobile profile with
  its default simulated throttling: the performance, accessibility, best-practices and SEO scores,
  and the total blocking time, largest contentful paint, layout shift and total byte weight
  behind them. With several runs per page, each figure is the median. Also the element of the
  largest paint and whether it is text: a page should show its words first, not wait for a chart.

The page kinds: home, the pages with a chart (every one), the model index, the page of the model
drawn in the most charts, the glossary, the fact-check ledger and the data page, in both languages.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu")
# Lighthouse's mobile screen (a Moto G Power), so both measurements see the same first screen.
MOBILE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True,
          "has_touch": True}
LANGS = ("zh", "en")
# kind -> the block marker that makes a page of that kind
MARKER_KINDS = {"chart": "chart", "models index": "model-index", "glossary": "glossary",
                "fact-check": "factcheck", "data": "downloads"}
KIND_ORDER = ("home", "chart", "models index", "model", "glossary", "fact-check", "data")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {"tbt_ms": "total-blocking-time", "lcp_ms": "largest-contentful-paint",
           "cls": "cumulative-layout-shift", "bytes": "total-byte-weight"}
BYTE_KINDS = ("html", "css", "js", "fonts", "images", "json", "other")
# A largest paint from one of these elements, or from inside a chart, is not text.
PICTURE_TAGS = frozenset({"img", "svg", "canvas", "video", "image", "picture"})
CHART_CLASS = "atlas-chart"


@dataclass
class Visit:
    """One page in one language: what its first visit downloads and what Lighthouse says of it."""

    kind: str
    lang: str
    path: str  # below the site root, e.g. "en/models/"
    requests: int = 0
    bytes: dict[str, int] = field(default_factory=dict)  # BYTE_KINDS -> bytes over the wire
    scores: dict[str, float] = field(default_factory=dict)  # CATEGORIES -> 0-100 (median)
    metrics: dict[str, float] = field(default_factory=dict)  # METRICS -> median
    runs: int = 0
    errors: list[str] = field(default_factory=list)
    lcp_element: str = ""  # CSS selector of the largest paint's element, in every run (or "a; b")

    @property
    def total(self) -> int:
        """All bytes of the first visit."""
        return sum(self.bytes.values())


def page_kinds(content_dir: Path, catalog) -> list[tuple[str, str]]:
    """(kind, Chinese page path below the root) for every page measured, in KIND_ORDER."""
    from atlas.markers import find_markers
    from atlas.selections import plotted_models
    from atlas.stubs import STUB_DIR, is_stub

    holders: dict[str, list[str]] = {kind: [] for kind in MARKER_KINDS}
    for source in sorted(content_dir.rglob("*.md")):
        text = source.read_text(encoding="utf-8")
        if source.name.endswith(".en.md") or is_stub(text):
            continue
        name = source.relative_to(content_dir).as_posix()
        path = name[: -len("index.md")] if source.name == "index.md" else name[: -len(".md")] + "/"
        markers = {marker.kind for marker in find_markers(text, name)}
        for kind, marker in MARKER_KINDS.items():
            if marker in markers:
                holders[kind].append(path)
    charts_of = Counter(model for ids in plotted_models(catalog).values() for model in ids)
    found = {"home": [""], **holders}
    if charts_of:
        found["model"] = [f"{STUB_DIR}/{min(charts_of, key=lambda model: (-charts_of[model], model))}/"]
    kinds = []
    for kind in KIND_ORDER:
        paths = found.get(kind) or []
        kinds.extend((kind, path) for path in (paths if kind == "chart" else paths[:1]))
    return kinds


def _byte_kind(resource_type: str, url: str, content_type: str) -> str:
    """Which of BYTE_KINDS a response counts under."""
    if content_type.startswith("image/"):  # the favicon's request is of type "other"
        return "images"
    if resource_type == "document":
        return "html"
    if resource_type == "stylesheet":
        return "css"
    if resource_type == "script":
        return "js"
    if resource_type == "font":
        return "fonts"
    if resource_type == "image":
        return "images"
    if "json" in content_type or urlsplit(url).path.endswith(".json"):
        return "json"
    return "other"


def measure_bytes(browser, url: str) -> tuple[int, dict[str, int], list[str]]:
    """(requests, bytes by kind, problems) of one first visit with an empty cache."""
    context = browser.new_context(**MOBILE, service_workers="block")
    finished, problems = [], []
    context.on("requestfinished", lambda request: finished.append(request))
    context.on("requestfailed", lambda request: problems.append(f"{request.url}: {request.failure}"))
    page = context.new_page()
    try:
        response = page.goto(url, wait_until="load", timeout=60_000)
        if response is None or response.status >= 400:
            problems.append(f"{url}: status {response.status if response else 'none'}")
        page.wait_for_load_state("networkidle", timeout=60_000)
        counted = {kind: 0 for kind in BYTE_KINDS}
        for request in finished:
            if urlsplit(request.url).scheme not in ("http", "https"):
                continue  # data: URLs cost no download
            sizes = request.sizes()
            response = request.response()
            headers = response.headers if response else {}
            kind = _byte_kind(request.resource_type, request.url, headers.get("content-type", ""))
            # Chromium reports no body size for a worker's own script (Lighthouse misses it too);
            # the server's Content-Length is the size it sent.
            body = sizes["responseBodySize"] or int(headers.get("content-length") or 0)
            counted[kind] += body + sizes["responseHeadersSize"]
        return sum(1 for r in finished if urlsplit(r.url).scheme in ("http", "https")), counted, problems
    finally:
        context.close()


def run_lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run (mobile); returns its JSON result."""
    environment = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}"],
        env=environment, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not out.is_file():
        raise RuntimeError(f"lighthouse failed on {url}: {(done.stderr or done.stdout)[-1500:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def largest_paint_element(report: dict) -> str:
    """The CSS selector Lighthouse gives for the element of the largest paint ("" if none)."""
    tables = (report["audits"].get("largest-contentful-paint-element", {}).get("details") or {}).get("items") or []
    for table in tables:
        for item in table.get("items") or []:
            node = item.get("node") or {}
            if node.get("selector"):
                return node["selector"]
    return ""


def is_text(selector: str) -> bool:
    """Whether a largest-paint element (a selector like `article > p`) is text, not a picture or a chart."""
    last = selector.split(">")[-1].strip()
    tag = last.split(".")[0].split("#")[0].split("[")[0].lower()
    return bool(selector) and tag not in PICTURE_TAGS and CHART_CLASS not in selector


def lighthouse_figures(report: dict) -> tuple[dict[str, float], dict[str, float], list[str]]:
    """(scores 0-100, metrics, runtime problems) of one Lighthouse result."""
    scores = {name: round(100 * report["categories"][name]["score"])
              for name in CATEGORIES if report["categories"].get(name, {}).get("score") is not None}
    metrics = {key: report["audits"][audit]["numericValue"] for key, audit in METRICS.items()
               if report["audits"].get(audit, {}).get("numericValue") is not None}
    problems = [report["runtimeError"]["message"]] if report.get("runtimeError") else []
    return scores, metrics, problems


def lighthouse_version() -> str:
    """The installed Lighthouse's version."""
    done = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def check_tools() -> None:
    """Stop with a clear message when Chromium, Playwright or Lighthouse is missing."""
    if not Path(CHROMIUM).is_file():
        raise SystemExit(f"bench: no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROME_PATH)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise SystemExit("bench: Playwright for Python is missing (pip install -r requirements.lock)")
    if not LIGHTHOUSE.is_file():
        raise SystemExit(f"bench: {LIGHTHOUSE} is missing (cd bench && npm ci)")


def measure_site(site_dir: Path, content_dir: Path, catalog, lighthouse_runs: int = 1) -> list[Visit]:
    """Every page kind in both languages: bytes of a first visit, then Lighthouse."""
    from playwright.sync_api import sync_playwright

    import serve

    check_tools()
    visits = [Visit(kind, lang, path if lang == "zh" else f"{lang}/{path}")
              for kind, path in page_kinds(content_dir, catalog) for lang in LANGS]
    print(f"  load average before: {' / '.join(f'{v:.1f}' for v in os.getloadavg())}", flush=True)
    scratch = Path(tempfile.mkdtemp(prefix="bench-lighthouse-"))
    try:
        with serve.serving(site_dir) as root, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            try:
                for visit in visits:
                    visit.requests, visit.bytes, visit.errors = measure_bytes(browser, root + visit.path)
            finally:
                browser.close()
            for visit in visits:
                runs, elements = [], []
                for run in range(lighthouse_runs):
                    report = run_lighthouse(root + visit.path, scratch / f"run-{run}.json")
                    scores, metrics, problems = lighthouse_figures(report)
                    runs.append((scores, metrics))
                    elements.append(largest_paint_element(report))
                    visit.errors.extend(problems)
                visit.runs = len(runs)
                visit.lcp_element = "; ".join(dict.fromkeys(elements))
                visit.scores = {name: statistics.median(s[name] for s, _ in runs if name in s)
                                for name in CATEGORIES if any(name in s for s, _ in runs)}
                visit.metrics = {key: statistics.median(m[key] for _, m in runs if key in m)
                                 for key in METRICS if any(key in m for _, m in runs)}
                print(f"  {visit.kind:<13} {visit.path or '/':<34} {visit.total / 1000:7.1f} KB  "
                      + " ".join(f"{name[:4]} {visit.scores.get(name, float('nan')):3.0f}" for name in CATEGORIES),
                      flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return visits


def as_dicts(visits: list[Visit]) -> list[dict]:
    """The visits as plain data for results.json."""
    return [asdict(visit) for visit in visits]


def from_dicts(items: list[dict]) -> list[Visit]:
    """The visits read back from results.json."""
    return [Visit(**item) for item in items]


if __name__ == "__main__":  # a quick look by hand: python bench/visit.py site
    sys.path.insert(0, str(BENCH.parent / "hooks"))
    from atlas import workspace

    for v in measure_site(Path(sys.argv[1] if len(sys.argv) > 1 else "site"), workspace.CONTENT_DIR,
                          workspace.load(workspace.DATA_DIR)):
        print(v)
