"""Property-based tests: for arbitrary text and arbitrary YAML, parsing and validation never crash.

The only exception allowed to escape is the project's own ContentError, and every problem names its file.
"""

from __future__ import annotations

import io
import posixpath
import re

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import YAML_RE, get_data

from concept_files import MKDOCS_FRONT_MATTER, without_record
from concept_records import (
    ContentError,
    build_model,
    load_yaml_file,
    parse_document,
    parse_glossary,
    parse_schema,
)
from concept_site import _relative
from page_checks import MARKER, code_blocks, markers
from records_data import comparison_text, concept_text, doc, schema
from safe_output import MAX_NAME, fold, unusual_strings

PATH = "docs/concepts/thing.md"

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30))
yaml_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=12), st.sampled_from(
            ["name", "definition", "scope", "key-measures", "direction", "relations", "aliases", "part-of"])),
            children, max_size=5),
    ),
    max_leaves=20,
)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def validate(raw: bytes) -> None:
    """The whole pure pipeline for one concept page next to a valid neighbour; raise ContentError on problems."""
    document, problems = parse_document(PATH, raw)
    if document is None:
        raise ContentError(problems)
    neighbour = doc("docs/concepts/other.md", concept_text("Other"))
    comparison = doc("docs/compare/other-vs-thing.md", comparison_text("other", "thing"))
    model, problems = build_model(schema(), [("thing", document), ("other", neighbour)],
                                  [("other-vs-thing", comparison)])
    if problems:
        raise ContentError(problems)
    assert model is not None


def assert_only_content_errors(raw: bytes, path: str = PATH) -> None:
    try:
        validate(raw)
    except ContentError as err:
        assert err.problems
        for problem in err.problems:
            assert str(problem).startswith(path), str(problem)
            assert "\n" not in str(problem)


@FAST
@given(st.binary(max_size=300))
def test_arbitrary_bytes(raw):
    assert_only_content_errors(raw)


@FAST
@given(st.text(max_size=300))
def test_arbitrary_text_as_front_matter(text):
    assert_only_content_errors(f"---\n{text}\n---\nBody\n".encode("utf-8", "surrogatepass"))


@FAST
@given(yaml_values)
def test_arbitrary_yaml_as_a_concept_record(value):
    raw = ("---\n" + yaml.safe_dump({"concept": value}, allow_unicode=True) + "---\nBody\n").encode("utf-8")
    assert_only_content_errors(raw)


@FAST
@given(st.dictionaries(st.sampled_from(["name", "definition", "scope", "key-measures", "direction", "relations"]),
                       yaml_values, max_size=6))
def test_arbitrary_values_in_a_concept_record(fields):
    raw = ("---\n" + yaml.safe_dump({"concept": fields}, allow_unicode=True) + "---\n").encode("utf-8")
    assert_only_content_errors(raw)


@FAST
@given(yaml_values)
def test_arbitrary_yaml_as_schema_or_glossary(value):
    raw = yaml.safe_dump(value, allow_unicode=True).encode("utf-8")
    for path, parse in (("data/schema.yml", parse_schema), ("data/glossary.yml", parse_glossary)):
        source, problems = load_yaml_file(path, raw)
        if source is not None:
            _, problems = parse(path, source)
        assert all(str(p).startswith(path) for p in problems)


@FAST
@given(st.text(alphabet="[]{}:-&*!|>'\"#%@` \n\tab,?", max_size=80))
def test_yaml_syntax_soup(text):
    assert_only_content_errors(f"---\n{text}\n---\n".encode())


def test_self_referencing_yaml_is_a_content_error():
    assert_only_content_errors(b"---\nconcept: &a\n  name: [*a]\n---\n")


@FAST
@given(yaml_values)
def test_records_read_as_yaml_reads_them(value):
    """The reader with line numbers gives the values PyYAML's own safe loader gives."""
    text = yaml.safe_dump({"concept": value}, allow_unicode=True)
    source, problems = load_yaml_file(PATH, text.encode("utf-8"))
    assert not problems
    assert source.data == yaml.load(text, Loader=yaml.SafeLoader)


PLAIN_SCALARS = ["true", "True", "FALSE", "yes", "No", "on", "OFF", "y", "n", "null", "Null", "~", "", "12", "-3",
                 "+4.5", ".inf", "-.Inf", ".NaN", "0x1F", "0o17", "1_000", "2024-01-31", "2024-01-31 10:00:00", "1:20",
                 "<<", "=", "truer", "nullify", "offset", "yesterday", "Norway", "throughput", "onwards", "12 monkeys"]


# How a value is written: plain, quoted, or with the non-specific tag '!' (quoted or as a block), which
# PyYAML resolves as if the value were plain, a block's final line break included.
STYLES = ["{}", "'{}'", '"{}"', '! "{}"', "! |\n  {}", "! >-\n  {}", "|\n  {}"]


@FAST
@given(st.lists(st.tuples(st.one_of(st.sampled_from(PLAIN_SCALARS), st.from_regex(r"[A-Za-z0-9.~+-][A-Za-z0-9 .:_-]{0,12}",
                                                                                 fullmatch=True)),
                          st.sampled_from(STYLES)), min_size=1, max_size=8))
def test_values_typed_as_yaml_types_them(values):
    """Values read as PyYAML's safe loader reads them, however written (where the loader's shortcut
    decides text or not); what PyYAML cannot read is a problem, never an exception."""
    text = "".join(f"k{i}: {style.format(v)}\n" for i, (v, style) in enumerate(values))
    text += "list: [" + ", ".join(v for v, style in values if style == "{}") + "]\n"
    source, problems = load_yaml_file(PATH, text.encode("utf-8"))
    try:
        expected = yaml.load(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, ValueError, KeyError):
        assert source is None and problems
        return
    assert not problems
    assert source.data == expected


def test_the_readers_shortcut_is_taken_only_where_its_assumption_holds():
    """The reader types a plain value starting with a letter and longer than five characters as text
    without asking the resolvers: true only while every letter-first resolver lists short words."""
    from concept_files import _shortcut_holds

    assert _shortcut_holds()  # PyYAML's own: true, false, yes, no, on, off, null

    class LongerWords(yaml.SafeLoader):
        pass

    LongerWords.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:enabled|disabled)$", re.X), list("ed"))

    class AnyWord(yaml.SafeLoader):
        pass

    AnyWord.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[a-z]+$"), list("ab"))
    assert not _shortcut_holds(LongerWords) and not _shortcut_holds(AnyWord)


MARKER_SOUP = ["<!-- site:map -->", "<!--", "-->", " ", "\n", "\t", "text", "```", "~~~", "<!-- concept:attributes -->",
               "<!--  compare:table  -->", "<!--\nsite:glossary\n-->", "x <!-- site:map -->", "<!-- page:references --> y"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(MARKER_SOUP), max_size=14))
def test_markers_are_the_marker_lines_outside_code(parts):
    """What `markers` finds (a fast search) is MARKER's every match outside fenced code, as written."""
    text = "".join(parts)
    blocks = code_blocks(text)
    expected = [(m.start(), m.end(), m.groups()) for m in MARKER.finditer(text)
                if not any(a <= m.start() < b for a, b in blocks)]
    assert [(m.start(), m.end(), m.groups()) for m in markers(text)] == expected


PATH_PARTS = st.sampled_from(["concepts", "compare", "pairs", "a", "b", "x.md", "index.md"])


@settings(max_examples=1000, deadline=None)
@given(st.lists(PATH_PARTS, min_size=1, max_size=4), st.one_of(st.just([]), st.lists(PATH_PARTS, min_size=1, max_size=3)))
def test_relative_links_are_posix_relpath(target, folder):
    """The hook's relative links between pages (worked out on the names) are what posixpath.relpath gives."""
    start = "/".join(folder) or "."
    assert _relative("/".join(target), start) == posixpath.relpath("/".join(target), start)


# Every character Python counts as whitespace, and some it does not (zero-width space, word joiner).
SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\u200b\u2060"


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(SPACES) + list("ab<é")), max_size=30))
def test_fold_is_the_whitespace_regex(text):
    """`fold` (str.split) folds exactly what `\\s+` matches, and strips the ends."""
    assert fold(text) == re.sub(r"\s+", " ", text).strip()


# A record page is handed to MkDocs without its record (concept_site.on_page_read_source): MkDocs must
# get the Markdown it would have read from the file itself, whatever the newlines and the body hold.
newline = st.sampled_from(["\n", "\r\n", "\r"])
body_line = st.one_of(st.sampled_from(["---", "...", "--- ", "", "# Title", "key: value", "\ufeff"]),
                      st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20))


@FAST
@given(st.lists(body_line, max_size=8), newline, newline, st.booleans())
def test_record_page_reaches_mkdocs_as_it_reads_it(lines, front_newline, body_newline, bom):
    front = concept_text("Thing").replace("\n", front_newline)
    raw = (("\ufeff" if bom else "") + front + body_newline.join(lines)).encode()
    document, _ = parse_document(PATH, raw)
    assume(document is not None and list(document.meta) == ["concept"])  # a page whose front matter is its record
    as_read = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig").read()  # as MkDocs opens a page
    markdown, meta = get_data(as_read)
    handed = without_record(document, "concept")
    if front_newline != "\r":  # the hook reads lone \r line ends as no front matter (and rejects the page)
        assert handed is not None
    if handed is not None:  # else MkDocs reads the file itself, as without the hook
        assert meta == {"concept": document.meta["concept"]}
        assert get_data(handed) == (markdown, {})


def test_mkdocs_front_matter_pattern_is_the_hooks():
    assert (MKDOCS_FRONT_MATTER.pattern, MKDOCS_FRONT_MATTER.flags) == (YAML_RE.pattern, YAML_RE.flags)


def _every_string(data, path=()):
    """Every string of parsed YAML with its path, keys as (*path, key, "<key>")."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield (*path, key, "<key>"), key
            yield from _every_string(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _every_string(value, (*path, i))


_KEYS = st.sampled_from(["id", "key", "name", "terms", "x" * (MAX_NAME + 1), "a\u200bb", 0, 1, True])
_TEXTS = st.sampled_from(["Lean", "", "x" * (MAX_NAME + 1), "a\u200bb", "two\nlines", "id", "key"])
_YAMLISH = st.recursive(_TEXTS | st.integers(0, 3) | st.none(),
                        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
                        max_leaves=12)


@settings(max_examples=500, deadline=None)
@given(_YAMLISH, st.sampled_from([(), ("concept",), ("terms", 0)]))
def test_the_strings_checked_are_every_string_that_may_not_suit_its_field(data, root):
    """Only a short, visible text outside an id or key suits every field; every other string is checked."""
    expected = [(path, text) for path, text in _every_string(data, root)
                if len(text) > MAX_NAME or not text.isprintable() or "id" in path or "key" in path]
    assert unusual_strings(data, root) == expected
