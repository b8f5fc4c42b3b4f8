"""Concept records: parse front matter, validate it against the schema, build the site model.

Pure Python with no MkDocs import, so it can be tested with plain data and reused by another
generator. Every content problem becomes a `Problem` (one line naming the file, the line where
YAML gives one, the field, what is wrong and what to do); problems are collected, never raised
one at a time, and `ContentError` carries all of them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

RESERVED_CONCEPT_KEYS = ("name", "aliases", "relations")
ATTRIBUTE_TYPES = ("text", "list", "choice")
MAX_DEPTH = 20
_FRONT_MATTER_OPEN = re.compile(r"\A---[ \t]*\r?\n")
_FRONT_MATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_SLUG_OK = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Path = tuple[Any, ...]
# libyaml's parser when PyYAML was built with it (several times faster); same nodes, same marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, worded for the person who will fix it."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"field '{self.field}': {self.message}" if self.field else self.message
        return _one_line(f"{where}: {what}")


_LINE_BREAKING = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def _one_line(text: str) -> str:
    """Show control characters and line breaks from content as escapes, so a problem stays one line."""
    return _LINE_BREAKING.sub(lambda m: repr(m.group())[1:-1], text)


class ContentError(Exception):
    """All the problems found in the content, to be reported together."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def suggest(word: str, known: Iterable[str], list_known: bool = True) -> str:
    """A ' (did you mean ...?)' hint; when nothing is close, the known values (unless the message lists them)."""
    known = sorted(set(known))
    close = difflib.get_close_matches(str(word), known, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (known: {', '.join(known)})" if known and list_known else ""


def describe(value: Any) -> str:
    """Name a YAML value's kind the way an editor would say it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


# --------------------------------------------------------------------------- YAML with lines


@dataclass
class Source:
    """A parsed YAML document and the line of every key in it (1-based, in the file)."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, *path: Any) -> int | None:
        """The line of the deepest known prefix of `path`."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


class _YamlShapeError(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def parse_yaml(text: str, first_line: int = 1) -> Source:
    """Parse YAML safely, keeping line numbers; raises yaml.YAMLError or _YamlShapeError."""
    node = yaml.compose(text, Loader=_LOADER)
    source = Source(None)
    if node is None:
        return source
    constructor = yaml.constructor.SafeConstructor()
    source.data = _to_python(node, (), source.lines, constructor, first_line, set())
    return source


def _to_python(node, path, lines, constructor, offset, active) -> Any:
    line = node.start_mark.line + offset
    lines.setdefault(path, line)
    if len(path) > MAX_DEPTH or id(node) in active:
        raise _YamlShapeError("nested too deeply (or refers to itself): simplify it", line)
    if isinstance(node, yaml.ScalarNode):
        return constructor.construct_object(node, deep=True)
    active = active | {id(node)}
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(item, (*path, i), lines, constructor, offset, active)
            for i, item in enumerate(node.value)
        ]
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + offset
        if not isinstance(key_node, yaml.ScalarNode):
            raise _YamlShapeError("a key must be plain text, not a list or mapping", key_line)
        key = constructor.construct_object(key_node)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            key = str(key)
        if key in result:
            raise _YamlShapeError(f"key '{key}' appears twice: keep one", key_line)
        lines[(*path, key)] = key_line
        result[key] = _to_python(value_node, (*path, key), lines, constructor, offset, active)
    return result


def load_yaml_file(path: str, raw: bytes) -> tuple[Source | None, list[Problem]]:
    """Decode and parse a whole YAML data file."""
    text, problems = decode(path, raw)
    if text is None:
        return None, problems
    return _parse_or_problem(path, text, 1)


def _parse_or_problem(path: str, text: str, first_line: int) -> tuple[Source | None, list[Problem]]:
    try:
        return parse_yaml(text, first_line), []
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + first_line if mark else None
        reason = err.problem or err.context or "invalid YAML"
        return None, [Problem(path, f"invalid YAML: {reason}: fix the syntax", line=line)]
    except yaml.YAMLError as err:
        return None, [Problem(path, f"invalid YAML ({err}): fix the syntax")]
    except _YamlShapeError as err:
        return None, [Problem(path, f"invalid YAML: {err}", line=err.line)]
    except (RecursionError, ValueError, OverflowError, TypeError) as err:
        return None, [Problem(path, f"invalid YAML ({type(err).__name__}): simplify the value")]


def decode(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes to text, or a problem saying the file is not UTF-8."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        return None, [
            Problem(
                path,
                f"not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start}): "
                "save the file as UTF-8",
            )
        ]


@dataclass
class Document:
    """A Markdown page: its front matter (with lines) and its body."""

    path: str
    meta: dict[str, Any]
    source: Source
    body: str
    has_front_matter: bool


def parse_document(path: str, raw: bytes) -> tuple[Document | None, list[Problem]]:
    """Split a Markdown page into front matter and body, parsing the front matter strictly."""
    text, problems = decode(path, raw)
    if text is None:
        return None, problems
    opening = _FRONT_MATTER_OPEN.match(text)
    if not opening:
        return Document(path, {}, Source({}), text, False), []
    closing = _FRONT_MATTER_CLOSE.search(text, opening.end())
    if not closing:
        return None, [Problem(path, "front matter opened with '---' is never closed: add a '---' line after it", line=1)]
    yaml_text = text[opening.end() : closing.start()]
    source, problems = _parse_or_problem(path, yaml_text, 2)
    if source is None:
        return None, problems
    data = source.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Problem(path, f"front matter must be a mapping of 'key: value' lines, got {describe(data)}", line=2)]
    body = text[closing.end() :].lstrip("\r\n")
    return Document(path, data, source, body, True), []


# --------------------------------------------------------------------------- schema


@dataclass(frozen=True)
class Attribute:
    """One row of every comparison: a field every concept record fills."""

    key: str
    label: str
    meaning: str
    type: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelationType:
    """A typed link from one concept to another, shown on both pages."""

    key: str
    label: str
    inverse: str
    meaning: str


@dataclass(frozen=True)
class Schema:
    """The attributes and relation types shared by every concept."""

    version: int
    attributes: tuple[Attribute, ...]
    relations: tuple[RelationType, ...]

    @property
    def attribute_keys(self) -> tuple[str, ...]:
        return tuple(a.key for a in self.attributes)

    def attribute(self, key: str) -> Attribute:
        return next(a for a in self.attributes if a.key == key)

    def relation(self, key: str) -> RelationType:
        return next(r for r in self.relations if r.key == key)


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _list_of_text(value: Any) -> bool:
    return isinstance(value, list) and all(_text(v) for v in value)


def _check_keys(path, source, data, where, known, problems, prefix="") -> None:
    for key in data:
        if key not in known:
            problems.append(
                Problem(path, f"unknown field{suggest(key, known)}: remove or rename it",
                        source.line(*where, key), f"{prefix}{key}")
            )


def parse_schema(path: str, source: Source) -> tuple[Schema | None, list[Problem]]:
    """Validate the schema file and build a Schema."""
    problems: list[Problem] = []
    data = source.data
    if not isinstance(data, dict):
        return None, [Problem(path, f"expected a mapping with 'attributes' and 'relations', got {describe(data)}", 1)]
    _check_keys(path, source, data, (), ("version", "attributes", "relations"), problems)
    attributes: list[Attribute] = []
    raw_attributes = data.get("attributes")
    if not isinstance(raw_attributes, list) or not raw_attributes:
        problems.append(Problem(path, f"expected a list of attributes, got {describe(raw_attributes)}",
                                source.line("attributes"), "attributes"))
        raw_attributes = []
    for i, item in enumerate(raw_attributes):
        attribute = _parse_attribute(path, source, i, item, problems)
        if attribute and any(a.key == attribute.key for a in attributes):
            problems.append(Problem(path, f"attribute '{attribute.key}' is defined twice: keep one",
                                    source.line("attributes", i), "key"))
        elif attribute:
            attributes.append(attribute)
    relations: list[RelationType] = []
    raw_relations = data.get("relations", [])
    if not isinstance(raw_relations, list):
        problems.append(Problem(path, f"expected a list of relation types, got {describe(raw_relations)}",
                                source.line("relations"), "relations"))
        raw_relations = []
    for i, item in enumerate(raw_relations):
        where = ("relations", i)
        fields = ("key", "label", "inverse", "meaning")
        if not isinstance(item, dict) or not all(_text(item.get(f)) for f in fields):
            problems.append(Problem(path, "each relation type needs text 'key', 'label', 'inverse' and 'meaning'",
                                    source.line(*where), "relations"))
            continue
        _check_keys(path, source, item, where, fields, problems)
        if any(r.key == item["key"] for r in relations):
            problems.append(Problem(path, f"relation type '{item['key']}' is defined twice: keep one",
                                    source.line(*where), "key"))
            continue
        relations.append(RelationType(*(item[f].strip() for f in fields)))
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool):
        problems.append(Problem(path, f"expected a whole number, got {describe(version)}", source.line("version"), "version"))
        version = 1
    if problems:
        return None, problems
    return Schema(version, tuple(attributes), tuple(relations)), []


def _parse_attribute(path, source, i, item, problems) -> Attribute | None:
    where = ("attributes", i)
    if not isinstance(item, dict):
        problems.append(Problem(path, f"expected a mapping with key, label, meaning, type; got {describe(item)}",
                                source.line(*where), "attributes"))
        return None
    _check_keys(path, source, item, where, ("key", "label", "meaning", "type", "choices"), problems)
    missing = [f for f in ("key", "label", "meaning") if not _text(item.get(f))]
    if missing:
        problems.append(Problem(path, f"attribute needs text for {', '.join(missing)}", source.line(*where), "attributes"))
        return None
    key = item["key"].strip()
    if not _SLUG_OK.match(key) or key in RESERVED_CONCEPT_KEYS:
        problems.append(Problem(path, f"key '{key}' must be lowercase words joined by hyphens and not one of "
                                f"{', '.join(RESERVED_CONCEPT_KEYS)}", source.line(*where, "key"), "key"))
        return None
    kind = item.get("type", "text")
    if kind not in ATTRIBUTE_TYPES:
        problems.append(Problem(path, f"unknown type '{kind}'{suggest(kind, ATTRIBUTE_TYPES)}",
                                source.line(*where, "type"), "type"))
        return None
    choices = item.get("choices", [])
    if kind == "choice" and (not _list_of_text(choices) or not choices):
        problems.append(Problem(path, "a 'choice' attribute needs a list of 'choices'", source.line(*where), "choices"))
        return None
    return Attribute(key, item["label"].strip(), item["meaning"].strip(), kind, tuple(choices))


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Concept:
    """One concept, described once, shown everywhere it appears."""

    slug: str
    name: str
    path: str
    aliases: tuple[str, ...]
    values: Mapping[str, str | tuple[str, ...]]
    relations: Mapping[str, tuple[str, ...]]

    @property
    def definition(self) -> str:
        return str(self.values.get("definition", ""))


@dataclass(frozen=True)
class Comparison:
    """A written comparison of two concepts."""

    slug: str
    path: str
    concepts: tuple[str, str]
    attributes: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class Edge:
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
    _check_keys(path, source, record, ("concept",), known, problems)

    def problem(key: Any, message: str, *sub: Any) -> None:
        problems.append(Problem(path, message, source.line("concept", key, *sub), str(key)))

    name = record.get("name")
    if not _text(name):
        problem("name", f"expected text, got {describe(name)}: give the concept's name")
    aliases = record.get("aliases", [])
    if not _list_of_text(aliases):
        problem("aliases", f"expected a list of text, got {describe(aliases)}")
        aliases = []
    values: dict[str, str | tuple[str, ...]] = {}
    for attribute in schema.attributes:
        value = _attribute_value(attribute, record.get(attribute.key), problem)
        if value is not None:
            values[attribute.key] = value
    relations = _relations(record.get("relations", {}), schema, problem)
    if problems:
        return None, problems
    return Concept(slug, name.strip(), path, tuple(a.strip() for a in aliases), values, relations), []


def _attribute_value(attribute: Attribute, value: Any, problem) -> str | tuple[str, ...] | None:
    key = attribute.key
    if value is None:
        problem(key, f"missing: add '{key}: ...' ({attribute.meaning})")
        return None
    if attribute.type == "text":
        if not _text(value):
            problem(key, f"expected text, got {describe(value)}")
            return None
        return value.strip()
    if isinstance(value, str) and _text(value):
        value = [value]
    if not _list_of_text(value) or not value:
        problem(key, f"expected a list of text, got {describe(value)}")
        return None
    items = tuple(v.strip() for v in value)
    if attribute.type == "choice":
        wrong = [v for v in items if v not in attribute.choices]
        for v in wrong:
            problem(key, f"'{v}' is not one of {', '.join(attribute.choices)}{suggest(v, attribute.choices, False)}")
        if wrong:
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
        if not _list_of_text(targets):
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
    _check_keys(path, source, record, ("comparison",), ("concepts", "attributes", "summary"), problems)
    concepts = record.get("concepts")
    if not (_list_of_text(concepts) and len(concepts) == 2):
        problems.append(Problem(path, f"expected a list of two concept slugs, got {describe(concepts)}",
                                source.line("comparison", "concepts"), "concepts"))
    attributes = record.get("attributes", list(schema.attribute_keys))
    if not _list_of_text(attributes) or not attributes:
        problems.append(Problem(path, f"expected a list of attribute keys, got {describe(attributes)}",
                                source.line("comparison", "attributes"), "attributes"))
    else:
        for i, key in enumerate(attributes):
            if key not in schema.attribute_keys:
                problems.append(Problem(path, f"unknown attribute '{key}'{suggest(key, schema.attribute_keys)}",
                                        source.line("comparison", "attributes", i), "attributes"))
    summary = record.get("summary")
    if not _text(summary):
        problems.append(Problem(path, f"expected text, got {describe(summary)}: add a one-sentence summary",
                                source.line("comparison", "summary"), "summary"))
    if problems:
        return None, problems
    return Comparison(slug, path, (concepts[0].strip(), concepts[1].strip()), tuple(attributes), summary.strip()), []


# --------------------------------------------------------------------------- glossary


@dataclass(frozen=True)
class Category:
    key: str
    label: str


@dataclass(frozen=True)
class Term:
    """A glossary entry: one definition, shown on /glossary/ and as a tooltip elsewhere."""

    id: str
    term: str
    also: tuple[str, ...]
    category: str
    definition: str

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.also)


@dataclass(frozen=True)
class Glossary:
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
    _check_keys(path, source, data, (), ("categories", "terms"), problems)
    categories = []
    for i, item in enumerate(data.get("categories") or []):
        if not (isinstance(item, dict) and _text(item.get("key")) and _text(item.get("label"))):
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
        _check_keys(path, source, item, where, ("id", "term", "also", "category", "definition"), problems)
        bad = [f for f in ("term", "definition", "category") if not _text(item.get(f))]
        also = item.get("also", [])
        if not _list_of_text(also):
            bad.append("also")
        if bad:
            for f in bad:
                problems.append(Problem(path, f"expected text, got {describe(item.get(f))}", source.line(*where, f), f))
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
