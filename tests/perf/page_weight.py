"""Page weight: what a reader downloads, gzip-compressed (not collected by pytest: no test_ prefix).

    NO_MKDOCS_2_WARNING=1 python tests/perf/page_weight.py              # builds the real site first
    python tests/perf/page_weight.py --site-dir site                    # measures an existing build
    python tests/perf/page_weight.py --no-browser                       # sizes only, no Chromium

1. Every page's HTML: raw bytes and gzip bytes (level 6, what a typical server sends), and how much
   of the gzip size the glossary tooltips' titles (`<abbr ... title="...">`) account for.
2. A first visit to a comparison page: loaded in Chromium (Playwright, tests/conftest.py's
   chromium_path() and CHROMIUM_ARGS) from a local static server, every response recorded, web
   workers included. Each text response is counted gzip-compressed, images and fonts as they are.
3. A second page in the same browser context once assets are cached: what Chromium still fetches
   over the network (the static server sends Last-Modified but no Cache-Control, so Chromium may
   revalidate; a 304 is counted as headers only), plus the figure that matters with long-lived
   caching of the hashed assets: the second page's HTML alone.
4. "Loaded but not used": CSS and JS coverage from Chromium (bytes never applied or executed during
   load), and any response the page does not need before the reader acts (the search index).
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM_ARGS, _QuietHandler, chromium_path, serve  # noqa: E402

SERVED: list[tuple[str, int]] = []  # (path, status) of every request the static server answered


class _RecordingHandler(_QuietHandler):
    """Logs what really reached the server: a response Chromium took from its cache never does."""

    def log_request(self, code="-", size="-") -> None:
        SERVED.append((self.path, int(code) if str(code).isdigit() else 0))

TEXT_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
ABBR_TITLE = re.compile(r'(<abbr\b[^>]*? title=")[^"]*(")')  # wherever the title stands (tabindex sorts first)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def wire_size(path: str, body: bytes) -> int:
    """Bytes on the wire: gzip for text, as-is for images and fonts (already compressed)."""
    return gz(body) if path.endswith(TEXT_TYPES) or path.endswith("/") else len(body)


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def build_site(out: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        sys.exit(result.stderr)


# --------------------------------------------------------------------------- static sizes


def page_table(site: Path) -> list[dict]:
    rows = []
    for path in sorted(site.rglob("*.html")):
        html = path.read_bytes()
        text = html.decode("utf-8")
        stripped = ABBR_TITLE.sub(r"\1\2", text).encode("utf-8")
        rel = path.relative_to(site).as_posix()
        rows.append({"page": rel, "raw": len(html), "gz": gz(html), "gz_no_tooltips": gz(stripped),
                     "abbr": text.count("<abbr "), "redirect": 'http-equiv="refresh"' in text})
    return rows


def print_pages(rows: list[dict]) -> None:
    print("== HTML per page (gzip level 6) ==")
    print(f"{'page':60} {'raw':>10} {'gzip':>10} {'tooltips':>9} {'abbr':>5}")
    for r in rows:
        if r["redirect"]:
            continue
        tips = r["gz"] - r["gz_no_tooltips"]
        print(f"{r['page']:60} {kb(r['raw']):>10} {kb(r['gz']):>10} {kb(tips):>9} {r['abbr']:>5}")
    pages = [r for r in rows if not r["redirect"]]
    redirects = [r for r in rows if r["redirect"]]
    print(f"pages={len(pages)} total_gz={kb(sum(r['gz'] for r in pages))} "
          f"median_gz={kb(sorted(r['gz'] for r in pages)[len(pages) // 2])} "
          f"tooltips_share_of_gz={sum(r['gz'] - r['gz_no_tooltips'] for r in pages) / sum(r['gz'] for r in pages):.0%} "
          f"redirect_pages={len(redirects)} (about {kb(max((r['gz'] for r in redirects), default=0))} each)")


# --------------------------------------------------------------------------- browser


def _record(context, log: list[dict]) -> None:
    def on_response(response) -> None:
        url = response.url
        if url.startswith(("data:", "blob:")):
            return
        try:
            body = response.body()
        except Exception:  # redirects and 304s have no body
            body = b""
        headers = response.all_headers()
        log.append({"url": url, "status": response.status, "type": response.request.resource_type,
                    "from_cache": response.from_service_worker or False, "body": body,
                    "header_bytes": sum(len(k) + len(v) + 4 for k, v in headers.items())})

    context.on("response", on_response)


def _coverage_start(cdp) -> None:
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    cdp.send("CSS.startRuleUsageTracking")
    cdp.send("Profiler.enable")
    cdp.send("Profiler.startPreciseCoverage", {"callCount": False, "detailed": True})


def _coverage_stop(cdp) -> dict:
    """Used bytes per stylesheet URL and per script URL (JS: ranges executed at least once)."""
    rules = cdp.send("CSS.stopRuleUsageTracking")["ruleUsage"]
    used_css: dict[str, int] = defaultdict(int)
    sheets: dict[str, str] = {}
    for rule in rules:
        if rule["used"]:
            sheet = rule["styleSheetId"]
            if sheet not in sheets:
                try:
                    header = cdp.send("CSS.getStyleSheetText", {"styleSheetId": sheet})
                    sheets[sheet] = header.get("text", "")
                except Exception:
                    sheets[sheet] = ""
            used_css[sheet] += int(rule["endOffset"] - rule["startOffset"])
    js = cdp.send("Profiler.takePreciseCoverage")["result"]
    used_js: dict[str, int] = {}
    for script in js:
        if not script["url"]:
            continue
        # Block coverage: the first range spans the script; unexecuted sub-ranges have count 0.
        total = 0
        unused = 0
        for func in script["functions"]:
            for i, rng in enumerate(func["ranges"]):
                if func["functionName"] == "" and i == 0 and rng["startOffset"] == 0:
                    total = max(total, rng["endOffset"])
                if rng["count"] == 0:
                    unused += rng["endOffset"] - rng["startOffset"]
        used_js[script["url"]] = (total, max(0, total - unused))
    return {"css_used_by_sheet": dict(used_css), "css_text": sheets, "js": used_js}


def browse(site: Path, first: str, second: str) -> dict:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (only needed with the browser)

    path = chromium_path()
    if path is None:
        sys.exit("Chromium not found (apt-get install chromium, or set CHROMIUM_PATH); use --no-browser")
    base, server = serve(site, _RecordingHandler)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            first_log: list[dict] = []
            _record(context, first_log)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            _coverage_start(cdp)
            page.goto(base + first, wait_until="networkidle")
            page.wait_for_timeout(1500)  # let the search worker finish fetching
            coverage = _coverage_stop(cdp)
            worker_urls = [w.url for w in page.workers]
            search_ready = page.evaluate("() => !!document.querySelector('.md-search__input')")
            # Second page: same context (HTTP cache warm), loaded the way a reader follows a link.
            second_log: list[dict] = []
            first_done = len(first_log)
            served_before = len(SERVED)
            page.goto(base + second, wait_until="networkidle")
            page.wait_for_timeout(1500)
            second_log = first_log[first_done:]
            del first_log[first_done:]
            served_second = SERVED[served_before:]
            browser.close()
    finally:
        server.shutdown()
    return {"base": base, "first": first_log, "second": second_log, "coverage": coverage,
            "served_second": served_second,
            "workers": worker_urls, "search_input": search_ready}


def summarise(log: list[dict], base: str, served: list[tuple[str, int]] | None = None) -> tuple[int, list[tuple]]:
    """Bytes on the wire per response. With `served` (what the server answered), a response the server
    never saw came from Chromium's cache and costs nothing; a 304 costs its headers."""
    rows = []
    total = 0
    remaining = list(served) if served is not None else None
    for entry in log:
        rel = entry["url"][len(base):] if entry["url"].startswith(base) else entry["url"]
        rel_path = urlparse("/" + rel).path
        status = entry["status"]
        if remaining is not None:
            hit = next((item for item in remaining if urlparse(item[0]).path == rel_path), None)
            if hit is None:
                rows.append((rel or "/", entry["type"], "cache", len(entry["body"]), 0))
                continue
            remaining.remove(hit)
            status = hit[1]
        size = entry["header_bytes"] if status == 304 else wire_size(rel_path, entry["body"])
        total += size
        rows.append((rel or "/", entry["type"], status, len(entry["body"]), size))
    return total, rows


def print_browse(result: dict, site: Path) -> None:
    base = result["base"]
    total, rows = summarise(result["first"], base)
    print("\n== First visit to a comparison page (Chromium, empty cache) ==")
    print(f"{'resource':62} {'type':>10} {'status':>6} {'raw':>10} {'on wire':>10}")
    for rel, kind, status, raw, size in rows:
        print(f"{rel:62} {kind:>10} {status:>6} {kb(raw):>10} {kb(size):>10}")
    print(f"first_visit_total={kb(total)} requests={len(rows)} (gzip for text, as-is for images)")
    search = [r for r in rows if "search_index" in r[0]]
    if search:
        without = total - sum(r[4] for r in search)
        print(f"first_visit_without_search_index={kb(without)}")
    print(f"web workers started: {', '.join(w[len(base):] for w in result['workers']) or 'none'}")

    total2, rows2 = summarise(result["second"], base, result["served_second"])
    print("\n== Second page, same browser (assets in the HTTP cache; status as the server saw it) ==")
    for rel, kind, status, raw, size in rows2:
        print(f"{rel:62} {kind:>10} {status:>6} {kb(raw):>10} {kb(size):>10}")
    html2 = [r for r in rows2 if r[1] == "document"]
    print(f"second_page_network_total={kb(total2)} requests={len(rows2)}; "
          f"its HTML alone={kb(sum(r[4] for r in html2))} (the cost once assets are cached for good)")

    print("\n== Loaded but not (yet) used on the first page ==")
    cov = result["coverage"]
    for url, (size, used) in sorted(cov["js"].items()):
        if url.startswith(base) and size:
            print(f"JS  {url[len(base):]:58} executed {used / size:.0%} of {kb(size)} during load")
    sheet_used = cov["css_used_by_sheet"]
    for sheet, text in cov["css_text"].items():
        if text:
            print(f"CSS sheet of {kb(len(text))}: rules applied cover {sheet_used[sheet] / len(text):.0%} of its bytes")
    for rel, _kind, _status, _raw, size in rows:
        if "search_index" in rel:
            print(f"FLAG {rel}: {kb(size)} fetched on every first visit by the search worker, before the reader "
                  "opens search (used only when they search)")
        if rel.endswith(".map"):
            print(f"FLAG {rel}: source map fetched ({kb(size)})")
        if "lunr/" in rel and "min.js" in rel:
            print(f"FLAG {rel}: lunr language support fetched ({kb(size)})")
    fetched = {r[0] for r in rows}
    for rel in sorted(fetched):
        if rel.endswith(".json") and "search_index" not in rel:
            print(f"FLAG {rel}: JSON fetched on load")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", type=Path, help="an existing build (default: build the real site now)")
    parser.add_argument("--page", default="compare/lean-vs-process-improvement/",
                        help="the comparison page to load first (URL path)")
    parser.add_argument("--second", default="concepts/lean/", help="the page to load second (URL path)")
    parser.add_argument("--no-browser", action="store_true", help="only the per-page HTML sizes")
    args = parser.parse_args(argv)
    if args.site_dir:
        site = args.site_dir.resolve()
        print_pages(page_table(site))
        if not args.no_browser:
            print_browse(browse(site, args.page, args.second), site)
        return 0
    with tempfile.TemporaryDirectory(prefix="page-weight-") as tmp:
        site = Path(tmp) / "site"
        build_site(site)
        print_pages(page_table(site))
        if not args.no_browser:
            print_browse(browse(site, args.page, args.second), site)
    return 0


if __name__ == "__main__":
    sys.exit(main())
