"""The attribute schema (data/schema.yml): kinds of concept, attributes, relation types.

Pure Python with no MkDocs import. `parse_schema` validates the file and builds a `Schema`; every
problem is one line naming the file, the line, the field and the fix (see `concept_files`).

A schema may declare `kinds` (what sort of thing a concept is) and one attribute of type `kind`,
the first row of every table. An attribute with `applies-to` holds a value only for records of
those kinds; for any other kind its cell reads "Does not apply to <noun>: <not-applicable>".
"""

# Annotations evaluated at import, not strings: see the note in concept_records.py.

import functools
from dataclasses import dataclass
from typing import NamedTuple

from concept_files import SLUG_OK, Problem, Source, check_keys, describe, is_text, is_text_list, suggest

RESERVED_CONCEPT_KEYS = ("name", "aliases", "relations", "references", "proper-name")
ATTRIBUTE_TYPES = ("text", "list", "choice", "kind")
ATTRIBUTE_FIELDS = ("key", "label", "meaning", "type", "choices", "multiple", "applies-to", "not-applicable")
KIND_FIELDS = ("key", "label", "noun", "meaning")
RELATION_FIELDS = ("key", "label", "inverse", "meaning")
PAIR_PAGES_LIMIT = 1225  # `pair-pages: {every-pair-up-to: N}` when the schema does not say (50 concepts)


class Kind(NamedTuple):
    """What sort of thing a concept is: a discipline, a system, an approach, a process."""

    key: str
    label: str  # "Management discipline": the value shown in the Kind row
    noun: str  # "a management discipline": used in "Does not apply to <noun>"
    meaning: str
    article: str = ""  # "the": written before a concept's name inside a sentence ("manages the production process")


class Attribute(NamedTuple):
    """One row of every comparison: a field every concept record of the kinds it applies to fills."""

    key: str
    label: str
    meaning: str
    type: str
    choices: tuple[str, ...] = ()
    multiple: bool = True  # a choice attribute: may a record give more than one?
    applies_to: tuple[str, ...] | None = None  # kind keys; None: every kind
    not_applicable: str = ""  # why it does not apply to the other kinds

    def applies(self, kind: str | None) -> bool:
        """Does a record of this kind carry the field? (Unrestricted attributes apply to every kind.)"""
        return self.applies_to is None or kind in self.applies_to


class RelationType(NamedTuple):
    """A typed link from one concept to another, shown on both pages."""

    key: str
    label: str
    inverse: str
    meaning: str
    phrase: str = ""  # the verb phrase in a sentence ("is a kind of"); the label in lower case if not given

    @property
    def verb(self) -> str:
        return self.phrase or self.label.lower()


@dataclass(frozen=True)
class Schema:
    """The kinds, attributes and relation types shared by every concept."""

    version: int
    attributes: tuple[Attribute, ...]
    relations: tuple[RelationType, ...]
    kinds: tuple[Kind, ...] = ()
    every_pair_up_to: int = PAIR_PAGES_LIMIT  # more pairs than this: pages only for written or related pairs

    @functools.cached_property
    def attribute_keys(self) -> tuple[str, ...]:
        return tuple(a.key for a in self.attributes)

    @functools.cached_property
    def kind_keys(self) -> tuple[str, ...]:
        return tuple(k.key for k in self.kinds)

    @property
    def kind_attribute(self) -> Attribute | None:
        """The attribute of type `kind` (always the first), if the schema has kinds."""
        return next((a for a in self.attributes if a.type == "kind"), None)

    # Look-ups by key, built once (an attribute is asked for in every cell of every table).
    @functools.cached_property
    def _attributes_by_key(self) -> dict[str, Attribute]:
        return {a.key: a for a in self.attributes}

    @functools.cached_property
    def _relations_by_key(self) -> dict[str, RelationType]:
        return {r.key: r for r in self.relations}

    @functools.cached_property
    def _kinds_by_key(self) -> dict[str, Kind]:
        return {k.key: k for k in self.kinds}

    def attribute(self, key: str) -> Attribute:
        return self._attributes_by_key[key]

    def relation(self, key: str) -> RelationType:
        return self._relations_by_key[key]

    def kind(self, key: str) -> Kind:
        return self._kinds_by_key[key]

    def not_applicable(self, attribute: Attribute, kind: str) -> str:
        """The cell shown for a record of `kind` where `attribute` does not apply, the same everywhere."""
        return f"Does not apply to {self.kind(kind).noun}: {attribute.not_applicable}"


def parse_schema(path: str, source: Source) -> tuple[Schema | None, list[Problem]]:
    """Validate the schema file and build a Schema."""
    problems: list[Problem] = []
    data = source.data
    if not isinstance(data, dict):
        return None, [Problem(path, f"expected a mapping with 'attributes' and 'relations', got {describe(data)}", 1)]
    check_keys(path, source, data, (), ("version", "kinds", "attributes", "relations", "pair-pages"), problems)
    kinds = _parse_kinds(path, source, data.get("kinds", []), problems)
    attributes: list[Attribute] = []
    raw_attributes = data.get("attributes")
    if not isinstance(raw_attributes, list) or not raw_attributes:
        problems.append(Problem(path, f"expected a list of attributes, got {describe(raw_attributes)}",
                                source.line("attributes"), "attributes"))
        raw_attributes = []
    kind_keys = tuple(k.key for k in kinds)
    for i, item in enumerate(raw_attributes):
        attribute = _parse_attribute(path, source, i, item, kind_keys, problems)
        if attribute and any(a.key == attribute.key for a in attributes):
            problems.append(Problem(path, f"attribute '{attribute.key}' is defined twice: keep one",
                                    source.line("attributes", i), "key"))
        elif attribute:
            if attribute.type == "kind" and i != 0:
                problems.append(Problem(path, f"the 'kind' attribute '{attribute.key}' must be the first attribute "
                                        "(the first row of every table): move it to the top",
                                        source.line("attributes", i), "type"))
            attributes.append(attribute)
    _check_kind_use(path, source, kinds, attributes, problems)
    relations = _parse_relations(path, source, data.get("relations", []), problems)
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool):
        problems.append(Problem(path, f"expected a whole number, got {describe(version)}", source.line("version"), "version"))
        version = 1
    limit = _parse_pair_pages(path, source, data.get("pair-pages", {}), problems)
    if problems:
        return None, problems
    return Schema(version, tuple(attributes), tuple(relations), tuple(kinds), limit), []


def _parse_pair_pages(path, source, raw, problems) -> int:
    """`pair-pages: {every-pair-up-to: N}`: up to N pairs of concepts, every pair has a page."""
    if not isinstance(raw, dict):
        problems.append(Problem(path, f"expected a mapping like 'every-pair-up-to: {PAIR_PAGES_LIMIT}', got "
                                f"{describe(raw)}", source.line("pair-pages"), "pair-pages"))
        return PAIR_PAGES_LIMIT
    check_keys(path, source, raw, ("pair-pages",), ("every-pair-up-to",), problems, "pair-pages.")
    limit = raw.get("every-pair-up-to", PAIR_PAGES_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        shown = f"'{limit}'" if isinstance(limit, (int, float)) and not isinstance(limit, bool) else describe(limit)
        problems.append(Problem(path, f"expected a whole number of pairs, 0 or more (e.g. {PAIR_PAGES_LIMIT} for 50 "
                                f"concepts), got {shown}: write a number such as {PAIR_PAGES_LIMIT}",
                                source.line("pair-pages", "every-pair-up-to"), "pair-pages.every-pair-up-to"))
        return PAIR_PAGES_LIMIT
    return limit


def _parse_kinds(path, source, raw, problems) -> list[Kind]:
    if not isinstance(raw, list):
        problems.append(Problem(path, f"expected a list of kinds, got {describe(raw)}", source.line("kinds"), "kinds"))
        return []
    kinds: list[Kind] = []
    for i, item in enumerate(raw):
        where = ("kinds", i)
        if not _entry_ok(path, source, item, where, KIND_FIELDS, "article", problems,
                         "each kind needs text 'key', 'label', 'noun' and 'meaning'"):
            continue
        key = item["key"].strip()
        if not SLUG_OK.match(key):
            problems.append(Problem(path, f"kind '{key}' must be lowercase words joined by hyphens",
                                    source.line(*where, "key"), "key"))
        elif key in (k.key for k in kinds):
            problems.append(Problem(path, f"kind '{key}' is defined twice: keep one", source.line(*where), "key"))
        else:
            kinds.append(Kind(*(item[f].strip() for f in KIND_FIELDS), item.get("article", "").strip()))
    return kinds


def _parse_attribute(path, source, i, item, kind_keys, problems) -> Attribute | None:
    where = ("attributes", i)
    if not isinstance(item, dict):
        problems.append(Problem(path, f"expected a mapping with key, label, meaning, type; got {describe(item)}",
                                source.line(*where), "attributes"))
        return None
    check_keys(path, source, item, where, ATTRIBUTE_FIELDS, problems)
    missing = [f for f in ("key", "label", "meaning") if not is_text(item.get(f))]
    if missing:
        problems.append(Problem(path, f"attribute needs text for {', '.join(missing)}", source.line(*where), "attributes"))
        return None
    key = item["key"].strip()
    if not SLUG_OK.match(key) or key in RESERVED_CONCEPT_KEYS:
        problems.append(Problem(path, f"key '{key}' must be lowercase words joined by hyphens and not one of "
                                f"{', '.join(RESERVED_CONCEPT_KEYS)}", source.line(*where, "key"), "key"))
        return None
    kind = item.get("type", "text")
    if kind not in ATTRIBUTE_TYPES:
        problems.append(Problem(path, f"unknown type '{kind}'{suggest(kind, ATTRIBUTE_TYPES)}",
                                source.line(*where, "type"), "type"))
        return None
    choices = item.get("choices", [])
    if kind == "choice" and (not is_text_list(choices) or not choices):
        problems.append(Problem(path, "a 'choice' attribute needs a list of 'choices'", source.line(*where), "choices"))
        return None
    multiple = item.get("multiple", True)
    if not isinstance(multiple, bool):
        problems.append(Problem(path, f"expected true or false, got {describe(multiple)}",
                                source.line(*where, "multiple"), "multiple"))
        return None
    applies_to, reason = item.get("applies-to"), item.get("not-applicable")
    if applies_to is not None:
        if not is_text_list(applies_to) or not applies_to:
            problems.append(Problem(path, f"expected a list of kinds, got {describe(applies_to)}",
                                    source.line(*where, "applies-to"), "applies-to"))
            return None
        unknown = [k for k in applies_to if k not in kind_keys]
        for k in unknown:
            problems.append(Problem(path, f"unknown kind '{k}'{suggest(k, kind_keys)}: use a key from 'kinds'",
                                    source.line(*where, "applies-to"), "applies-to"))
        if not is_text(reason):
            problems.append(Problem(path, f"attribute '{key}' has 'applies-to' but no 'not-applicable': add one line "
                                    "saying why it does not apply to the other kinds",
                                    source.line(*where, "applies-to"), "not-applicable"))
        if unknown or not is_text(reason):
            return None
        if kind == "kind":
            problems.append(Problem(path, "the 'kind' attribute applies to every kind: remove 'applies-to'",
                                    source.line(*where, "applies-to"), "applies-to"))
            return None
        applies_to = tuple(a.strip() for a in applies_to)
    elif reason is not None:
        problems.append(Problem(path, "'not-applicable' without 'applies-to': add 'applies-to: [...]' or remove it",
                                source.line(*where, "not-applicable"), "not-applicable"))
        return None
    return Attribute(key, item["label"].strip(), item["meaning"].strip(), kind, tuple(choices),
                     multiple if kind == "choice" else kind != "kind", applies_to, (reason or "").strip())


def _check_kind_use(path, source, kinds, attributes, problems) -> None:
    """Kinds and the `kind` attribute come together: one attribute of type kind, only when kinds are declared."""
    kind_attributes = [a for a in attributes if a.type == "kind"]
    if len(kind_attributes) > 1:
        problems.append(Problem(path, "more than one attribute of type 'kind': keep one", source.line("attributes"),
                                "attributes"))
    if kind_attributes and not kinds:
        problems.append(Problem(path, "an attribute of type 'kind' needs a list of 'kinds' at the top of the schema",
                                source.line("attributes"), "kinds"))
    if kinds and not kind_attributes:
        problems.append(Problem(path, "'kinds' are declared but no attribute has 'type: kind': add one as the first "
                                "attribute", source.line("kinds"), "kinds"))
    if any(a.applies_to is not None for a in attributes) and not kind_attributes:
        problems.append(Problem(path, "'applies-to' needs an attribute of 'type: kind' to tell records' kinds apart",
                                source.line("attributes"), "applies-to"))


def _parse_relations(path, source, raw, problems) -> list[RelationType]:
    relations: list[RelationType] = []
    if not isinstance(raw, list):
        problems.append(Problem(path, f"expected a list of relation types, got {describe(raw)}",
                                source.line("relations"), "relations"))
        return relations
    for i, item in enumerate(raw):
        where = ("relations", i)
        if not _entry_ok(path, source, item, where, RELATION_FIELDS, "phrase", problems,
                         "each relation type needs text 'key', 'label', 'inverse' and 'meaning'"):
            continue
        if any(r.key == item["key"] for r in relations):
            problems.append(Problem(path, f"relation type '{item['key']}' is defined twice: keep one",
                                    source.line(*where), "key"))
            continue
        relations.append(RelationType(*(item[f].strip() for f in RELATION_FIELDS), item.get("phrase", "").strip()))
    return relations


def _entry_ok(path, source, item, where, fields, optional, problems, message) -> bool:
    """One entry of a list of kinds or relation types: a mapping with text `fields`, no unknown keys
    (reported, not fatal) and the `optional` field absent or text. False (with a problem) if unusable."""
    if not isinstance(item, dict) or not all(is_text(item.get(f)) for f in fields):
        problems.append(Problem(path, message, source.line(*where), where[0]))
        return False
    check_keys(path, source, item, where, (*fields, optional), problems)
    return _optional_text(path, source, item, where, optional, problems)


def _optional_text(path, source, item, where, name, problems) -> bool:
    """An optional field is either absent or text."""
    if name in item and not is_text(item[name]):
        problems.append(Problem(path, f"expected text, got {describe(item[name])}", source.line(*where, name), name))
        return False
    return True
