"""Reading the site's content files: problems, YAML with line numbers, Markdown front matter.

Pure Python with no MkDocs import. Every content problem becomes a `Problem` (one line naming the
file, the line where YAML gives one, the field, what is wrong and what to do); problems are
collected, never raised one at a time, and `ContentError` carries all of them. The schema, the
records and the references modules build on these.
"""

# Annotations evaluated at import, not strings: see the note in concept_records.py.

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

MAX_DEPTH = 20
MAX_VALUES = 50_000  # values in one YAML document after aliases are expanded (a large glossary has ~2,000)
_FRONT_MATTER_OPEN = re.compile(r"\A---[ \t]*\r?\n")
_FRONT_MATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
SLUG_OK = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Path = tuple[Any, ...]
_STR_TAG = "tag:yaml.org,2002:str"
# libyaml's parser when PyYAML was built with it (several times faster); same nodes, same marks.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SAFE_LOADER):
    """The safe loader, resolving most plain values to text sooner. A plain value can have another type
    (number, date, true, null...) only if it starts with a character some implicit resolver starts
    with, and a letter starts only words of five letters at most (true, false, yes, no, on, off, null).
    The parser asks once per value, and most values are longer words."""

    _may_be_typed = frozenset(yaml.SafeLoader.yaml_implicit_resolvers)

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0] and value and (value[0] not in self._may_be_typed or (
                len(value) > 5 and value[0].isalpha() and value[-1] != "\n")):  # the patterns' $ allows one \n
            return _STR_TAG
        return super().resolve(kind, value, implicit)


_WORD_LIST = re.compile(r"\^\(\?:([\w\s|~]*)\)\$")  # ^(?:yes|Yes|...)$: words and nothing else


def _short_words(regexp: re.Pattern) -> bool:
    """Whether `regexp` matches only a listed word of five characters at most (PyYAML's own patterns
    for true/false/yes/no/on/off/null, written with re.VERBOSE)."""
    found = _WORD_LIST.fullmatch(regexp.pattern)
    return bool(found) and bool(regexp.flags & re.VERBOSE) and all(
        len("".join(word.split())) <= 5 for word in found.group(1).split("|"))


def _shortcut_holds(loader: type = yaml.SafeLoader) -> bool:
    """What _Loader.resolve assumes of the loader's resolvers: none for any first character or any
    path, and a letter starts only words of five letters at most (true, false, yes, no, on, off, null)."""
    resolvers = loader.yaml_implicit_resolvers
    return (None not in resolvers and not loader.yaml_path_resolvers
            and all(_short_words(regexp) for first, found in resolvers.items() if first.isalpha()
                    for _, regexp in found))


_LOADER = _Loader if _shortcut_holds() else _SAFE_LOADER


# --------------------------------------------------------------------------- problems


class Problem(NamedTuple):
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
    import difflib  # here, not at the top: only a build with an error to word needs it
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
        return "text" if value.strip() else "an empty value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        bad = next((i for i, item in enumerate(value) if not is_text(item)), None)
        if bad is not None:  # never "expected a list of text, got a list"
            return f"a list whose item {bad + 1} is {describe(value[bad])}"
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
    source.data = _to_python(node, (), source.lines, constructor, first_line, set(), [MAX_VALUES])
    return source


def _to_python(node, path, lines, constructor, offset, active, budget) -> Any:
    line = node.start_mark.line + offset
    lines.setdefault(path, line)
    if len(path) > MAX_DEPTH or id(node) in active:
        raise _YamlShapeError("nested too deeply (or refers to itself): simplify it", line)
    budget[0] -= 1
    if budget[0] < 0:  # aliases ('*name') repeated inside each other multiply: a "billion laughs"
        raise _YamlShapeError(f"more than {MAX_VALUES:,} values once the aliases ('*name') are filled in: "
                              "write the values out instead of repeating aliases", line)
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR_TAG:  # most values: what the constructor would return, without its bookkeeping
            return node.value
        return constructor.construct_object(node, deep=True)
    active = active | {id(node)}
    shallow = len(path) < MAX_DEPTH  # a value here is not too deep
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            if _text_within(item, shallow, budget):  # most items
                lines.setdefault((*path, i), item.start_mark.line + offset)
                items.append(item.value)
            else:
                items.append(_to_python(item, (*path, i), lines, constructor, offset, active, budget))
        return items
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + offset
        if not isinstance(key_node, yaml.ScalarNode):
            raise _YamlShapeError("a key must be plain text, not a list or mapping", key_line)
        key = key_node.value if key_node.tag == _STR_TAG else constructor.construct_object(key_node)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            key = str(key)
        if key in result:
            raise _YamlShapeError(f"key '{key}' appears twice: keep one", key_line)
        lines[(*path, key)] = key_line
        if _text_within(value_node, shallow, budget):  # most values: their line is their key's
            result[key] = value_node.value
            continue
        result[key] = _to_python(value_node, (*path, key), lines, constructor, offset, active, budget)
    return result


def _text_within(node, shallow: bool, budget: list[int]) -> bool:
    """Whether `node` is text, at a depth and within a budget `_to_python` allows, taking its share of
    the budget: what a call of `_to_python` would do for it, without the call."""
    if shallow and budget[0] > 0 and node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
        budget[0] -= 1
        return True
    return False


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
        reason = _yaml_words(err.problem or err.context or "")
        return None, [Problem(path, f"invalid YAML: {reason}", line=line)]
    except yaml.YAMLError as err:
        return None, [Problem(path, f"invalid YAML ({err}): fix the syntax")]
    except _YamlShapeError as err:
        return None, [Problem(path, f"invalid YAML: {err}", line=err.line)]
    except (RecursionError, ValueError, OverflowError, TypeError, KeyError) as err:
        # KeyError: PyYAML's bool constructor, given '! |' followed by a line 'true' (its pattern matches, its table not)
        return None, [Problem(path, f"invalid YAML ({type(err).__name__}): simplify the value")]


# The parser's wording -> what an editor sees and does. Unmatched problems keep a generic fix.
_YAML_WORDS = (
    ("tab character", "a tab character in the indentation: indent with spaces only"),
    ("cannot start any token", "a tab or a special character (@, `) starts a value: indent with spaces, and put "
                               "a value starting with @ or ` in double quotes"),
    ("mapping values are not allowed", "a ': ' inside a value: put the value in double quotes"),
    ("expected ',' or ']'", "a list opened with '[' is not closed: add the ']'"),
    ("expected ',' or '}'", "a mapping opened with '{' is not closed: add the '}'"),
    ("end of stream", "a quotation mark is not closed: add the closing quote"),
    ("could not find expected ':'", "a line has no ':' after its field name, or a quote is not closed: add it"),
    ("undefined alias", "'*' names an anchor ('&name') that is not defined: write the value out"),
    ("expected <block end>", "the indentation does not line up: indent fields of the same level equally"),
    ("expected a comment or a line break", "text follows a closing quote: put the whole value inside the quotes"),
    ("did not find expected key", "this line does not fit the lines above: check its indentation, and that the "
                                  "quotes enclose the whole value"),
    ("did not find expected '-'", "a list item does not line up with the others: indent each '- ' equally"),
)


def _yaml_words(problem: str) -> str:
    for pattern, words in _YAML_WORDS:
        if pattern in problem:
            return words
    return "the syntax is not valid here: compare the line with a working record"


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
    body_line: int = 1  # the file's line number of the body's first line
    text: str = ""  # the whole file, decoded


# MkDocs' own front-matter split (mkdocs.utils.meta.YAML_RE; a test checks they are the same).
MKDOCS_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)


def without_record(doc: Document, record_key: str) -> str | None:
    """The page as MkDocs reads it, its front matter emptied: for a page whose front matter holds its
    record and nothing else, which this hook has parsed already (MkDocs would parse it again, in every
    build, only to keep it in page.meta, where nothing reads it). None for any other page.

    MkDocs reads a page in text mode (universal newlines) and splits off the front matter with its own
    pattern; the Markdown after it is kept exactly, so the page is built as before.
    """
    if len(doc.meta) != 1 or record_key not in doc.meta:
        return None
    text = doc.text if "\r" not in doc.text else doc.text.replace("\r\n", "\n").replace("\r", "\n")
    found = MKDOCS_FRONT_MATTER.match(text)
    return None if found is None else "---\n{}\n---\n" + text[found.end():]


def parse_document(path: str, raw: bytes) -> tuple[Document | None, list[Problem]]:
    """Split a Markdown page into front matter and body, parsing the front matter strictly."""
    text, problems = decode(path, raw)
    if text is None:
        return None, problems
    opening = _FRONT_MATTER_OPEN.match(text)
    if not opening:
        return Document(path, {}, Source({}), text, False, text=text), []
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
    rest = text[closing.end() :]
    body = rest.lstrip("\r\n")
    body_line = text.count("\n", 0, closing.end() + len(rest) - len(body)) + 1
    return Document(path, data, source, body, True, body_line, text), []


def is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(is_text(v) for v in value)


def check_keys(path, source, data, where, known, problems, prefix="") -> None:
    for key in data:
        if key not in known:
            problems.append(
                Problem(path, f"unknown field{suggest(key, known)}: remove or rename it",
                        source.line(*where, key), f"{prefix}{key}")
            )
