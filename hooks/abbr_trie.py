"""Glossary tooltips at a fraction of the cost: Python-Markdown's `abbr`, with its pattern as a trie.

The stock `abbr` treeprocessor matches `\\b(?:form1|form2|...)\\b`, its forms longest first, against
every text node of every page. With the site's glossary (hundreds of written forms) the regex
engine tries every branch at every word boundary: about a tenth of the whole build. Here the same
forms are compiled into a trie (`trie_pattern`): forms sharing a prefix share a branch, so at each
position the engine follows one path, one character at a time. The matches are the same (see
`trie_pattern`), so every page gets exactly the tooltips it had. The compiled pattern is kept for
as long as the set of forms is the same (the glossary is one per build; a page that defines its
own abbreviations with `*[X]: ...` gets its own pattern).

No MkDocs import: the hook puts `TrieAbbrExtension` in the place of `abbr` in the extension list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor

_END = ""  # marks a node where a form ends (a real key is never empty: nodes are keyed by characters)


def _trie(keys: Iterable[str]) -> dict:
    root: dict = {}
    for key in keys:
        if not key:
            continue
        node = root
        for char in key:
            node = node.setdefault(char, {})
        node[_END] = {}
    return root


def _branch(node: dict) -> str:
    """The regex for the forms below `node`. Longer continuations come first and ending here is a
    last resort (`(?:...)?` is greedy), so the engine tries the longest form first and backs off to
    shorter ones when the `\\b` after it fails: the order of the stock pattern's alternatives."""
    children = [(char, child) for char, child in sorted(node.items()) if char != _END]
    parts = [re.escape(char) + _branch(child) for char, child in children]
    if not parts:
        return ""
    inner = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return "(?:" + inner + ")?" if _END in node else inner


def trie_alternation(keys: Iterable[str]) -> str:
    """The forms as one trie-shaped group, trying the longest first (see `trie_pattern`); "" for none."""
    return _branch(_trie(keys))


def trie_pattern(keys: Iterable[str]) -> str:
    """`\\b(?:...)\\b` over `keys`, matching exactly where the stock `abbr` pattern matches.

    Why the matches are the same: `finditer` takes the leftmost position where a match exists; at a
    position, every form that matches the text there is a prefix of the text, so the forms that
    match are prefixes of one another, and both patterns take the longest of them that is followed
    by a word boundary (the stock one by listing forms longest first, this one by greedy nesting).
    """
    body = trie_alternation(keys)
    return rf"\b(?:{body})\b" if body else r"(?!)"


_COMPILED: dict[frozenset[str], re.Pattern] = {}


def compiled_pattern(forms: frozenset[str]) -> re.Pattern:
    """`trie_pattern(forms)`, compiled once per set of forms: the tooltips of every page and the
    glossary's term finder (concept_glossary.Finder) use the same one."""
    pattern = _COMPILED.get(forms)
    if pattern is None:
        if len(_COMPILED) > 64:  # a page-local abbreviation set per page: keep it bounded
            _COMPILED.clear()
        pattern = _COMPILED[forms] = re.compile(trie_pattern(forms))
    return pattern


class TrieAbbrTreeprocessor(AbbrTreeprocessor):
    """`abbr`'s treeprocessor with a trie pattern, compiled once per set of forms; with `tab_stops`,
    the first use of each tooltip on the page is a Tab stop (`first_uses`)."""

    def __init__(self, md=None, abbrs: dict | None = None, tab_stops: bool = False):
        super().__init__(md, abbrs)
        self.tab_stops = tab_stops

    def run(self, root):
        if not self.abbrs:
            return
        self.RE = compiled_pattern(frozenset(self.abbrs))
        self.iter_element(root)
        if self.tab_stops:
            first_uses(root)


def first_uses(root) -> None:
    """Let the keyboard reach each tooltip once per page: the first <abbr> with each title gets
    tabindex="0" (unless it has a tabindex of its own).

    Material's tooltips open on focus as on hover, so a keyboard user reads the definition where
    the term stands. Later uses of the same term keep the hover and tap tooltip, without adding a
    Tab stop each.
    """
    seen: set[str | None] = set()
    for abbr in root.iter("abbr"):
        title = abbr.get("title")
        if title not in seen:
            seen.add(title)
            if abbr.get("tabindex") is None:
                abbr.set("tabindex", "0")


class TrieAbbrExtension(AbbrExtension):
    """`abbr` (same options, same `*[X]: ...` definitions) with `TrieAbbrTreeprocessor`; the option
    `tab_stops` makes the first use of each tooltip on a page a Tab stop."""

    def __init__(self, **kwargs):
        tab_stops = kwargs.pop("tab_stops", False)
        super().__init__(**kwargs)  # abbr's own options (it sets self.config anew)
        self.config["tab_stops"] = [False, "The first use of each tooltip on a page is a Tab stop - Default: False"]
        self.setConfig("tab_stops", tab_stops)

    def extendMarkdown(self, md):
        super().extendMarkdown(md)
        md.treeprocessors.register(TrieAbbrTreeprocessor(md, self.abbrs, self.getConfig("tab_stops")), "abbr", 7)
