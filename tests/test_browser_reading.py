"""Reading in either language, in Chromium: the language switch keeps the section, the hreflang links
cost no request, a tap on a glossary term on a phone shows its definition in place, and citation
tags never break across lines at 390 px.

The browser, the server and the sample pages come from browser_fixtures.py, as for test_browser.py.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from browser_fixtures import LANGS, Served, in_lang

from atlas.templates import tooltip

pytest_plugins = ["browser_fixtures"]
pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2, "service_workers": "block"}
POPUP = ".atlas-term-popup"
ACTIVE_TOOLTIP = ".md-tooltip2--active"
# A prose page with many citations, several of them in one sentence before this change.
CITING_PAGE = "moe/"


def other(lang: str) -> str:
    """The other language."""
    return "en" if lang == "zh" else "zh"


def switch_language(page, lang: str) -> None:
    """Open the header's language menu and pick a language."""
    page.hover(".md-header__option .md-select")
    with page.expect_navigation():
        page.click(f".md-select__link[hreflang='{lang}']")


def sitemap_requests(page) -> list[str]:
    """The sitemap.xml requests the page made."""
    return [url for url in page.watch.requests if url.endswith("sitemap.xml")]


@pytest.mark.parametrize("lang", LANGS)
def test_language_switch_keeps_the_section(page, server: Served, samples, lang):
    """Opened at a section, or moved to one by a link on the page, the switcher lands on the same
    section of the twin page; neither page asks for a sitemap of its hreflang links."""
    path = in_lang(samples["prose"], lang)
    page.goto(server.url(path))
    ids = page.eval_on_selector_all(".md-content h2[id]", "els => els.map(e => e.id)")
    assert len(ids) >= 2, ids
    page.goto(server.url(path) + "#" + ids[0])
    page.click(f".md-sidebar--secondary a[href='#{ids[1]}']")  # the table of contents: a hashchange
    page.wait_for_function(f"() => location.hash === '#{ids[1]}'")
    switch_language(page, other(lang))
    assert urlsplit(page.url).path == urlsplit(server.url(in_lang(samples["prose"], other(lang)))).path
    assert urlsplit(page.url).fragment == ids[1]
    assert page.locator(f"[id='{ids[1]}']").count() == 1
    roots = {server.url(in_lang("", code)) + "sitemap.xml" for code in LANGS}
    assert set(sitemap_requests(page)) <= roots  # only a language root's (the feed link's), if any
    assert not page.watch.failed and not page.watch.console_errors, (page.watch.failed, page.watch.console_errors)
    assert not page.watch.foreign(), page.watch.foreign()


def test_hreflang_links_do_not_make_the_page_fetch_anything(page, server: Served, samples):
    """The absolute hreflang links (on another host when previewed) cause no request: the page asks
    for no sitemap but its language root's, and nothing fails."""
    for lang in LANGS:
        page.watch.reset()
        page.goto(server.url(in_lang(samples["model"], lang)), wait_until="load")
        hrefs = page.eval_on_selector_all("head link[rel=alternate][hreflang]", "els => els.map(e => e.href)")
        assert len(hrefs) == 3 and all(href.startswith("http") for href in hrefs), hrefs
        page.wait_for_timeout(300)
        assert set(sitemap_requests(page)) <= {server.url(in_lang("", lang)) + "sitemap.xml"}, page.watch.requests
        assert not any(url.startswith(href) for url in page.watch.requests for href in hrefs
                       if not server.url("").startswith(href)), page.watch.requests
        assert not page.watch.failed and not page.watch.foreign(), (page.watch.failed, page.watch.foreign())


@pytest.fixture
def phone(browser, server):
    """A fresh phone-sized touch page (390 x 844) that records console errors."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.errors = errors  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


def first_term(page):
    """The first glossary term in the page's running text, scrolled into view."""
    term = page.locator(".md-content a.atlas-term").first
    term.scroll_into_view_if_needed()
    return term


@pytest.mark.parametrize("lang", LANGS)
def test_a_tap_on_a_term_shows_its_definition_in_place(phone, server: Served, samples, lang):
    """First tap: the definition shows under the term, inside the screen, and the page stays; a tap
    elsewhere or Esc closes it; a second tap on the term, or the link in the popup, opens the entry."""
    url = server.url(in_lang(samples["prose"], lang))
    phone.goto(url)
    term = first_term(phone)
    definition = term.get_attribute("title")
    href = term.evaluate("a => a.href")
    assert definition and "#term-" in href
    term.tap()
    popup = phone.locator(POPUP)
    popup.wait_for(timeout=5_000)
    assert phone.url == url
    assert popup.locator("p").inner_text() == definition
    assert popup.locator("a").evaluate("a => a.href") == href
    box = popup.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert phone.locator(ACTIVE_TOOLTIP).filter(has_text=definition[:10]).is_hidden()  # not shown twice
    phone.locator(".md-content h1").tap()  # a tap elsewhere
    assert popup.count() == 0 and phone.url == url
    term.tap()
    popup.wait_for()
    phone.keyboard.press("Escape")
    assert popup.count() == 0
    term.tap()
    popup.wait_for()
    with phone.expect_navigation():
        term.tap()  # the second tap follows the link
    assert phone.url == href
    phone.go_back()
    term = first_term(phone)
    term.tap()
    with phone.expect_navigation():
        phone.locator(POPUP + " a").tap()
    assert phone.url == href
    assert not phone.errors, phone.errors


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_keyboard_focus_on_a_term_shows_its_definition_and_esc_hides_it(browser, server: Served, samples, size):
    """Tabbing to a term shows its definition (Material's tooltip); Esc hides it."""
    options = PHONE if size == "phone" else {"viewport": {"width": 1366, "height": 900}}
    context = browser.new_context(**options)
    try:
        page = context.new_page()
        page.goto(server.url(samples["prose"]))
        term = first_term(page)
        definition = term.get_attribute("title")
        term.evaluate("a => a.previousElementSibling ? a.previousElementSibling.focus() : null")
        term.focus()
        tooltip = page.locator(ACTIVE_TOOLTIP)
        tooltip.wait_for(timeout=5_000)
        assert definition[:10] in tooltip.inner_text()
        page.keyboard.press("Escape")
        page.wait_for_function("() => [...document.querySelectorAll('.md-tooltip2--active')]"
                               ".every(e => getComputedStyle(e).display === 'none')")
    finally:
        context.close()


def test_a_definition_is_shown_as_text(phone, server: Served, samples):
    """Markup in a definition (data, written into the title by the build's tooltip filter) stays text
    in the popup, as in Material's tooltip: no element, no script."""
    url = server.url(samples["prose"])
    definition = '<img src=x onerror="window.pwned=1"><b>bold</b> & 1 &lt; 2'

    def serve_hostile(route):
        """The page, its first term's definition replaced by markup."""
        body = route.fetch().text()
        start = body.index('class="atlas-term"')
        title = body.index('title="', start) + len('title="')
        route.fulfill(body=body[:title] + str(tooltip(definition)) + body[body.index('"', title):],
                      headers={"content-type": "text/html; charset=utf-8"})

    phone.route(url, serve_hostile)
    phone.goto(url)
    first_term(phone).tap()
    popup = phone.locator(POPUP)
    popup.wait_for()
    assert popup.locator("p").inner_text() == definition.replace("&lt;", "<")  # as Material shows it
    assert popup.locator("img, b").count() == 0
    assert phone.evaluate("() => window.pwned") is None


# Every visible citation tag of the page: (its text, what is wrong) when it breaks inside, or when
# the character before it ends up on another line.
CITATION_BREAKS = """() => {
    const problems = [];
    for (const sup of document.querySelectorAll('.md-content sup.atlas-ref')) {
        if (!sup.offsetParent) continue;
        const rects = sup.getClientRects();
        if (rects.length !== 1) { problems.push([sup.textContent, 'breaks inside']); continue; }
        const block = sup.closest('p, li, td, th, dd, figcaption') || sup.parentElement;
        const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
        let last = null, node;
        while ((node = walker.nextNode()) && !sup.contains(node)) {
            if (node.textContent.replace(/[\\s\\u2060]/g, '')) last = node;
        }
        // after another citation tag a line may break (two long tags need not fit on one line)
        if (!last || last.parentElement.closest('sup.atlas-ref')) continue;
        let end = last.textContent.length;
        while (end > 0 && /[\\s\\u2060]/.test(last.textContent[end - 1])) end -= 1;
        const range = document.createRange();
        range.setStart(last, end - 1);
        range.setEnd(last, end);
        const before = range.getBoundingClientRect(), tag = rects[0];
        if (!(before.top < tag.bottom && tag.top < before.bottom)) {
            problems.push([sup.textContent, 'starts a line after ' + last.textContent.slice(-8)]);
        }
    }
    return problems;
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_citation_tags_stay_whole_and_with_their_word_at_390px(phone, server: Served, lang):
    """At 390 px no citation tag is split over two lines or starts a line away from its word."""
    phone.goto(server.url(in_lang(CITING_PAGE, lang)))
    count = phone.locator(".md-content sup.atlas-ref").count()
    assert count > 10, count
    assert phone.evaluate(CITATION_BREAKS) == []
