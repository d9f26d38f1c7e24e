"""`make bench`: what the atlas hooks cost, how that grows with the data, and what pages weigh.

Writes bench/REPORT.md (and prints it). Everything is built in bench/work/ (git-ignored), from
copies of the project; nothing in the repository is touched, except README.md's bench summary
when run with --readme.

1. Hooks vs pre-rendered. A capture build of a copy of the project records, for every page, the
   Markdown after the hooks expanded its markers (bench/capture_hook.py). A second copy gets those
   expanded pages as its sources (generated model pages included), the same mkdocs.yml without
   `hooks:` and the same jieba user dictionary, so it builds the same pages with no hook work. Both
   are built RUNS times, alternately, each in a fresh interpreter (bench/build_once.py) and started
   the way `mkdocs build` starts; the medians are compared.
2. Hook time per phase, from hooks/timing.py: what the hooks spend in each phase of the build.
3. Scaling: the same project with synthetic data ×10 and ×100 (bench/scale.py), built once each
   (the search dictionary made beforehand, as the ×1 builds find theirs remembered).
4. Page weight of every page of the real site (bench/weight.py), and the size of each language's
   search index.
5. A reader's first visit (bench/visit.py): the last hooked build served with gzip as GitHub Pages
   serves it (bench/serve.py); per page kind and language, the bytes Chromium downloads on load
   and the Lighthouse 12 mobile scores.

Usage: python bench/run.py [--runs N] [--factors 10,100] [--lighthouse-runs N] [--readme]
       python bench/run.py --visits-only [--readme]   (one build, section 5 and the index sizes
                                                        measured again, the rest kept from the last run)
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "hooks"))

import scale  # noqa: E402
import timing  # noqa: E402
import visit  # noqa: E402
import weight  # noqa: E402

PROJECT_PARTS = ("mkdocs.yml", "content", "data", "hooks", "overrides")
CHART_JS_LIMIT = 500_000  # bytes gzip: plotly basic bundle + charts.js + locale
HOOK_SHARE_LIMIT = 0.10
SEARCH_INDEX_LIMIT = 60_000  # bytes gzip per language (tests/test_search_index.py asserts it too)
PERFORMANCE_TARGET = 90  # Lighthouse mobile, every page
ACCESSIBILITY_TARGET = 98
SEARCH_INDEXES = {"zh": "search/search_index.json", "en": "en/search/search_index.json"}


# ---------------------------------------------------------------------------
# Project copies and builds
# ---------------------------------------------------------------------------


def copy_project(target: Path, source: Path = ROOT) -> Path:
    """Copy the parts of the project a build needs."""
    target.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in PROJECT_PARTS:
        path = source / part
        if path.is_dir():
            shutil.copytree(path, target / part, ignore=ignore)
        else:
            shutil.copy2(path, target / part)
    return target


def edit_config(project: Path, name: str, hooks: list[str] | None, jieba_dict_user: str | None = None) -> str:
    """Write a variant of the copy's mkdocs.yml: `hooks:` replaced (or removed), search dictionary set."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    block = re.compile(r"^hooks:\n(?:[ \t]+- .*\n)+", re.M)
    if not block.search(text):
        raise SystemExit("bench: cannot find the `hooks:` list in mkdocs.yml")
    replacement = ("hooks:\n" + "".join(f"  - {hook}\n" for hook in hooks)) if hooks else ""
    text = block.sub(replacement, text, count=1)
    if jieba_dict_user:
        search = re.compile(r"^(  - search:\n)", re.M)
        if not search.search(text):
            raise SystemExit("bench: cannot find the search plugin in mkdocs.yml")
        text = search.sub(lambda m: m.group(1) + f"      jieba_dict_user: {json.dumps(jieba_dict_user)}\n",
                          text, count=1)
    (project / name).write_text(text, encoding="utf-8")
    return name


def build(project: Path, site: Path, config: str = "mkdocs.yml", env: dict[str, str] | None = None) -> dict:
    """One build in a fresh interpreter; returns build_once's result."""
    if site.exists():
        shutil.rmtree(site)
    environment = {**os.environ, "PYTHONPATH": str(project / "hooks"), "NO_MKDOCS_2_WARNING": "1",
                   "DISABLE_MKDOCS_2_WARNING": "true", **(env or {})}
    environment.pop("BUILD_ONLY_LOCALE", None)
    done = subprocess.run([sys.executable, str(BENCH / "build_once.py"), str(project), str(site), config],
                          env=environment, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH-RESULT ")]
    if done.returncode != 0 or not lines:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-8000:])
        raise SystemExit(f"bench: the build of {project.name} failed")
    result = json.loads(lines[-1].removeprefix("BENCH-RESULT "))
    print(f"  built {project.name:<14} {result['seconds']:6.2f} s  ({result['html_files']} HTML files)", flush=True)
    return result


def make_prerendered(hooked: Path, capture: Path, target: Path) -> int:
    """The project with every page replaced by its captured hook output and no hooks."""
    copy_project(target, hooked)
    count = 0
    for page in sorted((capture / "markdown").rglob("*.md")):
        relative = page.relative_to(capture / "markdown")
        destination = target / "content" / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(page, destination)
        count += 1
    settings = json.loads((capture / "config.json").read_text(encoding="utf-8"))
    dictionary = settings.get("jieba_dict_user")
    if dictionary:
        shutil.copy2(dictionary, target / "jieba-user.txt")
        dictionary = str(target / "jieba-user.txt")
    edit_config(target, "mkdocs.yml", hooks=None, jieba_dict_user=dictionary)
    return count


TERM_LINK = re.compile(r'<a class="atlas-term" href="[^"]*" title="[^"]*">(.*?)</a>', re.S)


def compare_sites(hooked: Path, prerendered: Path) -> dict[str, list[str]]:
    """Pages of both builds compared after removing the glossary links (the only HTML the hooks add late)."""
    hooked_pages = {p.relative_to(hooked).as_posix() for p in hooked.rglob("*.html")}
    pre_pages = {p.relative_to(prerendered).as_posix() for p in prerendered.rglob("*.html")}
    differ = []
    for page in sorted(hooked_pages & pre_pages):
        a = TERM_LINK.sub(r"\1", (hooked / page).read_text(encoding="utf-8"))
        b = (prerendered / page).read_text(encoding="utf-8")
        if a != b:
            differ.append(page)
    return {"only_hooked": sorted(hooked_pages - pre_pages), "only_prerendered": sorted(pre_pages - hooked_pages),
            "differ": differ, "same": len(hooked_pages & pre_pages) - len(differ)}


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def phase_seconds(result: dict) -> dict[str, float]:
    """Seconds per reported phase, with the marker scan (expand minus handlers) split out."""
    phases = {name: value["seconds"] for name, value in result["phases"].items()}
    out = {name: phases.get(name, 0.0) for name in timing.PHASES}
    handlers = sum(out[name] for name in (timing.TABLES, timing.CHARTS, timing.OTHER))
    out["markers: scan/parse"] = max(0.0, out[timing.EXPAND] - handlers)
    return out


# The hooks' phases, which together are all the time the hooks spend in a build.
BUILD_PROCESS_PHASES = (timing.CONFIG, timing.LOAD, timing.EXPAND, timing.ANNOTATE, timing.SEARCH, timing.FINISH)
# Where the marker expansion's time goes (inside `markers: total`).
WORK_PHASES = (timing.TABLES, timing.CHARTS, timing.OTHER, "markers: scan/parse")


def hook_total(phases: dict[str, float]) -> float:
    """All the time the hooks spend in a build."""
    return sum(phases[name] for name in BUILD_PROCESS_PHASES)


def hook_work(phases: dict[str, float]) -> float:
    """The hooks' work: one process does it all, so it is the hooks' total."""
    return hook_total(phases)


REPORT_PHASES = BUILD_PROCESS_PHASES + WORK_PHASES


def median_phases(results: list[dict]) -> dict[str, float]:
    """Per-phase medians over several builds."""
    per = [phase_seconds(r) for r in results]
    return {name: statistics.median(p[name] for p in per) for name in per[0]}


def fmt_s(seconds: float) -> str:
    """Seconds for the report: '1.23 s', or '45 ms' below a tenth of a second."""
    return f"{seconds:.2f} s" if seconds >= 0.1 else f"{seconds * 1000:.0f} ms"


def site_base_path(project: Path) -> str:
    """The path part of site_url (pages may reference assets absolutely under it)."""
    match = re.search(r"^site_url:.*?\"(https?://[^\"]+)\"", (project / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    if not match:
        return "/"
    from urllib.parse import urlsplit
    return urlsplit(match.group(1)).path or "/"


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def main() -> None:
    """Run every part of the benchmark and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "7")))
    parser.add_argument("--factors", default=os.environ.get("BENCH_FACTORS", "10,100"))
    parser.add_argument("--readme", action="store_true", help="also update README.md's bench summary")
    parser.add_argument("--lighthouse-runs", type=int, default=int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "1")),
                        help="Lighthouse runs per page (the median of each figure is reported)")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite REPORT.md (and with --readme the summary) from bench/work/results.json")
    parser.add_argument("--visits-only", action="store_true",
                        help="build once and measure section 5 and the search indexes again, keeping the "
                             "other figures of bench/work/results.json")
    args = parser.parse_args()
    if args.report_only:
        print(write_report(json.loads((WORK / "results.json").read_text(encoding="utf-8"))))
        if args.readme:
            update_readme()
        return
    if args.visits_only:
        visits_only(args.lighthouse_runs)
        if args.readme:
            update_readme()
        return
    visit.check_tools()  # before the builds: a missing tool should not cost their minutes
    factors = [int(f) for f in args.factors.split(",") if f.strip()]
    started = time.perf_counter()

    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    sites = WORK / "sites"

    print("1. capture build (hooks + capture hook)", flush=True)
    hooked = copy_project(WORK / "hooked")
    shutil.copy2(BENCH / "capture_hook.py", hooked / "bench_capture_hook.py")
    edit_config(hooked, "mkdocs-capture.yml", hooks=["hooks/main.py", "bench_capture_hook.py"])
    capture = WORK / "capture"
    capture_result = build(hooked, sites / "capture", "mkdocs-capture.yml", {"BENCH_CAPTURE_DIR": str(capture)})
    prerendered = WORK / "prerendered"
    page_count = make_prerendered(hooked, capture, prerendered)
    print(f"   {page_count} page sources pre-rendered", flush=True)

    print(f"2. {args.runs} builds each, alternating", flush=True)
    with_hooks, without = [], []
    for run in range(args.runs):
        with_hooks.append(build(hooked, sites / f"hooked-{run}"))
        without.append(build(prerendered, sites / f"prerendered-{run}"))
    t_hooks = statistics.median(r["seconds"] for r in with_hooks)
    phases = median_phases(with_hooks)
    hooks_sum = hook_total(phases)
    comparison = compare_sites(sites / f"hooked-{args.runs - 1}", sites / f"prerendered-{args.runs - 1}")

    scaling = [{"factor": 1, "seconds": t_hooks, "hooks": hooks_sum, "work": hook_work(phases), "phases": phases,
                "html_files": with_hooks[-1]["html_files"], "counts": None}]
    for factor in factors:
        print(f"3. data ×{factor}", flush=True)
        project = copy_project(WORK / f"x{factor}", hooked)
        counts = scale.scale_data(project / "data", factor)
        from atlas import workspace
        from atlas.errors import DataError
        try:
            workspace.load(project / "data")
        except DataError as error:
            raise SystemExit(f"bench: synthetic data ×{factor} is invalid:\n{error.report()}")
        # The search dictionary's word list is computed once per new glossary and remembered on
        # disk (atlas/workspace.py); the ×1 builds find it remembered, so do the same here and
        # compare like with like (computing it is a one-off, not a cost of every build).
        workspace.jieba_user_dictionary(project / "data" / "glossary.yaml")
        result = build(project, sites / f"x{factor}")
        scaled = phase_seconds(result)
        scaling.append({"factor": factor, "seconds": result["seconds"], "hooks": hook_total(scaled),
                        "work": hook_work(scaled),
                        "phases": scaled, "html_files": result["html_files"], "counts": counts,
                        "warnings": len(result["warnings"])})
        shutil.rmtree(sites / f"x{factor}")  # large (×100: 14,000 pages); keep the disk tidy
        shutil.rmtree(project)

    print("4. page weight", flush=True)
    site = sites / f"hooked-{args.runs - 1}"
    pages = weight.weigh_site(site, site_base_path(hooked))
    scripts = {s: weight.sizes(site / s)[1] for page in pages for s in page.scripts}
    print("5. first visits: bytes and Lighthouse", flush=True)
    visits, load = measure_visits(site, hooked, args.lighthouse_runs)
    results = {"runs": args.runs, "capture_warnings": capture_result["warnings"], "with_hooks": with_hooks,
               "without": without, "comparison": comparison, "scaling": scaling,
               "pages": [dataclasses.asdict(page) for page in pages], "script_gzip": scripts,
               "search_index": search_index_sizes(site), "visits": visit.as_dicts(visits), "load": load,
               "lighthouse_runs": args.lighthouse_runs, "lighthouse": visit.lighthouse_version(),
               "elapsed": time.perf_counter() - started, "date": dt.date.today().isoformat()}
    (WORK / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    report = write_report(results)
    print(report)
    if args.readme:
        update_readme()


def search_index_sizes(site: Path) -> dict[str, list[int]]:
    """language -> [raw, gzip] bytes of its search index."""
    return {lang: list(weight.sizes(site / path)) for lang, path in SEARCH_INDEXES.items() if (site / path).is_file()}


def measure_visits(site: Path, project: Path, lighthouse_runs: int) -> tuple[list[visit.Visit], list[float]]:
    """Section 5 on a built site of `project`, and the machine's load averages (1, 5, 15 min) after it:
    Lighthouse scales the CPU time it observes, so a busy machine lowers the performance scores."""
    from atlas import workspace

    visits = visit.measure_site(site, project / "content", workspace.load(project / "data"), lighthouse_runs)
    return visits, list(os.getloadavg())


def visits_only(lighthouse_runs: int) -> None:
    """Build the project once and measure the first visits and search indexes again; the other
    figures come from the last full run's results.json."""
    visit.check_tools()
    saved = WORK / "results.json"
    if not saved.is_file():
        raise SystemExit("bench: --visits-only needs bench/work/results.json from a full `make bench`")
    results = json.loads(saved.read_text(encoding="utf-8"))
    project = WORK / "visits"
    if project.exists():
        shutil.rmtree(project)
    copy_project(project)
    site = WORK / "sites" / "visits"
    build(project, site)
    print("5. first visits: bytes and Lighthouse", flush=True)
    visits, load = measure_visits(site, project, lighthouse_runs)
    results.update(search_index=search_index_sizes(site), visits=visit.as_dicts(visits), load=load,
                   lighthouse_runs=lighthouse_runs, lighthouse=visit.lighthouse_version(),
                   visits_date=dt.date.today().isoformat())
    saved.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(write_report(results))


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def write_report(results: dict) -> str:
    """Render bench/REPORT.md from the measurements (bench/work/results.json); returns its text."""
    with_hooks, without = results["with_hooks"], results["without"]
    comparison, scaling, elapsed = results["comparison"], results["scaling"], results["elapsed"]
    pages = [weight.PageWeight(**{**page, "html": tuple(page["html"]), "js": tuple(page["js"]),
                                  "css": tuple(page["css"])}) for page in results["pages"]]
    capture_warnings = results["capture_warnings"]
    t_hooks = statistics.median(r["seconds"] for r in with_hooks)
    t_plain = statistics.median(r["seconds"] for r in without)
    added = t_hooks / t_plain - 1
    phases = median_phases(with_hooks)
    hooks_sum = hook_total(phases)
    lines: list[str] = []
    out = lines.append
    verdicts: dict[str, tuple[bool, str]] = {}
    out("# Benchmark report")
    out("")
    out(f"Generated by `make bench` (bench/run.py) on {results['date']}: "
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"{results['runs']} runs per variant; the whole benchmark took {elapsed / 60:.1f} min.")
    out("Times are wall-clock seconds of `mkdocs.commands.build.build()` (both languages) in a fresh "
        "interpreter per build; medians.")
    out("")

    # 1 ---------------------------------------------------------------------
    out("## 1. Build time: hooks vs the same pages pre-rendered")
    out("")
    out("| variant | runs (s) | median |")
    out("|---|---|---|")

    def runs(results):
        """The seconds of each build, comma-separated."""
        return ", ".join(f"{r['seconds']:.2f}" for r in results)

    out(f"| with hooks | {runs(with_hooks)} | **{t_hooks:.2f} s** |")
    out(f"| pre-rendered, no hooks | {runs(without)} | **{t_plain:.2f} s** |")
    out("")
    verdicts["hooks"] = (added <= HOOK_SHARE_LIMIT,
                         f"hooks add {added:+.1%} to the build (target ≤ +10%)")
    out(f"Hooks add **{added:+.1%}** ({t_hooks - t_plain:+.2f} s) to the build. The instrumented hook "
        f"phases of the build process sum to {fmt_s(hooks_sum)} per build ({hooks_sum / t_hooks:.1%} of it); "
        f"all of it is done in the build process (section 2).")
    pairs = sorted(h["seconds"] / p["seconds"] - 1 for h, p in zip(with_hooks, without))
    out("")
    spread = {name: max(r["seconds"] for r in runs_) / min(r["seconds"] for r in runs_) - 1
              for name, runs_ in (("hooked", with_hooks), ("plain", without))}
    out(f"Runs of the same variant differ by up to {spread['hooked']:.0%} (with hooks) and "
        f"{spread['plain']:.0%} (pre-rendered) on this machine. Each hooked build against the pre-rendered "
        "build that followed it adds " + ", ".join(f"{pair:+.1%}" for pair in pairs)
        + f" (median {statistics.median(pairs):+.1%}).")
    out("")
    out(f"The pre-rendered copy is the capture build's output: every page's Markdown after "
        f"`on_page_markdown` (front matter, `atlas_charts` and the generated model pages included), "
        f"the same mkdocs.yml without `hooks:` and the same jieba user dictionary. Pages compared "
        f"after removing the glossary links: {comparison['same']} identical, "
        f"{len(comparison['differ'])} different"
        + (f" ({', '.join(comparison['differ'][:8])}{' …' if len(comparison['differ']) > 8 else ''})"
           if comparison["differ"] else "")
        + f"; only in the hooked site: {len(comparison['only_hooked'])}"
        + (f" ({', '.join(comparison['only_hooked'][:5])})" if comparison["only_hooked"] else "")
        + f"; only in the pre-rendered site: {len(comparison['only_prerendered'])}.")
    if comparison["differ"] == ["404.html"] and comparison["only_hooked"] == ["en/404.html"]:
        out("")
        out("The 404 pages are the expected difference: the hooks' `finish` step writes the Chinese 404 "
            "to `/404.html` and the English one to `/en/404.html` (static-i18n leaves only the last-built "
            "language's 404 at the root), which the build without hooks lacks.")
    if capture_warnings:
        out("")
        out(f"The capture build logged {len(capture_warnings)} warning(s) (a --strict build would fail): "
            + "; ".join(f"`{w}`" for w in capture_warnings[:5]))
    out("")

    # 2 ---------------------------------------------------------------------
    out("## 2. Hook time per phase (median of the hooked builds, both languages)")
    out("")
    out("The hooks do all their work in the build process, one page after another, as MkDocs converts them.")
    out("")
    out("| phase | time | share of build |")
    out("|---|---|---|")
    for name in BUILD_PROCESS_PHASES:
        out(f"| {name} | {fmt_s(phases[name])} | {phases[name] / t_hooks:.1%} |")
    out(f"| **all hooks** | **{fmt_s(hooks_sum)}** | **{hooks_sum / t_hooks:.1%}** |")
    out("")
    out("| inside `markers: total` | time |")
    out("|---|---|")
    for name in WORK_PHASES:
        out(f"| {name} | {fmt_s(phases[name])} |")
    out("")
    out("`search dictionary` is `on_config` (the jieba user dictionary from the glossary); `load/validate` "
        "loads the data and makes the build's Site (pages scanned for charts, the models each chart "
        "plots); `markers: scan/parse` is `expand_page` minus the marker handlers; `finish` restores the "
        "404 pages, splits the search index and writes the downloads.")
    out("")

    # 3 ---------------------------------------------------------------------
    out("## 3. Scaling with synthetic data")
    out("")
    out("Models, scores, releases and glossary terms replicated with new ids, each copy citing its own "
        "copies of its sources (bench/scale.py). Every model gets its two generated pages, so the page "
        "count grows with the data too. One build per factor. The search dictionary's word list, which "
        "is computed once per new glossary and then remembered, is made before the timed build, as the "
        "×1 builds find theirs remembered.")
    out("")
    out("| data | models / scores / releases / terms / sources | HTML files | build | hooks (build process) | "
        "hook work | annotation | markers (tables / charts / other) | load | finish |")
    out("|---|---|---|---|---|---|---|---|---|---|")
    for row in scaling:
        counts = row["counts"]
        count_text = ("real data" if counts is None else
                      f"{counts['models']} / {counts['scores']} / {counts['releases']} / {counts['terms']} / "
                      f"{counts['sources']}")
        p = row["phases"]
        out(f"| ×{row['factor']} | {count_text} | {row['html_files']} | {fmt_s(row['seconds'])} | "
            f"{fmt_s(row['hooks'])} | {fmt_s(row['work'])} | {fmt_s(p[timing.ANNOTATE])} | {fmt_s(p[timing.EXPAND])} "
            f"({fmt_s(p[timing.TABLES])} / {fmt_s(p[timing.CHARTS])} / {fmt_s(p[timing.OTHER])}) | "
            f"{fmt_s(p[timing.LOAD])} | {fmt_s(p[timing.FINISH])} |")
    out("")
    linear = True
    if len(scaling) > 1:
        out("Growth per step (a ×10 step of the data; linear growth is ×10):")
        out("")
        out("| step | build | hooks (build process) | hook work | hook work per HTML file | annotation | markers |")
        out("|---|---|---|---|---|---|---|")
        for before, after in zip(scaling, scaling[1:]):
            step = after["factor"] / before["factor"]
            per_before = before["work"] / before["html_files"]
            per_after = after["work"] / after["html_files"]
            hook_ratio = after["work"] / before["work"]
            # Linear means the hooks' work grows no faster than the data (with 25% slack for noise).
            if hook_ratio > step * 1.25:
                linear = False
            out(f"| ×{before['factor']} → ×{after['factor']} | ×{after['seconds'] / before['seconds']:.1f} | "
                f"×{after['hooks'] / before['hooks']:.1f} | ×{hook_ratio:.1f} | ×{per_after / per_before:.2f} | "
                f"×{after['phases'][timing.ANNOTATE] / max(before['phases'][timing.ANNOTATE], 1e-9):.1f} | "
                f"×{after['phases'][timing.EXPAND] / max(before['phases'][timing.EXPAND], 1e-9):.1f} |")
        out("")
        steps = ", ".join(f"×{after['work'] / before['work']:.1f} from ×{before['factor']} to ×{after['factor']}"
                          for before, after in zip(scaling, scaling[1:]))
        verdicts["linear"] = (linear, "hook work grows " + ("no faster than linearly" if linear
                                                          else "faster than linearly")
                              + f" with the data ({steps}; linear is ×10 per step)")
        out(f"Hook work {'grows linearly or better' if linear else 'grows faster than linearly'} with the data"
            + (" (within 25% of ×10 per ×10 step)." if linear else "."))
        last, first_row = scaling[-1], scaling[0]
        step = last["factor"] / first_row["factor"]
        # results.json of an older bench may lack a phase measured today
        growth = sorted(((last["phases"].get(name, 0) / max(first_row["phases"][name], 1e-9), name)
                         for name in REPORT_PHASES if first_row["phases"].get(name, 0) > 0.005), reverse=True)
        out("Growth of each phase from ×1 to ×" + str(last["factor"]) + f" (data ×{step:g}, HTML files "
            f"×{last['html_files'] / first_row['html_files']:.1f}): "
            + ", ".join(f"{name} ×{ratio:.0f}" for ratio, name in growth) + ".")
        out("")

    # 4 ---------------------------------------------------------------------
    out("## 4. Page weight")
    out("")
    out("Per page: its own HTML plus every script and stylesheet it references, resolved to files in the "
        "site; raw and gzip (level 6), as fetched with an empty cache. Images, fonts and the lazily "
        "fetched search index are not counted.")
    out("")
    chart_pages = [p for p in pages if p.has_chart]
    plain_pages = [p for p in pages if not p.has_chart]
    base_scripts = {s for p in plain_pages for s in p.scripts}
    out("| pages | count | HTML raw | HTML gzip | JS raw | JS gzip | CSS raw | CSS gzip | total gzip |")
    out("|---|---|---|---|---|---|---|---|---|")
    for label, group in (("without charts", plain_pages), ("with charts", chart_pages)):
        out(f"| {label} | {len(group)} | {weight.describe([p.html[0] for p in group])} | "
            f"{weight.describe([p.html[1] for p in group])} | {weight.describe([p.js[0] for p in group])} | "
            f"{weight.describe([p.js[1] for p in group])} | {weight.describe([p.css[0] for p in group])} | "
            f"{weight.describe([p.css[1] for p in group])} | {weight.describe([p.total[1] for p in group])} |")
    out("")
    out("(min / median / max)")
    out("")
    plotly_on_plain = [p.page for p in plain_pages if any("plotly" in s.lower() for s in p.scripts)]
    verdicts["plotly"] = (not plotly_on_plain,
                          "no plotly on pages without charts" if not plotly_on_plain
                          else f"plotly loaded by {len(plotly_on_plain)} page(s) without charts")
    out(f"Pages without charts that load plotly: **{len(plotly_on_plain)}**"
        + (f" ({', '.join(plotly_on_plain[:10])})" if plotly_on_plain else "") + ".")
    if chart_pages:
        chart_js = {}
        for page in chart_pages:
            extra = [s for s in page.scripts if s not in base_scripts]
            chart_js[page.page] = (extra, sum(results["script_gzip"][s] for s in extra))
        worst = max(chart_js.values(), key=lambda item: item[1])
        names = sorted({s for extra, _ in chart_js.values() for s in extra})
        verdicts["chartjs"] = (worst[1] <= CHART_JS_LIMIT,
                               f"chart JavaScript {weight.kb(worst[1])} gzip at most (target ≤ 500 KB)")
        out(f"Chart JavaScript (scripts that only chart pages load: {', '.join(f'`{n}`' for n in names)}): "
            f"**{weight.kb(worst[1])} gzip** at most per chart page (target ≤ 500 KB).")
        no_plotly = [page for page, (extra, _) in chart_js.items() if not any("plotly" in s.lower() for s in extra)]
        if no_plotly:
            verdicts["chartjs"] = (False, f"{len(no_plotly)} chart page(s) load no plotly: {', '.join(no_plotly[:5])}")
            out(f"Chart pages that load **no** plotly: {', '.join(no_plotly)}.")
    else:
        verdicts["chartjs"] = (False, "no page with a chart was found, so the chart JavaScript was not measured")
        out("No page with a chart was found (looked for an element with class `atlas-chart`).")
    missing = sorted({m for p in pages for m in p.missing})
    external = sorted({m for p in pages for m in p.external})
    if missing:
        out(f"Referenced but missing in the site: {', '.join(missing)}.")
    if external:
        out(f"External scripts or stylesheets: {', '.join(external)}.")
    out("")
    out("<details><summary>Every page (gzip bytes: HTML, JS, CSS, total)</summary>")
    out("")
    out("| page | chart | HTML | JS | CSS | total |")
    out("|---|---|---|---|---|---|")
    for page in pages:
        out(f"| {page.page} | {'yes' if page.has_chart else ''} | {page.html[1]:,} | {page.js[1]:,} | "
            f"{page.css[1]:,} | {page.total[1]:,} |")
    out("")
    out("</details>")
    out("")

    # 5 ---------------------------------------------------------------------
    visits = visit.from_dicts(results.get("visits") or [])
    indexes = results.get("search_index") or {}
    out("## 5. A reader's first visit: bytes and Lighthouse")
    out("")
    if indexes:
        too_big = {lang: size for lang, (_, size) in indexes.items() if size > SEARCH_INDEX_LIMIT}
        verdicts["search"] = (not too_big, "search index " + ", ".join(
            f"{lang} {weight.kb(size)}" for lang, (_, size) in indexes.items()) + " gzip (target ≤ 60 KB per language)")
        out("Search index per language (fetched only when the reader opens the search, so not in the figures "
            "below): " + "; ".join(f"{lang} **{weight.kb(gz)} gzip** ({weight.kb(raw)} raw)"
                                   for lang, (raw, gz) in indexes.items()) + ".")
        out("")
    if visits:
        if results.get("visits_date"):
            out(f"Measured again on {results['visits_date']} (`--visits-only`), on a fresh build of the project.")
            out("")
        out("The last hooked build, served with gzip as GitHub Pages serves it (bench/serve.py). **Bytes**: "
            "the page opened in Chromium (Playwright) with an empty cache on Lighthouse's phone screen "
            "(412×823), every response until the network is idle summed as it came over the wire "
            "(compressed body plus headers). **Lighthouse** "
            f"{results.get('lighthouse', '12')}, mobile profile with its simulated throttling, "
            f"{results.get('lighthouse_runs', 1)} run(s) per page (medians); TBT is the total blocking time, "
            "LCP the largest contentful paint (and its element, the last step of Lighthouse's selector), "
            "CLS the layout shift."
            + (" Lighthouse scales the CPU time it observes, so a busy machine lowers the performance scores: "
               f"the load average after the measurements was {' / '.join(f'{v:.1f}' for v in results['load'])} "
               f"(1 / 5 / 15 min) on {os.cpu_count()} CPUs." if results.get("load") else ""))
        out("")
        out("| kind | page | requests | HTML | CSS | JS | JSON | images | fonts | other | **total** | "
            "perf. | access. | best pr. | SEO | TBT | LCP | largest paint | CLS |")
        out("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for item in visits:
            b, sc, m = item.bytes, item.scores, item.metrics

            def score(name, scores=sc):
                """A score, or a dash when Lighthouse gave none."""
                return f"{scores[name]:.0f}" if name in scores else "–"

            out(f"| {item.kind} | /{item.path} | {item.requests} | "
                + " | ".join(weight.kb(b[kind]) if b.get(kind) else "–"
                             for kind in ("html", "css", "js", "json", "images", "fonts", "other"))
                + f" | **{weight.kb(item.total)}** | {score('performance')} | {score('accessibility')} | "
                f"{score('best-practices')} | {score('seo')} | "
                + (f"{m['tbt_ms']:.0f} ms" if "tbt_ms" in m else "–") + " | "
                + (f"{m['lcp_ms'] / 1000:.1f} s" if "lcp_ms" in m else "–") + " | "
                + (" ; ".join(f"`{e.split('>')[-1].strip()}`" for e in item.lcp_element.split("; "))
                   if item.lcp_element else "–") + " | "
                + (f"{m['cls']:.3f}" if "cls" in m else "–") + " |")
        out("")
        differences = [item.total - item.metrics["bytes"] for item in visits if "bytes" in item.metrics]
        if differences:
            spread = {weight.kb(min(differences)), weight.kb(max(differences))}
            out("Lighthouse's own total byte weight differs from these totals by "
                f"{'–'.join(sorted(spread))} per page: Chromium reports no size "
                "for the script of Material's search worker, which every page starts (the search index itself "
                "waits until the search is opened); it is counted here from the server's Content-Length. "
                "“other” is Material's fetch of the sitemap.")
            out("")
        problems = [f"/{item.path}: {error}" for item in visits for error in item.errors]
        if problems:
            out("Problems seen while measuring: " + "; ".join(problems[:10]) + ".")
            out("")
        pictures = [item.path for item in visits
                    if item.lcp_element and not all(visit.is_text(e) for e in item.lcp_element.split("; "))]
        if any(item.lcp_element for item in visits):
            verdicts["paint"] = (not pictures, "the largest paint is text on every page measured"
                                 + (f" (not on {', '.join('/' + p for p in pictures[:5])})" if pictures else ""))
        for key, category, target in (("performance", "performance", PERFORMANCE_TARGET),
                                      ("accessibility", "accessibility", ACCESSIBILITY_TARGET)):
            below = sorted((item.scores.get(category, 0), item.path) for item in visits
                           if item.scores.get(category, 0) < target)
            verdicts[key] = (not below, f"Lighthouse {category} ≥ {target} on every page measured"
                             + (f" ({len(below)} of {len(visits)} below; lowest {below[0][0]:.0f} on /{below[0][1]})"
                                if below else ""))
    else:
        out("Not measured in this run.")
        out("")

    # Verdict ---------------------------------------------------------------
    out("## Targets")
    out("")
    for key in ("hooks", "linear", "plotly", "chartjs", "search", "performance", "paint", "accessibility"):
        if key in verdicts:
            ok, text = verdicts[key]
            out(f"- {'met' if ok else '**not met**'}: {text}")
    out("")
    out(NOTES)
    text = "\n".join(lines)
    (BENCH / "REPORT.md").write_text(text, encoding="utf-8")
    summary = summary_block(t_hooks, t_plain, added, hooks_sum, scaling, plain_pages, chart_pages, verdicts, visits)
    (WORK / "summary.md").write_text(summary, encoding="utf-8")
    return text


NOTES = """## Where the hook time goes (profiling notes, 2026-11-29)

Separate profiling runs, not regenerated by `make bench`; re-check them when the figures above move.

- **First round** (+89% → +22%): the glossary regex became a trie, annotations are prepared once per
  language and page depth, the catalog is loaded once per build, YAML is read with libyaml, the jieba word
  list is remembered on disk per glossary, the annotation pass tokenizes with one regex instead of
  `html.parser`, and the catalog keeps per-model indexes (hook time had grown faster than the data).
- **Second round, the work itself** (same output, checked byte for byte against the previous build after
  each step): charts are written as plain plotly JSON instead of through plotly's `graph_objects`, whose
  validation was most of the chart time (a test validates every figure with plotly.py instead); templates
  read dict keys directly instead of after a failed attribute lookup (model pages render twice as fast);
  relative links are cached and computed without `posixpath.relpath`, which calls `os.getcwd()`; marker
  arguments without quotes are split without `shlex`; the pages holding charts are scanned once per build
  instead of listed and stat-ed for every model page; the annotation pass copies the HTML only where a text
  changes and matches attribute lists possessively. Hook work fell from about 0.9 s to 0.6 s.
- **Third round, one process** (2026-12-06): the forked worker that expanded markers and annotated
  pages on the second core is gone. It saved about 3% of the build but could wait forever on a child
  that died, and it split every hook in two. The hooks now do all their work in the build process; what
  several renderers need is computed once per build (the build's Site) instead of cached per module.
- **Scaling.** With the per-model indexes, hook work grows linearly with the data (see section 3). Python's
  cyclic garbage collector slows every step as the heap grows: loading the data now pauses it (at ×100,
  10 s → 3.5 s); MkDocs' own work slows the same way. The search dictionary's word list is a one-off per
  glossary (2.4 s at ×100), made before the timed scaled builds.
"""


def summary_block(t_hooks, t_plain, added, hooks_sum, scaling, plain_pages, chart_pages, verdicts, visits) -> str:
    """The few lines README.md shows under its bench-summary marker."""
    rows = [f"- Build (both languages): {t_hooks:.1f} s with hooks, {t_plain:.1f} s for the same pages "
            f"pre-rendered: hooks add {added:+.1%} ({hooks_sum:.2f} s of hook work, all in the build process)."]
    if len(scaling) > 1:
        rows.append("- Data ×" + " / ×".join(str(r["factor"]) for r in scaling) + ": build "
                    + " / ".join(f"{r['seconds']:.0f} s" for r in scaling) + ", hooks "
                    + " / ".join(f"{r['hooks']:.1f} s" for r in scaling) + " (hook work "
                    + " / ".join(f"{r['work']:.1f} s" for r in scaling) + ").")
    if plain_pages:
        median_plain = statistics.median(p.total[1] for p in plain_pages)
        rows.append(f"- Page weight (gzip, HTML+JS+CSS): median {median_plain / 1000:.0f} KB without charts"
                    + (f", {statistics.median(p.total[1] for p in chart_pages) / 1000:.0f} KB with charts"
                       if chart_pages else "") + ".")
    if visits:
        by_kind: dict[str, list[visit.Visit]] = {}
        for item in visits:
            by_kind.setdefault(item.kind, []).append(item)

        def span(values, unit_format):
            """'a' or 'a–b' for the smallest and largest of `values`."""
            low, high = min(values), max(values)
            return unit_format(low) if unit_format(low) == unit_format(high) else \
                f"{unit_format(low)}–{unit_format(high)}"

        rows.append("- A first visit (gzip, all it downloads on load, both languages): " + ", ".join(
            f"{kind} {span([item.total for item in items], lambda v: f'{v / 1000:.0f}')} KB"
            for kind, items in by_kind.items()) + ". Lighthouse mobile: " + ", ".join(
            f"{name} {span([item.scores[name] for item in visits if name in item.scores], lambda v: f'{v:.0f}')}"
            for name in visit.CATEGORIES if any(name in item.scores for item in visits)) + " (bench/REPORT.md §5).")
    rows.append("- Targets: " + "; ".join(f"{'met' if ok else 'NOT met'} — {text}" for ok, text in verdicts.values()) + ".")
    rows.append("")
    rows.append("Reproducible builds: `tests/test_reproducible.py` compares the session's build with a second "
                "one made in a fresh interpreter with another `PYTHONHASHSEED`, file by file. The only files "
                "that may differ are `sitemap.xml` and `sitemap.xml.gz` (and `en/sitemap.xml`): MkDocs writes "
                "the build *date* into every `<lastmod>` and into the gzip header, so builds on different days "
                "differ there. The Makefile pins `SOURCE_DATE_EPOCH` to the commit's time, so `make build` "
                "and `make test` produce the same bytes for the same commit, sitemaps included. "
                "The test is marked `slow`: "
                "`pytest -m \"not slow\"` skips it locally; `make test` runs it.")
    return "\n".join(rows) + "\n"


def update_readme() -> None:
    """Replace what follows README.md's bench-summary marker (up to the next heading) with the summary."""
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    marker = "<!-- bench-summary -->"
    if marker not in text:
        raise SystemExit("bench: README.md has no <!-- bench-summary --> marker")
    head, tail = text.split(marker, 1)
    following = re.search(r"^#{1,6} ", tail, re.M)
    rest = tail[following.start():] if following else ""
    summary = (WORK / "summary.md").read_text(encoding="utf-8")
    readme.write_text(f"{head}{marker}\n\n{summary}\n{rest}", encoding="utf-8")


if __name__ == "__main__":
    main()
