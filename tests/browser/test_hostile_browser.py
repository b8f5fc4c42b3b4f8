"""Hostile content as a reader meets it (issue 15), in Chromium against a copy of the project.

A concept name holding markup is built into a copy of the site; the navigation and the search
results must show it as text, and nothing in it may run. The records file is then tampered with,
as if served by a hostile mirror, to check that the picker (which does not read it) only leads to
addresses on the site and that concept names such as `__proto__` and `constructor` in the address
are just unknown names.
"""

from __future__ import annotations

import json

import pytest

from conftest import copy_project, run_mkdocs, serve

pytestmark = pytest.mark.browser

NAME = "Lean <img src=x onerror=window.__pwned=1> <b>bold</b> <!--"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    copy_project(base)
    path = base / "docs" / "concepts" / "lean.md"
    path.write_text(path.read_text(encoding="utf-8").replace("  name: Lean\n", f"  name: {json.dumps(NAME)}\n", 1),
                    encoding="utf-8")
    result = run_mkdocs("build", "--strict", cwd=base)
    assert result.returncode == 0, result.stderr
    site = base / "site"
    records_path = site / "data" / "concepts.json"
    records = json.loads(records_path.read_text(encoding="utf-8"))
    for concept in records["concepts"]:
        if concept["slug"] == "lean":
            concept["url"] = "javascript:window.__pwned=2"
    for comparison in records["comparisons"]:
        if comparison["slug"] == "lean-vs-process-improvement":
            comparison["url"] = "https://evil.example/steal"
    records_path.write_text(json.dumps(records), encoding="utf-8")
    url, server = serve(site)
    yield url
    server.shutdown()


def test_a_name_with_markup_is_text_in_the_navigation_and_in_search_results(page, hostile_site):
    page.goto(hostile_site + "concepts/lean/")
    links = [t.strip() for t in page.locator("nav.md-nav--primary .md-nav__link").all_text_contents()]
    assert NAME in links and f"{NAME} vs process improvement" in links
    assert page.title() == f"{NAME} - Side by Side"
    assert page.locator("nav.md-nav--primary b, nav.md-nav--primary img").count() == 0

    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("lean", delay=15)
    page.wait_for_selector(".md-search-result__item")
    page.wait_for_timeout(300)
    results = page.locator(".md-search-result")
    # The whole name, comment opener included, reads as text in the result titles; no element is made of it.
    assert NAME in results.inner_text()
    assert results.locator("img, b").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_the_picker_stays_on_its_own_site_and_ignores_prototype_names(page, hostile_site):
    # The picker takes the pair's address from the page's own list of every pair, built by the site,
    # never from the records file (tampered with above): an old picker address lands on the site's page.
    page.goto(hostile_site + "compare/?a=lean&b=process-improvement")
    page.wait_for_url(hostile_site + "compare/lean-vs-process-improvement/")
    page.goto(hostile_site + "compare/")
    page.wait_for_selector("[data-compare-picker]:not([hidden])")
    assert page.locator("#compare-pick-a option[value=lean]").text_content() == NAME
    assert page.locator("[data-compare-picker] img, [data-compare-picker] b").count() == 0
    hrefs = page.eval_on_selector_all("a[data-pair]", "els => els.map(e => e.href)")
    assert hrefs and all(h.startswith(hostile_site + "compare/") for h in hrefs), hrefs

    for a, b in (("__proto__", "constructor"), ("constructor", "hasOwnProperty"), ("toString", "__proto__")):
        page.goto(hostile_site + f"compare/?a={a}&b={b}")
        page.wait_for_selector("[data-compare-picker]:not([hidden])")
        assert "does not describe" in page.locator("[data-picker-status]").text_content()
        assert page.input_value("#compare-pick-a") == "" and page.input_value("#compare-pick-b") == ""
        assert page.url == hostile_site + f"compare/?a={a}&b={b}"
    assert page.evaluate("window.__pwned") is None
