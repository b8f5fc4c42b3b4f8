"""Plain-data builders for unit tests: a small schema, concepts and comparisons, no files."""

from __future__ import annotations

import textwrap

from concept_records import Document, Schema, Source, parse_document, parse_schema

SCHEMA_YAML = """\
version: 1
attributes:
  - {key: definition, label: Definition, meaning: What it is., type: text}
  - {key: scope, label: Scope, meaning: How far it reaches., type: text}
  - {key: key-measures, label: Key measures, meaning: Figures used., type: list}
  - {key: direction, label: Who drives it, meaning: Where it starts., type: choice, choices: [top-down, bottom-up]}
relations:
  - {key: part-of, label: Part of, inverse: Includes, meaning: One component of a wider one.}
  - {key: applies, label: Applies, inverse: Applied by, meaning: Uses the other.}
"""


def schema() -> Schema:
    from concept_records import parse_yaml

    result, problems = parse_schema("data/schema.yml", parse_yaml(SCHEMA_YAML))
    assert not problems, problems
    return result


def concept_text(name: str, relations: str = "", **overrides: str) -> str:
    """A valid concept page; `overrides` replace whole YAML lines by key."""
    fields = {
        "name": name,
        "definition": f"{name} is a thing.",
        "scope": f"All of {name}.",
        "key-measures": "[cycle time, throughput]",
        "direction": "[top-down]",
    }
    fields.update(overrides)
    lines = [f"  {k}: {v}" for k, v in fields.items() if v is not None]
    if relations:
        lines.append("  relations:\n" + textwrap.indent(relations, "    "))
    return "---\nconcept:\n" + "\n".join(lines) + "\n---\n\nBody.\n"


def doc(path: str, text: str) -> Document:
    result, problems = parse_document(path, text.encode("utf-8"))
    assert result is not None, problems
    return result


def comparison_text(a: str, b: str, extra: str = "") -> str:
    return f"---\ncomparison:\n  concepts: [{a}, {b}]\n  summary: {a} differs from {b}.\n{extra}---\n\nBody.\n"


__all__ = ["Source", "comparison_text", "concept_text", "doc", "schema"]
