"""The glossary page (A to Z, links, "see" lines) and the tooltips' keyboard stops (hooks/concept_glossary.py)."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
import yaml

import concept_glossary as glossary
import concept_site
from abbr_trie import TrieAbbrExtension, first_uses
from concept_records import Glossary, Term, slugify
from conftest import ROOT
from html_pages import read_page


def term(term_id: str, name: str, also=(), category="lean", definition="A thing.") -> Term:
    return Term(term_id, name, tuple(also), category, definition)


def glossary_data() -> dict:
    return yaml.safe_load((ROOT / "data" / "glossary.yml").read_text(encoding="utf-8"))


def test_other_names_keep_names_of_their_own_and_leave_out_spellings():
    assert glossary.other_names(term("jit", "JIT", ["just-in-time"])) == ["just-in-time"]
    assert glossary.other_names(term("k", "kanban", ["kanbans"])) == []
    assert glossary.other_names(term("p", "poka-yoke", ["poka yoke", "mistake-proofing", "mistake proofing"])) == [
        "mistake-proofing"]
    assert glossary.other_names(term("b", "business process reengineering",
                                     ["BPR", "process re-engineering", "reengineering"])) == ["BPR"]
    assert glossary.other_names(term("w", "work in process", ["work in progress", "WIP"])) == ["work in progress", "WIP"]
    assert glossary.other_names(term("f", "360-degree feedback", ["360-degree review", "360-degree reviews"])) == [
        "360-degree review"]


def test_related_terms_are_found_in_definitions_both_ways():
    g = Glossary((), (term("muda", "muda", definition="Waste."),
                      term("mura", "mura", definition="Unevenness; it breeds muda."),
                      term("kpi", "KPI", definition="A measure.")))
    assert glossary.related(g) == {"muda": ["mura"], "mura": ["muda"], "kpi": []}


def test_a_form_is_found_as_a_whole_word_only():
    finder = glossary.Finder(Glossary((), (term("jit", "JIT", ["just-in-time"]), term("oee", "OEE"))))
    assert finder.terms("Just-in-time supply and OEE.") == {"jit", "oee"}
    assert finder.terms("JITTER and reoee and non-OEE") == set()


TAB_STOP = re.compile(r'<abbr tabindex="0" title="([^"]*)">')


def convert(text: str, abbreviations: dict[str, str]) -> str:
    return markdown.Markdown(extensions=["tables", TrieAbbrExtension(glossary=abbreviations, tab_stops=True)]).convert(text)


def test_the_first_use_of_each_tooltip_on_a_page_is_its_one_tab_stop():
    html = convert("muda, then KPI.\n\n| a | b |\n|---|---|\n| Muda | waste, KPI |\n\n*[OEE]: A measure.\n\nOEE and muda.",
                   {"muda": "Waste.", "Muda": "Waste.", "waste": "Waste.", "KPI": "A measure."})
    assert TAB_STOP.findall(html) == ["Waste.", "A measure."]           # one per title, the first use each
    assert html.index('tabindex="0" title="Waste.">muda<') < html.index(">Muda<")
    assert html.count("<abbr") == 7 and html.count("tabindex") == 2     # OEE shares its title with KPI
    # Without the option, abbr's own output: no tab stops.
    plain = markdown.Markdown(extensions=[TrieAbbrExtension(glossary={"KPI": "A measure."})]).convert("KPI")
    assert plain == '<p><abbr title="A measure.">KPI</abbr></p>'


def test_a_tooltip_with_a_tabindex_of_its_own_keeps_it_and_is_the_first_use():
    root = etree.fromstring('<div><p><abbr title="A." tabindex="-1">a</abbr> <abbr title="A.">a</abbr> '
                            '<abbr title="B.">b</abbr></p></div>')
    first_uses(root)
    assert [(e.get("title"), e.get("tabindex")) for e in root.iter("abbr")] == [("A.", "-1"), ("A.", None), ("B.", "0")]


def test_keyed_tooltips_once_filled_are_the_page_the_definitions_make():
    """Under serve, abbr writes keys and the hook fills them in after conversion (so a definition edit
    keeps every page's conversion); a one-off build gives abbr the definitions. Same pages."""
    g = Glossary((), (term("muda", "muda", ["waste"], definition="Waste."),
                      term("scrap", "scrap", definition="Waste."),                    # another term, same words
                      term("kpi", "KPI", definition='A "key" measure & more.'),
                      term("focus", "focus", definition="Where tabindex=0 is set, the Tab key stops.")))
    keys, titles = glossary.tooltip_keys(g)
    assert keys["muda"] == keys["scrap"] == keys["Waste"] and keys["KPI"] != keys["muda"]
    pages = ["muda, scrap and KPI; then Waste and kpi.", "focus on KPI.\n\n*[ABC]: Defined here.\n\nABC, muda.",
             "Nothing to see.", "| scrap | focus |\n|---|---|\n| KPI | muda |"]
    for text in pages:
        direct = convert(text, glossary.definitions(keys, g))
        keyed = convert(text, keys)
        assert glossary._KEY_MARK not in direct
        assert glossary.fill_tooltips(keyed, titles) == direct, text
    assert TAB_STOP.findall(convert(pages[0], glossary.definitions(keys, g))) == [
        "Waste.", "A &quot;key&quot; measure &amp; more."]


def test_tooltips_inside_a_drawing_written_in_a_page_are_taken_out():
    """An <abbr> is not SVG: inside a drawing it would break the text it wraps (the hook takes it out)."""
    drawing = '<svg viewBox="0 0 9 9"><text><abbr title="W.">muda</abbr> and <abbr title="M.">KPI</abbr></text></svg>'
    page = f'<p><abbr tabindex="0" title="W.">muda</abbr></p>{drawing}<svgx><abbr title="W.">y</abbr></svgx>'
    assert concept_site._without_tooltips_in_drawings(page) == (
        '<p><abbr tabindex="0" title="W.">muda</abbr></p><svg viewBox="0 0 9 9"><text>muda and KPI</text></svg>'
        '<svgx><abbr title="W.">y</abbr></svgx>')
    untouched = f'<svg><text>no tooltip</text></svg><p><abbr title="W.">muda</abbr></p><svg>{drawing[5:-6]}'
    assert concept_site._without_tooltips_in_drawings(untouched) is untouched  # the last one is never closed


# --------------------------------------------------------------------------- the built page


def test_every_term_and_theme_keeps_its_anchor_and_the_letters_lead_to_them(built_site):
    page = (built_site / "glossary" / "index.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    data = glossary_data()
    for entry in data["terms"]:
        assert entry.get("id", slugify(entry["term"])) in ids
    for category in data["categories"]:
        assert slugify(category["label"]) in ids                    # the old theme anchors (#measures)
    letters = re.search(r'<nav class="glossary-az"[^>]*>(.*?)</nav>', page, re.S).group(1)
    targets = re.findall(r'href="#([^"]+)"', letters)
    assert targets[0] == "letter-0-9" and "letter-m" in targets
    assert all(t in ids for t in targets)
    # A to Z: the terms' headings come in alphabetical order
    terms = [html.unescape(h) for h in re.findall(r'<h3 class="glossary-term" id="[^"]+">(.*?)</h3>', page)]
    assert len(terms) == len(data["terms"])
    squashed = [re.sub(r"[^a-z0-9]", "", t.casefold()) for t in terms if not t[0].isdigit()]
    assert squashed == sorted(squashed)


def test_an_entry_links_to_the_pages_that_use_it_and_to_related_terms(built_site):
    page = read_page(built_site, "glossary/")
    html = (built_site / "glossary" / "index.html").read_text(encoding="utf-8")
    muda = html[html.index('id="muda"'):html.index('id="mura"')]
    assert 'href="../concepts/lean/"' in muda
    assert 'href="../compare/lean-vs-process-improvement/"' in muda
    assert 'href="#mura"' in muda
    mura = html[html.index('id="mura"'):html.index('id="muri"')]
    assert 'href="#muda"' in mura and 'href="#muri"' in mura      # the terms its definition names
    assert page is not None


def test_other_names_are_see_lines_that_lead_to_their_entry(built_site):
    html = (built_site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'just-in-time: see <a href="#jit">JIT</a>', html)
    assert "kanbans: see" not in html


def test_each_term_is_one_tab_stop_on_a_page_that_uses_it(built_site):
    html = (built_site / "compare" / "lean-vs-process-improvement" / "index.html").read_text(encoding="utf-8")
    focusable = TAB_STOP.findall(html)
    everything = re.findall(r'<abbr\b[^>]* title="([^"]*)"', html)
    assert focusable and len(focusable) == len(set(focusable)) == len(set(everything))
    glossary_html = (built_site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "<abbr" not in glossary_html
