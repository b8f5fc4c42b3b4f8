"""Build-time benchmark for the concept hook (not collected by pytest: the file is not named test_*.py).

    NO_MKDOCS_2_WARNING=1 python tests/perf/bench_build.py --sizes 10,100,300,1000
    python tests/perf/bench_build.py --real-only          # only the real site
    python tests/perf/bench_build.py --sizes 10 --no-real # only the synthetic sites
    python tests/perf/bench_build.py --real-only --real-runs 1 --edit-loop 5   # + save-to-served

For each size N it writes a synthetic site into a temporary folder: N concept pages whose records
fill every attribute of the real data/schema.yml (kinds, applies-to and choices read from the file),
2N comparisons of distinct pairs, a home page and a glossary page using the site markers, the real
data/schema.yml and data/glossary.yml, and an mkdocs.yml derived from the real one, with the real
site's hooks (hooks/concept_site.py and the others: the tooltips' trie pattern, the build cache, the
site swap...). Three variants are built, alternating, each round in one of the six orders (every
order once in each block of six rounds: `build_orders`), each build in a fresh Python process as
`mkdocs build` runs (`--in-process` to reuse one):

- the site with the hook (build_s);
- the **materialized** site (materialized_build_s): the exact Markdown the hook produced for every
  page, with its final front matter, and the files it generated, written out as static files and
  built with the same configuration and extensions without the hook (`materialize`). This is the
  true limit: the hook's own cost is build_s minus this;
- the plain site (plain_build_s): the same sources without the hook (markers left as comments).

All three run the real site's other hooks: a build is compared with the same build minus
concept_site.py, as on the real site.

Seconds are CPU seconds of the building process from loading the configuration to the end of the
build (time.process_time; the machine is shared, wall time is inflated by other work), medians
over the rounds; ratios are medians of per-round ratios.
hook_ms is the hook's own time (wall, measured by the hook around each event). It prints:

    concepts=N comparisons=M pages=P hook_ms=X build_s=Y materialized_build_s=Z plain_build_s=W
    real_site pages=P hook_build_s=Y materialized_build_s=Z plain_build_s=W

followed by detail lines (ratios, cost per page, HTML bytes per page) and the targets.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import logging
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from markupsafe import Markup

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# Every build here is measured as `mkdocs build` runs: told it is a one-off build (on_startup), so
# hooks/build_cache.py keeps nothing in memory, and loading the templates' bytecode that an earlier
# build wrote to .cache/jinja beside its mkdocs.yml (every build after the first does; each variant
# starts with it, see `warm_templates`). --cold-templates compiles them in every build, as the first
# build after a clone does. This process builds (materialize) with the build cache off; the edit loop
# runs `mkdocs serve` in a child process with it on, as a reader's would.
COLD_TEMPLATES = False
# Builds run as in a default Python, which keeps the compiled hooks in hooks/__pycache__: MkDocs,
# Material and the extensions come precompiled from their wheels, so a variable that turns the cache
# off (some containers set it) would charge the hook variant alone for compiling 5,000 lines each build.
# --no-bytecode measures with it off.
BYTECODE = True

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.utils import yaml_load  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
HOOK = ROOT / "hooks" / "concept_site.py"
SCHEMA = ROOT / "data" / "schema.yml"
GLOSSARY = ROOT / "data" / "glossary.yml"

# Words for synthetic prose; glossary terms are mixed in so the abbreviation pass has work to do.
WORDS = ["process", "flow", "value", "customer", "team", "measure", "result", "cost", "quality", "time", "work",
         "order", "plan", "capacity", "demand", "supplier", "change", "review", "target", "standard"]
GLOSSARY_WORDS = ("kaizen", "muda", "KPI", "cycle time", "Six Sigma", "DMAIC", "gemba", "OEE", "5S", "kanban")


# --------------------------------------------------------------------------- synthetic site


def _sentence(seed: int, length: int = 14) -> str:
    words = [WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(length)]
    words[length // 2] = GLOSSARY_WORDS[seed % len(GLOSSARY_WORDS)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(seed: int, sentences: int = 5) -> str:
    return " ".join(_sentence(seed + i) for i in range(sentences))


def _slug(i: int) -> str:
    return f"concept-{i:04d}"


def _kind(schema: dict, i: int) -> str | None:
    """The concept's kind (the schema's kinds in turn), or None for a schema without kinds."""
    kinds = [k["key"] for k in schema.get("kinds", [])]
    return kinds[i % len(kinds)] if kinds else None


def _value(attribute: dict, i: int, kind: str | None = None):
    """A valid value for one schema attribute (kind, text, list or choice), varied by concept."""
    type_ = attribute.get("type", "text")
    if type_ == "kind":
        return kind
    if type_ == "text":
        return _sentence(i + len(attribute["key"]))
    if type_ == "list":
        return [f"{WORDS[(i + k) % len(WORDS)]} {attribute['key']} {k}" for k in range(4)]
    choices = list(attribute["choices"])
    choice = choices[i % len(choices)]
    return choice if attribute.get("multiple", True) is False else [choice]


def _concept_page(i: int, n: int, schema: dict) -> str:
    record: dict = {"name": f"Synthetic concept {i:04d}", "aliases": [f"concept number {i}", f"SC{i:04d}"]}
    kind = _kind(schema, i)
    for attribute in schema["attributes"]:
        if "applies-to" in attribute and kind not in attribute["applies-to"]:
            continue  # a record of another kind must leave the field out
        record[attribute["key"]] = _value(attribute, i, kind)
    relation_keys = [r["key"] for r in schema.get("relations", [])]
    if i > 0 and relation_keys:  # one outgoing relation, to the previous concept: a chain, small degree
        record["relations"] = {relation_keys[i % len(relation_keys)]: [_slug(i - 1)]}
    front = yaml.safe_dump({"concept": record}, sort_keys=False, allow_unicode=True, width=10_000)
    other = _slug((i + 1) % n)
    return (
        f"---\n{front}---\n\n{_paragraph(i)}\n\n<!-- concept:attributes -->\n\n"
        f"## How it works in practice\n\n{_paragraph(i + 1)}\n\n{_paragraph(i + 2)}\n\n"
        f"## How it differs from its neighbors\n\nSee [the next concept]({other}.md). {_paragraph(i + 3)}\n\n"
        "<!-- concept:relations -->\n\n<!-- concept:comparisons -->\n"
    )


def _pairs(n: int) -> list[tuple[int, int]]:
    """2n distinct unordered pairs: (i, i+1) and (i, i+2), modulo n (needs n >= 5)."""
    if n < 5:
        raise SystemExit("sizes must be at least 5 (2N distinct pairs are needed)")
    return [(i, (i + step) % n) for step in (1, 2) for i in range(n)]


def _comparison_page(k: int, a: int, b: int) -> str:
    record = {"comparison": {"concepts": [_slug(a), _slug(b)],
                             "summary": f"How synthetic concept {a} and synthetic concept {b} differ."}}
    front = yaml.safe_dump(record, sort_keys=False)
    return (
        f"---\n{front}---\n\n{_paragraph(k)}\n\n<!-- compare:table -->\n\n"
        f"## What each one is\n\n[One](../concepts/{_slug(a)}.md) and [the other](../concepts/{_slug(b)}.md). "
        f"{_paragraph(k + 1)}\n\n## How they differ\n\n{_paragraph(k + 2)}\n\n{_paragraph(k + 3)}\n\n"
        f"## When to use which\n\n- {_sentence(k)}\n- {_sentence(k + 1)}\n\n<!-- compare:related -->\n"
    )


def _mkdocs_yml(hook: bool, full_nav: bool) -> str:
    """The real mkdocs.yml, with absolute theme overrides and hooks, no watch; without concept_site.py
    unless `hook`.

    Unless full_nav, a short `nav:` (home, the two section indexes, the glossary) replaces the
    automatic one: Material renders the whole navigation into every page, so with thousands of pages
    the automatic nav makes the build quadratic and hides everything else. The other pages are then
    "not in the nav" (an info/warning line from MkDocs, harmless in a non-strict build).
    """
    real = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    if not full_nav:
        real["nav"] = ["index.md", {"Comparisons": "compare/index.md"}, {"Concepts": "concepts/index.md"},
                       {"Glossary": "glossary.md"}]
        real.setdefault("validation", {}).setdefault("nav", {})["omitted_files"] = "info"
    real["site_name"] = "Synthetic benchmark site"
    real["site_url"] = "https://bench.example.org/"
    real["theme"]["custom_dir"] = str(ROOT / real["theme"].get("custom_dir", "overrides"))
    real.pop("watch", None)
    # The real site's hooks, as its own build runs them (the tooltips' trie pattern is one: without it
    # Python-Markdown's `abbr` makes every build, with or without the hook, slower).
    real["hooks"] = [str(ROOT / h) for h in real.get("hooks", []) if hook or Path(h).name != HOOK.name]
    return yaml.safe_dump(real, sort_keys=False, allow_unicode=True)


def write_site(folder: Path, n: int, full_nav: bool = False) -> tuple[int, int]:
    """Write the synthetic site for n concepts; returns (concepts, comparisons)."""
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    docs = folder / "docs"
    (docs / "concepts").mkdir(parents=True)
    (docs / "compare").mkdir()
    (folder / "data").mkdir()
    shutil.copy(SCHEMA, folder / "data" / "schema.yml")
    shutil.copy(GLOSSARY, folder / "data" / "glossary.yml")
    for extra in ("stylesheets", "assets"):
        if (ROOT / "docs" / extra).is_dir():
            shutil.copytree(ROOT / "docs" / extra, docs / extra)
    (docs / "index.md").write_text(
        "# Synthetic site\n\n## The comparisons\n\n<!-- site:comparisons -->\n\n## The concepts\n\n"
        "<!-- site:concepts -->\n\n## How they fit together\n\n<!-- site:map -->\n", encoding="utf-8")
    (docs / "glossary.md").write_text("# Glossary\n\n<!-- site:glossary -->\n", encoding="utf-8")
    (docs / "concepts" / "index.md").write_text("# Concepts\n\n<!-- site:concepts -->\n", encoding="utf-8")
    (docs / "compare" / "index.md").write_text("# Comparisons\n\n<!-- site:comparisons -->\n", encoding="utf-8")
    for i in range(n):
        (docs / "concepts" / f"{_slug(i)}.md").write_text(_concept_page(i, n, schema), encoding="utf-8")
    pairs = _pairs(n)
    for k, (a, b) in enumerate(pairs):
        (docs / "compare" / f"{_slug(a)}-vs-{_slug(b)}.md").write_text(_comparison_page(k, a, b), encoding="utf-8")
    (folder / "mkdocs.yml").write_text(_mkdocs_yml(hook=True, full_nav=full_nav), encoding="utf-8")
    (folder / "mkdocs-plain.yml").write_text(_mkdocs_yml(hook=False, full_nav=full_nav), encoding="utf-8")
    return n, len(pairs)


# --------------------------------------------------------------------------- building


# Each measured build runs in a fresh Python process, as `mkdocs build` does: nothing a build before it
# memoised (the hook's caches, compiled regular expressions, Jinja's templates) makes it cheaper.
# MkDocs itself is imported before the clock starts; the theme, plugins and hooks load inside it.
FRESH_PROCESS = True


def timed_build(config_file: Path, site_dir: Path, **overrides) -> dict:
    """One build, timed (see `build_here`); in a fresh process unless FRESH_PROCESS is off."""
    if not FRESH_PROCESS:
        return build_here(str(config_file), str(site_dir), overrides)
    done = subprocess.run([sys.executable, __file__, "--child", str(config_file), str(site_dir), json.dumps(overrides)],
                          capture_output=True, text=True, check=False, env=child_env())
    if done.returncode != 0:
        raise SystemExit(f"the build of {config_file} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_env() -> dict[str, str]:
    """The environment of a measured process: bytecode cached, or with --no-bytecode never written
    (and none left to read: see main)."""
    env = dict(os.environ)
    if not COLD_TEMPLATES:
        env.pop("SIDE_BY_SIDE_NO_CACHE", None)
    if BYTECODE:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_hooks() -> None:
    """Write the hooks' bytecode once, so that no measured build is the one that compiles them."""
    import compileall
    compileall.compile_dir(str(ROOT / "hooks"), quiet=2)


def build_here(config_file: str, site_dir: str, overrides: dict) -> dict:
    """Load the config and build in this process. CPU seconds of this process (time.process_time: the
    machine is shared, wall time is inflated by other work), wall seconds, seconds inside the hook
    (None without it), and the HTML bytes written."""
    logging.getLogger("mkdocs").setLevel(logging.getLogger("mkdocs").level or logging.ERROR)
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    config = load_config(config_file, site_dir=site_dir, **overrides)
    config.plugins.on_startup(command="build", dirty=False)  # as the CLI's `mkdocs build` does
    build(config)
    config.plugins.on_shutdown()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    hook = _hook_module(config)
    hook_s = hook.hook_seconds() if hook is not None else None
    html = sum(p.stat().st_size for p in Path(site_dir).rglob("*.html"))
    return {"cpu": cpu, "wall": wall, "hook_s": hook_s, "html_bytes": html}


# --------------------------------------------------------------------------- materialized baseline


RECORD_KEYS = ("concept", "comparison")  # front matter the hook consumes


def materialize(config_file: Path, out: Path) -> tuple[Path, int]:
    """Build with the hook once, capturing for every page the Markdown the hooks handed to Markdown
    and its final front matter, and every file the hook generated; write them to `out/docs` as static
    files, and `out/mkdocs.yml`: the same configuration without concept_site.py (the other hooks
    stay; in concept_site.py's place, a small hook gives `abbr` the glossary from a JSON file, as
    the hook gives it, in memory), and the pages the hook kept out of the navigation kept out of it
    (`not_in_nav`: as files, the pair pages would join the automatic navigation, printed in every
    page). Returns (config file, pages)."""
    from mkdocs.structure.files import InclusionLevel
    from mkdocs.structure.pages import Page

    pages: dict[str, tuple[str, dict]] = {}
    generated: dict[str, bytes] = {}
    out_of_nav: list[str] = []  # pages the build left out of the navigation (the hook's pair pages)
    render = Page.render

    def capture(self, config, files):
        pages[self.file.src_uri] = (self.markdown, dict(self.meta))
        if self.file.inclusion is InclusionLevel.NOT_IN_NAV:
            out_of_nav.append(self.file.src_uri)
        for file in files:
            if file.generated_by and not file.is_documentation_page():
                generated[file.src_uri] = file.content_bytes
        return render(self, config, files)

    Page.render = capture
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = load_config(str(config_file), site_dir=str(Path(tmp) / "site"))
            build(config)
    finally:
        Page.render = render
    source_docs = Path(config.docs_dir)
    docs = out / "docs"
    shutil.copytree(source_docs, docs, ignore=shutil.ignore_patterns("*.md"))
    markup: dict[str, list[str]] = {}  # page -> its front matter values the hook marked safe for Jinja
    for src_uri, (markdown_text, meta) in pages.items():
        front = {k: _plain(v) for k, v in meta.items() if k not in RECORD_KEYS}
        marked = [k for k, v in meta.items() if k in front and isinstance(v, Markup)]
        if marked:  # escaped by the hook already: the materialized build marks them again (see its hook)
            markup[src_uri] = marked
        target = docs / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        header = f"---\n{yaml.safe_dump(front, sort_keys=False, allow_unicode=True)}---\n\n" if front else ""
        target.write_text(header + markdown_text, encoding="utf-8")
    for src_uri, content in generated.items():
        target = docs / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    raw = yaml_load(Path(config_file).read_text(encoding="utf-8"))
    raw["docs_dir"] = str(docs)
    # The glossary reaches abbr as the hook gives it, in memory: a small hook in concept_site.py's
    # place reads it from JSON. (Written into mkdocs.yml, MkDocs' YAML reader took about 85 ms more
    # per build for the real glossary's 178 KB, a handicap of the materialized build, not a cost of
    # the hook.)
    (out / GLOSSARY_JSON).write_text(json.dumps({"glossary": _glossary(config), "markup": markup, **_glossary_pages(config)},
                                                ensure_ascii=False), encoding="utf-8")
    (out / GLOSSARY_HOOK).write_text(_GLOSSARY_HOOK_TEXT, encoding="utf-8")
    raw["hooks"] = [str(out / GLOSSARY_HOOK) if h.endswith("concept_site.py") else
                    str(Path(config_file).parent / h) if not os.path.isabs(h) else h
                    for h in raw.get("hooks", [])]
    raw.pop("watch", None)
    if out_of_nav:  # written out as files, they would join the automatic navigation of every page
        raw["not_in_nav"] = "\n".join(filter(None, [raw.get("not_in_nav", ""), *(f"/{uri}" for uri in sorted(out_of_nav))]))
    theme = raw.get("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir") and not os.path.isabs(theme["custom_dir"]):
        theme["custom_dir"] = str(Path(config_file).parent / theme["custom_dir"])
    config_out = out / "mkdocs.yml"
    config_out.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return config_out, len(pages)


GLOSSARY_JSON = "glossary.json"
GLOSSARY_HOOK = "materialized_glossary.py"
_GLOSSARY_HOOK_TEXT = f'''"""Written by bench_build.materialize: abbr's glossary, as concept_site.py gives it, and
the glossary page without its own tooltips, as concept_site.py makes it; front matter values that
concept_site.py escaped itself marked safe for Jinja again (the front matter is plain text)."""
import json
import os
import re

from markupsafe import Markup

_PAGES = set()
_STRIP = []
_MARKUP = {{}}


def on_config(config):
    with open(os.path.join(os.path.dirname(__file__), "{GLOSSARY_JSON}"), encoding="utf-8") as f:
        found = json.load(f)
    _PAGES.update(found["pages"])
    _MARKUP.update(found["markup"])
    _STRIP[:] = [(re.compile(pattern, flags), replacement) for pattern, flags, replacement in found["strip"]]
    if "abbr" not in config.markdown_extensions:
        config.markdown_extensions.append("abbr")
    config.mdx_configs["abbr"] = {{**config.mdx_configs.get("abbr", {{}}), "glossary": found["glossary"]}}
    return config


def on_page_markdown(markdown, page, config, files):
    for key in _MARKUP.get(page.file.src_uri, ()):
        page.meta[key] = Markup(page.meta[key])
    return markdown


def on_page_content(html, page, config, files):
    if page.url in _PAGES:
        for pattern, replacement in _STRIP:
            html = pattern.sub(replacement, html)
    return html
'''


def _plain(value):
    """Front matter values as plain YAML types (the hook may set str subclasses such as Markup)."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _hook_module(config):
    """concept_site.py as this build loaded it (the hook that reports its time), or None without it."""
    return next((m for m in (config.hooks or {}).values() if hasattr(m, "hook_seconds")), None)


def _glossary(config) -> dict:
    """The glossary the hook gave to abbr (as an option, or inside the extension put in its place),
    with the definitions in place of the keys the hook fills in after conversion."""
    glossary: dict = {}
    if "abbr" in config.mdx_configs:
        glossary = config.mdx_configs["abbr"].get("glossary", {})
    for ext in config.markdown_extensions:
        if not isinstance(ext, str) and type(ext).__name__.endswith("AbbrExtension"):
            glossary = ext.getConfig("glossary")
    hook = _hook_module(config)
    model = hook._require().model if hook is not None else None
    if model is not None and model.glossary:
        definitions = sys.modules["concept_glossary"].keyed_definitions(model.glossary)
        glossary = {form: definitions.get(value, value) for form, value in glossary.items()}
    return glossary


def _glossary_pages(config) -> dict:
    """The pages listing the glossary, and the substitutions the hook makes in them after conversion
    (concept_site.on_page_content: no tooltips and no term permalinks where every definition is in
    view). A static build with the same extensions can make that page only with the same step after
    conversion, so the materialized build takes it too: without it, that page is larger than the
    hook's, and its search entries and template cost the materialized build more than the hook's."""
    hook = _hook_module(config)
    if hook is None:
        return {"pages": [], "strip": []}
    permalink = sys.modules["concept_glossary"]._PERMALINK
    return {"pages": sorted(hook._require().glossary_urls),
            "strip": [(hook._ABBR_TAGS.pattern, hook._ABBR_TAGS.flags, ""), (permalink.pattern, permalink.flags, r"\1")]}


def _round_ratios(a: list[dict], b: list[dict]) -> list[float]:
    """Each round's CPU seconds of one variant over another's, in the order run."""
    return [x["cpu"] / y["cpu"] for x, y in zip(a, b, strict=True)]


def median_interval(values: list[float], confidence: float = 0.95) -> tuple[float, float, float]:
    """A distribution-free interval for the median of what `values` sample: (low, high, coverage).

    Between the j-th smallest and the j-th largest value, with the largest j whose chance of leaving
    the median out, 2 * P(Binomial(n, 1/2) < j), is at most 1 - confidence; that chance taken from
    1 is the coverage. Too few values for any such j: the smallest and the largest, with their
    (lower) coverage. Nothing is assumed of the noise but that the rounds are alike and independent.
    """
    ordered, n = sorted(values), len(values)
    if n == 0:
        raise ValueError("no values")
    j, miss = 1, 2 / 2 ** n  # [j-th smallest, j-th largest] leaves the median out with chance 2 * P(B < j)
    while j + 1 <= n - j and miss + 2 * math.comb(n, j) / 2 ** n <= 1 - confidence:
        miss += 2 * math.comb(n, j) / 2 ** n
        j += 1
    return ordered[j - 1], ordered[n - j], 1 - miss


def verdict(values: list[float], limit: float, confidence: float = 0.95) -> str:
    """Whether the median of `values` is at most `limit`, and whether the noise lets the rounds say so."""
    median = statistics.median(values)
    low, high, coverage = median_interval(values, confidence)
    interval = f"{coverage:.0%} interval for the median {low:.3f} to {high:.3f}, {len(values)} rounds"
    side = "met" if median <= limit else "MISSED"
    if coverage < confidence:
        return f"{side} by the median ({interval}: too few rounds to decide at {confidence:.0%})"
    if high <= limit or low > limit:
        return f"{side} ({interval})"
    return f"{side} by the median, within the noise ({interval}: more rounds or a quieter machine to decide)"


def warm_templates(variants: dict[str, tuple[Path, Path, dict]]) -> None:
    """One build (not measured) writes the templates' bytecode beside the first variant's mkdocs.yml;
    copied beside every other variant's, so that no measured build is the one that compiles them.
    (A template's key is its name, its file and the Jinja Environment's filters and options: the same in
    every variant, whose other hooks add none.)"""
    if COLD_TEMPLATES or not FRESH_PROCESS:  # in this process the build cache is off (see main)
        return
    first, *others = variants.values()
    timed_build(first[0], first[1], **first[2])
    cache = first[0].parent / ".cache" / "jinja"
    if not cache.is_dir():
        raise SystemExit(f"the first build wrote no compiled templates to {cache}")
    for config_file, _, _ in others:
        if config_file.parent != first[0].parent:
            shutil.copytree(cache, config_file.parent / ".cache" / "jinja", dirs_exist_ok=True)


def build_orders(names: list[str], rounds: int, seed: int = 0) -> list[tuple[str, ...]]:
    """The order of the variants in each round: every ordering once in each block of len(names)!
    rounds, the block's rounds shuffled (a seeded shuffle: the same run, the same orders).

    Each variant is first, last and right after each other variant equally often in every whole
    block, and no order repeats with a fixed period: a rotation used only three of the six orders of
    three variants (the materialized build always right after the hook's or first), and the order
    came back every third round, so a disturbance of the host with a like period could favour one.
    """
    every = list(itertools.permutations(names))
    shuffle = random.Random(seed).shuffle
    orders: list[tuple[str, ...]] = []
    while len(orders) < rounds:
        block = every[:]
        shuffle(block)
        orders += block
    return orders[:rounds]


def bench_variants(variants: dict[str, tuple[Path, Path, dict]], rounds: int) -> dict[str, list[dict]]:
    """Build each variant `rounds` times, alternating, in the orders of `build_orders`."""
    warm_templates(variants)
    names = list(variants)
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for order in build_orders(names, rounds):
        for position, name in enumerate(order):
            config_file, site_dir, overrides = variants[name]
            runs[name].append({**timed_build(config_file, site_dir, **overrides), "position": position})
    return runs


def bench_size(n: int, rounds: int, keep: bool, full_nav: bool = False) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-{n}-"))
    try:
        concepts, comparisons = write_site(folder, n, full_nav)
        mat_config, pages = materialize(folder / "mkdocs.yml", folder / "materialized")
        runs = bench_variants({"hook": (folder / "mkdocs.yml", folder / "site-hook", {}),
                               "mat": (mat_config, folder / "site-mat", {}),
                               "plain": (folder / "mkdocs-plain.yml", folder / "site-plain", {})}, rounds)
        if any(r["hook_s"] is None for r in runs["hook"]):
            raise SystemExit("the hook did not report its time (hook_seconds() missing?)")
        if any(r["hook_s"] is not None for r in runs["mat"] + runs["plain"]):
            raise SystemExit("a build without the hook loaded it")
        return {"n": concepts, "m": comparisons, "pages": pages, "runs": runs, "folder": folder}
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def bench_real(rounds: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-real-"))
    try:
        mat_config, pages = materialize(ROOT / "mkdocs.yml", folder / "materialized")
        plain_hooks = [str(ROOT / h) for h in yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8")).get("hooks", [])
                       if not h.endswith("concept_site.py")]
        runs = bench_variants({"hook": (ROOT / "mkdocs.yml", folder / "hook", {}),
                               "mat": (mat_config, folder / "mat", {}),
                               "plain": (ROOT / "mkdocs.yml", folder / "plain", {"hooks": plain_hooks})}, rounds)
        return {"pages": pages, "runs": runs}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def order_effect(runs: dict[str, list[dict]]) -> str:
    """The rounds' build/materialized ratios split by which of the two builds ran first in its round:
    medians far apart say the order, not the hook, moves the ratio."""
    split: dict[bool, list[float]] = {True: [], False: []}
    for hook, mat in zip(runs["hook"], runs["mat"], strict=True):
        split[hook["position"] < mat["position"]].append(hook["cpu"] / mat["cpu"])
    return " ".join(f"{label}={statistics.median(values):.3f} ({len(values)} rounds)"
                    for label, values in (("hook_first", split[True]), ("materialized_first", split[False])) if values)


def summary(runs: dict[str, list[dict]]) -> dict:
    """Medians of each variant's CPU seconds; the rounds' ratios (`mat_ratios`: build / materialized,
    whose median is `hook_over_mat`, the one reported, not the ratio of the medians)."""
    med = {name: statistics.median(r["cpu"] for r in values) for name, values in runs.items()}
    mat_ratios = _round_ratios(runs["hook"], runs["mat"])
    return {**med, "hook_ms": 1000 * statistics.median(r["hook_s"] for r in runs["hook"]),
            "mat_ratios": mat_ratios, "hook_over_mat": statistics.median(mat_ratios),
            "hook_over_plain": statistics.median(_round_ratios(runs["hook"], runs["plain"])),
            "html_bytes": runs["hook"][-1]["html_bytes"], "wall_hook": statistics.median(r["wall"] for r in runs["hook"])}


# --------------------------------------------------------------------------- editing loop

# (kind, file to edit, line the edit goes into (its first line starting so), page that must show it).
# The new word goes before the line's closing '."', so the sentence stays valid content.
EDITS = [
    ("record", "docs/concepts/lean.md", '  definition: "', "concepts/lean/"),
    ("prose", "docs/concepts/lean.md", "Lean thinking is often summed up", "concepts/lean/"),
    ("glossary", "data/glossary.yml", '    definition: "', "glossary/"),
]


def _insert(text: str, line_start: str, word: str) -> str | None:
    """The text with `word` added at the end of the first line starting with `line_start`."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(line_start):
            cut = line.rfind(".")
            if cut < 0:
                return None
            lines[i] = line[:cut] + f", {word}" + line[cut:]
            return "\n".join(lines)
    return None


# The same kinds of edit on a synthetic site (its concept 1, its glossary: a copy of the real one).
SYNTHETIC_EDITS = [
    ("record", f"docs/concepts/{_slug(1)}.md", "  definition: ", f"concepts/{_slug(1)}/"),
    ("prose", f"docs/concepts/{_slug(1)}.md", _paragraph(2)[:40], f"concepts/{_slug(1)}/"),  # its second paragraph
    ("glossary", "data/glossary.yml", '    definition: "', "glossary/"),
]


def synthetic_project(folder: Path, n: int) -> Path:
    """The synthetic site for n concepts, served as the real one is: every hook of the real mkdocs.yml."""
    project = folder / "project"
    write_site(project, n)
    config = yaml_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["watch"] = ["data"]  # as the real site: a glossary edit rebuilds
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return project


def edit_loop(edits: int, port: int = 18537, concepts: int | None = None) -> dict[str, list[float]]:
    """Save-to-served latency under `mkdocs serve` on a copy of the real site (or on the synthetic
    site for `concepts`): for each kind of edit, insert a new word into the file and time until the
    page served holds it (polled every 10 ms)."""
    import subprocess
    import urllib.request

    folder = Path(tempfile.mkdtemp(prefix="bench-edit-"))
    if concepts is None:
        project = folder / "project"
        shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".git", "node_modules", "site", ".venv", ".*cache*"))
        kinds = EDITS
    else:
        project = synthetic_project(folder, concepts)
        kinds = SYNTHETIC_EDITS
    # Not --no-livereload: in MkDocs 1.6 that flag also turns off the file watcher, so nothing rebuilds.
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**{k: v for k, v in child_env().items() if k != "SIDE_BY_SIDE_NO_CACHE"},
                                   "NO_MKDOCS_2_WARNING": "1"})

    def fetch(url: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{url}", timeout=60) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    latencies: dict[str, list[float]] = {kind: [] for kind, *_ in kinds}
    try:
        deadline = time.monotonic() + 1800
        while "</html>" not in fetch("") and time.monotonic() < deadline:
            time.sleep(0.2)
        for round_ in range(edits):
            for kind, path, anchor, url in kinds:
                word = f"Editword{round_}{kind}"
                target = project / path
                edited = _insert(target.read_text(encoding="utf-8"), anchor, word)
                if edited is None:
                    raise SystemExit(f"edit loop: {path} has no line starting {anchor!r}: update EDITS")
                time.sleep(1.0 if concepts is None else 5.0)  # let the previous rebuild settle
                start = time.perf_counter()
                target.write_text(edited, encoding="utf-8")
                while word not in fetch(url):
                    if time.perf_counter() - start > (60 if concepts is None else 600):
                        raise SystemExit(f"edit loop: {url} did not show the {kind} edit within 600 s: the server "
                                         "did not rebuild (is MkDocs' file watcher working on this machine?)")
                    time.sleep(0.01)
                latencies[kind].append(time.perf_counter() - start)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    return latencies


def _cpus(runs: list[dict]) -> str:
    return " ".join(f"{x['cpu']:.3f}" for x in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="comma-separated concept counts (default 10,100,1000)")
    parser.add_argument("--rounds", type=int, default=None,
                        help="builds per size and variant, alternating; medians are shown "
                             "(default 5 below 300 concepts, 3 at 300, 1 from 1000)")
    parser.add_argument("--real", dest="real", action="store_true", default=True,
                        help="also benchmark the real site (default)")
    parser.add_argument("--no-real", dest="real", action="store_false", help="skip the real site")
    parser.add_argument("--real-only", action="store_true", help="only benchmark the real site")
    parser.add_argument("--real-runs", type=int, default=7, help="rounds on the real site (default 7)")
    parser.add_argument("--keep", action="store_true", help="keep the synthetic sites (their folders are printed)")
    parser.add_argument("--full-nav", action="store_true",
                        help="keep MkDocs' automatic nav of every page (quadratic in pages: slow at 1000)")
    parser.add_argument("--edit-loop", type=int, metavar="EDITS", default=0,
                        help="also time save-to-served under `mkdocs serve` on the real site, EDITS edits of each kind")
    parser.add_argument("--edit-loop-sizes", default="", metavar="N,N",
                        help="with --edit-loop, also time it on the synthetic site of each size (e.g. 300)")
    parser.add_argument("--in-process", action="store_true",
                        help="build every variant in this process (faster, but later rounds reuse what earlier "
                             "builds memoised: not a one-off build's time; templates compiled in every build)")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="build with no compiled hooks (hooks/__pycache__ removed, PYTHONDONTWRITEBYTECODE "
                             "set): the hooks compile from source in every build")
    parser.add_argument("--cold-templates", action="store_true",
                        help="compile the templates in every build, as the first build after a clone does "
                             "(default: load the bytecode an earlier build wrote, as every later build does)")
    parser.add_argument("--verbose", action="store_true", help="show MkDocs' own log")
    parser.add_argument("--child", nargs=3, metavar=("CONFIG", "SITE_DIR", "OVERRIDES"),
                        help="(used by the benchmark itself) build once in this process and print the timings as JSON")
    args = parser.parse_args(argv)
    global FRESH_PROCESS, BYTECODE, COLD_TEMPLATES
    FRESH_PROCESS = not args.in_process
    BYTECODE = not args.no_bytecode
    COLD_TEMPLATES = args.cold_templates
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR, format="%(levelname)s %(message)s")
    logging.getLogger("mkdocs").setLevel(logging.INFO if args.verbose else logging.ERROR)
    if args.child:
        config_file, site_dir, overrides = args.child
        print(json.dumps(build_here(config_file, site_dir, json.loads(overrides))))
        return 0
    os.environ["SIDE_BY_SIDE_NO_CACHE"] = "1"  # this process's builds (see COLD_TEMPLATES); children: child_env
    if BYTECODE:
        compile_hooks()
    else:  # neither written nor read: no compiled hooks left for any build to find
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        sys.dont_write_bytecode = True
        shutil.rmtree(ROOT / "hooks" / "__pycache__", ignore_errors=True)
    print(f"# cores={os.cpu_count()} load={os.getloadavg()[0]:.1f}; seconds are CPU seconds of each build's process "
          "(time.process_time), medians of alternating rounds; hooks' bytecode "
          + ("cached, as by default" if BYTECODE else "compiled in every build (--no-bytecode)")
          + "; templates' bytecode " + ("compiled in every build (--cold-templates)" if COLD_TEMPLATES
                                        else "loaded from .cache/jinja, as in every build after the first"), flush=True)

    sizes = [] if args.real_only else [int(s) for s in args.sizes.split(",") if s.strip()]
    if sizes:
        # Warm up imports, template compilation and the hook module so the first size is not penalised.
        bench_size(5, 1, keep=False, full_nav=args.full_nav)
    results = []
    for n in sizes:
        rounds = max(1, args.rounds or (5 if n < 300 else 3 if n < 1000 else 1))
        r = bench_size(n, rounds, args.keep, args.full_nav)
        m = summary(r["runs"])
        r["summary"] = m
        results.append(r)
        print(f"concepts={r['n']} comparisons={r['m']} pages={r['pages']} hook_ms={m['hook_ms']:.1f} "
              f"build_s={m['hook']:.3f} materialized_build_s={m['mat']:.3f} plain_build_s={m['plain']:.3f}", flush=True)
        print(f"  detail: rounds={rounds} build/materialized={m['hook_over_mat']:.3f} build/plain={m['hook_over_plain']:.3f} "
              f"per_page_ms={1000 * m['hook'] / r['pages']:.1f} html_kb_per_page={m['html_bytes'] / 1024 / r['pages']:.1f} "
              f"wall_build_s={m['wall_hook']:.2f}" + (f" kept={r['folder']}" if args.keep else ""), flush=True)
        print(f"  rounds: build/materialized={' '.join(f'{x:.3f}' for x in m['mat_ratios'])}; "
              f"hook's own time / materialized build={m['hook_ms'] / 1000 / m['mat']:.3f}; "
              f"order: {order_effect(r['runs'])}", flush=True)
    by_n = {r["n"]: r for r in results}
    for r in results:
        m = r["summary"]
        print(f"  target: concepts={r['n']} build/materialized={m['hook_over_mat']:.3f} (at most 1.05): "
              f"{verdict(m['mat_ratios'], 1.05)}")
    if 100 in by_n:
        def growth(n: int, variant: str) -> float:
            """Cost per page at n concepts over the cost per page at 100, for one variant."""
            per_page = {k: by_n[k]["summary"][variant] / by_n[k]["pages"] for k in (n, 100)}
            return per_page[n] / per_page[100]

        for n in sorted(k for k in by_n if k >= 10):
            # The same ratio for the builds without the hook: a build's fixed cost (MkDocs, Material)
            # weighs on every variant at few pages.
            print(f"  target: per-page cost at {n} = {growth(n, 'hook'):.2f} x the cost at 100 (at most 1.3): "
                  f"{'met' if growth(n, 'hook') <= 1.3 else 'MISSED'}; without the hook: materialized "
                  f"{growth(n, 'mat'):.2f} x, plain {growth(n, 'plain'):.2f} x")
    if args.real or args.real_only:
        r = bench_real(max(1, args.real_runs))
        m = summary(r["runs"])
        print(f"real_site pages={r['pages']} hook_build_s={m['hook']:.3f} materialized_build_s={m['mat']:.3f} "
              f"plain_build_s={m['plain']:.3f}", flush=True)
        print(f"  detail: rounds={args.real_runs} hook_inside_ms={m['hook_ms']:.1f} build/materialized={m['hook_over_mat']:.3f} "
              f"build/plain={m['hook_over_plain']:.3f} html_kb_per_page={m['html_bytes'] / 1024 / r['pages']:.1f}; "
              f"hook runs={_cpus(r['runs']['hook'])}; materialized runs={_cpus(r['runs']['mat'])}")
        print(f"  order: build/materialized {order_effect(r['runs'])}")
        print(f"  target: real-site build/materialized={m['hook_over_mat']:.3f} (at most 1.05): "
              f"{verdict(m['mat_ratios'], 1.05)}")
    if args.edit_loop:
        loops: list[tuple[int | None, str, float]] = [(None, "real site", 1.0)]
        loops += [(int(n), "synthetic site", 5.0 if int(n) <= 300 else 30.0)
                  for n in args.edit_loop_sizes.split(",") if n.strip()]
        for size, where, target in loops:
            concepts = size if size is not None else len(list((ROOT / "docs" / "concepts").glob("*.md"))) - 1
            for kind, values in edit_loop(args.edit_loop, concepts=size).items():
                median = statistics.median(values)
                print(f"edit_loop concepts={concepts} kind={kind} median_s={median:.2f}", flush=True)
                print(f"  detail: {where}, wall seconds, {len(values)} edits: {' '.join(f'{v:.2f}' for v in values)}; "
                      f"target at most {target:g} s: {'met' if median <= target else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
