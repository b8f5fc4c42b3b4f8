"""Where a build's time goes, phase by phase, with the hook and in its materialized baseline (not
collected by pytest).

    NO_MKDOCS_2_WARNING=1 python tests/perf/build_phases.py --rounds 21     # the real site
    python tests/perf/build_phases.py --rounds 9 --synthetic 100             # 100 concepts

bench_build.py's ratio `build / materialized` says how much the hook adds; this says where. It
materializes the site as bench_build.py does (the Markdown the hook produced, as static files, built
without the hook), then builds the site with the hook and the materialized site alternately, each
build in a fresh Python process told it is a one-off build, and times inside each build (CPU time,
`time.process_time`):

- `startup`: importing MkDocs and the interpreter's start (the same in both);
- `load_config`: reading mkdocs.yml and importing the theme, plugins and hooks (the hook's import);
- `ev:NAME`: every event handler of each plugin (its class) and hook (its file), summed;
- `read_source`, `markdown`, `build_page`: MkDocs reading each page, converting it (Python-Markdown
  and its extensions), and rendering it from the theme's templates and writing it. `build_page`
  holds the `on_page_context`, `on_post_page` and `on_post_template` handlers, also counted
  under their `ev:` names;
- `gc`: the garbage collector's pauses from loading the configuration to the end of the build.
  Every other phase is timed without the pauses that fell inside it (`gc_clock.py`): a full
  collection lands in one phase or another by a few allocations more or less;
- `build` and `process`: the whole build (less its collections), and the whole process.

It prints the median of each phase for both variants and their difference, in milliseconds:

    PHASE hook=X materialized=Y difference=Z

A difference outside the hook's own events is work the hook saves MkDocs or adds to it; the two
sites' pages are the same (tests/test_bench.py), so anything else is noise or a baseline to fix.
The last line sums, round by round, only the phases that differ by construction (`NET_PHASES` and
the events of the hooks only one build has), the hook's net cost with most of the noise left out,
with a distribution-free interval for its median, and its share of the rest of the same build (the
materialized build's work, done in the same process: build / materialized is about 1 + share):

    net hook_ms=X low=A high=B share=S share_low=C share_high=D coverage=E: ...
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(config_file: str) -> None:
    """One build of `config_file` in this process; prints {phase: CPU seconds}. Every phase is timed
    without the garbage collector's pauses inside it: they are the phase `gc` (see gc_clock.py)."""
    import logging

    from gc_clock import Clock
    from mkdocs.commands import build as build_module
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    spent: dict[str, float] = {"startup": time.process_time()}
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    clock = Clock()

    def timed(function, phase: str):
        def add(seconds: float) -> None:
            spent[phase] = spent.get(phase, 0.0) + seconds
        return clock.timed(function, add)

    def record(phase: str):
        return lambda seconds: spent.__setitem__(phase, seconds)

    Page.read_source = timed(Page.read_source, "read_source")
    Page.render = timed(Page.render, "markdown")
    build_module._build_page = timed(build_module._build_page, "build_page")
    with tempfile.TemporaryDirectory() as site:
        paused = clock.paused  # the collections of the startup are the startup's
        config = clock.timed(load_config, record("load_config"))(config_file, site_dir=site)
        for handlers in config.plugins.events.values():
            for i, handler in enumerate(handlers):
                source = getattr(handler, "__globals__", {}).get("__file__") or ""
                owner = getattr(handler, "__self__", None)
                name = type(owner).__name__ if owner is not None else os.path.basename(source) or "?"
                handlers[i] = timed(handler, f"ev:{name}")
        config.plugins.on_startup(command="build", dirty=False)
        clock.timed(build_module.build, record("build"))(config)
        spent["gc"] = clock.paused - paused
        config.plugins.on_shutdown()
    clock.close()
    spent["process"] = time.process_time()
    print(json.dumps(spent))


def measure(configs: dict[str, Path], rounds: int) -> dict[str, list[dict[str, float]]]:
    """variant -> its mkdocs.yml; per variant, {phase: CPU seconds} of each round's build."""
    from hook_events import alternate

    return alternate({v: (str(c.parent), [__file__, "--child", str(c)]) for v, c in configs.items()}, rounds)


def report(found: dict[str, list[dict[str, float]]]) -> list[str]:
    hook, mat = found["hook"], found["materialized"]
    phases = list(dict.fromkeys(phase for rows in (hook, mat) for row in rows for phase in row))
    lines = []
    for phase in phases:
        a, b = (statistics.median(row.get(phase, 0.0) for row in rows) * 1000 for rows in (hook, mat))
        lines.append(f"{phase} hook={a:.1f} materialized={b:.1f} difference={a - b:+.1f}")
    return lines + [net(hook, mat)]


# The phases whose work differs by construction: the hook's import, the pages it hands MkDocs instead of
# files, the garbage collector's pauses (the hook's objects are in its collections; the pauses are timed
# apart from every phase, wherever they fell) and the events of a hook only one build has. Every other
# phase does the same work in both builds (the pages are the same), so its difference is noise, and
# leaving it out leaves most of the noise out.
NET_PHASES = ("load_config", "read_source", "gc")


def net(hook: list[dict[str, float]], mat: list[dict[str, float]]) -> str:
    """The hook's cost from the phases that differ by construction, round by round, and its share: over
    the rest of the same round's build with the hook (load_config + build with their collections, what
    bench_build.py times, less the hook's cost), which is the materialized build's work done in the same process, so that a slow
    spell of the machine weighs on both sides of the share alike."""
    from bench_build import median_interval

    only = {"hook": {p for row in hook for p in row if p.startswith("ev:")} - {p for row in mat for p in row},
            "mat": {p for row in mat for p in row if p.startswith("ev:")} - {p for row in hook for p in row}}
    costs = [sum(h.get(p, 0.0) - m.get(p, 0.0) for p in NET_PHASES)
             + sum(h.get(p, 0.0) for p in only["hook"]) - sum(m.get(p, 0.0) for p in only["mat"])
             for h, m in zip(hook, mat, strict=True)]
    shares = [cost / (h["load_config"] + h["build"] + h["gc"] - cost) for cost, h in zip(costs, hook, strict=True)]
    low, high, coverage = median_interval(costs)
    share_low, share_high, _ = median_interval(shares)
    return (f"net hook_ms={1000 * statistics.median(costs):.1f} low={1000 * low:.1f} high={1000 * high:.1f} "
            f"share={statistics.median(shares):.4f} share_low={share_low:.4f} share_high={share_high:.4f} "
            f"coverage={coverage:.2f}: {', '.join(NET_PHASES)} and the events of "
            f"{', '.join(sorted(only['hook'] | only['mat'])) or 'no hook'} only one build has, round by round; "
            f"the intervals are for the medians")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--synthetic", type=int, metavar="N", help="the synthetic site of N concepts instead")
    parser.add_argument("--child", metavar="CONFIG", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    sys.path.insert(0, str(HERE))  # bench_build and hook_events beside this file
    import bench_build

    folder = Path(tempfile.mkdtemp(prefix="build-phases-"))
    try:
        if args.synthetic:
            bench_build.write_site(folder, args.synthetic)
            config = folder / "mkdocs.yml"
        else:
            config = bench_build.ROOT / "mkdocs.yml"
        mat_config, pages = bench_build.materialize(config, folder / "materialized")
        bench_build.compile_hooks()
        # the templates' bytecode beside both configurations, as every build after the first has it
        bench_build.warm_templates({"hook": (config, folder / "site-hook", {}),
                                    "materialized": (mat_config, folder / "site-mat", {})})
        print(f"# cores={os.cpu_count()} load={os.getloadavg()[0]:.1f}; "
              f"{f'{args.synthetic} concepts' if args.synthetic else 'real site'}, {pages} pages: CPU milliseconds "
              f"of each phase, medians of {args.rounds} alternating fresh-process builds", flush=True)
        for line in report(measure({"hook": config, "materialized": mat_config}, args.rounds)):
            print(line)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
