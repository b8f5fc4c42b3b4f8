"""MkDocs hook: the sidebar in reading order, and the footer's Previous and Next in the same order.

The home page first, then sections (comparisons, concepts), then other pages (glossary, references),
and last a section "For editors" holding every top-level page whose front matter says
`audience: editors` (Contributing, The records as data), so they leave the readers' path.
MkDocs links Previous/Next in file order before `on_nav`, so the links are made again here in the
order the sidebar shows. Generated pair pages are not in the navigation at all (see concept_site).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.structure.nav import Section
from mkdocs.utils.meta import get_data

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

EDITORS = "For editors"


def _for_editors(item) -> bool:
    if not item.is_page or item.file.generated_by:
        return False
    _, meta = get_data(item.file.content_string)
    return meta.get("audience") == "editors"


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    moved = [item for item in nav.items if _for_editors(item)]
    items = [item for item in nav.items if item not in moved]
    if moved:
        section = Section(EDITORS, moved)
        for item in moved:
            item.parent = section
        items.append(section)

    def rank(item) -> int:
        if getattr(item, "is_homepage", False):
            return 0
        if moved and item is items[-1]:
            return 3
        return 1 if item.is_section else 2

    nav.items[:] = sorted(items, key=rank)
    nav.pages[:] = list(_pages_in_order(nav.items))
    for before, after in zip([None, *nav.pages], [*nav.pages, None], strict=True):
        if before is not None:
            before.next_page = after
        if after is not None:
            after.previous_page = before
    return nav


def _pages_in_order(items):
    for item in items:
        if item.is_page:
            yield item
        elif item.is_section:
            yield from _pages_in_order(item.children)
