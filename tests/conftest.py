"""Shared fixtures: the real site built once, served on loopback, and Debian's Chromium.

Browser tests skip when Chromium is missing on a developer's machine, and fail under CI=true:
CI must never pass by skipping them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tests" / "gates"))

from chromium import CHROMIUM_ARGS  # noqa: E402  (shared with the Lighthouse gate)


def chromium_path() -> str | None:
    """Debian's Chromium, or the one named by CHROMIUM_PATH."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if os.path.exists(path) else None


def run_mkdocs(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the mkdocs CLI of this interpreter; output captured as text."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=300,
        check=False,
    )


COPY = ("mkdocs.yml", "hooks", "data", "docs", "overrides")


def copy_project(dest: Path) -> Path:
    """Copy what a build needs (COPY) from the real project into dest; return dest."""
    for name in COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, dest / name)
    return dest


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the real project to break."""
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built with --strict into a temporary folder."""
    out = tmp_path_factory.mktemp("site")
    result = run_mkdocs("build", "--strict", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


def serve(folder: Path, handler_class=_QuietHandler):
    """Serve a folder on a free loopback port in a thread; returns (base_url, server)."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """Base URL of the built site, served as any static host would."""
    url, server = serve(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright; a missing browser fails under CI=true."""
    path = chromium_path()
    if path is None:
        message = "Chromium not found (apt-get install chromium, or set CHROMIUM_PATH)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh desktop page (1280x900); `page.errors` collects console errors and uncaught exceptions."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    yield page
    context.close()


def csp_recording_page(context):
    """A new page of `context` that records each Content-Security-Policy violation in window.__csp
    ("directive | blocked URI | source file | sample")."""
    page = context.new_page()
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => "
        "window.__csp.push([e.violatedDirective, e.blockedURI, e.sourceFile, e.sample].join(' | ')))"
    )
    return page


class PageWatch:
    """A page plus everything it asked for and complained about."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        page.on("pageerror", lambda err: self.console_errors.append(str(err)))

    def foreign_requests(self) -> list[str]:
        """Requests to anywhere but the site itself (data: and blob: URLs are local)."""
        local = ("data:", "blob:", "about:", self.base_url)
        return [url for url in self.requests if not url.startswith(local)]


@pytest.fixture
def watch(browser, site_url):
    """A fresh desktop page on the served site, recording requests and console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield PageWatch(page, site_url)
    context.close()


def type_search(page, query: str) -> None:
    """Type a query into Material's search box as a reader does; return once results show and settle."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=15)
    page.wait_for_selector(".md-search-result__item")
    page.wait_for_timeout(300)  # let the result list settle after the last keystroke


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; one line per violating rule and node."""
    import axe_playwright_python

    script = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")
    # Judge the page as a reader sees it, not half-way through a fade (a tooltip, the back-to-top button).
    # A fade can start just after another ends (the page settles after a scroll), so wait until a
    # quiet moment of 200 ms passes with nothing running, for at most 3 s.
    page.evaluate("""async () => {
        const deadline = Date.now() + 3000;
        const pause = ms => new Promise(done => setTimeout(done, ms));
        while (Date.now() < deadline) {
            const running = document.getAnimations();
            if (!running.length) {
                await pause(200);
                if (!document.getAnimations().length) return;
                continue;
            }
            await Promise.race([Promise.all(running.map(a => a.finished.catch(() => null))), pause(1000)]);
        }
    }""")
    page.evaluate(script)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{v['id']}: {v['help']} -> {node['target']}"
        for v in result["violations"]
        for node in v["nodes"]
    ]
