"""The site's own stylesheets parse: a missing brace silently swallows every rule after it."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

SHEETS = sorted((ROOT / "docs" / "stylesheets").glob("*.css"))


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.name)
def test_every_block_is_closed_where_it_opens(sheet):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), sheet.read_text(encoding="utf-8"), flags=re.S)
    assert "/*" not in text, f"{sheet.name}: a comment is not closed"
    depth, line = 0, 1
    for char in text:
        if char == "\n":
            line += 1
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            assert depth >= 0, f"{sheet.name}:{line}: a '}}' closes nothing"
    assert depth == 0, f"{sheet.name}: {depth} block(s) not closed"
    # A plain rule never holds another rule (only @media and the like do): that is how a missing '}' shows.
    for match in re.finditer(r"([^{};]+)\{([^{}]*)\{", text):
        head = match.group(1).strip()
        assert head.startswith("@"), (
            f"{sheet.name}:{text[:match.start()].count(chr(10)) + 1}: the rule '{head[:60]}' is not closed before the next one")
