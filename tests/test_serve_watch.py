"""The dev server polls for saves every 0.1 s on a site of this size, and watches what MkDocs watched."""

from __future__ import annotations

import threading
import time

from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

import serve_watch
from conftest import ROOT, run_mkdocs


def test_the_interval_grows_with_the_files_watched():
    assert serve_watch.interval(100) == serve_watch.FAST
    assert serve_watch.interval(serve_watch.FEW) == serve_watch.FAST
    assert serve_watch.FAST < serve_watch.interval(3_000) < serve_watch.SLOW
    assert serve_watch.interval(serve_watch.MANY) == serve_watch.SLOW == serve_watch.interval(50_000)


def test_the_server_mkdocs_made_is_replaced_by_one_that_polls_faster():
    config = load_config(str(ROOT / "mkdocs.yml"))
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(ROOT), mount_path="/")
    server.watch(config.docs_dir)
    server.watch(config.config_file_path)
    server.error_handler = lambda code: b"custom"
    faster = serve_watch.on_serve(server, config=config, builder=server.builder)
    assert faster is not server
    assert faster.observer.timeout == serve_watch.FAST
    assert set(faster._watched_paths) == set(server._watched_paths)
    assert faster.error_handler(404) == b"custom" and faster.builder is server.builder
    assert (faster.root, faster.mount_path, faster.server_address) == (server.root, server.mount_path, server.server_address)


def test_the_changes_one_poll_finds_make_one_rebuild_after_a_shorter_wait():
    """The faster server rebuilds SETTLE after the last change, not MkDocs' 0.1 s, and still gathers
    the changes one poll hands it (one right after another) into one rebuild."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    built = threading.Event()
    builds = []

    def builder():
        builds.append("built")
        built.set()

    server = LiveReloadServer(builder=builder, host="127.0.0.1", port=0, root=str(ROOT), mount_path="/")
    server.watch(config.docs_dir)
    faster = serve_watch.on_serve(server, config=config, builder=server.builder)
    assert faster.build_delay == serve_watch.SETTLE < server.build_delay

    def changed():  # what MkDocs' watcher does for each changed file
        with faster._rebuild_cond:
            faster._want_rebuild = True
            faster._rebuild_cond.notify_all()

    loop = threading.Thread(target=faster._build_loop, daemon=True)
    loop.start()
    try:
        for _ in range(5):  # a save of five files, found by one poll
            changed()
            time.sleep(0.001)
        assert built.wait(10)
        time.sleep(0.3)
        assert len(builds) == 1
        built.clear()
        changed()  # a later save: a rebuild of its own
        assert built.wait(10) and len(builds) == 2
    finally:
        faster.shutdown()
        loop.join(5)
    assert not loop.is_alive()


def test_a_server_of_another_kind_is_left_alone():
    class Other(LiveReloadServer):
        pass

    config = load_config(str(ROOT / "mkdocs.yml"))
    other = Other(builder=lambda: None, host="127.0.0.1", port=0, root=str(ROOT))
    assert serve_watch.on_serve(other, config=config, builder=other.builder) is other


def test_a_one_off_build_does_not_import_the_dev_server(tmp_path):
    """`mkdocs build` never serves: the hooks leave the dev server's modules (about 25 ms) to `mkdocs serve`."""
    result = run_mkdocs("build", "--site-dir", str(tmp_path / "site"), env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    imported = {line.rpartition("|")[2].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert {"mkdocs.structure.files", "markdown"} <= imported  # the list is read as it should be
    assert not {"mkdocs.livereload", "watchdog", "watchdog.events"} & imported
