"""The "compare any two concepts" picker on /compare/, in a real Chromium against the built site."""

from __future__ import annotations

import http.server
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import axe_violations, serve

pytestmark = pytest.mark.browser

TABLE = "[data-picker-output] table"
STATUS = "[data-picker-status]"


@pytest.fixture(scope="module")
def records(built_site) -> dict:
    return json.loads((built_site / "data" / "concepts.json").read_text(encoding="utf-8"))


def concept(records: dict, slug: str) -> dict:
    return next(c for c in records["concepts"] if c["slug"] == slug)


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def open_picker(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-compare-picker]:not([hidden])")


def table_rows(page) -> list[dict]:
    """Each body row: its anchor id, its label (without the link symbol) and its two values."""
    return page.eval_on_selector_all(
        f"{TABLE} tbody tr",
        """rows => rows.map(row => ({
            id: row.querySelector('.row-anchor').id,
            label: row.cells[0].querySelector('strong').textContent,
            link: row.querySelector('.row-link').getAttribute('href'),
            values: [row.cells[1].textContent, row.cells[2].textContent],
        }))""",
    )


def assert_clean(watch) -> None:
    assert watch.console_errors == []
    assert watch.foreign_requests() == []


def assert_pair_shown(page, records: dict, a: str, b: str, site_url: str) -> None:
    page.wait_for_selector(TABLE)
    first, second = concept(records, a), concept(records, b)
    assert page.input_value("#compare-pick-a") == a
    assert page.input_value("#compare-pick-b") == b
    heads = page.eval_on_selector_all(
        f"{TABLE} thead th", "ths => ths.map(th => [th.textContent, th.querySelector('a')?.href ?? null])"
    )
    assert heads == [
        ["Attribute", None],
        [first["name"], site_url + first["url"]],
        [second["name"], site_url + second["url"]],
    ]
    rows = table_rows(page)
    # Same labels, order and anchors as every generated table: the schema's attributes that apply to
    # at least one of the two.
    assert [(r["id"], r["label"], r["link"]) for r in rows] == [
        (attr["key"], attr["label"], f"#{attr['key']}") for attr in records["attributes"]
        if first["kind"] in attr["applies_to"] or second["kind"] in attr["applies_to"]
    ]
    for row in rows:
        assert row["values"] == [fold(first["display"][row["id"]]), fold(second["display"][row["id"]])]


def test_cells_that_do_not_apply_read_as_on_the_concept_pages(watch, site_url, records, built_site):
    """A system beside a process: each side's "Does not apply to ..." cells match its page and the JSON."""
    from html_pages import read_page

    page = watch.page
    open_picker(page, site_url + "compare/?a=lean&b=production-process")
    assert_pair_shown(page, records, "lean", "production-process", site_url)
    rows = {r["id"]: r["values"] for r in table_rows(page)}
    assert rows["kind"] == ["Management system", "Process"]
    for column, slug in enumerate(("lean", "production-process")):
        own = read_page(built_site, f"concepts/{slug}/").generated_tables[0].rows[1:]
        cells = {row[0].ids[0]: row[1].text for row in own}
        missing = [a["key"] for a in records["attributes"] if concept(records, slug)["values"][a["key"]] is None]
        assert missing, slug
        for key in missing:
            assert rows[key][column].startswith("Does not apply to ")
            assert rows[key][column] == cells[key] == concept(records, slug)["display"][key]
    assert_clean(watch)


def test_choosing_two_shows_them_side_by_side_and_changes_the_address(watch, site_url, records):
    page = watch.page
    open_picker(page, site_url + "compare/")
    assert page.locator(TABLE).count() == 0
    # Labelled controls, listing every concept.
    assert page.get_by_label("First concept").count() == 1
    assert page.get_by_label("Second concept").count() == 1
    options = page.eval_on_selector_all("#compare-pick-a option[value]:not([value=''])", "os => os.map(o => o.value)")
    assert sorted(options) == sorted(c["slug"] for c in records["concepts"])

    page.get_by_label("First concept").select_option("lean")
    assert page.locator(TABLE).count() == 0
    page.get_by_label("Second concept").select_option("performance-management")
    assert_pair_shown(page, records, "lean", "performance-management", site_url)

    # A row's text is the concept's record.
    scope = page.locator(f"{TABLE} tr:has(#scope) td").nth(1)
    assert scope.text_content() == fold(concept(records, "lean")["display"]["scope"])

    split = urlsplit(page.url)
    assert split.path == "/compare/"
    assert parse_qs(split.query) == {"a": ["lean"], "b": ["performance-management"]}
    assert page.url == site_url + "compare/?a=lean&b=performance-management"

    # No written comparison for this pair; the live region says what is shown.
    assert page.locator("[data-picker-written]").is_hidden()
    assert "Lean and Performance management" in page.text_content(STATUS)
    assert page.get_attribute(STATUS, "role") == "status"
    assert_clean(watch)


def test_written_comparison_is_linked_in_either_order(watch, site_url, records):
    page = watch.page
    open_picker(page, site_url + "compare/?a=process-improvement&b=lean")
    assert_pair_shown(page, records, "process-improvement", "lean", site_url)
    link = page.locator("[data-picker-written] a")
    assert link.is_visible()
    assert link.text_content() == "Lean vs process improvement"
    assert link.get_attribute("href") == site_url + "compare/lean-vs-process-improvement/"
    link.click()
    page.wait_for_url(site_url + "compare/lean-vs-process-improvement/")
    assert_clean(watch)


def test_shared_address_opens_the_same_pair(watch, browser, site_url, records):
    page = watch.page
    open_picker(page, site_url + "compare/")
    page.select_option("#compare-pick-a", "operations-management")
    page.select_option("#compare-pick-b", "production-process")
    page.wait_for_selector(TABLE)
    shared = page.url
    assert "a=operations-management" in shared and "b=production-process" in shared

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        other = context.new_page()
        errors: list[str] = []
        other.on("pageerror", lambda err: errors.append(str(err)))
        open_picker(other, shared)
        assert_pair_shown(other, records, "operations-management", "production-process", site_url)
        top = other.locator(TABLE).evaluate("t => t.getBoundingClientRect().top")
        assert 0 <= top < 900, "the shared pair is not in view"
        assert errors == []
    finally:
        context.close()
    assert_clean(watch)


def test_row_anchor_in_a_shared_address_is_targeted(watch, site_url):
    page = watch.page
    open_picker(page, site_url + "compare/?a=lean&b=process-improvement#direction")
    page.wait_for_selector(TABLE)
    page.wait_for_function("document.querySelector(':target')?.id === 'direction'")
    # The row is on screen, below the sticky header (about 48px high).
    top = page.eval_on_selector("#direction", "el => el.closest('tr').getBoundingClientRect().top")
    assert 40 < top < 900
    assert_clean(watch)


def test_same_concept_twice_gives_a_message(watch, site_url):
    page = watch.page
    open_picker(page, site_url + "compare/")
    page.select_option("#compare-pick-a", "lean")
    page.select_option("#compare-pick-b", "process-improvement")
    page.wait_for_selector(TABLE)
    page.select_option("#compare-pick-b", "lean")
    page.wait_for_selector(TABLE, state="detached")
    message = page.text_content(STATUS)
    assert "twice" in message and "two different concepts" in message
    assert page.locator("[data-picker-written]").is_hidden()
    assert page.url == site_url + "compare/?a=lean&b=lean"
    # The same address opened afresh gives the same message.
    open_picker(page, page.url)
    page.wait_for_function(f"document.querySelector('{STATUS}').textContent.includes('twice')")
    assert page.locator(TABLE).count() == 0
    assert_clean(watch)


def test_unknown_concept_in_the_address_is_explained(watch, site_url):
    page = watch.page
    open_picker(page, site_url + "compare/?a=lean&b=no-such-thing")
    page.wait_for_function(f"document.querySelector('{STATUS}').textContent.includes('does not describe')")
    assert page.input_value("#compare-pick-a") == "lean"
    assert page.input_value("#compare-pick-b") == ""
    assert page.locator(TABLE).count() == 0
    assert_clean(watch)


def test_keyboard_only(watch, site_url, records):
    page = watch.page
    open_picker(page, site_url + "compare/")
    focused = ""
    for _ in range(80):  # Tab through the page until the first picker has focus
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if focused == "compare-pick-a":
            break
    assert focused == "compare-pick-a"
    page.keyboard.press("ArrowDown")
    first = page.input_value("#compare-pick-a")
    assert first != ""
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "compare-pick-b"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.input_value("#compare-pick-b")
    assert second not in ("", first)
    assert_pair_shown(page, records, first, second, site_url)
    assert page.text_content(STATUS).startswith("Showing ")
    # The focus stays on the picker, and the next Tab reaches the table's links.
    assert page.evaluate("document.activeElement.id") == "compare-pick-b"
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate(f"!!document.activeElement.closest('{TABLE}')"):
            break
    assert page.evaluate(f"!!document.activeElement.closest('{TABLE}')")
    assert_clean(watch)


def test_ids_stay_unique(watch, site_url):
    page = watch.page
    open_picker(page, site_url + "compare/?a=lean&b=process-improvement")
    page.wait_for_selector(TABLE)
    page.select_option("#compare-pick-a", "production-management")
    page.wait_for_function(f"document.querySelector('{TABLE} thead').textContent.includes('Production management')")
    duplicates = page.evaluate(
        """() => {
            const seen = {};
            for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;
            return Object.keys(seen).filter(id => seen[id] > 1);
        }"""
    )
    assert duplicates == []
    assert page.locator(TABLE).count() == 1
    assert_clean(watch)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_with_a_pair_shown(browser, site_url, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        open_picker(page, site_url + "compare/?a=lean&b=process-improvement")
        page.wait_for_selector(TABLE)
        expected = "slate" if scheme == "dark" else "default"
        assert page.get_attribute("body", "data-md-color-scheme") == expected
        assert axe_violations(page) == []
        # axe is loaded now: the picker on its own, with the message instead of a table, too.
        page.select_option("#compare-pick-b", "lean")
        page.wait_for_selector(TABLE, state="detached")
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_width_fits(browser, site_url, scheme):
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme,
                                  is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        open_picker(page, site_url + "compare/?a=lean&b=production-management")
        page.wait_for_selector(TABLE)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        a = page.locator("#compare-pick-a").bounding_box()
        b = page.locator("#compare-pick-b").bounding_box()
        assert b["y"] > a["y"] + a["height"]  # stacked, each full width
        assert a["width"] > 300 and a["x"] + a["width"] <= 390
        assert a["height"] >= 40  # a comfortable touch target
        table = page.locator(TABLE).bounding_box()
        assert table["x"] >= 0 and table["x"] + table["width"] <= 390
        assert axe_violations(page) == []
    finally:
        context.close()


def test_without_javascript_the_written_comparisons_remain(browser, site_url, records):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "compare/")
        links = page.eval_on_selector_all("article li a", "as => as.map(a => a.getAttribute('href'))")
        assert links == [c["url"].removeprefix("compare/") for c in records["comparisons"]]
        assert page.locator("[data-compare-picker]").is_hidden()
    finally:
        context.close()


def test_record_text_is_inserted_as_text(watch, site_url, records):
    """A value holding markup shows as that markup, and creates no element."""
    hostile = json.loads(json.dumps(records))
    lean = next(c for c in hostile["concepts"] if c["slug"] == "lean")
    lean["name"] = "Lean <img src=x onerror=window.__pwned=1>"
    lean["display"]["scope"] = "<b id=injected>bold</b> & <script>window.__pwned=1</script>"
    page = watch.page
    page.route("**/data/concepts.json", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(hostile)))
    open_picker(page, site_url + "compare/?a=lean&b=process-improvement")
    page.wait_for_selector(TABLE)
    assert page.locator(f"{TABLE} thead th a").first.text_content() == lean["name"]
    assert page.locator(f"{TABLE} tr:has(#scope) td").nth(1).text_content() == lean["display"]["scope"]
    assert page.locator("#injected").count() == 0
    assert page.locator("[data-compare-picker] img, [data-compare-picker] script").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#compare-pick-a option[value=lean]").text_content() == lean["name"]


def test_records_that_fail_to_load_leave_a_message(watch, site_url):
    page = watch.page
    page.route("**/data/concepts.json", lambda route: route.fulfill(status=404, body="not found"))
    open_picker(page, site_url + "compare/")
    assert "could not be loaded" in page.text_content(STATUS)
    assert page.locator("#compare-pick-a").is_disabled()
    assert watch.foreign_requests() == []


class _CspHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under a strict Content-Security-Policy."""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", "default-src 'self'")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


def test_works_under_a_strict_content_security_policy(browser, built_site, records):
    url, server = serve(built_site, _CspHandler)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(
            "window.__csp = []; document.addEventListener('securitypolicyviolation', e => "
            "window.__csp.push([e.violatedDirective, e.blockedURI, e.sourceFile, e.sample].join(' | ')))"
        )
        open_picker(page, url + "compare/")
        page.select_option("#compare-pick-a", "lean")
        page.select_option("#compare-pick-b", "process-optimization")
        assert_pair_shown(page, records, "lean", "process-optimization", url)
        # The theme's own inline scripts are blocked under this policy; nothing of the picker is.
        violations = page.evaluate("window.__csp")
        ours = [v for v in violations if "compare-picker" in v or "concepts.json" in v or "eval" in v]
        assert ours == []
        assert not [v for v in violations if v.startswith("style-src")]
    finally:
        context.close()
        server.shutdown()


def test_works_under_another_base_path(browser, built_site, records, tmp_path):
    """Hosted in a sub-folder, the records and every link resolve inside it."""
    (tmp_path / "docs-site").symlink_to(built_site, target_is_directory=True)
    url, server = serve(tmp_path)
    base = url + "docs-site/"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        open_picker(page, base + "compare/?a=lean&b=process-improvement")
        assert_pair_shown(page, records, "lean", "process-improvement", base)
        assert page.get_attribute("[data-picker-written] a", "href") == base + "compare/lean-vs-process-improvement/"
    finally:
        context.close()
        server.shutdown()
