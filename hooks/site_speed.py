"""MkDocs hook (second in mkdocs.yml): what keeps pages light and builds fast, apart from the content.

- Long tables of contents are shortened (`page_budget.prune_toc`), so a page with dozens of
  headings does not keep the browser busy with hundreds of navigation entries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from page_budget import prune_toc

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    """Shorten a long table of contents before the theme renders it (sidebar and drawer)."""
    prune_toc(page.toc.items)
    return context
