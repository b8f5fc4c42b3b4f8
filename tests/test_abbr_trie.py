"""The trie-compiled glossary pattern (hooks/abbr_trie.py) gives exactly the stock `abbr` output."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from abbr_trie import TrieAbbrExtension, TrieAbbrTreeprocessor, trie_pattern

ROOT = Path(__file__).resolve().parent.parent
EXTENSIONS = ["admonition", "attr_list", "def_list", "md_in_html", "tables", "toc", "pymdownx.details",
              "pymdownx.superfences"]


def stock_pattern(keys) -> str:
    """The pattern Python-Markdown's AbbrTreeprocessor.run builds."""
    ordered = sorted(keys, key=len, reverse=True)
    return rf"\b(?:{'|'.join(re.escape(k) for k in ordered)})\b"


def spans(pattern: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(pattern, text)]


# Forms that are prefixes of one another, share prefixes, hold spaces, hyphens, digits and dots.
FORMS = st.lists(st.text(alphabet="ab c-.5", min_size=1, max_size=6), min_size=1, max_size=12, unique=True)


@given(FORMS, st.text(alphabet="ab c-.5x", max_size=60))
@settings(max_examples=400, deadline=None)
def test_trie_matches_where_the_stock_pattern_matches(forms, text):
    assert spans(trie_pattern(forms), text) == spans(stock_pattern(forms), text)


def test_longest_form_wins_and_backs_off_at_a_word_boundary():
    forms = ["cycle", "cycle time", "KPI", "KPIs", "5S"]
    pattern = trie_pattern(forms)
    text = "cycle times, cycle time, KPIs and KPI, a KPIx, 5S."
    assert [text[a:b] for a, b in spans(pattern, text)] == ["cycle", "cycle time", "KPIs", "KPI", "5S"]
    assert spans(pattern, text) == spans(stock_pattern(forms), text)
    assert spans(trie_pattern([]), text) == []


def site_glossary() -> dict[str, str]:
    """The glossary the site's hook gives to `abbr` (on_config of the real mkdocs.yml)."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    hook = next(p for name, p in config.plugins.items() if name.endswith("concept_site.py"))
    hook.on_config(config)
    return config.mdx_configs["abbr"]["glossary"]


def test_every_page_gets_the_same_html_as_with_stock_abbr():
    glossary = site_glossary()
    assert len(glossary) > 100
    pages = sorted((ROOT / "docs").rglob("*.md"))
    extra = "\n\n*[XYZ]: A page's own abbreviation.\n\nXYZ and kaizen and Kaizen events.\n"
    for path in pages:
        text = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1] + extra
        stock = markdown.Markdown(extensions=[*EXTENSIONS, "abbr"], extension_configs={"abbr": {"glossary": glossary}})
        trie = markdown.Markdown(extensions=[*EXTENSIONS, TrieAbbrExtension(glossary=glossary)])
        expected = stock.convert(text)
        assert trie.convert(text) == expected, path
        assert "<abbr" in expected
    assert isinstance(trie.treeprocessors["abbr"], TrieAbbrTreeprocessor)


def test_one_extension_serves_many_pages_without_leaking_page_abbreviations():
    """MkDocs makes a Markdown per page with the same extension object."""
    ext = TrieAbbrExtension(glossary={"KPI": "Key performance indicator."})
    first = markdown.Markdown(extensions=[ext]).convert("*[ABC]: Defined here.\n\nABC and KPI.")
    second = markdown.Markdown(extensions=[ext]).convert("ABC and KPI.")
    assert '<abbr title="Defined here.">ABC</abbr>' in first
    assert ">ABC</abbr>" not in second and '<abbr title="Key performance indicator.">KPI</abbr>' in second


def test_the_site_builds_with_the_trie_in_place_of_abbr():
    config = load_config(str(ROOT / "mkdocs.yml"))
    for name in ("concept_site.py", "site_speed.py"):  # not site_swap's: it makes a folder to build into
        config = next(p for n, p in config.plugins.items() if n.endswith(name)).on_config(config)
    extensions = config.markdown_extensions
    assert "abbr" not in extensions and "abbr" not in config.mdx_configs
    [trie] = [e for e in extensions if isinstance(e, TrieAbbrExtension)]
    assert len(trie.getConfig("glossary")) > 100


def test_the_glossary_finder_matches_where_a_plain_longest_first_alternation_does():
    """"Used in" comes from concept_glossary.Finder, which uses the trie too, with its own word edges."""
    import concept_site
    from concept_glossary import Finder

    finder = Finder(concept_site.load(load_config(str(ROOT / "mkdocs.yml"))).model.glossary)
    forms = sorted(finder.term_of, key=len, reverse=True)
    plain = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, forms)) + r")(?![\w-])")
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").rglob("*.md"))]
    texts.append("cycle times, cycle-time, KPIs, KPI-driven, a KPIx, lean thinking and Lean Thinking.")
    found = 0
    for text in texts:
        expected = [m.span() for m in plain.finditer(text)]
        assert [m.span() for m in finder.pattern.finditer(text)] == expected
        found += len(expected)
    assert found > 300


def _glossary_of(forms: list[str]):
    from concept_records import Glossary, Term

    return Glossary((), tuple(Term(f"t{i}", form, (), "c", "d") for i, form in enumerate(forms)))


def _expected_terms(finder, text: str) -> set[str]:
    """What "Used in" means: forms longest first, no word character or hyphen on either side."""
    forms = sorted(finder.term_of, key=len, reverse=True)
    plain = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, forms)) + r")(?![\w-])")
    return {finder.term_of[m.group(0)] for m in plain.finditer(text)}


EDGED_FORMS = st.lists(st.from_regex(r"[ab5][ab c\-.5]{0,4}[ab5]|[ab5]", fullmatch=True),
                       min_size=1, max_size=12, unique=True)


@given(EDGED_FORMS, st.text(alphabet="ab c-.5xA", max_size=60))
@settings(max_examples=600, deadline=None)
def test_the_finder_finds_with_the_tooltips_pattern_what_its_own_pattern_finds(forms, text):
    """Forms with a word character at each end (the usual glossary) are found with the tooltips'
    compiled pattern, hyphens handled apart, and never need the finder's own pattern."""
    from concept_glossary import Finder

    finder = Finder(_glossary_of(forms))
    assert finder.terms(text) == _expected_terms(finder, text)
    assert finder._own is None  # noqa: SLF001 (the point: one pattern compiled for tooltips and finder)


@given(FORMS, st.text(alphabet="ab c-.5xA", max_size=60))
@settings(max_examples=300, deadline=None)
def test_the_finder_finds_forms_with_any_edges(forms, text):
    from concept_glossary import Finder

    finder = Finder(_glossary_of(forms))
    assert finder.terms(text) == _expected_terms(finder, text)


def test_the_finder_backs_off_before_a_hyphen_and_skips_after_one():
    from concept_glossary import Finder

    finder = Finder(_glossary_of(["cycle", "cycle time", "time", "lean", "lean thinking"]))
    assert finder.terms("a cycle time-based plan") == {"t0"}          # 'cycle time' ends at a hyphen
    assert finder.terms("non-lean thinking") == set()                 # after a hyphen: nothing here
    assert finder.terms("x-lean thinking, time") == {"t2"}
    assert finder.terms("lean thinking-ish") == {"t3"}
    assert finder._own is None  # noqa: SLF001
