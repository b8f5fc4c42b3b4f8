"""Checks on whole pages, made while the records load (before MkDocs writes anything).

Pure Python with no MkDocs import: where the generated-section markers stand (never inside a
fenced code block, once each, on the right kind of page), and which front-matter keys a record
page may hold. Each check returns (line, field, message) tuples worded for an editor.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# A marker stands on a line of its own, so one quoted in running text or inline code is left alone.
MARKER = re.compile(r"^[ \t]*<!--\s*(site|concept|compare|page):([a-z-]+)\s*-->[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*$", re.MULTILINE)

# Where each marker may stand: None = any page, else the kind of record page.
SECTIONS: dict[tuple[str, str], str | None] = {
    ("site", "concepts"): None,
    ("site", "comparisons"): None,
    ("site", "map"): None,
    ("site", "glossary"): None,
    ("site", "references"): None,
    ("page", "references"): None,
    ("site", "picker"): None,
    ("site", "pairs"): None,
    ("concept", "attributes"): "concept",
    ("concept", "relations"): "concept",
    ("concept", "comparisons"): "concept",
    ("compare", "table"): "compare",
    ("compare", "related"): "compare",
}
_PAGE_WORDS = {"concept": "a concept page (docs/concepts/)", "compare": "a comparison page (docs/compare/)"}

# Front-matter keys a record page may hold besides its record: everything else is something MkDocs
# or the theme acts on (`template:` swaps the page's template, `title:` its name, ...), while the
# hook derives the page's title, description and search tags from the record itself.
RECORD_PAGE_KEYS = {"concept": ("concept", "references"), "compare": ("comparison", "references")}


def code_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of every fenced code block (``` or ~~~), an unclosed one running to the end."""
    blocks = []
    pos = 0
    while True:
        opening = _FENCE.search(text, pos)
        if not opening:
            return blocks
        fence = opening.group(1)
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
        end_match = closing.search(text, opening.end())
        end = end_match.end() if end_match else len(text)
        blocks.append((opening.start(), end))
        pos = end


def markers(text: str) -> Iterator[re.Match]:
    """Every marker outside fenced code blocks (a marker shown as an example in code stays as written)."""
    blocks = code_blocks(text) if "```" in text or "~~~" in text else []
    # MARKER.finditer would try its line start at every character of the page: find each "<!--"
    # and match MARKER from the start of its line, which gives the same matches.
    position = text.find("<!--")
    while position >= 0:
        match = MARKER.match(text, text.rfind("\n", 0, position) + 1)
        if match is not None and match.end() > position:
            if not any(start <= match.start() < end for start, end in blocks):
                yield match
            position = text.find("<!--", match.end())
        else:
            position = text.find("<!--", position + 4)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def marker_problems(body: str, first_line: int, kind: str | None) -> list[tuple[int, str | None, str]]:
    """Unknown, misplaced and repeated markers in a page body whose first line is `first_line`."""
    problems = []
    seen: dict[tuple[str, str], int] = {}
    for match in markers(body):
        line = first_line + _line(body, match.start()) - 1
        key = (match.group(1), match.group(2))
        written = match.group(0).strip()
        if key not in SECTIONS:
            known = [f"<!-- {a}:{b} -->" for a, b in SECTIONS]
            import difflib  # here, not at the top: only a build with an error to word needs it
            close = difflib.get_close_matches(f"<!-- {key[0]}:{key[1]} -->", known, n=1, cutoff=0.8)
            hint = f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(known)
            problems.append((line, None, f"unknown marker '{written}' ({hint}): correct it or remove it"))
            continue
        place = SECTIONS[key]
        if place is not None and place != kind:
            problems.append((line, None, f"'{written}' belongs on {_PAGE_WORDS[place]}, where the record is: "
                             "remove it from this page"))
            continue
        if key in seen:
            problems.append((line, None, f"'{written}' appears twice (first at line {seen[key]}): "
                             "keep one, the section is generated once"))
            continue
        seen[key] = line
    return problems


def front_matter_problems(meta: dict[str, Any], kind: str, line_of) -> list[tuple[int | None, str, str]]:
    """Keys on a record page that MkDocs or the theme would act on instead of the record."""
    allowed = RECORD_PAGE_KEYS[kind]
    problems = []
    for key in meta:
        if key not in allowed:
            what = "the page's title, description and tags come from the record" \
                if key in ("title", "description", "tags") else "a record page is built only from its record"
            problems.append((line_of(key), str(key), f"not allowed on a record page ({what}): remove it, or put the "
                             f"information in the '{allowed[0]}:' record"))
    return problems
