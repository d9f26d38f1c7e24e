"""Accessibility in a real browser: axe-core finds no serious or critical violation on one page of
each kind, in both languages, in the light palette, and no colour problem in the dark one.

axe-core comes from the pinned PyPI package axe-playwright-python (requirements.lock), which ships
axe.min.js; it is injected into the page from that file, so nothing is fetched from another host.
The pages are the kinds of tests/browser_fixtures.py (home, prose, chart, table, model, glossary,
data, 404) plus the benchmarks page, the fact-check ledger and the changelog; charts are scrolled
into view and drawn before the check, so the drawn chart is checked, not its stand-in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_fixtures import KINDS, LANGS, in_lang

pytestmark = pytest.mark.browser

pytest_plugins = ["browser_fixtures"]

# Pages beyond one per kind: the benchmarks page (its score chart has a design of its own), and the
# fact-check ledger and the changelog (templates of their own).
EXTRA_PAGES = ("benchmarks/", "fact-check/", "changelog/")
BLOCKING = ("serious", "critical")
# The rules whose outcome depends on the palette, checked again in the dark one.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


@pytest.fixture(scope="module")
def axe_script() -> str:
    """axe.min.js as shipped by the pinned axe-playwright-python package."""
    try:
        import axe_playwright_python
    except ImportError:
        pytest.fail("axe-playwright-python is not installed (pip install -r requirements.lock)")
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def violations(page, axe_script: str, rules: list[str] | None = None) -> list[str]:
    """Serious and critical axe-core violations of the page as it is now (all rules, or only `rules`),
    one line per rule."""
    page.evaluate(axe_script)
    options = {"resultTypes": ["violations"]} | ({"runOnly": {"type": "rule", "values": rules}} if rules else {})
    result = page.evaluate("options => axe.run(document, options)", options)
    return [f"{rule['impact']} {rule['id']} ({rule['help']}) at {[node['target'] for node in rule['nodes'][:3]]}"
            for rule in result["violations"] if rule["impact"] in BLOCKING]


def draw_charts(page) -> None:
    """Scroll each chart into view and wait until it is drawn (charts draw when seen)."""
    frames = page.locator(".atlas-chart__frame")
    for index in range(frames.count()):
        frames.nth(index).scroll_into_view_if_needed()
    if frames.count():
        page.wait_for_function("""() => [...document.querySelectorAll('.atlas-chart__plot')]
            .every(plot => plot.hasAttribute('data-rendered'))""", timeout=20_000)


def set_palette(page, scheme: str) -> None:
    """Apply one of Material's palettes (its toggle's body attributes) without clicking the toggle: a
    click leaves the toggle's tooltip fading in or out, a contrast problem no reader meets, and it
    would persist the palette into the next page. Transitions are switched off first, so that no
    colour is checked halfway between the two palettes."""
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    page.evaluate("""scheme => {
        const input = [...document.querySelectorAll('form[data-md-component=palette] input')]
            .find(option => option.getAttribute('data-md-color-scheme') === scheme);
        for (const key of ['scheme', 'primary', 'accent']) {
            document.body.setAttribute('data-md-color-' + key, input.getAttribute('data-md-color-' + key));
        }
    }""", scheme)
    assert page.get_attribute("body", "data-md-color-scheme") == scheme


@pytest.mark.parametrize("lang", LANGS)
def test_no_serious_accessibility_violation(page, server, samples, axe_script, lang):
    """One page of each kind (and the extra pages): no serious or critical violation in the light
    palette, and (checked in English: colours do not depend on the language) none of the colour rules
    in the dark one."""
    paths = list(dict.fromkeys([samples[kind] for kind in KINDS] + list(EXTRA_PAGES)))
    schemes = [("default", None)] + ([("slate", COLOUR_RULES)] if lang == "en" else [])
    problems = []
    for path in paths:
        page.goto(server.url(in_lang(path, lang)))
        draw_charts(page)
        for scheme, rules in schemes:
            set_palette(page, scheme)
            problems += [f"{in_lang(path, lang)} [{scheme}]: {line}" for line in violations(page, axe_script, rules)]
    assert not problems, "\n".join(problems)
