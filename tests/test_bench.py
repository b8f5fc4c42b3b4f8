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

# What the hook gives a page that the materialized build (no hook) has not: the build date its
# template prints (the hook sets it). Taken out of both sides before comparing.
HOOK_ONLY = (
    (re.compile(r"built on [0-9-]*\."), "built on DATE."),               # the print line's build date
)


def _normal(html: str) -> str:
    for pattern, replacement in HOOK_ONLY:
        html = pattern.sub(replacement, html)
    return html


def _differing_pages(sites: dict[str, Path]) -> list[str]:
    """The pages the two builds do not both make, or make differently (but for HOOK_ONLY)."""
    found = {variant: {p.relative_to(site) for p in site.rglob("*.html")} for variant, site in sites.items()}
    hook, mat = found.values()
    assert len(hook) > 15
    differing = sorted(str(page) for page in hook ^ mat)
    for page in sorted(hook & mat):
        texts = [_normal((site / page).read_text(encoding="utf-8")) for site in sites.values()]
        if texts[0] != texts[1]:
            differing.append(str(page))
    return differing


def test_the_benchmark_compares_the_hook_with_a_build_of_the_pages_it_produced(tmp_path):
    result = subprocess.run([sys.executable, "tests/perf/bench_build.py", "--sizes", "5", "--rounds", "1",
                             "--no-real", "--keep"], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-3000:]
    found = LINE.search(result.stdout)
    assert found, result.stdout
    pages, *timings = found.groups()
    assert int(pages) > 15 and all(float(value) > 0 for value in timings), found.group(0)
    # One round: the verdict names the median's side and says one round cannot decide.
    target = re.search(r"^  target: concepts=5 build/materialized=([\d.]+) \(at most 1\.05\): (met|MISSED) by the median "
                       r"\(0% interval for the median ([\d.]+) to ([\d.]+), 1 rounds: too few rounds", result.stdout, re.M)
    assert target and target.group(1) == target.group(3) == target.group(4), result.stdout
    assert (target.group(2) == "met") == (float(target.group(1)) <= 1.05)

    kept = KEPT.search(result.stdout)
    assert kept, result.stdout
    # The sites the benchmark itself built and timed (kept with --keep): the hook's and the materialized.
    sites = {variant: Path(kept.group(1)) / f"site-{variant}" for variant in ("hook", "mat")}
    # the pages, 404.html and the redirects from "B vs A"
    assert len(list(sites["hook"].rglob("*.html"))) > int(pages)
    assert _differing_pages(sites) == []


def test_the_materialized_real_site_makes_the_same_pages_as_the_hook(tmp_path):
    """The real site's baseline too, whose navigation is MkDocs' own: the pair pages the hook keeps
    out of it stay out (as files they would be in every page's sidebar), the glossary page loses its
    own tooltips as the hook's does, and the titles the hook escaped are not escaped twice."""
    sites = {"hook": tmp_path / "site-hook", "mat": tmp_path / "site-mat"}
    code = ("import sys; from pathlib import Path; sys.path.insert(0, 'tests/perf'); import bench_build; "
            f"print(bench_build.materialize(Path('mkdocs.yml').resolve(), Path({str(tmp_path / 'mat')!r}))[0])")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    made = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False, env=env)
    assert made.returncode == 0, made.stderr[-3000:]
    for variant, config in (("hook", "mkdocs.yml"), ("mat", made.stdout.strip().splitlines()[-1])):
        built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(sites[variant])],
                               cwd=ROOT, capture_output=True, text=True, timeout=300, check=False, env=env)
        assert built.returncode == 0, built.stderr[-3000:]
    assert (sites["hook"] / "glossary" / "index.html").is_file()
    assert _differing_pages(sites) == []


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


NET_LINE = re.compile(r"^net hook_ms=(?P<cost>[-\d.]+) low=(?P<low>[-\d.]+) high=(?P<high>[-\d.]+) "
                      r"share=(?P<share>[-\d.]+) share_low=(?P<share_low>[-\d.]+) share_high=(?P<share_high>[-\d.]+) "
                      r"coverage=[\d.]+: .*$", re.M)
PHASE_LINE = re.compile(r"^(\S+) hook=([\d.]+) materialized=([\d.]+) difference=([-+][\d.]+)$", re.M)


def test_the_phase_timer_shows_where_each_build_spends_its_time(tmp_path):
    """tests/perf/build_phases.py: both builds timed phase by phase, the hook's events in the hook's alone."""
    result = subprocess.run([sys.executable, "tests/perf/build_phases.py", "--rounds", "1", "--synthetic", "5"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-3000:]
    phases = {m.group(1): tuple(map(float, m.group(2, 3, 4))) for m in PHASE_LINE.finditer(result.stdout)}
    for phase in ("load_config", "read_source", "markdown", "build_page", "build", "process", "ev:SearchPlugin", "gc"):
        hook, mat, _ = phases[phase]
        assert hook > 0 and mat > 0, (phase, result.stdout)
    assert phases["ev:concept_site.py"][0] > 0 == phases["ev:concept_site.py"][1]
    assert phases["ev:materialized_glossary.py"][1] > 0 == phases["ev:materialized_glossary.py"][0]
    for phase, (hook, mat, difference) in phases.items():
        assert abs(hook - mat - difference) < 0.11, phase
    assert phases["build"][0] < phases["process"][0] and phases["markdown"][0] < phases["build"][0]
    # One round: the net line is the sum of the phases that differ by construction, read back from the table.
    net = NET_LINE.search(result.stdout)
    assert net, result.stdout
    cost, low, high, share, share_low, share_high = (
        float(net.group(name)) for name in ("cost", "low", "high", "share", "share_low", "share_high"))
    expected = sum(phases[p][2] for p in ("load_config", "read_source", "gc")) \
        + phases["ev:concept_site.py"][0] - phases["ev:materialized_glossary.py"][1]
    assert abs(cost - expected) < 0.4 and low == cost == high, (net.group(0), expected)
    # the hook's build, its collections included, less the hook's cost
    rest = phases["load_config"][0] + phases["build"][0] + phases["gc"][0] - cost
    assert abs(share - cost / rest) < 1e-3 and share_low == share == share_high, (net.group(0), rest)
    assert "ev:concept_site.py" in net.group(0)
    assert not list(tmp_path.glob("build-phases-*")), "the sites are left behind"


def test_the_phase_clock_leaves_the_collectors_pauses_out_of_the_phase_they_fall_in(monkeypatch):
    """gc_clock.Clock: a phase in which a full collection runs is timed without it, and the pause is
    counted apart (a counter stands in for the CPU clock, so the figures are exact)."""
    import gc

    monkeypatch.syspath_prepend(str(ROOT / "tests" / "perf"))
    from gc_clock import Clock

    now = [0.0]
    clock = Clock(lambda: now[0])
    # Every collection "takes" 5 s: the time has passed when the callbacks hear that it stopped.
    gc.callbacks.insert(0, lambda phase, info: now.__setitem__(0, now[0] + 5.0) if phase == "stop" else None)
    spent = []
    try:
        def phase(collect: bool) -> str:
            now[0] += 1.0  # the phase's own work: 1 s, then perhaps a collection, then 1 s more
            if collect:
                gc.collect()
            now[0] += 1.0
            return "done"

        assert clock.timed(phase, spent.append)(True) == "done"
        assert clock.timed(phase, spent.append)(False) == "done"
        outer = clock.timed(lambda: clock.timed(phase, spent.append)(True), spent.append)
        outer()
    finally:
        gc.callbacks.pop(0)
        clock.close()
    assert spent == [2.0, 2.0, 2.0, 2.0]  # the inner phase, then the outer around it: pauses out of both
    assert clock.paused == 10.0
    assert clock._collector not in gc.callbacks


def test_the_interval_for_a_median_is_the_order_statistics_of_the_binomial_tables(monkeypatch):
    """bench_build.median_interval: the ranks and coverage the binomial distribution gives for 95%
    (9 values -> 2nd to 8th, covering 1 - 2 * 10/512 = 96.1%; 21 -> 6th to 16th; 61 -> 23rd to 39th,
    as the normal approximation 30.5 -/+ 1.96 * sqrt(61) / 2 rounds); too few values for 95% -> all
    of them, at their lower coverage; values in any order."""
    monkeypatch.syspath_prepend(str(ROOT / "tests" / "perf"))
    from bench_build import median_interval, verdict

    for n, ranks, coverage in ((9, (2, 8), 0.9609), (15, (4, 12), 0.9648), (21, (6, 16), 0.9734),
                               (61, (23, 39), 0.9604), (5, (1, 5), 0.9375), (1, (1, 1), 0.0)):
        values = [float(v) for v in range(n, 0, -1)]
        low, high, covered = median_interval(values)
        assert (low, high) == ranks and abs(covered - coverage) < 1e-4, (n, low, high, covered)
    assert verdict([1.01, 1.02, 1.03, 1.02, 1.04, 1.03, 1.01, 1.02, 1.03], 1.05).startswith("met (96% interval")
    assert verdict([1.06, 1.07, 1.08, 1.07, 1.09, 1.06, 1.07, 1.08, 1.10], 1.05).startswith("MISSED (96%")
    assert verdict([1.00, 1.02, 1.04, 1.03, 1.06, 1.07, 1.08, 1.01, 1.02], 1.05).startswith("met by the median, within")
    assert verdict([1.00, 1.06, 1.07, 1.03, 1.06, 1.07, 1.08, 1.01, 1.06], 1.05).startswith("MISSED by the median, within")
    # Too few rounds for the confidence asked: no verdict beyond the median, however far from the limit.
    assert verdict([1.30], 1.05).startswith("MISSED by the median (0% interval")
    assert verdict([1.01, 1.00, 1.02, 1.01, 1.00], 1.05).startswith("met by the median (94% interval")
    assert "too few rounds to decide at 95%" in verdict([1.01, 1.00, 1.02, 1.01, 1.00], 1.05)


def test_the_benchmark_runs_every_order_of_the_variants_equally_often(monkeypatch):
    """bench_build.build_orders: each round builds every variant once; each block of 3! = 6 rounds holds
    the six orders once each (so each variant is first, and right after each other one within a round,
    equally often), blocks shuffled apart from one another; the same seed gives the same orders."""
    monkeypatch.syspath_prepend(str(ROOT / "tests" / "perf"))
    from bench_build import build_orders

    names = ["hook", "mat", "plain"]
    orders = build_orders(names, 41)
    assert len(orders) == 41 and all(sorted(order) == names for order in orders)
    blocks = [orders[i:i + 6] for i in range(0, 36, 6)]
    assert all(len(set(block)) == 6 for block in blocks)
    assert len({tuple(block) for block in blocks}) > 1  # not one fixed cycle
    assert len(set(orders[36:])) == 5
    firsts = [order[0] for order in orders[:36]]
    assert all(firsts.count(name) == 12 for name in names)
    after = [(a[i], a[i + 1]) for a in orders[:36] for i in range(2)]
    assert all(after.count((x, y)) == 12 for x in names for y in names if x != y)
    assert build_orders(names, 41) == orders and build_orders(names, 41, seed=1) != orders
    assert sorted(build_orders(["a", "b"], 4)) == [("a", "b"), ("a", "b"), ("b", "a"), ("b", "a")]


def test_the_benchmark_splits_the_ratio_by_which_build_ran_first(monkeypatch):
    """bench_build.order_effect: the rounds' build/materialized ratios, split by whether the hook's build
    came before the materialized one in its round (its position), as medians with their counts."""
    monkeypatch.syspath_prepend(str(ROOT / "tests" / "perf"))
    from bench_build import order_effect

    runs = {"hook": [{"cpu": 2.2, "position": 0}, {"cpu": 2.0, "position": 2}, {"cpu": 2.4, "position": 1}],
            "mat": [{"cpu": 2.0, "position": 1}, {"cpu": 2.0, "position": 0}, {"cpu": 2.0, "position": 2}]}
    assert order_effect(runs) == "hook_first=1.150 (2 rounds) materialized_first=1.000 (1 rounds)"
