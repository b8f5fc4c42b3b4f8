"""References: the works the site cites (data/references.yml), citations in page Markdown, their text.

Pure Python with no MkDocs import. `parse_references` validates the file and builds a
`Bibliography`; `find_citations` finds Pandoc-style citations (`[@key]`, `[@a; @b]`,
`[@key, p. 12]`) in page Markdown, outside code; `check_citations` reports unknown keys, each as
one line naming the file, the line, the key and the closest known key. Every work is formatted by
one function, `entry_parts`, so its reference reads the same on every page and in the JSON.
"""

# Annotations evaluated at import, not strings: see the note in concept_records.py.

import functools
import html
import re
from collections.abc import Iterable
from typing import NamedTuple

from concept_files import SLUG_OK, Problem, Source, check_keys, describe, is_text, is_text_list, suggest
from safe_output import fold

TYPES = ("book", "article", "chapter", "standard", "report", "web", "source")
FIELDS = ("key", "type", "authors", "short-author", "year", "title", "short-title", "book", "editors", "publisher",
          "edition", "journal", "volume", "issue", "pages", "url", "note")
REQUIRED = {
    "book": ("authors", "year", "title", "publisher"),
    "article": ("authors", "year", "title", "journal"),
    "chapter": ("authors", "year", "title", "publisher"),
    "standard": ("authors", "year", "title"),
    "report": ("authors", "year", "title", "publisher"),
    "web": ("title", "url"),
    "source": ("title",),
}
_TEXT_FIELDS = ("short-author", "title", "short-title", "book", "publisher", "edition", "journal", "url", "note")
_NUMBER_OR_TEXT = ("volume", "issue", "pages")


# --------------------------------------------------------------------------- the bibliography


class Work(NamedTuple):
    """One work the site cites, as described in data/references.yml."""

    key: str
    type: str
    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    short_author: str = ""
    short_title: str = ""
    book: str = ""
    editors: tuple[str, ...] = ()
    publisher: str = ""
    edition: str = ""
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    url: str = ""
    note: str = ""
    line: int | None = None  # where it starts in data/references.yml


class Bibliography(NamedTuple):
    works: tuple[Work, ...]
    labels: dict[str, str]  # key -> author-year text of its citations ("Womack and Jones 1996")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(w.key for w in self.works)

    def sorted(self, keys: Iterable[str]) -> list[Work]:
        """Works in reference-list order: by their citation text, then key."""
        by_key = {w.key: w for w in self.works}
        return sorted((by_key[k] for k in set(keys)),
                      key=lambda w: (self.labels[w.key].strip("“”").casefold(), w.key))


def parse_references(path: str, source: Source) -> tuple[Bibliography | None, list[Problem]]:
    """Validate data/references.yml and build a Bibliography."""
    data = source.data
    if data is None:
        data = {"references": []}
    if not isinstance(data, dict):
        return None, [Problem(path, f"expected a mapping with 'references', got {describe(data)}", 1)]
    problems: list[Problem] = []
    check_keys(path, source, data, (), ("references",), problems)
    raw = data.get("references") or []
    if not isinstance(raw, list):
        return None, [Problem(path, f"expected a list of works, got {describe(raw)}", source.line("references"),
                              "references")]
    works: list[Work] = []
    for i, item in enumerate(raw):
        work = _parse_work(path, source, i, item, problems)
        if work is None:
            continue
        if any(w.key == work.key for w in works):
            problems.append(Problem(path, f"key '{work.key}' is used twice: keep one entry or rename one",
                                    work.line, "key"))
            continue
        works.append(work)
    if problems:
        return None, problems
    return Bibliography(tuple(works), _labels(works)), []


def _parse_work(path, source, i, item, problems) -> Work | None:
    where = ("references", i)
    line = source.line(*where)
    if not isinstance(item, dict):
        problems.append(Problem(path, f"expected a mapping with key, type, title, ...; got {describe(item)}", line,
                                "references"))
        return None
    before = len(problems)
    check_keys(path, source, item, where, FIELDS, problems)

    def problem(name: str, message: str) -> None:
        problems.append(Problem(path, message, source.line(*where, name), name))

    key = item.get("key")
    if not is_text(key) or not SLUG_OK.match(key.strip()):
        problem("key", f"expected lowercase words and digits joined by hyphens (such as 'ohno-1988'), got "
                f"{key if is_text(key) else describe(key)}")
        return None
    kind = item.get("type")
    if kind not in TYPES:
        shown = kind if is_text(kind) else describe(kind)
        problem("type", f"'{shown}' is not a type{suggest(str(kind), TYPES, False)}: use one of {', '.join(TYPES)}")
        return None
    for name in REQUIRED[kind]:
        if item.get(name) in (None, "", []):
            article = "an" if kind[0] in "aeiou" else "a"
            problem(name, f"missing: {article} {kind} needs {', '.join(REQUIRED[kind])}: add '{name}: ...'")
    for name in ("authors", "editors"):
        if name in item and (not is_text_list(item[name]) or not item[name]):
            problem(name, f"expected a list of names (\"Family, Given\"), got {describe(item[name])}")
    year = item.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 1000 <= year <= 9999):
        problem("year", f"expected a four-digit year, got {describe(year) if not isinstance(year, int) else year}")
    for name in _TEXT_FIELDS:
        if name in item and not is_text(item[name]):
            problem(name, f"expected text, got {describe(item[name])}")
    for name in _NUMBER_OR_TEXT:
        value = item.get(name)
        if name in item and not (is_text(value) or (isinstance(value, int) and not isinstance(value, bool))):
            problem(name, f"expected text or a number, got {describe(value)}")
    url = item.get("url")
    if is_text(url) and not re.match(r"https?://[^\s/]+\.[^\s]+$", url.strip()):
        problem("url", "expected a full address starting with https:// (a stable public page)")
    if len(problems) > before:
        return None

    def text(name: str) -> str:
        value = item.get(name)
        return "" if value is None else fold(str(value))

    return Work(
        key.strip(), kind, text("title"), tuple(fold(a) for a in item.get("authors", [])), year,
        text("short-author"), text("short-title"), text("book"), tuple(fold(e) for e in item.get("editors", [])),
        text("publisher"), text("edition"), text("journal"), text("volume"), text("issue"), text("pages"), text("url"),
        text("note"), line,
    )


# --------------------------------------------------------------------------- citation text


def family(name: str) -> str:
    """'Ohno, Taiichi' -> 'Ohno'; an organisation (no comma) as written."""
    return name.split(",", 1)[0].strip()


def short_title(work: Work) -> str:
    """The title cited for a work with no author: `short-title`, or up to five words before any colon."""
    if work.short_title:
        return work.short_title
    words = re.split(r"[:(]", work.title, maxsplit=1)[0].split()
    return " ".join(words[:5]) + ("…" if len(words) > 5 else "")


def _author_part(work: Work) -> str:
    if work.short_author:
        return work.short_author
    names = [family(a) for a in work.authors]
    if not names:
        return f"“{short_title(work)}”"
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


def _labels(works: list[Work]) -> dict[str, str]:
    """Author-year text per key; works that would read alike get 1990a, 1990b (in key order)."""
    base = {w.key: f"{_author_part(w)} {w.year if w.year else 'n.d.'}" for w in works}
    labels = dict(base)
    groups: dict[str, list[str]] = {}
    for key, text in base.items():
        groups.setdefault(text, []).append(key)
    for text, keys in groups.items():
        if len(keys) > 1:
            for letter, key in zip("abcdefghijklmnopqrstuvwxyz", sorted(keys), strict=False):
                labels[key] = f"{text}{letter}" if not text.endswith("n.d.") else f"{text}-{letter}"
    return labels


# --------------------------------------------------------------------------- the reference entry


def _names(names: tuple[str, ...], invert_first: bool) -> str:
    """'Womack, James P., Daniel T. Jones and Daniel Roos': the first inverted, the others in reading order."""
    shown = []
    for i, name in enumerate(names):
        if "," in name and not (invert_first and i == 0):
            last, given = (p.strip() for p in name.split(",", 1))
            shown.append(f"{given} {last}")
        else:
            shown.append(name)
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _stop(text: str) -> str:
    """End a piece with a full stop unless it already ends with punctuation."""
    return text if text.endswith((".", "?", "!", "…")) else text + "."


def _edition(edition: str) -> str:
    return f"{edition} edition" if re.fullmatch(r"\d+(st|nd|rd|th)", edition) else edition


def entry_parts(work: Work) -> list[tuple[str, str]]:
    """The one description of a work: (style, text) pieces, style being '', 'em' (a book or journal
    title), 'quote' (an article or chapter title, in quotation marks) or 'url'. Rendered as HTML for
    pages and as plain text for the JSON, so both read the same."""
    parts: list[tuple[str, str]] = []
    year = str(work.year) if work.year else "n.d."
    quoted = work.type in ("article", "chapter", "web", "source")
    # A quoted title takes its full stop inside the quotation marks; an italic one after the italics.
    title = [("quote", work.title)] if quoted else [("em", work.title), ("", "" if _stop(work.title) == work.title else ".")]
    if work.authors:
        names = _names(work.authors, True) + (f" ({work.short_author})" if work.short_author else "")
        parts += [("", f"{_stop(names)} {_stop(year)} "), *title]
    else:
        parts += [*title, ("", f" {_stop(year)}")]
    rest: list[str] = []
    if work.type == "article":
        detail = []
        if work.volume:
            detail.append(work.volume)
        if work.issue:
            detail.append(f"({work.issue})")
        where = " ".join(detail)
        if work.pages:
            where = f"{where}: {_dash(work.pages)}" if where else _dash(work.pages)
        parts += [("", " "), ("em", work.journal)]
        parts.append(("", f" {where}." if where else "."))
    if work.type == "chapter" and work.book:
        parts += [("", " In "), ("em", work.book)]
        parts.append(("", f", edited by {_names(work.editors, False)}." if work.editors else "."))
    if work.edition:
        rest.append(_stop(_edition(work.edition)))
    if work.publisher:
        rest.append(_stop(work.publisher))
    if rest:
        parts.append(("", " " + " ".join(rest)))
    if work.url:
        parts += [("", " "), ("url", work.url)]
    if work.note:
        parts.append(("", " " + _stop(work.note)))
    return parts


def _dash(pages: str) -> str:
    return re.sub(r"(?<=\d)-(?=\d)", "–", pages)


def entry_html(work: Work) -> str:
    """A work's reference as HTML (text escaped; titles in <em> or quotation marks; the address linked)."""
    out = []
    for style, text in entry_parts(work):
        safe = html.escape(text, quote=True)
        if style == "em":
            out.append(f"<em>{safe}</em>")
        elif style == "quote":
            out.append(f"“{_stop(safe)}”")
        elif style == "url":
            out.append(f'<a href="{safe}">{safe}</a>')
        else:
            out.append(safe)
    return "".join(out).strip()


def entry_text(work: Work) -> str:
    """The same reference as plain text, for the JSON."""
    return "".join(f"“{_stop(text)}”" if style == "quote" else text for style, text in entry_parts(work)).strip()


# --------------------------------------------------------------------------- citations in Markdown

_ITEM = r"@[^\s;\],\[]+(?:\s*,[^;\]\[]*)?"
# Not a link's text ([@x](url), [@x][ref]) nor a link reference definition ("[@x]: url" at a line's start).
_CITATION = re.compile(rf"\[(\s*{_ITEM}(?:\s*;\s*{_ITEM})*)\s*\](?![(\[])")
_DEFINITION = re.compile(r"(?:^|\n)[ ]{0,3}$")
_ONE = re.compile(r"\s*@([^\s;\],\[]+)(?:\s*,\s*([^;\]\[]*?))?\s*$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
# Inline code (a run of backticks to the same run), <code>, or a comment. Every branch starts with a
# character of its own (` or <), which lets `re` skip to the next one in C instead of trying the
# pattern at every position (four times faster on the site's pages): the backtick run's "no
# backtick before it" is checked after its first backtick, where it reads two characters back.
_INLINE = re.compile(r"`(?<!``)(`*)(?!`).*?(?<!`)`\1(?!`)|<code\b.*?</code>|<!--.*?-->", re.DOTALL)


class Citation(NamedTuple):
    """One bracket of citations in a page: its keys (with any locator such as 'p. 12') and where it stands."""

    items: tuple[tuple[str, str], ...]  # (key, locator)
    start: int
    end: int
    line: int  # 1-based, within the text searched

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.items)


def _prose_spans(text: str) -> list[tuple[int, int]]:
    """The parts of a Markdown text outside fenced code blocks, inline code and HTML comments."""
    spans, start, offset, fence = [], 0, 0, None
    # A fence is three backticks or tildes: a text with neither (most pages) is read whole, not line by line.
    lines = text.splitlines(keepends=True) if "```" in text or "~~~" in text else ()
    for line in lines:
        match = _FENCE.match(line)
        if fence is None and match:
            spans.append((start, offset))
            fence = match.group(1)
        elif fence is not None and match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                and not line.strip().strip(fence[0]):
            fence, start = None, offset + len(line)
        offset += len(line)
    if fence is None:
        spans.append((start, len(text)))
    prose = []
    for a, b in spans:
        position = a
        for code in _INLINE.finditer(text, a, b):
            prose.append((position, code.start()))
            position = code.end()
        prose.append((position, b))
    return [(a, b) for a, b in prose if b > a]


def find_citations(text: str) -> list[Citation]:
    """Every citation bracket outside code, in order."""
    if "@" not in text:  # every citation holds one; most pages cite nothing
        return []
    return list(_citations_in(text))


@functools.cache
def _citations_in(text: str) -> tuple[Citation, ...]:
    """find_citations, kept by text until `forget_citations`: a record page's prose is searched when
    its record is read and again, the same text, when its citations are written."""
    found = []
    line, counted = 1, 0  # the line at `counted`: lines are counted on from the last citation, not from the top
    for a, b in _prose_spans(text):
        for match in _CITATION.finditer(text, a, b):
            if text.startswith(":", match.end()) and _DEFINITION.search(text, max(0, match.start() - 4), match.start()):
                continue
            items = tuple((m.group(1), (m.group(2) or "").strip())
                          for m in map(_ONE.match, match.group(1).split(";")) if m)
            line += text.count("\n", counted, match.start())
            counted = match.start()
            found.append(Citation(items, match.start(), match.end(), line))
    return tuple(found)


def forget_citations() -> None:
    """Drop the texts kept by find_citations (at the start of every build: the texts it will be asked
    about are that build's)."""
    _citations_in.cache_clear()


def replace_citations(text: str, render) -> str:
    """The text with each citation replaced by `render(citation)`."""
    out, position = [], 0
    for citation in find_citations(text):
        out += [text[position:citation.start], render(citation)]
        position = citation.end
    return "".join(out) + text[position:]


def unknown_keys(path: str, keys: Iterable[tuple[str, int | None]], bibliography: Bibliography,
                 field: str | None = None) -> list[Problem]:
    """One problem per unknown key: the file, the line, the key and the closest known key."""
    known = bibliography.keys
    return [
        Problem(path, f"unknown reference '{key}'{_closest(key, known)}: fix the key or add the work to "
                "data/references.yml", line, field)
        for key, line in keys if key not in known
    ]


def _closest(key: str, known: tuple[str, ...]) -> str:
    """' (did you mean 'x'?)': always names the nearest key, however far, so the fix is one look away."""
    if not known:
        return " (data/references.yml lists no works)"
    import difflib  # here, not at the top: only a build with an error to word needs it
    best = max(sorted(known), key=lambda k: difflib.SequenceMatcher(None, key, k).ratio())
    return f" (did you mean '{best}'?)"


def uncited(bibliography: Bibliography, cited: Iterable[str]) -> list[Work]:
    """Works that no page cites, in file order."""
    cited = set(cited)
    return [w for w in bibliography.works if w.key not in cited]


def page_references(doc, bibliography: Bibliography) -> tuple[tuple[str, ...], tuple[str, ...], list[Problem]]:
    """A page's cited keys in its prose, the keys its front matter lists, and a problem for each unknown
    key (the prose's with the file's line, the front matter's with the field)."""
    citations = find_citations(doc.body)
    prose = [(key, doc.body_line + c.line - 1) for c in citations for key in c.keys]
    problems = unknown_keys(doc.path, prose, bibliography)
    listed: list[str] = []
    record = doc.meta.get("concept")
    # A concept's record (`concept: references:`) or any page's front matter (`references:`) may list works.
    for where, holder in ((("concept", "references"), record), (("references",), doc.meta)):
        if isinstance(holder, dict) and is_text_list(holder.get("references")):
            keys = [k.strip() for k in holder["references"]]
            line = doc.source.line(*where)
            problems += unknown_keys(doc.path, [(k, line) for k in keys], bibliography, "references")
            listed += keys
    return tuple(dict.fromkeys(k for k, _ in prose)), tuple(dict.fromkeys(listed)), problems
