"""Values from records reach every output as text: what a field may hold, and escaping per context.

Pure Python (no MkDocs import). Two defences, both needed because MkDocs' Jinja templates do not
autoescape and Material renders page titles, navigation and search-result tags as HTML:

- reject what a field cannot hold: ids, keys and file names are lowercase words joined by hyphens;
  no text holds control or invisible characters; no field is longer than `MAX_FIELD` characters;
- escape the rest for where it goes: `page_text` gives an already-escaped `Markup` string that the
  templates print as is (`{{ x }}`), and that Jinja's `| e` does not escape twice.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_FIELD = 2000  # characters in one value; the longest written today is under 400
MAX_NAME = 120  # characters in a name, alias, label or term
# Line breaks and tabs are allowed in long text (YAML folds them); every other control character
# (Cc), format character (Cf: zero-width spaces, joiners, direction overrides), private-use (Co),
# surrogate (Cs), unassigned (Cn) and line/paragraph separator (Zl, Zp) is not.
_ALLOWED_CONTROLS = {"\n", "\t", "\r"}
_BAD_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


def fold(text: str) -> str:
    """Every run of whitespace as one space, none at either end: what `re.sub(r"\\s+", " ", text).strip()`
    gives (`str.split` and the regex's `\\s` know the same characters as whitespace), faster."""
    return " ".join(text.split())


def html_text(value: Any) -> str:
    """Escape a plain-text value for HTML text or a quoted attribute; whitespace folds."""
    return html.escape(fold(str(value)), quote=True)


def page_text(value: Any) -> Markup:
    """A record value for page.meta (title, description, tags): escaped once, marked safe for Jinja.

    Material prints `page.title` raw in <title>, the header, the navigation and the footer, and the
    search plugin copies tags into the index as they are, where results render them as HTML.
    """
    return Markup(html_text(value))


def bad_character(text: str, *, multiline: bool) -> str | None:
    """A description of the first character a text field must not hold, or None."""
    visible = text.replace("\n", "").replace("\t", "").replace("\r", "") if multiline else text
    if visible.isprintable():  # no character of a refused category is printable: the common case, fast
        return None
    for i, char in enumerate(text):
        if multiline and char in _ALLOWED_CONTROLS:
            continue
        if unicodedata.category(char) in _BAD_CATEGORIES:
            name = unicodedata.name(char, "")
            shown = f"U+{ord(char):04X}" + (f" {name}" if name else "")
            return f"an invisible or control character ({shown}) at character {i + 1}"
    return None


def text_problem(text: str, *, name: bool) -> str | None:
    """What is wrong with one text value (a name/label if `name`), worded for an editor; None if fine."""
    if len(text) > MAX_FIELD:
        return f"is {len(text):,} characters long, more than the {MAX_FIELD:,} allowed: shorten it"
    if name and len(text.strip()) > MAX_NAME:
        return f"is {len(text.strip())} characters long, more than the {MAX_NAME} allowed for a name: shorten it"
    bad = bad_character(text, multiline=not name)
    if bad:
        where = "a name" if name else "text"
        return f"holds {bad}: delete it and retype the text ({where} may hold only visible characters and spaces)"
    return None


def slug_problem(value: Any, what: str = "an id") -> str | None:
    """Why `value` cannot serve as an id, key or file name, or None."""
    if isinstance(value, str) and SLUG.match(value):
        return None
    shown = str(value)
    suggestion = re.sub(r"[^a-z0-9]+", "-", shown.lower()).strip("-")
    fix = f" such as '{suggestion}'" if suggestion and suggestion != shown else ""
    return f"'{_one_line(shown)}' cannot be {what}: use lowercase words joined by hyphens{fix}"


def _one_line(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", lambda m: repr(m.group())[1:-1], text)[:80]


def unusual_strings(data: Any, path: tuple = (), found: list | None = None) -> list[tuple[tuple, str]]:
    """(path, text) for every string in parsed YAML (keys included, as the path of their mapping,
    ending "<key>") that may not suit its field: longer than a name, not all visible, or under an
    id or key. Every other string suits every field (see `field_problems`), and most are those:
    they are passed over without making their path."""
    found = [] if found is None else found
    if isinstance(data, str):
        if len(data) > MAX_NAME or not data.isprintable() or "id" in path or "key" in path:
            found.append((path, data))
    elif isinstance(data, (dict, list)):
        under_id, mapping = "id" in path or "key" in path, isinstance(data, dict)
        for key, value in data.items() if mapping else enumerate(data):
            marked = under_id or key in {"id", "key"}
            if mapping and isinstance(key, str) and (marked or len(key) > MAX_NAME or not key.isprintable()):
                found.append(((*path, key, "<key>"), key))
            if isinstance(value, str):
                if marked or len(value) > MAX_NAME or not value.isprintable():
                    found.append(((*path, key), value))
            else:
                unusual_strings(value, (*path, key), found)
    return found


# Fields holding one short name (no line breaks, length limit) rather than running text.
NAME_FIELDS = {"name", "aliases", "label", "inverse", "term", "also", "key", "id", "concepts", "category", "noun"}


def is_name_field(path: tuple) -> bool:
    """Whether the string at `path` is a name-like value (judged by its nearest named field)."""
    for part in reversed(path):
        if part == "<key>":
            return True
        if isinstance(part, str):
            return part in NAME_FIELDS
    return False


def site_url_problem(url: Any) -> str | None:
    """Why `url` cannot be the site's public address, or None."""
    if url in (None, ""):
        return None
    text = str(url)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or bad_character(text, multiline=False) \
            or any(c in text for c in " \"'<>`\\") or parts.query or parts.fragment or "@" in parts.netloc:
        return (f"'{_one_line(text)}' is not an absolute http or https address: set SITE_URL (or site_url in "
                "mkdocs.yml) to the site's public address, such as https://concepts.example.com/")
    return None


# Where a value must be an id: (field name, parent field name or None).
_ID_FIELDS = {("id", "terms"), ("key", "categories"), ("key", "relations"), ("key", "attributes"), ("key", "kinds")}


def field_problems(data: Any, root: tuple = ()) -> list[tuple[tuple, str, str]]:
    """(path, field, message) for every value under `data` that a field cannot hold."""
    found = []
    # A short text of visible characters suits every field but an id (the only check left, and it
    # needs the field's name): `unusual_strings` leaves those out.
    for path, text in unusual_strings(data, root):
        is_key = bool(path) and path[-1] == "<key>"
        names = [p for p in path if isinstance(p, str) and p != "<key>"]
        field = names[-1] if names else "value"
        problem = text_problem(text, name=is_key or is_name_field(path))
        if problem is None and not is_key and len(names) >= 1:
            parent = next((p for p in reversed(path[:-1]) if isinstance(p, str)), None) if path else None
            if (field, parent) in _ID_FIELDS:
                problem = slug_problem(text)
        if problem:
            found.append((path[:-1] if is_key else path, field, problem))
    return found
