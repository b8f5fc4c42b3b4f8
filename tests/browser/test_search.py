"""Search as readers use it, typed into Material's real search box, and the glossary by keyboard.

Run the query test on its own and see every miss:
    NO_MKDOCS_2_WARNING=1 .venv/bin/python -m pytest -q -s tests/browser/test_search.py -k queries
"""

from __future__ import annotations

import pytest
import yaml
from search_queries import QUERIES, open_search, passes, type_query

from conftest import ROOT, axe_violations

pytestmark = pytest.mark.browser

PASS_RATE = 0.9
SNIPPET_LIMIT = 60  # words in one result (title, snippet and all), for every query below


def test_readers_queries_find_the_right_page_in_the_first_three_results(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_search(page, site_url)
    misses, walls = [], []
    for query, target in QUERIES:
        results = type_query(page, query)
        if not passes(results, target):
            misses.append(f"{query!r}: want {target}, got {[r['shown'] for r in results[:3]]}")
        walls += [f"{query!r}: {r['page']} has {max(r['words'])} words" for r in results
                  if r["words"] and max(r["words"]) > SNIPPET_LIMIT]
    context.close()
    rate = 1 - len(misses) / len(QUERIES)
    print(f"\nsearch: {len(QUERIES) - len(misses)}/{len(QUERIES)} queries passed ({rate:.0%})")
    for miss in misses:
        print("  miss:", miss)
    assert len(QUERIES) >= 60
    assert walls == []
    assert rate >= PASS_RATE, misses


def test_a_result_is_a_short_snippet_not_the_table(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    page = context.new_page()
    page.goto(site_url)
    page.locator("label.md-header__button[for=__search]").click()
    page.wait_for_function(
        "() => !document.querySelector('.md-search-result__meta').textContent.includes('Initializing')")
    results = type_query(page, "process optimisation")
    assert results[0]["page"] == "concepts/process-optimization/"
    first = page.locator(".md-search-result__item").first
    assert "Attribute" not in first.inner_text()                     # no flattened table
    assert first.bounding_box()["height"] < 844 / 2                  # results 2 and 3 are in view too
    context.close()


def test_tab_reaches_a_glossary_term_in_a_comparison_table_and_shows_its_definition(watch):
    definitions = {" ".join(t["definition"].split()) for t in
                   yaml.safe_load((ROOT / "data" / "glossary.yml").read_text(encoding="utf-8"))["terms"]}
    page = watch.page
    page.goto(watch.base_url + "compare/lean-vs-process-improvement/")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('table abbr')"):
            break
    else:
        pytest.fail("Tab never reached a glossary term in the table")
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible")
    assert " ".join(tooltip.inner_text().split()) in definitions


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_glossary_and_on_search_results(browser, site_url, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + "glossary/")
    assert axe_violations(page) == []
    page.goto(site_url + "glossary/#muda")
    assert axe_violations(page) == []
    open_search(page, site_url)
    type_query(page, "lean vs process improvement")
    assert axe_violations(page) == []
    context.close()
