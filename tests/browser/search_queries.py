"""Queries readers type, each with the page or glossary entry that must be among the first results.

Used by tests/browser/test_search.py, and runnable on its own against a built site to see what
search returns (`python tests/browser/search_queries.py SITE_DIR [QUERY ...]`).

A target is a page path ("concepts/lean/") or a glossary entry ("glossary/#muda"), or a tuple of
either when more than one answer is right. A page must be one of the first three results; an entry
must also be shown there (not folded into "more on this page").
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]

QUERIES: list[tuple[str, str | tuple[str, ...]]] = [
    # Abbreviations
    ("KPI", "glossary/#kpi"),
    ("OEE", "glossary/#oee"),
    ("JIT", "glossary/#jit"),
    ("WIP", "glossary/#work-in-process"),
    ("SPC", "glossary/#statistical-process-control"),
    ("TPS", "glossary/#toyota-production-system"),
    ("VSM", "glossary/#value-stream-mapping"),
    ("OKR", "glossary/#okr"),
    ("PDCA", "glossary/#pdca"),
    ("DMAIC", "glossary/#dmaic"),
    ("SMED", "glossary/#smed"),
    ("RCA", "glossary/#root-cause-analysis"),
    ("SOP", "glossary/#standard-operating-procedure"),
    ("TQM", "glossary/#tqm"),
    ("BPR", "glossary/#business-process-reengineering"),
    # Hyphen or space, and other written forms
    ("just in time", "glossary/#jit"),
    ("just-in-time", "glossary/#jit"),
    ("poka yoke", "glossary/#poka-yoke"),
    ("mistake proofing", "glossary/#poka-yoke"),
    ("first pass yield", "glossary/#first-pass-yield"),
    ("on time delivery", "glossary/#on-time-delivery"),
    ("value added ratio", "glossary/#value-added-ratio"),
    ("work in progress", "glossary/#work-in-process"),
    ("re-engineering", "glossary/#business-process-reengineering"),
    ("360 feedback", "glossary/#360-degree-feedback"),
    ("Deming cycle", "glossary/#pdca"),
    ("autonomation", "glossary/#jidoka"),
    ("genba", "glossary/#gemba"),
    # Digits and words
    ("5 whys", "glossary/#five-whys"),
    ("five whys", "glossary/#five-whys"),
    ("5S", "glossary/#5s"),
    # British spellings
    ("optimisation", "concepts/process-optimization/"),
    ("process optimisation", "concepts/process-optimization/"),
    ("optimise a process", "concepts/process-optimization/"),
    ("utilisation", "glossary/#utilization"),
    ("organisational performance improvement", "concepts/performance-improvement/"),
    ("standardised work", "glossary/#standard-work"),
    ("simulation modelling", "glossary/#simulation"),
    ("preventative maintenance", "glossary/#preventive-maintenance"),
    # Plurals and other endings
    ("KPIs", "glossary/#kpi"),
    ("OKRs", "glossary/#okr"),
    ("bottlenecks", "glossary/#bottleneck"),
    ("kaizen events", "glossary/#kaizen"),
    ("value stream maps", "glossary/#value-stream-mapping"),
    ("performance reviews", "glossary/#performance-appraisal"),
    ("production processes", "concepts/production-process/"),
    ("seven wastes", "glossary/#muda"),
    ("balanced scorecards", "glossary/#balanced-scorecard"),
    ("managing operations", "concepts/operations-management/"),
    # Misspellings
    ("proces improvment", "concepts/process-improvement/"),
    ("kaisen", "glossary/#kaizen"),
    ("opertions management", "concepts/operations-management/"),
    ("perfomance management", "concepts/performance-management/"),
    ("takt tme", "glossary/#takt-time"),
    ("kanben", "glossary/#kanban"),
    ("gemba wlak", "glossary/#gemba-walk"),
    ("six sigmma", ("concepts/six-sigma/", "glossary/#six-sigma")),
    ("hejunka", "glossary/#heijunka"),
    # Questions
    ("what is lean", "concepts/lean/"),
    ("what is operations management", "concepts/operations-management/"),
    ("what is muda", "glossary/#muda"),
    ("what does OEE mean", "glossary/#oee"),
    ("how to calculate takt time", "glossary/#takt-time"),
    ("what is a performance improvement plan", "glossary/#performance-improvement-plan"),
    ("difference between lean and process improvement", "compare/lean-vs-process-improvement/"),
    ("difference between production management and operations management",
     "compare/production-management-vs-operations-management/"),
    ("what is the difference between a production process and an operation process",
     "compare/production-process-vs-operation-process/"),
    # X vs Y, both orders
    ("lean vs process improvement", "compare/lean-vs-process-improvement/"),
    ("process improvement vs lean", "compare/lean-vs-process-improvement/"),
    ("operations management vs performance management", "compare/operations-management-vs-performance-management/"),
    ("performance management vs operations management", "compare/operations-management-vs-performance-management/"),
    ("performance improvement vs process optimization", "compare/performance-improvement-vs-process-optimization/"),
    ("process optimisation versus performance improvement",
     "compare/performance-improvement-vs-process-optimization/"),
    ("production management vs operations management", "compare/production-management-vs-operations-management/"),
    ("operations vs production management", "compare/production-management-vs-operations-management/"),
    ("production process vs operation process", "compare/production-process-vs-operation-process/"),
    ("operation process vs. production process", "compare/production-process-vs-operation-process/"),
    ("kpi vs okr", ("glossary/#kpi", "glossary/#okr")),
    ("lean vs six sigma", "compare/lean-vs-six-sigma/"),
    ("six sigma vs lean", "compare/lean-vs-six-sigma/"),
    ("lean versus six sigma", "compare/lean-vs-six-sigma/"),
    ("process improvement vs process optimization", "compare/process-improvement-vs-process-optimization/"),
    ("process optimisation vs process improvement", "compare/process-improvement-vs-process-optimization/"),
    ("performance improvement vs performance management",
     "compare/performance-improvement-vs-performance-management/"),
    ("performance management vs performance improvement",
     "compare/performance-improvement-vs-performance-management/"),
    ("performance improvement vs process improvement", "compare/performance-improvement-vs-process-improvement/"),
    ("process improvement vs performance improvement", "compare/performance-improvement-vs-process-improvement/"),
    ("difference between performance improvement and performance management",
     "compare/performance-improvement-vs-performance-management/"),
    ("lean vs performance management", "compare/lean-vs-performance-management/"),   # a generated pair page
    ("six sigma vs production process", "compare/production-process-vs-six-sigma/"),
    ("lean and process improvement", "compare/lean-vs-process-improvement/"),
    # Names of concepts and terms
    ("lean manufacturing", "concepts/lean/"),
    ("business process improvement", "concepts/process-improvement/"),
    ("manufacturing process", "concepts/production-process/"),
    ("production planning and control", "concepts/production-management/"),
    ("workflow optimization", "concepts/process-optimization/"),
    ("enterprise performance management", "concepts/performance-management/"),
    ("muda", "glossary/#muda"),
    ("takt time", "glossary/#takt-time"),
    ("lean six sigma", "glossary/#lean-six-sigma"),
    ("theory of constraints", "glossary/#theory-of-constraints"),
    ("Toyota Production System", "glossary/#toyota-production-system"),
    ("six sigma", ("concepts/six-sigma/", "glossary/#six-sigma")),
    # Terms readers ask for
    ("productivity", "glossary/#productivity"),
    ("labour productivity", "glossary/#productivity"),
    ("S&OP", "glossary/#sales-and-operations-planning"),
    ("sales and operations planning", "glossary/#sales-and-operations-planning"),
    ("project management", "glossary/#project-management"),
    ("change management", "glossary/#change-management"),
    ("business process management", "glossary/#business-process-management"),
    ("BPM", "glossary/#business-process-management"),
    ("hoshin kanri", "glossary/#hoshin-kanri"),
    ("heijunka", "glossary/#heijunka"),
    ("operational excellence", "glossary/#operational-excellence"),
]


def target_exists(site: Path, target: str) -> bool:
    """Whether the built site has the page (and, for a glossary entry, the anchor)."""
    path, _, anchor = target.partition("#")
    page = site / path / "index.html"
    if not page.is_file():
        return False
    return not anchor or f'id="{anchor}"' in page.read_text(encoding="utf-8")


def _path(href: str) -> str:
    parts = urlparse(href)
    return parts.path.lstrip("/") + (f"#{parts.fragment}" if parts.fragment else "")


def open_search(page, base: str) -> None:
    """Open the site and wait until Material's search worker has its index."""
    page.goto(base)
    page.locator("input.md-search__input").click()
    page.wait_for_function(
        "() => !document.querySelector('.md-search-result__meta').textContent.includes('Initializing')")


def type_query(page, query: str) -> list[dict]:
    """Type a query into the search box as a reader does; the results as shown, once they settle.

    One dict per result (a page): its address, the addresses shown under it (not folded into
    "more"), and the word count of every snippet in it.
    """
    box = page.locator("input.md-search__input")
    box.press("Control+a")
    box.press("Backspace")
    page.wait_for_function("() => !document.querySelector('.md-search-result__list').children.length")
    box.press_sequentially(query, delay=20)
    # Results for this query: the list (or "no matching documents") holds still for 300 ms.
    page.wait_for_function("""() => new Promise(done => {
        const list = document.querySelector('.md-search-result__list');
        const meta = document.querySelector('.md-search-result__meta');
        const state = () => list.innerHTML + meta.textContent;
        let last = state(), since = Date.now();
        const check = () => {
            const now = state();
            if (now !== last) { last = now; since = Date.now(); }
            const answered = list.children.length || /no match/i.test(meta.textContent);
            if (answered && Date.now() - since >= 300) done(true); else setTimeout(check, 50);
        };
        check();
    })""")
    items = page.locator(".md-search-result__item").evaluate_all("""items => items.map(item => ({
        links: [...item.querySelectorAll(':scope > a')].map(a => a.href),
        words: [...item.querySelectorAll('article')].map(a => a.innerText.split(/\\s+/).filter(Boolean).length),
    }))""")
    return [{"page": _path(i["links"][0]).split("#")[0] if i["links"] else "",
             "shown": [_path(h) for h in i["links"]], "words": i["words"]} for i in items]


def passes(results: list[dict], target: str | tuple[str, ...]) -> bool:
    """Whether a target is among the first three results (an entry: shown, not folded away)."""
    for want in (target,) if isinstance(target, str) else target:
        for result in results[:3]:
            if ("#" in want and want in result["shown"]) or ("#" not in want and result["page"] == want):
                return True
    return False


def main(argv: list[str]) -> int:
    """Print what search returns for each query (all of QUERIES, or those given)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM_ARGS, chromium_path, serve

    site = Path(argv[0])
    asked = [(q, "") for q in argv[1:]] or QUERIES
    base, server = serve(site)
    misses = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        open_search(page, base)
        for query, target in asked:
            results = type_query(page, query)
            ok = passes(results, target) if target else True
            misses += not ok
            print(f"{'ok  ' if ok else 'MISS'} {query!r} -> want {target}")
            for result in results[:4]:
                print(f"       {result['page'] or '/'}  shown={result['shown'][1:]} words={max(result['words'])}")
        browser.close()
    server.shutdown()
    print(f"{len(asked) - misses}/{len(asked)} passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
