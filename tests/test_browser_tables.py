"""Tables in a real browser, as a reader uses them on a 1366-px laptop and a 390-px phone, in both
languages: nothing clipped, sorting by click and keyboard, the filter and its URL.

The site is the session's build (`built_site`), served by `browser_fixtures`; one page of each kind
(the fixture `samples`) plus the pages that hold data tables.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from browser_fixtures import LANGS, content_pages, html_file, in_lang

pytestmark = pytest.mark.browser

pytest_plugins = ["browser_fixtures"]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
LIGHTHOUSE_PHONE = {"width": 412, "height": 823}  # the screen of Lighthouse's mobile profile
MODELS = "models/"
BENCHMARKS = "benchmarks/"

# Every column's right edge inside the viewport and inside the visible box of the table's frame.
# Each table is measured as the reader sees it: scrolled to, so that the browser renders it (a table far
# from the screen is skipped, content-visibility: auto, and has no geometry until then).
CLIPPED_COLUMNS = """async () => {
    const problems = [];
    const nextFrame = () => new Promise(resolve => requestAnimationFrame(resolve));
    for (const [index, table] of [...document.querySelectorAll('.md-content table')].entries()) {
        table.scrollIntoView({block: 'nearest'});
        await nextFrame(); await nextFrame();
        const frame = table.closest('.atlas-table, .md-typeset__scrollwrap') || table.parentElement;
        const box = frame.getBoundingClientRect();
        const right = Math.min(box.right, document.documentElement.clientWidth);
        const heads = table.tHead ? [...table.tHead.rows[table.tHead.rows.length - 1].cells] : [];
        heads.forEach(th => {
            const edge = th.getBoundingClientRect().right;
            if (edge > right + 1) {
                problems.push(`table ${index + 1}, column "${th.textContent.trim()}" ends at ${Math.round(edge)} px, ` +
                              `its frame shows up to ${Math.round(right)} px`);
            }
        });
    }
    return problems;
}"""


@pytest.fixture
def reader(browser, server):
    """`reader(viewport, java_script=True)`: a fresh page of that size; closed after the test."""
    contexts = []

    def open_page(viewport, java_script=True):
        """A new page in a context of the given viewport."""
        context = browser.new_context(viewport=viewport, service_workers="block", java_script_enabled=java_script)
        contexts.append(context)
        page = context.new_page()
        page.errors = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()


def table_pages(site_dir, samples) -> list[str]:
    """The content pages that hold a table, and one page of each kind (a model page among them)."""
    pages = [path for path in content_pages() if "<table" in html_file(site_dir, path).read_text("utf-8")]
    return sorted(set(pages) | set(samples.values()))


@pytest.mark.parametrize("lang", LANGS)
def test_tables_fit_a_laptop_and_a_phone(reader, server, built_site, samples, lang):
    """Every page that holds a table, and one page of each kind: at 1366 px no table is wider than its
    frame (every column shows); at 390 px the page never scrolls sideways. On the model index at 390 px the wide tables scroll in their own frame, which the page
    does not exceed, and the hint says so."""
    laptop, phone = reader(DESKTOP), reader(PHONE)
    problems = []
    for path in table_pages(built_site, samples):
        url = server.url(in_lang(path, lang))
        laptop.goto(url, wait_until="domcontentloaded")  # the styles and the table script have run
        problems += [f"{in_lang(path, lang)} at 1366 px: {problem}" for problem in laptop.evaluate(CLIPPED_COLUMNS)]
        phone.goto(url, wait_until="domcontentloaded")
        width = phone.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            problems.append(f"{in_lang(path, lang)}: the page is {width[0]} px wide on a {width[1]} px screen")
    assert not problems, "\n".join(problems)
    phone.goto(server.url(in_lang(MODELS, lang)))
    frames = []
    for frame in phone.locator(".atlas-table").all():  # as the reader scrolls to each table
        frame.scroll_into_view_if_needed()
        # the browser starts rendering the table (content-visibility), then tables.js measures it
        frame.evaluate("""frame => new Promise(resolve => { const table = frame.querySelector('table');
            const wait = () => table.checkVisibility({contentVisibilityAuto: true})
                ? requestAnimationFrame(() => requestAnimationFrame(resolve)) : requestAnimationFrame(wait);
            wait(); })""")
        frames.append(frame.evaluate("""frame => ({
            overflows: frame.scrollWidth > frame.clientWidth,
            hint: frame.querySelector('.atlas-table__hint').checkVisibility({visibilityProperty: true}),
            inside: frame.getBoundingClientRect().right <= window.innerWidth })"""))
    wide = [frame for frame in frames if frame["overflows"]]
    assert wide, "no table of the model index is wider than a phone: the scroll cue is untested"
    assert all(frame["hint"] and frame["inside"] for frame in wide), frames
    assert not any(frame["hint"] for frame in frames if not frame["overflows"]), frames


def _column(table, index: int) -> list[tuple[str, str]]:
    """(sort key, text) of one column of a table's body, top to bottom."""
    return table.evaluate(f"""table => [...table.tBodies[0].rows]
        .map(row => [row.cells[{index}].getAttribute('data-sort'), row.cells[{index}].textContent.trim()])""")


def _assert_sorted(cells: list[tuple[str, str]], descending: bool) -> None:
    """Figures in order of their values (32K before 128K when ascending), then every "—"."""
    figures = [(float(key), text) for key, text in cells if text != "—"]
    assert figures and [value for value, _ in figures] == sorted((v for v, _ in figures), reverse=descending), cells
    assert all(text == "—" for _, text in cells[len(figures):]) and len(figures) < len(cells), cells
    texts = [text for _, text in figures]
    small = next(i for i, text in enumerate(texts) if "32K" in text)
    large = next(i for i, text in enumerate(texts) if "128K" in text)
    assert (small > large) if descending else (small < large), texts


@pytest.mark.parametrize("lang", LANGS)
def test_sort_by_context_click_and_keyboard(reader, server, lang):
    """In the Qwen3 table of the model index a click on the context header sorts by value (32K before
    128K) with missing figures ("—") last and aria-sort on the header; Enter on the focused header
    button reverses the order, "—" still last; Space sorts again; the column sorted at build time
    loses its aria-sort."""
    page = reader(DESKTOP)
    page.goto(server.url(in_lang(MODELS, lang)))
    table = page.locator('[data-filter-group="family-qwen3"] table')
    headers = table.locator("thead th")
    labels = [text.strip() for text in headers.all_text_contents()]
    context = next(i for i, text in enumerate(labels) if "tokens" in text)
    released = next(i for i in range(headers.count()) if headers.nth(i).get_attribute("aria-sort"))
    button = headers.nth(context).locator("button.atlas-sort")
    source = headers.nth(headers.count() - 1)  # the source column does not sort
    assert source.locator("button").count() == 0 and source.get_attribute("role") is None
    assert table.locator("thead button.atlas-sort").count() == headers.count() - 1

    button.click()
    assert headers.nth(context).get_attribute("aria-sort") == "ascending"
    assert headers.nth(released).get_attribute("aria-sort") is None
    _assert_sorted(_column(table, context), descending=False)

    button.focus()
    page.keyboard.press("Enter")
    assert headers.nth(context).get_attribute("aria-sort") == "descending"
    _assert_sorted(_column(table, context), descending=True)

    page.keyboard.press("Space")
    assert headers.nth(context).get_attribute("aria-sort") == "ascending"
    _assert_sorted(_column(table, context), descending=False)
    assert not page.errors, page.errors


@pytest.mark.parametrize("lang", LANGS)
def test_filter_from_the_url_and_into_it(reader, server, catalog, lang):
    """?family=qwen3&weights=open preselects the facets and shows only those rows, with "N of M models";
    typing in the box narrows further and writes the URL; no match shows the empty-state message."""
    page = reader(DESKTOP)
    page.goto(server.url(in_lang(MODELS, lang)) + "?family=qwen3&weights=open")
    form = page.locator("form.atlas-filter")
    assert form.is_visible()
    assert form.locator("select[name=family]").input_value() == "qwen3"
    assert form.locator("select[name=weights]").input_value() == "open"
    visible = page.evaluate("""() => [...document.querySelectorAll('[data-facet-model]')].filter(row =>
        row.offsetParent !== null).map(row => [row.dataset.facetModel, row.dataset.facetFamily, row.dataset.facetWeights])""")
    expected = {m.id for m in catalog.models.values() if m.family == "qwen3" and m.weights == "open"}
    assert {model for model, _, _ in visible} == expected
    assert all(family == "qwen3" and weights == "open" for _, family, weights in visible)
    assert page.locator("#family-qwen3").is_visible() and not page.locator("#family-qwen2").is_visible()
    count = form.locator("output").inner_text()
    assert str(len(expected)) in count and str(len(catalog.models)) in count

    form.locator("input[name=text]").fill("30b")
    query = parse_qs(urlsplit(page.evaluate("location.href")).query)
    assert query == {"family": ["qwen3"], "weights": ["open"], "text": ["30b"]}
    rows = page.evaluate("""() => [...document.querySelectorAll('[data-facet-model]')]
        .filter(row => !row.hidden).map(row => row.dataset.facetModel)""")
    assert rows and all("30b" in model for model in rows)

    form.locator("input[name=text]").fill("no-such-model")
    assert form.locator(".atlas-filter__none").is_visible()
    assert str(0) in form.locator("output").inner_text()
    page.reload()
    assert form.locator("input[name=text]").input_value() == "no-such-model"  # survives a reload
    form.locator("button[type=reset]").click()
    page.wait_for_function("() => !location.search")
    assert page.evaluate("document.querySelectorAll('[data-facet-model][hidden]').length") == 0
    assert not page.errors, page.errors


@pytest.mark.parametrize("lang", LANGS)
def test_benchmark_tables_filter_by_model_facets(reader, server, lang):
    """On the benchmarks page the same filter narrows the score and comparison tables; a table left
    without rows says so instead of showing an empty frame."""
    page = reader(DESKTOP)
    page.goto(server.url(in_lang(BENCHMARKS, lang)) + "?arch=moe")
    assert page.locator("form.atlas-filter select[name=arch]").input_value() == "moe"
    facets = page.evaluate("""() => [...document.querySelectorAll('[data-facet-model]')]
        .map(row => [row.dataset.facetArch, row.hidden])""")
    assert facets and all(hidden == (arch != "moe") for arch, hidden in facets)
    emptied = page.locator(".atlas-table__empty:visible")
    assert emptied.count() >= 1  # e.g. the Qwen2.5-Coder table: a dense model only
    assert not page.errors, page.errors


def test_without_javascript_every_row_shows(reader, server, catalog):
    """Without JavaScript the filter is not shown and every model's row is in the index."""
    page = reader(DESKTOP, java_script=False)
    page.goto(server.url(MODELS) + "?family=qwen3")
    assert not page.locator("form.atlas-filter").is_visible()
    assert page.locator("tr[data-facet-model]:visible").count() == len(catalog.models)


def test_ledger_and_review_dates_sort(reader, server):
    """The fact-check ledger sorts by verdict (its sources and uses do not sort), and the review dates
    on the changelog page sort as dates from their machine keys."""
    page = reader(DESKTOP)
    page.goto(server.url("en/fact-check/"))
    ledger = page.locator(".atlas-factcheck table")
    headers = ledger.locator("thead th")
    assert ledger.locator("thead button.atlas-sort").count() == 3
    headers.nth(1).locator("button.atlas-sort").click()
    assert headers.nth(1).get_attribute("aria-sort") == "ascending"
    verdicts = [text.strip() for text in ledger.locator("tbody tr td:nth-child(2)").all_inner_texts()]
    assert verdicts == sorted(verdicts, key=str.casefold) and len(set(verdicts)) > 1, verdicts

    page.goto(server.url("en/changelog/"))
    reviewed = page.locator(".atlas-reviewed table")
    reviewed.locator("thead th").nth(1).locator("button.atlas-sort").click()
    keys = [key for key, _ in _column(reviewed, 1)]
    assert keys == sorted(keys) and len(keys) > 3, keys
    assert not page.errors, page.errors


# Layout shifts the page makes after its first paint (Chromium's layout-shift entries, the figure behind
# Lighthouse's CLS), summed; shifts that follow the reader's own input do not count.
LAYOUT_SHIFT = """() => new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => list.getEntries().forEach(entry => {
        if (!entry.hadRecentInput) total += entry.value;
    })).observe({type: 'layout-shift', buffered: true});
    setTimeout(() => resolve(total), 300);
})"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", [MODELS, BENCHMARKS, "fact-check/"])
@pytest.mark.parametrize("phone", [PHONE, LIGHTHOUSE_PHONE], ids=["390px", "412px"])
def test_late_scripts_move_nothing_on_a_phone(reader, server, lang, path, phone):
    """The scripts are deferred, so a phone may paint before they run: held back until the page has
    painted, they still move nothing (the filters are shown by CSS, the scroll hint's line is kept,
    the tables far from the screen are measured only when the reader nears them)."""
    page = reader(phone)
    held = []

    def hold_scripts(route):
        """Answer a script of the site only once the page has painted without it."""
        held.append(route)

    page.route("**/assets/**/*.js", hold_scripts)
    page.goto(server.url(in_lang(path, lang)), wait_until="commit")
    page.wait_for_function("() => performance.getEntriesByType('paint').some(e => e.name === 'first-contentful-paint')")
    for route in held:
        route.continue_()
    page.unroute("**/assets/**/*.js")
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.querySelector('form.atlas-filter[data-atlas-ready], .atlas-factcheck-filter output:not(:empty)')")
    assert held, "no script was held back: the test did not test late scripts"
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
    assert not page.errors, page.errors


@pytest.mark.parametrize("lang", LANGS)
def test_a_link_to_a_row_of_a_table_far_down_shows_the_row(reader, server, lang):
    """A table far from the screen is not rendered until the reader nears it; a link to one of its rows
    (the last row of the model index's last table) still scrolls the row into view on a phone."""
    url = server.url(in_lang(MODELS, lang))
    first = reader(PHONE)
    first.goto(url)
    row_id = first.evaluate("() => [...document.querySelectorAll('.atlas-lazy-render tbody tr[id]')].pop().id")
    page = reader(PHONE)  # arriving by the link, as from another page
    page.goto(f"{url}#{row_id}")
    page.wait_for_function("""id => { const box = document.getElementById(id).getBoundingClientRect();
        return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight; }""", arg=row_id)
    assert not page.errors, page.errors
