"""The search index as the build writes it, and the pieces that shape it (hooks/concept_search.py)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import concept_search as search
from conftest import ROOT


def index_docs(site: Path) -> tuple[dict, dict[str, dict]]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return index["config"], {doc["location"]: doc for doc in index["docs"]}


def words(markup: str) -> int:
    return len(search.plain(markup).split())


def test_no_search_result_text_is_longer_than_forty_words(built_site):
    _, docs = index_docs(built_site)
    longest = max(docs.values(), key=lambda d: words(d["text"]))
    assert words(longest["text"]) <= search.SNIPPET_WORDS, longest["location"]


def test_a_record_page_shows_its_definition_or_summary_and_keeps_its_table_searchable(built_site):
    _, docs = index_docs(built_site)
    lean = yaml.safe_load((ROOT / "docs/concepts/lean.md").read_text(encoding="utf-8").split("---")[1])["concept"]
    page = docs["concepts/lean/"]
    assert search.plain(page["text"]) == lean["definition"]
    assert lean["pitfall"].split(",")[0] in page["body"]          # a table cell, searched but not shown
    assert page["names"] == search.name_words([lean["name"], *lean["aliases"]])
    assert page["names"].split()[0] == "lean_"                    # each word once, marked
    comparison = docs["compare/lean-vs-process-improvement/"]
    summary = yaml.safe_load((ROOT / "docs/compare/lean-vs-process-improvement.md").read_text(encoding="utf-8")
                             .split("---")[1])["comparison"]["summary"]
    assert search.plain(comparison["text"]) == " ".join(summary.split())
    assert comparison["names"] == "lean_ process_ improvement_ comparison_"  # "vs" is not a word search keeps
    assert all("tags" not in doc for doc in docs.values())        # no tag chips in results


def test_each_glossary_entry_shows_its_definition_and_is_named_by_its_forms(built_site):
    glossary = yaml.safe_load((ROOT / "data" / "glossary.yml").read_text(encoding="utf-8"))
    _, docs = index_docs(built_site)
    for term in glossary["terms"]:
        doc = docs[f"glossary/#{term['id']}"]
        assert search.plain(doc["text"]) == " ".join(term["definition"].split())
        assert doc["names"] == search.name_words([term["term"], *term.get("also", [])])
    assert docs["glossary/#toyota-production-system"]["names"] == "toyota_ production_ system_ tps_"
    assert docs["glossary/#kanban"]["names"] == "kanban_"        # not its plural: one word counted once
    assert "authorizes" not in docs["glossary/#kanban"].get("body", "")  # the definition is searched once


def test_editor_pages_rank_below_reader_pages(built_site):
    _, docs = index_docs(built_site)
    for url in ("contributing/", "data/"):
        assert [doc.get("boost") for loc, doc in docs.items() if loc.startswith(url)] != []
        assert all(doc.get("boost", 1) < 0.01 for loc, doc in docs.items() if loc.startswith(url))


def test_the_index_splits_on_stop_words_and_connectors_and_has_the_hidden_fields(built_site):
    config, _ = index_docs(built_site)
    assert config["pipeline"] == []
    assert config["separator"] == search.separator()
    assert config["fields"]["names"] == config["fields"]["tags"]
    assert config["fields"]["body"] == config["fields"]["text"]


def test_every_page_searches_through_the_query_worker(built_site):
    for page in ("index.html", "concepts/lean/index.html", "404.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        found = re.search(r'"search":\s*"([^"]*)"', html).group(1)
        worker, _, material = found.partition("?material=")
        assert worker.endswith(search.QUERY_WORKER)
        assert (built_site / search.QUERY_WORKER).is_file()
        # Material's worker, relative to the query worker
        assert (built_site / Path(search.QUERY_WORKER).parent / material).resolve().is_file()


# --------------------------------------------------------------------------- the pieces


def tokens(text: str) -> list[str]:
    """Split as Material does (the separator is also valid Python regex syntax)."""
    return [t.lower() for t in re.split(search.separator(), text) if t]


@pytest.mark.parametrize(("typed", "expected"), [
    ("lean vs process improvement", ["lean", "process", "improvement"]),
    ("Lean vs. six sigma?", ["lean", "six", "sigma"]),
    ("What is the difference between OKRs and KPIs", ["okrs", "kpis"]),
    ("just-in-time", ["just", "time"]),
    ("S&amp;OP", ["op"]),                  # as the index has it; "S&OP" as typed is one word
    ("value stream mapping (VSM)", ["value", "stream", "mapping", "vsm"]),
    ("andon isn't vsm", ["andon", "isn", "vsm"]),
])
def test_the_separator_drops_stop_words_and_connectors_but_not_words_that_start_with_them(typed, expected):
    assert tokens(typed) == expected


def test_the_separator_keeps_decimal_numbers():
    assert tokens("3.4 defects") == ["3.4", "defects"]


def test_clip_cuts_at_a_sentence_end_within_the_limit():
    text = "First sentence is here. Then another runs on " + "and on " * 50
    shown, rest = search.clip(text.strip(), 8)
    assert shown == "First sentence is here."
    assert rest.startswith("Then another")
    shown, rest = search.clip("one two three four five six", 4)
    assert shown == "one two three four…" and rest == "five six"
    assert search.clip("short text", 4) == ("short text", "")


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["a", "Word.", "The", "x!", "Y?", "(z)", "3.4", "end.", '"Q', "ok", "é…"]),
                max_size=70), st.integers(min_value=1, max_value=45),
       st.lists(st.sampled_from([" ", " ", " ", "\n", "  ", " \t", "\u00a0"]), min_size=1, max_size=5))
def test_clip_shows_at_most_the_limit_and_loses_no_word(words, limit, spaces):
    # Words apart by single spaces (a folded snippet) or by any whitespace (a section's text).
    text = "".join(word + spaces[i % len(spaces)] for i, word in enumerate(words)).rstrip()
    shown, rest = search.clip(text, limit)
    if len(words) <= limit:
        assert (shown, rest) == (" ".join(words), "")
        return
    cut_mid_sentence = shown.endswith("…") and not search.fold(text).startswith(shown)
    shown_words = shown.removesuffix("…").split() if cut_mid_sentence else shown.split()
    assert limit // 2 <= len(shown_words) <= limit
    assert shown_words + rest.split() == words                        # every word once, in order
    assert shown == search.fold(shown)  # shown as one line, one space between words
    if not cut_mid_sentence:
        assert shown[-1] in ".!?" and rest[:1] in 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"\'('


def test_shape_doc_keeps_every_word_searchable_once():
    doc = {"location": "x/#y", "title": "Y", "text": "<p>" + " ".join(f"w{i}" for i in range(100)) + "</p>"}
    search.shape_doc(doc, None, [])
    assert words(doc["text"]) == search.SNIPPET_WORDS
    shown = search.plain(doc["text"]).replace("…", "").split()
    assert shown + doc["body"].split() == [f"w{i}" for i in range(100)]


def test_shape_doc_shows_folded_text_and_searches_the_rest_once_whatever_the_whitespace():
    """Material's section text keeps the page's line breaks, and a tag counts as a space. What is
    shown is folded; the body is searched as words (the separator splits on any whitespace), so it
    keeps its own, but loses no word and holds the snippet's words once."""
    many = "\n".join(f"<p>w{i}\t <em>x{i}</em></p>" for i in range(60))
    doc = search.shape_doc({"location": "p/#s", "title": "S", "text": many}, None, [])
    expected = [w for i in range(60) for w in (f"w{i}", f"x{i}")]
    shown = search.plain(doc["text"]).removesuffix("…").split()
    assert search.plain(doc["text"]) == search.fold(search.plain(doc["text"]))
    assert shown + doc["body"].split() == expected and len(shown) == search.SNIPPET_WORDS

    definition = "Lean is a way of   working\nthat removes waste."
    text = "<p>Intro first.</p>\n<p>Lean is a way\nof <strong>working</strong>\nthat removes waste.</p>\n<p>Then\n more.</p>"
    doc = search.shape_doc({"location": "lean/", "title": "Lean", "text": text}, definition, ["Lean"])
    assert search.plain(doc["text"]) == "Lean is a way of working that removes waste."
    assert doc["body"].split() == ["Intro", "first.", "Then", "more."]  # the definition once, in `text`

    missing = "A definition the page does not repeat."  # every word of it searched in `text`, the page's in `body`
    doc = search.shape_doc({"location": "x/", "title": "X", "text": text}, missing, [])
    assert search.plain(doc["text"]) == missing
    assert doc["body"].split() == search.plain(text).split()


@pytest.mark.parametrize(("material", "expected"), [
    ("../../assets/javascripts/workers/search.0123abcd.min.js",
     "../../javascripts/search-worker.js?material=../assets/javascripts/workers/search.0123abcd.min.js"),
    ("assets/javascripts/workers/search.0123abcd.min.js",  # the home page: no folder to go up
     "javascripts/search-worker.js?material=../assets/javascripts/workers/search.0123abcd.min.js"),
    ("../assets/javascripts/search-elsewhere.js", "../assets/javascripts/search-elsewhere.js"),  # left as it is
])
def test_the_theme_names_the_query_worker_where_material_names_its_own(material, expected):
    """overrides/main.html's `config` block, over a stand-in for Material's base.html."""
    import jinja2

    base = '{% block config %}<script id="__config">{"search": "' + material + '"}</script>{% endblock %}'
    env = jinja2.Environment(loader=jinja2.ChoiceLoader([
        jinja2.DictLoader({"base.html": base}), jinja2.FileSystemLoader(str(ROOT / "overrides"))]))
    rendered = env.get_template("main.html").render()
    assert rendered == '<script id="__config">{"search": "' + expected + '"}</script>'


# --------------------------------------------------------------------------- the query worker, in Node

WORKER_HARNESS = """
const vm = require("vm"), fs = require("fs")
const [source, index, ...queries] = process.argv.slice(2)
let listener = null
const context = {URL, addEventListener: (type, fn) => { listener = fn }, importScripts: () => {},
                 self: {location: {href: "http://site/javascripts/search-worker.js?material=../m.js"}}}
vm.runInNewContext(fs.readFileSync(source, "utf8"), context)
listener({data: {type: 0, data: JSON.parse(fs.readFileSync(index, "utf8"))}})
const out = queries.map(query => { const message = {type: 2, data: query}; listener({data: message}); return message.data })
console.log(JSON.stringify(out))
"""

QUERY_REWRITES = [
    ("kpis", "kpi"),                       # plural folded to the word the index has
    ("processes", "process"),
    ("optimisation", "optim"),             # British spelling, then the shortest known form
    ("organisational", "organ"),
    ("standardised work", "standard work"),
    ("improvment", "improv"),              # a slip that folding already mends
    ("perfomance", "performanc"),          # an unknown word: the index's nearest, folded
    ("kaisen", "kaizen"),
    ("tme", "tme"),                        # too short to correct
    ("lean", "lean"),                      # known words are left as typed
    ("5s", "5s"),                          # digits are never folded
    ("+lean -sigma", "+lean -sigma"),      # lunr syntax is left alone
    ("5 whys", "5 whys"),                  # not folded to the stop word "why"
    ("lean vs process improvement", "lean process improv comparison"),  # a pair a comparison is named after
    ("six sigma versus lean", "six sigma lean comparison"),
    ("kpi vs okr", "kpi okr"),             # no comparison of these two: the entries, not comparisons
]


def node() -> str:
    path = shutil.which("node") or shutil.which("nodejs")
    if path is None:
        pytest.skip("Node.js not found (CI installs it for Lighthouse)")
    return path


def test_the_query_worker_rewrites_only_what_the_index_would_miss(built_site, tmp_path):
    harness = tmp_path / "harness.js"
    harness.write_text(WORKER_HARNESS, encoding="utf-8")
    result = subprocess.run(
        [node(), str(harness), str(ROOT / "docs" / search.QUERY_WORKER), str(built_site / "search" / "search_index.json"),
         *(q for q, _ in QUERY_REWRITES)], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert dict(zip([q for q, _ in QUERY_REWRITES], json.loads(result.stdout), strict=True)) == dict(QUERY_REWRITES)


def test_name_words_count_each_word_once():
    assert search.name_words(["Operation process", "operations process", "input-transformation-output process"]) == (
        "operation_ process_ input_ transformation_ output_")
    assert search.name_words(["just-in-time"]) == "just_ time_"


_NAME_PIECES = st.sampled_from([
    "lean", "Lean", "LEAN", "The", "the", "tHe", "of", "Of", "vs", "vs.", "v1.2", "a", "A", "s", "it's", "’s",
    "just", "in", "In", "_in_", "in_", "&amp;", "&", "&lt;", "-", " ", "  ", ".", "/", "(", ")", "—", "\n",
    "Kaizen", "muda", "S&OP", "x_", "été", "²", "Key", "OEE", "5S", "5.", "x.y", "#", "@", "don't", "e-mail",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_NAME_PIECES, max_size=8).map("".join))
def test_names_split_where_the_separator_splits(name):
    """name_words splits without compiling the separator; its words are the separator's split."""
    assert search._split(name) == [w for w in re.split(search.separator(), name) if w]


def test_stem_folds_the_endings_the_query_worker_folds():
    assert search.stem("management") == search.stem("managing") == "manag"
    assert search.stem("operations") == search.stem("operational") == "operat"
    assert search.stem("production") != search.stem("productivity")
    assert search.name_words(["Performance management", "managing performance"]) == "performance_ management_"
