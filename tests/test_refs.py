"""References and citations: data/references.yml, `[@key]` in page prose, the generated lists.

Unit tests feed `concept_refs` plain data; site tests read the real sources independently (YAML and
regular expressions) and the built site; build tests break one thing in a copy of the project.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from concept_files import parse_document, parse_yaml
from concept_refs import entry_html, entry_text, find_citations, page_references, parse_references
from concept_render import citation_md, reference_html, references_section
from conftest import ROOT
from test_site_build import COMPARISONS, CONCEPTS
from test_validation import assert_rejected, build, concept, edit, line_of

WORKS = """\
references:
  - key: ohno-1988
    type: book
    authors: ["Ohno, Taiichi"]
    year: 1988
    title: "Toyota Production System: Beyond Large-Scale Production"
    publisher: Productivity Press
  - key: womack-jones-1996
    type: book
    authors: ["Womack, James P.", "Jones, Daniel T."]
    year: 1996
    title: "Lean Thinking"
    publisher: Simon & Schuster
    edition: "2nd"
  - key: womack-jones-roos-1990
    type: book
    authors: ["Womack, James P.", "Jones, Daniel T.", "Roos, Daniel"]
    year: 1990
    title: "The Machine That Changed the World"
    publisher: Rawson Associates
  - key: iso-9001-2015
    type: standard
    authors: ["International Organization for Standardization"]
    short-author: ISO
    year: 2015
    title: "ISO 9001:2015 Quality management systems — Requirements"
  - key: krafcik-1988
    type: article
    authors: ["Krafcik, John F."]
    year: 1988
    title: "Triumph of the Lean Production System"
    journal: Sloan Management Review
    volume: 30
    issue: 1
    pages: "41-52"
  - key: anon-post
    type: source
    title: "Operations Management vs. Performance Management: A Guide"
  - key: smith-2001
    type: report
    authors: ["Smith, Ann"]
    year: 2001
    title: "One"
    publisher: P
  - key: smith-2001-two
    type: report
    authors: ["Smith, Ann"]
    year: 2001
    title: "Two?"
    publisher: P
"""


def bibliography(text: str = WORKS):
    result, problems = parse_references("data/references.yml", parse_yaml(text))
    assert problems == [], [str(p) for p in problems]
    return result


def problems_of(text: str) -> list[str]:
    result, problems = parse_references("data/references.yml", parse_yaml(text))
    assert result is None
    return [str(p) for p in problems]


# --------------------------------------------------------------------------- the file


def test_author_year_citation_text():
    labels = bibliography().labels
    assert labels["ohno-1988"] == "Ohno 1988"
    assert labels["womack-jones-1996"] == "Womack and Jones 1996"
    assert labels["womack-jones-roos-1990"] == "Womack et al. 1990"
    assert labels["iso-9001-2015"] == "ISO 2015"  # an organisation, cited by its usual abbreviation
    assert labels["anon-post"] == "“Operations Management vs. Performance Management” n.d."  # no author, no date
    assert (labels["smith-2001"], labels["smith-2001-two"]) == ("Smith 2001a", "Smith 2001b")  # told apart


def test_one_formatting_for_every_type():
    works = {w.key: w for w in bibliography().works}
    assert entry_text(works["ohno-1988"]) == (
        "Ohno, Taiichi. 1988. Toyota Production System: Beyond Large-Scale Production. Productivity Press.")
    assert entry_text(works["womack-jones-1996"]) == (
        "Womack, James P. and Daniel T. Jones. 1996. Lean Thinking. 2nd edition. Simon & Schuster.")
    assert entry_text(works["krafcik-1988"]) == (
        "Krafcik, John F. 1988. “Triumph of the Lean Production System.” Sloan Management Review 30 (1): 41–52.")
    assert entry_text(works["anon-post"]) == "“Operations Management vs. Performance Management: A Guide.” n.d."
    assert entry_text(works["smith-2001-two"]) == "Smith, Ann. 2001. Two? P."
    assert entry_html(works["womack-jones-1996"]) == (
        "Womack, James P. and Daniel T. Jones. 1996. <em>Lean Thinking</em>. 2nd edition. Simon &amp; Schuster.")


def test_a_reference_is_written_afresh_when_its_work_is_edited():
    """Each work's entry is written once a build and kept by its whole description: under `mkdocs
    serve` an edited work (same key) must not show its old entry."""
    work = next(w for w in bibliography().works if w.key == "womack-jones-1996")
    first = reference_html(work)
    assert first.startswith('<p class="reference" id="ref-womack-jones-1996">Womack, James P.')
    edited = reference_html(work._replace(edition="3rd", publisher="Free Press"))
    assert edited == first.replace("2nd edition. Simon &amp; Schuster.", "3rd edition. Free Press.") != first
    assert reference_html(work) == first


@pytest.mark.parametrize(("change", "expected"), [
    (("key: ohno-1988", "key: Ohno_1988"),
     "data/references.yml:2: field 'key': expected lowercase words and digits joined by hyphens (such as "
     "'ohno-1988'), got Ohno_1988"),
    (("key: krafcik-1988", "key: ohno-1988"), "data/references.yml:27: field 'key': key 'ohno-1988' is used twice"),
    (("    publisher: Productivity Press\n", "    publsher: Productivity Press\n"),
     "data/references.yml:7: field 'publsher': unknown field (did you mean 'publisher'?): remove or rename it"),
    (("    journal: Sloan Management Review\n", ""),
     "data/references.yml:27: field 'journal': missing: an article needs authors, year, title, journal: "
     "add 'journal: ...'"),
    (("type: standard", "type: standad"),
     "data/references.yml:22: field 'type': 'standad' is not a type (did you mean 'standard'?)"),
    (("year: 1988\n    title: \"Toyota", "year: \"1988a\"\n    title: \"Toyota"),
     "data/references.yml:5: field 'year': expected a four-digit year, got text"),
])
def test_mistakes_in_the_file_are_one_line_each(change, expected):
    assert change[0] in WORKS
    found = problems_of(WORKS.replace(*change, 1))
    assert any(line.startswith(expected) for line in found), found
    assert all("\n" not in line for line in found)


# --------------------------------------------------------------------------- citations in Markdown


def test_citations_are_found_in_prose_only():
    text = (
        "Flow [@ohno-1988] and [@womack-jones-1996; @krafcik-1988, p. 44].\n"
        "`[@in-code]` and <code>[@in-html-code]</code> <!-- [@in-comment] -->\n"
        "```\n[@in-fence]\n```\n"
        "[@link-text](https://example.org) and\n"
        "[@definition]: https://example.org\n"
        "Last [@iso-9001-2015].\n"
    )
    found = find_citations(text)
    assert [c.items for c in found] == [
        (("ohno-1988", ""),),
        (("womack-jones-1996", ""), ("krafcik-1988", "p. 44")),
        (("iso-9001-2015", ""),),
    ]
    assert [c.line for c in found] == [1, 1, 8]


def test_inline_code_runs_close_only_on_a_run_of_the_same_length():
    # ``x ` [@a] `` is one code span: a single backtick inside does not close a double run. After
    # it, ` [@b] `` [@c] ` is another: a double run does not close a single one.
    found = find_citations("``x ` [@a] `` [@d] ` [@b] `` [@c] ` [@e]")
    assert [c.keys for c in found] == [("d",), ("e",)]
    # A run that is never closed starts no code: the citation after it counts.
    assert [c.keys for c in find_citations("a `` b [@g]")] == [("g",)]


def test_a_text_is_searched_for_citations_once_until_the_next_build(monkeypatch):
    """A record page's prose is searched when its record is read and again when its citations are
    written: the second time (the same text) reuses the first; a new build searches afresh."""
    import concept_refs

    scanned = []
    prose_spans = concept_refs._prose_spans
    monkeypatch.setattr(concept_refs, "_prose_spans", lambda text: scanned.append(text) or prose_spans(text))
    concept_refs.forget_citations()
    text = "Flow [@ohno-1988].\n\nPull [@womack-jones-1996; @krafcik-1988, p. 44].\n"
    first = find_citations(text)
    first.clear()  # a caller's list is its own
    again = find_citations("".join(["Flow [@ohno-1988].\n\n", text.split("\n\n", 1)[1]]))  # equal, not the same object
    assert [c.keys for c in again] == [("ohno-1988",), ("womack-jones-1996", "krafcik-1988")]
    assert len(scanned) == 1
    edited = text + "More [@ohno-1988].\n"  # another text: searched, not taken for the first
    assert [c.keys for c in find_citations(edited)] == [
        ("ohno-1988",), ("womack-jones-1996", "krafcik-1988"), ("ohno-1988",)]
    assert scanned == [text, edited]
    concept_refs.forget_citations()
    assert [c.keys for c in find_citations(text)] == [("ohno-1988",), ("womack-jones-1996", "krafcik-1988")]
    assert scanned == [text, edited, text]


def test_a_citation_renders_as_linked_author_year_text():
    works = bibliography()
    one, two = find_citations("[@ohno-1988] [@womack-jones-1996; @krafcik-1988, p. 44]")
    assert citation_md(works, one) == "([Ohno 1988](#ref-ohno-1988))"
    assert citation_md(works, two) == (
        "([Womack and Jones 1996](#ref-womack-jones-1996); [Krafcik 1988](#ref-krafcik-1988), p. 44)")


def test_the_references_section_is_sorted_and_anchored():
    section = references_section(bibliography(), ("ohno-1988", "krafcik-1988", "anon-post"))
    assert section.startswith("## References\n")
    ids = re.findall(r'id="ref-([a-z0-9-]+)"', section)
    assert ids == ["krafcik-1988", "ohno-1988", "anon-post"]  # by author, works without one after


def test_unknown_keys_name_the_file_line_and_closest_key():
    text = "---\nconcept:\n  references: [ohno-1988, krafcik-1998]\n---\n\nIntro.\n\nSee [@ohno-1998; @womack-jones-1996].\n"
    doc, problems = parse_document("docs/concepts/lean.md", text.encode("utf-8"))
    assert problems == []
    prose, listed, problems = page_references(doc, bibliography())
    assert prose == ("ohno-1998", "womack-jones-1996") and listed == ("ohno-1988", "krafcik-1998")
    assert [str(p) for p in problems] == [
        "docs/concepts/lean.md:8: unknown reference 'ohno-1998' (did you mean 'ohno-1988'?): fix the key or add "
        "the work to data/references.yml",
        "docs/concepts/lean.md:3: field 'references': unknown reference 'krafcik-1998' (did you mean 'krafcik-1988'?): "
        "fix the key or add the work to data/references.yml",
    ]


# --------------------------------------------------------------------------- the real site

REFERENCES = {w["key"]: w for w in yaml.safe_load((ROOT / "data" / "references.yml").read_text(encoding="utf-8"))[
    "references"]}
_CODE = re.compile(r"```.*?```|`[^`\n]*`|<!--.*?-->", re.DOTALL)
_KEYS = re.compile(r"\[(@[^\]]+)\](?!\()")


def prose_keys(path: Path) -> set[str]:
    """Keys cited in a page's prose, read with a regular expression independent of the hook."""
    text = path.read_text(encoding="utf-8").split("---", 2)[2]
    return {key for group in _KEYS.findall(_CODE.sub("", text)) for key in re.findall(r"@([^\s;,\]]+)", group)}


def page_sources() -> list[Path]:
    return sorted((ROOT / "docs").rglob("*.md"))


RECORD_PAGES = sorted(str(p.relative_to(ROOT / "docs")) for folder in ("concepts", "compare")
                      for p in (ROOT / "docs" / folder).glob("*.md") if p.name != "index.md")


def test_the_record_pages_are_all_there():
    assert {f"concepts/{s}.md" for s in CONCEPTS} | {f"compare/{s}.md" for s in COMPARISONS} <= set(RECORD_PAGES)


@pytest.mark.parametrize("path", RECORD_PAGES)
def test_every_concept_and_comparison_cites_three_works_besides_its_sources(path):
    keys = prose_keys(ROOT / "docs" / path)
    works = {k for k in keys if k in REFERENCES and REFERENCES[k]["type"] != "source"}
    assert len(works) >= 3, (path, sorted(keys))


def test_every_cited_key_resolves():
    cited = {key: path for path in page_sources() for key in prose_keys(path)}
    for path in page_sources():
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1]) if path.read_text(
            encoding="utf-8").startswith("---") else {}
        for key in ((front or {}).get("concept") or {}).get("references", []):
            cited[key] = path
    assert cited, "no page cites anything"
    assert {k: str(p) for k, p in cited.items() if k not in REFERENCES} == {}
    assert set(REFERENCES) <= set(cited)  # and every work is cited somewhere


def _reference_paragraphs(built_site: Path) -> dict[str, dict[str, str]]:
    """key -> {page: the <p class="reference"> element as built}, over every page of the site."""
    found: dict[str, dict[str, str]] = {}
    for page in built_site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        for match in re.finditer(r'<p class="reference" id="ref-([a-z0-9-]+)">.*?</p>', html, re.DOTALL):
            found.setdefault(match.group(1), {})[str(page.relative_to(built_site))] = match.group(0)
    return found


def test_a_work_reads_byte_identical_on_every_page_that_lists_it(built_site):
    found = _reference_paragraphs(built_site)
    assert set(found) == set(REFERENCES)
    for key, pages in found.items():
        assert "references/index.html" in pages, key
        assert len(pages) >= 2, key  # /references/ and at least one citing page
        assert len(set(pages.values())) == 1, (key, pages)


def test_each_page_links_its_citations_to_its_own_list(built_site):
    for slug in ("concepts/lean", "compare/lean-vs-process-improvement", "concepts/production-process"):
        html = (built_site / slug / "index.html").read_text(encoding="utf-8")
        listed = set(re.findall(r'<p class="reference" id="ref-([a-z0-9-]+)">', html))
        linked = set(re.findall(r'<a href="#ref-([a-z0-9-]+)">', html))
        assert linked and linked <= listed, slug
        assert prose_keys(ROOT / "docs" / f"{slug}.md") <= linked
        assert "[@" not in re.sub(r"<code>.*?</code>", "", html, flags=re.DOTALL), slug


def test_the_references_page_lists_every_work_with_the_pages_citing_it(built_site):
    html = (built_site / "references" / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<div class="reference-work">(.*?)</div>', html, re.DOTALL)
    assert len(blocks) == len(REFERENCES)
    found = _reference_paragraphs(built_site)
    # A generated pair page lists its two concepts' works without citing them: it is not a citing page.
    written = {f"compare/{p.stem}/index.html" for p in (ROOT / "docs" / "compare").glob("*-vs-*.md")}
    generated = {page for pages in found.values() for page in pages
                 if page.startswith("compare/") and "-vs-" in page and page not in written}
    assert generated
    for block in blocks:
        key = re.search(r'id="ref-([a-z0-9-]+)"', block).group(1)
        linked = {re.sub(r"^\.\./", "", h) + "index.html" for h in re.findall(r'href="(\.\./[^"#]+)"', block)}
        assert linked == set(found[key]) - {"references/index.html"} - generated, key


def test_the_json_carries_each_concepts_references(built_site):
    data = json.loads((built_site / "data" / "concepts.json").read_text(encoding="utf-8"))
    for concept_data in data["concepts"]:
        html = (built_site / concept_data["url"] / "index.html").read_text(encoding="utf-8")
        listed = re.findall(r'<p class="reference" id="ref-([a-z0-9-]+)">', html)
        assert [r["key"] for r in concept_data["references"]] == listed
        for reference in concept_data["references"]:
            # The words of the citation ("ISO", "Womack", a short title) stand at the head of the entry.
            first_word = reference["citation"].strip("“").split(" ")[0]
            assert first_word in reference["entry"].split(". ")[0], reference


# --------------------------------------------------------------------------- real builds


def test_an_unknown_key_stops_the_build_with_one_line(project):
    page = concept(project, "lean")
    text = page.read_text(encoding="utf-8")
    first = re.search(r"\[@ohno-1988\]", text.split("---", 2)[2])
    assert first
    edit(page, "[@ohno-1988]", "[@ohno-1998]")
    line = line_of(page, r"\[@ohno-1998\]")
    result = build(project)
    assert_rejected(result, f"docs/concepts/lean.md:{line}: unknown reference 'ohno-1998' (did you mean "
                            "'ohno-1988'?): fix the key or add the work to data/references.yml")
    assert sum("ohno-1998" in line for line in result.stderr.splitlines()) == 1
    assert not (project / "site").exists()


def test_a_work_no_page_cites_fails_strict(project):
    references = project / "data" / "references.yml"
    references.write_text(references.read_text(encoding="utf-8") + (
        "  - key: nobody-2000\n    type: book\n    authors: [\"Nobody, Ann\"]\n    year: 2000\n"
        "    title: \"Never Cited\"\n    publisher: P\n"), encoding="utf-8")
    line = line_of(references, r"key: nobody-2000")
    result = build(project, "--strict")
    assert result.returncode != 0
    assert (f"WARNING -  data/references.yml:{line}: reference 'nobody-2000' is not cited on any page: cite it where "
            "it supports a claim ([@nobody-2000]), or remove it") in result.stderr
    assert build(project).returncode == 0  # a warning: without --strict the site is still built


def test_a_page_may_list_works_in_its_front_matter():
    text = "---\nreferences: [ohno-1988, krafcik-1988, ohno-1988]\n---\n\nNo citation in the prose.\n"
    doc, _ = parse_document("docs/compare/a-vs-b.md", text.encode("utf-8"))
    prose, listed, problems = page_references(doc, bibliography())
    assert (prose, listed, problems) == ((), ("ohno-1988", "krafcik-1988"), [])
