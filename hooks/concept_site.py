"""MkDocs hook: read every concept record once per build, validate it, and place what derives from it.

A thin adapter. `concept_records` (records and validation) and `concept_render` (Markdown, SVG,
JSON) know nothing about MkDocs; this module reads the files, calls them and puts the results in
the pages. All content is validated in `on_config`, before MkDocs cleans the site directory, so a
rejected build leaves the previous site untouched. State lives in `_build`, replaced at the start of
every build: `mkdocs serve` keeps this module loaded between rebuilds.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import gc
import html
import logging
import os
import posixpath
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_build_datetime, is_markdown_file

import concept_glossary as glossary_module
import concept_pairs
import concept_render as render
import concept_search as search
import page_checks
import record_checks
import safe_output as safe
from concept_files import without_record
from concept_records import (
    ContentError,
    Document,
    Model,
    Problem,
    build_model,
    load_yaml_file,
    parse_document,
    parse_glossary,
    parse_schema,
)
from concept_refs import (
    Bibliography,
    find_citations,
    forget_citations,
    page_references,
    parse_references,
    replace_citations,
    uncited,
)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.concept_site")

SCHEMA_FILE = "data/schema.yml"
GLOSSARY_FILE = "data/glossary.yml"
REFERENCES_FILE = "data/references.yml"
CONCEPT_DIR = "concepts/"
COMPARE_DIR = "compare/"
RECORDS_JSON = "data/concepts.json"
MAX_FILE_BYTES = 1_000_000  # a page or data file; the largest today is under 40 kB
_SVG_START = re.compile(r"<svg\b")
_ABBR_TAGS = re.compile(r"<abbr\b[^>]*>|</abbr>")  # a tooltip's tags: taken out, its text stays
CONCEPT_SECTIONS = ("attributes", "relations", "comparisons")
REDIRECT_SCRIPT = "javascripts/redirect.js"
COMPARE_SECTIONS = ("table", "related")


@dataclass
class Build:
    """What one build knows: the model, where each record lives, and time spent in this hook."""

    model: Model
    concept_src: dict[str, str]
    comparison_src: dict[str, str]
    abbreviations: dict[str, str]  # written form -> key of its tooltip (see concept_glossary.tooltip_keys)
    tooltips: dict[str, str]  # key -> the tooltip's title attribute
    seconds: float = 0.0
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    glossary_urls: set[str] = field(default_factory=set)  # pages that show the glossary (page.url)
    bibliography: Bibliography | None = None
    cites: dict[str, tuple[str, ...]] = field(default_factory=dict)  # src_uri -> keys its References list
    titles: dict[str, str] = field(default_factory=dict)  # src_uri -> title, for /references/
    warnings: list[str] = field(default_factory=list)  # reported once the content is accepted
    pairs: list[concept_pairs.Pair] = field(default_factory=list)  # every pair of concepts
    pair_src: dict[str, str] = field(default_factory=dict)  # pair slug -> src_uri (written or generated)
    search: dict[str, search.PageSearch] = field(default_factory=dict)  # page.url -> what search shows
    texts: dict[tuple[str, str], str] = field(default_factory=dict)  # ('concept'|'compare', slug) -> prose
    read_sources: dict[str, str] = field(default_factory=dict)  # src_uri -> the page for MkDocs, record left out
    _pairs_of: dict[str, list[concept_pairs.Pair]] | None = None
    _pair_by_slug: dict[str, concept_pairs.Pair] | None = None

    def pairs_of(self, slug: str) -> list[concept_pairs.Pair]:
        """The pairs a concept is in (indexed once per build: every concept page asks)."""
        if self._pairs_of is None:
            self._pairs_of = {}
            for pair in self.pairs:
                for member in pair.concepts:
                    self._pairs_of.setdefault(member, []).append(pair)
        return self._pairs_of.get(slug, [])

    def pair(self, slug: str) -> concept_pairs.Pair:
        if self._pair_by_slug is None:
            self._pair_by_slug = {p.slug: p for p in self.pairs}
        return self._pair_by_slug[slug]

    def page_kind(self, src_uri: str) -> tuple[str, str] | None:
        """('concept', slug) or ('compare', slug) for a record's page, else None."""
        return self.pages.get(src_uri)


_build: Build | None = None
# Tooltips are keyed, and filled in after conversion, whenever build_cache keeps conversions: under
# `mkdocs serve` and in builds started without on_startup. Set as build_cache sets what it keeps.
_keyed = True


def _timed(func):
    """Add the time spent in an event to the build's total (reported by the benchmark)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            if _build is not None:
                _build.seconds += time.perf_counter() - start

    return wrapper


def hook_seconds() -> float:
    """Seconds spent in this hook during the last build."""
    return _build.seconds if _build else 0.0


# --------------------------------------------------------------------------- reading


def _display(config: MkDocsConfig, path: str) -> str:
    """A path as the editor sees it: relative to the folder holding mkdocs.yml."""
    root = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
    return os.path.relpath(path, root).replace(os.sep, "/")


def _markdown_sources(config: MkDocsConfig) -> tuple[list[str], list[Problem]]:
    """Every Markdown file under docs_dir (as src_uri), and the files MkDocs could not read.

    Walks as MkDocs does (following folder links, skipping hidden names), so a link that points
    nowhere, a folder that links back into itself, or a file nobody may read is reported here,
    as one line, before MkDocs meets it with a traceback.
    """
    docs_dir = config.docs_dir
    found: list[str] = []
    problems: list[Problem] = []
    seen_dirs: set[str] = set()
    for folder, dirs, names in os.walk(docs_dir, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen_dirs:
            shown = _display(config, folder)
            problems.append(Problem(shown, "this folder links back to a folder already in the site "
                                    f"({_display(config, real)}): remove the link"))
            dirs[:] = []
            continue
        seen_dirs.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            problem = _file_problem(path)
            if problem:
                problems.append(Problem(_display(config, path), problem))
            elif is_markdown_file(name):
                found.append(os.path.relpath(path, docs_dir).replace(os.sep, "/"))
    return found, problems


def _same_address(config: MkDocsConfig, sources: list[str]) -> list[Problem]:
    """Pages that MkDocs would write to the same address (a folder named like a page: `x.md`, `x/index.md`)."""
    problems, first = [], {}
    # Only pages named alike can share an address ("x.md", "x/index.md", "x.markdown"): MkDocs is
    # asked for the address of those alone (a File per page costs more than the rest of this check).
    stems: dict[str, int] = {}
    for src_uri in sources:
        stem = _address_stem(src_uri)
        stems[stem] = stems.get(stem, 0) + 1
    for src_uri in sources:
        if posixpath.basename(src_uri).lower() == "readme.md":
            continue  # MkDocs itself reports a README beside an index
        if stems[_address_stem(src_uri)] < 2:
            continue
        dest = File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls).dest_uri
        if dest in first:
            shown = _display(config, os.path.join(config.docs_dir, src_uri))
            other = _display(config, os.path.join(config.docs_dir, first[dest]))
            problems.append(Problem(shown, f"makes the same page ({dest}) as {other}, and one would overwrite the "
                                    "other: rename or remove one of them"))
        else:
            first[dest] = src_uri
    return problems


def _address_stem(src_uri: str) -> str:
    """What a page's address is made from, as MkDocs makes it: the path without its suffix, and
    for a page named `index` or `README` (any Markdown suffix) its folder. Pages MkDocs writes to
    the same address have the same stem (compared without case: a few more pages checked)."""
    stem = posixpath.splitext(src_uri)[0]
    folder, name = posixpath.split(stem)
    return (folder if name in ("index", "README") else stem).casefold()


def _file_problem(path: str) -> str | None:
    """Why MkDocs could not read the file at `path`, or None."""
    if os.path.islink(path) and not os.path.exists(path):
        try:
            os.stat(path)
        except OSError as err:
            if err.errno == errno.ELOOP:
                return "this link points back at itself: remove it or point it at a real file"
        return f"this link points at {os.readlink(path)}, which does not exist: remove the link or restore the file"
    if not os.path.isfile(path):
        return "not a regular file (a device, pipe or socket): remove it from the docs folder"
    if not os.access(path, os.R_OK):
        return "the file cannot be read (no permission): make it readable (chmod a+r) or remove it"
    return None


def _read(path: str) -> bytes:
    """The file's bytes, at most MAX_FILE_BYTES + 1 (one more than allowed, so the caller can tell).

    Sized from the file itself: `read(MAX_FILE_BYTES + 1)` would allocate a megabyte for every
    page (two to three times the cost of reading 900 small pages). A file that reports no size
    (a device, a pipe) or grows while it is read is still read only up to the limit.
    """
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        data = handle.read(min(size, MAX_FILE_BYTES) + 1)
        if len(data) > size:  # it reported less than it holds
            data += handle.read(MAX_FILE_BYTES + 1 - len(data))
        return data


def _field_problems(shown: str, source, root: tuple) -> list[Problem]:
    """Values a field cannot hold (control characters, non-id ids, oversized text), one problem each."""
    data = source.data
    for part in root:
        data = data.get(part) if isinstance(data, dict) else None
    return [Problem(shown, message, source.line(*path), field)
            for path, field, message in safe.field_problems(data, root)]


def _page_problems(config: MkDocsConfig, shown: str, doc: Document, kind: str | None,
                   slug: str) -> list[Problem]:
    """A page's markers, and on a record page its file name and front-matter keys."""
    text = doc.text
    first_line = text.count("\n", 0, len(text) - len(doc.body)) + 1
    found = [Problem(shown, message, line, field)
             for line, field, message in page_checks.marker_problems(doc.body, first_line, kind)]
    template = doc.meta.get("template")
    if template is not None and kind is None and not _template_exists(config, template):
        found.append(Problem(shown, f"template '{template}' is not in overrides/ or the theme: fix the name or "
                             "remove 'template:'", doc.source.line("template"), "template"))
    if kind is not None:
        problem = safe.slug_problem(slug, "the file name of a record page")
        if problem:
            found.append(Problem(shown, f"{problem}: rename the file", field="file name"))
        found += [Problem(shown, message, line, field) for line, field, message
                  in page_checks.front_matter_problems(doc.meta, kind, doc.source.line)]
    return found


def _template_exists(config: MkDocsConfig, name: object) -> bool:
    if not isinstance(name, str) or not name or ".." in name.split("/"):
        return False
    return any(os.path.isfile(os.path.join(folder, name)) for folder in config.theme.dirs)


def _data_file(root: str, name: str, restore: str, problems: list[Problem]):
    """A data file parsed with line numbers, or None with the reason added to `problems`."""
    path = os.path.join(root, name)
    problem = "the file is missing" if not os.path.lexists(path) else _file_problem(path)
    if problem:
        problems.append(Problem(name, f"{problem}: {restore}" if problem == "the file is missing" else problem))
        return None
    try:
        raw = _read(path)
    except OSError as err:
        problems.append(Problem(name, f"the file cannot be read ({err.strerror}): check it is a readable file"))
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(Problem(name, f"larger than {MAX_FILE_BYTES // 1_000_000} MB: shorten it"))
        return None
    source, found = load_yaml_file(name, raw)
    problems += found
    return source


def load(config: MkDocsConfig) -> Build:
    """Parse and validate every record; raise ContentError listing all problems."""
    forget_citations()
    root = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
    problems: list[Problem] = []
    schema = glossary = None
    source = _data_file(root, SCHEMA_FILE, "restore it from version control", problems)
    if source is not None:
        problems += _field_problems(SCHEMA_FILE, source, ())
        schema, found = parse_schema(SCHEMA_FILE, source)
        problems += found
    source = _data_file(root, GLOSSARY_FILE, "restore it from version control (the glossary page and the tooltips "
                        "are built from it)", problems)
    glossary_source = source
    if source is not None:
        problems += _field_problems(GLOSSARY_FILE, source, ())
        glossary, found = parse_glossary(GLOSSARY_FILE, source)
        problems += found

    bibliography = None
    references_path = os.path.join(root, REFERENCES_FILE)
    if os.path.lexists(references_path):  # optional; but a broken link, a huge file or bad text is reported
        source = _data_file(root, REFERENCES_FILE, "", problems)
        if source is not None:
            problems += _field_problems(REFERENCES_FILE, source, ())
            bibliography, found = parse_references(REFERENCES_FILE, source)
            problems += found
    all_docs: list[tuple[str, Document]] = []
    concept_docs: list[tuple[str, Document]] = []
    comparison_docs: list[tuple[str, Document]] = []
    concept_src, comparison_src, pages = {}, {}, {}
    unreadable: set[str] = set()
    sources, found = _markdown_sources(config)
    problems += found + _same_address(config, sources)
    docs_shown = _display(config, config.docs_dir)  # "docs": a page is shown as docs/<src_uri>, as _display would
    for src_uri in sources:
        shown = src_uri if docs_shown == "." else f"{docs_shown}/{src_uri}"
        try:
            raw = _read(os.path.join(config.docs_dir, src_uri))
        except OSError as err:
            problems.append(Problem(shown, f"the file cannot be read ({err.strerror}): check it is a readable file"))
            continue
        if len(raw) > MAX_FILE_BYTES:
            problems.append(Problem(shown, f"larger than {MAX_FILE_BYTES // 1_000_000} MB: split the page or "
                                    "shorten it"))
            continue
        doc, found = parse_document(shown, raw)
        problems += found
        slug = posixpath.splitext(posixpath.basename(src_uri))[0]
        is_index = slug == "index"
        if doc is None:
            if src_uri.startswith(CONCEPT_DIR) and not is_index:
                unreadable.add(slug)
            continue
        kind = ("concept" if "concept" in doc.meta or (src_uri.startswith(CONCEPT_DIR) and not is_index) else
                "compare" if "comparison" in doc.meta or (src_uri.startswith(COMPARE_DIR) and not is_index) else None)
        page_problems = _page_problems(config, shown, doc, kind, slug)
        problems += page_problems
        if page_problems and kind == "concept":
            unreadable.add(slug)  # reported once; not again as an unknown concept elsewhere
            continue
        if page_problems:
            continue
        all_docs.append((src_uri, doc))
        if "concept" in doc.meta or (src_uri.startswith(CONCEPT_DIR) and not is_index):
            if "concept" not in doc.meta:
                problems.append(Problem(shown, "no concept record: start the page with front matter holding a "
                                        "'concept:' mapping (see docs/contributing.md)", field="concept"))
                continue
            problems += _field_problems(shown, doc.source, ("concept",))
            concept_docs.append((slug, doc))
            concept_src.setdefault(slug, src_uri)
            pages[src_uri] = ("concept", slug)
        elif "comparison" in doc.meta or (src_uri.startswith(COMPARE_DIR) and not is_index):
            if "comparison" not in doc.meta:
                problems.append(Problem(shown, "no comparison record: start the page with front matter holding a "
                                        "'comparison:' mapping (see docs/contributing.md)", field="comparison"))
                continue
            problems += _field_problems(shown, doc.source, ("comparison",))
            comparison_docs.append((slug, doc))
            comparison_src[slug] = src_uri
            pages[src_uri] = ("compare", slug)
    if glossary is not None:
        problems += record_checks.glossary_problems(GLOSSARY_FILE, glossary, glossary_source)
    if schema is not None:
        model, found = build_model(schema, concept_docs, comparison_docs, glossary, frozenset(unreadable))
        problems += found
        if model is not None:
            problems += record_checks.model_problems(model, dict(concept_docs))
    cites, found, warnings = _citations(all_docs, bibliography)
    problems += found
    if problems:
        raise ContentError(problems)
    abbreviations, tooltips = glossary_module.tooltip_keys(glossary) if glossary else ({}, {})
    titles = {src_uri: _title(model, pages.get(src_uri), doc) for src_uri, doc in all_docs}
    # Record pages as MkDocs should read them (on_page_read_source), where the front matter is the record alone.
    record_key = {"concept": "concept", "compare": "comparison"}
    read_sources = {src_uri: text for src_uri, doc in all_docs if src_uri in pages
                    and (text := without_record(doc, record_key[pages[src_uri][0]])) is not None}
    texts = {**{("concept", slug): doc.body for slug, doc in concept_docs},
             **{("compare", slug): doc.body for slug, doc in comparison_docs}}
    return Build(model, concept_src, comparison_src, abbreviations, tooltips, pages=pages, bibliography=bibliography,
                 cites=cites, titles=titles, warnings=warnings, pairs=concept_pairs.pairs(model), texts=texts,
                 read_sources=read_sources)


def _citations(docs: list[tuple[str, Document]], bibliography: Bibliography | None):
    """Each page's cited works (prose first, then its record's), problems for unknown keys, and a
    warning for every work no page cites."""
    cites: dict[str, tuple[str, ...]] = {}
    problems: list[Problem] = []
    if bibliography is None:
        bibliography = Bibliography((), {})
        if not any(find_citations(doc.body) for _, doc in docs):
            return cites, problems, []
    for src_uri, doc in docs:
        prose, listed, found = page_references(doc, bibliography)
        problems += found
        if prose or listed:
            cites[src_uri] = tuple(dict.fromkeys((*prose, *listed)))
    used = {key for keys in cites.values() for key in keys}
    warnings = [f"{REFERENCES_FILE}:{work.line}: reference '{work.key}' is not cited on any page: cite it "
                "where it supports a claim ([@" + work.key + "]), or remove it" for work in uncited(bibliography, used)]
    return cites, problems, warnings


def _title(model: Model | None, kind: tuple[str, str] | None, doc: Document) -> str:
    """A page's title as readers see it: a record's name, the front matter's title or the first heading."""
    if model is not None and kind and kind[0] == "concept":
        return model.concepts[kind[1]].name
    if model is not None and kind and kind[0] == "compare":
        return render.comparison_title(model, model.comparison(kind[1]))
    if isinstance(doc.meta.get("title"), str):
        return doc.meta["title"]
    heading = re.search(r"^#[ \t]+(.+?)[ \t#]*$", doc.body, re.MULTILINE)
    return heading.group(1) if heading else posixpath.splitext(posixpath.basename(doc.path))[0]


# --------------------------------------------------------------------------- events


@contextlib.contextmanager
def _collector_paused():
    """No cycle collection while the records load. What the load keeps lives to the end of the build,
    so collections during it find nothing to free, yet the full ones walk every object of the process
    (at 1,000 concepts, two full collections and 30 younger ones, about 60 ms). Whatever the load
    leaves for the collector is found by the next collection after it, as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def on_startup(*, command: str, dirty: bool) -> None:
    """`mkdocs build` keeps no conversion (build_cache.on_startup): abbr gets the definitions themselves."""
    global _keyed
    _keyed = command == "serve"


def on_serve(server, *, config: MkDocsConfig, builder):
    """`serve --clean` keeps conversions from its first rebuild on (build_cache.on_serve): so are tooltips keyed."""
    global _keyed
    _keyed = True
    return server


@_timed
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Validate all content before anything is cleaned or written."""
    global _build
    _build = None
    url_problem = safe.site_url_problem(config.site_url)
    if url_problem:
        log.error(f"mkdocs.yml: site_url: {url_problem}")
        raise Abort("Aborted: the site's address is not valid; nothing was built and the previous site is unchanged.")
    try:
        with _collector_paused():
            build = load(config)
    except ContentError as err:
        for problem in err.problems:
            log.error(str(problem))
        raise _abort(len(err.problems)) from None
    _build = build
    for warning in build.warnings:
        log.warning(warning)
    # Glossary tooltips. Under serve, the abbr extension marks every use with its term's key and
    # on_page_content puts the definition in, so a definition edit changes no page's converted
    # Markdown (the build cache keeps them). A build that keeps nothing gives abbr the definitions.
    glossary = build.abbreviations
    if glossary and not _keyed:
        glossary = glossary_module.definitions(glossary, build.model.glossary)
    if "abbr" not in config.markdown_extensions:
        config.markdown_extensions.append("abbr")
    config.mdx_configs["abbr"] = {**config.mdx_configs.get("abbr", {}), "glossary": glossary}
    config.extra["build_date"] = get_build_datetime().strftime("%Y-%m-%d")  # printed pages say when they were built
    return config


def _abort(count: int) -> Abort:
    """Log the summary line and stop the build.

    Logged here rather than raised as a PluginError: MkDocs logs a PluginError's message through a
    filter that drops repeats, so under `mkdocs serve` the summary would print only the first time.
    """
    log.error(f"{count} content problem{'s' if count != 1 else ''} found (listed above); "
              "nothing was built and the previous site is unchanged")
    return Abort("Aborted: fix the problems listed above.")


@_timed
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add a page for every pair without a written comparison, the redirects from the other order, and the JSON."""
    build = _require()
    model = build.model
    build.pair_src = {}
    for pair in build.pairs:
        if pair.written is not None:
            build.pair_src[pair.slug] = build.comparison_src[pair.slug]
            continue
        src = f"{COMPARE_DIR}{pair.slug}.md"
        if files.src_uris.get(src) is not None:
            continue  # a hand-made page at that address is left alone
        # Out of the navigation: the sidebar would otherwise grow with the square of the concepts.
        files.append(File.generated(config, src, content="", inclusion=InclusionLevel.NOT_IN_NAV))
        build.pair_src[pair.slug] = src
        build.pages[src] = ("pair", pair.slug)
    script = files.src_uris.get(REDIRECT_SCRIPT)
    for pair in build.pairs:
        if pair.slug not in build.pair_src:
            continue
        target = files.src_uris.get(build.pair_src[pair.slug])
        a, b = pair.concepts
        for slug in {f"{a}-vs-{b}", f"{b}-vs-{a}"} - {pair.slug}:
            if files.src_uris.get(f"{COMPARE_DIR}{slug}.md") is not None:
                continue
            uri = f"{COMPARE_DIR}{slug}/index.html" if config.use_directory_urls else f"{COMPARE_DIR}{slug}.html"
            redirect = File.generated(config, uri, content="")
            script_url = script.url_relative_to(redirect) if script else ""
            redirect.content_string = concept_pairs.redirect_html(
                target.url_relative_to(redirect), _absolute(config, target.url), script_url)
            files.append(redirect)
    data_url = {slug: files.src_uris.get(src).url for slug, src in build.concept_src.items()}
    compare_url = {slug: files.src_uris.get(src).url for slug, src in build.comparison_src.items()}
    def cited(slug: str) -> tuple[str, ...]:
        return build.cites.get(build.concept_src[slug], ())

    files.append(File.generated(config, RECORDS_JSON, content=render.records_json(
        model, data_url.__getitem__, compare_url.__getitem__, build.bibliography, cited)))
    return files


def _absolute(config: MkDocsConfig, url: str) -> str:
    base = config.site_url or "/"
    return base.rstrip("/") + "/" + url


@functools.lru_cache(maxsize=65_536)
def _relative(target: str, folder: str) -> str:
    """posixpath.relpath(target, folder) for two paths inside docs/ ("." for docs/ itself), asked
    thousands of times a build; worked out on the names alone (relpath asks the OS for the working
    directory on every call)."""
    if folder == ".":
        return posixpath.normpath(target)
    parts, base = posixpath.normpath(target).split("/"), folder.split("/")
    common = 0
    while common < min(len(parts), len(base)) and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


@_timed
def on_page_read_source(*, page: Page, config: MkDocsConfig) -> str | None:
    """A record page as MkDocs would read it, without the record: parsed here already (on_config),
    MkDocs would read the file again and parse the record into page.meta, where nothing uses it
    (at 300 concepts, about 40 ms a build). Every other page is read by MkDocs as usual.

    MkDocs 1.6 marks this event as superseded by setting a File's content in on_files, but that also
    unsets the file's `abs_src_path`, which `serve --dirty` and other plugins use to find the page.
    """
    return _require().read_sources.get(page.file.src_uri)


@_timed
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Replace the page's markers with generated sections; give record pages their title and description."""
    build = _require()
    src_uri = page.file.src_uri
    kind = build.page_kind(src_uri)

    folder = posixpath.dirname(src_uri) or "."

    def md_href(target_src: str) -> str:
        return _relative(target_src, folder)

    def concept_md(slug: str) -> str:
        return md_href(build.concept_src[slug])

    def compare_md(slug: str) -> str:
        return md_href(build.comparison_src[slug])

    urls: dict[str, str] = {}  # the concept map draws each concept and line twice (wide and narrow)

    def url(src: str) -> str:
        found = urls.get(src)
        if found is None:
            found = urls[src] = files.src_uris[src].url_relative_to(page.file)
        return found

    def concept_url(slug: str) -> str:
        return url(build.concept_src[slug])

    def compare_url(slug: str) -> str:
        return url(build.comparison_src[slug])

    def pair_md(slug: str) -> str:
        return md_href(build.pair_src[slug])

    picker_md = md_href(f"{COMPARE_DIR}index.md") if files.src_uris.get(f"{COMPARE_DIR}index.md") else ""

    model = build.model
    bibliography = build.bibliography
    if bibliography is not None:
        markdown = replace_citations(markdown, lambda citation: render.citation_md(bibliography, citation))
    pair = build.pair(kind[1]) if kind and kind[0] == "pair" else None
    # A generated pair page's rows are its two records: it lists the works its concepts' pages cite,
    # kept out of search (those pages are found by them already).
    cited = build.cites.get(src_uri, ()) if pair is None else tuple(dict.fromkeys(
        key for slug in pair.concepts for key in build.cites.get(build.concept_src[slug], ())))
    searchable = pair is None
    sections = {
        ("page", "references"): lambda: render.references_section(bibliography, cited, searchable) if cited else "",
        ("site", "concepts"): lambda: render.concept_list(model, concept_md),
        ("site", "comparisons"): lambda: render.comparison_list(model, compare_md),
        ("site", "map"): lambda: render.concept_map(model, concept_url, concept_md, compare_md, compare_url),
        ("site", "picker"): lambda: concept_pairs.picker(
            model, files.src_uris.get(RECORDS_JSON).url_relative_to(page.file)),
        ("site", "pairs"): lambda: concept_pairs.pair_index(model, build.pairs, pair_md),
    }
    if model.glossary:
        def glossary() -> str:
            build.glossary_urls.add(page.url)
            used = glossary_module.usage(model, build.texts)
            return glossary_module.glossary_page(model, used, concept_md, compare_md)

        sections[("site", "glossary")] = glossary
    if bibliography is not None:
        def references() -> str:
            citing: dict[str, list[tuple[str, str]]] = {}
            for source in sorted(build.cites, key=lambda u: (build.titles[u].casefold(), u)):
                for key in build.cites[source]:
                    citing.setdefault(key, []).append((build.titles[source], md_href(source)))
            return render.references_page(bibliography, citing)

        sections[("site", "references")] = references
    title, names, needed = None, [], []
    if kind and kind[0] == "concept":
        concept = model.concepts[kind[1]]
        title, page.meta["description"] = concept.name, safe.page_text(concept.definition)
        names = [concept.name, *concept.aliases]  # words a reader may type, searched but not shown
        sections[("concept", "attributes")] = lambda: render.concept_attributes(model, concept)
        sections[("concept", "relations")] = lambda: render.concept_relations(model, concept, concept_md)
        sections[("concept", "comparisons")] = lambda: "\n\n".join(filter(None, (
            render.concept_comparisons(model, concept, compare_md),
            concept_pairs.concept_pairs(model, concept, build.pairs_of(concept.slug), pair_md, picker_md))))
        needed = [("concept", name) for name in CONCEPT_SECTIONS]
        lead = render.aliases_line(concept) + "\n\n" + concept_pairs.page_link(md_href(src_uri))
    elif kind and kind[0] == "compare":
        comparison = model.comparison(kind[1])
        title = render.comparison_title(model, comparison)
        page.meta["description"] = safe.page_text(comparison.summary)
        names = [title, search.COMPARISON_WORD]
        sections[("compare", "table")] = lambda: render.comparison_table(model, comparison, concept_md)
        sections[("compare", "related")] = lambda: render.related_comparisons(model, comparison, compare_md)
        needed = [("compare", name) for name in COMPARE_SECTIONS]
        lead = concept_pairs.summary_line(comparison.summary) + "\n\n" + concept_pairs.page_link(md_href(src_uri))
    elif pair is not None:
        title = concept_pairs.pair_title(model, pair)
        page.meta["description"] = safe.page_text(concept_pairs.description(model, pair))
        names = [title, search.COMPARISON_WORD]
        markdown = concept_pairs.page_markdown(model, pair, concept_md, compare_md, md_href(src_uri), cites=bool(cited))
        lead = ""

    def place(match: re.Match) -> str:
        make = sections.get((match.group(1), match.group(2)))
        if make is None:
            shown = _display(config, page.file.abs_src_path or page.file.src_uri)
            log.warning(f"{shown}: unknown or misplaced marker '{match.group(0).strip()}': remove it")
            return ""
        return make()

    if cited:
        needed.append(("page", "references"))
    # The markers a page needs but does not place itself go at its end, in that order.
    found = list(page_checks.markers(markdown))
    present = {(m.group(1), m.group(2)) for m in found}
    missing = [f"<!-- {prefix}:{name} -->" for prefix, name in needed if (prefix, name) not in present]
    if missing:
        markdown = markdown.rstrip() + "\n\n" + "\n\n".join(missing) + "\n"
        found = list(page_checks.markers(markdown))
    pieces, last = [], 0
    for match in found:
        pieces += [markdown[last:match.start()], place(match)]
        last = match.end()
    markdown = "".join(pieces) + markdown[last:]
    # What a search result shows for the page: its description (a record's definition or summary).
    build.search[page.url] = search.PageSearch(
        html.unescape(str(page.meta.get("description") or "")) or None, names,
        search.boost(kind[0] if kind else None, page.meta.get("audience")))
    if title:
        # Escaped once here: Material prints page titles raw (<title>, header, navigation, footer).
        page.meta["title"] = safe.page_text(title)
        markdown = f"# {render.md_text(title)}\n\n{lead}\n\n{markdown}"
    return markdown


@_timed
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Drop glossary tooltips where they do not belong; put the definitions in keyed ones (under serve).

    On the page listing the glossary every definition is already in view; inside a drawing (an SVG
    written in a page) an <abbr> is not SVG and would break the text it wraps. The first use of
    each term is a Tab stop already (abbr_trie.first_uses, during conversion).
    """
    build = _require()
    if page.url in build.glossary_urls:
        return glossary_module.without_term_permalinks(_ABBR_TAGS.sub("", html))
    if "<svg" in html and "<abbr" in html:
        html = _without_tooltips_in_drawings(html)
    return glossary_module.fill_tooltips(html, build.tooltips) if _keyed else html


def _without_tooltips_in_drawings(html: str) -> str:
    """The page without <abbr> tags inside an <svg> (up to its first </svg>). A drawing is looked
    through with `find`, not a regex, and only one that holds a tooltip is copied: the home page's
    concept map is most of its bytes, and holds none (it is a raw HTML block, which abbr never sees)."""
    out, position = [], 0
    for match in _SVG_START.finditer(html):
        start = match.start()
        if start < position:
            continue  # inside the drawing just handled
        end = html.find("</svg>", start)
        if end < 0:
            break  # not closed: not a drawing to look into
        end += len("</svg>")
        if html.find("<abbr", start, end) >= 0:
            out += [html[position:start], _ABBR_TAGS.sub("", html[start:end])]
            position = end
    return "".join(out) + html[position:] if out else html


@event_priority(50)  # before Material's search plugin writes its index (priority 0)
@_timed
def on_post_build(*, config: MkDocsConfig) -> None:
    """Shape Material's search index: short snippets, names readers type, words to split on.

    The entries are shaped where Material keeps them, before it writes them, so the index is written
    once (at 300 concepts, reading and writing it again cost about 40 ms).
    """
    build = _require()
    plugin = config.plugins.get("material/search")
    if plugin is None or not plugin.config.enabled:
        return  # no search, no index
    material_index = getattr(plugin, "search_index", None)  # what Material's on_post_build writes
    docs, settings = getattr(material_index, "entries", None), getattr(material_index, "config", None)
    if not (isinstance(docs, list) and isinstance(settings, dict)):
        log.warning("concept_site: Material's search plugin no longer keeps its index as search_index.entries "
                    "and .config, so search results are not shaped: update on_post_build in hooks/concept_site.py "
                    "for this Material version")
        return
    if build.model.glossary:
        entries = {term.id: search.entry_search(term.term, term.also, term.definition)
                   for term in build.model.glossary.terms}
        for url in build.glossary_urls:
            build.search.setdefault(url, search.PageSearch()).sections.update(entries)
    index = {"config": dict(settings), "docs": docs}
    search.shape_index(index, build.search)  # the entries in place, and the settings
    settings.update(index["config"])


def _require() -> Build:
    if _build is None:
        raise PluginError("concept_site: the records were not loaded (on_config did not run)")
    return _build
