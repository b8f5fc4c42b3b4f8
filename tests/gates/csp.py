"""Keep the Content-Security-Policy in docs/_headers in step with the inline scripts of the built site.

Material writes small inline <script> blocks into every page (the localStorage helpers, which embed
the page's depth, the palette restore and the tab-anchor fix). The CSP allows them by their SHA-256
hashes, and nothing else inline. After a Material upgrade or a template change the hashes change:

    mkdocs build --strict -d site && python tests/gates/csp.py site            # check (exit 1 if stale)
    mkdocs build --strict -d site && python tests/gates/csp.py site --write    # rewrite docs/_headers

Also checks that no page carries an inline event handler (onclick=...) or a javascript: URL (other
than Material's no-op `javascript:void(0)`), which hashes cannot allow. Standard library only.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEADERS_FILE = ROOT / "docs" / "_headers"
HASH_SOURCE = re.compile(r"'sha256-[A-Za-z0-9+/=]+'")


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.inline: list[str] = []
        self.problems: list[str] = []
        self._capture: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"inline event handler {name}=")
            url = (value or "").strip().lower()
            # Material's search-share button is href="javascript:void(0)": a no-op, so CSP blocking it
            # changes nothing (tests/browser/test_csp.py clicks it). Any other javascript: URL would break.
            if name in ("href", "src", "action") and url.startswith("javascript:") and url != "javascript:void(0)":
                self.problems.append(f"javascript: URL in {name}=")
        a = dict(attrs)
        # Only classic scripts run; JSON data blocks (type="application/json") are not subject to CSP.
        if tag == "script" and "src" not in a and (a.get("type") or "text/javascript") in (
            "text/javascript", "module", "application/javascript"
        ):
            self._capture = []

    def handle_data(self, data):
        if self._capture is not None:
            self._capture.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._capture is not None:
            self.inline.append("".join(self._capture))
            self._capture = None


def sha256_source(script: str) -> str:
    """The CSP source expression for an inline script's exact text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def site_inline_scripts(site: Path) -> tuple[dict[str, list[str]], list[str]]:
    """{hash source: [pages using it]} over every HTML file, and problems CSP hashes cannot fix."""
    hashes: dict[str, list[str]] = {}
    problems: list[str] = []
    for page in sorted(site.rglob("*.html")):
        parser = _Scripts()
        parser.feed(page.read_text(encoding="utf-8"))
        rel = page.relative_to(site).as_posix()
        for script in parser.inline:
            hashes.setdefault(sha256_source(script), []).append(rel)
        problems += [f"{rel}: {problem}" for problem in parser.problems]
    return hashes, problems


def csp_of(headers_text: str) -> str:
    """The Content-Security-Policy value under `/*` in a _headers file."""
    match = re.search(r"^\s+Content-Security-Policy:\s*(.+)$", headers_text, re.M)
    if not match:
        raise ValueError("no Content-Security-Policy line in _headers")
    return match.group(1).strip()


def script_src(csp: str) -> list[str]:
    for directive in csp.split(";"):
        words = directive.split()
        if words and words[0] == "script-src":
            return words[1:]
    raise ValueError("the Content-Security-Policy has no script-src directive")


def check(site: Path, headers_text: str) -> list[str]:
    """Problems: inline scripts whose hash the CSP lacks, hashes no page needs, unhashable inline code."""
    hashes, problems = site_inline_scripts(site)
    allowed = {s for s in script_src(csp_of(headers_text)) if s.startswith("'sha256-")}
    problems += [f"script-src lacks {h} (inline script in {pages[0]} and {len(pages) - 1} more pages)"
                 for h, pages in hashes.items() if h not in allowed]
    problems += [f"script-src allows {h}, which no page uses any more" for h in sorted(allowed - set(hashes))]
    return problems


def rewrite(site: Path, headers_text: str) -> str:
    """headers_text with script-src's hashes replaced by those the built site needs."""
    hashes, _ = site_inline_scripts(site)
    csp = csp_of(headers_text)
    directives = []
    for directive in csp.split(";"):
        words = directive.split()
        if words and words[0] == "script-src":
            words = [w for w in words if not HASH_SOURCE.fullmatch(w)] + sorted(hashes)
        directives.append(" ".join(words))
    return headers_text.replace(csp, "; ".join(d for d in directives if d))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site (mkdocs build -d SITE)")
    parser.add_argument("--headers", type=Path, default=HEADERS_FILE)
    parser.add_argument("--write", action="store_true", help="rewrite script-src hashes in the _headers file")
    args = parser.parse_args()
    text = args.headers.read_text(encoding="utf-8")
    if args.write:
        args.headers.write_text(rewrite(args.site, text), encoding="utf-8")
        print(f"updated script-src hashes in {args.headers}")
        text = args.headers.read_text(encoding="utf-8")
    problems = check(args.site, text)
    for problem in problems:
        print(f"CSP: {problem}")
    if problems:
        print(f"{len(problems)} CSP problem(s); run: python tests/gates/csp.py {args.site} --write")
        return 1
    print(f"CSP: every inline script in {args.site} is allowed by its hash in {args.headers.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
