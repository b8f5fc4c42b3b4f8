"""The picker above the pair-page limit: a pair without a page is shown on /compare/ from the records.

A copy of the real project is built with `pair-pages: {every-pair-up-to: 10}` (its 45 pairs are
above it), so only written and related pairs have pages. A pair that has none is drawn by
compare-picker.js from data/concepts.json, at /compare/?a=<a>&b=<b>: the table must match the
pair's page on the real site (where every pair has one) row for row, id for id, cell for cell.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, csp_recording_page, run_mkdocs, serve

pytestmark = pytest.mark.browser

# Unrelated in the real records (no written comparison, no chain of two relations or fewer), and
# of different kinds, so some cells read "Does not apply to ...".
UNRELATED = ("operation-process", "six-sigma")
RELATED = ("lean", "performance-management")  # one relation apart: has a page at any limit
ROW = "definition"

ROWS = """wrap => Array.from(wrap.querySelectorAll('tbody tr')).map(tr => [
    tr.querySelector('.row-anchor').id,
    ...Array.from(tr.children).map(td => td.textContent.replace(/\\s+/g, ' ').trim()),
])"""
HEADS = """wrap => Array.from(wrap.querySelectorAll('thead th a')).map(a => new URL(a.href).pathname)"""


@pytest.fixture(scope="module")
def low_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("low-limit-browser"))
    schema = project / "data" / "schema.yml"
    text = schema.read_text(encoding="utf-8")
    assert "every-pair-up-to: 1225" in text
    schema.write_text(text.replace("every-pair-up-to: 1225", "every-pair-up-to: 10"), encoding="utf-8")
    out = project / "site"
    result = run_mkdocs("build", "--strict", "--site-dir", str(out), cwd=project)
    assert result.returncode == 0, result.stderr
    a, b = UNRELATED
    assert not (out / "compare" / f"{a}-vs-{b}").exists()  # this pair really has no page here
    return out


@pytest.fixture(scope="module")
def low_url(low_site):
    url, server = serve(low_site)
    yield url
    server.shutdown()


def reference_table(page, site_url: str) -> tuple[list, list]:
    """Rows and column links of the unrelated pair's page on the real site (every pair has one there)."""
    a, b = UNRELATED
    page.goto(site_url + f"compare/{a}-vs-{b}/")
    wrap = page.locator(".concept-table-wrap").first
    return wrap.evaluate(ROWS), wrap.evaluate(HEADS)


def shown_table(page) -> tuple[list, list]:
    wrap = page.locator("[data-picker-output] .concept-table-wrap")
    wrap.wait_for()
    return wrap.evaluate(ROWS), wrap.evaluate(HEADS)


def test_a_pair_without_a_page_is_shown_from_the_records(page, low_url, site_url):
    expected_rows, expected_heads = reference_table(page, site_url)
    assert any("Does not apply to" in cell for row in expected_rows for cell in row)
    page.goto(low_url + "compare/")
    page.wait_for_selector("[data-compare-picker]:not([hidden])")
    page.get_by_label("First concept").select_option(UNRELATED[0])
    page.get_by_label("Second concept").select_option(UNRELATED[1])
    page.get_by_role("button", name="Compare").click()
    rows, heads = shown_table(page)
    assert rows == expected_rows  # same rows, ids and cells, "Does not apply to ..." included
    assert heads == expected_heads  # the links to both concept pages
    assert page.url == low_url + f"compare/?a={UNRELATED[0]}&b={UNRELATED[1]}"
    output = page.locator("[data-picker-output]")
    assert "There is no written or generated page for this pair" in output.inner_text()
    assert page.errors == []


def test_the_old_picker_address_of_such_a_pair_shows_it_at_its_row(page, low_url, site_url):
    expected_rows, _ = reference_table(page, site_url)
    b, a = UNRELATED  # either order
    page.goto(low_url + f"compare/?a={a}&b={b}#{ROW}")
    rows, _ = shown_table(page)
    assert [r[0] for r in rows] == [r[0] for r in expected_rows]
    assert page.url == low_url + f"compare/?a={a}&b={b}#{ROW}"
    page.wait_for_function(f"document.querySelector(':target') && document.querySelector(':target').id === '{ROW}'")
    assert page.errors == []


def test_a_pair_with_a_page_still_lands_on_it(page, low_url):
    a, b = RELATED
    page.goto(low_url + f"compare/?a={b}&b={a}")
    page.wait_for_url(low_url + f"compare/{a}-vs-{b}/")
    page.goto(low_url + "compare/")
    page.wait_for_selector("[data-compare-picker]:not([hidden])")
    page.get_by_label("First concept").select_option(b)
    page.get_by_label("Second concept").select_option(a)
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(low_url + f"compare/{a}-vs-{b}/")
    assert page.errors == []


def test_the_drawn_pair_breaks_nothing_under_the_shipped_policy(browser, low_site):
    """Served with docs/_headers (its Content-Security-Policy) as static hosts apply it."""
    spec = importlib.util.spec_from_file_location("gate_serve", ROOT / "tests" / "gates" / "serve.py")
    gate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gate)
    url, server = gate.serve_in_thread(low_site, ROOT / "docs" / "_headers")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = csp_recording_page(context)
        errors = []
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.goto(url + f"compare/?a={UNRELATED[0]}&b={UNRELATED[1]}")
        page.locator("[data-picker-output] tbody tr").first.wait_for()
        assert page.evaluate("window.__csp") == [] and errors == []
    finally:
        context.close()
        server.shutdown()


def test_a_row_link_of_the_drawn_pair_copies_the_pair_and_the_row(browser, low_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=low_url.rstrip("/"))
    try:
        page = context.new_page()
        address = low_url + f"compare/?a={UNRELATED[0]}&b={UNRELATED[1]}"
        page.goto(address)
        page.locator(f"[data-picker-output] a.row-link[href='#{ROW}']").click()
        page.wait_for_selector(".link-notice--shown")
        assert page.evaluate("navigator.clipboard.readText()") == address + f"#{ROW}"
        assert page.url == address + f"#{ROW}"
    finally:
        context.close()
