"""MkDocs hook: a failed build never touches the published site.

MkDocs cleans `site_dir` early and writes pages one by one; the `--strict` warning count is only
checked after the last `on_post_build` handler. So a build that fails late (a strict-mode warning,
a template error, a crash while pages are written) would leave the previous site rewritten or
half-written. This hook builds into a new folder beside the site instead and swaps it into place
only when the build has succeeded:

- `on_config` (last): point `config.site_dir` at a new sibling folder (for `--dirty`, a copy of
  the current site, times kept, so only changed pages are rewritten).
- `on_post_build` (last, after every other plugin has written its files): if strict mode has
  counted a warning, MkDocs is about to abort: leave everything. Otherwise rename the old site
  away, the new one into place, and delete the old one.
- `on_build_error`: delete the new folder; the previous site was never touched.

Under `mkdocs serve` the site folder is MkDocs' own temporary folder and the same swap keeps the
last good build in it; after a failed rebuild, requests held by the server are answered from that
last good site instead of hanging until the content is fixed.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import sys
import tempfile
import time
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import CountHandler

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.hooks.site_swap")

STALE_SECONDS = 3600  # a staging folder this old belongs to a build that was killed
_state: dict[str, object] = {}  # target (the real site folder), staging (the folder being written)
# The dev server outlives reloads of this module (see concept_site's hook reload); keep it on the
# livereload module so every copy of this hook finds it.
_SERVER_ATTR = "_side_by_side_server"


def _staging_prefix(target: str) -> str:
    return f".{os.path.basename(target.rstrip(os.sep)) or 'site'}.building-"


@event_priority(-100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Build into a new folder beside the site; the site itself is not touched until the end."""
    _discard()
    target = os.path.realpath(config.site_dir)  # a site/ that links elsewhere is swapped where it points
    parent = os.path.dirname(target)
    _tidy(target)
    try:
        os.makedirs(parent, exist_ok=True)
        staging = tempfile.mkdtemp(prefix=_staging_prefix(target), dir=parent)
    except OSError as err:
        raise PluginError(f"cannot create a folder beside {target} to build into ({err.strerror}): "
                          "make its parent folder writable") from None
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # as a folder made by MkDocs would be, not mkdtemp's 0700
    _state.update(target=target, staging=staging)
    if _state.get("dirty") and os.path.isdir(target):
        shutil.rmtree(staging)
        shutil.copytree(target, staging, symlinks=True)  # copy2 keeps times: --dirty compares them
    config.site_dir = staging
    return config


def _tidy(target: str) -> None:
    """Put back a site left aside by a swap that was interrupted; delete folders of killed builds."""
    parent, prefix = os.path.dirname(target), _staging_prefix(target)
    try:
        names = os.listdir(parent)
    except OSError:
        return
    old_prefix = prefix.replace(".building-", ".old-")
    for name in sorted(names):
        path = os.path.join(parent, name)
        if name.startswith(old_prefix):
            if not os.path.lexists(target):
                os.rename(path, target)
                log.info(f"Restored the previous site from {name} (a build was stopped while swapping)")
            else:
                shutil.rmtree(path, ignore_errors=True)
        elif name.startswith(prefix) and time.time() - os.path.getmtime(path) > STALE_SECONDS:
            shutil.rmtree(path, ignore_errors=True)  # a build that was killed; a running one is younger


def on_startup(*, command: str, dirty: bool) -> None:
    """Remember --dirty (MkDocs tells only this event), so a dirty build starts from the current site."""
    _state["dirty"] = dirty


@event_priority(-100)
def on_post_build(*, config: MkDocsConfig) -> None:
    """Swap the new site into place, unless MkDocs is about to abort for strict-mode warnings."""
    staging, target = _state.get("staging"), _state.get("target")
    if not staging or not target:
        return
    if config.strict and _strict_warnings():
        return  # MkDocs aborts right after this event; on_build_error discards the new folder
    old = None
    try:
        if os.path.lexists(target):
            old = tempfile.mkdtemp(prefix=_staging_prefix(target).replace(".building-", ".old-"),
                                   dir=os.path.dirname(target))
            os.rmdir(old)
            os.rename(target, old)
        os.rename(staging, target)
    except OSError as err:  # the site folder is a mount point, or its parent cannot be written
        if old and not os.path.lexists(target):
            os.rename(old, target)
        old = None
        log.info(f"Cannot swap {target} ({err.strerror}); replacing its contents instead")
        _replace_contents(staging, target)
        shutil.rmtree(staging, ignore_errors=True)
    _state.pop("staging", None)
    config.site_dir = target  # gh-deploy publishes config.site_dir after the build
    log.info(f"The new site is in place: {target}")
    if old:
        shutil.rmtree(old, ignore_errors=True)


def _replace_contents(staging: str, target: str) -> None:
    """Not atomic, but only reached after the build succeeded: the new files replace the old ones."""
    os.makedirs(target, exist_ok=True)
    for name in os.listdir(target):
        path = os.path.join(target, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)
    for name in os.listdir(staging):
        shutil.move(os.path.join(staging, name), os.path.join(target, name))


def on_build_error(*, error: Exception) -> None:
    """Drop the half-written folder; the previous site is as it was. Under serve, stop holding requests."""
    _discard()
    server = _server()
    if server is not None and _release(server):
        log.info("Readers keep getting the last good site until the problems above are fixed")


def on_serve(server, *, config: MkDocsConfig, builder):
    """Remember the server; reload the hooks' code when a hook file changes (MkDocs caches it otherwise)."""
    from mkdocs import livereload
    from watchdog.events import FileSystemEventHandler  # only under serve: a few ms to import

    setattr(livereload, _SERVER_ATTR, server)
    folders = {os.path.dirname(os.path.abspath(module.__file__)) for module in config.hooks.values()
               if getattr(module, "__file__", None)}
    for folder in sorted(folders):
        handler = FileSystemEventHandler()
        handler.on_any_event = functools.partial(_hook_changed, folder)
        # recursive=True: the same watch as `watch: [hooks]`, so this runs in the same dispatch, right
        # after the server has asked for a rebuild and before the rebuild loads the configuration.
        server.observer.schedule(handler, folder, recursive=True)
    return server


def _hook_changed(folder: str, event) -> None:
    """Forget the hook modules from `folder`, so the next configuration imports them afresh."""
    changed = str(getattr(event, "src_path", ""))
    if getattr(event, "is_directory", False) or not changed.endswith(".py"):
        return
    from mkdocs.config.config_options import Hooks

    Hooks._load_hook.cache_clear()
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if path and os.path.dirname(os.path.abspath(path)) == folder:
            del sys.modules[name]
    log.info(f"{os.path.basename(changed)} changed: the rebuild runs the new code")


def on_shutdown() -> None:
    _discard()


def _server():
    # Only `mkdocs serve` imports the dev server's module (and then on_serve has run).
    return getattr(sys.modules.get("mkdocs.livereload"), _SERVER_ATTR, None)


def _release(server) -> bool:
    """Let requests held since the failed rebuild be answered from the last good site.

    MkDocs' dev server holds every request until a rebuild succeeds (it marks the new version
    wanted before calling the builder, visible after it returns). The site folder still holds the
    last good build, so mark the failed version visible: nothing waits for a fix any more.
    """
    cond = getattr(server, "_epoch_cond", None)
    if cond is None or not hasattr(server, "_wanted_epoch") or not hasattr(server, "_visible_epoch"):
        return False
    with cond:
        server._visible_epoch = server._wanted_epoch
        cond.notify_all()
    return True


def _strict_warnings() -> bool:
    """Whether MkDocs' strict-mode counter has seen a warning in this build."""
    handlers = logging.getLogger("mkdocs").handlers
    return any(isinstance(handler, CountHandler) and handler.get_counts() for handler in handlers)


def _discard() -> None:
    staging = _state.pop("staging", None)
    if staging and os.path.isdir(staging):
        shutil.rmtree(staging, ignore_errors=True)
