"""MkDocs hook: read every concept record once per build, validate it, and place what derives from it.

A thin adapter. `concept_records` (records and validation) and `concept_render` (Markdown, SVG,
JSON) know nothing about MkDocs; this module reads the files, calls them and puts the results in
the pages. All content is validated in `on_config`, before MkDocs cleans the site directory, so a
rejected build leaves the previous site untouched. State lives in `_build`, replaced at the start of
every build: `mkdocs serve` keeps this module loaded between rebuilds.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import posixpath
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

import concept_render as render
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

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.concept_site")

SCHEMA_FILE = "data/schema.yml"
GLOSSARY_FILE = "data/glossary.yml"
CONCEPT_DIR = "concepts/"
COMPARE_DIR = "compare/"
RECORDS_JSON = "data/concepts.json"
# A marker stands on a line of its own, so one quoted in running text or inline code is left alone.
MARKER = re.compile(r"^[ \t]*<!--\s*(site|concept|compare):([a-z-]+)\s*-->[ \t]*$", re.MULTILINE)
_ABBR = re.compile(r'<abbr title="[^"]*">(.*?)</abbr>', re.DOTALL)
CONCEPT_SECTIONS = ("attributes", "relations", "comparisons")
COMPARE_SECTIONS = ("table", "related")


@dataclass
class Build:
    """What one build knows: the model, where each record lives, and time spent in this hook."""

    model: Model
    concept_src: dict[str, str]
    comparison_src: dict[str, str]
    abbreviations: dict[str, str]
    seconds: float = 0.0
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    glossary_urls: set[str] = field(default_factory=set)  # pages that show the glossary (page.url)

    def page_kind(self, src_uri: str) -> tuple[str, str] | None:
        """('concept', slug) or ('compare', slug) for a record's page, else None."""
        return self.pages.get(src_uri)


_build: Build | None = None


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


def _markdown_sources(docs_dir: str) -> list[str]:
    """Every Markdown file under docs_dir (as src_uri), skipping hidden files and folders."""
    found = []
    for folder, dirs, names in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(".md") and not name.startswith("."):
                found.append(os.path.relpath(os.path.join(folder, name), docs_dir).replace(os.sep, "/"))
    return found


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def load(config: MkDocsConfig) -> Build:
    """Parse and validate every record; raise ContentError listing all problems."""
    root = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
    problems: list[Problem] = []
    schema = glossary = None
    schema_path = os.path.join(root, SCHEMA_FILE)
    if not os.path.isfile(schema_path):
        raise ContentError([Problem(SCHEMA_FILE, "the schema file is missing: restore it")])
    source, found = load_yaml_file(SCHEMA_FILE, _read(schema_path))
    problems += found
    if source is not None:
        schema, found = parse_schema(SCHEMA_FILE, source)
        problems += found
    glossary_path = os.path.join(root, GLOSSARY_FILE)
    if os.path.isfile(glossary_path):
        source, found = load_yaml_file(GLOSSARY_FILE, _read(glossary_path))
        problems += found
        if source is not None:
            glossary, found = parse_glossary(GLOSSARY_FILE, source)
            problems += found

    concept_docs: list[tuple[str, Document]] = []
    comparison_docs: list[tuple[str, Document]] = []
    concept_src, comparison_src, pages = {}, {}, {}
    unreadable: set[str] = set()
    for src_uri in _markdown_sources(config.docs_dir):
        shown = _display(config, os.path.join(config.docs_dir, src_uri))
        doc, found = parse_document(shown, _read(os.path.join(config.docs_dir, src_uri)))
        problems += found
        slug = posixpath.splitext(posixpath.basename(src_uri))[0]
        is_index = slug == "index"
        if doc is None:
            if src_uri.startswith(CONCEPT_DIR) and not is_index:
                unreadable.add(slug)
            continue
        if "concept" in doc.meta or (src_uri.startswith(CONCEPT_DIR) and not is_index):
            if "concept" not in doc.meta:
                problems.append(Problem(shown, "no concept record: start the page with front matter holding a "
                                        "'concept:' mapping (see docs/contributing.md)", field="concept"))
                continue
            concept_docs.append((slug, doc))
            concept_src.setdefault(slug, src_uri)
            pages[src_uri] = ("concept", slug)
        elif "comparison" in doc.meta or (src_uri.startswith(COMPARE_DIR) and not is_index):
            if "comparison" not in doc.meta:
                problems.append(Problem(shown, "no comparison record: start the page with front matter holding a "
                                        "'comparison:' mapping (see docs/contributing.md)", field="comparison"))
                continue
            comparison_docs.append((slug, doc))
            comparison_src[slug] = src_uri
            pages[src_uri] = ("compare", slug)
    if schema is not None:
        model, found = build_model(schema, concept_docs, comparison_docs, glossary, frozenset(unreadable))
        problems += found
    if problems:
        raise ContentError(problems)
    abbreviations = render.abbreviations(glossary) if glossary else {}
    return Build(model, concept_src, comparison_src, abbreviations, pages=pages)


# --------------------------------------------------------------------------- events


@_timed
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Validate all content before anything is cleaned or written."""
    global _build
    _build = None
    try:
        build = load(config)
    except ContentError as err:
        for problem in err.problems:
            log.error(str(problem))
        count = len(err.problems)
        raise PluginError(f"{count} content problem{'s' if count != 1 else ''} found (listed above); "
                          "nothing was built and the previous site is unchanged") from None
    _build = build
    # Glossary tooltips: the abbr extension loads the definitions once per build and marks every use.
    if "abbr" not in config.markdown_extensions:
        config.markdown_extensions.append("abbr")
    config.mdx_configs["abbr"] = {**config.mdx_configs.get("abbr", {}), "glossary": build.abbreviations}
    return config


@_timed
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the redirects from reversed comparison URLs and the records as JSON."""
    build = _require()
    model = build.model
    for comparison in model.comparisons:
        a, b = comparison.concepts
        src = f"{COMPARE_DIR}{b}-vs-{a}.md"
        if files.get_file_from_path(src) is not None:
            continue
        target = files.get_file_from_path(build.comparison_src[comparison.slug])
        reversed_uri = (f"{COMPARE_DIR}{b}-vs-{a}/index.html" if config.use_directory_urls
                        else f"{COMPARE_DIR}{b}-vs-{a}.html")
        redirect = File.generated(config, reversed_uri, content="")
        url = target.url_relative_to(redirect)
        redirect.content_string = _redirect_html(url, _absolute(config, target.url))
        files.append(redirect)
    data_url = {slug: files.get_file_from_path(src).url for slug, src in build.concept_src.items()}
    compare_url = {slug: files.get_file_from_path(src).url for slug, src in build.comparison_src.items()}
    files.append(File.generated(config, RECORDS_JSON,
                                content=render.records_json(model, data_url.__getitem__, compare_url.__getitem__)))
    return files


def _absolute(config: MkDocsConfig, url: str) -> str:
    base = config.site_url or "/"
    return base.rstrip("/") + "/" + url


def _redirect_html(relative: str, canonical: str) -> str:
    safe = render.html_text(relative)
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>Redirecting…</title><link rel=\"canonical\" href=\"{render.html_text(canonical)}\">"
        f"<meta name=\"robots\" content=\"noindex\"><meta http-equiv=\"refresh\" content=\"0; url={safe}\">"
        "</head><body>"
        f"<p>This comparison lives at <a href=\"{safe}\">{render.html_text(canonical)}</a>.</p>"
        "</body></html>\n"
    )


@_timed
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Replace the page's markers with generated sections; give record pages their title and description."""
    build = _require()
    src_uri = page.file.src_uri
    kind = build.page_kind(src_uri)

    def md_href(target_src: str) -> str:
        return posixpath.relpath(target_src, posixpath.dirname(src_uri) or ".")

    def concept_md(slug: str) -> str:
        return md_href(build.concept_src[slug])

    def compare_md(slug: str) -> str:
        return md_href(build.comparison_src[slug])

    def concept_url(slug: str) -> str:
        return files.get_file_from_path(build.concept_src[slug]).url_relative_to(page.file)

    def compare_url(slug: str) -> str:
        return files.get_file_from_path(build.comparison_src[slug]).url_relative_to(page.file)

    model = build.model
    sections = {
        ("site", "concepts"): lambda: render.concept_list(model, concept_md),
        ("site", "comparisons"): lambda: render.comparison_list(model, compare_md),
        ("site", "map"): lambda: render.concept_map(model, concept_url, concept_md, compare_md, compare_url),
    }
    if model.glossary:
        def glossary() -> str:
            build.glossary_urls.add(page.url)
            return render.glossary_page(model.glossary)

        sections[("site", "glossary")] = glossary
    title = None
    if kind and kind[0] == "concept":
        concept = model.concepts[kind[1]]
        title, page.meta["description"] = concept.name, concept.definition
        # Names a reader may type go into the search index's heavily weighted tags field (not shown).
        page.meta["tags"] = [concept.name, *concept.aliases]
        sections[("concept", "attributes")] = lambda: render.concept_attributes(model, concept)
        sections[("concept", "relations")] = lambda: render.concept_relations(model, concept, concept_md)
        sections[("concept", "comparisons")] = lambda: render.concept_comparisons(model, concept, compare_md)
        markdown = _ensure_markers(markdown, "concept", CONCEPT_SECTIONS)
        lead = render.aliases_line(concept)
    elif kind and kind[0] == "compare":
        comparison = model.comparison(kind[1])
        title, page.meta["description"] = render.comparison_title(model, comparison), comparison.summary
        a, b = (model.concepts[s].name for s in comparison.concepts)
        page.meta["tags"] = [f"{a} vs {b}", f"{b} vs {a}"]
        sections[("compare", "table")] = lambda: render.comparison_table(model, comparison, concept_md)
        sections[("compare", "related")] = lambda: render.related_comparisons(model, comparison, compare_md)
        markdown = _ensure_markers(markdown, "compare", COMPARE_SECTIONS)
        lead = ""

    def place(match: re.Match) -> str:
        make = sections.get((match.group(1), match.group(2)))
        if make is None:
            shown = _display(config, page.file.abs_src_path or page.file.src_uri)
            log.warning(f"{shown}: unknown or misplaced marker '{match.group(0).strip()}': remove it")
            return ""
        return make()

    markdown = MARKER.sub(place, markdown)
    if title:
        page.meta["title"] = title
        markdown = f"# {render.md_text(title)}\n\n{lead}\n\n{markdown}"
    return markdown


@_timed
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """On the page listing the glossary, drop the tooltips: every definition is already in view."""
    if page.url not in _require().glossary_urls:
        return html
    return _ABBR.sub(r"\1", html)


@_timed
def on_post_build(*, config: MkDocsConfig) -> None:
    """Give each glossary entry in the search index its own term as tags.

    Material weights tags far above titles and text, and concept pages carry their names and aliases
    as tags; without tags of its own, "Toyota Production System" would find every page tagged
    "production" before the glossary entry that defines it.
    """
    build = _require()
    index_path = os.path.join(config.site_dir, "search", "search_index.json")
    if not build.glossary_urls or not os.path.isfile(index_path):  # the URLs are set only with a glossary
        return
    with open(index_path, encoding="utf-8") as handle:
        index = json.load(handle)
    tags = render.glossary_search_tags(build.model.glossary)
    for doc in index.get("docs", []):
        url, _, anchor = str(doc.get("location", "")).partition("#")
        if url in build.glossary_urls and anchor in tags:
            doc["tags"] = tags[anchor]
    with open(index_path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(index, separators=(",", ":"), default=str))  # as Material writes it


def _ensure_markers(markdown: str, prefix: str, names: tuple[str, ...]) -> str:
    """Append the markers a record page needs but does not place itself."""
    present = {m.group(2) for m in MARKER.finditer(markdown) if m.group(1) == prefix}
    missing = [f"<!-- {prefix}:{name} -->" for name in names if name not in present]
    return markdown if not missing else markdown.rstrip() + "\n\n" + "\n\n".join(missing) + "\n"


def _require() -> Build:
    if _build is None:
        raise PluginError("concept_site: the records were not loaded (on_config did not run)")
    return _build


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    """Order the top level: the home page, then sections (comparisons, concepts), then other pages."""
    def rank(item) -> int:
        if getattr(item, "is_homepage", False):
            return 0
        return 1 if item.is_section else 2

    nav.items.sort(key=rank)
    return nav
