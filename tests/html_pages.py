"""Read built HTML pages with the standard library: generated tables, links and ids."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Cell:
    text: str = ""
    hrefs: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    header: bool = False


@dataclass
class Table:
    rows: list[list[Cell]] = field(default_factory=list)
    generated: bool = False  # inside <div class="concept-table-wrap">


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.links: list[str] = []
        self.ids: list[str] = []
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.title = ""
        self._in_title = False
        self._cell: Cell | None = None
        self._table: Table | None = None
        self._div_stack: list[bool] = []
        self._main_depth = 0
        self.main_links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
            if self._cell is not None:
                self._cell.ids.append(a["id"])
        if tag == "div":
            self._div_stack.append("concept-table-wrap" in (a.get("class") or "").split())
        elif tag == "article":
            self._main_depth += 1
        elif tag == "table":
            self._table = Table(generated=any(self._div_stack))
            self.tables.append(self._table)
        elif tag == "tr" and self._table is not None:
            self._table.rows.append([])
        elif tag in ("td", "th") and self._table is not None and self._table.rows:
            self._cell = Cell(header=tag == "th")
            self._table.rows[-1].append(self._cell)
        elif tag == "a" and a.get("href") is not None:
            self.links.append(a["href"])
            if self._main_depth:
                self.main_links.append(a["href"])
            if self._cell is not None:
                self._cell.hrefs.append(a["href"])
        elif tag == "meta":
            key = a.get("name") or a.get("property")
            if key:
                self.meta[key] = a.get("content", "")
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href")
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "div" and self._div_stack:
            self._div_stack.pop()
        elif tag == "article":
            self._main_depth -= 1
        elif tag in ("td", "th"):
            if self._cell is not None:
                self._cell.text = re.sub(r"\s+", " ", self._cell.text).strip()
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.text += data
        if self._in_title:
            self.title += data


@dataclass
class BuiltPage:
    url: str  # site-relative, e.g. "compare/lean-vs-process-improvement/"
    parsed: _PageParser

    def resolve(self, href: str) -> str:
        """A relative link from this page as a site-relative URL (fragment kept)."""
        path, _, fragment = href.partition("#")
        if not path:
            target = self.url
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(self.url + "x"), path))
            target = "" if target == "." else target + ("/" if path.endswith("/") else "")
        return target + (f"#{fragment}" if fragment else "")

    @property
    def generated_tables(self) -> list[Table]:
        return [t for t in self.parsed.tables if t.generated]


def read_page(site: Path, url: str) -> BuiltPage:
    """Parse site/<url>index.html."""
    parser = _PageParser()
    parser.feed((site / url / "index.html").read_text(encoding="utf-8"))
    return BuiltPage(url, parser)


def row_label(cell: Cell) -> str:
    """The label of a generated row without its link symbol."""
    return cell.text.replace("¶", "").strip()
