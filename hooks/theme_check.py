"""MkDocs hook: a mistake in the project's own templates stops the build with one line, before any page.

Jinja compiles a template when it is first loaded, which MkDocs does while it writes the first page
that uses it; a syntax error there (an unknown tag or filter, a block never closed) comes out as a
Python traceback, part-way through the build. Here, in `on_env`, every template in the theme's
`custom_dir` (this project's overrides) is loaded before any page is written. An error is logged as
`file:line: what Jinja says: the fix` and the build stops; site_swap leaves the published site as
it was. Loaded templates stay in Jinja's cache, so the pages reuse them: the check costs nothing
more than the loading the build would do anyway. Material's own templates are not checked here.

An error Jinja can only see while rendering (a variable that holds the wrong kind of value) is not
caught here; the project's build tests render every template.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

import jinja2
from mkdocs.exceptions import Abort

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

log = logging.getLogger("mkdocs.hooks.theme_check")

TEMPLATE_SUFFIXES = (".html", ".xml", ".j2", ".jinja")


def on_env(env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    folder = config.theme.custom_dir
    if not folder:
        return env
    shown = os.path.relpath(folder, os.path.dirname(config.config_file_path or ".") or ".")
    for name in jinja2.FileSystemLoader(folder).list_templates():  # every file, named as Jinja loads it
        if not name.endswith(TEMPLATE_SUFFIXES):
            continue
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as err:  # an unknown filter or test is one too
            log.error(f"{shown}/{name}:{err.lineno}: the template does not compile ({err.message}): correct that line")
            raise Abort("Aborted: fix the template named above; nothing was built and the previous site is unchanged.") from None
    return env
