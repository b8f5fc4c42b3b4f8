"""The glossary: its page (A to Z), the tooltips on other pages, and where each term is used.

Pure functions over `concept_records` data, with no MkDocs import. Links come from the caller's
`href` functions, as in `concept_render`.

The page lists every term from A to Z under a letter index. Each entry keeps its anchor
(`/glossary/#muda`), gives its definition first (what search shows), then its other written
forms, the concepts and comparisons that use it and the terms related to it, all derived at
build time: a term is used by a page whose prose or record mentions one of its forms, and two
terms are related when the definition of one mentions the other. Other names that are more than
an inflection ("just-in-time" for JIT) get a "see" line under their own letter. The themes of
`data/glossary.yml` stay as a label on each entry and as lists at the end, under their old anchors.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown.serializers import _escape_attrib_html  # how Markdown writes an attribute's value

from abbr_trie import compiled_pattern, trie_alternation
from concept_records import Glossary, Model, Term, slugify
from concept_render import abbreviations, comparison_title, md_text, tooltip_text

Href = Callable[[str], str]
_WORD_CHAR = re.compile(r"\w")
DIGITS = "0–9"
# Links per entry, within the page's budget of elements (the Lighthouse gate): concepts come first.
MAX_USED = 4
MAX_RELATED = 2
NEWLINE = "\n"  # a line break without an element: the page's CSS keeps line breaks in these paragraphs


_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_ALNUM_RUN = re.compile(r"[a-z0-9]+")


def _squash(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


def other_names(term: Term) -> list[str]:
    """The forms of a term that are names of their own, not a spelling of it ('TPS', 'genba').

    Left out: plurals and other endings ('kanbans', 'value stream maps'), hyphen or space
    ('poka yoke', 're-engineering'), a part of the name ('process reengineering') and any form
    whose words are all the name's words; and each of these for a form already kept.
    """
    found: list[str] = []
    for form in term.also:
        if not any(_variant(form, name) for name in (term.term, *found)):
            found.append(form)
    return found


def _variant(form: str, name: str) -> bool:
    """Whether `form` only spells `name` another way: an ending, a hyphen or space, its own words."""
    squashed, own = _squash(form), _squash(name)
    if squashed.startswith(own) or squashed.rstrip("s") in own:
        return True
    own_words = _words(name)
    return all(any(_same_word(w, o) for o in own_words) for w in _words(form))


def _words(text: str) -> list[str]:
    return [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in _ALNUM_RUN.findall(text.casefold())]


def _same_word(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)))


class Finder:
    """Finds the terms a text mentions: the tooltips' forms and variants, as whole words that a hyphen
    does not join to another word ('lean' is not found in 'lean-ish')."""

    def __init__(self, glossary: Glossary):
        # The tooltips' forms and variants (the same keys, so one compiled pattern serves both).
        self.term_of: dict[str, str] = abbreviations(glossary, lambda term: term.id)
        # Where every form starts and ends with a word character (the usual glossary), the tooltips'
        # pattern finds the same forms, a hyphen aside (see `_scan`): it is compiled once for both.
        self._shared = bool(self.term_of) and all(_WORD_CHAR.match(f[0]) and _WORD_CHAR.match(f[-1])
                                                  for f in self.term_of)
        self._tooltips: re.Pattern | None = None  # abbr_trie.compiled_pattern of the forms, when first needed
        self._own: re.Pattern | None = None  # otherwise: compiled when first needed
        self._found: dict[str, frozenset[str]] = {}  # text -> its terms, for the next build too

    @property
    def pattern(self) -> re.Pattern | None:
        """The forms, longest first, as a trie (one path per position instead of every form in turn),
        with the word edges of this finder: no word character or hyphen on either side."""
        if self._own is None and self.term_of:
            body = trie_alternation(self.term_of)
            self._own = re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])")
        return self._own

    def terms(self, text: str) -> set[str]:
        if not self.term_of:
            return set()
        found = self._found.get(text)
        if found is None:
            if len(self._found) > 4096:
                self._found.clear()
            found = self._found[text] = frozenset(self._scan(text) if self._shared else
                                                  (self.term_of[m.group(0)] for m in self.pattern.finditer(text)))
        return set(found)

    def _scan(self, text: str) -> list[str]:
        r"""The term ids `pattern.finditer` finds, found with the tooltips' pattern `\b(?:forms)\b`.

        When every form starts and ends with a word character, `\b` before a form means no word
        character before it, and `\b` after it no word character after it. So wherever `pattern`
        matches, the tooltips' pattern matches too, with the same form or a longer one, and the two
        differ only where a hyphen touches the form the tooltips' pattern took:
        - after a hyphen, `pattern` finds nothing there: look again from the next character;
        - before a hyphen, `pattern` takes the longest shorter form at the same place that ends
          before a character that is neither a word character nor a hyphen; if there is none, look
          again from the next character. (No longer form can end there: the tooltips' pattern took
          the longest form followed by a non-word character.)
        The property tests in tests/test_abbr_trie.py check this against `pattern`.
        """
        if self._tooltips is None:  # at the first text: the tooltips of pages converted so far compiled it
            self._tooltips = compiled_pattern(frozenset(self.term_of))
        term_of, search = self.term_of, self._tooltips.search
        found, position = [], 0
        while (match := search(text, position)) is not None:
            start, end = match.span()
            if start and text[start - 1] == "-":
                position = start + 1
                continue
            if text.startswith("-", end):
                end = next((cut for cut in range(end - 1, start, -1)
                            if text[cut] != "-" and not _WORD_CHAR.match(text[cut]) and text[start:cut] in term_of),
                           None)
                if end is None:
                    position = start + 1
                    continue
            found.append(term_of[text[start:end]])
            position = end
        return found


_FINDERS: dict[tuple, Finder] = {}


def finder(glossary: Glossary) -> Finder:
    """The Finder for this glossary's forms: kept while they stay the same (under serve, from build to build)."""
    key = tuple((term.id, tuple(term.forms)) for term in glossary.terms)
    found = _FINDERS.get(key)
    if found is None:
        _FINDERS.clear()
        found = _FINDERS[key] = Finder(glossary)
    return found


def usage(model: Model, texts: dict[tuple[str, str], str]) -> dict[str, list[tuple[str, str]]]:
    """Term id -> the pages that mention it: ('concept', slug) first, then ('compare', slug).

    `texts` holds each record page's prose; a concept's page also mentions what its record holds.
    """
    if not model.glossary:
        return {}
    find = finder(model.glossary)
    found: dict[str, list[tuple[str, str]]] = {t.id: [] for t in model.glossary.terms}

    def record_text(slug: str) -> str:
        concept = model.concepts[slug]
        values = [v if isinstance(v, str) else "; ".join(v) for v in concept.values.values()]
        return "\n".join([concept.name, *concept.aliases, *values])

    pages = [("concept", slug) for slug in sorted(model.concepts, key=lambda s: model.concepts[s].name.casefold())]
    pages += [("compare", c.slug) for c in model.comparisons]
    for kind, slug in pages:
        # A comparison's table repeats its two records, already linked as concepts: its own prose counts.
        text = record_text(slug) if kind == "concept" else ""
        for term_id in find.terms(text + "\n" + texts.get((kind, slug), "")):
            found[term_id].append((kind, slug))
    return found


def related(glossary: Glossary) -> dict[str, list[str]]:
    """Term id -> the terms its definition mentions, then those whose definitions mention it."""
    find = finder(glossary)
    names = {t.id: t.term.casefold() for t in glossary.terms}
    mentions = {t.id: sorted(find.terms(t.definition) - {t.id}, key=names.__getitem__) for t in glossary.terms}
    links: dict[str, list[str]] = {t.id: list(mentions[t.id]) for t in glossary.terms}
    for term in sorted(glossary.terms, key=lambda t: names[t.id]):
        for other in mentions[term.id]:
            if term.id not in links[other]:
                links[other].append(term.id)
    return links


# --------------------------------------------------------------------------- the page


def letter(squashed: str) -> str:
    """The index letter of a squashed name (`_squash`): its first letter, or DIGITS."""
    first = squashed[:1].upper()
    return first if first.isalpha() else DIGITS


def _letter_id(key: str) -> str:
    return "letter-" + ("0-9" if key == DIGITS else key.lower())


def glossary_page(model: Model, used: dict[str, list[tuple[str, str]]], concept_href: Href,
                  compare_href: Href) -> str:
    """The glossary's body: a letter index, then every term A to Z with its links, then the themes.

    Kept small (the page has over a hundred terms and a budget of elements, see the Lighthouse
    gate): an entry is its heading and one paragraph, the definition followed by its links, like
    a dictionary's "see also"; "see" lines are one paragraph per letter.
    """
    glossary = model.glossary
    if glossary is None:
        return ""
    terms = {t.id: t for t in glossary.terms}
    near = related(glossary)
    themes = {c.key: c.label for c in glossary.categories}
    # (sort key, kind, payload): entries and "see" lines; then each with its letter, interleaved alphabetically
    keyed: list[tuple[str, str, object]] = [(_squash(t.term), "term", t) for t in glossary.terms]
    keyed += [(_squash(name), "see", (name, t)) for t in glossary.terms for name in other_names(t)]
    rows = sorted(((key, kind, letter(key), payload) for key, kind, payload in keyed),
                  key=lambda row: (row[2] != DIGITS, row[0], row[1]))

    letters = list(dict.fromkeys(row[2] for row in rows))
    jumps = " ".join(f'<a href="#{_letter_id(k)}">{k}</a>' for k in letters)
    lines = [f'<nav class="glossary-az" aria-label="Glossary from A to Z" data-search-exclude="">{jumps}</nav>', ""]
    current = None
    see: list[str] = []

    def flush() -> None:  # a letter's "see" lines so far, as one paragraph
        if see:
            lines.extend([f'<p class="glossary-see" data-search-exclude="" markdown>{NEWLINE.join(see)}</p>', ""])
            see.clear()

    for _, kind, initial, payload in rows:
        if initial != current:
            flush()
            current = initial
            lines += [f'## {current} {{ #{_letter_id(current)} .glossary-letter data-search-exclude="" }}', ""]
        if kind == "see":
            name, term = payload
            see.append(f"{md_text(name)}: see [{md_text(term.term)}](#{term.id})")
            continue
        flush()
        term = payload
        lines += [f"### {md_text(term.term)} {{ #{term.id} .glossary-term }}", ""]
        facts = [md_text(term.definition)]
        if term.also:
            facts.append(f"Also written: {md_text(', '.join(term.also))}.")
        pages = used.get(term.id, [])
        if pages:
            shown = [f"[{md_text(model.concepts[s].name)}]({concept_href(s)})" if k == "concept"
                     else f"[{md_text(comparison_title(model, model.comparison(s)))}]({compare_href(s)})"
                     for k, s in pages]
            more = f" and {len(shown) - MAX_USED} more pages" if len(shown) > MAX_USED else ""
            facts.append(f"Used in: {', '.join(shown[:MAX_USED])}{more}.")
        if near.get(term.id):
            shown = [f"[{md_text(terms[r].term)}](#{r})" for r in near[term.id][:MAX_RELATED]]
            facts.append(f"Related: {', '.join(shown)}.")
        facts.append(f"Theme: {md_text(themes.get(term.category, term.category))}.")
        # One paragraph, like a dictionary entry: search takes the definition from the record instead.
        lines += [f'<p class="glossary-entry" data-search-exclude="" markdown>{NEWLINE.join(facts)}</p>', ""]
    flush()
    lines += ['## Terms by theme { #themes data-search-exclude="" }', ""]
    for category in glossary.categories:
        members = sorted((t for t in glossary.terms if t.category == category.key), key=lambda t: _squash(t.term))
        if members:
            # The anchor the theme's heading had when the page was grouped by theme (#measures).
            names = ", ".join(md_text(t.term) for t in members)
            lines += [f'<p id="{slugify(category.label)}" class="glossary-theme" data-search-exclude="" markdown>'
                      f"{md_text(category.label)}: {names}.</p>", ""]
    return "\n".join(lines)


_PERMALINK = re.compile(r'(<h[23] [^>]*class="glossary-(?:term|letter)"[^>]*>.*?)<a class="headerlink"[^>]*>[^<]*</a>',
                        re.DOTALL)


def without_term_permalinks(html: str) -> str:
    """The glossary's term and letter headings without their ¶ links: over a hundred elements spared.

    Each term keeps its anchor (/glossary/#muda), which search results and other pages link to.
    """
    return _PERMALINK.sub(r"\1", html)


# --------------------------------------------------------------------------- tooltips under serve

# A tooltip's title while the page is converted under `mkdocs serve`: a key between two private-use
# characters, filled with the definition afterwards (`fill_tooltips`).
_KEY_MARK = "\ue000"
_KEYED_TITLE = re.compile(f'title="{_KEY_MARK}([^"{_KEY_MARK}]*){_KEY_MARK}"')


def tooltip_keys(glossary: Glossary) -> tuple[dict[str, str], dict[str, str]]:
    """The glossary for `abbr` with a key in place of each definition, and each key's title attribute.

    Markdown's output then depends on the terms' forms, not on their definitions: a page converted
    before a definition was edited is still right once `fill_tooltips` puts the new one in, so the
    build cache keeps every page's conversion through a definition edit. The title is escaped as
    Python-Markdown escapes an attribute, so the result is the same as converting with definitions.
    Terms with the same definition share a key, so each page has the Tab stops (one per title,
    `abbr_trie.first_uses`) it has with the definitions themselves.
    """
    key_of = _key_of(glossary)
    keys = abbreviations(glossary, lambda term: f"{_KEY_MARK}{key_of[tooltip_text(term)]}{_KEY_MARK}")
    titles = {key: _escape_attrib_html(text) for text, key in key_of.items()}
    return keys, titles


def _key_of(glossary: Glossary) -> dict[str, str]:
    """Each definition (as its tooltip shows it) -> its key: the id of the first term with it."""
    key_of: dict[str, str] = {}
    for term in glossary.terms:
        key_of.setdefault(tooltip_text(term), term.id)
    return key_of


def keyed_definitions(glossary: Glossary) -> dict[str, str]:
    """Each key `tooltip_keys` gives `abbr` -> the definition it stands for, as plain text."""
    return {f"{_KEY_MARK}{key}{_KEY_MARK}": text for text, key in _key_of(glossary).items()}


def definitions(keyed: dict[str, str], glossary: Glossary) -> dict[str, str]:
    """`abbr`'s glossary with each key (`tooltip_keys`) replaced by its definition: a build that keeps
    no conversion (`mkdocs build`) gives `abbr` this and has no titles to fill."""
    plain = keyed_definitions(glossary)
    return {form: plain[key] for form, key in keyed.items()}


def fill_tooltips(html: str, titles: dict[str, str]) -> str:
    """Put each tooltip's definition in place of its key (see `tooltip_keys`)."""
    if _KEY_MARK not in html:
        return html
    return _KEYED_TITLE.sub(lambda m: f'title="{titles.get(m.group(1), "")}"', html)
