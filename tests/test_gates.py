"""The CI gates of .ci/run fail on bad input: the link checker, ruff, the Lighthouse budgets, the CSP.

Each gate is a script in tests/gates/ (run by .ci/run on the real site); here each is shown to pass
on the real build and to fail on a copy broken on purpose. Lighthouse itself never runs here: its
budget logic is tested on plain data.
"""

from __future__ import annotations

import gzip
import importlib.util
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GATES = ROOT / "tests" / "gates"


def gate(name: str):
    """Import tests/gates/<name>.py (scripts, not a package)."""
    if f"gate_{name}" in sys.modules:
        return sys.modules[f"gate_{name}"]
    sys.path.insert(0, str(GATES))  # lighthouse.py imports its sibling serve.py
    spec = importlib.util.spec_from_file_location(f"gate_{name}", GATES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"gate_{name}"] = module
    spec.loader.exec_module(module)
    return module


check_links = gate("check_links")
csp = gate("csp")
lighthouse = gate("lighthouse")
serve = gate("serve")


# --------------------------------------------------------------------------- link check


@pytest.fixture
def site_copy(built_site, tmp_path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    return copy


def test_real_site_has_no_broken_link(built_site, capsys):
    assert check_links.main([str(built_site)]) == 0
    assert "every internal link and anchor resolves" in capsys.readouterr().out


def test_broken_page_link_fails(site_copy, capsys):
    page = site_copy / "compare" / "lean-vs-process-improvement" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert 'href="../../concepts/lean/' in html
    page.write_text(html.replace('href="../../concepts/lean/', 'href="../../concepts/lena/', 1), encoding="utf-8")
    assert check_links.main([str(site_copy)]) == 1
    out = capsys.readouterr().out
    assert "compare/lean-vs-process-improvement/index.html:" in out and "no file concepts/lena/index.html" in out


def test_broken_anchor_fails(site_copy):
    # A generated row anchor disappears: every link to it, from any page, is reported.
    page = site_copy / "compare" / "lean-vs-process-improvement" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert 'id="direction"' in html
    page.write_text(html.replace('id="direction"', 'id="direction-renamed"'), encoding="utf-8")
    broken, _ = check_links.check_site(site_copy)
    assert broken and all("no id 'direction' in compare/lean-vs-process-improvement/index.html" in b for b in broken)


def test_missing_asset_fails(site_copy):
    for css in (site_copy / "assets" / "stylesheets").glob("main.*.min.css"):
        css.unlink()
    broken, _ = check_links.check_site(site_copy)
    assert any("<link>" in b and "main." in b for b in broken)


def _write(folder: Path, rel: str, html: str) -> None:
    (folder / rel).parent.mkdir(parents=True, exist_ok=True)
    (folder / rel).write_text(html, encoding="utf-8")


def test_link_rules_on_a_small_site(tmp_path):
    home = ('<link rel="canonical" href="https://example.org/docs/"><h1 id="top-h">x</h1>'
            '<a href="#top-h">ok</a><a href="#">ok</a><a href="a/#sec">ok</a><a href="a/">ok</a>'
            '<a href="https://example.org/docs/a/#sec">ok</a><a href="/docs/a/">ok</a><img src="i.svg">'
            '<a href="mailto:x@example.org">ok</a><a href="https://other.example/">external</a>'
            '<a href="#nope">bad</a><a href="a/#nope">bad</a><a href="b/">bad</a><a href="/elsewhere/">bad</a>'
            '<svg><a xlink:href="a/#gone">bad</a></svg><a href="a/%23x">bad</a>')
    _write(tmp_path, "index.html", home)
    _write(tmp_path, "a/index.html",
           '<h2 id="sec">s</h2><a name="old"></a><a href="../#top-h">ok</a><a href="#old">ok</a>')
    (tmp_path / "i.svg").write_text("<svg/>", encoding="utf-8")
    broken, external = check_links.check_site(tmp_path)
    assert external == ["https://other.example/"]
    assert [b.split(" -> ")[0].split("> ")[1] for b in broken] == [
        "#nope", "a/#nope", "b/", "/elsewhere/", "a/#gone", "a/%23x",
    ]


# --------------------------------------------------------------------------- ruff


def _ruff(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=60, check=False)


def test_ruff_fails_on_a_lint_finding(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "tests").mkdir()
    clean = tmp_path / "tests" / "check_links.py"
    shutil.copy(GATES / "check_links.py", clean)
    assert _ruff("tests", cwd=tmp_path).returncode == 0, "the gate scripts themselves are lint-clean"
    clean.write_text("import os\n" + clean.read_text(encoding="utf-8"), encoding="utf-8")
    result = _ruff("tests", cwd=tmp_path)
    assert result.returncode == 1
    assert "F401" in result.stdout and "check_links.py" in result.stdout


# --------------------------------------------------------------------------- Lighthouse budgets


GOOD = {"bytes": 120_000, "requests": 8, "render-blocking": 4, "dom": 500}


def _result(page: str, perf=1.0, a11y=1.0, bp=1.0, seo=1.0, **resources) -> lighthouse.Result:
    scores = {"performance": perf, "accessibility": a11y, "best-practices": bp, "seo": seo}
    return lighthouse.Result(page, scores, {c: [] for c in scores}, {**GOOD, **resources})


def test_budgets_pass_at_the_limits():
    at_limits = _result("glossary/", perf=lighthouse.PERFORMANCE_FLOOR, **lighthouse.RESOURCE_BUDGETS)
    assert lighthouse.budget_failures([_result(""), at_limits]) == []


def test_performance_counts_only_below_the_floor():
    """A loaded machine's 0.80 passes; a page far below what any run scores fails."""
    assert lighthouse.PERFORMANCE_FLOOR <= 0.70
    assert lighthouse.budget_failures([_result("", perf=0.70)]) == []
    assert lighthouse.budget_failures([_result("", perf=0.45)]) == [
        f"/: performance 0.45 < {lighthouse.PERFORMANCE_FLOOR:.2f}"]


def test_budgets_fail_on_a_low_deterministic_score():
    failures = lighthouse.budget_failures([_result(""), _result("concepts/lean/", a11y=0.98, seo=0.92)])
    assert failures == ["concepts/lean/: accessibility 0.98 < 1.00", "concepts/lean/: seo 0.92 < 1.00"]


def test_budgets_fail_on_a_missing_score():
    assert lighthouse.budget_failures([_result("", a11y=None)]) == ["/: accessibility no score < 1.00"]


def test_budgets_fail_on_resources():
    heavy = _result("glossary/", dom=1300, bytes=260_000, **{"render-blocking": 6})
    assert lighthouse.budget_failures([heavy]) == [
        "glossary/: bytes 260000 > 250000", "glossary/: render-blocking 6 > 5", "glossary/: dom 1300 > 1200"]
    missing = _result("")
    del missing.resources["requests"]
    assert lighthouse.budget_failures([missing]) == ["/: requests not measured > 12"]


def test_runs_combine_to_medians_and_worst_resources():
    runs = [_result("", perf=p, bytes=b) for p, b in ((0.91, 120_000), (0.62, 162_000), (0.97, 120_000))]
    for run, perf in zip(runs, (0.91, 0.62, 0.97), strict=True):
        run.perf_runs = [perf]
    combined = lighthouse.combine(runs)
    assert combined.scores["performance"] == 0.91
    assert combined.perf_runs == [0.91, 0.62, 0.97]
    assert combined.resources["bytes"] == 162_000  # a request only one run caught still counts
    assert lighthouse.combine([_result("", a11y=None), _result("")]).scores["accessibility"] is None


def test_later_runs_audit_performance_only():
    """Accessibility, best practices and SEO come from the first run; performance from every run."""
    report = {"categories": {"performance": {"score": 0.9, "auditRefs": []}},
              "audits": {"dom-size": {"numericValue": 500}}}
    perf_only = lighthouse.read_report("", report)
    assert set(perf_only.scores) == {"performance"}
    full = _result("", perf=0.99, a11y=0.95)
    full.perf_runs = [0.99]
    combined = lighthouse.combine([full, perf_only, perf_only])
    assert combined.scores["accessibility"] == 0.95 and combined.scores["performance"] == 0.9
    assert lighthouse.combine([perf_only]).scores["accessibility"] is None  # never audited: fails


def test_table_marks_missed_budgets():
    table = lighthouse.format_table([_result(""), _result("glossary/", a11y=0.88, dom=1300)])
    rows = table.splitlines()
    assert rows[0].split() == ["page", "perf", "runs", "tbt_ms", "bench", "a11y", "best-pr", "seo",
                               "bytes", "requests", "blocking", "dom"]
    assert rows[2].split() == ["/", "1.00", "-", "-", "-", "1.00", "1.00", "1.00", "120000", "8", "4", "500"]
    assert rows[3].split()[5] == "0.88!" and rows[3].split()[-1] == "1300!"
    assert rows[-1].split()[:2] == ["budget", f">={lighthouse.PERFORMANCE_FLOOR:.2f}"]


def test_report_reading_lists_the_audits_that_cost_points():
    report = {
        "categories": {
            "performance": {"score": 0.97, "auditRefs": [{"id": "tbt", "weight": 30}]},
            "accessibility": {
                "score": 0.9,
                "auditRefs": [{"id": "contrast", "weight": 7}, {"id": "info", "weight": 0}],
            },
            "best-practices": {"score": 1, "auditRefs": []},
            "seo": {"score": 1, "auditRefs": []},
        },
        "audits": {
            "tbt": {"score": 1, "title": "Total Blocking Time"},
            "contrast": {"score": 0, "title": "Low contrast", "displayValue": "2 elements"},
            "info": {"score": 0, "title": "Informative only"},
            "total-byte-weight": {"numericValue": 124748},
            "dom-size": {"numericValue": 895},
            "network-requests": {"details": {"items": [{"url": "http://h/"}, {"url": "data:image/svg+xml,x"}]}},
            "render-blocking-resources": {"details": {"items": [{"url": "http://h/a.css"}]}},
            "total-blocking-time": {"numericValue": 330},
        },
        "environment": {"benchmarkIndex": 1400},
    }
    result = lighthouse.read_report("glossary/", report)
    assert result.scores["accessibility"] == 0.9
    assert result.failed_audits["accessibility"] == ["contrast (0.00, 2 elements): Low contrast"]
    assert result.failed_audits["performance"] == []
    assert result.resources == {"bytes": 124748, "requests": 1, "render-blocking": 1, "dom": 895}
    assert (result.perf_runs, result.tbt_ms, result.benchmark) == ([0.97], 330, 1400)


def test_every_page_is_listed_and_redirects_are_not(built_site):
    pages = lighthouse.all_pages(built_site)
    assert pages[0] == "" and "glossary/" in pages
    assert "compare/lean-vs-process-improvement/" in pages and "concepts/lean/" in pages
    assert "compare/process-improvement-vs-lean/" not in pages  # the reversed name only redirects


def test_sample_has_every_kind_of_page_and_the_extremes(built_site):
    pages = lighthouse.sampled_pages(built_site)
    every = lighthouse.all_pages(built_site)
    assert set(pages) <= set(every) and len(pages) == len(set(pages))
    assert pages[0] == "" and "glossary/" in pages and "compare/" in pages and "concepts/" in pages
    for section in ("compare", "concepts"):
        children = [p for p in every if p.startswith(section + "/") and p != section + "/"]
        size = {p: (built_site / p / "index.html").stat().st_size for p in children}
        assert max(children, key=size.get) in pages and min(children, key=size.get) in pages
        # The extremes, plus a generated pair page (issue 13) if neither extreme is one.
        assert 2 <= sum(p in pages for p in children) <= (3 if section == "compare" else 2)
    generated = [p for p in pages if p and 'class="pair-unwritten"' in (built_site / p / "index.html").read_text("utf-8")]
    assert generated  # pages generated for a pair without a written comparison are audited too


def test_static_pass_counts_elements_and_compressed_bytes(tmp_path):
    page = tmp_path / "glossary"
    page.mkdir()
    html = "<!doctype html><html><body><p>a &lt; b<br/><img src=x.svg></p><script>if (1 < 2) {}</script></body></html>"
    (page / "index.html").write_text(html + " " * 5000, encoding="utf-8")
    figures = lighthouse.static_figures(tmp_path, "glossary/")
    assert figures["elements"] == 6  # html, body, p, br, img, script: "&lt;" and the script's "<" are text
    assert 0 < figures["html_gz"] < 500
    assert lighthouse.static_failures({"glossary/": {"html_gz": 40_000, "elements": 10}}) == [
        "glossary/: html_gz 40000 > 30000"]


def test_real_site_meets_the_static_budgets(built_site):
    figures = {p: lighthouse.static_figures(built_site, p) for p in lighthouse.all_pages(built_site)}
    assert lighthouse.static_failures(figures) == []


# --------------------------------------------------------------------------- headers and CSP


HEADERS_TEXT = (ROOT / "docs" / "_headers").read_text(encoding="utf-8")


def test_csp_hashes_match_the_built_site(built_site):
    """Every inline script Material writes is allowed by hash, and no stale hash lingers."""
    assert csp.check(built_site, HEADERS_TEXT) == []


def test_csp_check_fails_on_a_new_inline_script(site_copy):
    page = site_copy / "glossary" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<script>alert(1)</script></body>"),
                    encoding="utf-8")
    problems = csp.check(site_copy, HEADERS_TEXT)
    assert problems == [f"script-src lacks {csp.sha256_source('alert(1)')} (inline script in glossary/index.html "
                        "and 0 more pages)"]
    assert csp.check(site_copy, csp.rewrite(site_copy, HEADERS_TEXT)) == []


def test_csp_check_fails_on_an_inline_handler(site_copy):
    page = site_copy / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<body", '<body onload="x()"', 1), encoding="utf-8")
    assert csp.check(site_copy, HEADERS_TEXT) == ["index.html: inline event handler onload="]


def test_csp_allows_only_the_site_itself():
    policy = dict((d.split()[0], d.split()[1:]) for d in csp.csp_of(HEADERS_TEXT).split(";") if d.strip())
    assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    sources = {s for values in policy.values() for s in values}
    assert sources <= {"'self'", "'none'", "data:"} | {s for s in sources if s.startswith("'sha256-")}


def test_headers_per_path(built_site):
    rules = serve.parse_headers(HEADERS_TEXT)
    page = serve.headers_for("/compare/lean-vs-process-improvement/", rules)
    assert page["X-Content-Type-Options"] == "nosniff" and "Referrer-Policy" in page
    assert "Cache-Control" not in page  # pages revalidate: a new build shows at once
    assert "Cache-Control" not in serve.headers_for("/stylesheets/extra.css", rules)  # not hashed
    # Every asset a page loads from the immutable folders has a content hash in its name.
    referenced = set(re.findall(r'(?:src|href)="(?:\.\./)*(assets/(?:javascripts|stylesheets)/[^"]+)"',
                                (built_site / "index.html").read_text(encoding="utf-8")))
    assert referenced
    for asset in referenced:
        headers = serve.headers_for("/" + asset, rules)
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert re.search(r"\.[0-9a-f]{8}\.min\.(js|css)$", asset), f"{asset} is cached immutably without a hash"
    # No header name is set by two rules for one path (hosts would join the values with a comma).
    for path in [p for p in built_site.rglob("*") if p.is_file()]:
        url = "/" + path.relative_to(built_site).as_posix()
        names = [n for pattern, hs in rules if pattern.match(url) for n, _ in hs]
        assert len(names) == len(set(names)), url


def test_headers_parser_rejects_malformed_lines():
    with pytest.raises(ValueError, match="line 2"):
        serve.parse_headers("/*\nX-Frame-Options DENY\n")
    with pytest.raises(ValueError, match="line 1"):
        serve.parse_headers("  X-Frame-Options: DENY\n")


def test_server_sends_gzip_and_the_404_page(built_site):
    url, server = serve.serve_in_thread(built_site, ROOT / "docs" / "_headers")
    try:
        request = urllib.request.Request(url + "glossary/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
            assert b"<html" in gzip.decompress(response.read())
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url + "no-such-page/")
        assert missing.value.code == 404 and b"does not exist" in missing.value.read()
    finally:
        server.shutdown()
