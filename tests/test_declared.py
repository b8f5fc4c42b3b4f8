"""What pyproject.toml declares matches what the code needs, and the templates stay portable."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import metadata, version
from pathlib import Path

from markdown.extensions.abbr import AbbrExtension

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def lower_bound(name: str) -> tuple[int, ...]:
    [spec] = [d for d in PROJECT["dependencies"] if re.match(rf"{re.escape(name)}\b", d, re.IGNORECASE)]
    return tuple(int(x) for x in re.search(r">=([\d.]+)", spec).group(1).split("."))


def test_requires_python_is_what_material_declares():
    assert lower_bound("mkdocs-material") >= (9, 8)
    assert version("mkdocs-material").startswith("9.")
    assert PROJECT["requires-python"] == metadata("mkdocs-material")["Requires-Python"] == ">=3.11"


def test_every_setup_guide_names_the_python_the_project_requires():
    """The README and the contributors' page say which Python to install: the one pip will accept."""
    required = PROJECT["requires-python"].removeprefix(">=")
    for page in ("README.md", "docs/contributing.md"):
        named = re.findall(r"Python (3\.\d+)(?:\+| or newer)", (ROOT / page).read_text(encoding="utf-8"))
        assert named, f"{page} names no Python version"
        assert set(named) == {required}, f"{page} names Python {named}, pyproject.toml requires {required}"


def test_markdown_is_declared_from_the_version_whose_abbr_has_a_glossary():
    assert lower_bound("Markdown") == (3, 7)  # 3.7 (2024-08-16): "Added an optional glossary configuration option"
    assert "glossary" in AbbrExtension().getConfigs()


def test_template_overrides_call_no_python_string_methods():
    """Jinja-compatible engines other than MkDocs' own Jinja2 have filters, not Python's str methods."""
    method = re.compile(r"\.(r?strip|[lr]strip|r?split|replace|startswith|endswith|lower|upper|title|capitalize|"
                        r"format|join|find|count|encode|zfill|partition)\(")
    templates = sorted((ROOT / "overrides").rglob("*.html"))
    assert templates
    for path in templates:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for tag in re.findall(r"{[{%].*?[%}]}", line):
                assert not method.search(tag), f"{path.relative_to(ROOT)}:{number}: {tag}"
