"""Concept records: validate front matter against the schema, build the site model.

Pure Python with no MkDocs import, so it can be tested with plain data and reused by another
generator. Problems are collected (see `concept_files`), never raised one at a time.
The names other modules and tests import from here are re-exported from `concept_files` and
`concept_schema`, where they live.

Immutable values (records, schema parts, glossary entries, and in other modules problems, pairs,
works) are `typing.NamedTuple`s, not frozen dataclasses: a frozen dataclass compiles six methods
when its module is imported (about 0.6 ms each class on Python 3.11), which made importing the
hooks cost about 10 ms more on every build; a NamedTuple is also built faster. What needs a
mutable default, `__post_init__` or a cached property (`Model`, `Schema`, `Source`) stays a dataclass.
"""

# No `from __future__ import annotations` in the modules that define record types: typing.NamedTuple
# compiles each string annotation of its fields (a ForwardRef) at import, about a millisecond
# over the hook's named tuples; evaluated, the annotations cost less (Python 3.11 reads `X | None`).

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from concept_files import (
    ContentError,
    Document,
    Problem,
    Source,
    check_keys,
    decode,
    describe,
    is_text,
    is_text_list,
    load_yaml_file,
    parse_document,
    parse_yaml,
    suggest,
)
from concept_schema import RESERVED_CONCEPT_KEYS, Attribute, Kind, RelationType, Schema, parse_schema

__all__ = [
    "Attribute", "Comparison", "Concept", "ContentError", "Document", "Edge", "Glossary", "Kind", "Model", "Problem",
    "RelationType", "Schema", "Source", "Term", "build_model", "decode", "describe", "load_yaml_file",
    "parse_comparison", "parse_concept", "parse_document", "parse_glossary", "parse_schema", "parse_yaml",
    "slugify", "suggest",
]

# --------------------------------------------------------------------------- records


class Concept(NamedTuple):
    """One concept, described once, shown everywhere it appears."""

    slug: str
    name: str
    path: str
    aliases: tuple[str, ...]
    values: Mapping[str, str | tuple[str, ...]]  # only the attributes that apply to its kind
    relations: Mapping[str, tuple[str, ...]]
    kind: str | None = None  # a key of the schema's kinds (None when the schema has no kinds)
    references: tuple[str, ...] = ()  # keys in data/references.yml backing the record's claims
    proper_name: bool = False  # the name keeps its capitals mid-sentence ("applies Lean")

    @property
    def definition(self) -> str:
        return str(self.values.get("definition", ""))


class Comparison(NamedTuple):
    """A written comparison of two concepts."""

    slug: str
    path: str
    concepts: tuple[str, str]
    attributes: tuple[str, ...]
    summary: str


class Edge(NamedTuple):
    """A relation as seen from one concept's page."""

    label: str
    other: str
    relation: str
    outgoing: bool


def parse_concept(doc: Document, schema: Schema, slug: str) -> tuple[Concept | None, list[Problem]]:
    """Validate one concept record (the `concept:` mapping in a page's front matter)."""
    path, source = doc.path, doc.source
    problems: list[Problem] = []
    record = doc.meta.get("concept")
    if not isinstance(record, dict):
        return None, [Problem(path, f"expected a mapping of the concept's fields, got {describe(record)}",
                              source.line("concept"), "concept")]
    known = (*RESERVED_CONCEPT_KEYS, *schema.attribute_keys)
    check_keys(path, source, record, ("concept",), known, problems)

    def problem(key: Any, message: str, *sub: Any) -> None:
        problems.append(Problem(path, message, source.line("concept", key, *sub), str(key)))

    name = record.get("name")
    if not is_text(name):
        problem("name", f"expected text, got {describe(name)}: give the concept's name")
    aliases = record.get("aliases", [])
    if not is_text_list(aliases):
        problem("aliases", f"expected a list of text, got {describe(aliases)}: write it as 'aliases: [name, other name]'")
        aliases = []
    kind = _kind(schema, record, problem)
    values: dict[str, str | tuple[str, ...]] = {}
    for attribute in schema.attributes:
        raw = record.get(attribute.key)
        if attribute.type == "kind":
            if kind is not _UNKNOWN:
                values[attribute.key] = kind
            continue
        if attribute.applies_to is not None:
            if kind is _UNKNOWN and raw is None:
                continue  # whether it is missing depends on the kind, which has its own problem
            if kind is not _UNKNOWN and not attribute.applies(kind):
                if raw is not None:
                    problem(attribute.key, f"does not apply to {schema.kind(kind).noun} (kind: {kind}); "
                            f"'{attribute.key}' is only for {', '.join(attribute.applies_to)}: remove it")
                continue
        value = _attribute_value(attribute, raw, problem, kind)
        if value is not None:
            values[attribute.key] = value
    relations = _relations(record.get("relations", {}), schema, problem)
    references = record.get("references", [])
    if isinstance(references, str):
        references = [references]
    if not is_text_list(references):
        problem("references", f"expected a list of reference keys, got {describe(references)}")
        references = []
    proper = record.get("proper-name", False)
    if not isinstance(proper, bool):
        problem("proper-name", f"expected true or false, got {describe(proper)}")
    if problems:
        return None, problems
    return Concept(slug, name.strip(), path, tuple(a.strip() for a in aliases), values, relations,
                   kind, tuple(r.strip() for r in references), proper), []


_UNKNOWN = object()


def _kind(schema: Schema, record: dict, problem) -> Any:
    """The record's kind key; None when the schema has no kinds; _UNKNOWN when it is missing or wrong."""
    attribute = schema.kind_attribute
    if attribute is None:
        return None
    value = record.get(attribute.key)
    known = schema.kind_keys
    if value is None:
        problem(attribute.key, f"missing: add '{attribute.key}: ...', one of {', '.join(known)}")
    elif not is_text(value):
        problem(attribute.key, f"expected one of {', '.join(known)}, got {describe(value)}")
    elif value.strip() not in known:
        problem(attribute.key, f"unknown kind '{value.strip()}'{suggest(value.strip(), known, False)}: use one of "
                f"{', '.join(known)}")
    else:
        return value.strip()
    return _UNKNOWN


def _attribute_value(attribute: Attribute, value: Any, problem, kind: Any = None) -> str | tuple[str, ...] | None:
    key = attribute.key
    if value is None:
        applies = f"applies to kind '{kind}'; " if attribute.applies_to is not None and isinstance(kind, str) else ""
        problem(key, f"missing: add '{key}: ...' ({applies}{attribute.meaning})")
        return None
    if attribute.type in ("text", "kind"):
        if not is_text(value):
            problem(key, f"expected text, got {describe(value)}: write it as '{key}: \"...\"' "
                         f"({attribute.meaning})")
            return None
        return value.strip()
    if isinstance(value, str) and is_text(value):
        value = [value]
    if not is_text_list(value) or not value:
        problem(key, f"expected a list of text, got {describe(value)}: write it as '{key}: [first, second]'")
        return None
    items = tuple(v.strip() for v in value)
    if attribute.type == "choice":
        wrong = [v for v in items if v not in attribute.choices]
        for v in wrong:
            problem(key, f"'{v}' is not one of {', '.join(attribute.choices)}{suggest(v, attribute.choices, False)}")
        if wrong:
            return None
        if not attribute.multiple and len(items) > 1:
            problem(key, f"give one of {', '.join(attribute.choices)}, not {len(items)}")
            return None
    return items


def _relations(raw: Any, schema: Schema, problem) -> dict[str, tuple[str, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problem("relations", f"expected a mapping of relation type to concepts, got {describe(raw)}")
        return {}
    known = [r.key for r in schema.relations]
    relations: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        if key not in known:
            problem("relations", f"unknown relation type '{key}'{suggest(key, known)}", key)
            continue
        targets = [value] if isinstance(value, str) else value
        if not is_text_list(targets):
            problem("relations", f"'{key}' expects a list of concept slugs, got {describe(targets)}", key)
            continue
        relations[key] = tuple(t.strip() for t in targets)
    return relations


def parse_comparison(doc: Document, schema: Schema, slug: str) -> tuple[Comparison | None, list[Problem]]:
    """Validate one comparison's front matter (the `comparison:` mapping)."""
    path, source = doc.path, doc.source
    problems: list[Problem] = []
    record = doc.meta.get("comparison")
    if not isinstance(record, dict):
        return None, [Problem(path, f"expected a mapping with 'concepts' and 'summary', got {describe(record)}",
                              source.line("comparison"), "comparison")]
    check_keys(path, source, record, ("comparison",), ("concepts", "attributes", "summary"), problems)
    concepts = record.get("concepts")
    if not (is_text_list(concepts) and len(concepts) == 2):
        problems.append(Problem(path, f"expected a list of two concept slugs, got {describe(concepts)}",
                                source.line("comparison", "concepts"), "concepts"))
    attributes = record.get("attributes", list(schema.attribute_keys))
    if not is_text_list(attributes) or not attributes:
        problems.append(Problem(path, f"expected a list of attribute keys, got {describe(attributes)}",
                                source.line("comparison", "attributes"), "attributes"))
    else:
        for i, key in enumerate(attributes):
            if key not in schema.attribute_keys:
                problems.append(Problem(path, f"unknown attribute '{key}'{suggest(key, schema.attribute_keys)}",
                                        source.line("comparison", "attributes", i), "attributes"))
    summary = record.get("summary")
    if not is_text(summary):
        problems.append(Problem(path, f"expected text, got {describe(summary)}: add a one-sentence summary",
                                source.line("comparison", "summary"), "summary"))
    if problems:
        return None, problems
    kind = schema.kind_attribute
    if kind is not None:  # the Kind row is the first row of every table, listed or not
        attributes = [kind.key, *(a for a in attributes if a != kind.key)]
    return Comparison(slug, path, (concepts[0].strip(), concepts[1].strip()), tuple(attributes), summary.strip()), []


# --------------------------------------------------------------------------- glossary


class Category(NamedTuple):
    key: str
    label: str


class Term(NamedTuple):
    """A glossary entry: one definition, shown on /glossary/ and as a tooltip elsewhere."""

    id: str
    term: str
    also: tuple[str, ...]
    category: str
    definition: str

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.also)


class Glossary(NamedTuple):
    categories: tuple[Category, ...]
    terms: tuple[Term, ...]


def slugify(text: str) -> str:
    """Lowercase words joined by hyphens, as used for anchors."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def parse_glossary(path: str, source: Source) -> tuple[Glossary | None, list[Problem]]:
    """Validate the glossary file; every term, id and written form must be unique."""
    problems: list[Problem] = []
    data = source.data
    if not isinstance(data, dict):
        return None, [Problem(path, f"expected a mapping with 'categories' and 'terms', got {describe(data)}", 1)]
    check_keys(path, source, data, (), ("categories", "terms"), problems)
    categories = []
    for i, item in enumerate(data.get("categories") or []):
        if not (isinstance(item, dict) and is_text(item.get("key")) and is_text(item.get("label"))):
            problems.append(Problem(path, "each category needs text 'key' and 'label'",
                                    source.line("categories", i), "categories"))
            continue
        categories.append(Category(item["key"].strip(), item["label"].strip()))
    category_keys = [c.key for c in categories]
    raw_terms = data.get("terms")
    if not isinstance(raw_terms, list):
        problems.append(Problem(path, f"expected a list of terms, got {describe(raw_terms)}", source.line("terms"), "terms"))
        raw_terms = []
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw_terms):
        where = ("terms", i)
        if not isinstance(item, dict):
            problems.append(Problem(path, f"expected a mapping with term, category, definition; got {describe(item)}",
                                    source.line(*where), "terms"))
            continue
        check_keys(path, source, item, where, ("id", "term", "also", "category", "definition"), problems)
        bad = [f for f in ("term", "definition", "category") if not is_text(item.get(f))]
        also = item.get("also", [])
        if not is_text_list(also):
            bad.append("also")
        if bad:
            for f in bad:
                problems.append(Problem(path, f"expected text, got {describe(item.get(f))}: write the {f} as text "
                                        "in double quotes", source.line(*where, f), f))
            continue
        if item["category"] not in category_keys:
            problems.append(Problem(path, f"unknown category '{item['category']}'{suggest(item['category'], category_keys)}",
                                    source.line(*where, "category"), "category"))
        term_id = str(item.get("id") or slugify(item["term"]))
        entry = Term(term_id, item["term"].strip(), tuple(a.strip() for a in also), item["category"], item["definition"].strip())
        for form in (f"id:{entry.id}", *(f"form:{f.lower()}" for f in entry.forms)):
            if form in seen:
                what = form.split(":", 1)[1]
                problems.append(Problem(path, f"'{what}' is defined twice (also at line {seen[form]}): keep one entry",
                                        source.line(*where), "term"))
                break
            seen[form] = source.line(*where) or 0
        terms.append(entry)
    if problems:
        return None, problems
    return Glossary(tuple(categories), tuple(terms)), []


# --------------------------------------------------------------------------- the model


@dataclass
class Model:
    """Everything the site derives from the records, computed once per build."""

    schema: Schema
    concepts: dict[str, Concept]
    comparisons: list[Comparison]
    glossary: Glossary | None = None
    _edges: dict[str, list[Edge]] = field(default_factory=dict, repr=False)
    _by_concept: dict[str, list[Comparison]] = field(default_factory=dict, repr=False)
    _by_slug: dict[str, Comparison] = field(default_factory=dict, repr=False)
    # What renderers work out from the records and show on many pages (a table cell shows on the
    # concept's page and on every comparison and pair page of the concept): once per build.
    memo: dict[tuple, Any] = field(default_factory=dict, repr=False, compare=False)

    def remembered(self, key: tuple, make: Callable[[], Any]) -> Any:
        """`make()`, kept under `key` for the rest of the build (`key` must name all it depends on)."""
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = make()
        return found

    def __post_init__(self) -> None:
        self._edges = {slug: [] for slug in self.concepts}
        for concept in self.concepts.values():
            for key, targets in concept.relations.items():
                kind = self.schema.relation(key)
                for target in targets:
                    self._edges[concept.slug].append(Edge(kind.label, target, key, True))
                    self._edges[target].append(Edge(kind.inverse, concept.slug, key, False))
        self._by_slug = {c.slug: c for c in self.comparisons}
        self._by_concept = {slug: [] for slug in self.concepts}
        for comparison in self.comparisons:
            for slug in comparison.concepts:
                self._by_concept[slug].append(comparison)

    def edges(self, slug: str) -> list[Edge]:
        """Relations of a concept in both directions."""
        return self._edges[slug]

    def comparison(self, slug: str) -> Comparison:
        """The written comparison whose page is `<slug>.md`."""
        return self._by_slug[slug]

    def comparisons_of(self, slug: str) -> list[Comparison]:
        return self._by_concept[slug]

    def comparison_for(self, a: str, b: str) -> Comparison | None:
        """The written comparison of a pair, in either order."""
        return next((c for c in self._by_concept.get(a, []) if b in c.concepts and a != b), None)

    def related_comparisons(self, comparison: Comparison) -> list[Comparison]:
        """Other comparisons sharing a concept with this one, or tied to it by a relation."""
        near = set(comparison.concepts)
        for slug in comparison.concepts:
            near.update(edge.other for edge in self._edges[slug])
        found: dict[str, Comparison] = {}
        for slug in sorted(near):
            for other in self._by_concept[slug]:
                if other.slug != comparison.slug:
                    found[other.slug] = other
        return sorted(found.values(), key=lambda c: c.slug)


def build_model(
    schema: Schema,
    concept_docs: list[tuple[str, Document]],
    comparison_docs: list[tuple[str, Document]],
    glossary: Glossary | None = None,
    unreadable: frozenset[str] = frozenset(),
) -> tuple[Model | None, list[Problem]]:
    """Validate every record and the links between them; a Model only if nothing is wrong.

    `unreadable` names concepts whose pages exist but could not be parsed (their own problems are
    already reported), so references to them are not reported again as unknown.
    """
    problems: list[Problem] = []
    concepts: dict[str, Concept] = {}
    names: dict[str, str] = {}
    for slug, doc in concept_docs:
        concept, found = parse_concept(doc, schema, slug)
        problems += found
        if concept is None:
            continue
        if slug in concepts:
            problems.append(Problem(doc.path, f"slug '{slug}' is already used by {concepts[slug].path}: rename one file",
                                    field="slug"))
            continue
        key = concept.name.casefold()
        if key in names:
            problems.append(Problem(doc.path, f"name '{concept.name}' is already used by {names[key]}: rename one",
                                    doc.source.line("concept", "name"), "name"))
            continue
        concepts[slug], names[key] = concept, doc.path
    known = sorted(concepts)
    # A concept whose page exists but is invalid has its own problems listed; references to it are not.
    broken = ({slug for slug, _ in concept_docs} | unreadable) - set(concepts)
    docs_by_slug = dict(concept_docs)
    for concept in concepts.values():
        doc = docs_by_slug[concept.slug]
        for key, targets in concept.relations.items():
            for target in targets:
                line = doc.source.line("concept", "relations", key)
                if target == concept.slug:
                    problems.append(Problem(concept.path, f"'{key}' points at the concept itself: remove it", line, "relations"))
                elif target not in concepts and target not in broken:
                    problems.append(Problem(concept.path, f"'{key}' names unknown concept '{target}'{suggest(target, known)}",
                                            line, "relations"))
    comparisons, pairs = [], {}
    for slug, doc in comparison_docs:
        comparison, found = parse_comparison(doc, schema, slug)
        problems += found
        if comparison is None:
            continue
        if broken & set(comparison.concepts):
            continue
        found = _check_comparison(comparison, doc, concepts, pairs)
        problems += found
        if not found:
            comparisons.append(comparison)
    if problems or broken:
        return None, problems
    return Model(schema, concepts, sorted(comparisons, key=lambda c: c.slug), glossary), []


def _check_comparison(comparison: Comparison, doc: Document, concepts, pairs) -> list[Problem]:
    path, line = comparison.path, doc.source.line("comparison", "concepts")
    a, b = comparison.concepts
    problems = [
        Problem(path, f"unknown concept '{slug}'{suggest(slug, concepts)}", line, "concepts")
        for slug in (a, b) if slug not in concepts
    ]
    if a == b:
        problems.append(Problem(path, f"compares '{a}' with itself: name two different concepts", line, "concepts"))
    if problems:
        return problems
    pair = frozenset((a, b))
    if pair in pairs:
        return [Problem(path, f"'{a}' and '{b}' are already compared in {pairs[pair]}: keep one page", line, "concepts")]
    pairs[pair] = path
    expected = f"{a}-vs-{b}"
    if comparison.slug != expected:
        return [Problem(path, f"the file name does not match the concepts: rename the file to '{expected}.md' "
                        f"or fix 'concepts'", line, "concepts")]
    return []
