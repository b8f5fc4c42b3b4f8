"""Search: what Material's index holds, and the words it splits on. No MkDocs import.

How Material searches (9.x), and what follows from it:

- Every heading starts a section; a section's `text` is both what is searched and what a result
  shows, in full. A concept or comparison page's first section holds its whole attribute table,
  so its result was a 400-word wall. `shape_index` keeps a short snippet in `text` (the page's
  definition or summary, a section's first sentences) and moves the rest into `body`, a field that
  is searched exactly as before but never shown.
- Names a reader types (a concept's aliases, "A vs B", a glossary term's other forms) go into
  `names`, searched with the weight Material gives tags, and not shown as tag chips.
- Material adds `*` to every word typed, and lunr skips its query pipeline (stop words, stemmer)
  for a word with a wildcard. So a stop word filter removes "in" from the index but not from the
  query, where "in*" then matches "inventory", and "vs*" matches the alias "VSM". Stop words and
  connectors ("vs", "versus", "difference", "between") are therefore part of the `separator`,
  which Material applies to the index and to the query alike, and the pipeline is left empty.
  "just" is not a stop word here: "just-in-time" must keep it.
- Plurals, British spellings and misspellings cannot be handled symmetrically (a stemmed index
  breaks prefix matching while one types), so they are handled on the query side by
  `docs/javascripts/search-worker.js`, which knows the index's words (see `QUERY_WORKER`).
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field

from safe_output import fold

# lunr's English stop words (lunr.stopWordFilter), less "just" (just-in-time), plus the words that
# join or frame a question rather than name its subject. Lower case; the separator also matches
# each with a capital first letter, as at the start of a sentence or a typed query.
STOP_WORDS = (  # noqa: SIM905 (a list of words reads best as words)
    "a able about across after all almost also am among an and any are as at be because been but by "
    "can cannot could dear did do does either else ever every for from get got had has have he her "
    "hers him his how however i if in into is it its least let like likely may me might most must my "
    "neither no nor not of off often on only or other our own rather said say says she should since "
    "so some than that the their them then there these they this tis to too twas us wants was we were "
    "what when where which while who whom why will with would yet you your"
).split()
CONNECTORS = (  # noqa: SIM905 (a list of words reads best as words)
    "vs versus v between difference differences different differ compared mean means meaning whats s t"
).split()

FIELDS = {
    "title": {"boost": 1e3},
    "text": {"boost": 1.0},
    "tags": {"boost": 1e6},
    "names": {"boost": 1e6},
    "body": {"boost": 1.0},
}
SNIPPET_WORDS = 40          # a result shows at most this many words of text
# A concept's page outranks a comparison that names it beside another, for a query naming only it
# (a query naming both matches more words of the comparison's names, which outweighs this).
CONCEPT_BOOST = 1.1
QUERY_WORKER = "javascripts/search-worker.js"  # pages name it in Material's configuration (overrides/main.html)


@functools.lru_cache(maxsize=8)
def separator(stop_words=STOP_WORDS, connectors=CONNECTORS) -> str:
    """The regular expression (JavaScript syntax) Material splits index and queries on.

    Spaces, hyphens and punctuation (a question mark, a slash, "vs." with its full stop); an HTML
    entity for &, < or > (the index's text is HTML); and every stop word or connector as a whole
    word. No lookbehind, so older Safari can compile it.
    """
    words = sorted(set(stop_words) | set(connectors), key=lambda w: (-len(w), w))
    spelled = "|".join(f"[{w[0]}{w[0].upper()}]{re.escape(w[1:])}" for w in words)
    return rf"{_MARKS}|\b(?:{spelled})\b"


# The separator's first part: spaces and punctuation, a full stop not before a digit, an entity.
_MARKS = (r"[\s\-,;:!?()\[\]{}\"'`/|=+<>\u2018\u2019\u201c\u201d\u2013\u2014]+"
          r"|\.(?!\d)|&(?:amp|lt|gt|quot|#39);")


# --------------------------------------------------------------------------- shaping the index

_TAG = re.compile(r"<[^>]*>")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@dataclass
class PageSearch:
    """What the hook knows about one page for search: its snippet and the names readers type."""

    snippet: str | None = None                            # shown for the page itself
    names: list[str] = field(default_factory=list)        # matched like tags, not shown
    boost: float | None = None
    sections: dict[str, PageSearch] = field(default_factory=dict)  # anchor -> the same for a section


def plain(markup: str) -> str:
    """Index text (HTML) as plain text, whitespace folded."""
    return fold(_text(markup))


def _text(markup: str) -> str:
    """Index text (HTML) as plain text, whitespace as it comes (a tag counts as a space)."""
    return html.unescape(_TAG.sub(" ", markup)).strip()


def clip(text: str, limit: int = SNIPPET_WORDS) -> tuple[str, str]:
    """The first sentences of `text` within `limit` words, and the rest.

    Cut at a sentence end where one falls within the limit (at least half of it), else at the
    limit with an ellipsis. What is shown has its whitespace folded (`fold`); the rest keeps the
    text's own after the first limit + 1 words (it is searched, never shown: a body of a page's
    length is not folded word by word, which took a third of the time spent shaping the index).
    """
    # Split off the first limit + 1 words and keep the rest of a page's long text in one piece
    # (this runs for every entry of the index).
    words = text.split(None, limit + 1)
    if len(words) <= limit:
        return " ".join(words), ""
    # Only the first limit + 1 words can be shown or decide the cut: split those into sentences.
    head, shown_words = [], 0
    for sentence in _SENTENCE_END.split(" ".join(words[:limit + 1])):
        length = sentence.count(" ") + 1
        if shown_words + length > limit:
            break
        head.append(sentence)
        shown_words += length
    if head and shown_words >= limit // 2:
        return " ".join(head), " ".join(words[shown_words:])
    return " ".join(words[:limit]) + "…", " ".join(words[limit:])


def _snippet_html(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>" if text else ""


def _body(text: str) -> str:
    """Searchable text that is never shown: plain, with no character Material reads as markup."""
    return text.replace("<", " ").replace(">", " ")


def shape_doc(doc: dict, snippet: str | None, names: list[str], boost: float | None = None) -> dict:
    """One index entry with a short `text`, the rest in `body` and the given names in `names`."""
    full = _text(str(doc.get("text", "")))
    if snippet is not None:
        shown, rest = clip(fold(snippet))
        # The snippet, when the text holds it, is searched once (in `text`): looked for in the text
        # folded alike, which only a text holding each of the snippet's words can hold.
        held = all(word in full for word in shown.split(" "))
        before, found, after = fold(full).partition(shown) if held else ("", "", "")
        rest = " ".join(part for part in (rest, before, after) if part.strip()) if found else \
            " ".join(part for part in (rest, full) if part)
    else:
        shown, rest = clip(full)
    doc["text"] = _snippet_html(shown)
    if rest:
        doc["body"] = _body(rest)
    else:
        doc.pop("body", None)
    if names:
        doc["names"] = name_words(names)
    if boost is not None:
        doc["boost"] = boost
    doc.pop("tags", None)
    return doc


def shape_index(index: dict, pages: dict[str, PageSearch]) -> dict:
    """Rewrite Material's search index in place: short snippets, hidden body and names, separator."""
    config = index.setdefault("config", {})
    config["separator"] = separator()
    config["pipeline"] = []
    config["fields"] = {**config.get("fields", {}), **FIELDS}
    for doc in index.get("docs", []):
        url, _, anchor = str(doc.get("location", "")).partition("#")
        page = pages.get(url) or PageSearch()
        own = page if not anchor else page.sections.get(anchor) or PageSearch(boost=page.boost)
        boost = own.boost if own.boost is not None else doc.get("boost")
        shape_doc(doc, own.snippet, own.names, boost)
        if doc.get("boost") is None:
            doc.pop("boost", None)
    return index


NAME_MARK = "_"


def name_words(names: list[str]) -> str:
    """The names' words, each once and marked, as the index splits them ("lean_ thinking_").

    Once (words with the same stem once, see `stem`; the query's prefix matches every form):
    lunr weighs a word by how often a field holds it, so "Lean, lean management, lean thinking"
    would count "lean" three times and put the Lean page above "Lean vs process
    improvement" for the query "lean vs process improvement".

    Marked: lunr weighs a word by how few entries hold it, in any field. "process" is in the text
    of nearly every section, so as a name it would weigh nothing, and "processing" (in one entry)
    would win the query "process improvement". With the mark, a name is a word of its own,
    weighed among names; the query "process" still matches "process_" as a prefix.
    """
    seen: dict[str, str] = {}  # stem -> the word as first written
    for name in names:
        for part in _split(name):
            word = part.casefold()
            if word:
                seen.setdefault(stem(word), word)
    return " ".join(word + NAME_MARK for word in seen.values())


def _split(text: str) -> list[str]:
    """`re.split(separator(), text)` less its empty parts, without compiling the separator (a few
    ms a build, for its hundred alternatives). Split at the marks first; in what is left, a stop
    word can only be a whole run of word characters (the separator wants `\\b` on both sides)."""
    parts = []
    for part in _marks().split(text):
        if part.isalnum():  # one run: the usual part
            if not _is_stop_word(part):
                parts.append(part)
            continue
        last = 0
        for run in _word_runs().finditer(part):
            if _is_stop_word(run.group()):
                parts.append(part[last:run.start()])
                last = run.end()
        parts.append(part[last:])
    return [part for part in parts if part]


@functools.cache
def _marks() -> re.Pattern:
    return re.compile(_MARKS)


@functools.cache
def _word_runs() -> re.Pattern:
    return re.compile(r"\w+")


@functools.cache
def _stop_words() -> frozenset[str]:
    return frozenset(STOP_WORDS) | frozenset(CONNECTORS)


def _is_stop_word(word: str) -> bool:
    """Whether the separator's word list matches all of `word`: a stop word or connector as
    written, or with a capital first letter."""
    first, rest = word[0], word[1:]
    lower = first.lower()
    return lower + rest in _stop_words() and first in (lower, lower.upper())


# The endings the query worker folds (docs/javascripts/search-worker.js, ENDINGS), in its order:
# two names that fold to the same stem would both match the folded query, counting the word twice.
ENDINGS = (
    (r"ies$", "y", 3), (r"ied$", "y", 3), (r"(ss|x|ch|sh)es$", r"\1", 3), (r"([^s])s$", r"\1", 3),
    (r"([^aeiou])\1(ing|ed)$", r"\1", 3), (r"(ing|ed)$", "", 3), (r"ional$", "ion", 4), (r"ical$", "ic", 4),
    (r"i[sz]ation$", "ize", 4), (r"ation$", "ate", 4), (r"ment$", "", 4), (r"e$", "", 4), (r"iz$", "", 5),
)


@functools.cache
def _endings() -> tuple[tuple[re.Pattern, str, int], ...]:
    return tuple((re.compile(ending), replacement, shortest) for ending, replacement, shortest in ENDINGS)


_DIGIT = re.compile(r"\d")


@functools.lru_cache(maxsize=16_384)
def stem(word: str) -> str:
    """A word with the endings the query worker folds taken off ('managing', 'management' -> 'manag')."""
    if _DIGIT.search(word):
        return word
    for ending, replacement, shortest in _endings():
        if not ending.search(word):  # most endings do not apply: no substitution to build
            continue
        shorter = ending.sub(replacement, word)
        if shorter != word and len(shorter) >= shortest:
            word = shorter
    return word


# Pages for editors (front matter `audience: editors`, also moved out of the readers' navigation by
# hooks/site_nav.py) are found, but below every page written for readers.
EDITOR_BOOST = 0.001


# A page generated for a pair from the records alone comes after a written comparison that the same
# words name ("production process vs operation process" also names operations management).
PAIR_BOOST = 0.9


def boost(kind: str | None, audience: object) -> float | None:
    """A page's search boost from what it is: a concept's page, a generated pair page, a page for editors."""
    if audience == "editors":
        return EDITOR_BOOST
    return {"concept": CONCEPT_BOOST, "pair": PAIR_BOOST}.get(kind or "")


# Every comparison page is also named by this word; the query worker adds it to a query that asks
# for a comparison ("X vs Y", "versus", "difference between"), so the comparison of the two comes
# before each one's own page, whose names hold the same words.
COMPARISON_WORD = "comparison"

# Material multiplies the score of a page (not of a section of it) whose every query word matched
# by 5, of a section by 2, so a glossary entry (a section) that names exactly what was typed
# would lose to a page that mentions part of it. This gives entries a page's footing.
ENTRY_BOOST = 2.0


def entry_search(term: str, also: tuple[str, ...] | list[str], definition: str) -> PageSearch:
    """A glossary entry: its definition as the snippet, all its names, a boost for a short name.

    Material's lunr does not weigh a match by the length of the field, so "Six Sigma" and
    "Lean Six Sigma" score alike for the query "six sigma"; a slightly higher boost for the entry
    with fewer words puts the exact name first, far too small to lift an entry that matches fewer
    of the words typed.
    """
    return PageSearch(definition, [term, *also], ENTRY_BOOST * (1 + 0.1 / max(1, len(words(term)))))


def words(text: str) -> list[str]:
    """Lower-case words."""
    return re.findall(r"[a-z0-9]+", text.casefold())


