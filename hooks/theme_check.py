"""MkDocs hook: a mistake in a template stops the build with one line naming its file and line.

Jinja compiles a template when it is first loaded, which MkDocs does while it writes the first page
that uses it; a syntax error there (an unknown tag or filter, a block never closed) comes out as a
Python traceback, part-way through the build. Here, in `on_env`, every template in the theme's
`custom_dir` (this project's overrides) is loaded before any page is written. An error is logged as
`file:line: what Jinja says: the fix` and the build stops; site_swap leaves the published site as
it was. Loaded templates stay in Jinja's cache, so the pages reuse them: the check costs nothing
more than the loading the build would do anyway. Material's own templates are not checked here.

An error Jinja can only see while rendering (an attribute of something undefined, a filter given
the wrong kind of value) happens on a page, while MkDocs writes it. Templates are made of
`CheckedTemplate`, whose `render` turns any such error into one line naming the template file and
line where it happened, the page being written, and what Jinja says; the build stops there as it
does for a compile error.
"""

from __future__ import annotations

import logging
import os
import traceback
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.exceptions import Abort, PluginError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

log = logging.getLogger("mkdocs.hooks.theme_check")

TEMPLATE_SUFFIXES = (".html", ".xml", ".j2", ".jinja")


class CheckedTemplate(jinja2.Template):
    """A template whose rendering errors come out as one line (see the module's text)."""

    shown_folders: tuple[tuple[str, str], ...] = ()  # (folder, as shown): where the project's templates are

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except PluginError:
            raise
        except Exception as err:  # noqa: BLE001 (any error in a template is reported the same way)
            context = args[0] if args and isinstance(args[0], dict) else kwargs
            page = getattr(getattr(context.get("page"), "file", None), "src_uri", None)
            writing = f"while writing {page}" if page else f"while writing {self.name}"
            reason = " ".join(str(err).split()) or type(err).__name__
            raise PluginError(f"{self._where(err)}: the template failed {writing} ({reason}): correct that line") from None

    def _where(self, err: Exception) -> str:
        """file:line of the innermost template frame (Jinja maps its frames to template lines)."""
        for frame in reversed(traceback.extract_tb(err.__traceback__)):
            path = os.path.abspath(frame.filename)
            for folder, shown in self.shown_folders:
                if path.startswith(folder + os.sep):
                    return f"{shown}/{os.path.relpath(path, folder).replace(os.sep, '/')}:{frame.lineno}"
            if path.endswith(TEMPLATE_SUFFIXES):  # one of the theme's own templates
                return f"the theme's {os.path.basename(path)}:{frame.lineno}"
        return str(self.name)


def on_env(env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    folder = config.theme.custom_dir
    shown = os.path.relpath(folder, os.path.dirname(config.config_file_path or ".") or ".") if folder else ""
    # Every template loaded from here on is a CheckedTemplate: a subclass made per build (so the
    # folder it names is this build's) of the class set so far (build_cache's, which keeps output).
    base = env.template_class if issubclass(env.template_class, jinja2.Template) else jinja2.Template
    bases = (base,) if issubclass(base, CheckedTemplate) else (CheckedTemplate, base)  # checked already
    env.template_class = type("CheckedTemplate", bases, {
        "shown_folders": ((os.path.abspath(folder), shown.replace(os.sep, "/")),) if folder else ()})
    if not folder:
        return env
    for name in jinja2.FileSystemLoader(folder).list_templates():  # every file, named as Jinja loads it
        if not name.endswith(TEMPLATE_SUFFIXES):
            continue
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as err:  # an unknown filter or test is one too
            log.error(f"{shown}/{name}:{err.lineno}: the template does not compile ({err.message}): correct that line")
            raise Abort("Aborted: fix the template named above; nothing was built and the previous site is unchanged.") from None
    return env
