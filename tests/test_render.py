"""Unit tests on rendering records to Markdown and SVG, with plain data."""

from __future__ import annotations

import re

import markdown
import pytest

from concept_records import build_model
from concept_render import (
    abbreviations,
    attribute_table,
    comparison_title,
    concept_map_svg,
    md_text,
)
from records_data import comparison_text, concept_text, doc, schema

EXTENSIONS = ["tables", "attr_list", "md_in_html", "abbr"]


def small_model(**overrides):
    pairs = [("lean", concept_text("Lean", **overrides)), ("ops", concept_text("Operations management"))]
    model, problems = build_model(
        schema(),
        [(slug, doc(f"docs/concepts/{slug}.md", text)) for slug, text in pairs],
        [("lean-vs-ops", doc("docs/compare/lean-vs-ops.md", comparison_text("lean", "ops")))],
    )
    assert problems == [], problems
    return model


def to_html(md: str) -> str:
    return markdown.markdown(md, extensions=EXTENSIONS)


@pytest.mark.parametrize("value", [
    "<script>alert(1)</script>",
    "**bold** and _under_ and `code`",
    "[link](http://x.example) ![img](y.png)",
    "a | b | c",
    "&amp; and &lt;",
    "{ .class } :emoji: ==mark== ~~del~~",
])
def test_markup_in_a_value_renders_as_the_literal_text(value):
    html = to_html(md_text(value))
    assert "<script" not in html and "<strong" not in html and "<a " not in html and "<code" not in html
    import html as html_lib
    import re
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", html))
    assert text == value


def test_a_pipe_in_a_value_keeps_the_column_count():
    model = small_model(scope="'left | middle | right'")
    html = to_html(attribute_table(model, ("lean", "ops"), model.schema.attribute_keys, lambda s: f"{s}.md"))
    rows = html.split("<tr>")[1:]
    assert len(rows) == 1 + len(model.schema.attributes)
    assert all(row.count("<td") + row.count("<th") == 3 for row in rows)
    import html as html_lib

    assert "left | middle | right" in html_lib.unescape(html)


def test_table_has_a_column_per_concept_and_an_anchor_per_row():
    model = small_model()
    html = to_html(attribute_table(model, ("lean", "ops"), ("scope", "definition"), lambda s: f"../concepts/{s}.md"))
    assert '<a href="../concepts/lean.md">Lean</a>' in html
    assert html.index('id="scope"') < html.index('id="definition"')
    assert 'href="#scope"' in html


def test_title_keeps_acronyms_and_lowercases_second_name():
    model = small_model()
    assert comparison_title(model, model.comparisons[0]) == "Lean vs operations management"


def test_abbreviations_cover_case_variants_and_render_as_abbr():
    from concept_records import Glossary, Term

    glossary = Glossary((), (Term("vsm", "value stream mapping", ("VSM",), "lean", "Drawing the flow."),))
    html = markdown.markdown("Value stream mapping and VSM, not vsmx.", extensions=["abbr"],
                             extension_configs={"abbr": {"glossary": abbreviations(glossary)}})
    assert html.count('<abbr title="Drawing the flow.">') == 2


def test_concept_map_links_every_concept_once():
    model = small_model()
    svg = concept_map_svg(model, lambda s: f"concepts/{s}/")
    assert svg.count('<a href="concepts/') == len(model.concepts)
    assert svg.count('class="map-compare"') == len(model.comparisons)
    assert "<title" in svg


def test_a_compared_pair_that_is_also_related_is_one_coloured_arrow_linking_to_the_comparison():
    model = small_model(relations="part-of: [ops]")
    svg = concept_map_svg(model, lambda s: f"concepts/{s}/", compare_href=lambda c: f"compare/{c}/")
    assert 'class="map-compare"' not in svg  # no second line over the arrow
    assert svg.count('class="map-relation map-compared"') == 1
    assert '<a href="compare/lean-vs-ops/" class="map-edge-link" aria-label="Comparison: Lean vs operations management">' in svg
    assert '<text class="map-edge-label"' in svg and ">part of</text>" in svg


def test_map_names_are_escaped():
    model = small_model()
    model.concepts["lean"] = model.concepts["lean"]._replace(name="<b>Lean</b>")
    svg = concept_map_svg(model, lambda s: f"concepts/{s}/")
    assert "<b>" not in svg and "&lt;b&gt;Lean&lt;/b&gt;" in svg


SENTENCE_SCHEMA = """\
kinds:
  - {key: discipline, label: Management discipline, noun: a management discipline, meaning: A field.}
  - {key: process, label: Process, noun: a process, meaning: Work., article: the}
attributes:
  - {key: kind, label: Kind, meaning: What it is., type: kind}
relations:
  - {key: part-of, label: Part of, inverse: Includes, phrase: is part of, meaning: A component.}
  - {key: kind-of, label: A kind of, inverse: Kinds, phrase: is a kind of, meaning: Narrower.}
  - {key: applies, label: Applies, inverse: Applied by, meaning: Uses.}
"""


def test_the_map_in_words_reads_as_sentences():
    from concept_records import parse_schema, parse_yaml
    from concept_render import concept_map

    schema, problems = parse_schema("data/schema.yml", parse_yaml(SENTENCE_SCHEMA))
    assert problems == []

    def page(name, kind, extra=""):
        return f"---\nconcept:\n  name: {name}\n  kind: {kind}\n{extra}---\n"

    pages = {
        "line-work": page("Line work", "process", "  relations:\n    part-of: [whole-flow]\n"),
        "whole-flow": page("Whole flow", "process"),
        "process-tuning": page("Process tuning", "discipline", "  relations:\n    kind-of: [process-care]\n"),
        "process-care": page("Process care", "discipline"),
        "six-sigma": page("Six Sigma", "discipline", "  proper-name: true\n"),
        "kpi-work": page("KPI work", "discipline"),
        "ops": page("Ops craft", "discipline", "  relations:\n    applies: [six-sigma, kpi-work, process-care]\n"
                    "    part-of: [process-care]\n"),
    }
    model, problems = build_model(schema, [(s, doc(f"docs/concepts/{s}.md", t)) for s, t in pages.items()], [])
    assert problems == [], [str(p) for p in problems]
    text = concept_map(model, lambda s: s, lambda s: s, lambda s: s)
    words = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text.split('"The map in words"', 1)[1])
    sentences = [line.strip()[2:] for line in words.splitlines() if line.strip().startswith("- ")]
    assert sentences[:-1] == [
        "The line work is part of the whole flow.",  # the process kind's article, the name in lower case
        "Process tuning is a kind of process care.",  # the relation's phrase from the schema
        "Ops craft applies Six Sigma, KPI work and process care, and is part of process care.",  # proper, acronym
    ]


def test_the_map_passes_through_markdown_as_raw_html():
    """The drawings are a raw HTML block: no tooltip lands inside SVG text, even for a concept named
    with a glossary term, and the figure comes out as Markdown used to make it (SVGs in one <p>)."""
    from concept_records import parse_schema, parse_yaml
    from concept_render import concept_map

    schema, problems = parse_schema("data/schema.yml", parse_yaml(SENTENCE_SCHEMA))
    assert problems == []
    pages = {"kaizen-work": "---\nconcept:\n  name: Kaizen work\n  kind: discipline\n"
                            "  relations:\n    part-of: [flow]\n---\n",
             "flow": "---\nconcept:\n  name: Flow\n  kind: process\n---\n"}
    model, problems = build_model(schema, [(s, doc(f"docs/concepts/{s}.md", t)) for s, t in pages.items()], [])
    assert problems == []
    text = concept_map(model, lambda s: s, lambda s: s, lambda s: s)
    assert " markdown" not in text.split('??? info "The map in words"')[0]
    md = markdown.Markdown(extensions=["abbr", "md_in_html", "pymdownx.details"],
                           extension_configs={"abbr": {"glossary": {"Kaizen": "Continuous improvement."}}})
    html = md.convert(f"Some kaizen.\n\n{text}\n")
    figure = html[html.index("<figure"):html.index("</figure>")]
    assert '<abbr title="Continuous improvement.">Kaizen</abbr>' not in figure and "Kaizen" in figure
    assert re.fullmatch(r'<figure class="concept-map-figure">\n<p><svg .*</svg><svg .*</svg></p>\n'
                        r"<figcaption>\n<p>Arrows are relations[^<]*</p>\n</figcaption>\n", figure, re.DOTALL)
