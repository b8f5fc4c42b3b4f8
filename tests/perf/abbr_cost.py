"""Glossary tooltip cost per page (not collected by pytest).

    NO_MKDOCS_2_WARNING=1 python tests/perf/abbr_cost.py [--rounds 7] [PROJECT_DIR]

Builds the project once, keeping the Markdown the hook produced for every page, then converts all of
it with the site's extensions three ways: without the glossary, with Python-Markdown's `abbr`, and
with the trie `abbr` (hooks/abbr_trie.py). CPU time (time.process_time), rounds interleaved with the
order rotated, medians. Prints ms per page and checks that both glossaries give identical HTML.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

import markdown  # noqa: E402
from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", nargs="?", default=str(Path(__file__).resolve().parents[2]))
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    sys.path.insert(0, os.path.join(os.path.abspath(args.project), "hooks"))
    from abbr_trie import TrieAbbrExtension

    captured: list[str] = []
    convert = markdown.Markdown.convert

    def capture(self, text):
        captured.append(text)
        return convert(self, text)

    markdown.Markdown.convert = capture
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(os.path.join(args.project, "mkdocs.yml"), site_dir=os.path.join(tmp, "site"))
        build(config)
    markdown.Markdown.convert = convert

    [trie] = [e for e in config.markdown_extensions if isinstance(e, TrieAbbrExtension)]
    glossary = trie.getConfig("glossary")
    others = [e for e in config.markdown_extensions if e is not trie and e != "abbr"]
    configs = dict(config.mdx_configs)
    variants = {
        "none": lambda: markdown.Markdown(extensions=others, extension_configs=configs),
        "stock": lambda: markdown.Markdown(extensions=[*others, "abbr"],
                                           extension_configs={**configs, "abbr": {"glossary": glossary}}),
        "trie": lambda: markdown.Markdown(extensions=[*others, TrieAbbrExtension(glossary=glossary)],
                                          extension_configs=configs),
    }
    names = list(variants)
    seconds: dict[str, list[float]] = {name: [] for name in names}
    html: dict[str, list[str]] = {}
    for r in range(args.rounds):
        for name in names[r % 3:] + names[:r % 3]:
            gc.collect()
            start = time.process_time()
            html[name] = [variants[name]().convert(text) for text in captured]
            seconds[name].append(time.process_time() - start)
    pages = len(captured)
    med = {name: statistics.median(values) for name, values in seconds.items()}
    per_page = {name: 1000 * value / pages for name, value in med.items()}
    stock, trie_cost = per_page["stock"] - per_page["none"], per_page["trie"] - per_page["none"]
    print(f"abbr pages={pages} forms={len(glossary)} rounds={args.rounds} ms_per_page none={per_page['none']:.2f} "
          f"stock={per_page['stock']:.2f} trie={per_page['trie']:.2f}")
    print(f"abbr glossary_ms_per_page stock={stock:.2f} trie={trie_cost:.2f} saving={100 * (1 - trie_cost / stock):.0f}% "
          f"identical_html={html['stock'] == html['trie']} tooltips={sum(h.count('<abbr') for h in html['trie'])}")
    return 0 if html["stock"] == html["trie"] else 1


if __name__ == "__main__":
    sys.exit(main())
