"""MkDocs hook (first in mkdocs.yml): what `mkdocs serve` keeps from one rebuild to the next.

`mkdocs serve` rebuilds the whole site on every save: it reloads the configuration, recompiles
every template and converts every page's Markdown again, although a save changes one file. This
hook keeps, in memory, what a rebuild would otherwise redo with the same inputs:

- **Templates.** One Jinja bytecode cache for every Environment MkDocs creates. Jinja itself keys
  it on the template's name and file and checks a checksum of its source when it loads one, and
  `template_cache` adds what the compiled code depends on in the Environment, so an edited or
  upgraded template is compiled again. It is also written to `.cache/jinja/` beside mkdocs.yml, so a
  later `mkdocs build` (a new process) loads Material's compiled templates instead of compiling them
  again, 0.15 s or more of every build.
- **Converted Markdown.** A page's `Page.render` results (its HTML, table of contents, title, the
  ids it defines and the links it makes to other pages' anchors), keyed on a hash of everything the
  conversion reads: the page's final Markdown (after every hook's `on_page_markdown`, so a record
  edit reaches every page that shows the record), its path and address, the Markdown extensions
  and their options (the glossary among them), the site's list of files (relative links resolve
  against it) and the link settings. A conversion that logged anything is not kept, so its
  warnings come back on every build, and `--strict` sees them.
- **Search entries.** The sections Material's search plugin cuts from a page, keyed on the page's
  address, title, front matter, table of contents and final HTML (without tooltip titles, which the
  plugin never reads).
- **Pages from the theme.** A page's template output (Material's `main.html` around the content),
  keyed on the template, the theme's files, the configuration, the navigation (every page prints
  it), the page (content, title, addresses, table of contents, front matter, neighbours) and the rest
  of its context. Templates without a page (sitemap.xml, 404.html) read every page: never kept.
  The keys are made in `cache_keys.py`.

Only the templates' bytecode goes to disk (`.cache/jinja/`, see `template_cache`), and it is the
code Jinja would compile. `mkdocs build` (and `gh-deploy`) builds once, so it keeps nothing in memory and makes no
key (`on_startup`); the templates' bytecode from an earlier build still saves it compiling them.
What the last build did not use is dropped, so memory stays that of one build. Set
`SIDE_BY_SIDE_NO_CACHE=1` to keep nothing, on disk or in memory (the tests compare the two).

A cached value is a copy handed out again, never the object the page will change: the table of
contents is copied on the way out, because a later hook shortens it in place.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import logging
import os
import re
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.plugins import event_priority

import cache_keys as keys
from cache_keys import markdown_fingerprint  # noqa: F401  (tests ask this module)
from template_cache import TemplateCache, folder_beside

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.build_cache")

OFF_VARIABLE = "SIDE_BY_SIDE_NO_CACHE"


class _Store:
    """A dict whose entries unused by the last build are dropped when the next one ends."""

    def __init__(self) -> None:
        self.entries: dict[str, Any] = {}
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Any:
        value = self.entries.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
            self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        self.entries[key] = value
        self.used.add(key)

    def end_build(self) -> tuple[int, int]:
        counts = (self.hits, self.misses)
        self.entries = {key: value for key, value in self.entries.items() if key in self.used}
        self.forget_build()
        return counts

    def forget_build(self) -> None:
        """A build that failed used next to nothing: keep every entry for the build that follows the fix."""
        self.used, self.hits, self.misses = set(), 0, 0


_ABBR_TITLE = re.compile(r'(<abbr\b[^>]*?) title="[^"]*"')  # a tooltip's title, wherever it stands in the tag
# Material's search plugin removes these from the page once it has indexed it (its on_page_context).
_SEARCH_ATTRIBUTES = re.compile(r"\s?data-search-\w+=\"[^\"]+\"")

_JINJA = TemplateCache()
_RENDERED = _Store()
_SEARCH = _Store()
_OUTPUT = _Store()
_state: dict[str, Any] = {"markdown": None, "files": None, "site": None, "reads_date": True, "nav": (None, ""),
                          "nav_meta": frozenset(), "one_off": False}
_last: dict[str, tuple[int, int]] = {"rendered": (0, 0), "searched": (0, 0), "templated": (0, 0)}


def enabled() -> bool:
    return os.environ.get(OFF_VARIABLE, "") in ("", "0")


def keeping() -> bool:
    """Whether this process keeps conversions, search entries and page output for a later build."""
    return enabled() and not _state["one_off"]


# ------------------------------------------------------------------ events


def on_startup(*, command: str, dirty: bool) -> None:
    """`mkdocs build` and `gh-deploy` build once: nothing kept in memory would be used again, and
    making the keys costs time (the theme's key alone reads Material's 14,500 files, about 0.1 s), so
    nothing is kept; the templates' bytecode still goes to disk for the next build. `mkdocs serve`
    keeps everything; `serve --clean`, which MkDocs reports as a build, from its first rebuild on
    (`on_serve`). A build started without this event (the tests' in-process builds) keeps."""
    _state["one_off"] = command != "serve"


def on_serve(server, *, config: MkDocsConfig, builder):
    """Only `mkdocs serve` (with --clean too) calls this, after its first build: rebuilds follow."""
    _state["one_off"] = False
    return server


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    if not enabled():
        return env
    if env.bytecode_cache is None:
        _JINJA.use(folder_beside(config.config_file_path))
        env.bytecode_cache = _JINJA
    # Without a Markdown fingerprint (an extension reads other files) the Markdown options, which
    # templates may print (the toc title), are in no key: nothing is kept from the theme then either.
    if env.template_class is jinja2.Template and _state["files"] is not None and _state["markdown"] is not None:
        env.template_class = _PageTemplate
        theme, _state["reads_date"], _state["nav_meta"] = keys.theme_fingerprint(config, env)
        _state["site"] = keys.digest(theme, keys.config_fingerprint(config, _state["markdown"]), _state["files"])
    return env


@event_priority(100)
def on_pre_build(*, config: MkDocsConfig) -> None:
    _state["markdown"] = keys.markdown_fingerprint(config, _debug()) if keeping() else None
    _state["files"] = _state["site"] = None
    _state["nav"] = (None, "")
    _wrap_search(config)


@event_priority(-100)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    """Every hook has added its files by now: the list relative links resolve against."""
    _state["files"] = keys.files_fingerprint(files) if _state["markdown"] is not None else None
    return files


@event_priority(-100)
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Last of all hooks: the page's final Markdown is known, so its conversion can be looked up."""
    if _state["markdown"] is None or _state["files"] is None:
        return markdown
    key = keys.digest(_state["markdown"], _state["files"], page.file.src_uri, page.file.dest_uri, page.url, markdown)
    kept = _RENDERED.get(key)
    if kept is not None:
        page.render = functools.partial(_replay, page, kept)  # type: ignore[method-assign]
    else:
        page.render = functools.partial(_render_and_keep, page, key)  # type: ignore[method-assign]
    return markdown


def on_post_build(*, config: MkDocsConfig) -> None:
    for name, store in (("rendered", _RENDERED), ("searched", _SEARCH), ("templated", _OUTPUT)):
        _last[name] = store.end_build()
    if enabled():
        log.debug("build cache: " + "; ".join(f"{name} {reused} reused / {new} new" for name, (reused, new) in _last.items()))


def last_counts() -> dict[str, tuple[int, int]]:
    """What the last finished build reused and made anew: {"rendered": (reused, new), "searched": ...}."""
    return dict(_last)


def on_build_error(*, error: Exception) -> None:
    for store in (_RENDERED, _SEARCH, _OUTPUT):
        store.forget_build()


def _debug() -> bool:
    return log.getEffectiveLevel() <= logging.DEBUG


# ------------------------------------------------------------------ converted Markdown


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextlib.contextmanager
def _recording():
    """Count what MkDocs' loggers print meanwhile: a result made with a message is not kept, so the
    message comes back in every build (and `--strict` counts it)."""
    recorder = _Recorder()
    root = logging.getLogger("mkdocs")
    root.addHandler(recorder)
    try:
        yield recorder
    finally:
        root.removeHandler(recorder)


def _render_and_keep(page: Page, key: str, config: MkDocsConfig, files: Files) -> None:
    del page.render  # the class's method again
    with _recording() as recorder:
        page.render(config, files)
    if recorder.count:
        return  # its messages must come back on the next build
    links = {target.src_uri: dict(anchors) for target, anchors in (page.links_to_anchors or {}).items()}
    _RENDERED.put(key, (page.content, copy.deepcopy(page.toc), page._title_from_render,
                        frozenset(page.present_anchor_ids or ()), links, page.links_to_anchors is not None))


def _replay(page: Page, kept: tuple, config: MkDocsConfig, files: Files) -> None:
    del page.render
    content, toc, title, anchors, links, has_links = kept
    page.content = content
    page.toc = copy.deepcopy(toc)
    page._title_from_render = title
    page.present_anchor_ids = set(anchors)
    if has_links:
        page.links_to_anchors = {files.get_file_from_path(src): dict(found) for src, found in links.items()}


# ------------------------------------------------------------------ pages from the theme's templates


class _PageTemplate(jinja2.Template):
    """A theme template whose output for a page is kept, keyed on the template, the theme, the
    configuration, the navigation, the page and the rest of its context (`cache_keys`)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        key = _output_key(self.name or "", dict(*args, **kwargs))
        if key is None:
            return super().render(*args, **kwargs)
        kept = _OUTPUT.get(key)
        if kept is not None:
            return kept
        with _recording() as recorder:
            output = super().render(*args, **kwargs)
        if not recorder.count:
            _OUTPUT.put(key, output)
        return output


# Context entries that are part of the site's key (config, pages) or have their own (page, nav).
_KEYED_APART = frozenset({"page", "nav", "config", "pages"})


def _output_key(name: str, context: dict) -> str | None:
    """None for a template that is not a page's (sitemap.xml, 404.html: they read every page)."""
    page, site = context.get("page"), _state["site"]
    if page is None or site is None:
        return None
    nav = context.get("nav")
    if _state["nav"][0] is not nav:  # once per build: every page prints the same navigation
        _state["nav"] = (nav, keys.nav_fingerprint(nav, _state["nav_meta"]))
    rest = [f"{k}={keys.as_text(context[k])}" for k in sorted(context) if k not in _KEYED_APART
            and (k != "build_date_utc" or _state["reads_date"])]
    return keys.digest(site, name, _state["nav"][1], keys.page_fingerprint(page), *rest)


# ------------------------------------------------------------------ search entries


def _wrap_search(config: MkDocsConfig) -> None:
    """Material's search plugin indexes each page in its `on_page_context`; reuse what it cut before."""
    if not keeping():
        return
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    if plugin is None or not hasattr(plugin, "on_page_context"):
        return
    current = plugin.on_page_context
    if getattr(current, "_build_cache", None) is _SEARCH:
        return  # wrapped by this module already (Material keeps its plugin across serve rebuilds)
    # Wrapped by an earlier copy of this module (before a hook reload): wrap what that one wrapped.
    original = getattr(current, "_original", current)

    def on_page_context(context, *, page, config, nav):
        index = getattr(plugin, "search_index", None)
        entries = getattr(index, "entries", None)
        if not isinstance(entries, list) or not getattr(plugin.config, "enabled", True):
            return original(context, page=page, config=config, nav=nav)
        meta = keys.as_text(page.meta)
        # Material's parser never reads an <abbr>'s title (it keeps no attribute but ids and its own
        # exclusion markers), so a glossary definition edit, which changes the titles on most pages,
        # leaves their entries as they were.
        key = keys.digest(page.url, str(page.title), meta, _ABBR_TITLE.sub(r"\1", page.content or ""),
                      keys.as_text([[i.id, i.url] for _, i in keys.toc_items(page.toc)]))
        kept = _SEARCH.get(key)
        if kept is None:
            start = len(entries)
            result = original(context, page=page, config=config, nav=nav)
            _SEARCH.put(key, copy.deepcopy(entries[start:]))
            return result
        entries.extend(copy.deepcopy(kept))
        page.content = _SEARCH_ATTRIBUTES.sub("", page.content)  # what the plugin does after indexing
        return context

    on_page_context._build_cache = _SEARCH  # type: ignore[attr-defined]
    on_page_context._original = original  # type: ignore[attr-defined]
    plugin.on_page_context = on_page_context
    # The plugin collection dispatches through bound methods it collected when the plugin was added.
    events = getattr(config.plugins, "events", {}).get("page_context", [])
    for i, method in enumerate(events):
        if getattr(method, "__self__", None) is plugin or method is current:
            events[i] = on_page_context

