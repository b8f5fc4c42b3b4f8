"""Readers look for a comparison by typing the pair: "lean vs six sigma" or "six sigma vs lean".

Every written comparison, in both orders, typed into Material's search box, must put its own page
first. The pairs and the names come from the records, so a new comparison is tested without being
listed here.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import yaml

from conftest import ROOT, type_search

pytestmark = pytest.mark.browser


def _front_matter(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1])


def pair_queries() -> list[tuple[str, str]]:
    """(query, comparison slug): "A vs B" and "B vs A" for every written comparison, in lower case."""
    names = {p.stem: _front_matter(p)["concept"]["name"]
             for p in (ROOT / "docs" / "concepts").glob("*.md") if p.stem != "index"}
    queries = []
    for path in sorted((ROOT / "docs" / "compare").glob("*-vs-*.md")):
        a, b = _front_matter(path)["comparison"]["concepts"]
        queries.append((f"{names[a]} vs {names[b]}".lower(), path.stem))
        queries.append((f"{names[b]} vs {names[a]}".lower(), path.stem))
    return queries


def first_result(page, base: str, query: str) -> str:
    """Type a query into Material's search box; the page path of the first result."""
    page.goto(base)
    type_search(page, query)
    return urlparse(page.locator(".md-search-result__item > a").first.evaluate("a => a.href")).path


@pytest.mark.parametrize(("query", "slug"), pair_queries())
def test_typing_a_pair_in_either_order_puts_its_comparison_first(watch, query, slug):
    assert first_result(watch.page, watch.base_url, query).strip("/") == f"compare/{slug}"
