"""Keys for what `mkdocs serve` keeps between rebuilds (used by build_cache.py).

A key is a sha1 over everything a kept result was made from. Each function here describes one input
as text that is the same in every build with the same input, and different when the input differs:

- `markdown_fingerprint`: the Markdown extensions and their options (None when an extension reads
  other files, so a page's Markdown alone no longer decides its HTML);
- `files_fingerprint`: the site's file list, which relative links resolve against;
- `theme_fingerprint`: the theme's templates (each file's size and modification time; an installed
  theme by its package version) and the Jinja filters, tests and globals;
- `config_fingerprint`: the configuration a template can read, Markdown settings apart;
- `nav_fingerprint`: the navigation every page prints (titles, addresses, sections, and the fields
  of each page's front matter the theme prints there);
- `page_fingerprint`: what a theme template reads from the page it renders.
No pure-Python state here: `mkdocs serve` keeps this module between rebuilds.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

# Extensions that read other files while converting: their output depends on more than the page.
READS_OTHER_FILES = ("pymdownx.snippets", "pymdownx.b64", "markdown_include", "mdx_include")
# Not part of the configuration's key: the Markdown settings (in the Markdown fingerprint; MkDocs
# makes their extension objects afresh in every build) and the output folder, which site_swap.py
# points at a fresh staging folder in every build (where pages are written, not what they say).
_NOT_KEYED = ("markdown_extensions", "mdx_configs", "site_dir", "plugins")


def digest(*parts: str) -> str:
    sha = hashlib.sha1()
    for part in parts:
        sha.update(part.encode("utf-8", "surrogatepass"))
        sha.update(b"\0")
    return sha.hexdigest()


def stable(value: object) -> object:
    """A JSON-able stand-in for a value that is the same in every build with the same value."""
    if callable(value):
        module = getattr(value, "__module__", "")
        name = getattr(value, "__qualname__", type(value).__qualname__)
        inner = getattr(value, "func", None)  # functools.partial: the function and its arguments
        if inner is not None:
            return [stable(inner), [stable(a) for a in value.args], stable(value.keywords)]
        owner = getattr(value, "__self__", None)  # a bound method: its object's settings count too
        state = vars(owner) if owner is not None and hasattr(owner, "__dict__") else \
            vars(value) if not hasattr(value, "__code__") and hasattr(value, "__dict__") else {}
        closure = getattr(value, "__closure__", None) or ()
        return [module, name, [repr(cell.cell_contents) for cell in closure], stable(state)]
    if isinstance(value, dict):
        return {str(k): stable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [stable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def as_text(value: object) -> str:
    return json.dumps(stable(value), sort_keys=True, default=repr)


def _reads_other_files(name: str) -> bool:
    return any(name == known or name.startswith(known + ".") for known in READS_OTHER_FILES)


def markdown_fingerprint(config: MkDocsConfig, debug: bool = False) -> str | None:
    """A hash of the Markdown configuration, or None when it cannot be told apart reliably."""
    extensions = []
    for extension in config.markdown_extensions:
        if isinstance(extension, str):
            if _reads_other_files(extension):
                return None
            extensions.append(extension)
            continue
        get_configs = getattr(extension, "getConfigs", None)
        if get_configs is None:
            return None
        cls = type(extension)
        if _reads_other_files(cls.__module__):
            return None
        extensions.append([cls.__module__, cls.__qualname__, stable(get_configs())])
    settings = {
        "extensions": extensions,
        "options": stable(config.mdx_configs or {}),
        "directory_urls": config.use_directory_urls,
        "validation": stable(dict(config.validation)),
        "debug": debug,
    }
    return digest(json.dumps(settings, sort_keys=True, default=repr))


def files_fingerprint(files: Files) -> str:
    rows = sorted(f"{f.src_uri}\t{f.dest_uri}\t{f.url}\t{f.inclusion.name}" for f in files)
    return digest(*rows)


# ------------------------------------------------------------------ templates


_PACKAGES = {"material": "mkdocs-material", "mkdocs": "mkdocs"}  # module -> distribution


@functools.cache
def _package_of(folder: str) -> str | None:
    """'mkdocs-material 9.8.2 templates' when `folder` is inside an installed theme package, else None."""
    real = os.path.realpath(folder)
    for module, dist in _PACKAGES.items():
        spec = importlib.util.find_spec(module)
        for location in (spec.submodule_search_locations or []) if spec else []:
            root = os.path.realpath(location)
            if real == root or real.startswith(root + os.sep):
                return f"{dist} {importlib.metadata.version(dist)} {os.path.relpath(real, root)}"
    return None


# `<name>.meta.<field>` in a template, for a page other than the one rendered (whose front matter
# is keyed whole in page_fingerprint): other pages' fields the theme prints. Material's sidebar reads
# nav_item.meta.icon, .subtitle and .status. A computed field (`meta[name]`) means any field.
_META_FIELD = re.compile(r"""\b(\w+)\.meta(?:\.(\w+)|\[\s*["'](\w+)["']\s*\]|\.get\(\s*["'](\w+)["'])""")
_META_COMPUTED = re.compile(r"""\bmeta\s*\[\s*[^\s"']""")
ANY_FIELD = "*"


def _template_facts(path: str) -> tuple[bool, frozenset[str]]:
    """(whether the file prints `build_date_utc`, the front-matter fields it reads of other pages)."""
    if not path.endswith((".html", ".xml", ".j2", ".jinja", ".txt", ".js", ".json")):
        return False, frozenset()
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return False, frozenset()
    fields = {next(f for f in m.groups()[1:] if f) for m in _META_FIELD.finditer(text) if m.group(1) != "page"}
    if _META_COMPUTED.search(text):
        fields.add(ANY_FIELD)
    return "build_date_utc" in text, frozenset(fields)


@functools.cache
def _package_facts(folder: str, package: str) -> tuple[bool, frozenset[str]]:
    """_template_facts over an installed theme folder (read once per package version)."""
    return _merge(_template_facts(path) for path in _walk_files(folder))


def _merge(facts) -> tuple[bool, frozenset[str]]:
    reads_date, fields = False, frozenset()
    for date, names in facts:
        reads_date, fields = reads_date or date, fields | names
    return reads_date, fields


def _walk_files(folder: str):
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            yield os.path.join(root, name)


def named(value: object) -> str:
    """A Jinja filter, test or global by its name and module (their objects may refer to each other)."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return repr(value)
    return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"


def theme_fingerprint(config: MkDocsConfig, env: Environment) -> tuple[str, bool, frozenset[str]]:
    """(a hash of the theme's templates and Jinja's filters, tests and globals; whether any template
    reads `build_date_utc`, which changes in every build; the front-matter fields of other pages the
    templates print, see _META_FIELD). A folder of an installed theme counts by the package's
    version; any other folder (custom_dir) by each file's path, size and mtime."""
    parts: list[str] = []
    facts: list[tuple[bool, frozenset[str]]] = []
    for folder in config.theme.dirs:
        package = _package_of(folder)
        if package is not None:
            parts.append(package)
            facts.append(_package_facts(folder, package))
            continue
        parts.append(f"folder {folder}")
        for path in _walk_files(folder):
            try:
                stat = os.stat(path)
            except OSError:
                continue
            parts.append(f"{os.path.relpath(path, folder)}\t{stat.st_size}\t{stat.st_mtime_ns}")
            facts.append(_template_facts(path))
    for table in (env.filters, env.tests, env.globals):
        parts.extend(f"{name}\t{named(table[name])}" for name in sorted(table))
    reads_date, fields = _merge(facts)
    return digest(*parts), reads_date, fields


def config_fingerprint(config: MkDocsConfig, markdown: str | None) -> str:
    """The configuration as a template sees it (see _NOT_KEYED); a plugin is its name and options."""
    values = {key: config[key] for key in config if key not in _NOT_KEYED}
    plugins = {name: dict(getattr(plugin, "config", {}) or {}) for name, plugin in config.plugins.items()}
    return digest(as_text(values), as_text(plugins), str(markdown))


def nav_fingerprint(nav: Any, meta_fields: frozenset[str] = frozenset()) -> str:
    """Every navigation entry: its kind, title and address, in order and nesting, and the fields of
    its page's front matter the theme prints in the navigation (`meta_fields`, from theme_fingerprint)."""
    rows: list[str] = []

    def walk(items, depth: int) -> None:
        for item in items or ():
            row = f"{depth}\t{type(item).__name__}\t{item.title}\t{getattr(item, 'url', '')}"
            meta = getattr(item, "meta", None)
            if meta_fields and isinstance(meta, dict):
                shown = meta if ANY_FIELD in meta_fields else {k: meta[k] for k in sorted(meta_fields) if k in meta}
                row += f"\t{as_text(shown)}"
            rows.append(row)
            walk(getattr(item, "children", None), depth + 1)

    walk(getattr(nav, "items", None), 0)
    homepage = getattr(nav, "homepage", None)
    rows.append(f"home\t{getattr(homepage, 'url', '')}")
    return digest(*rows)


def toc_items(toc, depth: int = 0):
    """(depth, entry) for every entry of a table of contents, depth first."""
    for item in toc or ():
        yield depth, item
        yield from toc_items(item.children, depth + 1)


def _toc_rows(toc):
    return (f"{depth}\t{item.id}\t{item.title}\t{item.url}\t{item.level}" for depth, item in toc_items(toc))


def page_fingerprint(page: Page) -> str:
    """What a template reads from its page: content, title, addresses, table of contents, front
    matter, neighbours and ancestors (the rest of the navigation is in `nav_fingerprint`)."""
    neighbours = [(getattr(p, "url", None), str(getattr(p, "title", ""))) for p in (page.previous_page, page.next_page)]
    ancestors = [str(getattr(a, "title", "")) for a in (page.ancestors or ())]
    return digest(
        page.url, str(page.canonical_url), str(page.abs_url), str(page.edit_url), str(page.title),
        page.file.src_uri, str(page.is_homepage), str(getattr(page, "update_date", "")),
        page.content or "", *_toc_rows(page.toc), as_text(page.meta), as_text(neighbours), as_text(ancestors),
    )
