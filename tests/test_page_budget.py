"""Long tables of contents are shortened (hooks/page_budget.py), so no page carries hundreds of TOC links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from page_budget import MAX_TOC_ENTRIES, count, depth, prune_toc


@dataclass
class Item:
    name: str
    children: list = field(default_factory=list)


def tree(sections: int, terms: int) -> list[Item]:
    """A page title with `sections` sections of `terms` entries each."""
    return [Item("title", [Item(f"s{s}", [Item(f"s{s}t{t}") for t in range(terms)]) for s in range(sections)])]


def test_short_toc_is_left_alone():
    toc = tree(4, 5)  # 1 + 4 + 20 entries
    assert prune_toc(toc) == 3
    assert count(toc) == 25 and depth(toc) == 3


def test_long_toc_loses_its_deepest_level_only():
    toc = tree(8, 10)  # 1 + 8 + 80 entries
    assert prune_toc(toc) == 2
    assert [s.name for s in toc[0].children] == [f"s{s}" for s in range(8)]
    assert all(s.children == [] for s in toc[0].children)
    assert count(toc) == 9


def test_title_and_sections_always_stay():
    toc = tree(MAX_TOC_ENTRIES + 10, 0)  # too many sections, but only two levels
    assert prune_toc(toc) == 2 and count(toc) == MAX_TOC_ENTRIES + 11
    assert prune_toc([]) == 0


def test_at_the_limit_nothing_is_cut():
    toc = [Item("title", [Item("s", [Item(str(i)) for i in range(MAX_TOC_ENTRIES - 2)])])]
    assert count(toc) == MAX_TOC_ENTRIES and prune_toc(toc) == 3


def _toc_links(html: str) -> set[str]:
    sidebar = html[html.index('data-md-component="toc"'):]
    return set(re.findall(r'<a href="#([^"]+)" class="md-nav__link">', sidebar))


def test_glossary_page_lists_sections_not_every_term(built_site):
    """Every term keeps its heading and anchor; the sidebar lists the sections (letters) only.

    The terms' and letters' ¶ permalinks are dropped (hooks/concept_glossary.py): a hundred and more
    elements the page needs for its links, within the element budget.
    """
    html = (built_site / "glossary" / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r'<h([23])[^>]* id="([^"]+)"', html)
    terms = {anchor for level, anchor in headings if level == "3"}
    sections = {anchor for level, anchor in headings if level == "2"}
    assert len(terms) > MAX_TOC_ENTRIES and "muda" in terms
    assert not any(f'<a class="headerlink" href="#{t}"' in html for t in terms)
    assert _toc_links(html) == sections


def test_ordinary_page_keeps_its_full_toc(built_site):
    html = (built_site / "compare" / "lean-vs-process-improvement" / "index.html").read_text(encoding="utf-8")
    headings = set(re.findall(r'<h[23] id="([^"]+)"', html))
    assert headings and _toc_links(html) == headings
