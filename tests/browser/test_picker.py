"""The "compare any two concepts" picker on /compare/, in a real Chromium against the built site.

The picker leads to the pair's own page; addresses shared before every pair had one
(/compare/?a=lean&b=performance-management) still open their pair.
"""

from __future__ import annotations

import http.server

import pytest
import yaml

from conftest import ROOT, axe_violations, csp_recording_page, serve

pytestmark = pytest.mark.browser

STATUS = "[data-picker-status]"
ROW = yaml.safe_load((ROOT / "data" / "schema.yml").read_text(encoding="utf-8"))["attributes"][1]["key"]


def open_picker(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-compare-picker]:not([hidden])")


def assert_clean(watch) -> None:
    assert watch.console_errors == []
    assert watch.foreign_requests() == []


def pick(page, a: str, b: str) -> None:
    page.get_by_label("First concept").select_option(a)
    page.get_by_label("Second concept").select_option(b)
    page.get_by_role("button", name="Compare").click()


def test_a_pair_chosen_in_the_picker_lands_on_its_page(watch, site_url):
    page = watch.page
    open_picker(page, site_url + "compare/")
    concepts = page.eval_on_selector_all("#compare-pick-a option:not([value=''])", "os => os.map(o => o.value)")
    assert sorted(concepts) == sorted(p.stem for p in (ROOT / "docs" / "concepts").glob("*.md") if p.stem != "index")
    pick(page, "performance-management", "lean")  # either order: the pair's one page
    page.wait_for_url(site_url + "compare/lean-vs-performance-management/")
    assert page.locator("h1").inner_text().rstrip("¶") == "Lean vs performance management"
    assert page.locator(".concept-table-wrap tbody tr").count() >= 6
    assert_clean(watch)


def test_a_written_pair_lands_on_the_written_comparison(watch, site_url):
    page = watch.page
    open_picker(page, site_url + "compare/")
    pick(page, "process-improvement", "lean")
    page.wait_for_url(site_url + "compare/lean-vs-process-improvement/")
    assert_clean(watch)


@pytest.mark.parametrize("fragment", ["", f"#{ROW}"])
def test_an_old_picker_address_still_shows_its_pair(watch, site_url, fragment):
    page = watch.page
    page.goto(site_url + "compare/?a=lean&b=performance-management" + fragment)
    page.wait_for_url(site_url + "compare/lean-vs-performance-management/" + fragment)
    assert page.locator("h1").inner_text().rstrip("¶") == "Lean vs performance management"
    if fragment:
        assert page.evaluate("document.querySelector(':target').id") == ROW
    assert_clean(watch)


def test_choices_that_name_no_pair_are_explained(watch, site_url):
    page = watch.page
    open_picker(page, site_url + "compare/")
    page.get_by_role("button", name="Compare").click()
    assert page.text_content(STATUS) == "Choose two concepts to compare."
    page.get_by_label("First concept").select_option("lean")
    page.get_by_role("button", name="Compare").click()
    assert page.text_content(STATUS) == "Choose a second concept to compare."
    page.get_by_label("Second concept").select_option("lean")
    page.get_by_role("button", name="Compare").click()
    assert "same concept twice" in page.text_content(STATUS)
    assert page.url == site_url + "compare/"
    assert page.get_attribute(STATUS, "role") == "status"
    assert_clean(watch)


def test_unknown_concept_in_the_address_is_explained(watch, site_url):
    page = watch.page
    open_picker(page, site_url + "compare/?a=lean&b=astrology")
    assert "does not describe" in page.text_content(STATUS)
    assert page.input_value("#compare-pick-a") == "lean"
    assert page.input_value("#compare-pick-b") == ""
    assert_clean(watch)


def test_keyboard_only(watch, site_url):
    page = watch.page
    open_picker(page, site_url + "compare/")
    focused = ""
    for _ in range(60):  # Tab through the page until the first list has focus
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if focused == "compare-pick-a":
            break
    assert focused == "compare-pick-a"
    page.keyboard.press("ArrowDown")
    first = page.input_value("#compare-pick-a")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.input_value("#compare-pick-b")
    assert first and second and first != second
    names = [page.locator(f"#compare-pick-{x} option:checked").inner_text().lower() for x in "ab"]
    assert page.url == site_url + "compare/"  # choosing does not navigate; the button does
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Compare"
    page.keyboard.press("Enter")
    page.wait_for_url("**/compare/*-vs-*/")
    assert set(page.url.rstrip("/").rsplit("/", 1)[1].split("-vs-")) == {first, second} or all(
        name in page.locator("h1").inner_text().lower() for name in names)  # a written comparison's own name
    assert_clean(watch)


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)])
def test_the_picker_is_in_the_first_screen(browser, site_url, width, height):
    phone = width < 500
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone)
    try:
        page = context.new_page()
        open_picker(page, site_url + "compare/")
        button = page.get_by_role("button", name="Compare").bounding_box()
        assert button["y"] + button["height"] <= height
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # Listed in the page's table of contents.
        assert page.locator(".md-sidebar--secondary a[href='#compare-any-two']").count() == 1
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_picker(browser, site_url, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        open_picker(page, site_url + "compare/")
        page.get_by_role("button", name="Compare").click()  # with a message shown
        assert axe_violations(page) == []
    finally:
        context.close()


def test_without_javascript_every_pair_is_listed(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "compare/")
        assert page.locator("[data-compare-picker]").is_hidden()
        pairs = page.locator("a[data-pair]")
        n = page.locator("#compare-pick-a option:not([value=''])").count()
        assert pairs.count() == n * (n - 1)  # each pair under both of its concepts
        pairs.first.click()
        page.wait_for_url("**/compare/*-vs-*/")
        assert page.locator(".concept-table-wrap tbody tr").count() >= 6
    finally:
        context.close()


class _CspHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under a strict Content-Security-Policy."""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", "default-src 'self'")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


def test_works_under_a_strict_content_security_policy(browser, built_site):
    url, server = serve(built_site, _CspHandler)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = csp_recording_page(context)
        open_picker(page, url + "compare/")
        pick(page, "lean", "process-optimization")
        page.wait_for_url(url + "compare/lean-vs-process-optimization/")
        # The theme's own inline scripts are blocked under this policy; nothing of the site's own is.
        violations = page.evaluate("window.__csp")
        ours = ("compare-picker.js", "links.js", "redirect.js")
        assert [v for v in violations if any(o in v for o in ours) or "eval" in v or v.startswith("style-src")] == []
    finally:
        context.close()
        server.shutdown()


def test_works_under_another_base_path(browser, built_site, tmp_path):
    """Hosted in a sub-folder, the picker and the redirects stay inside it."""
    (tmp_path / "docs-site").symlink_to(built_site, target_is_directory=True)
    url, server = serve(tmp_path)
    base = url + "docs-site/"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base + "compare/?a=process-improvement&b=lean")
        page.wait_for_url(base + "compare/lean-vs-process-improvement/")
        page.goto(base + f"compare/performance-management-vs-lean/#{ROW}")
        page.wait_for_url(base + f"compare/lean-vs-performance-management/#{ROW}")
    finally:
        context.close()
        server.shutdown()
