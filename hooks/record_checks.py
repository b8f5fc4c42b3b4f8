"""Checks across records that a single record cannot see: names given twice, relations given twice,
loops of part-of / kind-of, and the documented limit on glossary definitions.

Pure Python over `concept_records` data (no MkDocs import); every finding is a `Problem`.
"""

from __future__ import annotations

from concept_records import Document, Glossary, Model, Problem, Source

# Relations that order concepts (a whole above its parts, a general concept above its kinds): a loop
# in one of them means a record is wrong. Other relations (applies, informs) may run both ways.
HIERARCHIES = ("part-of", "kind-of")
MAX_GLOSSARY_WORDS = 39  # "under 40 words" (data/glossary.yml, docs/contributing.md)


def model_problems(model: Model, docs: dict[str, Document]) -> list[Problem]:
    """Every cross-record problem in a model that is otherwise valid."""
    return [*_name_problems(model, docs), *_relation_problems(model, docs), *_cycle_problems(model, docs)]


def _name_problems(model: Model, docs: dict[str, Document]) -> list[Problem]:
    """An alias repeated, equal to the concept's own name, or another concept's name or alias."""
    problems = []
    owner: dict[str, tuple[str, str]] = {c.name.casefold(): (c.slug, "name") for c in model.concepts.values()}
    for concept in sorted(model.concepts.values(), key=lambda c: c.slug):
        source = docs[concept.slug].source
        seen: set[str] = set()
        for i, alias in enumerate(concept.aliases):
            key = alias.casefold()
            line = source.line("concept", "aliases", i)
            if key in seen:
                problems.append(Problem(concept.path, f"alias '{alias}' is listed twice: keep one", line, "aliases"))
                continue
            seen.add(key)
            slug, what = owner.get(key, (None, ""))
            if slug == concept.slug:
                problems.append(Problem(concept.path, f"alias '{alias}' is the concept's own name: remove it",
                                        line, "aliases"))
            elif slug is not None:
                other = model.concepts[slug]
                problems.append(Problem(concept.path, f"alias '{alias}' is already the {what} of {other.path}: "
                                        "remove it from one of them", line, "aliases"))
            else:
                owner[key] = (concept.slug, "alias")
    return problems


def _relation_problems(model: Model, docs: dict[str, Document]) -> list[Problem]:
    """The same concept named twice in one relation, or one pair joined by two relations."""
    problems = []
    for concept in model.concepts.values():
        source = docs[concept.slug].source
        pairs: dict[str, str] = {}
        for key, targets in concept.relations.items():
            line = source.line("concept", "relations", key)
            for target in dict.fromkeys(t for t in targets if targets.count(t) > 1):
                problems.append(Problem(concept.path, f"'{key}' names '{target}' twice: keep one", line, "relations"))
            for target in dict.fromkeys(targets):
                if target in pairs:
                    problems.append(Problem(concept.path, f"'{target}' is named under both '{pairs[target]}' and "
                                            f"'{key}': keep the one relation that is true", line, "relations"))
                pairs.setdefault(target, key)
    return problems


def _cycle_problems(model: Model, docs: dict[str, Document]) -> list[Problem]:
    """A loop in part-of or kind-of (A part of B part of A), reported once, at its first concept."""
    problems = []
    for key in HIERARCHIES:
        edges = {slug: list(dict.fromkeys(c.relations.get(key, ()))) for slug, c in model.concepts.items()}
        reported: set[frozenset[str]] = set()
        for start in sorted(edges):
            loop = _find_loop(start, edges)
            if loop and frozenset(loop) not in reported:
                reported.add(frozenset(loop))
                first = model.concepts[loop[0]]
                names = " -> ".join(model.concepts[s].name for s in (*loop, loop[0]))
                line = docs[first.slug].source.line("concept", "relations", key)
                problems.append(Problem(first.path, f"'{key}' goes round in a loop ({names}): remove the wrong "
                                        "link from one of these records", line, "relations"))
    return problems


def _find_loop(start: str, edges: dict[str, list[str]]) -> list[str] | None:
    """The concepts of a loop through `start`, in order, or None (iterative depth-first search)."""
    stack = [(start, iter(edges.get(start, ())))]
    path, on_path, dead = [start], {start}, set()  # dead: explored, no way back to start
    while stack:
        _, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            done = path.pop()
            on_path.discard(done)
            dead.add(done)
            continue
        if child == start:
            return list(path)
        if child not in on_path and child not in dead and child in edges:
            stack.append((child, iter(edges[child])))
            path.append(child)
            on_path.add(child)
    return None


def glossary_problems(path: str, glossary: Glossary, source: Source) -> list[Problem]:
    """Definitions over the documented length."""
    problems = []
    for i, term in enumerate(glossary.terms):
        words = len(term.definition.split())
        if words > MAX_GLOSSARY_WORDS:
            problems.append(Problem(path, f"the definition of '{term.term}' has {words} words; a glossary definition "
                                    f"has under 40 (it is shown as a tooltip): shorten it",
                                    source.line("terms", i, "definition"), "definition"))
    return problems
