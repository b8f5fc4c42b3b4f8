"""Build-time benchmark for the concept hook (not collected by pytest: the file is not named test_*.py).

    NO_MKDOCS_2_WARNING=1 python tests/perf/bench_build.py --sizes 10,100,1000
    python tests/perf/bench_build.py --real-only          # only the real-site ratio
    python tests/perf/bench_build.py --sizes 10 --no-real # only the synthetic sites

For each size N it writes a synthetic site into a temporary folder: N concept pages whose records
fill every attribute of the real data/schema.yml (read from the file, so a new attribute is picked up
without editing this script), 2N comparisons of distinct pairs (`<a>-vs-<b>.md`), a home page and a
glossary page using the site markers, the real data/schema.yml and data/glossary.yml, and an
mkdocs.yml derived from the real one whose `hooks:` points at the real hooks/concept_site.py.
It builds that site in-process twice, with the hook and with the same Markdown and mkdocs.yml minus
`hooks:` (the markers then stay HTML comments), and prints one line per size:

    concepts=N comparisons=M hook_ms=X build_s=Y plain_build_s=Z

hook_ms is measured by the hook itself (`_timed` around each event, read with `hook_seconds()` from
the module MkDocs loaded for that build); build_s and plain_build_s are wall-clock times of
load_config + build. With --repeat R each build runs R times (alternating) and the minimum is shown.

Then it builds the real site alternately with and without the hook (--real-runs times each) and
prints `real_site hook_build_s=... plain_build_s=... ratio=...` (medians; ratio = median of the
per-pair ratios). The plain build of the real site is not strict: its markers are left as comments.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

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
    front = yaml.safe_dump({"concept": record}, sort_keys=False, allow_unicode=True)
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
    """The real mkdocs.yml, with absolute theme overrides, no watch, and hooks only if asked.

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
    real.pop("hooks", None)
    if hook:
        real["hooks"] = [str(HOOK)]
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


def timed_build(config_file: Path, site_dir: Path, **overrides) -> tuple[float, float | None]:
    """Load the config and build in-process: (wall seconds, seconds inside the hook or None)."""
    gc.collect()
    start = time.perf_counter()
    config = load_config(str(config_file), site_dir=str(site_dir), **overrides)
    build(config)
    elapsed = time.perf_counter() - start
    hook_s = None
    for module in (config.hooks or {}).values():
        if hasattr(module, "hook_seconds"):
            hook_s = module.hook_seconds()
    return elapsed, hook_s


def bench_size(n: int, repeat: int, keep: bool, full_nav: bool = False) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-{n}-"))
    try:
        concepts, comparisons = write_site(folder, n, full_nav)
        builds, hooks, plains = [], [], []
        for _ in range(repeat):
            seconds, hook_s = timed_build(folder / "mkdocs.yml", folder / "site-hook")
            if hook_s is None:
                raise SystemExit("the hook did not report its time (hook_seconds() missing?)")
            builds.append(seconds)
            hooks.append(hook_s)
            seconds, none = timed_build(folder / "mkdocs-plain.yml", folder / "site-plain")
            assert none is None, "the plain build loaded the hook"
            plains.append(seconds)
        return {"n": concepts, "m": comparisons, "hook_s": min(hooks), "build_s": min(builds),
                "plain_s": min(plains), "pages": concepts + comparisons + 4, "folder": folder}
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def bench_real(runs: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-real-"))
    hook_times, plain_times, hook_inside = [], [], []
    try:
        for _ in range(runs):
            seconds, hook_s = timed_build(ROOT / "mkdocs.yml", folder / "hook")
            hook_times.append(seconds)
            hook_inside.append(hook_s or 0.0)
            seconds, _ = timed_build(ROOT / "mkdocs.yml", folder / "plain", hooks=[])
            plain_times.append(seconds)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    ratios = [h / p for h, p in zip(hook_times, plain_times, strict=True)]
    return {"hook_s": statistics.median(hook_times), "plain_s": statistics.median(plain_times),
            "ratio": statistics.median(ratios), "hook_inside_s": statistics.median(hook_inside),
            "hook_runs": hook_times, "plain_runs": plain_times}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="comma-separated concept counts (default 10,100,1000)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="builds per size and variant, alternating; the minimum is shown "
                             "(default 3 below 1000 concepts, 1 from 1000: a shared machine is noisy)")
    parser.add_argument("--real", dest="real", action="store_true", default=True,
                        help="also benchmark the real site (default)")
    parser.add_argument("--no-real", dest="real", action="store_false", help="skip the real site")
    parser.add_argument("--real-only", action="store_true", help="only benchmark the real site")
    parser.add_argument("--real-runs", type=int, default=7, help="builds of the real site per variant (default 7)")
    parser.add_argument("--keep", action="store_true", help="keep the synthetic sites (their folders are printed)")
    parser.add_argument("--full-nav", action="store_true",
                        help="keep MkDocs' automatic nav of every page (quadratic in pages: slow at 1000)")
    parser.add_argument("--verbose", action="store_true", help="show MkDocs' own log")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR, format="%(levelname)s %(message)s")
    logging.getLogger("mkdocs").setLevel(logging.INFO if args.verbose else logging.ERROR)

    sizes = [] if args.real_only else [int(s) for s in args.sizes.split(",") if s.strip()]
    if sizes:
        # Warm up imports, template compilation and the hook module so the first size is not penalised.
        bench_size(5, 1, keep=False, full_nav=args.full_nav)
    results = []
    for n in sizes:
        r = bench_size(n, max(1, args.repeat or (3 if n < 1000 else 1)), args.keep, args.full_nav)
        results.append(r)
        print(f"concepts={r['n']} comparisons={r['m']} hook_ms={r['hook_s'] * 1000:.1f} "
              f"build_s={r['build_s']:.3f} plain_build_s={r['plain_s']:.3f}", flush=True)
    for r in results:
        share = r["hook_s"] / r["build_s"]
        print(f"  detail: concepts={r['n']} pages={r['pages']} hook_share={share:.1%} "
              f"hook_per_page_ms={r['hook_s'] * 1000 / r['pages']:.3f} "
              f"build_over_plain={r['build_s'] / r['plain_s']:.2f}" + (f" kept={r['folder']}" if args.keep else ""))
    by_n = {r["n"]: r for r in results}
    if 100 in by_n and 1000 in by_n:
        growth = by_n[1000]["hook_s"] / by_n[100]["hook_s"]
        print(f"  target: hook_ms(1000)/hook_ms(100)={growth:.1f} (at most 12): {'met' if growth <= 12 else 'MISSED'}")
    if 1000 in by_n:
        share = by_n[1000]["hook_s"] / by_n[1000]["build_s"]
        print(f"  target: hook share of the build at 1000 concepts={share:.1%} (at most 10%): "
              f"{'met' if share <= 0.10 else 'MISSED'}")
    if args.real or args.real_only:
        r = bench_real(max(1, args.real_runs))
        print(f"real_site hook_build_s={r['hook_s']:.3f} plain_build_s={r['plain_s']:.3f} ratio={r['ratio']:.3f}",
              flush=True)
        print(f"  detail: runs={args.real_runs} each, alternating; "
              f"hook_inside_ms(median)={r['hook_inside_s'] * 1000:.1f}; "
              f"hook runs={' '.join(f'{s:.3f}' for s in r['hook_runs'])}; "
              f"plain runs={' '.join(f'{s:.3f}' for s in r['plain_runs'])}")
        print(f"  target: real-site ratio={r['ratio']:.3f} (at most 1.15): {'met' if r['ratio'] <= 1.15 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
