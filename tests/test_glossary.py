"""The glossary page (A to Z, links, "see" lines) and the tooltips' keyboard stops (hooks/concept_glossary.py)."""

from __future__ import annotations

import html
import re

import yaml

import concept_glossary as glossary
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


def test_focusable_terms_gives_the_first_use_of_each_term_one_tab_stop():
    html = ('<p><abbr title="Waste.">muda</abbr> <abbr title="A measure.">KPI</abbr> '
            '<abbr title="Waste.">Muda</abbr></p>')
    out = glossary.focusable_terms(html)
    assert out.count('tabindex="0"') == 2
    assert '<abbr title="Waste.">Muda</abbr>' in out                 # the second use of muda: hover only
    assert glossary.focusable_terms(out) == out                      # idempotent


def test_tooltips_filled_and_focused_in_one_pass_as_in_two():
    mark = glossary._KEY_MARK

    def tag(key: str) -> str:
        return f'<abbr title="{mark}{key}{mark}">'

    titles = {"muda": "Waste.", "kpi": "A measure.", "waste": "Waste.",  # two terms, one definition
              "focus": "Where tabindex=0 is set, the Tab key stops."}        # the attribute's name as words
    pages = [
        f"<p>{tag('muda')}muda</abbr> {tag('kpi')}KPI</abbr> {tag('muda')}Muda</abbr></p>",
        f"<p>{tag('waste')}waste</abbr> {tag('muda')}muda</abbr> {tag('gone')}old</abbr></p>",
        f'<p>{tag("kpi")}KPI</abbr> <abbr title="Written by hand.">OEE</abbr> {tag("kpi")}kpi</abbr></p>',
        f'<p>{tag("kpi")}KPI</abbr> <abbr title="A measure." tabindex="-1">KPI</abbr></p>',
        f'<p>{tag("muda")}muda</abbr> <span title="{mark}kpi{mark}">x</span></p>',
        "<p>no terms</p>",
        f"<p>{tag('kpi')}KPI</abbr> <abbrev>another tag</abbrev></p>",
        f'<p>{tag("focus")}focus</abbr> <abbr title="Written by hand.">OEE</abbr></p>',  # two passes
    ]
    for text in pages:
        one_pass = glossary.focusable_terms(text, titles)
        assert one_pass == glossary.focusable_terms(glossary.fill_tooltips(text, titles)), text
        assert mark not in one_pass
    assert glossary.focusable_terms(pages[0], titles).count('tabindex="0"') == 2
    assert glossary.focusable_terms(pages[1], titles).count('tabindex="0"') == 2   # waste and muda share a title
    # A definition that names the attribute is not the attribute: its term still gets its tab stop.
    assert glossary.focusable_terms(pages[-1], titles).count('tabindex="0"') == 2
    assert glossary.focusable_terms(pages[3], titles).count('tabindex="-1"') == 1  # one written by hand stays


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
    focusable = re.findall(r'<abbr title="([^"]*)" tabindex="0">', html)
    everything = re.findall(r'<abbr title="([^"]*)"', html)
    assert focusable and len(focusable) == len(set(focusable)) == len(set(everything))
    glossary_html = (built_site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "<abbr" not in glossary_html
