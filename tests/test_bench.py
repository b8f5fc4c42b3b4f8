"""The build benchmark runs, prints the issue's line, and its baseline is the hook's own output.

tests/perf/bench_build.py is run by hand, not by CI; this runs it at its smallest size so that it
cannot rot unseen, and checks what its main figure rests on: the materialized site (the Markdown the
hook produced, written out and built without the hook) makes the same pages as the hook.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import concept_site
from conftest import ROOT

LINE = re.compile(r"^concepts=5 comparisons=10 pages=(\d+) hook_ms=([\d.]+) build_s=([\d.]+) "
                  r"materialized_build_s=([\d.]+) plain_build_s=([\d.]+)$", re.M)
KEPT = re.compile(r" kept=(\S+)$", re.M)

# What the hook does to a page after Markdown has converted it, which the materialized build (no
# hook) cannot do: its cost is the hook's own. Taken out of both sides before comparing.
HOOK_ONLY = (
    (re.compile(r"built on [0-9-]*\."), "built on DATE."),               # the print line's build date
    (re.compile(r'"search": "[^"]*"'), '"search": WORKER'),              # the page's search worker
)
# The glossary page: its own terms carry no tooltip and no permalink in the hook's build.
GLOSSARY_ONLY = (
    (re.compile(r"<abbr [^>]*>|</abbr>"), ""),
    (re.compile(r'<a class="headerlink" href="#[^"]*" title="Link to this section">&para;</a>'), ""),
)


def _normal(html: str, glossary: bool) -> str:
    for pattern, replacement in HOOK_ONLY + (GLOSSARY_ONLY if glossary else ()):
        html = pattern.sub(replacement, html)
    return html


def test_the_benchmark_compares_the_hook_with_a_build_of_the_pages_it_produced(tmp_path):
    result = subprocess.run([sys.executable, "tests/perf/bench_build.py", "--sizes", "5", "--rounds", "1",
                             "--no-real", "--keep"], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-3000:]
    found = LINE.search(result.stdout)
    assert found, result.stdout
    pages, *timings = found.groups()
    assert int(pages) > 15 and all(float(value) > 0 for value in timings), found.group(0)

    kept = KEPT.search(result.stdout)
    assert kept, result.stdout
    # The sites the benchmark itself built and timed (kept with --keep): the hook's and the materialized.
    sites = {variant: Path(kept.group(1)) / f"site-{variant}" for variant in ("hook", "mat")}
    hook_pages = sorted(p.relative_to(sites["hook"]) for p in sites["hook"].rglob("*.html"))
    assert hook_pages == sorted(p.relative_to(sites["mat"]) for p in sites["mat"].rglob("*.html"))
    assert len(hook_pages) > int(pages)  # the pages, 404.html and the redirects from "B vs A"
    differing = []
    for page in hook_pages:
        glossary = page.parts[0] == "glossary"
        texts = [_normal((sites[variant] / page).read_text(encoding="utf-8"), glossary) for variant in sites]
        if texts[0] != texts[1]:
            differing.append(str(page))
    assert differing == []


EVENTS_LINE = re.compile(r"^(\S+) hook_ms=([\d.]+) q1=[\d.]+ q3=[\d.]+ rounds=1 (.*)$", re.M)


def test_the_hook_event_timer_times_each_event_of_the_hook_in_every_checkout(tmp_path):
    """tests/perf/hook_events.py (the README's before-and-after figures of the hook's own time)."""
    other = tmp_path / "other"
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(other)], cwd=ROOT, check=True)
    try:
        result = subprocess.run([sys.executable, "tests/perf/hook_events.py", "--rounds", "1", "--synthetic", "5",
                                 ".", str(other)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                                check=False, env={**os.environ, "TMPDIR": str(tmp_path)})
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = {m.group(1): m for m in EVENTS_LINE.finditer(result.stdout)}
    assert set(lines) == {".", str(other)}, result.stdout
    # every handler but on_serve, which only `mkdocs serve` calls
    handled = {name.removeprefix("on_") for name in vars(concept_site) if name.startswith("on_")} - {"serve"}
    for found in lines.values():
        events = dict(part.split("=") for part in found.group(3).split())
        # every event the hook handles is timed (each fires in a build), and nothing else is
        assert set(events) == handled, found.group(0)
        assert float(events["config"]) > 0 and float(events["page_markdown"]) > 0, found.group(0)
    assert not list(tmp_path.glob("hook-events-*")), "the synthetic sites are left behind"
