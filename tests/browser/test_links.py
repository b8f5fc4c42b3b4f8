"""Links worth sending, as a reader uses them on a phone (390 x 844, touch) and a laptop (1280 x 800).

A row link clicked or tapped stays in the address bar; the copy control puts the full address on
the clipboard and says so, by keyboard too; a reader who opens a row link sees the table's header
row with it; the other order of a pair, with a row, lands on that row.
"""

from __future__ import annotations

import pytest
import yaml

from conftest import ROOT, axe_violations

pytestmark = pytest.mark.browser

KEYS = [a["key"] for a in yaml.safe_load((ROOT / "data" / "schema.yml").read_text(encoding="utf-8"))["attributes"]]
ROW = KEYS[len(KEYS) // 2]  # a row half-way down the table: following its link scrolls the page
WRITTEN = "compare/lean-vs-process-improvement/"
REVERSED = "compare/process-improvement-vs-lean/"
GENERATED = "compare/lean-vs-performance-management/"
GENERATED_REVERSED = "compare/performance-management-vs-lean/"

DEVICES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "laptop": {"viewport": {"width": 1280, "height": 800}},
}


@pytest.fixture(params=list(DEVICES))
def device(request, browser, site_url):
    context = browser.new_context(**DEVICES[request.param])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    yield request.param, page
    context.close()
    assert errors == []


def activate(kind: str, page, selector: str) -> None:
    """Tap on the phone, click on the laptop."""
    link = page.locator(selector)
    link.scroll_into_view_if_needed()
    if kind == "phone":
        link.tap()
    else:
        link.click()


def clipboard(page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def notice(page) -> str:
    page.wait_for_function("document.querySelector('.link-notice')?.textContent === 'Link copied'", timeout=3000)
    region = page.locator(".link-notice")
    assert region.get_attribute("role") == "status" and region.get_attribute("aria-live") == "polite"
    return region.inner_text()


@pytest.mark.parametrize("url", [WRITTEN, GENERATED])
def test_a_row_link_stays_in_the_address_and_is_copied(device, site_url, url):
    kind, page = device
    page.goto(site_url + url)
    activate(kind, page, f"a.row-link[href='#{ROW}']")
    page.wait_for_timeout(2000)
    assert page.url == site_url + url + f"#{ROW}"
    # Reading on moves the page; the address still names the row the reader chose.
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(800)
    assert page.url.endswith(f"#{ROW}")
    assert page.evaluate("document.querySelector(':target').id") == ROW
    assert clipboard(page) == site_url + url + f"#{ROW}"
    assert notice(page) == "Link copied"


def test_the_page_link_copies_the_page_address(device, site_url):
    kind, page = device
    page.goto(site_url + WRITTEN + "?h=lean")  # a search highlight in the address is not sent on
    activate(kind, page, "a.copy-link")
    assert notice(page) == "Link copied"
    assert clipboard(page) == site_url + WRITTEN
    assert page.url == site_url + WRITTEN + "?h=lean"  # the reader stays where they are


def test_row_links_are_visible_named_and_big_enough(device, site_url):
    kind, page = device
    page.goto(site_url + GENERATED)
    links = page.locator("a.row-link")
    assert links.count() == page.locator(".concept-table-wrap tbody tr").count() >= 6  # one per row
    for i in range(links.count()):
        link = links.nth(i)
        box = link.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24
        assert link.is_visible() and float(link.evaluate("e => getComputedStyle(e).opacity")) == 1
        assert link.get_attribute("aria-label").startswith("Copy link to the ")


def test_the_copy_control_works_by_keyboard_alone(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    try:
        page.goto(site_url + WRITTEN)
        focused = None
        for _ in range(80):
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.matches('a.row-link') && document.activeElement.hash")
            if focused:
                break
        assert focused == f"#{KEYS[0]}"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"  # the focus is visible
        page.keyboard.press("Enter")
        assert notice(page) == "Link copied"
        assert clipboard(page) == site_url + WRITTEN + f"#{KEYS[0]}"
        page.wait_for_timeout(2000)
        assert page.url.endswith(f"#{KEYS[0]}")
    finally:
        context.close()


@pytest.mark.parametrize("url", [WRITTEN, GENERATED])
def test_an_opened_row_link_shows_the_header_row_with_it(device, site_url, url):
    kind, page = device
    page.goto(site_url + url + f"#{ROW}")
    page.wait_for_timeout(500)
    header = page.locator("header.md-header").bounding_box()
    head_row = page.locator(".concept-table-wrap thead th").first.bounding_box()
    row = page.locator(f"tr:has(#{ROW})").bounding_box()
    height = DEVICES[kind]["viewport"]["height"]
    assert head_row["y"] >= header["y"] + header["height"] - 1  # the header row is not under the site's header
    assert head_row["y"] + head_row["height"] <= row["y"] + 1  # and does not cover the target row
    assert row["y"] + min(row["height"], 150) <= height  # the row is on screen
    names = page.locator(".concept-table-wrap thead th").all_inner_texts()
    assert all(page.locator(".concept-table-wrap thead th").nth(i).is_visible() for i in range(len(names)))


@pytest.mark.parametrize(("reverse", "canonical"), [(REVERSED, WRITTEN), (GENERATED_REVERSED, GENERATED)])
def test_the_other_order_with_a_row_lands_on_that_row(device, site_url, reverse, canonical):
    kind, page = device
    page.goto(site_url + reverse + f"#{ROW}")
    page.wait_for_url(site_url + canonical + f"#{ROW}", timeout=5000)
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelector(':target').id") == ROW
    row = page.locator(f"tr:has(#{ROW})").bounding_box()
    assert 0 < row["y"] < DEVICES[kind]["viewport"]["height"]


def test_without_javascript_the_other_order_still_redirects(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_url + GENERATED_REVERSED)
        page.wait_for_url(site_url + GENERATED, timeout=5000)
    finally:
        context.close()


def test_scrolling_the_picker_page_adds_no_section_to_its_address(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(site_url + "compare/")
        for _ in range(6):
            page.mouse.wheel(0, 400)
            page.wait_for_timeout(400)
        page.wait_for_timeout(1000)
        assert page.url == site_url + "compare/"
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_home_offers_search_and_compare_any_two_in_the_first_screen(browser, site_url, width):
    height = 844 if width < 500 else 800
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 500,
                                  has_touch=width < 500)
    page = context.new_page()
    try:
        page.goto(site_url)
        box = page.get_by_label("Search the site").bounding_box()
        compare = page.get_by_role("link", name="Compare any two concepts").bounding_box()
        assert box["y"] + box["height"] <= height and compare["y"] + compare["height"] <= height
        page.get_by_label("Search the site").fill("kaizen")
        page.keyboard.press("Enter")
        page.wait_for_selector(".md-search-result__item")  # Material's search opens with the query
        assert page.locator("input.md-search__input").input_value() == "kaizen"
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", [GENERATED + f"#{ROW}", WRITTEN + f"#{ROW}", "compare/"])
def test_axe_finds_nothing_with_a_row_highlighted(browser, site_url, scheme, url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(site_url + url)
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_highlighted_row_stands_out_in_both_schemes(browser, site_url, scheme):
    """The target row's accent rules reach 3:1 against the page (WCAG 1.4.11)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(site_url + WRITTEN + f"#{ROW}")
        ratio = page.evaluate("""() => {
            const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
            const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92
                : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
            const cell = document.querySelector(':target').closest('td');
            const accent = rgb(getComputedStyle(cell).boxShadow);
            const page = rgb(getComputedStyle(document.body).backgroundColor);
            const [a, b] = [lum(accent), lum(page)].sort((x, y) => y - x);
            return (a + 0.05) / (b + 0.05);
        }""")
        assert ratio >= 3, ratio
    finally:
        context.close()


def test_print_keeps_headings_with_their_text_and_names_the_page(browser, site_url):
    context = browser.new_context(viewport={"width": 720, "height": 1000})
    page = context.new_page()
    try:
        page.goto(site_url + WRITTEN)
        page.emulate_media(media="print")
        assert page.locator("h2").first.evaluate("e => getComputedStyle(e).breakAfter") == "avoid"
        meta = page.locator(".print-meta")
        assert meta.is_visible() and "/" + WRITTEN in meta.inner_text() and "built on" in meta.inner_text()
        assert not page.locator(".page-link-line").is_visible()
        page.emulate_media(media="screen")
        assert not meta.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("query", ["lean vs performance management", "performance management vs lean"])
def test_search_finds_a_generated_pair_page_for_its_pair(browser, site_url, query):
    from test_reader import search

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        results = search(page, site_url, query)
        assert GENERATED.rstrip("/") in [r.split("#")[0] for r in results[:3]], results[:5]
    finally:
        context.close()
