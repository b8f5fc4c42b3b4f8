"""What `mkdocs serve` keeps between rebuilds (hooks/build_cache.py) never shows a stale page.

- In one process, as under serve: a build, then edits (a record, a page's prose, a glossary
  definition), then a rebuild with the cache warm. The rebuilt site is byte for byte the site a
  build without any cache makes from the edited files, and the rebuild did reuse conversions.
- Under `mkdocs serve`: a record edit changes every page that shows the record, and an unrelated
  edit leaves those pages exactly as they were.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

from conftest import run_mkdocs
from test_serve import fetch, serving, wait_for
from test_validation import concept, edit

EPOCH = {"SOURCE_DATE_EPOCH": "1764000000"}  # the printed build date, the same in every build here

# Run in a child process: a build, the edits, a second build with what the first one kept.
REBUILD = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project, first, second = (Path(p) for p in sys.argv[1:4])
    edits = json.loads(sys.argv[4])

    def run(site):
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
        build(config)
        cache = next(p for name, p in config.plugins.items() if name.endswith("build_cache.py"))
        return cache.last_counts()

    run(first)
    for path, old, new in edits:
        file = project / path
        text = file.read_text(encoding="utf-8")
        assert old in text, (path, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    print(json.dumps(run(second)))
""")


def run_child(script: str, *args: str, **env: str):
    """Run `script` in a child Python process; what its last line printed, as JSON."""
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=600,
                            check=False, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env})
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def rebuild_after(project: Path, tmp_path: Path, edits: list[tuple[str, str, str]]) -> dict:
    """Build, edit, rebuild in one process; return the second build's cache counts."""
    return run_child(REBUILD, str(project), str(tmp_path / "first"), str(tmp_path / "warm"), json.dumps(edits), **EPOCH)


def differing(left: Path, right: Path) -> list[str]:
    """Files that are not byte-identical in two site folders, or in only one of them."""
    out: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        out.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out.extend(prefix + name for name in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return sorted(out)


LEAN_DEFINITION = '  definition: "Lean is a management system'
GLOSSARY_DEFINITION = '    definition: "'


def test_a_rebuild_with_kept_conversions_is_the_site_an_uncached_build_makes(project, tmp_path):
    edits = [
        ("docs/concepts/lean.md", LEAN_DEFINITION, '  definition: "Lean, edited for the cache test, is a management system'),
        ("docs/concepts/performance-management.md", "\n## ", "\nA paragraph added for the cache test.\n\n## "),
        ("data/glossary.yml", GLOSSARY_DEFINITION, GLOSSARY_DEFINITION + "Edited for the cache test: "),
        ("docs/contributing.md", "\n# Contributing\n", "\n# Contributing, retitled\n"),  # in every page's navigation
    ]
    counts = rebuild_after(project, tmp_path, edits)
    result = run_mkdocs("build", "--strict", "--site-dir", str(tmp_path / "cold"), cwd=project,
                        env={"SIDE_BY_SIDE_NO_CACHE": "1", **EPOCH})
    assert result.returncode == 0, result.stderr
    assert differing(tmp_path / "warm", tmp_path / "cold") == []
    # The edits really reached the pages (the comparison is not between two stale sites).
    for page, text in (("concepts/lean/index.html", "Lean, edited for the cache test"),
                       ("compare/lean-vs-process-improvement/index.html", "Lean, edited for the cache test"),
                       ("concepts/performance-management/index.html", "A paragraph added for the cache test."),
                       ("concepts/lean/index.html", 'title="Edited for the cache test: '),
                       ("concepts/six-sigma/index.html", "Contributing, retitled")):
        assert text in (tmp_path / "cold" / page).read_text(encoding="utf-8"), page
    # And the rebuild reused what the edits did not touch: a glossary definition is filled in after
    # conversion, so it alone re-converts nothing but the glossary page.
    reused, converted = counts["rendered"]
    assert reused > converted > 0, counts
    assert counts["searched"][0] > 0, counts


def test_a_theme_override_edit_reaches_every_page(project, tmp_path):
    rebuild_after(project, tmp_path, [("overrides/main.html", '<p class="print-meta">Printed from',
                                       '<p class="print-meta">Printed (cache test) from')])
    result = run_mkdocs("build", "--strict", "--site-dir", str(tmp_path / "cold"), cwd=project,
                        env={"SIDE_BY_SIDE_NO_CACHE": "1", **EPOCH})
    assert result.returncode == 0, result.stderr
    assert "Printed (cache test) from" in (tmp_path / "cold" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert differing(tmp_path / "warm", tmp_path / "cold") == []


def test_a_field_the_navigation_prints_reaches_every_page(project, tmp_path):
    """Material's sidebar prints other pages' `subtitle:` (and icon, status): every page shows the edit."""
    rebuild_after(project, tmp_path, [("docs/glossary.md", "---\ndescription:", "---\nsubtitle: Cache test\ndescription:")])
    result = run_mkdocs("build", "--strict", "--site-dir", str(tmp_path / "cold"), cwd=project,
                        env={"SIDE_BY_SIDE_NO_CACHE": "1", **EPOCH})
    assert result.returncode == 0, result.stderr
    assert "Cache test" in (tmp_path / "cold" / "concepts" / "lean" / "index.html").read_text(encoding="utf-8")
    assert differing(tmp_path / "warm", tmp_path / "cold") == []


def test_a_prose_edit_renders_only_its_own_page_from_the_theme_again(project, tmp_path):
    """Every other page has the same content, navigation and context: its theme output is reused."""
    counts = rebuild_after(project, tmp_path, [("docs/concepts/performance-management.md", "\n## ",
                                               "\nA paragraph added for the cache test.\n\n## ")])
    reused, rendered = counts["templated"]
    assert rendered == 1 and reused > 40, counts


def test_a_definition_edit_converts_only_the_page_that_lists_the_glossary(project, tmp_path):
    counts = rebuild_after(project, tmp_path, [("data/glossary.yml", GLOSSARY_DEFINITION,
                                               GLOSSARY_DEFINITION + "Edited for the cache test: ")])
    assert counts["rendered"][1] == 1, counts  # the glossary page, which shows definitions as text
    assert counts["searched"][1] == 1, counts  # search never reads a tooltip's title


def test_without_the_cache_nothing_is_kept(project, tmp_path):
    counts = run_child(REBUILD, str(project), str(tmp_path / "a"), str(tmp_path / "b"), "[]", SIDE_BY_SIDE_NO_CACHE="1")
    assert counts == {"rendered": [0, 0], "searched": [0, 0], "templated": [0, 0]}


# Serve-like steps in one child process: a build; a bad edit (the build stops); the fix; a hook reload
# as site_swap does it when a hook file is saved. Prints each build's cache counts.
STEPS = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.config.config_options import Hooks

    project, site = Path(sys.argv[1]), sys.argv[2]
    lean = project / "docs" / "concepts" / "lean.md"
    good = lean.read_text(encoding="utf-8")
    counts = {}

    def run(name):
        config = load_config(str(project / "mkdocs.yml"), site_dir=site)
        try:
            build(config)
        except Exception as err:
            config.plugins.on_build_error(error=err)  # as serve's builder does
            counts[name] = "failed"
            return
        cache = next(p for n, p in config.plugins.items() if n.endswith("build_cache.py"))
        counts[name] = cache.last_counts()

    run("first")
    lean.write_text(good.replace("  scope:", "  scoop:", 1), encoding="utf-8")
    run("broken")
    lean.write_text(good.replace("Lean is a management system", "Lean, fixed, is a management system", 1),
                    encoding="utf-8")
    run("fixed")
    Hooks._load_hook.cache_clear()
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", "")).startswith(str(project / "hooks")):
            del sys.modules[name]
    run("reloaded")
    print(json.dumps(counts))
""")


def test_a_failed_build_and_a_hook_reload_keep_the_cache_working(project, tmp_path):
    """After a bad edit is fixed, the rebuild reuses the pages the edit did not touch; after the hooks'
    code is reloaded, the new code's cache is the one searched and counted (the search plugin outlives it)."""
    counts = run_child(STEPS, str(project), str(tmp_path / "site"))
    assert counts["broken"] == "failed"
    (reused, converted), (found, indexed) = counts["fixed"]["rendered"], counts["fixed"]["searched"]
    assert reused > 40 and 0 < converted < 20, counts  # the pages showing the Lean record, not all
    assert found > 40 and 0 < indexed < 20, counts
    assert counts["fixed"]["templated"][0] > 40, counts
    # The reloaded module starts empty and counts every page: its own store, not the old one's.
    pages = sum(counts["first"]["rendered"])
    assert counts["reloaded"]["rendered"] == [0, pages], counts
    assert counts["reloaded"]["searched"] == [0, pages], counts
    assert counts["reloaded"]["templated"] == [0, pages], counts


# A build as the CLI runs it: MkDocs tells the hooks the command first.
AS_COMMAND = textwrap.dedent("""
    import json, sys
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(sys.argv[1], site_dir=sys.argv[2])  # loads the hooks and what they import
    keys, made = sys.modules["cache_keys"], []  # the keys build_cache makes, by kind

    def counted(name):
        original = getattr(keys, name)
        return lambda *args: made.append(name) or original(*args)

    for name in ("theme_fingerprint", "files_fingerprint", "markdown_fingerprint", "page_fingerprint"):
        setattr(keys, name, counted(name))
    config.plugins.on_startup(command=sys.argv[3], dirty=False)
    build(config)
    cache = next(p for name, p in config.plugins.items() if name.endswith("build_cache.py"))
    print(json.dumps({"counts": cache.last_counts(), "keys": sorted(set(made))}))
""")


def test_a_one_off_build_keeps_nothing_in_memory_and_serve_keeps_every_page(project, tmp_path):
    """`mkdocs build` makes no key (the theme's alone reads every file of Material); serve keeps each page."""
    def run(command: str) -> dict:
        return run_child(AS_COMMAND, str(project / "mkdocs.yml"), str(tmp_path / command), command, **EPOCH)

    one_off, serve = run("build"), run("serve")
    assert one_off == {"counts": {"rendered": [0, 0], "searched": [0, 0], "templated": [0, 0]}, "keys": []}
    assert serve["keys"] == ["files_fingerprint", "markdown_fingerprint", "page_fingerprint", "theme_fingerprint"], serve
    assert all(reused == 0 and new > 40 for reused, new in serve["counts"].values()), serve  # every page, made anew
    assert differing(tmp_path / "build", tmp_path / "serve") == []


# --------------------------------------------------------------------------- templates kept on disk

# A build in a new process, as `mkdocs build` runs; prints the templates Jinja compiled for the pages
# (the environment that has the build cache: Material's search plugin compiles its own few apart).
COMPILES = textwrap.dedent("""
    import json, sys
    import jinja2
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    compiled = []
    original = jinja2.Environment.compile

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if self.bytecode_cache is not None:
            compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    jinja2.Environment.compile = compile
    build(load_config(sys.argv[1], site_dir=sys.argv[2]))
    print(json.dumps(compiled))
""")


def test_a_new_build_loads_the_templates_the_last_one_compiled_and_compiles_an_edited_one_again(project, tmp_path):
    def compiled(site: str, **env: str) -> list[str]:
        return run_child(COMPILES, str(project / "mkdocs.yml"), str(tmp_path / site), **EPOCH, **env)

    assert compiled("off", SIDE_BY_SIDE_NO_CACHE="1") == []  # no cache given to Jinja at all
    assert (tmp_path / "off" / "index.html").is_file() and not (project / ".cache").exists()
    first = compiled("first")
    assert {"main.html", "base.html", "partials/header.html"} <= set(first), first
    assert list((project / ".cache" / "jinja").glob("__jinja2_*.cache"))
    assert compiled("second") == []  # every template from the files the first build wrote
    assert differing(tmp_path / "first", tmp_path / "second") == []

    # An edited override is compiled again, and the pages show the edit.
    edit(project / "overrides" / "main.html", '<p class="print-meta">Printed from',
         '<p class="print-meta">Printed (disk cache test) from')
    assert compiled("edited") == ["main.html"]
    assert "Printed (disk cache test) from" in (tmp_path / "edited" / "index.html").read_text(encoding="utf-8")

    # Damaged files are compiled again; a folder that cannot be written leaves the build as it was.
    for file in (project / ".cache" / "jinja").glob("__jinja2_*.cache"):
        file.write_bytes(file.read_bytes()[:40] + b"not bytecode")
    assert set(compiled("damaged")) == set(first)
    assert compiled("repaired") == []
    shutil.rmtree(project / ".cache")
    (project / ".cache").write_text("a file where the folder would go", encoding="utf-8")
    assert set(compiled("unwritable")) == set(first)
    assert differing(tmp_path / "edited", tmp_path / "unwritable") == []
    result = run_mkdocs("build", "--strict", "--site-dir", str(tmp_path / "cold"), cwd=project,
                        env={"SIDE_BY_SIDE_NO_CACHE": "1", **EPOCH})
    assert result.returncode == 0, result.stderr
    assert differing(tmp_path / "cold", tmp_path / "repaired") == []


# --------------------------------------------------------------------------- under mkdocs serve

_LIVERELOAD = re.compile(r"<script>(?:(?!</script>).)*</script>(?=</body>)", re.DOTALL)


def pages(base: str) -> dict[str, str]:
    """Every page in the served sitemap -> its HTML, without the script the dev server injects."""
    with urllib.request.urlopen(base + "sitemap.xml", timeout=60) as response:
        sitemap = response.read().decode("utf-8")
    urls = re.findall(r"<loc>[^<]*?//[^/]+/([^<]*)</loc>", sitemap)
    assert len(urls) > 40, urls
    return {url: _LIVERELOAD.sub("", fetch(base + url)[1]) for url in urls}


def test_under_serve_a_record_edit_reaches_every_page_showing_it_and_nothing_else_changes(project):
    lean = concept(project)
    edit(lean, LEAN_DEFINITION, '  definition: "Lean, as first served, is a management system')
    with serving(project) as (server, base, log):
        wait_for(lambda: "as first served" in fetch(base + "concepts/lean/")[1], "the first build", timeout=120)
        before = pages(base)
        showing = {url for url, html in before.items() if "Lean, as first served, is" in html}
        assert {"concepts/lean/", "compare/lean-vs-process-improvement/", "compare/lean-vs-six-sigma/"} <= showing
        assert len(showing) >= 9, sorted(showing)  # the concept, and a table for each of its pairs

        # 1. A record edit: every page that showed the record shows the edit.
        edit(lean, "Lean, as first served, is", "Lean, as edited under serve, is")
        wait_for(lambda: "as edited under serve" in fetch(base + "concepts/lean/")[1], "the rebuild")
        after = pages(base)
        stale = sorted(url for url in showing if "Lean, as edited under serve, is" not in after[url]
                       or "as first served" in after[url])
        assert stale == []

        # 2. An unrelated edit (another concept's prose): the pages showing Lean stay as they were.
        other = concept(project, "performance-management")
        edit(other, "\n## ", "\nA paragraph added under serve.\n\n## ")
        wait_for(lambda: "A paragraph added under serve." in fetch(base + "concepts/performance-management/")[1],
                 "the second rebuild")
        again = pages(base)
        changed = sorted(url for url in showing if again[url] != after[url])
        assert changed == []
        assert again["concepts/performance-management/"] != after["concepts/performance-management/"]
        assert server.poll() is None
        assert "Traceback" not in log.read_text()


def test_extensions_that_read_other_files_turn_the_conversion_cache_off():
    """A page that includes another file changes when that file does: its Markdown alone is no key."""
    from mkdocs.config import load_config

    import build_cache
    from conftest import ROOT

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert build_cache.markdown_fingerprint(config) is not None
    for name in ("pymdownx.snippets", "markdown_include.include", "pymdownx.b64"):
        config.markdown_extensions.append(name)
        assert build_cache.markdown_fingerprint(config) is None, name
        config.markdown_extensions.remove(name)
    # Nor is the theme's output kept then: templates print Markdown options (the toc title), which
    # are keyed only through that fingerprint.
    saved = dict(build_cache._state)
    try:
        for markdown, kept in ((None, False), ("a fingerprint", True)):
            build_cache._state.update(markdown=markdown, files="a file list")
            env = config.theme.get_env()
            build_cache.on_env(env, config=config, files=None)
            assert (env.template_class is build_cache._PageTemplate) is kept, markdown
    finally:
        build_cache._state.update(saved)
