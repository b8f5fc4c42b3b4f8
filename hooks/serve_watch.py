"""MkDocs hook: `mkdocs serve` notices a save within a tenth of a second, and starts rebuilding sooner.

MkDocs' dev server finds changed files by polling them every half second, so a save waits 0.25 s
on average, and up to 0.5 s, before the rebuild even starts: a quarter of the one-second budget
for save-to-served (the build cache, `build_cache.py`, has made the rebuild itself short). Its
polling interval is a parameter of `LiveReloadServer` that `mkdocs serve` does not expose, and
`on_serve` may hand back the server to use. So this hook returns a server made with the same
arguments and a shorter interval, watching the same paths, before any other hook sees it.

Polling stats every watched file each time, so the interval grows with the files watched: 0.1 s
up to 1,000 files, MkDocs' own 0.5 s from 5,000 (a 1,000-concept site has about 3,000 pages).

Once a change is seen, MkDocs' server waits until no other has come for `build_delay` (0.1 s) before
it rebuilds, so that a save touching several files makes one rebuild. A poll finds every change
since the one before at once, and hands them to the server one right after another (microseconds
apart), so a wait much shorter than the polling interval still gathers them: the faster server
waits SETTLE instead (on the real site a save was served 0.09-0.15 s sooner, README). (MkDocs' own wait, 0.1 s, is already
shorter than its own polling interval, 0.5 s: changes a poll apart were never gathered.)
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.hooks.serve_watch")

FAST, SLOW = 0.1, 0.5          # seconds between polls
FEW, MANY = 1_000, 5_000       # watched files at which each applies
SETTLE = 0.03                  # seconds without another change before a rebuild starts (MkDocs: 0.1)


def interval(files: int) -> float:
    """Seconds between polls for this many watched files: FAST up to FEW, SLOW from MANY, linear between."""
    if files <= FEW:
        return FAST
    if files >= MANY:
        return SLOW
    return round(FAST + (SLOW - FAST) * (files - FEW) / (MANY - FEW), 2)


def _count(paths: list[str]) -> int:
    total = 0
    for path in paths:
        if os.path.isfile(path):
            total += 1
            continue
        for _root, _dirs, names in os.walk(path):
            total += len(names)
    return total


@event_priority(100)
def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder) -> LiveReloadServer:
    """The same server with a shorter polling interval and wait (first of all hooks, so the others see it)."""
    # Imported here: the dev server's module brings http.server, wsgiref and watchdog's observers, about
    # 25 ms (with site_swap's watchdog handler) that a one-off `mkdocs build`, which never calls this,
    # would pay for nothing.
    from mkdocs.livereload import LiveReloadServer

    if type(server) is not LiveReloadServer:
        return server  # another plugin's server: leave it alone
    watched = list(getattr(server, "_watched_paths", {}) or [config.docs_dir, config.config_file_path])
    seconds = interval(_count([*watched, *config.watch]))
    if seconds >= SLOW:
        return server
    host, port = server.server_address[:2]
    faster = LiveReloadServer(builder=server.builder, host=host, port=port, root=server.root,
                              mount_path=server.mount_path, polling_interval=seconds)
    faster.error_handler = server.error_handler
    faster.build_delay = min(SETTLE, getattr(server, "build_delay", SETTLE))
    for path in watched:
        faster.watch(path)
    server.server_close()  # its socket was made, never bound
    log.debug(f"watching for changes every {seconds} s, rebuilding {faster.build_delay} s after the last")
    return faster
