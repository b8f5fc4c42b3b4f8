"""Render the concept model into Markdown, SVG and JSON.

Pure functions over `concept_records` data, with no MkDocs import. Links are produced by the
caller's `href` function (slug or comparison -> relative link), so this module does not know how
the site lays out its files. Every value from a record is escaped: it renders as the literal text
it holds, whatever markup it contains, and cannot break a table.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable

from concept_records import Attribute, Comparison, Concept, Glossary, Model

Href = Callable[[str], str]

# Characters with a meaning to Markdown or to the site's extensions, written as numeric entities
# so a value is always shown as text and a `|` never splits a table cell.
_MARKDOWN_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_[]{}()<>#+!|~^=:&\"'$@"}
_MARKDOWN_ESCAPES = str.maketrans(_MARKDOWN_SPECIAL)
_SPACE = re.compile(r"\s+")


def md_text(value: str) -> str:
    """Escape a plain-text value for inline Markdown: markup shows as text, whitespace folds."""
    return _SPACE.sub(" ", value).strip().translate(_MARKDOWN_ESCAPES)


def html_text(value: str) -> str:
    """Escape a plain-text value for HTML text or attributes."""
    return html.escape(_SPACE.sub(" ", value).strip(), quote=True)


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


def comparison_title(model: Model, comparison: Comparison) -> str:
    """'Lean vs process improvement': the two names in the page's order, in sentence case."""
    a, b = (model.concepts[s].name for s in comparison.concepts)
    return f"{a} vs {_lower_first(b)}"


def _lower_first(name: str) -> str:
    """Lower-case the first letter unless the first word is an acronym ('KPI', 'OEE')."""
    first = name.split(" ", 1)[0]
    return name if first.isupper() and len(first) > 1 else name[:1].lower() + name[1:]


def _row_head(attribute: Attribute) -> str:
    label = md_text(attribute.label)
    return (
        f'<span class="row-anchor" id="{attribute.key}"></span>**{label}** '
        f'[¶](#{attribute.key}){{ .row-link aria-label="Link to the {html_text(attribute.label)} row" }}'
    )


def attribute_table(model: Model, slugs: tuple[str, ...], keys: tuple[str, ...], href: Href) -> str:
    """A Markdown table: one row per attribute (with anchor), one column per concept."""
    heads = " | ".join(f"[{md_text(model.concepts[s].name)}]({href(s)})" for s in slugs)
    lines = [f"| Attribute | {heads} |", "|" + " --- |" * (len(slugs) + 1)]
    for key in keys:
        attribute = model.schema.attribute(key)
        cells = " | ".join(md_text(format_value(attribute, model.concepts[s].values[key])) for s in slugs)
        lines.append(f"| {_row_head(attribute)} | {cells} |")
    return "\n".join(lines)


def comparison_table(model: Model, comparison: Comparison, href: Href) -> str:
    """The generated table of a written comparison."""
    table = attribute_table(model, comparison.concepts, comparison.attributes, href)
    return f'<div class="concept-table-wrap" markdown>\n\n{table}\n\n</div>'


def concept_attributes(model: Model, concept: Concept) -> str:
    """A concept page's own record, one row per attribute, with the same anchors as comparisons."""
    lines = ["| Attribute | Value |", "| --- | --- |"]
    for attribute in model.schema.attributes:
        value = md_text(format_value(attribute, concept.values[attribute.key]))
        lines.append(f"| {_row_head(attribute)} | {value} |")
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
    return [f"- [{md_text(comparison_title(model, c))}]({href(c.slug)}): {md_text(c.summary)}" for c in comparisons]


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


def glossary_page(glossary: Glossary) -> str:
    """The glossary's body: a section per category, a heading (and anchor) per term."""
    lines: list[str] = []
    for category in glossary.categories:
        terms = sorted((t for t in glossary.terms if t.category == category.key), key=lambda t: t.term.casefold())
        if not terms:
            continue
        lines += [f"## {md_text(category.label)}", ""]
        for term in terms:
            lines += [f"### {md_text(term.term)} {{ #{term.id} }}", ""]
            if term.also:
                lines += [f'<p class="glossary-also" markdown>Also written: {md_text(", ".join(term.also))}</p>', ""]
            lines += [md_text(term.definition), ""]
    return "\n".join(lines)


def abbreviations(glossary: Glossary) -> dict[str, str]:
    """Every written form of every term (as written, lower case, capitalised, title case) -> its definition.

    Given to the abbr extension as its glossary, so each use of a term on any page gets a tooltip.
    """
    forms: dict[str, str] = {}
    for term in glossary.terms:
        title = _SPACE.sub(" ", term.definition).strip()
        for form in term.forms:
            for variant in (form, form.lower(), capitalize(form), form.title()):
                forms.setdefault(variant, title)
    return forms


# --------------------------------------------------------------------------- concept map


def _map_order(model: Model) -> list[str]:
    """Concepts in an order that keeps compared pairs next to each other on the ring."""
    order: list[str] = []
    placed: set[str] = set()
    for comparison in model.comparisons:
        for s in comparison.concepts:
            if s not in placed:
                placed.add(s)
                order.append(s)
    return order + sorted(s for s in model.concepts if s not in placed)


def _wrap(name: str) -> list[str]:
    words = name.split()
    if len(name) <= 14 or len(words) == 1:
        return [name]
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return [" ".join(words[:best]), " ".join(words[best:])]


def _clip(x1: float, y1: float, x2: float, y2: float, w: float, h: float) -> tuple[float, float]:
    """Where the segment from a box centre (x1, y1) towards (x2, y2) leaves a w x h box."""
    dx, dy = x2 - x1, y2 - y1
    scale = min(w / 2 / abs(dx) if dx else math.inf, h / 2 / abs(dy) if dy else math.inf)
    return x1 + dx * scale, y1 + dy * scale


def _ring(order: list[str], width: int, height: int, box_w: int, box_h: int) -> dict[str, tuple[float, float]]:
    """Nodes evenly spaced on an ellipse filling the drawing (wide screens)."""
    cx, cy = width / 2, height / 2
    rx, ry = width / 2 - box_w / 2 - 6, height / 2 - box_h / 2 - 6
    pos = {}
    for i, slug in enumerate(order):
        angle = -math.pi / 2 + 2 * math.pi * i / len(order)
        pos[slug] = (round(cx + rx * math.cos(angle), 1), round(cy + ry * math.sin(angle), 1))
    return pos


def _grid(order: list[str], width: int, height: int, box_w: int, box_h: int) -> dict[str, tuple[float, float]]:
    """Nodes in three columns, rows staggered so edges rarely run through a box (narrow screens)."""
    columns = 3
    rows = math.ceil(len(order) / columns)
    step_x = (width - box_w - 12) / (columns - 1)
    step_y = (height - box_h - 12 - box_h) / max(rows - 1, 1)
    pos = {}
    for i, slug in enumerate(order):
        row, col = divmod(i, columns)
        stagger = box_h if col == 1 else 0
        pos[slug] = (round(6 + box_w / 2 + col * step_x, 1), round(6 + box_h / 2 + row * step_y + stagger, 1))
    return pos


def concept_map_svg(model: Model, href: Href, width: int, height: int, css_class: str, tall: bool = False) -> str:
    """The concepts as linked boxes, relations as arrows, written comparisons as dashed lines."""
    order = _map_order(model)
    box_w, box_h = (120, 48) if tall else (150, 48)
    pos = (_grid if tall else _ring)(order, width, height, box_w, box_h)
    title_id = f"{css_class}-title"
    out = [
        f'<svg class="concept-map {css_class}" viewBox="0 0 {width} {height}" role="group" '
        f'aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">Concept map: how the {len(order)} concepts relate and which pairs are compared</title>',
        f'<defs><marker id="{css_class}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" class="map-arrowhead"/></marker></defs>',
    ]
    for comparison in model.comparisons:
        a, b = comparison.concepts
        out.append(_edge(pos[a], pos[b], box_w, box_h, "map-compare", "",
                         f"Compared: {comparison_title(model, comparison)}"))
    for concept in model.concepts.values():
        for key, targets in concept.relations.items():
            label = model.schema.relation(key).label.lower()
            for target in targets:
                out.append(_edge(pos[concept.slug], pos[target], box_w, box_h, "map-relation",
                                 f' marker-end="url(#{css_class}-arrow)"',
                                 f"{concept.name} {label} {model.concepts[target].name}"))
    for slug in order:
        x, y = pos[slug]
        lines = _wrap(model.concepts[slug].name)
        first = y - (len(lines) - 1) * 9 + 5
        # Lines after the first start with a space, so the link's text (its accessible name) keeps word breaks.
        text = "".join(
            f'<tspan x="{x}" y="{round(first + i * 18, 1)}">{" " if i else ""}{html_text(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        out.append(
            f'<a href="{html_text(href(slug))}" class="map-node">'
            f'<rect x="{x - box_w / 2}" y="{y - box_h / 2}" width="{box_w}" height="{box_h}" rx="10"/>'
            f'<text text-anchor="middle">{text}</text></a>'
        )
    out.append("</svg>")
    return "".join(out)


def _edge(p, q, w, h, css, extra, title) -> str:
    x1, y1 = _clip(*p, *q, w + 8, h + 8)
    x2, y2 = _clip(*q, *p, w + 8, h + 8)
    return (
        f'<line class="{css}" x1="{round(x1, 1)}" y1="{round(y1, 1)}" x2="{round(x2, 1)}" y2="{round(y2, 1)}"{extra}>'
        f"<title>{html_text(title)}</title></line>"
    )


def concept_map(model: Model, href: Href, href_md: Href, href_cmp_md: Href) -> str:
    """The map (a wide and a tall drawing, chosen by screen width) and its text alternative."""
    wide = concept_map_svg(model, href, 900, 520, "map-wide")
    tall = concept_map_svg(model, href, 400, 640, "map-tall", tall=True)
    words = ["- " + _relation_sentence(model, c, href_md) for c in model.concepts.values() if c.relations]
    compared = [f"[{md_text(comparison_title(model, c))}]({href_cmp_md(c.slug)})" for c in model.comparisons]
    return "\n".join([
        '<figure class="concept-map-figure" markdown>',
        wide + tall,
        '<figcaption markdown>Solid arrows are relations; dashed lines join the pairs compared on this site. '
        "Select a concept to open its page.</figcaption>",
        "</figure>",
        "",
        '??? info "The map in words"',
        "",
        *("    " + line for line in words),
        "    - Written comparisons: " + ", ".join(compared) + ".",
    ])


def _relation_sentence(model: Model, concept: Concept, href: Href) -> str:
    parts = []
    for key, targets in concept.relations.items():
        label = model.schema.relation(key).label.lower()
        names = ", ".join(f"[{md_text(model.concepts[t].name)}]({href(t)})" for t in targets)
        parts.append(f"{label} {names}")
    return f"[{md_text(concept.name)}]({href(concept.slug)}) " + "; ".join(parts) + "."


# --------------------------------------------------------------------------- data file

RECORDS_FORMAT = "concept-records"
RECORDS_VERSION = 1


def records_json(model: Model, url: Callable[[str], str], comparison_url: Callable[[str], str]) -> str:
    """Every record as one versioned JSON document (see the data page for the format)."""
    schema = model.schema
    data = {
        "format": RECORDS_FORMAT,
        "version": RECORDS_VERSION,
        "schema_version": schema.version,
        "attributes": [
            {"key": a.key, "label": a.label, "meaning": a.meaning, "type": a.type, "choices": list(a.choices)}
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
                "values": {a.key: c.values[a.key] if isinstance(c.values[a.key], str) else list(c.values[a.key])
                           for a in schema.attributes},
                "display": {a.key: format_value(a, c.values[a.key]) for a in schema.attributes},
                "relations": {k: list(v) for k, v in c.relations.items()},
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
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
