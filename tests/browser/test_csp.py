"""The shipped Content-Security-Policy (docs/_headers) does not break the site.

The built site is served with every header of docs/_headers applied (tests/gates/serve.py parses the
file as Netlify and Cloudflare Pages do) and gzip, and Chromium loads the main kinds of page and
uses search once. Any CSP violation (a `securitypolicyviolation` event or a console message) or any
console error fails the test. The hashes themselves are checked against the built site in
tests/test_gates.py.
"""

from __future__ import annotations

import importlib.util
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEADERS = ROOT / "docs" / "_headers"

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


def _serve_module():
    spec = importlib.util.spec_from_file_location("gate_serve", ROOT / "tests" / "gates" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def csp_site(built_site):
    serve = _serve_module()
    url, server = serve.serve_in_thread(built_site, HEADERS)
    yield url
    server.shutdown()


@pytest.fixture
def csp_page(browser, csp_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    problems: list[str] = []
    page.on("console", lambda msg: (msg.type == "error" or "Content Security Policy" in msg.text)
            and problems.append(f"console {msg.type}: {msg.text}"))
    page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    page.on("requestfailed", lambda req: problems.append(f"request failed: {req.url} {req.failure}"))
    yield page, problems
    context.close()


def _violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_csp_header_is_served(csp_site):
    with urllib.request.urlopen(csp_site) as response:
        csp = response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp


@pytest.mark.parametrize(
    "path",
    ["", "compare/lean-vs-process-improvement/", "concepts/lean/", "glossary/"],
)
def test_page_loads_under_csp(csp_page, csp_site, path):
    page, problems = csp_page
    response = page.goto(csp_site + path, wait_until="load")
    assert response.status == 200
    assert "script-src" in response.headers["content-security-policy"]
    # Material's scripts ran (they are what the CSP could block): the palette and header are live.
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') !== null")
    page.wait_for_function("() => typeof window.component$ !== 'undefined' || document.querySelector('.md-header')")
    abbr = page.locator("article abbr").first
    if abbr.count():
        abbr.hover()  # Material's tooltips position themselves with inline style properties
    page.wait_for_timeout(300)
    assert _violations(page) == []
    assert problems == []


def test_search_under_csp(csp_page, csp_site):
    page, problems = csp_page
    page.goto(csp_site + "compare/", wait_until="load")
    page.locator("input.md-search__input").click()  # desktop width: the search field is in the header
    page.keyboard.type("lean")  # Material listens to key events, not to a programmatic fill
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    assert page.locator(".md-search-result__item").count() > 0
    page.locator(".md-search-result__item a").first.click()  # opens the page with ?h=lean highlighting
    page.wait_for_load_state("load")
    page.locator("input.md-search__input").click()
    page.keyboard.type("kaizen")
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    # The share button is href="javascript:void(0)": Material handles the click; CSP must not object.
    page.locator("[data-md-component='search-share']").click()
    page.wait_for_timeout(300)
    assert _violations(page) == []
    assert problems == []
