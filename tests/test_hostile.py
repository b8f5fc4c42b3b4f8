"""Hostile content and failed builds (issue 15): each class with at least three hostile inputs.

The real project is built once per module; each test copies that build (its `site/` included),
breaks one thing and builds again, then checks the exit status, that no traceback was printed,
the one-line message, the built HTML and search index, and, when the build failed, that `site/`
is byte for byte what it was. Serve (class 7) is in test_serve.py; the picker (class 9) and a
reader's view of a hostile name are in tests/browser/test_hostile_browser.py.
"""

from __future__ import annotations

import hashlib
import html as html_module
import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_project, run_mkdocs
from html_pages import read_page

# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """The real project, built once with --strict: the 'previous site' every test starts from."""
    base = tmp_path_factory.mktemp("good")
    copy_project(base)
    result = run_mkdocs("build", "--strict", cwd=base)
    assert result.returncode == 0, result.stderr
    return base


@pytest.fixture
def proj(good, tmp_path) -> Path:
    dest = tmp_path / "p"
    shutil.copytree(good, dest, symlinks=True)
    return dest


def snapshot(site: Path) -> dict[str, str]:
    """Every file of a built site and a hash of its bytes (file modes included)."""
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest() + oct(p.stat().st_mode)
            for p in sorted(site.rglob("*")) if p.is_file()}


def leftovers(project: Path) -> list[str]:
    return [p.name for p in project.iterdir() if p.name.startswith(".site.")]


def rejected(project: Path, *messages: str, args: tuple[str, ...] = ("--strict",), env: dict | None = None,
             traceback_ok: bool = False):
    """The build fails, says each message on an ERROR line of its own, and leaves site/ as it was."""
    before = snapshot(project / "site")
    assert len(before) > 50
    result = run_mkdocs("build", *args, cwd=project, env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    if not traceback_ok:
        assert "Traceback" not in output, output
    errors = [re.sub(r"^ERROR\s+-\s+", "", line) for line in result.stderr.splitlines() if line.startswith("ERROR")]
    for message in messages:
        assert any(message in line for line in errors), f"{message!r} not among:\n{result.stderr}"
    assert snapshot(project / "site") == before, "the previous site changed"
    assert leftovers(project) == []
    return errors


def add_hook(project: Path, name: str, source: str) -> None:
    """Write hooks/<name> and list it in mkdocs.yml after concept_site.py."""
    (project / "hooks" / name).write_text(source, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - hooks/concept_site.py\n", f"  - hooks/concept_site.py\n  - hooks/{name}\n"), encoding="utf-8")


def accepted(project: Path, *args: str) -> Path:
    """The build succeeds (under --strict unless told otherwise) without a traceback; the new site is in place."""
    result = run_mkdocs("build", *(args or ("--strict",)), cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert leftovers(project) == []
    return project / "site"


def search_docs(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def html_files(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def set_field(path: Path, key: str, value: str, indent: str = "  ") -> None:
    """Replace the value of the first `key:` line at `indent` (value written as given)."""
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(rf"^{indent}{re.escape(key)}:.*$", lambda _: f"{indent}{key}: {value}", text, count=1,
                          flags=re.M)
    assert count == 1, key
    path.write_text(text, encoding="utf-8")


def concept(project: Path, slug: str = "lean") -> Path:
    return project / "docs" / "concepts" / f"{slug}.md"


def comparison(project: Path, slug: str = "lean-vs-process-improvement") -> Path:
    return project / "docs" / "compare" / f"{slug}.md"


def line_of(path: Path, pattern: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.search(pattern, line):
            return number
    raise AssertionError(pattern)


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


# --------------------------------------------------------------------------- 1. values reach outputs as text

NAME = "Lean <img src=x onerror=alert(1)> <!--"
ESCAPED_NAME = "Lean &lt;img src=x onerror=alert(1)&gt; &lt;!--"


def test_a_concept_name_with_markup_is_text_in_titles_nav_footer_search_and_map(proj):
    set_field(concept(proj), "name", q(NAME))
    site = accepted(proj)
    pages = html_files(site)
    assert not [p for p, html in pages.items() if "<img src=x" in html]
    lean = pages["concepts/lean/index.html"]
    assert f"<title>{ESCAPED_NAME} - Side by Side</title>" in lean
    assert f'<meta property="og:title" content="{ESCAPED_NAME} - Side by Side">' in lean
    assert read_page(site, "concepts/lean/").parsed.title == f"{NAME} - Side by Side"
    # The navigation of every page shows the name as text (Material prints page titles raw).
    nav_pages = [html for html in pages.values() if 'class="md-nav__link' in html]
    assert nav_pages and all("<img src=x" not in html for html in nav_pages)
    assert sum(ESCAPED_NAME in html for html in nav_pages) == len(nav_pages)
    # The footer (previous/next) of a neighbour, and the map's SVG on the home page.
    assert re.search(r'md-footer__link[^>]*aria-label="[^"]*' + re.escape(ESCAPED_NAME), "".join(pages.values()))
    assert "<tspan" in pages["index.html"] and "<img" not in pages["index.html"]
    for doc in search_docs(site):
        for value in (doc["title"], doc["text"], doc.get("names", ""), doc.get("body", "")):
            assert "<img src=x" not in value and "<!--" not in value, doc["location"]
    # The name is searched by its words (a hidden field, see hooks/concept_search.py), markup split away.
    names = next(d["names"] for d in search_docs(site) if d["location"] == "concepts/lean/")
    assert names.split()[:4] == ["lean_", "img_", "src_", "x_"]
    records = json.loads((site / "data" / "concepts.json").read_text(encoding="utf-8"))
    assert next(c["name"] for c in records["concepts"] if c["slug"] == "lean") == NAME  # JSON holds the text itself


PAYLOADS = [  # (field, markup, what must never appear raw)
    ("alias", "</title><script>alert(2)</script>", "<script>alert(2)"),
    ("definition", '"><script>alert(3)</script>', "<script>alert(3)"),
    ("summary", "Compared <!-- <svg onload=alert(4)>", "<svg onload"),
    ("attribute label", 'Scope"} <b onclick=alert(5)>', "<b onclick"),
    ("relation label", "applies <script>alert(6)</script>", "<script>alert(6)"),
    ("glossary term", "Muda <i onmouseover=alert(7)>", "<i onmouseover"),
    ("reference title", "Process <img src=y onerror=alert(8)> Optimization", "<img src=y"),
]


@pytest.fixture(scope="module")
def marked_up_site(good, tmp_path_factory) -> Path:
    """One build with markup in every kind of field at once (each field checked by its own test)."""
    proj = tmp_path_factory.mktemp("markup") / "p"
    shutil.copytree(good, proj, symlinks=True)
    value = dict((where, payload) for where, payload, _ in PAYLOADS)
    set_field(concept(proj), "aliases", f"[{q(value['alias'])}, lean management]")
    set_field(concept(proj), "definition", q("Lean is a system " + value["definition"]))
    set_field(comparison(proj), "summary", q(value["summary"]))

    def schema(data):
        data["attributes"][1].update(label=value["attribute label"])
        next(r for r in data["relations"] if r["key"] == "applies").update(label=value["relation label"])

    edit_yaml(proj / "data" / "schema.yml", schema)
    edit_yaml(proj / "data" / "glossary.yml",
              lambda d: next(t for t in d["terms"] if t.get("id") == "muda").update(term=value["glossary term"]))
    edit_yaml(proj / "data" / "references.yml", lambda d: d["references"][0].update(title=value["reference title"]))
    return accepted(proj)


@pytest.mark.parametrize(("where", "payload", "raw"), PAYLOADS)
def test_markup_in_any_record_field_is_text_everywhere(marked_up_site, where, payload, raw):
    pages = html_files(marked_up_site)
    assert not [p for p, html in pages.items() if raw in html]
    # Shown as text: the raw markup is nowhere, so finding it after unescaping means it was escaped.
    assert any(payload in html_module.unescape(page) for page in pages.values()), "the value vanished"
    for doc in search_docs(marked_up_site):
        for value in (doc["title"], doc["text"], doc.get("names", ""), doc.get("body", "")):
            assert raw not in value, doc["location"]


@pytest.mark.parametrize(("path", "field", "value", "message"), [
    ("docs/concepts/lean.md", "name", q("Le\u200ban"), "holds an invisible or control character (U+200B ZERO WIDTH SPACE)"),
    ("docs/concepts/lean.md", "aliases", "[" + q("lean \u202emanagement") + "]", "(U+202E RIGHT-TO-LEFT OVERRIDE)"),
    ("docs/concepts/lean.md", "name", q("Lean\a"), "(U+0007) at character 5"),
    ("docs/concepts/lean.md", "name", q("Lean\nthinking"), "(U+000A) at character 5"),
])
def test_names_with_invisible_or_control_characters_are_refused(proj, path, field, value, message):
    file = proj / path
    set_field(file, field, value)
    line = line_of(file, rf"^  {field}:")
    rejected(proj, f"{path}:{line}: field '{field}': ", message)


def test_an_invisible_character_in_a_reference_is_refused(proj):
    edit_yaml(proj / "data" / "references.yml", lambda d: d["references"][0].update(title="Process\u2060 optimization"))
    rejected(proj, "data/references.yml:", "field 'title': holds an invisible or control character (U+2060 WORD JOINER)")


def test_ids_and_file_names_must_be_lowercase_words_joined_by_hyphens(proj):
    edit_yaml(proj / "data" / "glossary.yml",
              lambda d: next(t for t in d["terms"] if t.get("id") == "muda").update(id='muda" onmouseover="alert(1)'))
    edit_yaml(proj / "data" / "schema.yml", lambda d: d["relations"][0].update(key="Part Of"))
    (proj / "docs" / "concepts" / "Six Sigma.md").write_text(
        concept(proj).read_text(encoding="utf-8").replace("name: Lean", "name: Six Sigma test"), encoding="utf-8")
    errors = rejected(proj, "cannot be an id: use lowercase words joined by hyphens such as 'muda-onmouseover-alert-1'",
                      "'Part Of' cannot be an id: use lowercase words joined by hyphens such as 'part-of'",
                      "docs/concepts/Six Sigma.md: field 'file name': 'Six Sigma' cannot be the file name of a record "
                      "page: use lowercase words joined by hyphens such as 'six-sigma': rename the file")
    assert all("\n" not in e for e in errors)


# --------------------------------------------------------------------------- 2. a failed build never touches site/


def test_a_strict_warning_leaves_the_previous_site_byte_for_byte(proj):
    with (proj / "docs" / "contributing.md").open("a", encoding="utf-8") as out:
        out.write("\nSee [the missing page](no-such-page.md).\n")
    result_errors = rejected(proj)
    assert result_errors == []  # MkDocs' own strict abort; the warning itself is a WARNING line


def test_a_template_error_while_pages_are_written_leaves_the_previous_site(proj):
    main = proj / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + '\n{% block footer %}{% include "no-such-part.html" %}'
                    "{% endblock %}\n", encoding="utf-8")
    line = main.read_text(encoding="utf-8").splitlines().index('{% block footer %}{% include "no-such-part.html" %}'
                                                              "{% endblock %}") + 1
    rejected(proj, f"overrides/main.html:{line}: the template failed while writing ")  # one line (theme_check)


def test_a_crash_after_the_pages_are_written_leaves_the_previous_site(proj):
    add_hook(proj, "crash.py", "from mkdocs.exceptions import PluginError\n\n\ndef on_post_build(config):\n"
                               "    raise PluginError('the deploy step failed')\n")
    rejected(proj, "the deploy step failed", args=())


def test_search_internals_moved_by_a_material_upgrade_are_reported(proj):
    """concept_site shapes the entries Material keeps; if a new Material keeps them elsewhere, say so."""
    add_hook(proj, "moved.py", "import types\n\nfrom mkdocs.plugins import event_priority\n\n\n@event_priority(90)\n"
             "def on_post_build(config):  # an index kept some other way, which still writes a file\n"
             "    config.plugins['material/search'].search_index = types.SimpleNamespace(\n"
             "        generate_search_index=lambda prev: '{\"config\": {}, \"docs\": []}')\n")
    result = run_mkdocs("build", "--strict", cwd=proj)
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    assert re.search(r"^WARNING\s+-\s+concept_site: Material's search plugin no longer keeps its index as "
                     r"search_index\.entries and \.config, so search results are not shaped: ", result.stderr,
                     re.MULTILINE), result.stderr


def test_a_failed_dirty_build_leaves_the_previous_site(proj):
    with (proj / "docs" / "data.md").open("a", encoding="utf-8") as out:
        out.write("\nSee [the missing page](no-such-page.md).\n")
    rejected(proj, args=("--strict", "--dirty"))


def test_a_good_build_replaces_the_site_clean_or_dirty(proj):
    stale = proj / "site" / "stale.html"
    stale.write_text("old", encoding="utf-8")
    accepted(proj, "--dirty")
    assert stale.exists()  # --dirty keeps what it does not rewrite
    site = accepted(proj)
    assert not stale.exists()  # a clean build starts from nothing
    assert (site / "concepts" / "lean" / "index.html").is_file()
    assert oct(site.stat().st_mode & 0o777) == oct(0o777 & ~_umask())


def test_a_site_folder_that_is_a_link_stays_a_link(proj, tmp_path):
    real = tmp_path / "published"
    (proj / "site").rename(real)
    (proj / "site").symlink_to(real)
    before = snapshot(real)
    with (proj / "docs" / "data.md").open("a", encoding="utf-8") as out:
        out.write("\nSee [the missing page](no-such-page.md).\n")
    assert run_mkdocs("build", "--strict", cwd=proj).returncode != 0
    assert snapshot(real) == before
    (proj / "docs" / "data.md").write_text((ROOT / "docs" / "data.md").read_text(encoding="utf-8"), encoding="utf-8")
    accepted(proj)
    assert (proj / "site").is_symlink() and (real / "concepts" / "lean" / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".published.")] == []


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_leftovers_of_a_killed_build_are_tidied_and_an_interrupted_swap_is_undone(proj):
    killed = proj / ".site.building-killed"
    (killed / "concepts").mkdir(parents=True)
    os.utime(killed, (0, 0))
    before = snapshot(proj / "site")
    (proj / "site").rename(proj / ".site.old-interrupted")  # stopped between the swap's two renames
    with (proj / "docs" / "data.md").open("a", encoding="utf-8") as out:
        out.write("\nSee [the missing page](no-such-page.md).\n")
    result = run_mkdocs("build", "--strict", cwd=proj)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "Restored the previous site from .site.old-interrupted" in result.stderr
    assert snapshot(proj / "site") == before
    assert leftovers(proj) == []


# --------------------------------------------------------------------------- 3. file problems


@pytest.mark.parametrize("name", ["index.md", "README.markdown"])  # MkDocs makes either the folder's index
def test_a_folder_named_like_a_page(proj, name):
    folder = proj / "docs" / "compare" / "lean-vs-process-improvement"
    folder.mkdir()
    (folder / name).write_text("# Another page at the same address\n", encoding="utf-8")
    rejected(proj, f"docs/compare/lean-vs-process-improvement/{name}: makes the same page "
                   "(compare/lean-vs-process-improvement/index.html) as docs/compare/lean-vs-process-improvement.md, "
                   "and one would overwrite the other: rename or remove one of them")


def test_a_link_pointing_nowhere(proj):
    (proj / "docs" / "concepts" / "dangling.md").symlink_to("nowhere.md")
    rejected(proj, "docs/concepts/dangling.md: this link points at nowhere.md, which does not exist: "
                   "remove the link or restore the file")


def test_a_link_pointing_at_itself(proj):
    (proj / "docs" / "loop.md").symlink_to("loop.md")
    rejected(proj, "docs/loop.md: this link points back at itself: remove it or point it at a real file")


def test_a_folder_linking_back_into_the_site(proj):
    (proj / "docs" / "concepts" / "again").symlink_to("..")
    rejected(proj, "docs/concepts/again: this folder links back to a folder already in the site (docs): remove the link")


def test_an_unreadable_file_is_named_with_the_fix(tmp_path, monkeypatch):
    # Tests run as root here, which reads any file, so the permission check is shown directly.
    import concept_site

    page = tmp_path / "page.md"
    page.write_text("text", encoding="utf-8")
    assert concept_site._file_problem(str(page)) is None
    monkeypatch.setattr(concept_site.os, "access", lambda path, mode: False)
    assert concept_site._file_problem(str(page)) == ("the file cannot be read (no permission): make it readable "
                                                     "(chmod a+r) or remove it")


def test_a_pipe_named_like_a_page(proj):
    os.mkfifo(proj / "docs" / "pipe.md")
    rejected(proj, "docs/pipe.md: not a regular file (a device, pipe or socket): remove it from the docs folder")


def test_a_markdown_file_is_validated_like_an_md_file(proj):
    text = concept(proj).read_text(encoding="utf-8").replace("name: Lean", f"name: {q('Lean twin')}")
    (proj / "docs" / "concepts" / "lean-twin.markdown").write_text(text.replace("  scope:", "  scoop:"), "utf-8")
    rejected(proj, "docs/concepts/lean-twin.markdown:", "field 'scoop': unknown field (did you mean 'scope'?)")


@pytest.mark.parametrize(("key", "value"), [("template", "main.html"), ("title", q("<b>Lean</b>")),
                                            ("hide", "[navigation]")])
def test_front_matter_mkdocs_acts_on_is_refused_on_a_record_page(proj, key, value):
    path = concept(proj)
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", f"---\n{key}: {value}\n", 1), encoding="utf-8")
    rejected(proj, f"docs/concepts/lean.md:2: field '{key}': not allowed on a record page")


def test_a_template_that_does_not_exist(proj):
    path = proj / "docs" / "data.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", "---\ntemplate: no-such.html\n", 1) if text.startswith("---\n")
                    else "---\ntemplate: no-such.html\n---\n" + text, encoding="utf-8")
    rejected(proj, "docs/data.md:2: field 'template': template 'no-such.html' is not in overrides/ or the theme")


# --------------------------------------------------------------------------- 4. bounded work

LAUGHS = "".join(f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10))


def test_yaml_alias_expansion_is_bounded(proj):
    path = concept(proj)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "---\n", "---\nlaughs:\n  l0: &l0 [lol]\n" + LAUGHS, 1), encoding="utf-8")
    rejected(proj, "invalid YAML: more than 50,000 values once the aliases ('*name') are filled in: "
                   "write the values out instead of repeating aliases")


def test_yaml_alias_expansion_is_bounded_in_the_glossary(proj):
    path = proj / "data" / "glossary.yml"
    path.write_text("laughs:\n  l0: &l0 [lol]\n" + LAUGHS + path.read_text(encoding="utf-8"), encoding="utf-8")
    rejected(proj, "data/glossary.yml:", "more than 50,000 values once the aliases")


def test_a_field_too_long_is_refused(proj):
    set_field(concept(proj), "definition", q("Lean " + "waste " * 600))
    rejected(proj, "field 'definition': is 3,605 characters long, more than the 2,000 allowed: shorten it")


def test_a_page_too_large_is_refused(proj):
    path = proj / "docs" / "data.md"
    path.write_text(path.read_text(encoding="utf-8") + "word " * 250_000, encoding="utf-8")
    rejected(proj, "docs/data.md: larger than 1 MB: split the page or shorten it")


# --------------------------------------------------------------------------- 5. what the hook accepts


def test_a_missing_glossary_is_an_error(proj):
    (proj / "data" / "glossary.yml").unlink()
    rejected(proj, "data/glossary.yml: the file is missing: restore it from version control", args=())


def test_a_marker_in_a_fenced_code_block_is_left_alone(proj):
    with (proj / "docs" / "data.md").open("a", encoding="utf-8") as out:
        out.write("\n```markdown\n<!-- site:map -->\n<!-- concept:bogus -->\n```\n")
    site = accepted(proj)
    html = (site / "data" / "index.html").read_text(encoding="utf-8")
    assert "&lt;!-- site:map --&gt;" in html and "&lt;!-- concept:bogus --&gt;" in html
    assert "concept-map" not in html


@pytest.mark.parametrize(("page", "marker", "message"), [
    ("docs/index.md", "<!-- site:map -->", "'<!-- site:map -->' appears twice (first at line"),
    ("docs/index.md", "<!-- concept:attributes -->", "'<!-- concept:attributes -->' belongs on a concept page "
                                                     "(docs/concepts/), where the record is: remove it from this page"),
    ("docs/concepts/lean.md", "<!-- compare:table -->", "'<!-- compare:table -->' belongs on a comparison page "
                                                        "(docs/compare/)"),
    ("docs/glossary.md", "<!-- site:glosary -->", "unknown marker '<!-- site:glosary -->' (did you mean "
                                                  "'<!-- site:glossary -->'?): correct it or remove it"),
])
def test_a_marker_twice_or_on_the_wrong_page(proj, page, marker, message):
    with (proj / page).open("a", encoding="utf-8") as out:
        out.write(f"\n{marker}\n")
    line = len((proj / page).read_text(encoding="utf-8").splitlines())
    rejected(proj, f"{page}:{line}: {message}", args=())


def test_aliases_given_twice(proj):
    set_field(concept(proj), "aliases", "[lean thinking, Lean Thinking, Lean, Process optimization]")
    line = line_of(concept(proj), "^  aliases:")
    rejected(proj, f"docs/concepts/lean.md:{line}: field 'aliases': alias 'Lean Thinking' is listed twice: keep one",
             "alias 'Lean' is the concept's own name: remove it",
             "alias 'Process optimization' is already the name of docs/concepts/process-optimization.md")


def set_relations(path: Path, lines: str) -> None:
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(r"^  relations:\n(?:    .*\n)*", "  relations:\n" + lines, text, count=1, flags=re.M)
    assert count == 1
    path.write_text(text, encoding="utf-8")


def test_relations_given_twice_and_part_of_loops(proj):
    set_relations(concept(proj), "    applies: [process-improvement, process-improvement]\n"
                  "    part-of: [operations-management]\n")
    set_relations(concept(proj, "operations-management"), "    part-of: [lean]\n    applies: [lean]\n")
    rejected(proj, "'applies' names 'process-improvement' twice: keep one",
             "'lean' is named under both 'part-of' and 'applies': keep the one relation that is true",
             "'part-of' goes round in a loop (Lean -> Operations management -> Lean): remove the wrong link")


def test_glossary_definitions_over_forty_words(proj):
    edit_yaml(proj / "data" / "glossary.yml", lambda d: next(t for t in d["terms"] if t.get("id") == "muda").update(
        definition="waste " * 45))
    rejected(proj, "field 'definition': the definition of 'muda' has 45 words; a glossary definition has under 40")


def test_glossary_tooltips_never_land_inside_the_map(proj):
    edit_yaml(proj / "data" / "glossary.yml", lambda d: d["terms"].extend([
        {"term": "applies", "category": d["terms"][0]["category"], "definition": "Uses as one of its methods."},
        {"term": "Process improvement", "category": d["terms"][0]["category"], "definition": "A test entry."},
    ]))
    site = accepted(proj)
    html = (site / "index.html").read_text(encoding="utf-8")
    drawings = re.findall(r"<svg class=\"concept-map.*?</svg>", html, re.S)
    assert len(drawings) == 2 and all("<abbr" not in svg for svg in drawings)
    assert "<abbr" in html  # the tooltips still work outside the drawings


# --------------------------------------------------------------------------- 6. messages an editor can act on

ONE_LINE = re.compile(r"^(docs|data)/[^:]+(:\d+)?: (field '[^']+': )?.+: .+$")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("  name: Lean\n", '  name: "   "\n', "field 'name': expected text, got an empty value: give the concept's name"),
    ("  name: Lean\n", "  name: Lean\n\tscope: x\n", "invalid YAML: a tab character in the indentation: indent with spaces only"),
    ("  name: Lean\n", '  name: "Lean\n', "invalid YAML: "),
    ("  aliases: [", "  aliases: [[nested], ", "field 'aliases': expected a list of text, got a list whose item 1 is a "
                                              "list: write it as 'aliases: [name, other name]'"),
])
def test_messages_are_one_line_in_the_editors_words_without_a_cascade(proj, old, new, expected):
    path = concept(proj)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    errors = rejected(proj, expected, args=())
    problems = errors[:-1]
    assert errors[-1].endswith("nothing was built and the previous site is unchanged")
    for line in problems:
        assert line.startswith("docs/concepts/lean.md"), errors  # no cascade into pages naming Lean
        assert ONE_LINE.match(line), line
        for internal in ("expected text, got text", "while parsing", "while scanning", "<block end>", "got text"):
            assert internal not in line, line
    assert len(problems) == len(set(problems))  # each reported once


# --------------------------------------------------------------------------- 8. configuration


@pytest.mark.parametrize("url", [
    "ftp://concepts.example.com/",
    'https://concepts.example.com/"><script>alert(1)</script>',
    "https://user@evil.example/",
    "https://concepts.example.com/?q=1",
])
def test_site_url_must_be_an_absolute_http_address(proj, url):
    errors = rejected(proj, env={"SITE_URL": url})
    assert any("not an absolute http or https address" in e or "The URL isn't valid" in e for e in errors), errors
    assert len(errors) == 1


def test_site_url_without_a_scheme_is_refused_by_mkdocs_in_one_line(proj):
    errors = rejected(proj, env={"SITE_URL": "concepts.example.com"})
    assert errors == ["Config value 'site_url': The URL isn't valid, it should include the http:// (scheme)"]
