"""records_json: the versioned JSON document of every record, built from plain data (no MkDocs)."""

from __future__ import annotations

import json

import pytest

from concept_records import build_model, parse_document, parse_schema, parse_yaml
from concept_render import RECORDS_FORMAT, RECORDS_VERSION, comparison_title, format_value, records_json

SCHEMA = """\
version: 3
attributes:
  - key: definition
    label: Definition
    meaning: What it is.
    type: text
  - key: key-measures
    label: Key measures
    meaning: The figures used.
    type: list
  - key: direction
    label: Who drives it
    meaning: Where it comes from.
    type: choice
    choices: [top-down, bottom-up, cross-functional]
relations:
  - key: part-of
    label: Part of
    inverse: Includes
    meaning: One component of a wider one.
  - key: applies
    label: Applies
    inverse: Applied by
    meaning: Uses the other.
"""

CONCEPTS = {
    "zeta": """\
---
concept:
  name: Zeta <b>bold</b> & "quoted"
  aliases: [Z, Zéta]
  definition: "Zeta is   the last
    concept."
  key-measures: [lead time, OEE]
  direction: [top-down, bottom-up]
  relations:
    part-of: [alpha]
    applies: [mid]
---
Body.
""",
    "alpha": """\
---
concept:
  name: Alpha
  definition: Alpha comes first.
  key-measures: cycle time
  direction: cross-functional
---
""",
    "mid": """\
---
concept:
  name: KPI management
  definition: "Uses | pipes and *stars*."
  key-measures: [KPI attainment]
  direction: [bottom-up]
---
""",
}

COMPARISONS = {
    "zeta-vs-alpha": """\
---
comparison:
  concepts: [zeta, alpha]
  attributes: [direction, definition]
  summary: Zeta and alpha differ.
---
""",
    "alpha-vs-mid": """\
---
comparison:
  concepts: [alpha, mid]
  summary: Alpha and mid differ.
---
""",
}


@pytest.fixture(scope="module")
def model():
    schema, problems = parse_schema("schema.yml", parse_yaml(SCHEMA))
    assert problems == [] and schema is not None

    def docs(sources, folder):
        out = []
        for slug, text in sources.items():
            doc, found = parse_document(f"docs/{folder}/{slug}.md", text.encode("utf-8"))
            assert found == [] and doc is not None
            out.append((slug, doc))
        return out

    built, problems = build_model(schema, docs(CONCEPTS, "concepts"), docs(COMPARISONS, "compare"))
    assert problems == [], [str(p) for p in problems]
    return built


@pytest.fixture(scope="module")
def data(model):
    text = records_json(model, lambda slug: f"concepts/{slug}/", lambda slug: f"compare/{slug}/")
    assert text.endswith("\n")
    return json.loads(text)


def test_header_names_format_and_versions(data):
    assert data["format"] == RECORDS_FORMAT == "concept-records"
    assert data["version"] == RECORDS_VERSION == 2
    assert isinstance(data["version"], int)
    assert data["schema_version"] == 3
    assert list(data) == ["format", "version", "schema_version", "kinds", "attributes", "relation_types",
                          "concepts", "comparisons"]


def test_attributes_in_schema_order_with_every_field(data):
    assert data["attributes"] == [
        {"key": "definition", "label": "Definition", "meaning": "What it is.", "type": "text", "choices": [],
         "multiple": True, "applies_to": [], "not_applicable": None},
        {"key": "key-measures", "label": "Key measures", "meaning": "The figures used.", "type": "list",
         "choices": [], "multiple": True, "applies_to": [], "not_applicable": None},
        {"key": "direction", "label": "Who drives it", "meaning": "Where it comes from.", "type": "choice",
         "choices": ["top-down", "bottom-up", "cross-functional"], "multiple": True, "applies_to": [],
         "not_applicable": None},
    ]
    assert data["kinds"] == []  # a schema without kinds: every attribute applies to every record


def test_relation_types(data):
    assert data["relation_types"] == [
        {"key": "part-of", "label": "Part of", "inverse": "Includes", "meaning": "One component of a wider one."},
        {"key": "applies", "label": "Applies", "inverse": "Applied by", "meaning": "Uses the other."},
    ]


def test_concepts_sorted_by_slug_with_urls_from_the_caller(data):
    assert [c["slug"] for c in data["concepts"]] == ["alpha", "mid", "zeta"]
    for concept in data["concepts"]:
        assert concept["url"] == f"concepts/{concept['slug']}/"
        assert set(concept) == {"slug", "name", "url", "aliases", "kind", "values", "display", "relations", "references"}
        assert concept["references"] == []  # no bibliography given
        assert concept["kind"] is None


def test_values_keep_their_types_and_display_matches_the_tables(data, model):
    by_slug = {c["slug"]: c for c in data["concepts"]}
    zeta, alpha = by_slug["zeta"], by_slug["alpha"]
    assert zeta["values"] == {
        "definition": "Zeta is   the last concept.",  # as written: only the tables fold spaces
        "key-measures": ["lead time", "OEE"],
        "direction": ["top-down", "bottom-up"],
    }
    # A single value for a list or choice attribute is still a list in the data.
    assert alpha["values"]["key-measures"] == ["cycle time"]
    assert alpha["values"]["direction"] == ["cross-functional"]
    assert zeta["display"] == {
        "definition": "Zeta is   the last concept.",
        "key-measures": "lead time; OEE",
        "direction": "Top-down, bottom-up",
    }
    for concept in data["concepts"]:
        assert list(concept["values"]) == list(concept["display"]) == [a["key"] for a in data["attributes"]]
        record = model.concepts[concept["slug"]]
        for attribute in model.schema.attributes:
            assert concept["display"][attribute.key] == format_value(attribute, record.values[attribute.key])


def test_record_text_stays_literal_not_escaped(data):
    """JSON carries the text itself: no HTML or Markdown escaping (readers insert it as text)."""
    by_slug = {c["slug"]: c for c in data["concepts"]}
    assert by_slug["zeta"]["name"] == 'Zeta <b>bold</b> & "quoted"'
    assert by_slug["mid"]["values"]["definition"] == "Uses | pipes and *stars*."
    assert by_slug["zeta"]["aliases"] == ["Z", "Zéta"]
    assert by_slug["alpha"]["aliases"] == []


def test_relations_are_outgoing_only(data):
    by_slug = {c["slug"]: c for c in data["concepts"]}
    assert by_slug["zeta"]["relations"] == {"part-of": ["alpha"], "applies": ["mid"]}
    assert by_slug["alpha"]["relations"] == {}
    assert by_slug["mid"]["relations"] == {}


def test_comparisons_keep_page_order_and_attributes(data, model):
    assert data["comparisons"] == [
        {
            "slug": "alpha-vs-mid",
            "title": "Alpha vs KPI management",
            "url": "compare/alpha-vs-mid/",
            "concepts": ["alpha", "mid"],
            "attributes": ["definition", "key-measures", "direction"],
            "summary": "Alpha and mid differ.",
        },
        {
            "slug": "zeta-vs-alpha",
            "title": comparison_title(model, model.comparison_for("alpha", "zeta")),
            "url": "compare/zeta-vs-alpha/",
            "concepts": ["zeta", "alpha"],
            "attributes": ["direction", "definition"],
            "summary": "Zeta and alpha differ.",
        },
    ]
    assert data["comparisons"][1]["title"].startswith("Zeta <b>bold</b>")


def test_every_reference_resolves(data):
    slugs = {c["slug"] for c in data["concepts"]}
    attribute_keys = {a["key"] for a in data["attributes"]}
    relation_keys = {r["key"] for r in data["relation_types"]}
    for concept in data["concepts"]:
        assert set(concept["relations"]) <= relation_keys
        assert all(set(targets) <= slugs for targets in concept["relations"].values())
    for comparison in data["comparisons"]:
        assert set(comparison["concepts"]) <= slugs and len(set(comparison["concepts"])) == 2
        assert set(comparison["attributes"]) <= attribute_keys


def test_output_is_stable_and_unicode_kept(model):
    first = records_json(model, lambda s: s, lambda s: s)
    assert first == records_json(model, lambda s: s, lambda s: s)
    assert "\\u" not in first and "Zéta" in first


def test_each_record_is_one_line_so_a_change_to_a_record_is_a_one_line_diff(model):
    text = records_json(model, lambda slug: f"concepts/{slug}/", lambda slug: f"compare/{slug}/")
    data = json.loads(text)
    lines = text.splitlines()
    for item in data["concepts"] + data["comparisons"]:
        [line] = [ln for ln in lines if ln.lstrip().startswith('{"slug": ' + json.dumps(item["slug"]))]
        assert json.loads(line.strip().rstrip(",")) == item
    assert lines[0] == "{" and lines[-1] == "}"
    assert '"format": "concept-records"' in lines[1]
