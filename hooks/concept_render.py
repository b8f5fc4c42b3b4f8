"""Render the concept model into Markdown, SVG and JSON.

Pure functions over `concept_records` data, with no MkDocs import. Links are produced by the
caller's `href` function (slug or comparison -> relative link), so this module does not know how
the site lays out its files. Every value from a record is escaped: it renders as the literal text
it holds, whatever markup it contains, and cannot break a table.
"""

# Annotations evaluated at import, not strings: see the note in concept_records.py.

import functools
import json
import math
import re
from collections.abc import Callable
from typing import NamedTuple

from concept_layout import Layout, layered
from concept_records import Attribute, Comparison, Concept, Glossary, Model, Term
from concept_refs import Bibliography, Citation, Work, entry_html, entry_text
from safe_output import fold, html_text

Href = Callable[[str], str]

# Characters with a meaning to Markdown or to the site's extensions, written as numeric entities
# so a value is always shown as text and a `|` never splits a table cell.
_MARKDOWN_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_[]{}()<>#+!|~^=:&\"'$@"}
# One pass, so an entity written is not escaped again. (Not str.translate: with strings for values
# it looks every character up in a dict, about three times slower than this on the site's text.)
_MARKDOWN_SPECIAL_CHAR = re.compile("[" + re.escape("".join(_MARKDOWN_SPECIAL)) + "]")


def _entity(match: re.Match) -> str:
    return _MARKDOWN_SPECIAL[match.group()]


@functools.lru_cache(maxsize=65_536)
def md_text(value: str) -> str:
    """Escape a plain-text value for inline Markdown: markup shows as text, whitespace folds.
    (Memoised: a record's values are escaped again for every table and list that shows them.)"""
    return _MARKDOWN_SPECIAL_CHAR.sub(_entity, fold(value))


def capitalize(text: str) -> str:
    """Upper-case the first letter only ('top-down' -> 'Top-down', 'KPI' stays)."""
    return text[:1].upper() + text[1:]


def format_value(attribute: Attribute, value: str | tuple[str, ...]) -> str:
    """The value as one line of plain text: lists joined with commas, choices capitalised."""
    if isinstance(value, str):
        return value
    if attribute.type == "choice":
        return capitalize(", ".join(value))
    return "; ".join(value)


def cell_text(model: Model, concept: Concept, attribute: Attribute) -> str:
    """What a record shows in one row, the same in every table, the picker and the JSON's `display`.

    The Kind row shows the kind's label; a row that does not apply to the concept's kind reads
    "Does not apply to <noun>: <reason>" from the schema.
    """
    if attribute.key not in concept.values:
        return model.schema.not_applicable(attribute, concept.kind)
    value = concept.values[attribute.key]
    if attribute.type == "kind":
        return model.schema.kind(str(value)).label
    return format_value(attribute, value)


def table_rows(model: Model, slugs: tuple[str, ...], keys: tuple[str, ...]) -> tuple[str, ...]:
    """The rows a table of several concepts shows: those that apply to at least one of them."""
    if len(slugs) < 2:
        return keys
    kinds = frozenset(model.concepts[s].kind for s in slugs)
    # A handful of kinds: the same few answers for every table.
    return model.remembered(("rows", kinds, keys), lambda: tuple(
        k for k in keys if any(model.schema.attribute(k).applies(kind) for kind in kinds)))


def comparison_title(model: Model, comparison: Comparison) -> str:
    """'Lean vs process improvement': the two names in the page's order, in sentence case."""
    a, b = comparison.concepts
    return model.remembered(("title", a, b),
                            lambda: f"{model.concepts[a].name} vs {mid_sentence(model.concepts[b])}")


def mid_sentence(concept: Concept) -> str:
    """A concept's name inside a sentence: as written for a proper name (`proper-name: true`) or when its
    first word is an acronym ('KPI', 'OEE'); otherwise with a lower-case first letter."""
    name = concept.name
    first = name.split(" ", 1)[0]
    keep = concept.proper_name or (first.isupper() and len(first) > 1)
    return name if keep else name[:1].lower() + name[1:]


def _article(model: Model, concept: Concept) -> str:
    """The kind's article ('the') before a common-noun name in a sentence, or nothing."""
    if concept.proper_name or concept.kind is None or not model.schema.kinds:
        return ""
    return model.schema.kind(concept.kind).article


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _row_head(attribute: Attribute) -> str:
    """The row's name with its anchor and its link (a link icon, 24 px; links.js makes it copy the address)."""
    label = md_text(attribute.label)
    return (
        f'<span class="row-anchor" id="{attribute.key}"></span>**{label}**'
        # Raw HTML, not an attribute list: a label holding '}' or '"' must not end the list early.
        f'<a href="#{attribute.key}" class="row-link" aria-label="Link to the {html_text(attribute.label)} row" '
        'data-search-exclude=""></a>'
    )


def _cells_md(model: Model, slug: str) -> dict[str, str]:
    """A record's row cells as inline Markdown, by attribute key: worked out once per build (a record
    shows on its own page and on every comparison and pair page of the concept)."""
    concept = model.concepts[slug]
    return model.remembered(("cells", slug), lambda: {
        a.key: md_text(cell_text(model, concept, a)) for a in model.schema.attributes})


def _row_heads_md(model: Model) -> dict[str, str]:
    """Each attribute's row head (`_row_head`) by key, once per build."""
    return model.remembered(("row-heads",), lambda: {a.key: _row_head(a) for a in model.schema.attributes})


def attribute_table(model: Model, slugs: tuple[str, ...], keys: tuple[str, ...], href: Href) -> str:
    """A Markdown table: one row per attribute (with anchor), one column per concept."""
    heads = " | ".join(f"[{md_text(model.concepts[s].name)}]({href(s)})" for s in slugs)
    lines = [f"| Attribute | {heads} |", "|" + " --- |" * (len(slugs) + 1)]
    row_heads, columns = _row_heads_md(model), [_cells_md(model, s) for s in slugs]
    for key in table_rows(model, slugs, keys):
        lines.append(f"| {row_heads[key]} | {' | '.join([cells[key] for cells in columns])} |")
    return "\n".join(lines)


def comparison_table(model: Model, comparison: Comparison, href: Href) -> str:
    """The generated table of a written comparison."""
    table = attribute_table(model, comparison.concepts, comparison.attributes, href)
    return f'<div class="concept-table-wrap" markdown>\n\n{table}\n\n</div>'


def concept_attributes(model: Model, concept: Concept) -> str:
    """A concept page's own record, one row per attribute, with the same anchors as comparisons."""
    lines = ["| Attribute | Value |", "| --- | --- |"]
    row_heads, cells = _row_heads_md(model), _cells_md(model, concept.slug)
    lines += [f"| {row_heads[a.key]} | {cells[a.key]} |" for a in model.schema.attributes]
    return '<div class="concept-table-wrap" markdown>\n\n' + "\n".join(lines) + "\n\n</div>"


def aliases_line(concept: Concept) -> str:
    """'Also called: ...' so readers (and search) find the concept under its other names."""
    if not concept.aliases:
        return ""
    names = ", ".join(f"*{md_text(a)}*" for a in concept.aliases)
    return f'<p class="concept-aliases" markdown>Also called: {names}.</p>'


def concept_relations(model: Model, concept: Concept, href: Href) -> str:
    """How a concept relates to the others, in both directions, grouped by relation label."""
    groups: dict[str, list[str]] = {}
    for edge in model.edges(concept.slug):
        groups.setdefault(edge.label, []).append(f"[{md_text(model.concepts[edge.other].name)}]({href(edge.other)})")
    if not groups:
        return ""
    lines = ["## How it relates to the other concepts", ""]
    lines += [f"- **{md_text(label)}:** {', '.join(links)}" for label, links in groups.items()]
    return "\n".join(lines)


def comparison_links(model: Model, comparisons: list[Comparison], href: Href) -> list[str]:
    """One list item per comparison, with its summary."""
    items = []
    for c in comparisons:  # the title and summary are the same on every page that lists the comparison
        before, after = model.remembered(("link-item", c.slug), lambda c=c: (
            f"- [{md_text(comparison_title(model, c))}](", f"): {md_text(c.summary)}"))
        items.append(f"{before}{href(c.slug)}{after}")
    return items


def concept_comparisons(model: Model, concept: Concept, href: Href) -> str:
    """The written comparisons a concept appears in."""
    found = model.comparisons_of(concept.slug)
    if not found:
        return ""
    return "\n".join(["## Compared with", "", *comparison_links(model, found, href)])


def related_comparisons(model: Model, comparison: Comparison, href: Href) -> str:
    """Comparisons sharing a concept or tied to this one by a relation."""
    found = model.related_comparisons(comparison)
    if not found:
        return ""
    return "\n".join(["## Related comparisons", "", *comparison_links(model, found, href)])


def concept_list(model: Model, href: Href) -> str:
    """Every concept with its one-sentence definition."""
    concepts = sorted(model.concepts.values(), key=lambda c: c.name.casefold())
    return "\n".join(f"- [{md_text(c.name)}]({href(c.slug)}): {md_text(c.definition)}" for c in concepts)


def comparison_list(model: Model, href: Href) -> str:
    """Every written comparison with its summary."""
    return "\n".join(comparison_links(model, model.comparisons, href))


# --------------------------------------------------------------------------- glossary


def tooltip_text(term: Term) -> str:
    """A term's definition as its tooltip shows it: on one line."""
    return fold(term.definition)


def abbreviations(glossary: Glossary, value: Callable[[Term], str] = tooltip_text) -> dict[str, str]:
    """Every written form of every term (as written, lower case, capitalised, title case) -> `value(term)`.

    Given to the abbr extension as its glossary, so each use of a term on any page gets a tooltip;
    the first term to claim a form keeps it.
    """
    forms: dict[str, str] = {}
    for term in glossary.terms:
        title = value(term)
        for form in term.forms:
            for variant in (form, form.lower(), capitalize(form), form.title()):
                forms.setdefault(variant, title)
    return forms


# --------------------------------------------------------------------------- concept map


class MapSize(NamedTuple):
    """One drawing of the map: the width of its view box, its boxes and its lettering."""

    css_class: str
    width: int
    box_w: int
    box_h: int
    font: int
    label_font: int
    gap_x: int = 28
    gap_y: int = 72
    lane: int = 14  # the width an edge needs where it passes between boxes of a row


WIDE = MapSize("map-wide", 900, 190, 54, 17, 13)
TALL = MapSize("map-tall", 400, 124, 50, 14, 11, gap_x=8, gap_y=64, lane=6)


def _wrap(name: str, limit: int) -> list[str]:
    """A name on one line, or on two lines split near the middle when it is longer than `limit`."""
    words = name.split()
    if len(name) <= limit or len(words) == 1:
        return [name]
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return [" ".join(words[:best]), " ".join(words[best:])]


def _clip(x1: float, y1: float, x2: float, y2: float, w: float, h: float) -> tuple[float, float]:
    """Where the segment from a box centre (x1, y1) towards (x2, y2) leaves a w x h box."""
    dx, dy = x2 - x1, y2 - y1
    scale = min(w / 2 / abs(dx) if dx else math.inf, h / 2 / abs(dy) if dy else math.inf)
    if scale == math.inf:
        return x1, y1
    return x1 + dx * scale, y1 + dy * scale


def _positions(layout: Layout, size: MapSize) -> tuple[dict[object, tuple[float, float]], float, tuple[int, int]]:
    """Centre of every slot, the box width after fitting the widest row, and the drawing's width and height."""
    def row_width(row: list, box_w: float, gap: float) -> float:
        return sum(box_w if isinstance(s, str) else size.lane for s in row) + gap * max(len(row) - 1, 0)

    widest = max((row_width(row, size.box_w, size.gap_x) for row in layout.rows), default=0)
    room = size.width - 12
    scale = min(1.0, room / widest) if widest else 1.0
    box_w, gap = size.box_w * scale, size.gap_x * scale
    width = min(size.width, widest * scale + 12)
    pos: dict[object, tuple[float, float]] = {}
    for r, row in enumerate(layout.rows):
        x = (width - row_width(row, box_w, gap)) / 2
        y = 6 + size.box_h / 2 + r * (size.box_h + size.gap_y)
        for slot in row:
            w = box_w if isinstance(slot, str) else size.lane
            pos[slot] = (round(x + w / 2, 1), round(y, 1))
            x += w + gap
    height = 12 + len(layout.rows) * size.box_h + max(len(layout.rows) - 1, 0) * size.gap_y
    return pos, box_w, (round(width), round(height))


def _relations(model: Model) -> list[tuple[str, str, str]]:
    """Every relation as (source, relation key, target), in record order."""
    return [(c.slug, key, t) for c in model.concepts.values() for key, targets in c.relations.items() for t in targets]


def _map_nodes(model: Model) -> list[str]:
    """Concept slugs in name order: the map's starting order, before rows are untangled."""
    return sorted(model.concepts, key=lambda s: model.concepts[s].name.casefold())


def map_layout(model: Model) -> Layout:
    """The rows and edge routes of the concept map (one layout serves every drawing size)."""
    return layered(_map_nodes(model), [(s, t) for s, _, t in _relations(model)])


def concept_map_svg(model: Model, href: Href, size: MapSize = WIDE, compare_href: Href | None = None,
                    layout: Layout | None = None) -> str:
    """Concepts as linked boxes in rows, relations as labelled arrows pointing down, compared pairs in colour.

    A relation between two concepts that are also compared is drawn in the accent colour; a compared
    pair with no relation gets a dashed accent line. With `compare_href`, those lines link to the comparison.
    """
    nodes = _map_nodes(model)
    relations = _relations(model)
    compared = {frozenset(c.concepts): c for c in model.comparisons}
    related = {frozenset((s, t)) for s, _, t in relations}
    layout = layout or map_layout(model)
    pos, box_w, (width, height) = _positions(layout, size)
    title_id = f"{size.css_class}-title"
    out = [
        f'<svg class="concept-map {size.css_class}" viewBox="0 0 {width} {height}" role="group" '
        f'aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">Concept map: how the {len(nodes)} concepts relate and which pairs are compared</title>',
        f'<defs><marker id="{size.css_class}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" '
        'markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="map-arrowhead"/>'
        "</marker></defs>",
    ]
    labels = _Labels(size.label_font, [(x - box_w / 2, y - size.box_h / 2, x + box_w / 2, y + size.box_h / 2)
                      for slug, (x, y) in pos.items() if isinstance(slug, str)])
    for i, (source, key, target) in enumerate(relations):
        kind = model.schema.relation(key).label.lower()
        comparison = compared.get(frozenset((source, target)))
        points = _route(layout.routes[i], pos, box_w, size.box_h)
        title = f"{model.concepts[source].name} {kind} {model.concepts[target].name}"
        css = "map-relation map-compared" if comparison else "map-relation"
        line = _path(points, css, title, f' marker-end="url(#{size.css_class}-arrow)"')
        out.append(_compare_link(model, comparison, compare_href, line, points))
        labels.place(points, kind)
    for pair, comparison in compared.items():
        if pair in related:
            continue
        a, b = comparison.concepts
        points = _route([a, b], pos, box_w, size.box_h)
        line = _path(points, "map-compare", f"Compared: {comparison_title(model, comparison)}", "")
        out.append(_compare_link(model, comparison, compare_href, line, points))
    out.extend(labels.svg)
    for slug in nodes:
        x, y = pos[slug]
        lines = _wrap(model.concepts[slug].name, max(8, int(box_w / (size.font * 0.56))))
        first = y - (len(lines) - 1) * size.font * 0.6 + size.font * 0.35
        # Lines after the first start with a space, so the link's text (its accessible name) keeps word breaks.
        text = "".join(
            f'<tspan x="{x}" y="{round(first + i * size.font * 1.2, 1)}">{" " if i else ""}{html_text(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        out.append(
            f'<a href="{html_text(href(slug))}" class="map-node">'
            f'<rect x="{round(x - box_w / 2, 1)}" y="{round(y - size.box_h / 2, 1)}" width="{round(box_w, 1)}" '
            f'height="{size.box_h}" rx="10"/><text text-anchor="middle" font-size="{size.font}">{text}</text></a>'
        )
    out.append("</svg>")
    return "".join(out)


def _route(slots: list, pos, box_w: float, box_h: float) -> list[tuple[float, float]]:
    """The points of an edge: out of the first box, through its waypoints, to the edge of the last box."""
    points = [pos[s] for s in slots]
    if len(points) < 2:
        return points
    start = _clip(*points[0], *points[1], box_w + 6, box_h + 6)
    end = _clip(*points[-1], *points[-2], box_w + 10, box_h + 10)
    return [start, *points[1:-1], end]


def _d(points: list[tuple[float, float]]) -> str:
    return "M" + "L".join(f"{round(x, 1)},{round(y, 1)}" for x, y in points)


def _path(points: list[tuple[float, float]], css: str, title: str, extra: str) -> str:
    return f'<path class="{css}" d="{_d(points)}"{extra}><title>{html_text(title)}</title></path>'


class _Labels:
    """Relation names placed along their edges, each where it overlaps no box and no earlier name.

    Placed rectangles are kept in a grid of CELL-sized buckets, so each check looks at its neighbours
    only and a map of a thousand concepts still costs linear time.
    """

    CELL = 120
    STOPS = (0.5, 0.3, 0.7, 0.15, 0.85)

    def __init__(self, font: int, boxes: list[tuple[float, float, float, float]]):
        self.font = font
        self.grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
        for box in boxes:
            self._take(box)
        self.svg: list[str] = []

    def _cells(self, box: tuple[float, float, float, float]):
        x1, y1, x2, y2 = (int(v // self.CELL) for v in box)
        return ((cx, cy) for cx in range(x1, x2 + 1) for cy in range(y1, y2 + 1))

    def _take(self, box: tuple[float, float, float, float]) -> None:
        for cell in self._cells(box):
            self.grid.setdefault(cell, []).append(box)

    def _free(self, box: tuple[float, float, float, float]) -> bool:
        return not any(_overlap(box, other) for cell in self._cells(box) for other in self.grid.get(cell, ()))

    def place(self, points: list[tuple[float, float]], text: str) -> None:
        half_w, half_h = len(text) * self.font * 0.51 / 2 + 2, self.font * 0.54  # a sans-serif letter is about 0.5em
        segments = list(zip(points, points[1:], strict=False))  # nearest the source first
        spots = [(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t) for (x1, y1), (x2, y2) in segments for t in self.STOPS]
        if not spots:
            return
        for x, y in spots:
            box = (x - half_w, y - half_h, x + half_w, y + half_h)
            if self._free(box):
                break
        else:
            x, y = spots[0]
            box = (x - half_w, y - half_h, x + half_w, y + half_h)
        self._take(box)
        self.svg.append(f'<text class="map-edge-label" x="{round(x, 1)}" y="{round(y + self.font * 0.3, 1)}" '
                        f'text-anchor="middle" font-size="{self.font}">{html_text(text)}</text>')


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _compare_link(model: Model, comparison: Comparison | None, compare_href: Href | None, drawing: str,
                  points: list[tuple[float, float]]) -> str:
    """Wrap a line in a link to the written comparison of its two concepts, when there is one."""
    if comparison is None or compare_href is None:
        return drawing
    name = f"Comparison: {comparison_title(model, comparison)}"
    # A wide invisible stroke along the same line makes it easy to hit with a finger or a mouse.
    hit = f'<path class="map-hit" d="{_d(points)}"/>'
    return (f'<a href="{html_text(compare_href(comparison.slug))}" class="map-edge-link" aria-label="{html_text(name)}">'
            f'{hit}{drawing}</a>')


def concept_map(model: Model, href: Href, href_md: Href, href_cmp_md: Href, compare_href: Href | None = None) -> str:
    """The map (a wide and a narrow drawing, chosen by screen width) and its text alternative."""
    layout = map_layout(model)
    wide = concept_map_svg(model, href, WIDE, compare_href, layout)
    tall = concept_map_svg(model, href, TALL, compare_href, layout)
    words = ["- " + _relation_sentence(model, c, href_md) for c in model.concepts.values() if c.relations]
    compared = [f"[{md_text(comparison_title(model, c))}]({href_cmp_md(c.slug)})" for c in model.comparisons]
    # A raw HTML block (no `markdown` attribute): Markdown passes it through untouched. Parsed as
    # Markdown, the one-line SVG went through the inline parser, whose cost grows with its length
    # times its tags (18 s for the home page at 1000 concepts), and tooltips could land inside SVG
    # text. The HTML is what Markdown made of the old figure, byte for byte.
    return "\n".join([
        '<figure class="concept-map-figure">',
        f"<p>{wide}{tall}</p>",
        "<figcaption>",
        "<p>Arrows are relations, named on the line. Coloured lines join the pairs compared "
        "on this site (dashed where the two are not directly related). Select a concept or a coloured line to "
        "open its page.</p>",
        "</figcaption>",
        "</figure>",
        "",
        '??? info "The map in words"',
        "",
        *("    " + line for line in words),
        "    - Written comparisons: " + ", ".join(compared) + ".",
    ])


def _relation_sentence(model: Model, concept: Concept, href: Href) -> str:
    """'Production management is part of operations management, manages the production process and applies Lean.'

    The verb of each relation type comes from the schema (`phrase`), articles from the kinds, and
    capitals from the records (`proper-name`), so no name or wording is written here.
    """
    def named(slug: str, start: bool = False) -> str:
        other = model.concepts[slug]
        article = _article(model, other)
        name = other.name if start and not article else mid_sentence(other)
        if article:
            return f"{md_text(capitalize(article) if start else article)} [{md_text(name)}]({href(slug)})"
        return f"[{md_text(name)}]({href(slug)})"

    clauses = [
        f"{md_text(model.schema.relation(key).verb)} {_and([named(t) for t in targets])}"
        for key, targets in concept.relations.items()
    ]
    # Clauses that hold lists of their own are set apart by a comma before the last "and".
    nested = len(clauses) > 1 and any(len(t) > 1 for t in concept.relations.values())
    joined = ", ".join(clauses[:-1]) + ", and " + clauses[-1] if nested else _and(clauses)
    return f"{named(concept.slug, start=True)} {joined}."


# --------------------------------------------------------------------------- references


def citation_md(bibliography: Bibliography, citation: Citation) -> str:
    """'([Ohno 1988](#ref-ohno-1988); [Liker 2004](#ref-liker-2004), p. 35)': each work linked to the
    page's own reference list. An unknown key (the build stops before this) stays as written."""
    parts = []
    for key, locator in citation.items:
        if key not in bibliography.labels:
            return "[" + "; ".join(f"@{k}" for k in citation.keys) + "]"
        link = f"[{md_text(bibliography.labels[key])}](#ref-{key})"
        parts.append(f"{link}, {md_text(locator)}" if locator else link)
    return "(" + "; ".join(parts) + ")"


@functools.lru_cache(maxsize=4096)
def reference_html(work: Work) -> str:
    """One work's reference, with its anchor: byte for byte the same on every page that lists it.

    Kept by the work's whole description (a `Work` is a tuple of its fields), so a work cited on many
    pages is written once a build, and an edited one is written afresh."""
    return f'<p class="reference" id="ref-{work.key}">{entry_html(work)}</p>'


def references_section(bibliography: Bibliography, keys: tuple[str, ...], searchable: bool = True) -> str:
    """A page's "References" section: every work it cites, in author-year order. Not `searchable`: kept
    out of the search index (a generated pair page repeats its two concepts' references)."""
    if not keys:
        return ""
    entries = "\n".join(reference_html(work) for work in bibliography.sorted(keys))
    heading, exclude = ("", "") if searchable else (' { #references data-search-exclude="" }', ' data-search-exclude=""')
    return f'## References{heading}\n\n<div class="references"{exclude}>\n{entries}\n</div>\n'


def references_page(bibliography: Bibliography, citing: dict[str, list[tuple[str, str]]]) -> str:
    """/references/: every work, each with its anchor and links to the pages that cite it.

    `citing` maps a key to (title, Markdown link target) pairs, in the order to show them."""
    blocks = []
    for work in bibliography.sorted(bibliography.keys):
        pages = citing.get(work.key, [])
        links = ", ".join(f"[{md_text(title)}]({target})" for title, target in pages)
        blocks.append(f'<div class="reference-work" markdown>\n{reference_html(work)}\n\n'
                      f'<p class="reference-cited" markdown>Cited on: {links}.</p>\n</div>' if pages else
                      f'<div class="reference-work">\n{reference_html(work)}\n</div>')
    return "\n\n".join(blocks)


def concept_references(bibliography: Bibliography | None, keys: tuple[str, ...]) -> list[dict[str, str]]:
    """A concept's references for the JSON: key, in-text citation and the reference as plain text."""
    if bibliography is None:
        return []
    return [{"key": w.key, "citation": bibliography.labels[w.key], "entry": entry_text(w)}
            for w in bibliography.sorted(keys)]


# --------------------------------------------------------------------------- data file

RECORDS_FORMAT = "concept-records"
RECORDS_VERSION = 2


def records_json(model: Model, url: Callable[[str], str], comparison_url: Callable[[str], str],
                 bibliography: Bibliography | None = None, cited: Callable[[str], tuple[str, ...]] | None = None) -> str:
    """Every record as one versioned JSON document (see the data page for the format).

    `cited(slug)` gives the keys of the works a concept's page cites (its prose and its record)."""
    schema = model.schema
    data = {
        "format": RECORDS_FORMAT,
        "version": RECORDS_VERSION,
        "schema_version": schema.version,
        "kinds": [{"key": k.key, "label": k.label, "noun": k.noun, "meaning": k.meaning} for k in schema.kinds],
        "attributes": [
            {"key": a.key, "label": a.label, "meaning": a.meaning, "type": a.type, "choices": list(a.choices),
             "multiple": a.multiple, "applies_to": list(schema.kind_keys if a.applies_to is None else a.applies_to),
             "not_applicable": a.not_applicable or None}
            for a in schema.attributes
        ],
        "relation_types": [
            {"key": r.key, "label": r.label, "inverse": r.inverse, "meaning": r.meaning} for r in schema.relations
        ],
        "concepts": [
            {
                "slug": c.slug,
                "name": c.name,
                "url": url(c.slug),
                "aliases": list(c.aliases),
                "kind": c.kind,
                "values": {a.key: _json_value(c.values.get(a.key)) for a in schema.attributes},
                "display": {a.key: cell_text(model, c, a) for a in schema.attributes},
                "relations": {k: list(v) for k, v in c.relations.items()},
                "references": concept_references(bibliography, cited(c.slug) if cited else c.references),
            }
            for c in sorted(model.concepts.values(), key=lambda c: c.slug)
        ],
        "comparisons": [
            {
                "slug": c.slug,
                "title": comparison_title(model, c),
                "url": comparison_url(c.slug),
                "concepts": list(c.concepts),
                "attributes": list(c.attributes),
                "summary": c.summary,
            }
            for c in model.comparisons
        ],
    }
    return _json_lines(data)


def _json_lines(data: dict) -> str:
    """`data` as JSON with each top-level field, and each item of a top-level list, on a line of its own.

    As readable and diffable as a record per line needs, and written by `json`'s C encoder: with
    `indent=` it falls back to the pure-Python one, several times slower on a large site."""
    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    fields = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            value_text = "[\n" + ",\n".join("  " + dump(item) for item in value) + "\n ]"
        else:
            value_text = dump(value)
        fields.append(f" {dump(key)}: {value_text}")
    return "{\n" + ",\n".join(fields) + "\n}\n"


def _json_value(value: str | tuple[str, ...] | None) -> str | list[str] | None:
    """A record's value as written: text, a list of text, or null where the attribute does not apply."""
    return value if value is None or isinstance(value, str) else list(value)
