"""Every pair of concepts at its own address: which page a pair has, and what a generated one says.

Pure functions over `concept_records` data, with no MkDocs import (like `concept_render`). A pair
with a written comparison keeps that page; every other pair gets a page generated from the two
records, at `compare/<a>-vs-<b>` with the two slugs in alphabetical order. The other order of every
pair redirects to its page, keeping a row fragment (`#scope`).

Up to the schema's `pair-pages: {every-pair-up-to: N}` pairs, every pair has a page. Above it, only
pairs with a written comparison or joined by at most two recorded relations do (`RELATED_STEPS`);
the picker on /compare/ shows any other pair from data/concepts.json in the browser.

Links are produced by the caller's functions (slug -> relative Markdown link), as in
`concept_render`, so this module does not know how the site lays out its files.
"""

# Annotations evaluated at import, not strings: see the note in concept_records.py.

import html
from collections import deque
from collections.abc import Callable
from itertools import combinations
from typing import NamedTuple

import concept_render as render
from concept_records import Comparison, Concept, Model
from safe_output import html_text

Href = Callable[[str], str]
RELATED_STEPS = 2  # above the limit, a pair has a page when a chain of this many relations joins it


class Pair(NamedTuple):
    """Two concepts and the page that compares them (`slug` is that page's file name, no extension)."""

    slug: str
    concepts: tuple[str, str]
    written: Comparison | None = None

    @property
    def reversed_slug(self) -> str:
        a, b = self.concepts
        return f"{b}-vs-{a}"


def every_pair(model: Model) -> bool:
    """Does every pair have a page? (At most the schema's `every-pair-up-to` pairs.)"""
    n = len(model.concepts)
    return n * (n - 1) // 2 <= model.schema.every_pair_up_to


def pairs(model: Model) -> list[Pair]:
    """The pairs that have a page, once each, in slug order: the written comparison's order where one exists.

    Every unordered pair up to the schema's limit; above it, pairs with a written comparison or joined by
    at most RELATED_STEPS relations (a bounded search from each concept, not all pairs)."""
    if every_pair(model):
        chosen = combinations(sorted(model.concepts), 2)
    else:
        near = {tuple(sorted((c.concepts[0], c.concepts[1]))) for c in model.comparisons}
        for slug in model.concepts:
            near.update(tuple(sorted((slug, other))) for other in _within(model, slug, RELATED_STEPS))
        chosen = sorted(near)
    found = []
    for a, b in chosen:
        written = model.comparison_for(a, b)
        if written is not None:
            found.append(Pair(written.slug, written.concepts, written))
        else:
            found.append(Pair(f"{a}-vs-{b}", (a, b)))
    return found


def _within(model: Model, start: str, steps: int) -> set[str]:
    """The concepts at most `steps` relations away from `start` (either direction), not `start` itself."""
    seen, frontier = {start}, [start]
    for _ in range(steps):
        frontier = [edge.other for here in frontier for edge in model.edges(here) if edge.other not in seen]
        seen.update(frontier)
    return seen - {start}


def pair_title(model: Model, pair: Pair) -> str:
    """'Lean vs performance management', as written comparisons are titled."""
    a, b = (model.concepts[s] for s in pair.concepts)
    return f"{a.name} vs {render.mid_sentence(b)}"


# --------------------------------------------------------------------------- relations


class Step(NamedTuple):
    """One recorded relation on a path: `source` <relation> `target`."""

    source: str
    relation: str
    target: str


def relation_path(model: Model, a: str, b: str) -> list[Step] | None:
    """The shortest chain of recorded relations joining a and b (either direction), or None.

    Breadth-first over the relations as an undirected graph; ties go to the relation listed first,
    so the same records always give the same path.
    """
    if a == b:
        return []
    came: dict[str, tuple[str, Step]] = {a: (a, Step(a, "", a))}
    queue = deque([a])
    while queue:
        here = queue.popleft()
        for edge in model.edges(here):
            if edge.other in came:
                continue
            step = Step(here, edge.relation, edge.other) if edge.outgoing else Step(edge.other, edge.relation, here)
            came[edge.other] = (here, step)
            if edge.other == b:
                path = []
                node = b
                while node != a:
                    node, step = came[node][0], came[node][1]
                    path.append(step)
                return path[::-1]
            queue.append(edge.other)
    return None


def _named(model: Model, slug: str, href: Href, start: bool = False) -> str:
    """A concept named in a sentence, linked: its kind's article and its capitals as the records say
    (as in the map in words: 'the [production process](...)', '[Lean](...)')."""
    concept = model.concepts[slug]
    article = render._article(model, concept)
    name = concept.name if start and not article else render.mid_sentence(concept)
    link = f"[{render.md_text(name)}]({href(slug)})"
    if article:
        return f"{render.md_text(render.capitalize(article) if start else article)} {link}"
    return link


def relation_sentence(model: Model, a: str, b: str, concept_md: Href) -> str:
    """How the two relate, as Markdown: the path through the recorded relations, or that there is none.

    Each step reads in the direction it was recorded, with the relation's verb from the schema.
    """
    path = relation_path(model, a, b)
    if not path:
        return (f"not directly related. No chain of recorded relations joins {_named(model, a, concept_md)} "
                f"and {_named(model, b, concept_md)}.")
    clauses = [f"{_named(model, step.source, concept_md, start=i == 0)} "
               f"*{render.md_text(model.schema.relation(step.relation).verb)}* {_named(model, step.target, concept_md)}"
               for i, step in enumerate(path)]
    if len(path) == 1:
        return clauses[0] + "."
    return "not directly. Through the recorded relations: " + ", and ".join(clauses) + "."


# --------------------------------------------------------------------------- shared items


def shared_items(model: Model, a: str, b: str) -> list[tuple[str, list[str]]]:
    """For every list attribute (methods, measures...), the items both records name: [(label, items)].

    Items match ignoring case and surrounding space; the first record's spelling is shown.
    """
    found = []
    first, second = model.concepts[a], model.concepts[b]
    for attribute in model.schema.attributes:
        if attribute.type != "list":
            continue
        mine, theirs = first.values.get(attribute.key), second.values.get(attribute.key)
        if not isinstance(mine, tuple) or not isinstance(theirs, tuple):
            continue
        other = {item.strip().casefold() for item in theirs}
        both = [item for item in mine if item.strip().casefold() in other]
        if both:
            found.append((attribute.label, both))
    return found


# --------------------------------------------------------------------------- pages


def description(model: Model, pair: Pair) -> str:
    """The page's own description (meta, Open Graph): the pair and how they relate, in plain text."""
    a, b = (model.concepts[s] for s in pair.concepts)
    path = relation_path(model, *pair.concepts)
    how = "not directly related" if not path else (
        "directly related" if len(path) == 1 else "related through other concepts")
    return (f"{a.name} and {render.mid_sentence(b)} side by side, attribute by attribute, from the site's records: "
            f"what each is, its scope, goal, measures and methods; {how}, and what they share.")


def summary_line(summary: str) -> str:
    """A comparison's one-line answer (its record's summary), shown first on the page."""
    return f'<p class="comparison-summary" markdown>**In short:** {render.md_text(summary)}</p>'


def page_link(self_md: str) -> str:
    """A link to the page itself: a plain link, which `links.js` turns into a copy control."""
    return (f'<p class="page-link-line" markdown>[Copy link to this page]({self_md}){{ .copy-link .page-link }} '
            "Each row of the table has its own link as well.</p>")


def page_markdown(model: Model, pair: Pair, concept_md: Href, compare_md: Href, self_md: str,
                  cites: bool = False) -> str:
    """The body of a generated pair page (the title is added by the hook, as for every record page).
    `cites`: the two concepts' pages cite works, which the hook lists under References after this."""
    a, b = pair.concepts
    table = render.attribute_table(model, pair.concepts, model.schema.attribute_keys, concept_md)
    lines = [
        f'<p class="comparison-summary pair-relation" markdown>**How they relate:** '
        f"{relation_sentence(model, a, b, concept_md)}</p>",
        "",
        page_link(self_md),
        "",
        '<p class="pair-unwritten">There is no written guide for this pair yet: the table and the notes below '
        "come straight from the two records.</p>",
        "",
        f'<div class="concept-table-wrap" markdown>\n\n{table}\n\n</div>',
        "",
        "## What they share",
        "",
    ]
    shared = shared_items(model, a, b)
    if shared:
        lines += [f"- **{render.md_text(label)}:** {render.md_text(', '.join(items))}" for label, items in shared]
    else:
        lines.append("The two records name no method, measure or other listed item in common.")
    lines += ["", "## Read more", ""]
    for slug in pair.concepts:
        concept = model.concepts[slug]
        lines.append(f"- [{render.md_text(concept.name)}]({concept_md(slug)}): {render.md_text(concept.definition)}")
    written = _written_of(model, pair)
    if written:
        lines += ["", "Written comparisons with either of them:", ""]
        lines += render.comparison_links(model, written, compare_md)
    if cites:
        lines += ["", '<p class="pair-sources" data-search-exclude="">The table sums up what each concept\'s own page '
                  "explains, with its sources. The works those two pages cite are listed below; each page shows which "
                  "of its claims a work supports.</p>"]
    return "\n".join(lines) + "\n"


def _written_of(model: Model, pair: Pair) -> list[Comparison]:
    seen: dict[str, Comparison] = {}
    for slug in pair.concepts:
        for comparison in model.comparisons_of(slug):
            seen.setdefault(comparison.slug, comparison)
    return sorted(seen.values(), key=lambda c: c.slug)


def concept_pairs(model: Model, concept: Concept, all_pairs: list[Pair], pair_md: Href, picker_md: str = "") -> str:
    """'Compare <concept> with ...': a link to the pair page of this concept and every other one (above the
    schema's limit, those that have a page, and the picker for the rest)."""
    links = []
    for pair in all_pairs:
        if concept.slug not in pair.concepts:
            continue
        other = model.concepts[pair.concepts[1] if pair.concepts[0] == concept.slug else pair.concepts[0]]
        links.append((other.name.casefold(), f"[{render.md_text(other.name)}]({pair_md(pair.slug)})"))
    if not links:
        return ""
    names = " · ".join(link for _, link in sorted(links))
    lines = [f"## Compare {render.md_text(concept.name)} with …", "", f'<p class="concept-pairs" markdown>{names}</p>']
    if picker_md and not every_pair(model):
        lines += ["", f"Any other concept: choose the pair in [the picker]({picker_md}), which shows the two records "
                  "side by side."]
    return "\n".join(lines)


def pair_index(model: Model, all_pairs: list[Pair], pair_md: Href) -> str:
    """Every pair, grouped by concept: '**Lean** with Operation process · ...'. Each link names its pair
    in `data-pair` so the picker can find the page of any two concepts without another request."""
    by_concept: dict[str, list[tuple[str, str]]] = {slug: [] for slug in model.concepts}
    for pair in all_pairs:
        a, b = pair.concepts
        for mine, other in ((a, b), (b, a)):
            name = model.concepts[other].name
            by_concept[mine].append((name.casefold(), f'[{render.md_text(name)}]({pair_md(pair.slug)})'
                                                      f'{{ data-pair="{mine} {other}" }}'))
    lines = []
    if not every_pair(model):
        n = len(model.concepts)
        lines += [f"With {n:,} concepts there are {n * (n - 1) // 2:,} pairs, more than the "
                  f"{model.schema.every_pair_up_to:,} that each get a page of their own. Listed here are the "
                  f"{len(all_pairs):,} pairs with a written comparison or a close relation; choose any other pair "
                  "in the picker above to see the two side by side.", ""]
    for slug in sorted(model.concepts, key=lambda s: model.concepts[s].name.casefold()):
        if by_concept[slug]:
            names = " · ".join(link for _, link in sorted(by_concept[slug]))
            lines.append(f"- **{render.md_text(model.concepts[slug].name)}** with {names}")
    return "\n".join(lines)


def picker(model: Model, records_href: str) -> str:
    """The 'compare any two' form: two labelled lists of every concept and a button.

    Built here so it works before any script runs; `compare-picker.js` shows it and takes the reader
    to the pair's page (found in the list of pairs on the same page), or, for a pair without a page,
    builds its table below the form from the records file (`records_href`, relative to the page).
    """
    options = "".join(
        f'<option value="{html.escape(c.slug, quote=True)}">{html_text(c.name)}</option>'
        for c in sorted(model.concepts.values(), key=lambda c: c.name.casefold())
    )

    def field(letter: str, label: str) -> str:
        return (f'<div class="compare-picker-field"><label for="compare-pick-{letter}">{label}</label>'
                f'<select id="compare-pick-{letter}" name="{letter}">'
                f'<option value="">Choose a concept</option>{options}</select></div>')

    return (
        '<form class="compare-picker" data-compare-picker action="./" method="get" '
        f'data-records="{html.escape(records_href, quote=True)}" hidden>'
        f'<div class="compare-picker-fields">{field("a", "First concept")}{field("b", "Second concept")}'
        '<div class="compare-picker-go"><button type="submit" class="md-button md-button--primary">Compare</button>'
        "</div></div>"
        '<p class="compare-picker-status" role="status" data-picker-status></p></form>'
        '<div class="compare-picker-result" data-picker-output hidden></div>'
    )


def redirect_html(relative: str, canonical: str, script: str) -> str:
    """A page at the reversed address: a script carries the row fragment over, meta refresh does the rest."""
    safe = html_text(relative)
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>Redirecting…</title><link rel=\"canonical\" href=\"{html_text(canonical)}\">"
        "<meta name=\"robots\" content=\"noindex\">"
        f"<script src=\"{html_text(script)}\" data-to=\"{safe}\"></script>"
        f"<meta http-equiv=\"refresh\" content=\"0; url={safe}\">"
        "</head><body>"
        f"<p>This comparison lives at <a href=\"{safe}\">{html_text(canonical)}</a>.</p>"
        "</body></html>\n"
    )
