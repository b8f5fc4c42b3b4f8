"""The hook's own time, event by event, in two or more checkouts (not collected by pytest).

    NO_MKDOCS_2_WARNING=1 python tests/perf/hook_events.py --rounds 21 ../before .    # the real site
    python tests/perf/hook_events.py --rounds 15 --synthetic 100 ../before .           # 100 concepts

Each round builds the site once in every checkout given (default: this one), the order reversed
every other round, each build in a fresh Python process told it is a one-off build, as
`mkdocs build` is. Inside the build, each event handler of `hooks/concept_site.py` runs inside a
clock (`time.perf_counter`), so the figures are the hook's own time, without MkDocs, Markdown or
the theme: far steadier than a whole build's CPU time, whose noise on a shared machine is larger
than the hook. The garbage collector's pauses are left out (gc_clock.py): which event a collection
falls in depends on allocations anywhere in the build (build_phases.py times them as a whole).
It prints, per checkout, the median of the hook's total and of each event:

    CHECKOUT hook_ms=X q1=A q3=B rounds=N config=... page_markdown=... post_build=...

The real site is each checkout's mkdocs.yml (`--config` for another, relative to each checkout);
`--synthetic N` writes, for each checkout, bench_build.py's synthetic site of N concepts with that
checkout's own benchmark and hooks, in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HOOK = "concept_site.py"


def child(config_file: str) -> None:
    """One build of `config_file` in this process; prints {event: seconds} of concept_site's handlers."""
    import logging

    from gc_clock import Clock
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    spent: dict[str, float] = {}
    clock = Clock(time.perf_counter)
    with tempfile.TemporaryDirectory() as site:
        config = load_config(config_file, site_dir=site)
        for event, handlers in config.plugins.events.items():
            for i, handler in enumerate(handlers):
                source = getattr(handler, "__globals__", {}).get("__file__") or ""
                if os.path.basename(source) != HOOK:
                    continue

                def add(seconds: float, _event: str = event) -> None:
                    spent[_event] = spent.get(_event, 0.0) + seconds

                handlers[i] = clock.timed(handler, add)
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()
    clock.close()
    print(json.dumps(spent))


def synthetic_site(checkout: str, concepts: int, folder: str) -> str:
    """Write the checkout's synthetic site of `concepts` concepts into `folder`; its mkdocs.yml."""
    code = ("import sys; from pathlib import Path; sys.path.insert(0, 'tests/perf'); import bench_build; "
            f"bench_build.write_site(Path({folder!r}), {concepts})")
    done = subprocess.run([sys.executable, "-c", code], cwd=checkout, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{checkout}: could not write the synthetic site:\n{done.stderr[-2000:]}")
    return os.path.join(folder, "mkdocs.yml")


def alternate(children: dict[str, tuple[str, list[str]]], rounds: int) -> dict[str, list[dict[str, float]]]:
    """name -> (working folder, script and arguments): each run `rounds` times in a fresh Python process,
    the order reversed every other round; per name, the JSON object each run printed last."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a default Python runs: the hooks' bytecode kept
    names = list(children)
    found: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            cwd, argv = children[name]
            done = subprocess.run([sys.executable, *argv], cwd=cwd, env=env, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                sys.exit(f"{name}: the build ({' '.join(argv[1:])}) failed:\n{done.stderr[-2000:]}")
            found[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
    return found


def measure(configs: dict[str, str], rounds: int) -> dict[str, list[dict[str, float]]]:
    """checkout -> its config; per checkout, {event: seconds} of each round's build."""
    return alternate({c: (c, [os.path.abspath(__file__), "--child", config]) for c, config in configs.items()}, rounds)


def report(found: dict[str, list[dict[str, float]]]) -> list[str]:
    lines = []
    for checkout, rows in found.items():
        totals = sorted(sum(row.values()) * 1000 for row in rows)
        events = dict.fromkeys(event for row in rows for event in row)  # in the order they ran
        per_event = " ".join(f"{e}={statistics.median(row.get(e, 0.0) for row in rows) * 1000:.1f}" for e in events)
        lines.append(f"{checkout} hook_ms={statistics.median(totals):.1f} q1={totals[len(totals) // 4]:.1f} "
                     f"q3={totals[3 * len(totals) // 4]:.1f} rounds={len(rows)} {per_event}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs="*", default=["."])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--config", default="mkdocs.yml", help="the site, relative to each checkout")
    parser.add_argument("--synthetic", type=int, metavar="N", help="the synthetic site of N concepts instead")
    parser.add_argument("--child", metavar="CONFIG", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    folder = tempfile.mkdtemp(prefix="hook-events-")
    try:
        configs = {c: synthetic_site(c, args.synthetic, os.path.join(folder, str(i))) if args.synthetic
                   else args.config for i, c in enumerate(args.checkouts)}
        print(f"# cores={os.cpu_count()} load={os.getloadavg()[0]:.1f}; "
              f"{f'{args.synthetic} concepts' if args.synthetic else args.config}: the hook's events timed "
              f"inside fresh-process builds, alternating; milliseconds, medians of {args.rounds} rounds", flush=True)
        for line in report(measure(configs, args.rounds)):
            print(line)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
