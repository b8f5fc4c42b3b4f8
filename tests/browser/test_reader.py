"""What readers do, in a real browser: search a term, hover it, follow and share links, use the map.

Also: no request leaves the site, no console error, and axe-core finds nothing, in both schemes.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from conftest import ROOT, axe_violations, type_search

pytestmark = pytest.mark.browser

COMPARE = ROOT / "docs" / "compare"


def comparisons() -> list[tuple[str, str]]:
    """(slug, reversed slug) for every written comparison, from its front matter."""
    pairs = []
    for path in sorted(COMPARE.glob("*-vs-*.md")):
        a, b = yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])["comparison"]["concepts"]
        pairs.append((path.stem, f"{b}-vs-{a}"))
    return pairs


def site_pages(site: Path) -> list[str]:
    """Every real page of the built site (redirect stubs left out), plus the 404 page."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        if "Redirecting" in index.read_text(encoding="utf-8")[:400]:
            continue
        url = str(index.parent.relative_to(site))
        pages.append("" if url == "." else url + "/")
    return [*pages, "404.html"]


def search(page, base: str, query: str) -> list[str]:
    """Type a query into Material's search box; the paths of the first results, in order."""
    page.goto(base)
    type_search(page, query)
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("els => els.map(e => e.href)")
    return [urlparse(h).path.strip("/") + ("#" + urlparse(h).fragment if urlparse(h).fragment else "") for h in hrefs]


SEARCHES = [
    ("muda", "glossary#muda"),
    ("kaizen", "glossary#kaizen"),
    ("KPI", "glossary#kpi"),
    ("cycle time", "glossary#cycle-time"),
    ("gemba", "glossary#gemba"),
    ("DMAIC", "glossary#dmaic"),
    ("360-degree feedback", "glossary#360-degree-feedback"),
    ("TPS", "glossary#toyota-production-system"),  # defined in the glossary; Lean derives from TPS but is not an alias
    # Multi-word terms sharing words with concept names: the glossary entry, not every "production" page.
    ("Toyota Production System", "glossary#toyota-production-system"),
    ("master production schedule", "glossary#master-production-schedule"),
    ("performance improvement plan", "glossary#performance-improvement-plan"),
    ("enterprise performance management", "concepts/performance-management"),  # an alias
    ("lean vs process improvement", "compare/lean-vs-process-improvement"),
    ("process improvement vs lean", "compare/lean-vs-process-improvement"),
    ("production vs operations management", "compare/production-management-vs-operations-management"),
    ("operations management", "concepts/operations-management"),
]


@pytest.mark.parametrize(("query", "expected"), SEARCHES)
def test_search_puts_the_right_page_among_the_first_results(watch, query, expected):
    results = search(watch.page, watch.base_url, query)
    first = [r.split("#")[0] if "#" not in expected else r for r in results[:3]]
    assert expected in first, (query, results[:5])


def test_search_highlights_and_shares(watch):
    page = watch.page
    search(page, watch.base_url, "muda")
    section = page.locator(".md-search-result__item a[href$='#muda']").first
    assert "h=muda" in section.get_attribute("href")  # the page opens with the term highlighted
    assert page.locator(".md-search-result mark").count() > 0
    share = page.locator("[data-md-component='search-share']").get_attribute("href")
    assert share.endswith("?q=muda")
    page.goto(share)  # a shared search link opens the search with the query and its results
    page.wait_for_selector(".md-search-result__item")
    assert page.locator("input.md-search__input").input_value() == "muda"


def test_hovering_a_term_shows_its_definition(watch):
    glossary = yaml.safe_load((ROOT / "data" / "glossary.yml").read_text(encoding="utf-8"))
    definition = next(t["definition"] for t in glossary["terms"] if t["term"] == "kaizen")
    page = watch.page
    page.goto(watch.base_url + "compare/lean-vs-process-improvement/")
    term = page.locator("article abbr", has_text="kaizen").first
    term.scroll_into_view_if_needed()
    term.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible")
    assert " ".join(definition.split()) in " ".join(tooltip.inner_text().split())


def test_multi_word_terms_and_abbreviations_both_get_tooltips(watch):
    page = watch.page
    page.goto(watch.base_url + "compare/operations-management-vs-performance-management/")
    texts = page.locator("article abbr").evaluate_all("els => els.map(e => e.textContent)")
    assert any(" " in t for t in texts), texts          # e.g. "balanced scorecard"
    assert any(t.isupper() and len(t) <= 5 for t in texts), texts  # e.g. "KPI"


@pytest.mark.parametrize(("canonical", "reverse"), comparisons())
def test_reversed_comparison_url_lands_on_the_canonical_page(watch, canonical, reverse):
    page = watch.page
    page.goto(watch.base_url + f"compare/{reverse}/")
    page.wait_for_url(f"**/compare/{canonical}/", timeout=5000)
    assert page.locator("h1").inner_text().lower().startswith(canonical.split("-vs-")[0].replace("-", " "))


@pytest.mark.parametrize("row", ["direction", "pitfall", "key-measures"])
def test_a_row_link_opens_with_the_row_in_view(watch, row):
    page = watch.page
    page.goto(watch.base_url + f"compare/lean-vs-process-improvement/#{row}")
    page.wait_for_timeout(300)
    box = page.locator(f"tr:has(#{row})").bounding_box()
    header = page.locator("header.md-header").bounding_box()
    assert box is not None
    assert box["y"] >= header["height"] - 1, "row hidden under the header"
    assert box["y"] + min(box["height"], 200) <= 900, "row below the fold"
    highlighted = page.locator(f"tr:has(#{row}) td").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert highlighted not in ("rgba(0, 0, 0, 0)", "transparent")


def test_clicking_a_concept_on_the_map_opens_its_page(watch):
    page = watch.page
    page.goto(watch.base_url)
    node = page.locator("svg.map-wide a.map-node", has_text="Production management")
    node.scroll_into_view_if_needed()
    node.click()
    page.wait_for_url("**/concepts/production-management/")
    assert page.locator("h1").inner_text().rstrip("¶").strip() == "Production management"


def test_clicking_a_coloured_line_on_the_map_opens_that_comparison(watch):
    page = watch.page
    page.goto(watch.base_url)
    line = page.locator("svg.map-wide a.map-edge-link[aria-label='Comparison: Lean vs process improvement']")
    line.scroll_into_view_if_needed()
    line.locator("path.map-compared").hover()
    line.locator("path.map-compared").click()
    page.wait_for_url("**/compare/lean-vs-process-improvement/")
    assert page.locator("h1").inner_text().rstrip("¶").strip() == "Lean vs process improvement"


def test_the_map_uses_the_tall_drawing_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_url)
    assert page.locator("svg.map-tall").is_visible() and not page.locator("svg.map-wide").is_visible()
    node = page.locator("svg.map-tall a.map-node", has_text="Lean")
    node.scroll_into_view_if_needed()
    assert node.bounding_box()["width"] > 100  # big enough to tap
    context.close()


def test_the_glossary_renders_only_the_entries_near_the_view_and_still_lands_on_an_anchor(browser, site_url):
    """Entries out of view are skipped by the browser until the reader scrolls near them (the page's
    main-thread time), yet an address with a term lands on the term and shows its entry."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_url + "glossary/")
    # An entry's links are skipped while the entry is out of view (the entry itself is not).
    rendered = "e => e.checkVisibility({contentVisibilityAuto: true})"
    links = page.locator("p.glossary-entry > a")
    assert page.locator("p.glossary-entry").count() > 100
    assert links.first.evaluate(rendered) and not links.last.evaluate(rendered)
    page.goto(site_url + "glossary/#muda")
    page.wait_for_timeout(300)
    header = page.locator(".md-header").evaluate("h => h.getBoundingClientRect().bottom")
    top = page.locator("#muda").evaluate("h => h.getBoundingClientRect().top")
    assert header - 1 <= top <= header + 40, (header, top)  # the term's heading just below the header
    assert page.locator("#muda + p.glossary-entry > a").first.evaluate(rendered)
    context.close()


def test_every_page_loads_with_no_foreign_request_and_no_console_error(watch, built_site):
    page = watch.page
    for url in site_pages(built_site):
        page.goto(watch.base_url + url)
        page.wait_for_load_state("networkidle")
    assert watch.foreign_requests() == []
    assert watch.console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_any_page(browser, site_url, built_site, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    found = {}
    for url in site_pages(built_site):
        page.goto(site_url + url)
        violations = axe_violations(page)
        if violations:
            found[url] = violations
    context.close()
    assert found == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_with_search_results_and_a_tooltip_open(browser, site_url, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    search(page, site_url, "kaizen")
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    page.goto(site_url + "compare/lean-vs-process-improvement/")
    page.locator("article abbr").first.hover()
    page.locator(".md-tooltip2--active").wait_for(state="visible")
    page.wait_for_function(  # axe must see the tooltip as readers do, not half-way through its fade-in
        "() => getComputedStyle(document.querySelector('.md-tooltip2--active')).opacity === '1'")
    assert axe_violations(page) == []
    context.close()


def test_scheme_follows_the_system_and_has_a_toggle(browser, site_url):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(site_url)
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    context.close()


def test_on_a_phone_the_comparison_table_fits_the_screen(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_url + "compare/production-process-vs-operation-process/")
    table = page.locator(".concept-table-wrap table")
    width = table.evaluate("t => t.getBoundingClientRect().right")
    assert width <= 360
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    size = float(page.locator(".concept-table-wrap td").nth(1).evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert size >= 11
    context.close()


def test_print_view_fits_the_table_on_the_page(browser, site_url):
    context = browser.new_context(viewport={"width": 720, "height": 1000})  # A4 printable width at 96 dpi
    page = context.new_page()
    page.goto(site_url + "compare/lean-vs-process-improvement/")
    page.emulate_media(media="print")
    table = page.locator(".concept-table-wrap table")
    assert table.evaluate("t => t.getBoundingClientRect().right <= document.documentElement.clientWidth")
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert not page.locator("a.row-link").first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
    context.close()


def test_the_404_page_helps_the_reader_on(watch):
    page = watch.page
    page.goto(watch.base_url + "404.html")
    assert "does not exist" in page.locator("h1").inner_text()
    hrefs = page.locator("article a").evaluate_all("els => els.map(e => new URL(e.href).pathname)")
    assert {"/compare/", "/concepts/", "/glossary/"} <= set(hrefs)
