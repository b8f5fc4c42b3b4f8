"""Check every internal link and anchor in a built site; exit 1 listing the broken ones.

    mkdocs build --strict -d site && python tests/gates/check_links.py site

Reads every HTML file of the built site (generated tables, cross-links, tooltips and the concept
map included) and checks each href=, src=, srcset= and xlink:href= that points into the site:
the target file must exist (a folder URL means its index.html) and a #fragment must be an id (or
an <a name>) in the target page; "#" alone and "#top" mean the top of a page. URLs with the site's
own address (the canonical link of index.html, i.e. site_url) are checked as internal too; a
root-relative URL ("/assets/...") is resolved under site_url's path. Links to other hosts are
listed, not followed. Pure Python (standard library only).
"""

from __future__ import annotations

import argparse
import posixpath
import sys
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

URL_ATTRS = {"href", "src", "xlink:href", "poster", "data"}
IGNORED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:")


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[int, str, str]] = field(default_factory=list)  # (line, tag, url)
    canonical: str | None = None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        a = dict(attrs)
        if a.get("id"):
            self.page.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.page.ids.add(a["name"])
        if tag == "link" and (a.get("rel") or "").lower() == "canonical":
            self.page.canonical = a.get("href")
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRS:
                self.page.links.append((line, tag, value.strip()))
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.page.links.append((line, tag, candidate.split()[0]))

    handle_startendtag = handle_starttag


def parse(path: Path) -> Page:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def site_address(site: Path, pages: dict[str, Page]) -> str | None:
    """site_url as built: the canonical link of the home page."""
    home = pages.get("index.html")
    return home.canonical if home and home.canonical and "://" in home.canonical else None


def check_site(site: Path, site_url: str | None = None) -> tuple[list[str], list[str]]:
    """(broken internal links, external URLs) over every HTML file under `site`."""
    site = Path(site)
    pages = {p.relative_to(site).as_posix(): parse(p) for p in sorted(site.rglob("*.html"))}
    site_url = site_url or site_address(site, pages)
    base = urllib.parse.urlsplit(site_url) if site_url else None
    base_path = (base.path if base else "/") or "/"
    if not base_path.endswith("/"):
        base_path += "/"
    broken: list[str] = []
    external: set[str] = set()
    for rel, page in pages.items():
        for line, tag, url in page.links:
            if not url or url.lower().startswith(IGNORED_SCHEMES):
                continue
            parts = urllib.parse.urlsplit(url)
            if parts.scheme or parts.netloc:  # absolute: internal only if it is the site's own address
                if not base or parts.netloc != base.netloc or not parts.path.startswith(base_path):
                    external.add(url)
                    continue
                path = parts.path[len(base_path):]
            elif parts.path.startswith("/"):
                if not parts.path.startswith(base_path):
                    broken.append(f"{rel}:{line}: <{tag}> {url} -> outside the site's path {base_path}")
                    continue
                path = parts.path[len(base_path):]
            else:
                path = posixpath.join(posixpath.dirname(rel), parts.path) if parts.path else rel
            has_path = bool(parts.path) or bool(parts.scheme) or url.startswith("/")
            fragment = urllib.parse.unquote(parts.fragment)
            problem = _resolve(site, pages, rel, urllib.parse.unquote(path), fragment, has_path=has_path)
            if problem:
                broken.append(f"{rel}:{line}: <{tag}> {url} -> {problem}")
    return broken, sorted(external)


def _resolve(site: Path, pages: dict[str, Page], rel: str, path: str, fragment: str, *, has_path: bool) -> str | None:
    target = posixpath.normpath(path) if path else ""
    if target.startswith(".."):
        return "outside the site"
    target = "" if target == "." else target
    if not has_path:
        target = rel
    elif path.endswith("/") or (site / target).is_dir():
        target = posixpath.join(target, "index.html") if target else "index.html"
    if not (site / target).is_file():
        return f"no file {target}"
    if not fragment or fragment == "top":
        return None
    if not target.endswith(".html"):
        return None  # a fragment into a non-HTML file (JSON, SVG) is not checked
    if fragment not in pages[target].ids:
        return f"no id '{fragment}' in {target}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site folder (mkdocs build -d SITE)")
    parser.add_argument("--site-url", help="the site's public address (default: canonical link of index.html)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"check_links: {args.site}/index.html not found: build the site first")
        return 2
    broken, external = check_site(args.site, args.site_url)
    pages = sum(1 for _ in args.site.rglob("*.html"))
    links = sum(len(parse(p).links) for p in args.site.rglob("*.html"))
    for url in external:
        print(f"external (not checked): {url}")
    for problem in broken:
        print(f"BROKEN {problem}")
    if broken:
        print(f"check_links: {len(broken)} broken internal link(s) in {pages} HTML files")
        return 1
    print(f"check_links: every internal link and anchor resolves ({links} URLs in {pages} HTML files, "
          f"{len(external)} external)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
