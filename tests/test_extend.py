"""Adding a concept, a comparison or an attribute needs no Python change: only Markdown and YAML."""

from __future__ import annotations

from html_pages import read_page
from test_validation import build

NEW_CONCEPT = """---
concept:
  name: Six Sigma programme
  aliases: [6σ programme]
  kind: approach
  definition: "A company-wide programme that trains belts to cut defects with DMAIC projects."
  scope: "Chosen processes with measurable defects, across the company."
  goal: "Fewer than 3.4 defects per million opportunities in the processes it targets."
  focus: "Variation in process output."
  key-measures: [defects per million opportunities, sigma level]
  methods: [DMAIC, control charts]
  direction: top-down
  breadth: across functions
  perspective: [tactical]
  horizon: "Projects of three to six months."
  owner: "A deployment champion and trained belts."
  pitfall: "Running projects that save nothing measurable."
  relations:
    kind-of: [process-improvement]
---

Six Sigma programmes are one way of organizing process improvement.
"""

NEW_COMPARISON = """---
comparison:
  concepts: [six-sigma-programme, lean]
  summary: "Six Sigma attacks variation; Lean attacks waste and delay."
---

Both are improvement families, from different roots.

<!-- compare:table -->
"""


def test_a_new_concept_and_comparison_appear_everywhere_they_should(project):
    (project / "docs" / "concepts" / "six-sigma-programme.md").write_text(NEW_CONCEPT, encoding="utf-8")
    (project / "docs" / "compare" / "six-sigma-programme-vs-lean.md").write_text(NEW_COMPARISON, encoding="utf-8")
    result = build(project, "--strict")
    assert result.returncode == 0, result.stderr
    site = project / "site"

    comparison = read_page(site, "compare/six-sigma-programme-vs-lean/")
    head, *rows = comparison.generated_tables[0].rows
    assert [comparison.resolve(c.hrefs[0]) for c in head[1:]] == ["concepts/six-sigma-programme/", "concepts/lean/"]
    assert rows[0][0].ids == ["kind"] and [c.text for c in rows[0][1:]] == ["Improvement approach", "Management system"]
    assert rows[1][1].text == "A company-wide programme that trains belts to cut defects with DMAIC projects."

    def links(url):
        page = read_page(site, url)
        return {page.resolve(h).split("#")[0] for h in page.parsed.main_links}

    assert "concepts/six-sigma-programme/" in links("concepts/process-improvement/")  # inverse relation ("Kinds")
    assert "compare/six-sigma-programme-vs-lean/" in links("concepts/lean/")  # "Compared with"
    assert "compare/six-sigma-programme-vs-lean/" in links("compare/lean-vs-process-improvement/")  # related
    assert "concepts/six-sigma-programme/" in links("")  # home page list
    assert (site / "compare" / "lean-vs-six-sigma-programme" / "index.html").is_file()  # reversed URL


def test_a_new_attribute_becomes_a_row_on_every_table(project):
    schema = project / "data" / "schema.yml"
    schema.write_text(schema.read_text(encoding="utf-8").replace(
        "\n# Typed relations",
        "  - key: origin\n    label: Where it comes from\n    meaning: Its history in one line.\n    type: text\n"
        "\n# Typed relations", 1), encoding="utf-8")
    result = build(project)
    assert result.returncode != 0  # every concept must now fill it, and the build says so per file
    concepts = [p for p in (project / "docs" / "concepts").glob("*.md") if p.name != "index.md"]
    assert result.stderr.count("field 'origin': missing: add 'origin: ...'") == len(concepts)

    for path in (project / "docs" / "concepts").glob("*.md"):
        if path.name != "index.md":
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("\n  relations:", "\n  origin: \"From practice.\"\n  relations:", 1)
                            if "\n  relations:" in text else
                            text.replace("\n---\n", "\n  origin: \"From practice.\"\n---\n", 1), encoding="utf-8")
    result = build(project, "--strict")
    assert result.returncode == 0, result.stderr
    page = read_page(project / "site", "compare/lean-vs-process-improvement/")
    rows = page.generated_tables[0].rows[1:]
    assert rows[-1][0].ids == ["origin"]
    assert rows[-1][1].text == "From practice."
