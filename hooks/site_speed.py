"""MkDocs hook (second in mkdocs.yml): what keeps pages light and builds fast, apart from the content.

- Long tables of contents are shortened (`page_budget.prune_toc`), so a page with dozens of
  headings does not keep the browser busy with hundreds of navigation entries.
- Glossary tooltips are matched with a trie-compiled pattern (`abbr_trie`), with the same result
  as Python-Markdown's `abbr` at a fraction of its cost. The first use of each tooltip on a page is
  made a Tab stop while the page is converted, not by another pass over every page's HTML.

Listed after concept_site.py, so its `on_config` sees the glossary that hook gave to `abbr`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from abbr_trie import TrieAbbrExtension
from page_budget import prune_toc

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Put the trie-compiled `abbr` in the place of Python-Markdown's, with the same options and Tab stops."""
    extensions = config.markdown_extensions
    if "abbr" in extensions:
        options = config.mdx_configs.pop("abbr", {})
        extensions[extensions.index("abbr")] = TrieAbbrExtension(**options, tab_stops=True)
    return config


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    """Shorten a long table of contents before the theme renders it (sidebar and drawer)."""
    prune_toc(page.toc.items)
    return context
