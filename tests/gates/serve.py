"""Serve a built site the way a static host or CDN does: gzip, the site's 404 page, its _headers.

    python tests/gates/serve.py SITE_DIR [--port 8000] [--headers docs/_headers]

Standard library only. Text responses (HTML, CSS, JS, JSON, SVG, XML) are gzip-compressed when the
client accepts it, as GitHub Pages, Netlify or Cloudflare would do; a missing path gets 404.html with
status 404. The rules of a Netlify/Cloudflare Pages `_headers` file (by default `SITE_DIR/_headers`,
which the build copies from docs/_headers) are applied to every response, so Lighthouse and the
browser tests see the Content-Security-Policy and caching the published site sends. Used by
tests/gates/lighthouse.py and tests/browser/test_csp.py.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import mimetypes
import re
import threading
import urllib.parse
from pathlib import Path

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
TYPES = {".js": "application/javascript", ".mjs": "application/javascript", ".json": "application/json",
         ".svg": "image/svg+xml", ".xml": "application/xml", ".map": "application/json", ".gz": "application/gzip"}

Rule = tuple[re.Pattern, list[tuple[str, str]]]


def parse_headers(text: str) -> list[Rule]:
    """Parse a `_headers` file: a path pattern on its own line, then indented `Name: value` lines.

    `*` matches anything (slashes included) and `:name` one path segment, as on Netlify and
    Cloudflare Pages. Lines starting with `#` are comments. A malformed line raises ValueError.
    """
    rules: list[Rule] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            if not line.startswith("/"):
                raise ValueError(f"_headers line {number}: a path must start with '/': {line!r}")
            rules.append((_pattern(line.strip()), []))
        else:
            name, sep, value = line.strip().partition(":")
            if not sep or not rules or not name.strip():
                raise ValueError(f"_headers line {number}: expected 'Name: value' under a path: {line!r}")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def _pattern(path: str) -> re.Pattern:
    parts = re.split(r"(\*|:[A-Za-z]\w*)", path)
    regex = "".join(".*" if p == "*" else "[^/]+" if p.startswith(":") else re.escape(p) for p in parts)
    return re.compile(regex + r"\Z")


def headers_for(path: str, rules: list[Rule]) -> dict[str, str]:
    """Headers for a request path: every matching rule applies; a repeated name is joined by ', '."""
    found: dict[str, str] = {}
    for pattern, headers in rules:
        if pattern.match(path):
            for name, value in headers:
                found[name] = f"{found[name]}, {value}" if name in found else value
    return found


class StaticHandler(http.server.SimpleHTTPRequestHandler):
    """GET/HEAD of files under `directory`, gzip when accepted, _headers applied, 404.html on a miss."""

    rules: list[Rule] = []
    quiet = True

    def log_message(self, *args) -> None:
        if not self.quiet:
            super().log_message(*args)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        url_path = urllib.parse.urlsplit(self.path).path
        fs_path = Path(self.translate_path(self.path))
        status = 200
        if fs_path.is_dir():
            if not url_path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", url_path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            fs_path = fs_path / "index.html"
        if not fs_path.is_file():
            status, fs_path = 404, Path(self.directory) / "404.html"
            if not fs_path.is_file():
                self.send_error(404)
                return
        body = fs_path.read_bytes()
        ctype = TYPES.get(fs_path.suffix) or mimetypes.guess_type(fs_path.name)[0] or "application/octet-stream"
        self.send_response(status)
        if ctype.startswith("text/") or ctype in ("application/javascript", "application/json", "image/svg+xml"):
            ctype += "; charset=utf-8"
        self.send_header("Content-Type", ctype)
        if ctype.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=6, mtime=0)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        for name, value in headers_for(urllib.parse.unquote(url_path), self.rules).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


def make_server(site: Path, port: int = 0, headers_file: Path | None = None, host: str = "127.0.0.1"):
    """A ThreadingHTTPServer for `site` (not started). headers_file defaults to site/_headers if present."""
    site = Path(site).resolve()
    headers_file = headers_file if headers_file is not None else site / "_headers"
    rules = parse_headers(Path(headers_file).read_text(encoding="utf-8")) if Path(headers_file).is_file() else []

    class Handler(StaticHandler):
        pass

    Handler.rules = rules

    def factory(*args, **kwargs):
        return Handler(*args, directory=str(site), **kwargs)

    return http.server.ThreadingHTTPServer((host, port), factory)


def serve_in_thread(site: Path, headers_file: Path | None = None):
    """Start a server on a free loopback port; returns (base_url, server). Call server.shutdown()."""
    server = make_server(site, 0, headers_file)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--headers", type=Path, default=None, help="_headers file (default: SITE/_headers)")
    args = parser.parse_args()
    server = make_server(args.site, args.port, args.headers)
    StaticHandler.quiet = False
    print(f"Serving {args.site} at http://127.0.0.1:{server.server_address[1]}/ (gzip, _headers applied)")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
