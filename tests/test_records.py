"""Unit tests on parsing, validation and the model, with plain data."""

from __future__ import annotations

from concept_records import build_model, parse_concept, parse_document, parse_glossary, parse_yaml
from records_data import comparison_text, concept_text, doc, schema


def concepts(*pairs):
    return [(slug, doc(f"docs/concepts/{slug}.md", text)) for slug, text in pairs]


def model_of(concept_pairs, comparison_pairs=()):
    comparisons = [(slug, doc(f"docs/compare/{slug}.md", text)) for slug, text in comparison_pairs]
    return build_model(schema(), concepts(*concept_pairs), comparisons)


BASIC = [
    ("lean", concept_text("Lean", "applies: [kaizen-work]")),
    ("kaizen-work", concept_text("Kaizen work")),
    ("ops", concept_text("Ops", "part-of: [org]\napplies: [lean]")),
    ("org", concept_text("Org")),
]


def test_front_matter_lines_are_file_lines():
    document = doc("x.md", "---\ntitle: T\nconcept:\n  name: N\n  scope: S\n---\nbody\n")
    assert document.source.line("concept", "scope") == 5
    assert document.source.line("concept", "name") == 4
    assert document.body == "body\n"


def test_page_without_front_matter_has_empty_meta():
    document = doc("x.md", "# Just prose\n")
    assert document.meta == {} and not document.has_front_matter


def test_a_valid_record_becomes_a_concept_with_typed_values():
    concept, problems = parse_concept(doc("docs/concepts/lean.md", concept_text("Lean")), schema(), "lean")
    assert problems == []
    assert concept.values["key-measures"] == ("cycle time", "throughput")
    assert concept.values["direction"] == ("top-down",)
    assert concept.definition == "Lean is a thing."


def test_wrong_type_names_line_and_field():
    text = concept_text("Lean", scope="[a, b]")
    concept, problems = parse_concept(doc("docs/concepts/lean.md", text), schema(), "lean")
    assert concept is None
    assert [str(p) for p in problems] == ["docs/concepts/lean.md:5: field 'scope': expected text, got a list: "
                                          "write it as 'scope: \"...\"' (How far it reaches.)"]


def test_choice_outside_the_schema_is_rejected_with_a_suggestion():
    text = concept_text("Lean", **{"direction": "[top-dwn]"})
    _, problems = parse_concept(doc("docs/concepts/lean.md", text), schema(), "lean")
    assert "did you mean 'top-down'?" in str(problems[0])


def test_all_problems_are_collected_not_just_the_first():
    text = concept_text("Lean", scope=None, definition="[x]", colour="red")
    _, problems = parse_concept(doc("docs/concepts/lean.md", text), schema(), "lean")
    fields = sorted(p.field for p in problems)
    assert fields == ["colour", "definition", "scope"]


def test_relations_show_in_both_directions():
    model, problems = model_of(BASIC)
    assert problems == []
    assert [(e.label, e.other) for e in model.edges("org")] == [("Includes", "ops")]
    assert {(e.label, e.other) for e in model.edges("lean")} == {("Applies", "kaizen-work"), ("Applied by", "ops")}


def test_related_comparisons_share_a_concept_or_a_relation():
    model, problems = model_of(
        BASIC,
        [("lean-vs-ops", comparison_text("lean", "ops")),
         ("kaizen-work-vs-org", comparison_text("kaizen-work", "org")),
         ("ops-vs-org", comparison_text("ops", "org"))],
    )
    assert problems == []
    by_slug = {c.slug: c for c in model.comparisons}
    related = {c.slug for c in model.related_comparisons(by_slug["lean-vs-ops"])}
    assert related == {"ops-vs-org", "kaizen-work-vs-org"}  # shares 'ops'; 'kaizen-work' is applied by lean
    assert model.comparison_for("ops", "lean").slug == "lean-vs-ops"
    assert model.comparison_for("lean", "lean") is None


def test_comparison_may_choose_and_order_attributes():
    model, problems = model_of(BASIC, [("lean-vs-ops", comparison_text("lean", "ops", "  attributes: [scope, definition]\n"))])
    assert problems == []
    assert model.comparisons[0].attributes == ("scope", "definition")


def test_duplicate_yaml_key_is_an_error_with_its_line():
    result, problems = parse_document("a.md", b"---\nconcept:\n  name: A\n  name: B\n---\n")
    assert result is None
    assert str(problems[0]) == "a.md:4: invalid YAML: key 'name' appears twice: keep one"


def test_glossary_terms_and_forms_must_be_unique():
    source = parse_yaml(
        "categories: [{key: lean, label: Lean}]\n"
        "terms:\n"
        "  - {term: muda, category: lean, definition: Waste.}\n"
        "  - {term: KPI, also: [Muda], category: lean, definition: A measure.}\n"
    )
    glossary, problems = parse_glossary("data/glossary.yml", source)
    assert glossary is None
    assert str(problems[0]).startswith("data/glossary.yml:4: field 'term': 'muda' is defined twice")


def test_parse_document_rejects_non_mapping_front_matter():
    result, problems = parse_document("a.md", b"---\n- a\n- b\n---\n")
    assert result is None and "must be a mapping" in str(problems[0])


def test_references_to_an_unreadable_concept_are_not_reported_again():
    """lean.md had a YAML error (reported by the parser); 'ops' applies it: no second problem, no model."""
    pairs = [p for p in BASIC if p[0] != "lean"]
    model, problems = build_model(schema(), concepts(*pairs), [], unreadable=frozenset({"lean"}))
    assert model is None
    assert problems == []
