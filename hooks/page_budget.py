"""Keep a page's table of contents short enough that the browser is not kept busy by it.

Material renders a page's table of contents twice (in the sidebar and inside the navigation drawer),
three or four elements per entry, and its JavaScript measures every entry (ellipsis checks, scroll
tracking) and restyles the whole document while the page loads. On a page with dozens of headings
(the glossary: one per term) that doubles the DOM and is what kept the main thread busy
(Lighthouse: total blocking time 330-560 ms on the glossary against 50-270 ms on other pages).

`prune_toc` drops the deepest level of the table of contents while it holds more than
`MAX_TOC_ENTRIES` entries. The headings themselves, their anchors and permalinks stay on the page:
only the lists of links to them get shorter (the glossary's letter or theme sections stay listed).
No MkDocs import: the hook calls it with `page.toc`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

MAX_TOC_ENTRIES = 40


class Entry(Protocol):
    children: list


def count(items: Iterable[Entry]) -> int:
    """Entries in a table of contents, at every level."""
    return sum(1 + count(item.children) for item in items)


def depth(items: Iterable[Entry]) -> int:
    """Levels of a table of contents (0 when empty)."""
    return max((1 + depth(item.children) for item in items), default=0)


def _cut(items: Iterable[Entry], keep: int) -> None:
    for item in items:
        if keep <= 1:
            item.children = []
        else:
            _cut(item.children, keep - 1)


def prune_toc(items: list[Entry], limit: int = MAX_TOC_ENTRIES) -> int:
    """Drop the deepest level while there are more than `limit` entries and more than two levels
    (the page title and its sections always stay). Returns the number of levels kept."""
    levels = depth(items)
    while levels > 2 and count(items) > limit:
        levels -= 1
        _cut(items, levels)
    return levels
