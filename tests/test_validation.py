"""Every bad input gets one clear line naming the file, (line,) field and fix; no traceback, no half-built site.

Each test copies the real project to a temporary folder, breaks one thing, and runs `mkdocs build`.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from conftest import run_mkdocs
from html_pages import read_page


def build(project: Path, *args: str):
    return run_mkdocs("build", *args, cwd=project)


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def replace_line(path: Path, pattern: str, new: str | None) -> int:
    """Replace (or, with None, delete) the first line matching `pattern`; returns its 1-based number."""
    line = line_of(path, pattern)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1 : line] = [] if new is None else [new + "\n"]
    path.write_text("".join(lines), encoding="utf-8")
    return line


def line_of(path: Path, pattern: str) -> int:
    """1-based line number of the first line matching `pattern` in a file."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.search(pattern, line):
            return number
    raise AssertionError(pattern)


def assert_rejected(result, *expected: str) -> None:
    """Non-zero exit, each expected message on a line of its own, and no traceback."""
    assert result.returncode != 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [re.sub(r"^ERROR\s+-\s+", "", line) for line in result.stderr.splitlines()]
    for message in expected:
        assert message in lines, f"{message!r} not among:\n{result.stderr}"


def concept(project: Path, slug: str = "lean") -> Path:
    return project / "docs" / "concepts" / f"{slug}.md"


def comparison(project: Path, slug: str = "lean-vs-process-improvement") -> Path:
    return project / "docs" / "compare" / f"{slug}.md"


def test_front_matter_that_is_not_valid_yaml(project):
    edit(concept(project), "  name: Lean\n", "  name: Lean\n  scope: [unclosed\n")
    result = build(project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert re.search(r"^ERROR\s+-\s+docs/concepts/lean\.md:\d+: invalid YAML: a list opened with '\[' is not closed: "
                     r"add the '\]'$", result.stderr, re.M)


def test_a_syntax_error_in_one_concept_is_reported_once(project):
    edit(concept(project), "  name: Lean\n", "  name: [Lean\n")
    result = build(project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 2, errors  # the YAML error, then the count; no "unknown concept 'lean'" elsewhere
    assert errors[0].split("-  ", 1)[1].startswith("docs/concepts/lean.md:")


def test_concept_page_with_no_front_matter(project):
    path = concept(project)
    path.write_text("Lean is a way of working.\n", encoding="utf-8")
    assert_rejected(build(project), "docs/concepts/lean.md: field 'concept': no concept record: start the page with "
                    "front matter holding a 'concept:' mapping (see docs/contributing.md)")


def test_empty_concept_file(project):
    (project / "docs" / "concepts" / "kanban.md").write_text("", encoding="utf-8")
    assert_rejected(build(project), "docs/concepts/kanban.md: field 'concept': no concept record: start the page with "
                    "front matter holding a 'concept:' mapping (see docs/contributing.md)")


def test_file_that_is_not_utf8(project):
    path = concept(project)
    path.write_bytes(path.read_bytes().replace(b"Lean", "L\xe9an".encode("latin-1"), 1))
    result = build(project)
    assert_rejected(result)
    assert re.search(r"docs/concepts/lean\.md: not UTF-8 text \(byte 0xe9 at offset \d+\): save the file as UTF-8",
                     result.stderr)


def test_missing_attribute(project):
    replace_line(concept(project), r"^  goal:", None)
    result = build(project)
    assert_rejected(result)
    assert re.search(r"docs/concepts/lean\.md:\d+: field 'goal': missing: add 'goal: \.\.\.'", result.stderr)


def test_unknown_attribute_suggests_the_nearest(project):
    path = concept(project)
    edit(path, "  scope:", "  scoop:")
    assert_rejected(build(project), f"docs/concepts/lean.md:{line_of(path, '^  scoop:')}: field 'scoop': "
                    "unknown field (did you mean 'scope'?): remove or rename it")


def test_value_of_the_wrong_type(project):
    line = replace_line(concept(project), r"^  scope:", "  scope: [the plant, the office]")
    message = f"docs/concepts/lean.md:{line}: field 'scope': expected text, got a list: write it as 'scope: \"...\"' ("
    result = build(project)
    assert_rejected(result)
    assert message in result.stderr, result.stderr


def test_unknown_concept_in_a_comparison(project):
    path = comparison(project)
    edit(path, "concepts: [lean, process-improvement]", "concepts: [lean, proces-improvement]")
    line = line_of(path, "concepts:")
    assert_rejected(build(project), f"docs/compare/lean-vs-process-improvement.md:{line}: field 'concepts': "
                    "unknown concept 'proces-improvement' (did you mean 'process-improvement'?)")


def test_concept_compared_with_itself(project):
    path = comparison(project)
    edit(path, "concepts: [lean, process-improvement]", "concepts: [lean, lean]")
    line = line_of(path, "concepts:")
    assert_rejected(build(project), f"docs/compare/lean-vs-process-improvement.md:{line}: field 'concepts': "
                    "compares 'lean' with itself: name two different concepts")


def test_same_pair_compared_twice(project):
    twin = comparison(project, "process-improvement-vs-lean")
    shutil.copy(comparison(project), twin)
    edit(twin, "concepts: [lean, process-improvement]", "concepts: [process-improvement, lean]")
    line = line_of(twin, "concepts:")
    assert_rejected(build(project), f"docs/compare/process-improvement-vs-lean.md:{line}: field 'concepts': "
                    "'process-improvement' and 'lean' are already compared in "
                    "docs/compare/lean-vs-process-improvement.md: keep one page")


def test_two_concepts_with_the_same_slug(project):
    (project / "docs" / "concepts" / "more").mkdir()
    twin = project / "docs" / "concepts" / "more" / "lean.md"
    shutil.copy(concept(project), twin)
    edit(twin, "  name: Lean\n", "  name: Lean thinking\n")
    assert_rejected(build(project), "docs/concepts/more/lean.md: field 'slug': slug 'lean' is already used by "
                    "docs/concepts/lean.md: rename one file")


def test_two_concepts_with_the_same_name(project):
    twin = concept(project, "lean-again")
    shutil.copy(concept(project), twin)
    assert_rejected(build(project), f"docs/concepts/lean.md:{line_of(twin, '^  name:')}: field 'name': name 'Lean' "
                    "is already used by docs/concepts/lean-again.md: rename one")


def test_relation_to_an_unknown_concept(project):
    path = concept(project, "production-process")
    edit(path, "part-of: [operation-process]", "part-of: [operations-proces]")
    line = line_of(path, "part-of:")
    assert_rejected(build(project), f"docs/concepts/production-process.md:{line}: field 'relations': 'part-of' names "
                    "unknown concept 'operations-proces' (did you mean 'operation-process'?)")


def test_comparison_file_name_not_matching_its_concepts(project):
    path = comparison(project)
    renamed = path.with_name("lean-versus-process-improvement.md")
    path.rename(renamed)
    line = line_of(renamed, "concepts:")
    assert_rejected(build(project), f"docs/compare/lean-versus-process-improvement.md:{line}: field 'concepts': the "
                    "file name does not match the concepts: rename the file to 'lean-vs-process-improvement.md' "
                    "or fix 'concepts'")


def test_glossary_term_defined_twice(project):
    path = project / "data" / "glossary.yml"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n  - term: Muda\n    category: lean\n    definition: Waste again.\n")
    line = len(path.read_text(encoding="utf-8").splitlines()) - 2
    result = build(project)
    assert_rejected(result)
    assert re.search(rf"data/glossary\.yml:{line}: field 'term': 'muda' is defined twice \(also at line \d+\): "
                     "keep one entry", result.stderr)


def test_every_problem_is_reported_in_one_run(project):
    """A misspelt field (unknown 'scoop' and missing 'scope') and a misspelt slug elsewhere: all three listed."""
    edit(concept(project), "  scope:", "  scoop:")
    edit(comparison(project, "production-process-vs-operation-process"), "concepts: [production-process",
         "concepts: [production-proces")
    result = build(project)
    assert_rejected(result)
    assert "docs/concepts/lean.md" in result.stderr and "production-process-vs-operation-process.md" in result.stderr
    assert "3 content problems found" in result.stderr


def test_unknown_marker_fails_the_build(project):
    edit(comparison(project), "<!-- compare:table -->", "<!-- compare:table -->\n\n<!-- compare:tabel -->")
    line = line_of(comparison(project), "compare:tabel")
    assert_rejected(build(project), f"docs/compare/lean-vs-process-improvement.md:{line}: unknown marker "
                    "'<!-- compare:tabel -->' (did you mean '<!-- compare:table -->'?): correct it or remove it")


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def test_a_rejected_build_leaves_the_previous_site_in_place(project):
    assert build(project).returncode == 0
    before = _snapshot(project / "site")
    assert len(before) > 20
    edit(concept(project), "  scope:", "  scoop:")
    assert_rejected(build(project))
    assert _snapshot(project / "site") == before


def test_markup_in_a_record_is_shown_as_text_on_the_built_page(project):
    replace_line(concept(project), r"^  scope:", "  scope: \"<script>alert('x')</script> **all** | of it\"")
    assert build(project, "--strict").returncode == 0
    page = read_page(project / "site", "compare/lean-vs-process-improvement/")
    html = (project / "site" / "compare" / "lean-vs-process-improvement" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<strong>all</strong>" not in html
    head, *rows = page.generated_tables[0].rows
    scope = next(row for row in rows if row[0].ids == ["scope"])
    assert len(scope) == len(head) == 3
    assert scope[1].text == "<script>alert('x')</script> **all** | of it"


def test_a_template_that_does_not_compile_is_named_with_its_line(project):
    before = (build(project).returncode, _snapshot(project / "site"))
    main = project / "overrides" / "main.html"
    line = line_of(main, r"{% block ")
    tag = re.search(r"{% block (\w+)", main.read_text(encoding="utf-8").splitlines()[line - 1]).group(1)
    edit(main, f"{{% block {tag}", f"{{% blok {tag}")
    assert_rejected(build(project), f"overrides/main.html:{line}: the template does not compile "
                    "(Encountered unknown tag 'blok'.): correct that line")
    assert (0, _snapshot(project / "site")) == before


def test_an_unknown_filter_in_a_partial_is_named_with_its_line(project):
    partial = project / "overrides" / "partials" / "search.html"
    line = line_of(partial, r"{{")
    edit(partial, "{{", "{{ 'x' | no_such_filter }}{{")
    assert_rejected(build(project), f"overrides/partials/search.html:{line}: the template does not compile "
                    "(No filter named 'no_such_filter'.): correct that line")


def test_a_template_that_fails_while_writing_a_page_is_named_with_its_line(project):
    before = (build(project).returncode, _snapshot(project / "site"))
    main = project / "overrides" / "main.html"
    line = line_of(main, r"og:site_name")
    # Compiles, but an attribute of an undefined value cannot be read: Jinja finds out on a page.
    edit(main, "{{ config.site_name | e }}",
         "{{ config.site_name | e }}{% if page %}{{ page.meta.no_such_field.name }}{% endif %}")
    result = build(project)
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    pattern = (rf"^ERROR\s+-\s+overrides/main\.html:{line}: the template failed while writing \S+\.md "
               r"\('dict object' has no attribute 'no_such_field'\): correct that line$")
    assert re.search(pattern, result.stderr, re.MULTILINE), result.stderr
    assert (0, _snapshot(project / "site")) == before


def test_a_filter_that_fails_in_a_partial_is_named_with_its_line(project):
    partial = project / "overrides" / "partials" / "search.html"
    line = line_of(partial, r"{{")
    edit(partial, "{{", "{{ config.site_name | format(1) }}{{")  # "%" with nothing to format: a TypeError
    result = build(project)
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    assert re.search(rf"^ERROR\s+-\s+overrides/partials/search\.html:{line}: the template failed while writing "
                     r"\S+ \(not all arguments converted during string formatting\): correct that line$",
                     result.stderr, re.MULTILINE), result.stderr
