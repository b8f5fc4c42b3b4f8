"""Under `mkdocs serve`, a bad edit shows an error, the server keeps serving, and the fix brings the site back.

Also shows that no state outlives a build: a concept edited under serve changes every page that shows it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request

from test_validation import concept, edit, line_of


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except OSError as err:
        return getattr(err, "code", 0) or 0, ""


def fetch_slow(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, response.read().decode("utf-8")


def wait_for(condition, what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@contextlib.contextmanager
def serving(project):
    """`mkdocs serve` on the project: yields (process, base address, log file); stopped afterwards."""
    port = free_port()
    log = project / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    try:
        yield server, f"http://127.0.0.1:{port}/", log
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_survives_a_bad_edit_and_recovers_when_it_is_fixed(project):
    with serving(project) as (server, base, log):
        comparison_url = base + "compare/lean-vs-process-improvement/"
        wait_for(lambda: fetch(comparison_url)[0] == 200, "the first build")
        path = concept(project)
        original = path.read_text(encoding="utf-8")

        edit(path, "  scope:", "  scoop:")
        expected = (f"docs/concepts/lean.md:{line_of(path, '^  scoop:')}: field 'scoop': unknown field "
                    "(did you mean 'scope'?)")
        wait_for(lambda: expected in log.read_text(), "the error to be reported")
        assert "Traceback" not in log.read_text()
        assert server.poll() is None, "the server stopped"
        # MkDocs alone holds every request while a rebuild is failing; readers get the last good site.
        status, body = fetch(comparison_url)
        assert status == 200 and "Lean" in body
        # A second bad edit is reported again, summary line included (MkDocs drops repeated messages).
        edit(path, "  scoop:", "  scooop:")
        wait_for(lambda: log.read_text().count(" content problems found (listed above)") >= 2, "the summary to print again")

        marker = "Lean is a deliberately edited definition for this test."
        fixed = original.replace(original.split("  definition: ", 1)[1].split("\n", 1)[0], f'"{marker}"', 1)
        path.write_text(fixed, encoding="utf-8")
        wait_for(lambda: marker in fetch(comparison_url)[1], "the fixed page")
        for url in ("concepts/lean/", "compare/lean-vs-process-improvement/"):
            assert marker in fetch(base + url)[1], url
        assert server.poll() is None


def test_serve_runs_an_edited_hook_on_the_next_rebuild(project):
    with serving(project) as (_server, base, log):
        page = base + "concepts/lean/"
        wait_for(lambda: "Also called:" in fetch(page)[1], "the first build")
        # A module the hook imports (not the hook file MkDocs loads itself): both were cached for good.
        edit(project / "hooks" / "concept_render.py", "Also called: {names}.", "Also known as: {names}.")
        wait_for(lambda: "Also known as:" in fetch(page)[1], "the edited hook to take effect")
        assert "concept_render.py changed: the rebuild runs the new code" in log.read_text()
        assert "Traceback" not in log.read_text()
