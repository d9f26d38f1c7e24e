"""End to end in a real browser: clean page loads, charts, tooltips, the ledger filter, 404 pages.

Playwright for Python drives Debian's Chromium (no browser download). The site is built once
(the session fixture `built_site` in conftest.py, --strict) and served by a threaded
http.server on 127.0.0.1 under the path of `site_url` (e.g. /qwen-atlas/), as on GitHub Pages.
Without Chromium the tests are skipped, except in CI (CI=true), where that is a failure.

The pages come from one template each, so the tests visit one page of each kind in each
language (the fixture `samples`, chosen from the content folder, the data and the built site),
not every page.
"""

from __future__ import annotations

import re

import pytest
from browser_fixtures import HAN, KINDS, LANGS, in_lang, open_search, wait_until_search_ready

pytestmark = pytest.mark.browser

pytest_plugins = ["browser_fixtures"]

def wait_until_charts_drawn(page) -> int:
    """Scroll to every chart of the page as a reader would (a chart is drawn when it comes into view)
    and wait until each has drawn an SVG; the number of charts (fails naming the others)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    undrawn = """() => [...document.querySelectorAll('.atlas-chart__plot')]
        .filter(plot => !(plot.hasAttribute('data-rendered') && plot.querySelector('svg')))
        .map(plot => plot.getAttribute('data-chart'))"""
    assert page.locator(".atlas-chart__plot").count(), f"no chart (.atlas-chart__plot) on {page.url}"
    for index in range(page.locator(".atlas-chart__frame").count()):
        page.locator(".atlas-chart__frame").nth(index).scroll_into_view_if_needed()
    try:
        page.wait_for_function(f"() => ({undrawn})().length === 0", timeout=20_000)
    except PlaywrightTimeout:
        pytest.fail(f"charts not drawn on {page.url} within 20 s: {page.evaluate(undrawn)}; "
                    f"console: {page.watch.console_errors}")
    return page.locator(".atlas-chart__plot").count()


# Material asks for the sitemap just after the load event (it lists the other language's pages):
# once it has, the page has made every request it makes without the reader doing anything.
AFTER_LOAD_FETCHES = """() => performance.getEntriesByType('resource').some(entry => entry.name.endsWith('sitemap.xml'))"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", KINDS)
def test_page_loads_cleanly(page, server, samples, kind, lang):
    """One page of each kind in each language: its <html lang>, a language switcher to the same page
    in the other language, only local requests, no console error, no failed request.

    The page may not fetch the search index until the search is opened (it is hundreds of KB); on
    the home page the test opens the search and waits until its worker is ready, on a chart page
    until every chart is drawn. Any sitemap request is made while the page loads.
    """
    path = in_lang(samples[kind], lang)
    mark = len(server.log)
    page.goto(server.url(path), wait_until="load")
    page.wait_for_function(AFTER_LOAD_FETCHES, timeout=15_000)
    if any(url.endswith("/search_index.json") for url in page.watch.requests):
        problems_on_load = [f"{path}: the search index was fetched before the search was opened"]
    else:
        problems_on_load = []
    if kind == "home":
        open_search(page)
        wait_until_search_ready(page)
    if kind == "chart":
        wait_until_charts_drawn(page)
    problems = problems_on_load
    if page.get_attribute("html", "lang") != lang:
        problems.append(f"{path}: <html lang> is {page.get_attribute('html', 'lang')!r}, not {lang!r}")
    if kind != "404":
        other = "en" if lang == "zh" else "zh"
        href = page.eval_on_selector(f".md-select__link[hreflang={other}]", "a => a.href")
        if href != server.url(in_lang(samples[kind], other)):
            problems.append(f"{path}: language switcher goes to {href}")
    problems += [f"{path}: request to another host: {url}" for url in page.watch.foreign()]
    problems += [f"{path}: console error: {text}" for text in page.watch.console_errors]
    problems += [f"{path}: failed request: {text}" for text in page.watch.failed]
    problems += [f"server answered {status} for {served}" for served, status in server.errors_since(mark)]
    assert not problems, "\n".join(problems)


def test_404_pages_are_in_their_language(page, server, samples):
    """A missing page gets the 404 status; /404.html is Chinese and /en/404.html English, both styled."""
    response = page.goto(server.url("no-such-page/"))
    assert response.status == 404
    for lang in LANGS:
        page.goto(server.url(in_lang(samples["404"], lang)))
        assert page.get_attribute("html", "lang") == lang
        assert page.locator("h1").first.inner_text().strip() == "404 - Not found"
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"


# ---------------------------------------------------------------------------
# Charts and glossary
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_charts_render_and_follow_the_palette(page, server, samples, lang):
    """Every chart of a chart page draws an SVG in .atlas-chart__plot, in the page's language (no Chinese
    on the English page), and restyles when the palette toggle is clicked."""
    page.goto(server.url(in_lang(samples["chart"], lang)))
    wait_until_charts_drawn(page)
    plot = ".atlas-chart__plot[data-rendered]"
    text = " ".join(page.eval_on_selector_all(f"{plot} svg text", "els => els.map(e => e.textContent)"))
    assert bool(HAN.search(text)) == (lang == "zh"), f"chart text not in {lang}: {text[:300]}"
    colour = f"""() => {{
        const text = document.querySelector('{plot} svg text');
        return text ? getComputedStyle(text).fill : null;
    }}"""
    before = page.evaluate(colour)
    scheme = page.get_attribute("body", "data-md-color-scheme")
    page.click("form[data-md-component=palette] label:not([hidden])")
    page.wait_for_function(f"() => document.body.getAttribute('data-md-color-scheme') !== '{scheme}'")
    page.wait_for_function(f"before => ({colour})() !== before", arg=before, timeout=5_000)
    assert not page.watch.console_errors, page.watch.console_errors


@pytest.mark.parametrize("lang", LANGS)
def test_glossary_terms_have_tooltips_in_running_text(page, server, samples, lang):
    """Running text of the prose page carries glossary links with a definition in the page's language
    as title; hovering one shows the definition."""
    page.goto(server.url(in_lang(samples["prose"], lang)))
    # Material moves `title` into its own tooltip element, so read the served HTML for the attribute.
    terms = page.evaluate("""async () => {
        const html = await (await fetch(location.href)).text();
        const doc = new DOMParser().parseFromString(html, 'text/html');
        return [...doc.querySelectorAll('.md-content a.atlas-term[title]')].map(a => ({
            text: a.textContent, title: a.getAttribute('title'), context: a.parentElement.textContent}));
    }""")
    chinese = lang == "zh"
    found = [t for t in terms if all(bool(HAN.search(t[key])) == chinese for key in ("text", "title", "context"))
             and t["title"].strip()]
    assert found, f"no glossary term with a {lang} title in {lang} text: {terms[:5]}"
    term = page.locator(".md-content a.atlas-term", has_text=found[0]["text"]).first
    term.scroll_into_view_if_needed()
    term.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(timeout=5_000)
    assert found[0]["title"].strip()[:10] in tooltip.inner_text()


# ---------------------------------------------------------------------------
# Fact-check ledger
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_ledger_filter_hides_rows_by_verdict_and_topic(page, server, catalog, lang):
    """The verdict and topic selects show only matching rows; 'all' shows every row again."""
    page.goto(server.url(in_lang("fact-check/", lang)))
    rows = page.locator(".atlas-factcheck tbody tr")
    assert rows.count() == len(catalog.claims)
    page.select_option("select[data-filter=verdict]", "unverifiable")
    unverifiable = {c.id for c in catalog.claims.values() if c.verdict == "unverifiable"}
    assert page.locator(".atlas-factcheck tbody tr:visible").count() == len(unverifiable)
    topic = next(c.topic for c in catalog.claims.values() if c.verdict == "unverifiable")
    page.select_option("select[data-filter=topic]", topic)
    both = {c.id for c in catalog.claims.values() if c.verdict == "unverifiable" and c.topic == topic}
    visible = page.locator(".atlas-factcheck tbody tr:visible")
    assert {visible.nth(i).get_attribute("id") for i in range(visible.count())} == {f"claim-{i}" for i in both}
    page.select_option("select[data-filter=verdict]", "")
    page.select_option("select[data-filter=topic]", "")
    assert page.locator(".atlas-factcheck tbody tr:visible").count() == len(catalog.claims)
    assert page.watch.console_errors == []


def test_ledger_shows_every_row_without_javascript(browser, server, catalog):
    """Without JavaScript the filter stays hidden and every claim is visible."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url("fact-check/"))
        assert page.locator(".atlas-factcheck tbody tr:visible").count() == len(catalog.claims)
        assert not page.locator(".atlas-factcheck-filter").is_visible()
    finally:
        context.close()


# ---------------------------------------------------------------------------
# Charts: drawn when seen, in place of their data table; mode bar, dark hover labels, phones
# ---------------------------------------------------------------------------

CHART_STATE = """() => {
    const box = document.querySelector('.atlas-chart');
    const frame = box.querySelector('.atlas-chart__frame');
    const caption = box.querySelector('figcaption');
    const toggle = box.querySelector('.atlas-chart__data');
    return {frame: frame.getBoundingClientRect().height,
            caption: caption.getBoundingClientRect().top - box.getBoundingClientRect().top,
            standin: !!box.querySelector('.atlas-chart__standin table'),
            toggle: !toggle.hidden && !!toggle.querySelector('table'),
            plotly: typeof window.Plotly !== 'undefined'};
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_chart_is_drawn_when_seen_in_place_of_its_table(page, server, samples, lang):
    """At load plotly is not run and the data table stands in the chart's frame; scrolled into view,
    the chart is drawn in the same frame (nothing below it moves), plotly is fetched once, the table
    moves into the caption's toggle, the drawing is a named image and the mode bar offers only the
    translated PNG download (no logo link, no dead share button)."""
    page.goto(server.url(in_lang(samples["chart"], lang)), wait_until="load")
    before = page.evaluate(CHART_STATE)
    assert before["standin"] and not before["toggle"] and not before["plotly"], before
    assert page.locator(".atlas-chart__standin table").first.is_visible()
    wait_until_charts_drawn(page)
    after = page.evaluate(CHART_STATE)
    assert not after["standin"] and after["toggle"] and after["plotly"], after
    assert abs(after["frame"] - before["frame"]) < 1 and abs(after["caption"] - before["caption"]) < 1
    assert sum("plotly-basic" in url for url in page.watch.requests) == 1
    svg = page.locator(".atlas-chart__plot svg.main-svg").first
    assert svg.get_attribute("role") == "img" and svg.get_attribute("aria-labelledby").endswith("-title")
    titles = page.eval_on_selector_all(".atlas-chart__plot .modebar-btn", "els => els.map(e => e.dataset.title)")
    assert titles == (["下载图表为PNG格式"] if lang == "zh" else ["Download plot as a PNG"])
    assert page.locator(".atlas-chart__plot .modebar a").count() == 0
    assert not page.watch.console_errors, page.watch.console_errors


def _luminance(rgb: str) -> float:
    """Relative luminance of a CSS rgb()/rgba() colour (alpha ignored)."""
    values = [float(v) / 255 for v in re.findall(r"[\d.]+", rgb)[:3]]
    linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_hover_label_is_readable_in_dark_mode(page, server):
    """In the dark palette a bar's hover label has the page's text on the page's background (4.5:1 or more)."""
    page.goto(server.url("benchmarks/"))
    page.click("form[data-md-component=palette] label:not([hidden])")
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    wait_until_charts_drawn(page)
    page.locator(".atlas-chart__plot .point path").first.hover(force=True)
    page.wait_for_selector(".atlas-chart__plot .hovertext", timeout=5_000)
    fill, text = page.evaluate("""() => {
        const label = document.querySelector('.atlas-chart__plot .hovertext');
        return [getComputedStyle(label.querySelector('path')).fill,
                getComputedStyle(label.querySelector('text')).fill];
    }""")
    light, dark = sorted([_luminance(fill), _luminance(text)], reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5, (fill, text)


@pytest.mark.parametrize("path", ["timeline/", "en/moe/"])
def test_charts_on_a_phone_keep_legend_below_and_labels_apart(browser, server, path):
    """At 390 px: the legend sits below the plot, no two tick labels overlap, and the page does not
    scroll sideways."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    try:
        page = context.new_page()
        page.goto(server.url(path))
        page.locator(".atlas-chart__frame").first.scroll_into_view_if_needed()
        page.wait_for_selector(".atlas-chart__plot[data-rendered]", timeout=20_000)
        layout = page.evaluate("""() => {
            const plot = document.querySelector('.atlas-chart__plot');
            const box = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
            const legend = plot.querySelector('g.legend');
            return {legend: legend ? box(legend) : null,
                    axes: box(plot.querySelector('.cartesianlayer')),
                    ticks: [...plot.querySelectorAll('.xtick text, .ytick text')].map(box),
                    pageWidth: document.documentElement.scrollWidth};
        }""")
    finally:
        context.close()
    assert layout["pageWidth"] <= 390
    if layout["legend"]:
        assert layout["legend"][1] >= max(tick[3] for tick in layout["ticks"]) - 1, layout
    ticks = layout["ticks"]
    overlapping = [(a, b) for i, a in enumerate(ticks) for b in ticks[i + 1:]
                   if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1]
    assert not overlapping, overlapping


def test_chart_data_shows_without_javascript(browser, server, samples):
    """Without JavaScript each chart's data table stands in its frame, visible."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url(samples["chart"]))
        assert page.locator(".atlas-chart__frame .atlas-chart__standin table").first.is_visible()
        assert page.locator(".atlas-chart__standin tbody tr").count() > 0
    finally:
        context.close()
